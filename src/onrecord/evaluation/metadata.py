"""Metadata benchmark: title, byline and publication date beside trafilatura's metadata, where a benchmark
annotates them (WCXB: title, author, publish_date; NAEB: title, authors, date).

Each field is scored over the pages whose annotation has it: `exact` when the normalised values are equal
(case, spacing and outer punctuation ignored; a byline as the set of its names, in any order; a date as its
day), `token_f1` the mean word-overlap F1 (0 for a page with nothing found). A page annotated without the
field is not scored for it; `spurious` counts those where the system still returned a value (a byline on a
page the annotators say has none is usually a site name or a job title). onrecord's values are those its
HTML cleaner puts on the `Article`; a page it rejects (no article) counts as nothing found.
"""
from __future__ import annotations

import re
from pathlib import Path

import click

from . import DATA_DIR_OPTION, emit_report
from .extraction import BenchPage, load_dataset, paired_bootstrap

FIELDS = ("title", "byline", "date")
SYSTEMS = ("onrecord", "trafilatura")
NAME_SEPARATORS = re.compile(r"\s*(?:[,;&|/]|\band\b)\s*", re.I)


def load_metadata_set(dataset: str, split: str | None = None, data_dir: Path | None = None,
                      limit: int | None = None) -> list[BenchPage]:
    """Pages of WCXB (dev or test) or NAEB whose `truth` is {title, byline, date} (None where not annotated)."""
    if dataset not in GOLD:
        raise click.BadParameter(f"unknown dataset {dataset!r}: wcxb or naeb")
    return load_dataset(dataset, split, data_dir, limit, truth=GOLD[dataset])


def _gold(title, byline, date) -> dict:
    return {"title": title or None, "byline": byline or None, "date": date or None}


GOLD = {"wcxb": lambda record: _gold(record.get("title"), record.get("author"), record.get("publish_date")),
        "naeb": lambda record: _gold(record.get("title"), record.get("authors"), record.get("date"))}


def run_onrecord(page: BenchPage) -> dict:
    from ..cleaning import clean_html
    from ..errors import NoArticle
    try:
        article = clean_html(page.html, None, url=page.url)
    except NoArticle:
        return {"title": None, "byline": None, "date": None}
    return {"title": article.title, "byline": article.byline, "date": article.published.date}


def run_trafilatura(page: BenchPage) -> dict:
    import trafilatura
    document = trafilatura.extract_metadata(page.html, default_url=page.url)
    if document is None:
        return {"title": None, "byline": None, "date": None}
    return {"title": document.title, "byline": document.author, "date": document.date}


RUNNERS = {"onrecord": run_onrecord, "trafilatura": run_trafilatura}


def normalise(field: str, value: str | None):
    """The comparable form of a value: a date's day, a byline's set of names, a title's words."""
    if not value or not str(value).strip():
        return None
    value = str(value)
    if field == "date":
        day = re.match(r"\d{4}-\d{2}-\d{2}", value.strip())
        return day.group(0) if day else value.strip()
    if field == "byline":
        value = re.sub(r"^\s*by\s+", "", value, flags=re.I)
        names = frozenset(_words(name) for name in NAME_SEPARATORS.split(value) if _words(name))
        return names or None
    return _words(value) or None


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def field_scores(field: str, gold: str | None, found: str | None) -> tuple[float, float]:
    """(exact, token F1) of one value against its annotation."""
    gold_form, found_form = normalise(field, gold), normalise(field, found)
    if gold_form is None or found_form is None:
        return float(gold_form == found_form), float(gold_form == found_form)
    exact = float(gold_form == found_form)
    gold_words = _bag(field, gold_form)
    found_words = _bag(field, found_form)
    overlap = sum((gold_words & found_words).values())
    if not overlap:
        return exact, 0.0
    precision, recall = overlap / sum(found_words.values()), overlap / sum(gold_words.values())
    return exact, 2 * precision * recall / (precision + recall)


def _bag(field: str, form):
    from collections import Counter
    if field == "byline":
        return Counter(word for name in form for word in name.split())
    return Counter(form.split() if field == "title" else [form])


def evaluate_metadata(dataset: str, split: str | None = None, limit: int | None = None,
                      data_dir: Path | None = None, systems: list[str] | None = None) -> dict:
    """Per field and system: exact accuracy, mean token F1 and spurious values; onrecord's exact accuracy
    against each other system's by paired bootstrap over the field's pages.

    Returns {dataset, split, pages, fields: {field: {pages, unannotated, systems: {system: {...}}}}}.
    """
    import numpy as np
    systems = list(systems or SYSTEMS)
    unknown = [s for s in systems if s not in RUNNERS]
    if unknown:
        raise click.BadParameter(f"unknown systems {', '.join(unknown)}: choose from {', '.join(RUNNERS)}")
    pages = load_metadata_set(dataset, split, data_dir, limit)
    found = {system: [RUNNERS[system](page) for page in pages] for system in systems}
    report = {"dataset": dataset, "split": split if dataset == "wcxb" else None, "pages": len(pages), "fields": {}}
    for field in FIELDS:
        annotated, unannotated = [], []
        for i, page in enumerate(pages):
            (annotated if normalise(field, page.truth[field]) is not None else unannotated).append(i)
        result = {"pages": len(annotated), "unannotated": len(unannotated), "systems": {}}
        per_page = {}
        for system in systems:
            rows = np.array([field_scores(field, pages[i].truth[field], found[system][i][field]) for i in annotated],
                            dtype=float).reshape(-1, 2)
            per_page[system] = rows
            result["systems"][system] = {
                "exact": float(rows[:, 0].mean()) if len(rows) else float("nan"),
                "token_f1": float(rows[:, 1].mean()) if len(rows) else float("nan"),
                "spurious": sum(1 for i in unannotated if normalise(field, found[system][i][field]) is not None),
                "misses": [{"id": pages[i].id, "gold": pages[i].truth[field], "found": found[system][i][field]}
                           for i, row in zip(annotated, rows) if not row[0]]}
        if "onrecord" in per_page and len(annotated):
            for system in systems:
                if system != "onrecord":
                    result["systems"][system]["onrecord_minus_system"] = paired_bootstrap(
                        _exact_share, per_page["onrecord"], per_page[system], key="exact")
        report["fields"][field] = result
    return report


def _exact_share(rows):
    return {"exact": rows.mean(axis=-2)[..., 0]}


@click.command("metadata")
@click.option("--dataset", type=click.Choice(["wcxb", "naeb"]), default="wcxb", show_default=True,
              help="Benchmark whose annotation holds title, author and date (wcxb test and naeb are held out).")
@click.option("--split", default=None, help="WCXB split: dev (default) or test.")
@click.option("--limit", type=int, default=None, help="Score only the first N pages.")
@click.option("--systems", default=None, help="Comma-separated systems (default: onrecord,trafilatura).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report (with every miss) as JSON.")
@DATA_DIR_OPTION
def metadata_command(dataset, split, limit, systems, as_json, data_dir):
    """Score onrecord's title, byline and publication date beside trafilatura's metadata."""
    chosen = [s.strip() for s in systems.split(",") if s.strip()] if systems else None
    emit_report(lambda: evaluate_metadata(dataset, split, limit, data_dir, chosen), as_json, print_report)


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    name = report["dataset"] + (f" {report['split']}" if report.get("split") else "")
    table = Table(title=f"Metadata on {name} ({report['pages']} pages)")
    for column in ("field", "annotated pages", "system", "exact", "token F1", "spurious",
                   "onrecord - system exact [95% CI]", "p"):
        table.add_column(column, justify="left" if column in ("field", "system") else "right")
    for field, result in report["fields"].items():
        for system, s in result["systems"].items():
            diff = s.get("onrecord_minus_system")
            table.add_row(field, str(result["pages"]), system, f"{s['exact']:.3f}", f"{s['token_f1']:.3f}",
                          f"{s['spurious']} / {result['unannotated']}",
                          f"{diff['difference']:+.3f} [{diff['ci95'][0]:+.3f}, {diff['ci95'][1]:+.3f}]" if diff else "",
                          f"{diff['p_value']:.3f}" if diff else "")
    Console(width=max(Console().width, 130)).print(table)
