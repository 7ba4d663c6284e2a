"""Ingest: pages from directories, JSONL files, WARC files and URL lists, analysed by the single-page
pipeline and stored, each page in its own transaction.

A page is known by its URL and the SHA-256 of its bytes. Bytes already stored at that URL are skipped (so a
rerun after a kill redoes nothing and loses nothing); bytes stored at another URL are a copy that reuses the
stored analysis; new bytes at a known URL are the URL's next version. Pages are analysed in chunks through
`analyze_many` (one worker, in this process) or `batch.analyze_batch` (worker processes); within a chunk each
URL and each content hash appears once, and a repeat waits for the chunk to be stored, so it becomes a copy
or a version instead of a second analysis. A chunk's pages are stored and linked in publication order, so its
stories and claim records do not depend on the order the pages came in. Who analyses a chunk is pluggable
(`Analyser`): `distributed.py` hands chunks to a Dask cluster, which analyses the next chunk while this process
stores one, and stores through this same path.
"""
from __future__ import annotations

import gzip
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sqlalchemy.engine import Engine

from ..batch import RECORD_SUFFIXES, analyze_batch, file_kind, find_pages, parse_record
from ..errors import InputTooLarge, OnrecordError
from ..options import Options, default_options
from ..reading import fetch_url, read_bytes, read_file
from . import store
from .linking import link_article, prepare, publication_key

WARC_SUFFIXES = (".warc",)
CHUNK_PAGES = 500  # pages handed to the analysers at once: a worker pool starts once per chunk
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class Input:
    """One page to ingest: where it was read, the URL it is known by, its bytes (None with `error`, the
    reason they could not be read) and the metadata its container gave. A WARC record also knows its file
    (`container`, a path or fsspec URL) and its offset there, so a worker can read it again by itself."""
    source: str
    url: str
    data: bytes | None = None
    error: Exception | None = None
    outlet: str | None = None
    published: str | None = None
    fetched: str | None = None
    container: str | None = None
    offset: int | None = None
    hash: str | None = field(init=False)

    def __post_init__(self):
        self.hash = store.content_hash(self.data) if self.data is not None else None


@dataclass
class Chunk:
    """Pages to analyse together, with their URLs and content hashes for the repeat check."""
    items: list[Input] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)

    def holds(self, item: Input) -> bool:
        return item.url in self.urls or item.hash in self.hashes

    def add(self, item: Input) -> None:
        self.items.append(item)
        self.urls.add(item.url)
        self.hashes.add(item.hash)


@dataclass
class Summary:
    """What an ingest did, page by page, for the line it ends with."""
    pages: int = 0
    outcomes: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def add(self, outcome: str, error_type: str | None = None) -> None:
        self.pages += 1
        self.outcomes[outcome] += 1
        if error_type:
            self.errors[error_type] += 1

    @property
    def new(self) -> int:
        return self.pages - self.outcomes["unchanged"] - self.outcomes["failed before"]

    def render(self) -> str:
        if self.pages and not self.new:
            return (f"nothing to do: all {self.pages} pages are already in the store"
                    + (f" ({self.outcomes['failed before']} as error rows)" if self.outcomes["failed before"] else ""))
        rate = f", {self.pages / self.seconds:.1f} pages/s" if self.seconds else ""
        counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(self.outcomes.items()))
        kinds = ", ".join(f"{kind} {count}" for kind, count in self.errors.most_common())
        return f"{self.pages} pages in {self.seconds:.1f} s{rate}: {counts or 'none'}" + (
            f"\nerrors by type: {kinds}" if kinds else "")


Progress = Callable[[str], None]
Analyser = Callable[[list[Input]], Iterable[tuple[Input, dict]]]
"""Analyses a chunk: (input, batch-style record) for each of its pages, in any order. An analyser that starts
its work when called (a Dask cluster's) analyses the next chunk while this process stores the one before."""


@dataclass
class Flight:
    """A chunk handed to the analyser, and its results to come."""
    chunk: Chunk
    results: Iterable[tuple[Input, dict]]

    def holds(self, item: Input) -> bool:
        return self.chunk.holds(item)


def ingest(engine: Engine, sources: Iterable[str | Path], urls: str | Path | None = None, workers: int = 1,
           options: Options | None = None, progress: Progress | None = None, analyser: Analyser | None = None,
           chunk_pages: int = CHUNK_PAGES, claims: bool = True) -> Summary:
    """Ingests every page of the sources (and of the URL list) into the store; `progress` hears each
    page's outcome ("analysed", "copy", "new version", "unchanged", "failed before", "error"). `analyser`
    replaces the in-process or process-pool analysis (and `workers`); the storing is the same. `claims`: False
    stores and links copies and stories only, leaving the claims to `linking.link_pending_claims` (the analysers
    then need not embed them)."""
    options = options or default_options()
    analyser = analyser or (lambda chunk: _analysed(chunk, workers, options, claims))
    summary, started = Summary(), time.monotonic()

    def done(outcome: str, error_type: str | None = None) -> None:
        summary.add(outcome, error_type)
        if progress:
            progress(outcome)

    with store.guarded(engine):
        chunk, waiting, flight = Chunk(), [], None
        for item in inputs(sources, urls, options):
            _place(engine, item, chunk, waiting, done, claims, flight)
            if len(chunk.items) >= chunk_pages:
                chunk, flight = _turn(engine, chunk, flight, waiting, analyser, done, claims)
        while chunk.items or waiting or flight:
            chunk, flight = _turn(engine, chunk, flight, waiting, analyser, done, claims)
    summary.seconds = time.monotonic() - started
    return summary


def _place(engine: Engine, item: Input, chunk: Chunk, waiting: list[Input], done, claims: bool,
           flight: Flight | None = None) -> None:
    """Stores what needs no analysis at once (an unreadable page, a copy, bytes already seen); puts a page
    to analyse into the chunk, or aside until its chunk is stored when the chunk or the one in flight holds its
    URL or bytes."""
    if chunk.holds(item) or (flight is not None and flight.holds(item)):
        waiting.append(item)
        return
    with engine.begin() as connection:
        store.lock_for_writing(connection)
        outcome = _store_known(connection, item, claims)
    if outcome:
        done(*outcome)
    else:
        chunk.add(item)


def _store_known(connection, item: Input, claims: bool) -> tuple[str, str | None] | None:
    """The outcome for a page that needs no analysis, stored; None for a page to analyse."""
    seen = store.seen(connection, item.source, item.url, item.hash)
    if seen:
        return ("unchanged" if seen == "stored" else "failed before"), None
    if item.data is None:
        error_type = type(item.error).__name__
        store.save_error(connection, source=item.source, url=item.url, hash_=None, error_type=error_type,
                         message=str(item.error), internal=not isinstance(item.error, OnrecordError))
        return "error", error_type
    analysed = store.stored_analysis(connection, item.hash)
    if analysed:
        _save(connection, item, *analysed, claims=claims)
        return "copy", None
    return None


def _turn(engine: Engine, chunk: Chunk, flight: Flight | None, waiting: list[Input], analyser: Analyser,
          done, claims: bool) -> tuple[Chunk, Flight | None]:
    """Hands the filled chunk to the analyser, then stores the chunk in flight before it (analysed meanwhile,
    when the analyser works on its own), then places the pages that waited for it into the next chunk to fill.
    Returns that chunk and the new flight."""
    started = Flight(chunk, analyser(chunk.items)) if chunk.items else None
    if flight is not None:
        _store_flight(engine, flight, waiting, done, started, claims)
    following, held = Chunk(), waiting[:]
    waiting.clear()
    for item in held:
        _place(engine, item, following, waiting, done, claims, started)
    return following, started


def _store_flight(engine: Engine, flight: Flight, waiting: list[Input], done, next_flight: Flight | None,
                  claims: bool) -> None:
    """Stores the flight's pages, and the copies of their bytes at other URLs that waited, one transaction each
    in publication order (`linking_order`). Stories and claim records are built online, so the order pages are
    linked in shapes them: sorting makes a chunk's links independent of the order its pages arrived in, and a
    record's first report the earliest page's. A page that also waits for the next flight (its URL is there)
    stays waiting, so a URL's versions are stored in the order they came."""
    analysed = list(flight.results)
    results = {item.hash: result for item, result in analysed if "analysis" in result}
    twins = [item for item in waiting if item.hash in results and item.url not in flight.chunk.urls
             and not (next_flight is not None and next_flight.holds(item))]  # the same bytes at another URL:
    #        copies that reuse the analysis, linked in their own place in the order
    waiting[:] = [item for item in waiting if not any(item is twin for twin in twins)]
    pages = [(item, result, False) for item, result in analysed] + [(twin, results[twin.hash], True) for twin in twins]
    for item, result, twin in sorted(pages, key=lambda page: linking_order(page[0], page[1])):
        with engine.begin() as connection:
            store.lock_for_writing(connection)
            outcome = _store_result(connection, item, result, claims)
        done(*(("copy", None) if twin and outcome[0] in ("analysed", "new version") else outcome))


def linking_order(item: Input, result: dict) -> tuple[str, str, str]:
    """A page's place in the order of linking: its publication time as stored (the container's, else the
    analysis's; pages without one last), then URL and content hash, so the order never depends on arrival."""
    article = (result.get("analysis") or {}).get("article", {})
    return (publication_key(item.published or (article.get("published") or {}).get("date")), item.url, item.hash or "")


def _store_result(connection, item: Input, result: dict, claims: bool) -> tuple[str, str | None]:
    """Stores an analysed page (or its error row), unless this URL already holds these bytes: an analysis
    that arrives twice (a task redone after its worker died, two runs at once) is stored once."""
    seen = store.seen(connection, item.source, item.url, item.hash)
    if seen:
        return ("unchanged" if seen == "stored" else "failed before"), None
    if "error" in result:
        store.save_error(connection, source=item.source, url=item.url, hash_=item.hash,
                         error_type=result["error_type"], message=result["error"], internal=result["internal"])
        return "error", result["error_type"]
    analysed = store.stored_analysis(connection, item.hash)  # the same bytes stored meanwhile at another URL
    analysis_id = analysed[0] if analysed else store.save_analysis(connection, item.hash, result["analysis"],
                                                                   result.get("seconds"))
    version = _save(connection, item, analysis_id, result["analysis"], result.get("claim_vectors"), claims,
                    result.get("minhash"))
    return ("new version" if version > 1 else "analysed"), None


def _save(connection, item: Input, analysis_id: int, analysis: dict, vectors: dict[str, bytes] | None = None,
          claims: bool = True, minhash: tuple | None = None) -> int:
    """Stores the article and links it to its copies, story and claim records (`claims` False: not yet), in the
    caller's transaction (`vectors`, `minhash`: its claims' embeddings and its text's MinHash, made by the
    analysis worker); its version."""
    article_id, version = store.save_article(connection, item, analysis_id, analysis)
    link_article(connection, article_id, vectors=vectors, claims=claims, minhash=minhash)
    return version


def _analysed(chunk: list[Input], workers: int, options: Options, claims: bool = True) -> Iterator[tuple[Input, dict]]:
    """(input, batch-style record, prepared for linking, its claims too when `claims`) for each page of the chunk: in
    order through `analyze_many` with one worker, as pages finish through the batch process pool with more."""
    if not chunk:
        return
    by_url = {item.url: item for item in chunk}
    if workers > 1:
        records = analyze_batch([(item.url, item.data, None) for item in chunk], options, workers=workers,
                                finish=partial(prepare, claims=claims))
        for record in records:
            yield by_url[record["source"]], record
        return
    from ..analysis import BatchResult, analyze_many

    pages = []
    for item in chunk:
        try:
            pages.append(read_bytes(item.data, source=item.url, options=options,
                                    url=item.url if item.url.startswith(("http://", "https://")) else None))
        except Exception as error:  # a page that cannot be read is that page's error, as in a batch
            failed = BatchResult.failed(item.url, error)
            yield item, {"error": failed.error, "error_type": failed.error_type, "internal": failed.internal}
    for result in analyze_many(pages, options):
        item = by_url[result.source]
        if result.analysis is None:
            yield item, {"error": result.error, "error_type": result.error_type, "internal": result.internal}
        else:
            yield item, prepare({"analysis": result.analysis.to_dict()}, claims)


def inputs(sources: Iterable[str | Path], urls: str | Path | None, options: Options) -> Iterator[Input]:
    """Every page of the sources, then of the URL list (fetched under the usual URL safety rules)."""
    for source in sources:
        path = local_path(source)
        if path is None:  # an fsspec URL (s3://...): WARC files only
            yield from warc_inputs(_remote_warc(source), options)
        elif path.is_dir():
            for page in find_pages(path):
                yield _file_input(page, options)
        elif file_kind(path) in RECORD_SUFFIXES:
            yield from jsonl_inputs(path, options)
        elif file_kind(path) in WARC_SUFFIXES:
            yield from warc_inputs(path, options)
        else:
            yield _file_input(path, options)
    if urls is not None:
        for url in url_list(urls):
            try:
                yield Input(source=url, url=url, data=fetch_url(url, options))
            except OnrecordError as error:
                yield Input(source=url, url=url, error=error)


def count_inputs(sources: Iterable[str | Path], urls: str | Path | None, options: Options) -> int:
    """How many pages `inputs` will yield, without fetching or analysing (WARC files are read through)."""
    total = 0
    for source in sources:
        path = local_path(source)
        if path is None:
            total += sum(1 for _ in warc_inputs(_remote_warc(source), options))
        elif path.is_dir():
            total += len(find_pages(path))
        elif file_kind(path) in RECORD_SUFFIXES:
            total += sum(1 for line in _lines(path) if line.strip())
        elif file_kind(path) in WARC_SUFFIXES:
            total += sum(1 for _ in warc_inputs(path, options))
        else:
            total += 1
    return total + (len(url_list(urls)) if urls is not None else 0)


def local_path(source: str | Path) -> Path | None:
    """The local path of a source (a path, or a file:// URL); None for another fsspec URL (s3://...)."""
    text = str(source)
    if text.startswith("file://"):
        from urllib.parse import unquote, urlparse
        return Path(unquote(urlparse(text).path))
    return None if "://" in text else Path(source)


def _remote_warc(url: str) -> str:
    if file_kind(Path(url.rsplit("/", 1)[-1])) not in WARC_SUFFIXES:
        raise OnrecordError(f"{url}: only WARC files (.warc, .warc.gz) are read from URLs of this kind")
    return url


def _open_binary(container: str | Path):
    """A local file, or an fsspec URL (s3://, gs://, ...: the scheme's package must be installed)."""
    if isinstance(container, Path) or "://" not in container:
        return open(container, "rb")
    import fsspec
    try:
        return fsspec.open(container, "rb").open()
    except (ImportError, ValueError) as error:
        raise OnrecordError(f"cannot read {container}: {error}") from error


def url_list(path: str | Path) -> list[str]:
    """The URLs of a list file: one a line; blank lines and # comments are skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise OnrecordError(f"cannot read the URL list {path}: {error.strerror or error}") from error
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _file_input(path: Path, options: Options) -> Input:
    url = str(path.resolve())
    try:
        return Input(source=str(path), url=url, data=read_file(path, options))
    except OnrecordError as error:
        return Input(source=str(path), url=url, error=error)


def _lines(path: Path) -> Iterator[str]:
    with (gzip.open if path.name.lower().endswith(".gz") else open)(path, "rt", encoding="utf-8",
                                                                    errors="replace") as handle:
        yield from handle


class MalformedRecord(OnrecordError):
    """A JSONL line or WARC record that cannot be read; the rest of its file is."""


def jsonl_inputs(path: Path, options: Options) -> Iterator[Input]:
    """The records of a JSONL file with the fields `onrecord batch` reads ("html" or "text", "url" or "id"),
    plus optional "published", "fetched" and "outlet"."""
    number = 0
    try:
        for number, line in enumerate(_lines(path), 1):
            if line.strip():
                yield _record_input(line, f"{path}:{number}", options)
    except (OSError, EOFError, zlib.error) as error:  # a truncated .gz: the records before it stand
        where = f"{path}:{number + 1}"
        yield Input(source=where, url=where, error=MalformedRecord(f"unreadable record file: {error}"))


def _record_input(line: str, where: str, options: Options) -> Input:
    try:
        record, url, body = parse_record(line, where)
    except ValueError as error:
        return Input(source=where, url=where, error=MalformedRecord(str(error)))
    data = body.encode("utf-8")
    if len(data) > options.max_bytes:
        return Input(source=where, url=url, error=InputTooLarge(
            f"{where}: {len(data):,} bytes is over the {options.max_bytes:,}-byte limit"))
    meta = {key: str(record[key]) if record.get(key) is not None else None
            for key in ("outlet", "published", "fetched")}
    return Input(source=where, url=url, data=data, **meta)


def warc_inputs(path: Path | str, options: Options) -> Iterator[Input]:
    """The HTML responses (status 2xx) of a WARC or WARC.gz file (a path or an fsspec URL). A record that
    cannot be parsed becomes an error input and reading resumes at the next record the file holds."""
    from warcio.archiveiterator import ArchiveIterator

    container = str(path) if isinstance(path, str) and "://" in path else str(Path(path).resolve())
    with _open_binary(path) as handle:
        start, compressed = 0, handle.read(2) == b"\x1f\x8b"
        while start is not None:
            handle.seek(start)
            records = ArchiveIterator(handle)
            try:
                for record in records:
                    offset = records.offset
                    if _is_html_response(record):
                        yield _warc_input(record, f"{path}@{offset}", options, container, offset)
                start = None
            except Exception as error:  # warcio raises many kinds on a malformed record: all mean the same
                failed_at = records.offset
                where = f"{path}@{failed_at}"
                yield Input(source=where, url=where, error=MalformedRecord(
                    f"malformed WARC record: {type(error).__name__}: {error}"))
                start = _next_record(handle, failed_at + 1, b"\x1f\x8b\x08" if compressed else b"WARC/1.")


def _is_html_response(record) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return status.startswith("2") and any(kind in content_type for kind in HTML_TYPES)


def warc_record(container: str, offset: int, options: Options) -> Input:
    """The page of the WARC record at `offset` (as `warc_inputs` gave it): a worker reads its own pages."""
    from warcio.archiveiterator import ArchiveIterator

    where = f"{container}@{offset}"
    with _open_binary(container) as handle:
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)), None)
        if record is None or not _is_html_response(record):
            return Input(source=where, url=where, error=MalformedRecord("no HTML response record at this offset"))
        return _warc_input(record, where, options, container, offset)


def _warc_input(record, where: str, options: Options, container: str | None = None,
                offset: int | None = None) -> Input:
    url = record.rec_headers.get_header("WARC-Target-URI") or where
    fetched = record.rec_headers.get_header("WARC-Date")
    place = {"source": where, "url": url, "fetched": fetched, "container": container, "offset": offset}
    try:
        data = record.content_stream().read(options.max_bytes + 1)
    except Exception as error:  # a broken chunked or compressed body: this record's error alone
        return Input(**place, error=MalformedRecord(f"unreadable WARC payload: {type(error).__name__}: {error}"))
    if len(data) > options.max_bytes:
        return Input(**place, error=InputTooLarge(f"{where}: over the {options.max_bytes:,}-byte limit"))
    return Input(**place, data=data)


def _next_record(handle, start: int, marker: bytes, block: int = 1 << 20) -> int | None:
    """The offset of the next record's marker at or after `start` (a gzip member's magic, or a WARC
    version line), or None when the file holds no further record."""
    handle.seek(start)
    position, tail = start, b""
    while chunk := handle.read(block):
        found = (tail + chunk).find(marker)
        if found >= 0:
            return position - len(tail) + found
        tail = chunk[-(len(marker) - 1):]
        position += len(chunk)
    return None
