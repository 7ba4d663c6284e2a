"""Ingest on a Dask cluster: the workers analyse (and embed the claims), this process stores.

The expensive step, the single-page analysis, runs as Dask tasks of a few pages each (`TASK_PAGES`): a WARC
record travels as its file and offset, and the worker reads it itself (a local path, a file:// URL, or any
fsspec URL its workers can open); pages from directories, JSONL files and URL lists travel as bytes. Each
worker process loads the pipeline once (`nlp.load` is cached per process) and keeps it for every task.

The client is the single writer. It reads the sources, skips what the store already holds, hands each chunk
to the cluster as soon as it is read (so the workers analyse it while the chunk before is stored), and stores
each returned analysis through `ingest`'s own path (`_store_result`: the article, its rows, its copies, story and
claim records, in the page's transaction). Each chunk's results are stored in publication order whatever order
the tasks finish in (`ingest.linking_order`), so a Dask ingest writes the same store as `onrecord ingest` given
the same pages.

Exactly once: Dask reruns a task whose worker died on another worker; a task that kills its workers
repeatedly (`KilledWorker`) is split into one task per page, and a page that still kills its worker becomes a
`WorkerDied` error row. The writer checks the store before each page (`store.seen`), so an analysis that
arrives twice is stored once, and a stopped run resumes where it stopped. Any other failure of a task is an
error row for each of its pages, and the run goes on.

The workers also make each page's MinHash and embed its claims (`linking.prepare`; the embeddings are most of
claim linking's cost); both travel back with the analysis, and the writer only compares them with the store.

SQLite can only be written by this one process, and only a local cluster is sure to see the same files: a
scheduler address with a SQLite store is refused (`RemoteSQLiteRefused`); use PostgreSQL.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from ..batch import worker_options
from ..errors import OnrecordError
from ..options import Options, default_options
from . import ingest as ingest_module
from .ingest import Input, Progress, Summary
from .linking import prepare

TASK_PAGES = 20  # pages a task analyses: small enough to spread, large enough that scheduling costs little
CHUNK_TASKS = 25  # tasks a chunk gives each worker thread; the next chunk is on the cluster while one is stored
CONNECT_TIMEOUT = "10s"
WORKER_ENVIRON = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
"""Dask's workers start with MALLOC_TRIM_THRESHOLD_=65536, which also fixes glibc's mmap threshold at 128 KiB:
each of the MiniLM encoder's numpy temporaries is then a fresh mmap, and a page's analysis and embeddings took
1.46x as long (19.3 s against 13.2 s for 110 pages). onrecord's local clusters start their workers without it."""
WORKER_DIED = "the worker process died on this page (killed, or out of memory), on every try"


class ClusterError(OnrecordError):
    """A Dask cluster that cannot be used for this ingest."""
    exit_code = 11


class SchedulerUnreachable(ClusterError):
    """The Dask scheduler address is malformed, or nothing answers there."""


class RemoteSQLiteRefused(ClusterError):
    """A SQLite store with a remote scheduler: its single file is written by one local process only."""


@dataclass(frozen=True)
class Work:
    """One page of a task: a WARC record by place (container, offset, expected hash), else the bytes."""
    url: str
    data: bytes | None = None
    container: str | None = None
    offset: int | None = None
    hash: str | None = None


def ingest(engine: Engine, sources: Iterable[str | Path], urls: str | Path | None = None, dask="local",
           workers: int | None = None, options: Options | None = None, progress: Progress | None = None,
           task_pages: int = TASK_PAGES, analysed_on_cluster: Callable[[int], None] | None = None,
           chunk_pages: int | None = None, claims: bool = True) -> Summary:
    """Ingests the sources as `ingest.ingest` does, with the analysis on a Dask cluster: `dask` is "local"
    (a `LocalCluster` of `workers` processes, one thread each), a scheduler address ("tcp://host:8786"), or
    a `distributed.Client` already connected. Returns the same Summary. `analysed_on_cluster` hears the number
    of pages of each task the cluster finishes (from Dask's own thread): the cluster's progress, which runs
    ahead of `progress`'s stored pages by up to a chunk. `chunk_pages`: pages stored in publication order at
    a time (default: `CHUNK_TASKS` tasks a worker thread, at least `ingest.CHUNK_PAGES`). `claims`: as for
    `ingest.ingest`."""
    options = worker_options(options or default_options())
    check(engine, dask)
    with _client(dask, workers) as client:
        threads = max(1, sum(client.nthreads().values()))
        return ingest_module.ingest(engine, list(sources), urls, options=options, progress=progress,
                                    analyser=lambda chunk: analysed(client, chunk, options, task_pages,
                                                                    analysed_on_cluster, claims),
                                    chunk_pages=chunk_pages or max(ingest_module.CHUNK_PAGES,
                                                                   CHUNK_TASKS * task_pages * threads),
                                    claims=claims)


def check(engine: Engine, dask) -> None:
    """Refuses what cannot work before anything is read: a malformed scheduler address
    (SchedulerUnreachable), a scheduler address with a SQLite store (RemoteSQLiteRefused)."""
    if not isinstance(dask, str) or dask == "local":
        return
    check_address(dask)
    if engine.dialect.name == "sqlite":
        raise RemoteSQLiteRefused(
            f"a SQLite store ({engine.url.database}) cannot be used with the scheduler {dask}: store in "
            "PostgreSQL (--db postgresql+psycopg://user@host/db), or use --dask local")


def check_address(address: str) -> None:
    """SchedulerUnreachable unless `address` is "local" or reads as a scheduler address (scheme://host:port)."""
    from distributed.comm import parse_address, parse_host_port

    try:
        parse_host_port(parse_address(address)[1])
    except (ValueError, TypeError) as error:
        raise SchedulerUnreachable(f"{address!r} is not a Dask scheduler address: give local, or "
                                   f"tcp://host:port ({error})") from error


@contextmanager
def _client(dask, workers: int | None):
    """A Dask client: on a fresh LocalCluster for "local", on the scheduler at an address, or the one given."""
    from distributed import Client

    if not isinstance(dask, str):
        yield dask
        return
    if dask == "local":
        from ..batch import default_workers
        with local_cluster(workers or default_workers()) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(dask, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise SchedulerUnreachable(f"cannot reach a Dask scheduler at {dask!r} (give tcp://host:port, or "
                                   f"local): {type(error).__name__}: {error}") from error
    with client:
        if not client.nthreads():
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except TimeoutError as error:
                raise ClusterError(f"the Dask scheduler at {dask} has no workers") from error
        yield client


def local_cluster(workers: int, silence_logs: int = logging.ERROR):
    """A `LocalCluster` of `workers` processes of one thread each, started with `WORKER_ENVIRON`."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(WORKER_ENVIRON):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                            silence_logs=silence_logs)


def analysed(client, chunk: list[Input], options: Options, task_pages: int = TASK_PAGES,
             finished: Callable[[int], None] | None = None, claims: bool = True) -> Iterator[tuple[Input, dict]]:
    """(input, batch-style record) for each page of the chunk, in the chunk's order. Every task is submitted
    now, so the cluster works on this chunk while the writer stores the one before; results are handed on as
    their turn comes (later tasks keep running meanwhile). `finished` hears each task's page count as it ends;
    `claims` False: the workers do not embed the pages' claims."""
    tasks = []
    for start in range(0, len(chunk), task_pages):
        items = chunk[start:start + task_pages]
        future = client.submit(analyse_pages, [_work(item) for item in items], options, claims, pure=False)
        if finished is not None:
            future.add_done_callback(lambda _, pages=len(items): finished(pages))
        tasks.append((items, future))
    return _collected(client, tasks, options, claims)


def _collected(client, tasks: list, options: Options, claims: bool) -> Iterator[tuple[Input, dict]]:
    for index, (items, future) in enumerate(tasks):
        yield from zip(items, _records(client, future, items, options, claims))
        tasks[index] = None  # the future released: its result leaves the cluster's memory


def _work(item: Input) -> Work:
    if item.container is not None and item.offset is not None:
        return Work(item.url, None, item.container, item.offset, item.hash)
    return Work(item.url, item.data)


def _records(client, future, items: list[Input], options: Options, claims: bool) -> list[dict]:
    """The task's records; when the task kept killing its workers, each page alone; when it failed
    otherwise, an error record for each of its pages."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        if len(items) == 1:
            return [_failed("WorkerDied", WORKER_DIED)]
        alone = [client.submit(analyse_pages, [_work(item)], options, claims, pure=False) for item in items]
        return [record for item, single in zip(items, alone)
                for record in _records(client, single, [item], options, claims)]
    except Exception as error:  # the task itself failed (a bug, a worker that cannot unpickle): its pages' errors
        return [_failed(type(error).__name__, f"the Dask task failed: {error}")] * len(items)


def _failed(error_type: str, message: str) -> dict:
    return {"error": message, "error_type": error_type, "internal": True, "seconds": None}


def analyse_pages(work: list[Work], options: Options, claims: bool = True) -> list[dict]:
    """A task, on a worker: each page's batch record (analysis or error), prepared for linking (its claims too
    unless `claims` is False), in order."""
    return [prepare(_analyse(page, options), claims) for page in work]


def _analyse(page: Work, options: Options) -> dict:
    from ..batch import _analyze_item

    data = page.data
    if page.container is not None:
        try:
            read = ingest_module.warc_record(page.container, page.offset, options)
        except Exception as error:  # the file is gone or unreadable from this worker
            return {"source": page.url, "error": f"cannot read {page.container}@{page.offset} on the worker: "
                    f"{type(error).__name__}: {error}", "error_type": type(error).__name__,
                    "internal": not isinstance(error, OnrecordError), "seconds": None}
        if read.data is None or read.hash != page.hash:
            why = str(read.error) if read.error else "the WARC record changed since it was listed"
            return {"source": page.url, "error": why, "error_type": "MalformedRecord", "internal": False,
                    "seconds": None}
        data = read.data
    return _analyze_item((page.url, data, None), options)
