"""Ingest on Dask (`corpus/distributed.py`): a LocalCluster of 2 worker processes (one thread each) over a
generated WARC of 200 fictional news pages (`evaluation/dask_bench.fictional_pages`), on SQLite and on the real
PostgreSQL (ONRECORD_TEST_DATABASE_URL, as tests/test_corpus_store.py). Every page is stored exactly once,
also with a worker process killed mid-task or a run stopped and resumed, and the store equals the one the
in-process ingest writes from the same pages, claim embeddings made by the workers included.
"""
import os
import signal
import sys
import threading
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from onrecord.cli import main
from onrecord.corpus import Corpus, distributed, store
from onrecord.corpus.distributed import RemoteSQLiteRefused, SchedulerUnreachable
from onrecord.evaluation.dask_bench import fictional_pages, write_warc

pytestmark = pytest.mark.model
PAGES = 200
from tests.conftest import postgres_url

SCHEMA = "onrecord_corpus_dask_tests"


def _postgres_url(schema: str = SCHEMA) -> str:
    return postgres_url(schema)


@pytest.fixture(scope="module")
def pages():
    return fictional_pages(PAGES)


@pytest.fixture(scope="module")
def warcs(tmp_path_factory, pages, nlp):
    folder = tmp_path_factory.mktemp("warc")
    return {"forward": write_warc(folder / "news.warc.gz", pages),
            "reversed": write_warc(folder / "reversed.warc", list(reversed(pages)), gz=False)}


@pytest.fixture(scope="module")
def client():
    import cloudpickle
    from distributed import Client

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the kill plugin travels by value
    with distributed.local_cluster(2, silence_logs=50) as cluster, Client(cluster) as connected:
        yield connected


@pytest.fixture(scope="module")
def references(tmp_path_factory, warcs, nlp):
    """The in-process ingest's store of the forward WARC on each database, as links read by URL (claim
    linking on SQLite and on PostgreSQL can differ, so each Dask store is compared on its own database)."""
    made = {}

    def reference(db: str) -> dict:
        if db not in made:
            url = (str(tmp_path_factory.mktemp("reference") / "serial.db") if db == "sqlite"
                   else _postgres_url(SCHEMA + "_reference"))
            with Corpus(url) as corpus:
                summary = corpus.ingest([warcs["forward"]], workers=1)
                assert summary.errors == {} and summary.pages == PAGES
                made[db] = links(corpus)
        return made[db]
    return reference


def links(corpus) -> dict:
    """What linking made, by URL (ids differ between stores): copies, stories, claim records with status."""
    with corpus.engine.connect() as connection:
        url = dict(connection.execute(text("SELECT id, url FROM articles")).all())
        copies = {url[a]: url[o] for a, o in connection.execute(
            text("SELECT id, copy_of FROM articles WHERE copy_of IS NOT NULL"))}
        stories, records = {}, {}
        for story, article in connection.execute(text("SELECT story_id, article_id FROM story_members")):
            stories.setdefault(story, set()).add(url[article])
        for record, article, said in connection.execute(
                text("SELECT claim_id, article_id, attribution FROM claim_events")):
            records.setdefault(record, set()).add((url[article], said))
        status = dict(connection.execute(text("SELECT id, status FROM claim_records")).all())
    return {"copies": copies, "stories": {frozenset(members) for members in stories.values()},
            "claims": {(frozenset(events), status[record]) for record, events in records.items()}}


def assert_each_page_once(corpus, pages):
    with corpus.engine.connect() as connection:
        stored = connection.execute(select(store.articles.c.url, func.count()).group_by(store.articles.c.url)).all()
        assert connection.execute(select(func.count()).select_from(store.errors)).scalar_one() == 0
        assert connection.execute(select(func.count()).select_from(store.analyses)).scalar_one() == \
            len({page.html for page in pages})
    assert dict(stored) == {page.url: 1 for page in pages}


class KillOnce:
    """A worker plugin that kills its worker process (SIGKILL) a moment into the first task any worker
    starts after it is registered; a marker file makes it once for the whole cluster."""
    name = "onrecord-kill-once"

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        if finish != "executing":
            return
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGKILL)).start()


def killing_one_worker(client, tmp_path):
    from distributed.diagnostics.plugin import WorkerPlugin

    plugin = type("KillOncePlugin", (KillOnce, WorkerPlugin), {})(str(tmp_path / "killed"))
    client.register_plugin(plugin, name=KillOnce.name)
    return tmp_path / "killed"


@pytest.mark.parametrize("db, kill", [("sqlite", False), ("sqlite", True), ("postgresql", True)])
def test_every_page_is_stored_once_and_as_the_in_process_ingest_stores_it(db, kill, client, warcs, pages,
                                                                          references, tmp_path):
    reference = references(db)
    pids = set(client.run(os.getpid).values())
    marker = killing_one_worker(client, tmp_path) if kill else None
    url = str(tmp_path / "dask.db") if db == "sqlite" else _postgres_url()
    try:
        with Corpus(url) as corpus:
            finished = []  # pages of each task the cluster finished, heard from Dask's thread
            summary = distributed.ingest(corpus.engine, [warcs["forward"]], dask=client, task_pages=10,
                                         analysed_on_cluster=finished.append)
            assert summary.pages == PAGES and summary.errors == {}
            distinct = len({page.html for page in pages})
            assert summary.outcomes == {"analysed": distinct, "copy": PAGES - distinct}
            for _ in range(50):  # the last callbacks may run just after the last result was read
                if sum(finished) == distinct:
                    break
                time.sleep(0.1)
            assert sum(finished) == distinct and max(finished) == 10  # every page handed over, heard once
            assert_each_page_once(corpus, pages)
            assert links(corpus) == reference  # results arrive in any order; the store is the same
    finally:
        if kill:
            client.unregister_worker_plugin(KillOnce.name)
    if kill:
        assert marker.exists()
        client.wait_for_workers(2, timeout=60)
        assert set(client.run(os.getpid).values()) != pids  # a worker process died and was replaced


def test_a_stopped_run_resumes_and_stores_each_page_once(client, warcs, pages, references, tmp_path):
    reference = references("sqlite")
    seen = []

    def stop_at_80(outcome):
        seen.append(outcome)
        if len(seen) == 80:
            raise KeyboardInterrupt  # Ctrl-C in the middle of a run

    with Corpus(tmp_path / "resumed.db") as corpus:
        with pytest.raises(KeyboardInterrupt):  # chunks of 30: stopped while the next chunk is being analysed
            distributed.ingest(corpus.engine, [warcs["forward"]], dask=client, progress=stop_at_80, chunk_pages=30)
        summary = distributed.ingest(corpus.engine, [warcs["forward"]], dask=client, chunk_pages=30)
        assert summary.outcomes["unchanged"] == 80 and summary.new == PAGES - 80
        assert_each_page_once(corpus, pages)
        # the resumed run stores the copies of pages already stored first, so stories and claims, which are
        # built online, may differ from an uninterrupted run's; copies do not depend on order
        assert links(corpus)["copies"] == reference["copies"]
        again = distributed.ingest(corpus.engine, [warcs["forward"]], dask=client)
        assert again.render() == f"nothing to do: all {PAGES} pages are already in the store"


def test_the_same_pages_in_another_order_give_the_same_copies(client, warcs, pages, references, tmp_path):
    reference = references("sqlite")
    with Corpus(tmp_path / "reversed.db") as corpus:
        summary = distributed.ingest(corpus.engine, [f"file://{warcs['reversed']}"], dask=client)
        assert summary.pages == PAGES and summary.errors == {}
        assert_each_page_once(corpus, pages)
        assert links(corpus)["copies"] == reference["copies"]


def test_the_same_pages_in_another_order_give_the_same_stories_and_claims(client, warcs, references, tmp_path):
    reference = references("sqlite")
    with Corpus(tmp_path / "reversed.db") as corpus:
        distributed.ingest(corpus.engine, [warcs["reversed"]], dask=client)
        found = links(corpus)
    assert (found["stories"], found["claims"]) == (reference["stories"], reference["claims"])


def test_a_task_that_fails_becomes_error_rows_and_the_run_goes_on(client, warcs, pages, tmp_path, monkeypatch):
    real = distributed.analyse_pages

    def failing(work, options, claims=True):
        if any(page.url == pages[3].url for page in work):
            raise RuntimeError("worker-side bug")
        return real(work, options, claims)

    monkeypatch.setattr(distributed, "analyse_pages", failing)
    small = write_warc(tmp_path / "small.warc.gz", pages[:12])
    with Corpus(tmp_path / "failing.db") as corpus:
        summary = distributed.ingest(corpus.engine, [small], dask=client, task_pages=4)
        assert summary.errors == {"RuntimeError": 4} and summary.pages == 12
        with corpus.engine.connect() as connection:
            rows = connection.execute(select(store.errors.c.url, store.errors.c.internal)).all()
        assert {row.url for row in rows} == {page.url for page in pages[:4]} and all(row.internal for row in rows)


def test_local_workers_start_without_dasks_malloc_trim_threshold(client):
    """Dask's MALLOC_TRIM_THRESHOLD_ fixes glibc's mmap threshold, which made the encoder's numpy work 1.46x slower."""
    environ = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert len(environ) == 2
    assert set(environ.values()) == {os.environ.get("MALLOC_TRIM_THRESHOLD_")}


def test_a_remote_scheduler_with_sqlite_is_refused(tmp_path, warcs):
    with Corpus(tmp_path / "refused.db") as corpus, pytest.raises(RemoteSQLiteRefused, match="PostgreSQL"):
        distributed.ingest(corpus.engine, [warcs["forward"]], dask="tcp://10.1.2.3:8786")
    result = CliRunner().invoke(main, ["ingest", str(warcs["forward"]), "--db", str(tmp_path / "cli.db"),
                                       "--dask", "tcp://10.1.2.3:8786"])
    assert result.exit_code == RemoteSQLiteRefused.exit_code
    assert "cannot be used with the scheduler tcp://10.1.2.3:8786" in result.output


def test_a_bad_scheduler_address_is_one_clear_error(tmp_path, warcs, monkeypatch):
    result = CliRunner().invoke(main, ["ingest", str(warcs["forward"]), "--db", str(tmp_path / "cli.db"),
                                       "--dask", "lcoal"])
    assert result.exit_code == SchedulerUnreachable.exit_code
    assert "'lcoal' is not a Dask scheduler address" in result.output
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", "1s")
    with Corpus(_postgres_url()) as corpus, pytest.raises(SchedulerUnreachable, match="cannot reach"):
        distributed.ingest(corpus.engine, [warcs["forward"]], dask="tcp://127.0.0.1:9")


def test_the_cli_ingests_on_a_local_cluster(tmp_path, pages):
    small = write_warc(tmp_path / "small.warc.gz", pages[:10])
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(main, ["ingest", str(small), "--db", str(db), "--dask", "local", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "10 pages in" in result.output
    with Corpus(db) as corpus:
        assert_each_page_once(corpus, pages[:10])


def test_an_ingest_without_claims_on_the_cluster_leaves_them_to_link_claims(client, pages, tmp_path):
    small = write_warc(tmp_path / "small.warc.gz", pages[:8])
    with Corpus(tmp_path / "later.db") as corpus:
        summary = distributed.ingest(corpus.engine, [small], dask=client, claims=False)
        assert summary.pages == 8 and not summary.errors
        assert corpus.count_claims() == 0 and corpus.count_pending_claims() == 8
        assert corpus.link_claims().linked == 8 and corpus.count_claims() > 0
