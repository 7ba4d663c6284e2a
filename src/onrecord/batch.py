"""Batches: the pages of a directory, the records of a JSONL file, or one page file, analysed on one or
several cores into one JSON record per page.

Each page is its own task, so records stream out as pages finish and each carries its `seconds`: in input
order with one worker (which runs in this process), in the order pages finish with more. Any failure on a
page becomes its error record (`internal` is true when the error is not an OnrecordError, that is a bug);
a worker process that dies is replaced, and the page it died on is recorded as `WorkerDied`.
"""
from __future__ import annotations

import gzip
import heapq
import json
import os
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import OnrecordError
from .options import Options, default_options

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".text")
RECORD_SUFFIXES = (".jsonl", ".ndjson")
WORKER_DIED = "the worker process died on this page (killed, or out of memory)"

Item = tuple[str, bytes | None, str | None]
"""(source, the page's bytes when it comes from a record file, why the record cannot be read)"""


def batch_inputs(path: str | Path) -> list[Path | Item]:
    """What `onrecord batch PATH` analyses: a directory's pages, a JSONL file's records, or one page."""
    path = Path(path)
    if path.is_dir():
        return find_pages(path)
    if file_kind(path) in RECORD_SUFFIXES:
        return list(jsonl_pages(path))
    return [path]


def find_pages(directory: str | Path) -> list[Path]:
    """Page files under a directory, sorted, by their suffix (also under a `.gz`)."""
    root = Path(directory)
    if not root.is_dir():
        raise OnrecordError(f"{root} is not a directory")
    return sorted(p for p in root.rglob("*") if p.is_file() and file_kind(p) in PAGE_SUFFIXES)


def file_kind(path: Path) -> str:
    """The suffix that says what a file holds, under any `.gz`."""
    return Path(path.name.lower().removesuffix(".gz")).suffix


def jsonl_pages(path: str | Path) -> Iterator[Item]:
    """Items from a JSONL file (or .jsonl.gz) whose lines hold "html" or "text" (and "url" or "id")."""
    path = Path(path)
    number = 0
    try:
        with (gzip.open if path.name.lower().endswith(".gz") else open)(path, "rt", encoding="utf-8",
                                                                        errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield _record_item(line, f"{path}:{number}")
    except (OSError, EOFError, zlib.error) as error:  # a corrupt or truncated .gz: keep what came before
        yield f"{path}:{number + 1}", None, f"unreadable record file: {error}"


def _record_item(line: str, where: str) -> Item:
    try:
        _, source, body = parse_record(line, where)
    except ValueError as error:
        return where, None, str(error)
    return source, body.encode("utf-8"), None


def parse_record(line: str, where: str) -> tuple[dict, str, str]:
    """A JSONL line's record, its source (its "url", else its "id", else `where`) and its page ("html" or
    "text"); a ValueError says what is wrong with a malformed one."""
    try:
        record = json.loads(line)
        body = record.get("html") or record.get("text")
        if not isinstance(body, str):
            raise ValueError('no "html" or "text" field')
        return record, str(record.get("url") or record.get("id") or where), body
    except (ValueError, AttributeError) as error:
        raise ValueError(f"malformed JSONL record: {error}") from error


def analyze_batch(inputs: Iterable[Path | Item], options: Options | None = None,
                  workers: int = 1, finish: Callable[[dict], dict] | None = None) -> Iterator[dict]:
    """One record per input: {"source", "analysis", "seconds"} or {"source", "error", "error_type",
    "internal", "seconds"}. One worker analyses in this process, in input order; more analyse in worker
    processes and records come in the order pages finish. `finish` (a module-level function) runs on each
    record where it was made, in the worker: a caller's own per-page work, spread with the analysis."""
    options = options or default_options()
    items = [i if isinstance(i, tuple) else (str(i), None, None) for i in inputs]
    if workers <= 1:
        for item in items:
            yield _analyze_item(item, options, finish)
        return
    options = worker_options(options)
    queue = deque(items)
    while queue:
        suspects = deque((yield from _until_a_worker_dies(queue, options, finish, workers, in_flight=2 * workers)))
        while suspects:  # one at a time, so the page that kills a worker alone is known
            for source, _, _ in (yield from _until_a_worker_dies(suspects, options, finish, 1, in_flight=1)):
                yield {"source": source, "error": WORKER_DIED, "error_type": "WorkerDied", "internal": True,
                       "seconds": None}


def worker_options(options: Options) -> Options:
    """The options a worker process analyses with: one tagger thread unless set, since the workers already
    share the cores."""
    return replace(options, tagger_threads=1) if options.tagger_threads == 0 else options


def _until_a_worker_dies(queue: deque[Item], options: Options, finish: Callable[[dict], dict] | None,
                         workers: int, in_flight: int) -> Generator[dict, None, list[Item]]:
    """Yields the records of the queue's pages as they finish, on a fresh pool; returns the pages that were
    in flight when a worker died (none when the queue ran out)."""
    running: dict[Future, Item] = {}
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        while queue or running:
            while queue and len(running) < in_flight:
                try:
                    future = pool.submit(_analyze_item, queue[0], options, finish)
                except BrokenProcessPool:
                    break
                running[future] = queue.popleft()
            if not running:
                return []
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = yield from _finished(done, running)
            if broken:
                return broken + (yield from _finished(wait(running)[0], running))
        return []
    finally:
        pool.shutdown(cancel_futures=True)


def _finished(done: set[Future], running: dict[Future, Item]) -> Generator[dict, None, list[Item]]:
    """Yields the records of finished tasks; returns the pages of those a dead worker broke."""
    broken = []
    for future in done:
        item = running.pop(future)
        try:
            yield future.result()
        except BrokenProcessPool:
            broken.append(item)
    return broken


def _analyze_item(item: Item, options: Options, finish: Callable[[dict], dict] | None = None) -> dict:
    """One page's record (passed through `finish` when given); any exception on the page becomes its error
    record."""
    from .analysis import BatchResult, analyze
    from .nlp import load
    from .reading import read_bytes, read_page

    source, data, problem = item
    if problem:
        return {"source": source, "error": problem, "error_type": "MalformedRecord", "internal": False,
                "seconds": 0.0}
    load(options.model, options.attribution, options.tagger_threads)  # before the clock: a page's time is its own
    start = time.perf_counter()
    try:
        url = source if source.startswith(("http://", "https://")) else None  # dates and outlets read the URL
        page = read_bytes(data, source, options, url) if data is not None else read_page(source, options)
        record = {"source": source, "analysis": analyze(page, options).to_dict()}
    except Exception as error:  # one page's failure, whatever it is, must not end a batch of thousands
        failure = BatchResult.failed(source, error)
        record = {"source": source, "error": failure.error, "error_type": failure.error_type,
                  "internal": failure.internal}
    record["seconds"] = round(time.perf_counter() - start, 3)
    return finish(record) if finish else record


def recorded_sources(path: str | Path) -> set[str]:
    """The sources an output file already holds records for (to resume a run). A last line that a killed
    run cut short is removed first, so that appending starts on a line of its own."""
    sources = set()
    with open(path, "rb+") as handle:
        complete = 0
        for line in handle:
            if not line.endswith(b"\n"):
                break
            complete += len(line)
            try:
                sources.add(json.loads(line)["source"])
            except (ValueError, KeyError, TypeError):
                continue
        handle.truncate(complete)
    return sources


@dataclass
class Tally:
    """A run's records counted as they stream past, for the summary the run ends with."""
    pages: int = 0
    analysed: int = 0
    typed_errors: Counter = field(default_factory=Counter)
    internal_errors: Counter = field(default_factory=Counter)
    times: list[tuple[float, str]] = field(default_factory=list)

    def add(self, record: dict) -> None:
        self.pages += 1
        if "error" in record:
            (self.internal_errors if record.get("internal") else self.typed_errors)[record["error_type"]] += 1
        else:
            self.analysed += 1
        if record.get("seconds") is not None:
            self.times.append((record["seconds"], record["source"]))

    def slowest(self, count: int) -> list[tuple[str, float]]:
        return [(source, seconds) for seconds, source in heapq.nlargest(count, self.times)]

    def render(self, slowest: int = 5) -> str:
        lines = [f"{self.pages} pages, {self.analysed} analysed, {_counted(self.typed_errors, 'typed error')}, "
                 f"{_counted(self.internal_errors, 'internal error')}"]
        if self.times:
            lines.append("slowest: " + ", ".join(f"{source} {seconds:.2f} s"
                                                 for source, seconds in self.slowest(slowest)))
        return "\n".join(lines)


def _counted(counts: Counter, noun: str) -> str:
    total = sum(counts.values())
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    kinds = f" ({', '.join(f'{kind} {n}' for kind, n in ordered)})" if counts else ""
    return f"{total} {noun}{'' if total == 1 else 's'}{kinds}"


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
