"""Extraction benchmark: onrecord's cleaner beside trafilatura and readability-lxml on the same pages, same run.

Metrics are each benchmark's own:

- zyte, naeb: the Zyte article-extraction-benchmark metric. Tokens are `\\w+` matches; per page the 4-token
  shingles of truth and prediction give TP (sum of min counts), FP and FN (the excesses), each normalised by
  TP+FP+FN; precision and recall are means over pages (pages with TP+FP = 0, resp. TP+FN = 0, left out); F1 is
  2PR/(P+R) of those means; accuracy is the share of pages whose token lists are identical.
- wcxb: WCXB's word-level bag-of-words F1 (lower-cased `\\w+`), averaged over pages.
- trafilatura: trafilatura's own with/without segments: a "with" snippet found is a TP (else FN), a "without"
  snippet found is a FP (else TN); precision, recall and F1 over all segments.

Timing: each system makes one untimed call first, then times `passes` passes over the pages and reports
its fastest (as `onrecord bench` does): the first pass also pays lazy one-time costs, such as dateparser
compiling each language's patterns the first time htmldate's extensive search meets it. Within a pass the
systems take turns page by page, so a slow spell of a shared machine slows all of them alike (timed one
system after another, 0.2.7's held-out run put onrecord at 2.2x trafilatura's time on Zyte where the runs
before it had 1.3-1.4x). Scores come from the first pass; a system whose later pass gives other output is
an error.

The paired bootstrap resamples pages (same indices for both systems) and recomputes the headline F1 of each,
so the interval is on the difference of the numbers the table prints.
"""
from __future__ import annotations

import gzip
import html as html_lib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import click

from . import DATA_DIR_OPTION, emit_report

DATASETS = ("zyte", "wcxb", "naeb", "trafilatura")
HTML_SYSTEMS = ("onrecord", "trafilatura", "readability")
TEXT_SYSTEMS = ("onrecord", "all-lines", "justext")
TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE_N = 4
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20240529


# ---------------------------------------------------------------- metrics

def tokenize(text: str | None) -> list[str]:
    """The benchmark's tokens: `\\w+` matches, case kept."""
    return TOKEN.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE_N) -> Counter:
    """Counts of n-token shingles; a text shorter than n tokens is one shingle of all its tokens (as upstream)."""
    tokens = tokenize(text)
    grams = (" ".join(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def shingle_counts(truth: str, prediction: str, n: int = SHINGLE_N) -> tuple[float, float, float]:
    """(TP, FP, FN) over n-token shingles, normalised by TP+FP+FN so long pages weigh no more than short ones."""
    true, pred = shingles(truth, n), shingles(prediction, n)
    tp = fp = fn = 0
    for key in true.keys() | pred.keys():
        t, p = true.get(key, 0), pred.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def zyte_page(truth: str, prediction: str) -> list[float]:
    """Per-page components [precision or nan, recall or nan, exact token match]."""
    import numpy as np
    tp, fp, fn = shingle_counts(truth, prediction)
    precision = tp / (tp + fp) if tp + fp > 0 else np.nan
    recall = tp / (tp + fn) if tp + fn > 0 else np.nan
    return [precision, recall, float(tokenize(truth) == tokenize(prediction))]


def zyte_aggregate(components: np.ndarray) -> dict:
    """Means over pages (nan left out), F1 of the means; works on (pages, 3) or (resamples, pages, 3)."""
    import numpy as np
    with np.errstate(invalid="ignore"), _quiet_nanmean():
        precision = np.nanmean(components[..., 0], axis=-1)
        recall = np.nanmean(components[..., 1], axis=-1)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
    return {"f1": f1, "precision": precision, "recall": recall, "accuracy": components[..., 2].mean(axis=-1)}


def word_f1(prediction: str, reference: str) -> tuple[float, float, float]:
    """WCXB's bag-of-words (F1, precision, recall) on lower-cased `\\w+` tokens."""
    pred = Counter(TOKEN.findall((prediction or "").lower()))
    ref = Counter(TOKEN.findall((reference or "").lower()))
    if not ref:
        return (1.0, 1.0, 1.0) if not pred else (0.0, 0.0, 0.0)
    if not pred:
        return 0.0, 0.0, 0.0
    overlap = sum((pred & ref).values())
    precision, recall = overlap / sum(pred.values()), overlap / sum(ref.values())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return f1, precision, recall


def wcxb_page(truth: str, prediction: str) -> list[float]:
    return list(word_f1(prediction, truth))


def wcxb_aggregate(components: np.ndarray) -> dict:
    import numpy as np
    means = components.mean(axis=-2)
    return {"f1": means[..., 0], "precision": means[..., 1], "recall": means[..., 2]}


def segments_page(truth: dict, prediction: str) -> list[float]:
    """trafilatura's evaluation: counts [TP, FN, FP, TN] of its with/without snippets in the prediction."""
    text = " ".join((prediction or "").split())
    found = lambda snippet: " ".join(snippet.split()) in text  # noqa: E731
    with_ = truth.get("with") or []
    without = truth.get("without") or []
    tp = sum(1 for s in with_ if found(s))
    fp = sum(1 for s in without if found(s))
    return [tp, len(with_) - tp, fp, len(without) - fp]


def segments_aggregate(components: np.ndarray) -> dict:
    import numpy as np
    tp, fn, fp, tn = (components[..., i].sum(axis=-1) for i in range(4))
    precision = tp / np.maximum(tp + fp, 1e-12)
    recall = tp / np.maximum(tp + fn, 1e-12)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
    return {"f1": f1, "precision": precision, "recall": recall,
            "accuracy": (tp + tn) / np.maximum(tp + fn + fp + tn, 1e-12)}


@dataclass(frozen=True)
class Metric:
    """A benchmark metric: per-page components and how pages combine into the figures of the table."""
    name: str
    page: Callable
    aggregate: Callable


METRICS = {"zyte": Metric("zyte-shingle-4", zyte_page, zyte_aggregate),
           "naeb": Metric("zyte-shingle-4", zyte_page, zyte_aggregate),
           "wcxb": Metric("wcxb-word-f1", wcxb_page, wcxb_aggregate),
           "trafilatura": Metric("trafilatura-segments", segments_page, segments_aggregate)}


class _quiet_nanmean:
    """np.nanmean warns on an all-nan slice (a resample of pages that are all empty); the result is nan."""

    def __enter__(self):
        import warnings
        self._catcher = warnings.catch_warnings()
        self._catcher.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self._catcher.__exit__(*exc)


def score(metric: Metric, truths: list, predictions: list[str]) -> dict:
    """The metric's figures for one system over the pages (floats)."""
    import numpy as np
    components = np.array([metric.page(t, p) for t, p in zip(truths, predictions)], dtype=float)
    return {k: float(v) for k, v in metric.aggregate(components).items()}


def paired_bootstrap(aggregate: Callable, ours: np.ndarray, theirs: np.ndarray,
                     resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED, key: str = "f1") -> dict:
    """Paired bootstrap of aggregate(ours)[key] - aggregate(theirs)[key] over resampled pages.

    Returns the observed difference, the 95% percentile interval and a two-sided p-value (twice the smaller
    share of resampled differences on either side of zero, at most 1).
    """
    import numpy as np
    n = len(ours)
    rng = np.random.default_rng(seed)
    index = rng.integers(0, n, size=(resamples, n))
    observed = float(aggregate(ours)[key] - aggregate(theirs)[key])
    diffs = aggregate(ours[index])[key] - aggregate(theirs[index])[key]
    diffs = diffs[~np.isnan(diffs)]
    low, high = np.percentile(diffs, [2.5, 97.5]) if len(diffs) else (np.nan, np.nan)
    p = min(1.0, 2 * min(float(np.mean(diffs <= 0)), float(np.mean(diffs >= 0)))) if len(diffs) else 1.0
    return {"difference": observed, "ci95": [float(low), float(high)], "p_value": p, "resamples": resamples,
            "seed": seed}


# ---------------------------------------------------------------- datasets

@dataclass
class BenchPage:
    """One benchmark page: its raw HTML file, URL and ground truth (a string, or with/without snippets)."""
    id: str
    path: Path
    url: str | None
    truth: object
    language: str | None = None
    _html: str | None = field(default=None, repr=False)

    @property
    def html(self) -> str:
        if self._html is None:
            from ..reading import decode
            self._html = decode(gzip.open(self.path).read())[0]
        return self._html


def default_data_dir() -> Path:
    """$ONRECORD_DATA, else ../shared/data relative to the working directory."""
    return Path(os.environ.get("ONRECORD_DATA") or Path.cwd().parent / "shared" / "data")


def load_dataset(dataset: str, split: str | None = None, data_dir: Path | None = None,
                 limit: int | None = None, truth: Callable[[dict], object] | None = None) -> list[BenchPage]:
    """Pages of a benchmark, sorted by id; `split` is WCXB's dev or test (default dev). `truth` picks what a
    WCXB or NAEB page is scored against from its annotation record (default: the article text)."""
    data_dir = Path(data_dir or default_data_dir())
    if dataset == "zyte":
        root = data_dir / "article-extraction-benchmark"
        records = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
        pages = [BenchPage(k, root / "html" / f"{k}.html.gz", v.get("url"), v["articleBody"])
                 for k, v in sorted(records.items())]
    elif dataset == "wcxb":
        split = split or "dev"
        if split not in ("dev", "test"):
            raise click.BadParameter(f"WCXB splits are dev and test, not {split}")
        root = data_dir / "wcxb" / split
        pages = []
        for gt in sorted((root / "ground-truth").glob("*.json")):
            data = json.loads(gt.read_text(encoding="utf-8"))  # this copy holds article pages only (PRUNED.md)
            record = data["ground_truth"]
            pages.append(BenchPage(gt.stem, root / "html" / f"{gt.stem}.html.gz", data.get("url"),
                                   truth(record) if truth else record.get("main_content") or ""))
    elif dataset == "naeb":
        root = data_dir / "naeb"
        records = json.loads((root / "articles.json").read_text(encoding="utf-8"))
        pages = [BenchPage(k, root / "html" / f"{k}.html.gz", v.get("url"), truth(v) if truth else v["articleBody"])
                 for k, v in sorted(records.items()) if (root / "html" / f"{k}.html.gz").exists()]
    elif dataset == "trafilatura":
        root = data_dir / "trafilatura-eval"
        records = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
        pages = []
        for url, v in sorted(records.items()):
            path = root / "html" / f"{v['file']}.gz"
            if path.exists():
                pages.append(BenchPage(v["file"], path, url, {"with": v.get("with", []),
                                                               "without": v.get("without", [])},
                                       language=_snippet_language(v.get("with", []))))
    else:
        raise click.BadParameter(f"unknown dataset {dataset!r}: one of {', '.join(DATASETS)}")
    if not pages:
        raise FileNotFoundError(f"no pages for {dataset} under {data_dir}")
    return pages[:limit] if limit else pages


def _snippet_language(snippets: list[str]) -> str:
    from ..cleaning import detect_language
    return detect_language(" ".join(snippets)) if snippets else "und"


# ---------------------------------------------------------------- systems

def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, a line per block (for readability's output)."""
    from lxml import html as lxml_html
    if not markup or not markup.strip():
        return ""
    root = lxml_html.fromstring(markup)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    lines = (re.sub(r"\s+", " ", line).strip() for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


_BLOCKS = set("p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th section article header footer nav aside "
              "blockquote figure figcaption pre table dt dd main".split())


def run_onrecord_html(page: BenchPage) -> str:
    from ..cleaning import clean_html
    from ..errors import NoArticle
    try:
        return clean_html(page.html, None, url=page.url).text
    except NoArticle:
        return ""


def run_trafilatura(page: BenchPage) -> str:
    import trafilatura
    return trafilatura.extract(page.html, url=page.url) or ""


def run_readability(page: BenchPage) -> str:
    from readability import Document
    try:
        return html_to_text(Document(page.html).summary(html_partial=True))
    except Exception:  # readability raises on empty or unparsable documents
        return ""


def run_onrecord_text(text: str) -> str:
    from ..cleaning import clean_text
    from ..errors import NoArticle
    try:
        return clean_text(text).text
    except NoArticle:
        return ""


def run_all_lines(text: str) -> str:
    return text


def run_justext(text: str) -> str:
    """jusText's stopword-density classifier (with its context revision) on the scrape's lines."""
    import justext
    from ..cleaning import detect_language
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    markup = "<html><body>" + "".join(f"<p>{html_lib.escape(line)}</p>" for line in lines) + "</body></html>"
    stoplist = _stoplist(detect_language(text))
    paragraphs = justext.justext(markup.encode("utf-8"), stoplist, encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


JUSTEXT_LANGUAGES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
                     "pl": "Polish", "nl": "Dutch", "pt": "Portuguese", "ru": "Russian", "sv": "Swedish"}


def _stoplist(language: str):
    import justext
    return justext.get_stoplist(JUSTEXT_LANGUAGES.get(language, "English"))


HTML_RUNNERS = {"onrecord": run_onrecord_html, "trafilatura": run_trafilatura, "readability": run_readability}
TEXT_RUNNERS = {"onrecord": run_onrecord_text, "all-lines": run_all_lines, "justext": run_justext}


def render_pages(pages: list[BenchPage], render_script: Path | None = None) -> list[str]:
    """Each page rendered to visible text by ../shared/bench/render_text.py (run as is, into a temp dir)."""
    script = Path(render_script or default_data_dir().parent / "bench" / "render_text.py")
    if not script.exists():
        raise FileNotFoundError(f"render script not found: {script}")
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "src"), Path(tmp, "out")
        src.mkdir()
        for i, page in enumerate(pages):
            (src / f"p{i:06d}.html.gz").symlink_to(page.path.resolve())
        subprocess.run([sys.executable, str(script), str(src), str(out)], check=True)
        return [(out / f"p{i:06d}.txt").read_text(encoding="utf-8") for i in range(len(pages))]


# ---------------------------------------------------------------- the run

def evaluate_extraction(dataset: str, split: str | None = None, systems: list[str] | None = None,
                        limit: int | None = None, data_dir: Path | None = None, mode: str = "html",
                        resamples: int = BOOTSTRAP_RESAMPLES, passes: int = 1) -> dict:
    """Scores onrecord and the baselines on the same pages in one run.

    Returns {dataset, split, mode, metric, pages, systems: {name: {f1, precision, recall, [accuracy],
    pages_per_second, seconds, errors}}, bootstrap: {baseline: {difference, ci95, p_value}}, and for the
    trafilatura set also by_language: {"en": {...}, "all": {...}}}. Timings: the fastest of `passes`, the
    systems taking turns page by page.
    """
    if passes < 1:
        raise click.BadParameter(f"passes must be at least 1, not {passes}")
    import numpy as np
    if dataset == "wcxb":
        split = split or "dev"
    pages = load_dataset(dataset, split, data_dir, limit)
    metric = METRICS[dataset]
    runners = HTML_RUNNERS if mode == "html" else TEXT_RUNNERS
    systems = list(systems or runners)
    unknown = [s for s in systems if s not in runners]
    if unknown:
        raise click.BadParameter(f"unknown system(s) for {mode} mode: {', '.join(unknown)}")
    if mode == "html":
        inputs = pages
        for page in pages:  # decode once, outside the timed calls
            page.html
    else:
        inputs = render_pages(pages)
    truths = [page.truth for page in pages]
    results, components = {}, {}
    for name in systems:
        try:  # one untimed call first, so first-use costs (imports, models) are not charged to the pages
            runners[name](inputs[0])
        except Exception:  # noqa: BLE001 - the timed loop records failures
            pass
    timed = _timed_passes({name: runners[name] for name in systems}, inputs, passes)
    for name, (predictions, errors, elapsed) in timed.items():
        comps = np.array([metric.page(t, p) for t, p in zip(truths, predictions)], dtype=float)
        components[name] = comps
        figures = {k: float(v) for k, v in metric.aggregate(comps).items()}
        figures.update(seconds=elapsed, pages_per_second=len(inputs) / elapsed if elapsed else float("inf"),
                       errors=errors)
        results[name] = figures
    report = {"dataset": dataset, "split": split, "mode": mode, "metric": metric.name, "pages": len(pages),
              "systems": results, "bootstrap": {}}
    if "onrecord" in components:
        for name in systems:
            if name != "onrecord":
                report["bootstrap"][name] = paired_bootstrap(metric.aggregate, components["onrecord"],
                                                             components[name], resamples=resamples)
    if dataset == "trafilatura":
        english = np.array([page.language == "en" for page in pages])
        report["by_language"] = {
            "en": {name: {k: float(v) for k, v in metric.aggregate(c[english]).items()} | {"pages": int(english.sum())}
                   for name, c in components.items()},
            "all": {name: {k: float(v) for k, v in metric.aggregate(c).items()} | {"pages": len(pages)}
                    for name, c in components.items()}}
    return report


def _timed_passes(runs: dict[str, Callable], inputs: list, passes: int) -> dict[str, tuple[list[str], int, float]]:
    """Each system over the pages `passes` times: {name: (predictions, pages that crashed (scored as empty),
    seconds inside the calls in its fastest pass)}. The systems take turns page by page, so a slow spell of
    a shared machine falls on all of them alike and the ratio of their times holds."""
    out: dict[str, tuple[list[str], int, float]] = {}
    for number in range(passes):
        predictions = {name: [] for name in runs}
        errors = dict.fromkeys(runs, 0)
        elapsed = dict.fromkeys(runs, 0.0)
        for item in inputs:
            for name, run in runs.items():
                start = time.perf_counter()
                try:
                    prediction = run(item)
                except Exception:  # a baseline crashing on one page scores that page as empty
                    prediction, errors[name] = "", errors[name] + 1
                elapsed[name] += time.perf_counter() - start
                predictions[name].append(prediction)
        for name in runs:
            if number == 0:
                out[name] = (predictions[name], errors[name], elapsed[name])
            elif predictions[name] != out[name][0]:
                raise RuntimeError(f"{name} gave other output on a second pass: timings would compare different work")
            else:
                out[name] = (out[name][0], out[name][1], min(out[name][2], elapsed[name]))
    return out


def score_stored_output(name: str, data_dir: Path | None = None) -> dict:
    """Scores a stored prediction file of the Zyte benchmark (output/<name>.json) against its ground truth."""
    root = Path(data_dir or default_data_dir()) / "article-extraction-benchmark"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    stored = json.loads((root / "output" / f"{name}.json").read_text(encoding="utf-8"))
    stored = stored.get("output", stored) if "version" in stored else stored
    keys = sorted(truth)
    return score(METRICS["zyte"], [truth[k]["articleBody"] for k in keys],
                 [(stored.get(k) or {}).get("articleBody") or "" for k in keys])


# ---------------------------------------------------------------- CLI

@click.command("extraction")
@click.option("--dataset", type=click.Choice(DATASETS), default="zyte", show_default=True,
              help="Benchmark to score on (zyte, wcxb test and naeb are held out: log each run).")
@click.option("--split", default=None, help="WCXB split: dev (default) or test.")
@click.option("--mode", type=click.Choice(["html", "text"]), default="html", show_default=True,
              help="html: extract from the page; text: clean its naive visible-text rendering.")
@click.option("--limit", type=int, default=None, help="Score only the first N pages.")
@click.option("--systems", default=None, help="Comma-separated systems (default: all for the mode).")
@click.option("--passes", type=click.IntRange(min=1), default=1, show_default=True,
              help="Timed passes per system; pages/s is the fastest (2 leaves out lazy one-time costs).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@DATA_DIR_OPTION
def extraction_command(dataset, split, mode, limit, systems, passes, as_json, data_dir):
    """Score onrecord's article extraction beside trafilatura and readability-lxml on one benchmark."""
    emit_report(lambda: evaluate_extraction(dataset, split, systems.split(",") if systems else None, limit,
                                            data_dir, mode=mode, passes=passes), as_json, print_report)


def _rate(pages_per_second: float) -> str:
    return f"{pages_per_second:.1f}" if pages_per_second < 10_000 else "instant"


def print_report(report: dict) -> None:
    """One table: a row per system, with throughput and the bootstrap against onrecord."""
    from rich.console import Console
    from rich.table import Table
    split = f" {report['split']}" if report.get("split") else ""
    table = Table(title=f"{report['dataset']}{split} ({report['mode']}), {report['pages']} pages, "
                        f"metric {report['metric']}")
    has_accuracy = any("accuracy" in s for s in report["systems"].values())
    for column in ["system", "F1", "precision", "recall"] + (["accuracy"] if has_accuracy else []) + \
                  ["pages/s", "onrecord - system [95% CI]", "p"]:
        table.add_column(column, justify="left" if column == "system" else "right")
    for name, s in report["systems"].items():
        boot = report["bootstrap"].get(name)
        row = [name, f"{s['f1']:.3f}", f"{s['precision']:.3f}", f"{s['recall']:.3f}"]
        if has_accuracy:
            row.append(f"{s.get('accuracy', float('nan')):.3f}")
        row.append(_rate(s["pages_per_second"]))
        row += ([f"{boot['difference']:+.3f} [{boot['ci95'][0]:+.3f}, {boot['ci95'][1]:+.3f}]",
                 f"{boot['p_value']:.3f}"] if boot else ["", ""])
        table.add_row(*row)
    console = Console(width=max(Console().width, 130))
    console.print(table)
    if "by_language" in report:
        en = report["by_language"]["en"]
        console.print("English pages (" + str(next(iter(en.values()))["pages"]) + "): " +
                      ", ".join(f"{n} F1 {v['f1']:.3f}" for n, v in en.items()))


if __name__ == "__main__":  # python -m onrecord.evaluation.extraction (until `onrecord eval extraction` is wired)
    extraction_command()
