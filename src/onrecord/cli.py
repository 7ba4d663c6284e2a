"""The `onrecord` command: a thin layer over the library. Each command reads input, builds Options,
calls one public function and prints; library errors become one line on stderr and a distinct exit code.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import OnrecordError
from .options import Options

FORMATS = ("text", "json", "html")


def _options(config, **overrides) -> Options:
    return Options.load(config, **overrides)


def _fail(error: OnrecordError):
    click.echo(f"onrecord: error: {error}", err=True)
    sys.exit(error.exit_code)


class _Guarded(click.Group):
    """Every command's errors in one place: library errors become one line and their exit code, and an
    unexpected exception one line too (set ONRECORD_DEBUG=1 for the traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except OnrecordError as error:
            _fail(error)
        except Exception as error:  # a bug: say so in one line instead of a traceback
            if os.environ.get("ONRECORD_DEBUG"):
                raise
            click.echo(f"onrecord: internal error: {type(error).__name__}: {error} "
                       "(set ONRECORD_DEBUG=1 for details)", err=True)
            sys.exit(1)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="onrecord")
def main():
    """Put every claim in a news page on the record: who said it, on whose word, how firmly,
    and who has since confirmed or denied it."""


@main.command()
@click.argument("source")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: a readable report; json: the versioned analysis JSON; html: the article highlighted.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("--max-bytes", type=int, help="Refuse pages larger than this many bytes.")
@click.option("--fetch-timeout", type=float, help="Seconds to wait for a URL.")
@click.option("--allow-private", is_flag=True, default=None, help="Allow URLs on private or loopback addresses.")
@click.option("--attribution", type=click.Choice(["rules", "combined", "learned"]), default=None,
              help="rules (default): the lexicon and parse rules; combined: the learned PolNeAR tagger's spans "
                   "merged into them (slower, higher recall); learned: the tagger alone.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="A TOML file overriding defaults.")
def analyze(source, output_format, output, max_bytes, fetch_timeout, allow_private, attribution, config):
    """Analyse one page: SOURCE is an HTML or text file, an http(s) URL, or - for standard input."""
    from .analysis import analyze as analyze_page
    from .render import to_html, to_json, to_text

    options = _options(config, max_bytes=max_bytes, fetch_timeout=fetch_timeout, allow_private=allow_private,
                       attribution=attribution)
    analysis = analyze_page(source, options)
    for warning in analysis.warnings:
        click.echo(f"onrecord: warning: {warning}", err=True)
    rendered = {"json": to_json, "html": to_html, "text": to_text}[output_format](analysis)
    if output:
        Path(output).write_text(rendered if rendered.endswith("\n") else rendered + "\n", encoding="utf-8")
    else:
        click.echo(rendered.rstrip("\n"))


@main.command()
@click.argument("source", type=click.Path(exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="JSONL file to write (default: stdout).")
@click.option("--workers", type=int, default=None, help="Processes to use (default: all cores, at most 8).")
@click.option("--max-bytes", type=int, help="Refuse pages larger than this many bytes.")
@click.option("--attribution", type=click.Choice(["rules", "combined", "learned"]), default=None,
              help="As for analyze: rules (default), combined or learned.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="A TOML file overriding defaults.")
def batch(source, output, workers, max_bytes, attribution, config):
    """Analyse every page in a directory (or every record of a JSONL file with "html" or "text"
    fields), writing one JSON line per page; a page that fails is recorded with its error."""
    from rich.progress import Progress

    from .batch import analyze_batch, default_workers, find_pages, jsonl_pages

    options = _options(config, max_bytes=max_bytes, attribution=attribution)
    path = Path(source)
    inputs = find_pages(path) if path.is_dir() else list(jsonl_pages(path))
    handle = open(output, "w", encoding="utf-8") if output else sys.stdout
    done = failed = 0
    try:
        with Progress(console=None, transient=True, disable=not output) as progress:
            task = progress.add_task("analysing", total=len(inputs))
            for record in analyze_batch(inputs, options, workers=workers or default_workers()):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                done += 1
                failed += "error" in record
                progress.advance(task)
    finally:
        if output:
            handle.close()
    click.echo(f"onrecord: {done} pages, {done - failed} analysed, {failed} failed", err=True)


@main.command()
@click.argument("text_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--limit", type=int, help="Use only the first N texts.")
@click.option("--workers", type=int, default=2, show_default=True, help="Processes for the batch-mode run.")
@click.option("--attribution", type=click.Choice(["rules", "combined", "learned"]), default=None,
              help="Attribution finder to time (default: the configured one, normally rules).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench(text_dir, limit, workers, attribution, as_json):
    """Measure articles per second and peak memory of the analysis beside spaCy's own parse of the
    same texts (TEXT_DIR holds .txt files, e.g. ../shared/data/polnear/data/dev/text)."""
    from .evaluation.bench import render_benchmark, run_benchmark

    try:
        result = run_benchmark(text_dir, limit=limit, workers=workers,
                               options=_options(None, attribution=attribution) if attribution else None)
    except (OnrecordError, FileNotFoundError) as error:
        click.echo(f"onrecord: error: {error}", err=True)
        sys.exit(getattr(error, "exit_code", 1))
    click.echo(json.dumps(result, indent=1) if as_json else render_benchmark(result))


@main.command()
def schema():
    """Print the JSON Schema of the analysis (generated from the dataclasses)."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(), indent=1))


@main.group("eval")
def evaluate():
    """Score onrecord against the public datasets in ../shared/data."""


@evaluate.command("examples")
@click.argument("directory", type=click.Path(exists=True, file_okay=False), default="examples/pages")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--problems", is_flag=True, help="List every missed or wrong attribution and claim.")
@click.option("--attribution", type=click.Choice(["rules", "combined", "learned"]), default="rules",
              show_default=True, help="Attribution finder to score.")
def evaluate_examples_command(directory, as_json, problems, attribution):
    """Score pages against hand-written gold files (NAME.expected.json beside each page, as in
    examples/pages): attributions found, speaker, stance and direct flag right, claim statuses."""
    from .evaluation.gold import evaluate_examples, render_examples
    from .nlp import load

    try:
        result = evaluate_examples(directory, nlp=load(attribution=attribution))
    except FileNotFoundError as error:
        click.echo(f"onrecord: error: {error}", err=True)
        sys.exit(1)
    click.echo(json.dumps(result, indent=1) if as_json else render_examples(result))
    if problems and not as_json:
        click.echo("\n".join(result["problems"]))


def _add_eval_commands():
    """Evaluation commands live beside their scorers; a missing one must not break the rest of the CLI."""
    import importlib

    for module, attribute, name in (("polnear", "polnear_command", "polnear"),
                                     ("extraction", "extraction_command", "extraction"),
                                     ("dates", "dates_command", "dates"),
                                     ("metadata", "metadata_command", "metadata")):
        try:
            command = getattr(importlib.import_module(f"onrecord.evaluation.{module}"), attribute)
        except (ImportError, AttributeError):
            continue
        evaluate.add_command(command, name)


_add_eval_commands()
