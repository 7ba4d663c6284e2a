"""Ingest into the corpus store: directories, JSONL, WARC files and URL lists; idempotent reruns, copies,
versions, resuming after a crash, malformed WARC records and the `onrecord ingest` command. Pages are
fictional and short, analysed by the real pipeline on SQLite."""
import gzip
import io
import json
import sqlite3
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from onrecord.cli import main
from onrecord.corpus import Corpus, store
from onrecord.corpus import ingest as ingest_module
from onrecord.options import default_options

STORIES = {
    "pier": ("Ferry pier reopens after storm repairs",
             ("The Kestrel Bay ferry pier reopened on Tuesday after six weeks of storm repairs, the harbour board "
              "said.\n\nHarbourmaster Mara Olsen said the first crossing had been fully booked.")),
    "eels": ("Glass eels return to the Dunmore estuary",
             ("Glass eels have returned to the Dunmore estuary in record numbers, river warden Ilse Brandt said "
              "on Monday.\n\n\"We counted more in one night than in all of last spring,\" Brandt said.")),
    "mill": ("Old wool mill to become a library",
             ("The disused Carrow wool mill will be turned into the town's new library, councillor Pieter Voss "
              "announced on Friday.\n\nVoss said building work would start in the autumn.")),
}


def html(title, body):
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def text_page(name):
    title, body = STORIES[name]
    return f"{title}\n\n{body}\n"


@pytest.fixture
def corpus(tmp_path, nlp):
    with Corpus(tmp_path / "corpus.db") as opened:
        yield opened


def count(corpus, table):
    with corpus.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def articles(corpus):
    with corpus.engine.connect() as connection:
        return [row._asdict() for row in connection.execute(store.articles.select().order_by(store.articles.c.id))]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def write_warc(path, pages, gz):
    """A WARC of HTML responses (and one image response, which is not a page) written with warcio."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for url, body, content_type in pages + [("https://ledger.example/logo.png", b"\x89PNG\r\n", "image/png")]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    return path


def warc_pages():
    return [(f"https://ledger.example/{name}", html(*STORIES[name]).encode(), "text/html; charset=utf-8")
            for name in STORIES]


def test_a_directory_with_gz_pages_is_ingested_and_a_rerun_does_nothing(corpus, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "pier.txt").write_text(text_page("pier"), encoding="utf-8")
    (pages / "eels.html").write_text(html(*STORIES["eels"]), encoding="utf-8")
    (pages / "mill.txt.gz").write_bytes(gzip.compress(text_page("mill").encode()))
    assert corpus.count([pages]) == 3
    first = corpus.ingest([pages])
    assert first.outcomes["analysed"] == 3 and count(corpus, store.attributions) >= 3
    assert {a["title"] for a in articles(corpus)} == {title for title, _ in STORIES.values()}
    again = corpus.ingest([pages])
    assert again.outcomes == {"unchanged": 3}
    assert again.render() == "nothing to do: all 3 pages are already in the store"
    assert count(corpus, store.articles) == 3 and count(corpus, store.analyses) == 3


def test_jsonl_metadata_wins_and_a_malformed_line_is_an_error_row_once(corpus, tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", [
        {"url": "https://ledger.example/pier", "text": text_page("pier"), "outlet": "Kestrel Bay Ledger",
         "published": "2031-05-06T08:00:00Z", "fetched": "2031-05-06T09:30:00Z"},
        {"url": "https://ledger.example/empty", "html": 42}])
    with open(feed, "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    summary = corpus.ingest([feed])
    assert summary.outcomes == {"analysed": 1, "error": 2} and summary.errors == {"MalformedRecord": 2}
    [article] = articles(corpus)
    assert (article["outlet"], article["published"], article["fetched"]) == \
        ("Kestrel Bay Ledger", "2031-05-06T08:00:00Z", "2031-05-06T09:30:00Z")
    assert corpus.ingest([feed]).outcomes == {"unchanged": 1, "failed before": 2}
    assert count(corpus, store.errors) == 2


def test_the_same_page_at_another_url_is_a_copy_reusing_the_analysis(corpus, tmp_path, monkeypatch):
    body = text_page("eels")
    feed = write_jsonl(tmp_path / "feed.jsonl", [{"url": "https://ledger.example/eels", "text": body},
                                                  {"url": "https://coastpost.example/eels", "text": body}])
    later = write_jsonl(tmp_path / "later.jsonl", [{"url": "https://riverwire.example/eels", "text": body}])
    assert corpus.ingest([feed]).outcomes == {"analysed": 1, "copy": 1}  # the repeat waited for its chunk
    monkeypatch.setattr(ingest_module, "_analysed", lambda *_: pytest.fail("a copy must not be analysed again"))
    assert corpus.ingest([later]).outcomes == {"copy": 1}
    [original] = [a for a in articles(corpus) if a["copy_of"] is None]  # undated: the rule picks by URL
    copies = [a for a in articles(corpus) if a["copy_of"] is not None]
    assert original["url"] == "https://coastpost.example/eels"
    assert [c["copy_of"] for c in copies] == [original["id"], original["id"]]
    assert {c["analysis_id"] for c in copies} == {original["analysis_id"]} and count(corpus, store.analyses) == 1
    with corpus.engine.connect() as connection:
        per_article = connection.execute(select(store.attributions.c.article_id, func.count())
                                         .group_by(store.attributions.c.article_id)).all()
    assert len(per_article) == 3 and len({n for _, n in per_article}) == 1  # each copy has the original's rows


def test_new_content_at_a_known_url_is_a_new_version_and_the_old_one_is_kept(corpus, tmp_path):
    url = "https://ledger.example/mill"
    first = write_jsonl(tmp_path / "first.jsonl", [{"url": url, "text": text_page("mill")}])
    corpus.ingest([first])
    updated = text_page("mill").replace("in the autumn", "next spring")
    second = write_jsonl(tmp_path / "second.jsonl", [{"url": url, "text": updated}])
    assert corpus.ingest([second]).outcomes == {"new version": 1}
    old, new = articles(corpus)
    assert (old["version"], old["is_latest"], new["version"], new["is_latest"]) == (1, False, 2, True)
    assert "autumn" in old["text"] and "next spring" in new["text"]
    assert [a["version"] for a in corpus.search("library")] == [2]


def test_an_ingest_killed_midway_resumes_with_nothing_lost_or_stored_twice(corpus, tmp_path, monkeypatch):
    feed = write_jsonl(tmp_path / "feed.jsonl", [{"url": f"https://ledger.example/{name}", "text": text_page(name)}
                                                 for name in STORIES])
    save = store.save_article
    calls = []

    def crash_on_the_second(connection, page, *rest):
        calls.append(page.url)
        if len(calls) == 2:  # the second page's transaction dies after its analysis row was written
            raise KeyboardInterrupt
        return save(connection, page, *rest)

    monkeypatch.setattr(store, "save_article", crash_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        corpus.ingest([feed])
    first = sorted(f"https://ledger.example/{name}" for name in STORIES)[0]  # undated pages link in URL order
    assert [a["url"] for a in articles(corpus)] == [first]
    assert count(corpus, store.analyses) == 1  # the dead page's analysis went with its transaction
    monkeypatch.setattr(store, "save_article", save)
    assert corpus.ingest([feed]).outcomes == {"unchanged": 1, "analysed": 2}
    assert sorted(a["url"] for a in articles(corpus)) == sorted(f"https://ledger.example/{n}" for n in STORIES)
    assert count(corpus, store.analyses) == 3


def test_an_eager_analyser_works_on_the_next_chunk_while_one_is_stored(corpus, tmp_path):
    """One page a chunk: the second chunk is handed over before the first is stored, a new version waits for
    the chunk in flight that holds its URL, and a copy of a chunk's bytes is stored with it."""
    pier, eels = "https://ledger.example/pier", "https://ledger.example/eels"
    feed = write_jsonl(tmp_path / "feed.jsonl", [
        {"url": pier, "text": text_page("pier")},
        {"url": pier, "text": text_page("pier").replace("six weeks", "seven weeks")},
        {"url": eels, "text": text_page("eels")},
        {"url": "https://coastpost.example/eels", "text": text_page("eels")}])
    events = []

    def eager(items):  # analyses at once, as a Dask cluster starts on the tasks it is given
        events.append(("analyse", items[0].url, b"seven" in items[0].data))
        return list(ingest_module._analysed(items, 1, default_options()))

    summary = ingest_module.ingest(corpus.engine, [feed], analyser=eager, chunk_pages=1,
                                   progress=lambda outcome: events.append(("stored", outcome)))
    assert summary.outcomes == {"analysed": 2, "copy": 1, "new version": 1}
    assert events == [("analyse", pier, False), ("analyse", eels, False), ("stored", "analysed"),
                      ("analyse", pier, True), ("stored", "copy"), ("stored", "analysed"), ("stored", "new version")]
    #  the copy's URL sorts first: undated pages are linked in URL order
    versions = [(a["version"], "seven weeks" in a["text"]) for a in articles(corpus) if a["url"] == pier]
    assert versions == [(1, False), (2, True)]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_html_responses_are_ingested(corpus, tmp_path, gz):
    warc = write_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), warc_pages(), gz)
    summary = corpus.ingest([warc])
    assert summary.outcomes == {"analysed": 3}  # the image response is not a page
    stored = articles(corpus)
    assert {a["url"] for a in stored} == {f"https://ledger.example/{name}" for name in STORIES}
    assert all(a["fetched"] and a["source"].startswith(f"{warc}@") for a in stored)


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_a_malformed_warc_record_is_an_error_row_and_the_file_goes_on(corpus, tmp_path, gz):
    from warcio.archiveiterator import ArchiveIterator

    warc = write_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), warc_pages(), gz)
    with open(warc, "rb") as handle:
        records = ArchiveIterator(handle)
        offsets = []
        for _ in records:
            offsets.append(records.get_record_offset())
    data = bytearray(warc.read_bytes())
    data[offsets[1]:offsets[1] + 12] = b"not a record"  # the second record's header (or gzip member) broken
    warc.write_bytes(bytes(data))
    summary = corpus.ingest([warc])
    assert summary.outcomes == {"analysed": 2, "error": 1} and summary.errors == {"MalformedRecord": 1}
    assert {a["url"] for a in articles(corpus)} == {"https://ledger.example/pier", "https://ledger.example/mill"}
    with corpus.engine.connect() as connection:
        error = connection.execute(store.errors.select()).one()
    assert error.source == f"{warc}@{offsets[1]}" and "malformed WARC record" in error.message
    assert corpus.ingest([warc]).outcomes == {"unchanged": 2, "failed before": 1}


def test_a_url_list_is_fetched_under_the_safety_rules(corpus, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("# refused: a loopback address\nhttp://127.0.0.1:9/story\n\nftp://ledger.example/x\n",
                    encoding="utf-8")
    summary = corpus.ingest([], urls=urls)
    assert summary.errors == {"FetchRefused": 2}
    assert corpus.count([], urls=urls) == 2


def test_two_workers_store_every_page_once(corpus, tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", [{"url": f"https://ledger.example/{name}", "text": text_page(name)}
                                                 for name in STORIES] +
                       [{"url": "https://coastpost.example/pier", "text": text_page("pier")}])
    assert corpus.ingest([feed], workers=2).outcomes == {"analysed": 3, "copy": 1}
    assert count(corpus, store.articles) == 4 and count(corpus, store.analyses) == 3


def test_ingest_command_reports_and_reruns_idempotently(nlp, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "pier.txt").write_text(text_page("pier"), encoding="utf-8")
    db = tmp_path / "cli.db"
    first = CliRunner().invoke(main, ["ingest", str(pages), "--db", str(db), "--workers", "1"])
    assert first.exit_code == 0, first.output
    assert "1 analysed" in first.output
    again = CliRunner().invoke(main, ["ingest", str(pages), "--db", str(db), "--workers", "1"])
    assert "nothing to do: all 1 pages are already in the store" in again.output


def test_ingest_without_claims_says_what_waits_and_link_claims_links_it_once(nlp, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "pier.txt").write_text(text_page("pier"), encoding="utf-8")
    db = tmp_path / "cli.db"
    first = CliRunner().invoke(main, ["ingest", str(pages), "--db", str(db), "--workers", "1", "--no-claims"])
    assert first.exit_code == 0, first.output
    assert "1 articles wait for their claims to be linked: run `onrecord link-claims" in first.output
    with Corpus(db) as corpus:
        assert corpus.count_claims() == 0
    linked = CliRunner().invoke(main, ["link-claims", "--db", str(db), "--workers", "1"])
    assert linked.exit_code == 0, linked.output
    with Corpus(db) as corpus:
        records = corpus.count_claims()
    assert records > 0 and "linked the claims of 1 articles" in linked.output and f"{records} claim records" in \
        linked.output
    again = CliRunner().invoke(main, ["link-claims", "--db", str(db)])
    assert again.exit_code == 0 and "nothing to do" in again.output


def test_link_claims_command_never_creates_a_store_and_fails_in_one_line_on_a_locked_one(nlp, tmp_path,
                                                                                           monkeypatch):
    missing = CliRunner().invoke(main, ["link-claims", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "no store at" in missing.output and not (tmp_path / "none.db").exists()
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.1)
    db, pages = tmp_path / "cli.db", tmp_path / "pages"
    pages.mkdir()
    (pages / "pier.txt").write_text(text_page("pier"), encoding="utf-8")
    with Corpus(db) as corpus:
        corpus.ingest([pages], claims=False)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = CliRunner().invoke(main, ["link-claims", "--db", str(db)])
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 9 and "is locked by another process" in result.output


def test_ingest_command_on_a_locked_store_fails_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.1)
    db, feed = tmp_path / "cli.db", tmp_path / "feed.jsonl"
    feed.write_text("not a record\n", encoding="utf-8")
    Corpus(db).close()
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = CliRunner().invoke(main, ["ingest", str(feed), "--db", str(db)])
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 9 and "is locked by another process" in result.output


def test_ingest_command_needs_a_source(tmp_path):
    result = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "at least one SOURCE" in result.output


def test_two_writers_share_one_postgresql_store(tmp_path, nlp):
    """Two ingests of the same pages at once into one PostgreSQL store: each page stored once, linked once,
    neither run failing (every page's transaction holds the store's writing lock)."""
    from tests.conftest import postgres_url

    url = postgres_url("onrecord_two_writers_tests")
    pages = [{"url": f"https://ledger.example/{name}/{copy}", "text": text_page(name)}
             for name in STORIES for copy in range(3)]
    feeds = [write_jsonl(tmp_path / f"feed{n}.jsonl", pages if n == 0 else list(reversed(pages)))
             for n in range(2)]
    corpora = [Corpus(url), Corpus(url)]  # two stores opened (and migrated) in turn, as two processes would
    summaries, failures = [], []

    def write(corpus, feed):
        try:
            summaries.append(corpus.ingest([feed]))
        except Exception as error:  # the test reports any failure of either writer
            failures.append(error)

    writers = [threading.Thread(target=write, args=pair) for pair in zip(corpora, feeds)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    for corpus in corpora:
        corpus.close()
    assert failures == [] and all(summary.errors == {} for summary in summaries)
    with Corpus(url) as corpus:
        assert sorted(a["url"] for a in articles(corpus)) == sorted(page["url"] for page in pages)
        assert count(corpus, store.analyses) == len(STORIES)
        assert count(corpus, store.story_members) == len(pages)
