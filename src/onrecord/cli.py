"""The `onrecord` command: a thin layer over the library. Each command reads input, builds Options,
calls one public function and prints; library errors become one line on stderr and a distinct exit code.
"""
from __future__ import annotations

import json
import os
import sys
import time
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
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write here instead of stdout; the folder must exist.")
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
    if output:
        _check_folder(output)
    analysis = analyze_page(source, options)
    for warning in analysis.warnings:
        click.echo(f"onrecord: warning: {warning}", err=True)
    rendered = {"json": to_json, "html": to_html, "text": to_text}[output_format](analysis)
    if output:
        with _open_output(output, "w") as handle:
            handle.write(rendered if rendered.endswith("\n") else rendered + "\n")
    else:
        click.echo(rendered.rstrip("\n"))


def _check_folder(output: str) -> None:
    """Fails before any work when the output's folder is missing (it is not created: a mistyped path
    should not leave folders behind)."""
    folder = Path(output).parent
    if not folder.is_dir():
        raise OnrecordError(f"cannot write {output}: there is no folder {folder}")


def _open_output(output: str, mode: str):
    _check_folder(output)
    try:
        return open(output, mode, encoding="utf-8")
    except OSError as error:
        raise OnrecordError(f"cannot write {output}: {error.strerror or error}") from error


@main.command()
@click.argument("source", type=click.Path(exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="JSONL file to write (default: stdout); its folder must exist.")
@click.option("--resume", is_flag=True, help="Append to OUTPUT, skipping the sources it already holds a record for.")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT when it already holds records.")
@click.option("--workers", type=int, default=None, help="Processes to use (default: all cores, at most 8).")
@click.option("--max-bytes", type=int, help="Refuse pages larger than this many bytes (decompressed).")
@click.option("--attribution", type=click.Choice(["rules", "combined", "learned"]), default=None,
              help="As for analyze: rules (default), combined or learned.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="A TOML file overriding defaults.")
def batch(source, output, resume, overwrite, workers, max_bytes, attribution, config):
    """Analyse every page in a directory (.html .htm .xhtml .txt .text, each also .gz), every record of a
    JSONL file (.jsonl or .ndjson, also .gz; lines with "html" or "text"), or one page file. Each page's JSON
    line is written as it finishes: in input order with --workers 1, in the order pages finish with more.
    A page that fails is recorded with its error_type ("internal": true for a bug rather than a refused
    page) and the run goes on; a worker process that dies is replaced and its page recorded as WorkerDied.
    A summary ends on stderr."""
    from rich.progress import Progress

    from .batch import Tally, analyze_batch, batch_inputs, default_workers, recorded_sources

    if resume and overwrite:
        raise click.UsageError("--resume and --overwrite exclude each other")
    options = _options(config, max_bytes=max_bytes, attribution=attribution)
    done: set[str] = set()
    if output:
        _check_folder(output)
        held = Path(output).is_file() and Path(output).stat().st_size > 0
        if held and not (resume or overwrite):
            raise OnrecordError(f"{output} already holds records: pass --resume to add the pages it lacks, "
                                "or --overwrite to replace it")
        done = recorded_sources(output) if held and resume else set()
    found = batch_inputs(source)
    inputs = [i for i in found if (i[0] if isinstance(i, tuple) else str(i)) not in done]
    handle = _open_output(output, "a" if resume else "w") if output else sys.stdout
    tally = Tally()
    try:
        with Progress(console=None, transient=True, disable=not output) as progress:
            task = progress.add_task("analysing", total=len(inputs))
            for record in analyze_batch(inputs, options, workers=workers or default_workers()):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                handle.flush()
                tally.add(record)
                progress.advance(task)
    finally:
        if output:
            handle.close()
        if len(inputs) < len(found):
            click.echo(f"onrecord: {len(found) - len(inputs)} pages already in {output}, skipped", err=True)
        for line in tally.render().splitlines():
            click.echo(f"onrecord: {line}", err=True)


def _sources(_context, _parameter, values):
    """Local paths must exist; file:// and other fsspec URLs (s3://...) are read by the ingest itself."""
    for value in values:
        if "://" not in value and not Path(value).exists():
            raise click.BadParameter(f"Path '{value}' does not exist.")
    return values


DB_OPTION = click.option("--db", default="onrecord.db", show_default=True,
                         help="The store: a SQLite file path, or a database URL (postgresql+psycopg://user@host/db).")


@main.command()
@click.argument("sources", nargs=-1, callback=_sources)
@DB_OPTION
@click.option("--urls", "urls", type=click.Path(exists=True, dir_okay=False),
              help="A file of URLs to fetch and ingest, one a line (# comments allowed).")
@click.option("--workers", type=int, default=None,
              help="Processes analysing pages (default: all cores, at most 8); with --dask local, the local "
                   "cluster's worker processes.")
@click.option("--dask", "dask", metavar="local|ADDRESS",
              help="Analyse on a Dask cluster: 'local' (a LocalCluster of --workers processes) or a scheduler "
                   "address (tcp://host:8786, which needs a PostgreSQL --db). This process stores the results.")
@click.option("--claims/--no-claims", default=True, show_default=True,
              help="Link each page's claims to the claim records across articles as it is stored; --no-claims "
                   "stores pages with their copies and stories only (about a third of the CPU), and "
                   "`onrecord link-claims` links their claims later.")
@click.option("--max-bytes", type=int, help="Refuse pages larger than this many bytes (decompressed).")
@click.option("--allow-private", is_flag=True, default=None, help="Allow URLs on private or loopback addresses.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="A TOML file overriding defaults.")
def ingest(sources, db, urls, workers, dask, claims, max_bytes, allow_private, config):
    """Analyse pages into a corpus store: SOURCES are directories of pages (.gz too), JSONL files (the
    fields batch reads, plus optional published, fetched, outlet) and WARC files (.warc, .warc.gz: their
    HTML responses; also as file:// or other fsspec URLs). Pages already stored are skipped, the same bytes
    at another URL are stored as a copy, new bytes at a known URL as a new version; a page that fails is
    stored as an error row. Each page is committed on its own, so a killed ingest can simply be run again."""
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                               TimeRemainingColumn)
    from rich.text import Text

    from .batch import default_workers
    from .corpus import Corpus, distributed

    class PagesPerSecond(ProgressColumn):
        def render(self, task):
            return Text(f"{task.speed or 0:.1f} pages/s")

    if not sources and not urls:
        raise click.UsageError("give at least one SOURCE or --urls FILE")
    options = _options(config, max_bytes=max_bytes, allow_private=allow_private)
    with Corpus(db) as corpus:
        if dask:
            distributed.check(corpus.engine, dask)  # before the sources are counted
        total = corpus.count(sources, urls, options)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), PagesPerSecond(),
                      TimeRemainingColumn(), console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("stored", total=total)
            on_cluster = progress.add_task("analysed on the cluster", total=total) if dask else None

            def advance(_outcome: str) -> None:
                progress.advance(task)

            summary = corpus.ingest(sources, urls, workers or default_workers(), options, advance, dask=dask,
                                    analysed_on_cluster=(lambda pages: progress.advance(on_cluster, pages))
                                    if dask else None, claims=claims)
        pending = corpus.count_pending_claims()
    for line in summary.render().splitlines():
        click.echo(f"onrecord: {line}", err=True)
    if pending:
        click.echo(f"onrecord: {pending} articles wait for their claims to be linked: run `onrecord link-claims "
                   f"--db {db}`", err=True)


@main.command("link-claims")
@DB_OPTION
@click.option("--workers", type=int, default=None,
              help="Processes embedding the claims while this one links them (default: all cores, at most 8).")
def link_claims(db, workers):
    """Link the claims of the articles stored by `onrecord ingest --no-claims` to the claim records across
    articles, in publication order, each article committed on its own (a killed run is simply run again)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .batch import default_workers
    from .corpus import Corpus

    with Corpus(_existing_store(db)) as corpus:
        total = corpus.count_pending_claims()
        if not total:
            click.echo("onrecord: nothing to do: every stored article's claims are linked", err=True)
            return
        started = time.monotonic()
        with Progress(TextColumn("claims linked"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("linked", total=total)
            done = corpus.link_claims(workers or default_workers(), lambda _article: progress.advance(task))
        records = corpus.count_claims()
    click.echo(f"onrecord: linked the claims of {done.linked} articles in {time.monotonic() - started:.1f} s; the "
               f"store holds {records} claim records", err=True)
    if done.failed:
        click.echo(f"onrecord: {done.failed} articles failed (error rows with source link-claims:ID); they wait for "
                   "the next run", err=True)


def _existing_store(db: str) -> str:
    """Reading commands never create a store: a SQLite path that does not exist is a usage error."""
    if "://" not in db and not Path(db).exists():
        raise click.UsageError(f"no store at {db}: run `onrecord ingest SOURCE --db {db}` first")
    return db


@main.command()
@DB_OPTION
@click.option("--id", "story_id", type=int, help="Show this story and its articles.")
@click.option("--limit", type=int, default=20, show_default=True, help="How many stories to list.")
@click.option("--min-size", type=int, default=1, show_default=True, help="List only stories of this many articles or more.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/story.schema.json) instead of a table.")
def stories(db, story_id, limit, min_size, as_json):
    """List the stories of a corpus store, most recently seen first, or show one with --id."""
    from rich.console import Console

    from .corpus import Corpus
    from .render import stories_table, story_table

    with Corpus(_existing_store(db)) as corpus:
        found = [corpus.story(story_id)] if story_id is not None else corpus.stories(limit, min_size)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in found] if story_id is None else found[0].to_dict(),
                              indent=1, ensure_ascii=False))
    else:
        Console().print(story_table(found[0]) if story_id is not None else stories_table(found))


@main.command()
@DB_OPTION
@click.option("--article", "article_id", type=int, help="Only the links this article is part of.")
@click.option("--limit", type=int, default=100, show_default=True, help="How many links to list.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/copy-link.schema.json) instead of a table.")
def copies(db, article_id, limit, as_json):
    """List the wire copies of a corpus store: each copy, its original, similarity and containment."""
    from rich.console import Console

    from .corpus import Corpus
    from .render import copy_links_table

    with Corpus(_existing_store(db)) as corpus:
        links = corpus.copies(article_id, limit)
    if as_json:
        click.echo(json.dumps([link.to_dict() for link in links], indent=1, ensure_ascii=False))
    else:
        Console().print(copy_links_table(links))


@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Beyond loopback every route needs the token in ONRECORD_TOKEN.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--public-read", is_flag=True, help="Beyond loopback, let reads through without the token (writes "
              "still need it).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Analyses run at once for POST /api/analyze; more wait, then 429.")
def serve(db, host, port, public_read, workers):
    """Serve the store: the REST API under /api (OpenAPI at /docs) and the web UI at /. The token for
    non-loopback use comes from the ONRECORD_TOKEN environment variable, never a flag."""
    import os

    import uvicorn

    from .service import ServiceSettings, create_app

    settings = ServiceSettings(db=db, host=host, port=port, token=os.environ.get("ONRECORD_TOKEN") or None,
                               public_read=public_read, analysis_workers=workers)
    app = create_app(settings)
    from .corpus.claims import warm_up
    warm_up()
    click.echo(f"onrecord: serving {db} on http://{host}:{port}/ (API docs at /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


AS_OF_OPTION = click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
                            help="Show each claim as it stood at the end of this day (YYYY-MM-DD).")


@main.command()
@DB_OPTION
@click.option("--search", "search_text", metavar="TEXT",
              help="Find the claims that best match this one, in any words.")
@click.option("--story", "story_id", type=int, help="List the claims of this story.")
@AS_OF_OPTION
@click.option("--limit", type=int, default=10, show_default=True, help="How many claims to list.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/claim.schema.json) instead of timelines.")
def claims(db, search_text, story_id, as_of, limit, as_json):
    """List claims across the store's articles with status, originators and timeline: those matching
    --search, those of --story, else the most recently active."""
    from rich.console import Console

    from .corpus import Corpus
    from .render import claim_timeline

    if search_text is not None and story_id is not None:
        raise click.UsageError("give --search or --story, not both")
    with Corpus(_existing_store(db)) as corpus:
        found = corpus.claims(search=search_text, story=story_id, as_of=as_of and as_of.date(), limit=limit)
    if as_json:
        click.echo(json.dumps([record.to_dict() for record in found], indent=1, ensure_ascii=False))
        return
    console = Console()
    if not found:
        console.print("no claims found")
    for record in found:
        console.print(claim_timeline(record))


@main.command()
@DB_OPTION
@click.argument("claim_id", type=int)
@AS_OF_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/claim.schema.json) instead of a timeline.")
def claim(db, claim_id, as_of, as_json):
    """Show one claim across articles: its status and why, originators, first report, every statement about
    it in date order and each change of status."""
    from rich.console import Console

    from .corpus import Corpus
    from .render import claim_timeline

    with Corpus(_existing_store(db)) as corpus:
        record = corpus.claim(claim_id, as_of=as_of and as_of.date())
    if as_json:
        click.echo(json.dumps(record.to_dict(), indent=1, ensure_ascii=False))
    else:
        Console().print(claim_timeline(record))


@main.command()
@click.argument("text_dir", type=click.Path(exists=True, file_okay=False), required=False)
@click.option("--limit", type=int, help="Use only the first N texts.")
@click.option("--workers", type=int, default=2, show_default=True, help="Processes for the batch-mode run.")
@click.option("--attribution", type=click.Choice(["rules", "combined", "learned"]), default=None,
              help="Attribution finder to time (default: the configured one, normally rules).")
@click.option("--scaling", is_flag=True,
              help="Time one page as it grows instead: the texts joined into pages of 10, 100, 300 and 1,000 KB "
                   "(median of 3 runs each), then a 20 MB page as text and as HTML in a fresh process with its "
                   "peak memory. TEXT_DIR defaults to PolNeAR dev ($ONRECORD_DATA or ../shared/data).")
@click.option("--store", "store_sizes", metavar="SIZES",
              help="Time adding articles to the corpus's copies and stories instead, in a fresh SQLite store filled "
                   "with a synthetic feed made from FNC-1 and PolNeAR texts to each of SIZES stored articles "
                   "(comma-separated, e.g. 10000,100000): median and 90th percentile of --additions additions, and "
                   "resident memory.")
@click.option("--additions", type=int, default=1000, show_default=True, help="Articles timed at each --store size.")
@click.option("--ingest", "ingest_speed", is_flag=True,
              help="Compare `onrecord ingest --no-claims` (analysis, store, copies and stories) and `onrecord ingest` "
                   "(claims across articles too) with `onrecord batch` on the same TEXT_DIR pages with the same "
                   "--workers, each in a fresh process.")
@click.option("--serve", "serve_db", metavar="DB",
              help="Load `onrecord serve` on this store instead: --rate requests a second, open-loop, for --seconds, "
                   "over claim search, the article API and the article page; p50/p95 per route and errors.")
@click.option("--rate", type=click.FloatRange(min=0.1), default=50.0, show_default=True,
              help="Requests a second for --serve.")
@click.option("--seconds", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="How long --serve loads the server.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench(text_dir, limit, workers, attribution, scaling, store_sizes, additions, ingest_speed, serve_db, rate, seconds,
          as_json):
    """Measure articles per second and peak memory of the analysis beside spaCy's own parse of the
    same texts (TEXT_DIR holds .txt files, e.g. ../shared/data/polnear/data/dev/text), or with --scaling
    how the time for one page grows with its length; --store and --ingest measure the corpus, --serve the
    service."""
    from .evaluation import bench as page_bench, corpus_bench

    options = _options(None, attribution=attribution) if attribution else None
    try:
        if serve_db:
            from .evaluation import service_load

            result = service_load.run_service_load(_existing_store(serve_db), rate, seconds)
            render = service_load.render_service_load
        elif store_sizes:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            sizes = _sizes(store_sizes)
            with Progress("filling the store", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                          console=Console(stderr=True), transient=True) as progress:
                task = progress.add_task("filling", total=max(sizes))
                result = corpus_bench.run_store_scaling(sizes, additions,
                                                        progress=lambda stored: progress.update(task, completed=stored))
            render = corpus_bench.render_store_scaling
        elif scaling:
            from .evaluation.polnear import polnear_dir

            result = page_bench.run_scaling(text_dir or polnear_dir() / "data" / "dev" / "text", options=options)
            render = page_bench.render_scaling
        elif text_dir is None:
            raise click.UsageError("TEXT_DIR is required without --scaling or --store")
        elif ingest_speed:
            result = corpus_bench.run_ingest_throughput(text_dir, workers=workers, limit=limit)
            render = corpus_bench.render_ingest_throughput
        else:
            result = page_bench.run_benchmark(text_dir, limit=limit, workers=workers, options=options)
            render = page_bench.render_benchmark
    except (OnrecordError, FileNotFoundError) as error:
        click.echo(f"onrecord: error: {error}", err=True)
        sys.exit(getattr(error, "exit_code", 1))
    click.echo(json.dumps(result, indent=1) if as_json else render(result))


def _sizes(value: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in value.split(",")]
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a comma-separated list of numbers", param_hint="--store")
    if not sizes or min(sizes) < 1:
        raise click.BadParameter("sizes must be positive", param_hint="--store")
    return sizes


@main.command()
@click.argument("document", type=click.Choice(["analysis", "story", "copy-link", "claim"]), default="analysis")
def schema(document):
    """Print the JSON Schema of a JSON document onrecord writes (generated from the dataclasses): a page's
    analysis (the default), a corpus story, a wire-copy link or a claim record across articles."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(document), indent=1))


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
                                     ("metadata", "metadata_command", "metadata"),
                                     ("robustness", "robustness_command", "robustness"),
                                     ("news", "news_command", "news"),
                                     ("stories", "stories_command", "stories"),
                                     ("copies", "copies_command", "copies"),
                                     ("checkthat", "checkthat_command", "checkthat"),
                                     ("fnc", "fnc_command", "fnc")):
        try:
            command = getattr(importlib.import_module(f"onrecord.evaluation.{module}"), attribute)
        except (ImportError, AttributeError):
            continue
        evaluate.add_command(command, name)


_add_eval_commands()
