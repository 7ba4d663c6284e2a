"""Robustness sweep: the real HTML pages of five public sets through `analyze` page by page (in this
process) and through `analyze_batch` on worker processes, counting what becomes an analysis, a typed error,
an internal error (a bug), or no record at all (a lost page), with the time each page takes.

A logged benchmark, not a test. `--outcomes` keeps each page's outcome and `--compare` reads an earlier
file back, so that a change can be checked for "no page analysed before is an error now".
"""
from __future__ import annotations

import json
import math
import statistics
import time
from pathlib import Path

import click

from . import DATA_DIR_OPTION, emit_report
from .extraction import default_data_dir

SETS = {"zyte": "article-extraction-benchmark/html/*.html.gz", "naeb": "naeb/html/*.html.gz",
        "wcxb-test": "wcxb/test/html/*.html.gz", "htmldate": "htmldate-eval/html/*.gz",
        "trafilatura": "trafilatura-eval/html/*.gz"}
MODES = ("analyze", "batch")
SLOWEST = 10


def sweep_pages(data_dir: Path, limit: int | None = None) -> dict[str, list[Path]]:
    """Each set's pages, sorted (the first `limit` of each); a set whose folder is absent has none."""
    return {name: sorted(data_dir.glob(pattern))[:limit] for name, pattern in SETS.items()}


def run_sweep(data_dir: Path | None = None, limit: int | None = None, workers: int = 2,
              compare: dict | None = None) -> dict:
    """The report: per set and mode the counts, lost pages and time per page; `outcomes` holds each page's
    outcome ("analysed" or the error type) by mode, and `regressions` the pages `compare` had analysed
    that fail now."""
    from ..batch import analyze_batch
    from ..nlp import load
    from ..options import default_options

    root = Path(data_dir or default_data_dir())
    sets = sweep_pages(root, limit)
    if not any(sets.values()):
        raise FileNotFoundError(f"no pages of {', '.join(SETS)} under {root}")
    options = default_options()
    load(options.model, options.attribution, options.tagger_threads)
    report = {"data_dir": str(root), "workers": workers, "limit": limit, "sets": {},
              "missing": [name for name, pages in sets.items() if not pages],
              "outcomes": {mode: {} for mode in MODES}}
    for name, pages in sets.items():
        if not pages:
            continue
        runs = {"analyze": (_analyze_one(path, options) for path in pages),
                "batch": analyze_batch(pages, options, workers=workers)}
        report["sets"][name] = {"pages": len(pages)}
        for mode, records in runs.items():
            summary, outcomes = _summarise(records, pages, root)
            report["sets"][name][mode] = summary
            report["outcomes"][mode].update(outcomes)
    if compare is not None:
        report["regressions"] = regressions(compare, report["outcomes"])
    return report


def _analyze_one(path: Path, options) -> dict:
    """What `onrecord analyze PATH` does with the page, as a batch-style record."""
    from ..analysis import BatchResult, analyze

    start = time.perf_counter()
    try:
        analyze(path, options)
        record = {"source": str(path)}
    except Exception as error:  # the sweep's point: count every failure, the unexpected ones most of all
        failure = BatchResult.failed(str(path), error)
        record = {"source": str(path), "error": failure.error, "error_type": failure.error_type,
                  "internal": failure.internal}
    record["seconds"] = round(time.perf_counter() - start, 3)
    return record


def _summarise(records, pages: list[Path], root: Path) -> tuple[dict, dict[str, str]]:
    """One mode's figures on one set, and each page's outcome keyed by its path under the data folder."""
    from ..batch import Tally

    tally = Tally()
    outcomes = {}
    for record in records:
        tally.add(record)
        outcomes[_key(record["source"], root)] = record.get("error_type") or "analysed"
    times = sorted(seconds for seconds, _ in tally.times)
    summary = {"pages": len(pages), "analysed": tally.analysed, "typed_errors": dict(tally.typed_errors),
               "internal_errors": dict(tally.internal_errors),
               "lost": sorted(_key(str(p), root) for p in pages if _key(str(p), root) not in outcomes),
               "seconds": {"median": statistics.median(times) if times else None,
                           "p95": times[math.ceil(0.95 * len(times)) - 1] if times else None,
                           "max": times[-1] if times else None, "total": round(sum(times), 3)},
               "slowest": [[_key(source, root), seconds] for source, seconds in tally.slowest(SLOWEST)]}
    return summary, outcomes


def _key(source: str, root: Path) -> str:
    path = Path(source)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else source


def regressions(before: dict, now: dict) -> list[dict]:
    """Pages an earlier run analysed (by mode) that are an error now."""
    return [{"page": page, "mode": mode, "now": outcome}
            for mode in MODES for page, outcome in sorted(now.get(mode, {}).items())
            if outcome != "analysed" and before.get(mode, {}).get(page) == "analysed"]


def print_report(report: dict) -> None:
    """A row per set and mode, then the errors by kind, the lost pages and the slowest pages."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"robustness: {report['data_dir']}, batch on {report['workers']} workers"
                        + (f", first {report['limit']} pages of each set" if report["limit"] else ""))
    for column in ("set", "mode", "pages", "analysed", "typed errors", "internal", "lost",
                   "median s", "p95 s", "max s"):
        table.add_column(column, justify="left" if column in ("set", "mode") else "right")
    notes = []
    for name, result in report["sets"].items():
        for mode in MODES:
            figures = result[mode]
            seconds = figures["seconds"]
            table.add_row(name, mode, str(figures["pages"]), str(figures["analysed"]),
                          str(sum(figures["typed_errors"].values())), str(sum(figures["internal_errors"].values())),
                          str(len(figures["lost"])), *(_seconds(seconds[k]) for k in ("median", "p95", "max")))
            for label, counts in (("typed", figures["typed_errors"]), ("internal", figures["internal_errors"])):
                if counts:
                    notes.append(f"{name} {mode} {label} errors: "
                                 + ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())))
            if figures["lost"]:
                notes.append(f"{name} {mode} lost: {', '.join(figures['lost'])}")
            notes.append(f"{name} {mode} slowest: "
                         + ", ".join(f"{page} {seconds:.2f} s" for page, seconds in figures["slowest"]))
    console = Console(width=max(Console().width, 130))
    console.print(table)
    if report["missing"]:
        notes.insert(0, f"absent: {', '.join(report['missing'])}")
    if "regressions" in report:
        notes.append(f"{len(report['regressions'])} pages analysed in the earlier run fail now"
                     + "".join(f"\n  {r['mode']} {r['page']}: {r['now']}" for r in report["regressions"]))
    console.print("\n".join(notes), highlight=False, soft_wrap=True)


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


@click.command("robustness")
@DATA_DIR_OPTION
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Run only the first N pages of each set.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Processes for the batch run.")
@click.option("--outcomes", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write each page's outcome by mode (analysed, or the error type) to this JSON file.")
@click.option("--compare", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="An earlier --outcomes file: list the pages it had analysed that fail now.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report (with every outcome) as JSON.")
def robustness_command(data_dir, limit, workers, outcomes, compare, as_json):
    """Run the real pages of Zyte's benchmark, NAEB, WCXB test, htmldate's and trafilatura's evaluation
    sets through analyze page by page and through batch on worker processes: analysed pages, typed and
    internal errors, lost pages, time per page."""
    try:
        earlier = json.loads(compare.read_text(encoding="utf-8")) if compare else None
    except ValueError as error:
        raise click.BadParameter(f"{compare} is not an outcomes file: {error}", param_hint="--compare") from error

    def produce() -> dict:
        report = run_sweep(data_dir, limit, workers, earlier)
        if outcomes:
            outcomes.write_text(json.dumps(report["outcomes"], indent=1, ensure_ascii=False) + "\n",
                                encoding="utf-8")
        return report

    emit_report(produce, as_json, print_report)
