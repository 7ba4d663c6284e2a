"""Throughput benchmark: the whole analysis beside spaCy's own parse of the same texts, in one run.

Both are timed in this process after the same warm-up, so the ratio is fair whatever the machine;
batch mode then runs the analysis on several cores and reports its own rate. The scaling benchmark
(`run_scaling`) times one page as it grows, to show the analysis stays linear in the page's length.
"""
from __future__ import annotations

import html
import itertools
import multiprocessing
import resource
import statistics
import time
from pathlib import Path

from ..analysis import analyze, analyze_many
from ..batch import analyze_batch
from ..errors import OnrecordError
from ..nlp import _load_spacy, load
from ..options import Options, default_options
from ..reading import Page

WARMUP = 3


def run_benchmark(text_dir: str | Path, limit: int | None = None, workers: int = 2,
                  options: Options | None = None, repeats: int = 2) -> dict:
    """Articles per second and peak memory for spaCy's parse, onrecord's analysis and batch mode."""
    options = options or default_options()
    paths = sorted(Path(text_dir).glob("*.txt"))[:limit] if limit else sorted(Path(text_dir).glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no .txt files in {text_dir}")
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    words = sum(len(t.split()) for t in texts)
    parser = _load_spacy(options.model)
    pipeline = load(options.model, options.attribution, options.tagger_threads)
    pages = [Page(t, False, str(p), "utf-8") for t, p in zip(texts, paths)]
    list(parser.pipe(texts[:WARMUP]))
    list(analyze_many(pages[:WARMUP], options, nlp=pipeline))

    def time_parse() -> float:
        start = time.perf_counter()
        for _ in parser.pipe(texts, batch_size=16):
            pass
        return time.perf_counter() - start

    def time_analysis() -> tuple[float, int, int]:
        start = time.perf_counter()
        found = failed = 0
        for result in analyze_many(pages, options, nlp=pipeline):
            if result.analysis is None:
                failed += 1
            else:
                found += len(result.analysis.attributions)
        return time.perf_counter() - start, found, failed

    parse_seconds = min(time_parse() for _ in range(repeats))
    analysis_runs = [time_analysis() for _ in range(repeats)]
    analysis_seconds = min(run[0] for run in analysis_runs)
    _, attributions, failed = analysis_runs[0]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    batch_records = list(analyze_batch(paths, options, workers=workers))
    batch_seconds = time.perf_counter() - start
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    n = len(texts)
    return {
        "texts": n, "words": words, "text_dir": str(text_dir), "attribution": options.attribution,
        "spacy_parse": {"seconds": round(parse_seconds, 3), "articles_per_s": round(n / parse_seconds, 2),
                        "words_per_s": round(words / parse_seconds)},
        "analysis": {"seconds": round(analysis_seconds, 3), "articles_per_s": round(n / analysis_seconds, 2),
                     "words_per_s": round(words / analysis_seconds), "attributions": attributions,
                     "failed": failed},
        "analysis_vs_parse": round(parse_seconds / analysis_seconds, 3),
        "batch": {"workers": workers, "seconds": round(batch_seconds, 3),
                  "articles_per_s": round(n / batch_seconds, 2),
                  "errors": sum(1 for r in batch_records if "error" in r)},
        "peak_rss_mb": {"main_process": round(peak_mb), "batch_worker": round(child_mb)},
    }


def render_benchmark(result: dict) -> str:
    rows = [("spaCy en_core_web_sm parse (1 process)", result["spacy_parse"]),
            (f"onrecord analyze, {result['attribution']} (1 process)", result["analysis"]),
            (f"onrecord batch ({result['batch']['workers']} processes)", result["batch"])]
    lines = [f"{result['texts']} texts, {result['words']:,} words from {result['text_dir']}",
             f"{'':42} {'seconds':>8} {'articles/s':>11}"]
    lines += [f"{name:42} {row['seconds']:>8.2f} {row['articles_per_s']:>11.2f}" for name, row in rows]
    lines.append(f"analysis keeps {result['analysis_vs_parse']:.0%} of the parse's throughput; "
                 f"{result['analysis']['attributions']} attributions found")
    lines.append(f"peak memory: {result['peak_rss_mb']['main_process']} MB (main process), "
                 f"{result['peak_rss_mb']['batch_worker']} MB (largest batch worker)")
    return "\n".join(lines)


SCALING_KB = (10, 100, 300, 1000)
HUGE_PAGE_BYTES = 19_900_000  # just under the default max_bytes (20 MB)
SCALING_TARGET = 1.5  # the slowest size's seconds per KB over the fastest's, at most


def joined_page(texts: list[str], size_bytes: int) -> str:
    """Texts joined by blank lines, cycling through them, into a plain-text page just under `size_bytes`
    (UTF-8), at least one text long."""
    parts, size = [], 0
    for text in itertools.cycle(texts):
        grown = size + len(text.encode("utf-8")) + 2
        if parts and grown > size_bytes:
            break
        parts.append(text)
        size = grown
    return "\n\n".join(parts)


def as_html_page(text: str) -> str:
    """The plain-text page as an HTML article: one <p> per paragraph under a headline."""
    paragraphs = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in text.split("\n\n") if p.strip())
    return (f"<!DOCTYPE html><html><head><title>Scaling page</title></head><body><article>"
            f"<h1>Scaling page</h1>{paragraphs}</article></body></html>")


def run_scaling(text_dir: str | Path, options: Options | None = None, repeats: int = 3, huge: bool = True) -> dict:
    """Seconds and seconds per KB of `analyze` on pages of 10 to 1,000 KB joined from the texts (median of
    `repeats` runs each), and, with `huge`, a page just under 20 MB as text and as HTML, each analysed once in
    a fresh process that reports its own peak memory."""
    options = options or default_options()
    paths = sorted(Path(text_dir).glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no .txt files in {text_dir}")
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    pipeline = load(options.model, options.attribution, options.tagger_threads)
    analyze(Page(texts[0], False, "warm-up", "utf-8"), options, pipeline)
    sizes = []
    for kb in SCALING_KB:
        page = joined_page(texts, kb * 1000)
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            analysis = analyze(Page(page, False, f"{kb} KB", "utf-8"), options, pipeline)
            runs.append(time.perf_counter() - start)
        seconds = statistics.median(runs)
        page_kb = len(page.encode("utf-8")) / 1000
        body = len(analysis.article.text)
        sizes.append({"kb": round(page_kb, 1), "body_chars": body, "attributions": len(analysis.attributions),
                      "seconds": round(seconds, 3), "seconds_per_kb": round(seconds / page_kb, 5),
                      "seconds_per_body_kchar": round(seconds / (body / 1000), 5), "warnings": len(analysis.warnings)})
    result = {"text_dir": str(text_dir), "repeats": repeats, "budget_s": options.analysis_budget, "sizes": sizes,
              "per_kb_ratio": _spread(size["seconds_per_kb"] for size in sizes),
              "per_body_kchar_ratio": _spread(size["seconds_per_body_kchar"] for size in sizes),
              "target_ratio": SCALING_TARGET}
    if huge:
        page = joined_page(texts, HUGE_PAGE_BYTES)
        result["huge"] = [_in_child(page.encode("utf-8"), "text", options),
                          _in_child(as_html_page(joined_page(texts, HUGE_PAGE_BYTES * 19 // 20)).encode("utf-8"),
                                    "html", options)]
    return result


def _spread(rates) -> float:
    rates = list(rates)
    return round(max(rates) / min(rates), 2)


def _in_child(page: bytes, kind: str, options: Options) -> dict:
    """One analysis in a fresh process: its seconds (the model loaded beforehand), peak RSS and outcome."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_analyze_reporting, args=(page, options, queue))
    child.start()
    child.join()
    report = queue.get(timeout=10) if child.exitcode == 0 else \
        {"error": f"the process ended with exit code {child.exitcode} (killed, or out of memory)"}
    return {"kind": kind, "mb": round(len(page) / 1e6, 1), **report}


def _analyze_reporting(page: bytes, options: Options, queue) -> None:
    pipeline = load(options.model, options.attribution, options.tagger_threads)
    pipeline("Warm up. She said so.")
    start = time.perf_counter()
    try:
        analysis = analyze(page, options, pipeline)
        outcome = {"attributions": len(analysis.attributions), "body_chars": len(analysis.article.text),
                   "warnings": analysis.warnings}
    except OnrecordError as error:
        outcome = {"error": f"{type(error).__name__}: {error}"}
    queue.put({"seconds": round(time.perf_counter() - start, 1),
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), **outcome})


def render_scaling(result: dict) -> str:
    lines = [f"pages joined from {result['text_dir']}, median of {result['repeats']} runs each "
             f"(analysis_budget {result['budget_s']:g} s)",
             f"{'page KB':>8} {'body chars':>11} {'attributions':>12} {'seconds':>8} {'s per KB':>9} "
             f"{'s per 1k body chars':>19}"]
    lines += [f"{s['kb']:>8.1f} {s['body_chars']:>11,} {s['attributions']:>12} {s['seconds']:>8.2f} "
              f"{s['seconds_per_kb']:>9.4f} {s['seconds_per_body_kchar']:>19.4f}" for s in result["sizes"]]
    lines.append(f"slowest size over fastest (target <= {result['target_ratio']:g}x): "
                 f"{result['per_kb_ratio']:.2f}x per KB of page, {result['per_body_kchar_ratio']:.2f}x per body "
                 "character (the cleaner keeps a smaller share of a longer page)")
    for huge in result.get("huge", []):
        if "seconds" not in huge:
            lines.append(f"{huge['mb']} MB {huge['kind']} page: {huge['error']}")
            continue
        outcome = huge.get("error") or (f"{huge['attributions']} attributions, {huge['body_chars']:,} body chars"
                                        + (f"; {'; '.join(huge['warnings'])}" if huge["warnings"] else ""))
        lines.append(f"{huge['mb']} MB {huge['kind']} page: {huge['seconds']:.1f} s, peak {huge['peak_rss_mb']} MB "
                     f"(fresh process); {outcome}")
    return "\n".join(lines)
