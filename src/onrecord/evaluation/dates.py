"""Dates benchmark: onrecord's publication date beside htmldate (default settings) on htmldate's own sets.

A page is right when the day found equals the annotated day; a page annotated with no identifiable date
(`NaN` in the Media Cloud set) is right when no date is returned. English pages (by `<html lang>`, else by
the text's function words) are reported separately as well as all pages.
"""
from __future__ import annotations

import gzip
import json
import math
import re
import time
from pathlib import Path

import click

from . import DATA_DIR_OPTION, emit_report
from .extraction import default_data_dir

DATE_SETS = {"default": "eval_default.json", "mediacloud": "eval_mediacloud_2020.json"}
SYSTEMS = ("onrecord", "htmldate")


def load_date_set(name: str, data_dir: Path | None = None, limit: int | None = None) -> list[dict]:
    """[{url, path, date (None when the page has no identifiable date)}] of one htmldate set, in file order."""
    root = Path(data_dir or default_data_dir()) / "htmldate-eval"
    entries = json.loads((root / DATE_SETS[name]).read_text(encoding="utf-8"))
    pages = []
    for url, entry in entries.items():
        date = entry.get("date")
        if isinstance(date, float) and math.isnan(date):
            date = None
        path = root / "html" / f"{entry['file']}.gz"
        if path.exists():
            pages.append({"url": url, "path": path, "date": date})
    return pages[:limit] if limit else pages


def run_onrecord(html: str, url: str) -> str | None:
    from ..dates import published_from_html
    published, _ = published_from_html(html, url)
    return published.date


def run_htmldate(html: str, url: str) -> str | None:
    import htmldate
    try:
        return htmldate.find_date(html, url=url)
    except Exception:  # htmldate raises on some malformed markup; no date then
        return None


RUNNERS = {"onrecord": run_onrecord, "htmldate": run_htmldate}


def page_language(html: str) -> str:
    """'en' when the page declares English or reads as English, else its language code."""
    declared = re.search(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", html[:5000], re.I)
    if declared:
        return declared.group(1).lower()
    from lxml import html as lxml_html
    from ..cleaning import detect_language
    try:
        root = lxml_html.fromstring(html)
        for bad in root.xpath("//script|//style"):
            bad.drop_tree()
        text = root.text_content()
    except (ValueError, lxml_html.etree.ParserError):
        text = ""
    return detect_language(text) if text.strip() else "und"


def evaluate_dates(dataset: str = "htmldate", limit: int | None = None, data_dir: Path | None = None,
                   systems: list[str] | None = None) -> dict:
    """Accuracy of each system on each htmldate set ('htmldate' = both), all pages and English pages.

    Returns {sets: {name: {pages, english_pages, systems: {system: {all: {...}, en: {...}, seconds}}}}}.
    """
    from ..reading import decode
    names = list(DATE_SETS) if dataset == "htmldate" else [dataset]
    if any(n not in DATE_SETS for n in names):
        raise click.BadParameter(f"unknown date set {dataset!r}: htmldate, default or mediacloud")
    systems = list(systems or SYSTEMS)
    report = {"dataset": dataset, "sets": {}}
    for name in names:
        pages = load_date_set(name, data_dir, limit)
        if not pages:
            raise FileNotFoundError(f"no pages for the htmldate {name} set under {data_dir or default_data_dir()}")
        htmls = [decode(gzip.open(p["path"]).read())[0] for p in pages]
        english = [page_language(h).startswith("en") for h in htmls]
        result = {"pages": len(pages), "english_pages": sum(english), "systems": {}}
        for system in systems:
            run = RUNNERS[system]
            found, elapsed = [], 0.0
            for page, html in zip(pages, htmls):
                start = time.perf_counter()
                found.append(run(html, page["url"]))
                elapsed += time.perf_counter() - start
            outcome = [_outcome(page["date"], day) for page, day in zip(pages, found)]
            result["systems"][system] = {
                "all": _summary(outcome),
                "en": _summary([o for o, en in zip(outcome, english) if en]),
                "seconds": elapsed, "pages_per_second": len(pages) / elapsed if elapsed else float("inf"),
                "errors": [{"url": p["url"], "gold": p["date"], "found": d}
                           for p, d, o in zip(pages, found, outcome) if o != "right"]}
        report["sets"][name] = result
    return report


def _outcome(gold: str | None, found: str | None) -> str:
    if gold == found:
        return "right"
    return "missing" if found is None else "wrong"


def _summary(outcomes: list[str]) -> dict:
    n = len(outcomes)
    right = outcomes.count("right")
    return {"pages": n, "right": right, "wrong": outcomes.count("wrong"), "missing": outcomes.count("missing"),
            "accuracy": right / n if n else float("nan")}


@click.command("dates")
@click.option("--dataset", type=click.Choice(["htmldate", "default", "mediacloud"]), default="htmldate",
              show_default=True, help="htmldate: both of htmldate's sets; or one of them.")
@click.option("--limit", type=int, default=None, help="Score only the first N pages of each set.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report (with every miss) as JSON.")
@DATA_DIR_OPTION
def dates_command(dataset, limit, as_json, data_dir):
    """Score onrecord's publication dates beside htmldate's on htmldate's evaluation sets."""
    emit_report(lambda: evaluate_dates(dataset, limit, data_dir), as_json, print_report)


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    table = Table(title="Publication date accuracy (exact day) on htmldate's sets")
    for column in ("set", "pages", "system", "accuracy (all)", "right / wrong / missing",
                   "accuracy (English)", "English pages", "pages/s"):
        table.add_column(column, justify="left" if column in ("set", "system") else "right")
    for name, result in report["sets"].items():
        for system, s in result["systems"].items():
            a, e = s["all"], s["en"]
            table.add_row(name, str(result["pages"]), system, f"{a['accuracy']:.3f}",
                          f"{a['right']} / {a['wrong']} / {a['missing']}", f"{e['accuracy']:.3f}",
                          str(e["pages"]), f"{s['pages_per_second']:.1f}")
    Console(width=max(Console().width, 130)).print(table)


if __name__ == "__main__":  # python -m onrecord.evaluation.dates (until `onrecord eval dates` is wired)
    dates_command()
