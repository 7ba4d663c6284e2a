"""Throughput benchmark: the whole analysis beside spaCy's own parse of the same texts, in one run.

Both are timed in this process after the same warm-up, so the ratio is fair whatever the machine;
batch mode then runs the analysis on several cores and reports its own rate.
"""
from __future__ import annotations

import resource
import time
from pathlib import Path

from ..analysis import analyze_many
from ..batch import analyze_batch
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
