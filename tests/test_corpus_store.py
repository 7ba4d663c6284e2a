"""The corpus store on SQLite and on a real PostgreSQL server: the same tests on both.

PostgreSQL is reached through ONRECORD_TEST_DATABASE_URL (default: the project machines' server, user
postgres, database test); each test gets a freshly created schema, so reruns start clean. Without a
reachable server the PostgreSQL half skips and says why. No spaCy here: analyses are written by hand.
"""
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError

from onrecord.corpus import Corpus, StoreError, store
from onrecord.corpus.ingest import Input
from onrecord.corpus.linking import link_article
from onrecord.corpus.migrations import head
from tests.conftest import POSTGRES, postgres_url

SCHEMA = "onrecord_corpus_store_tests"


def _postgres_url() -> str:
    return postgres_url(SCHEMA)


@pytest.fixture(params=["sqlite", "postgresql"])
def corpus(request, tmp_path):
    db = str(tmp_path / "corpus.db") if request.param == "sqlite" else _postgres_url()
    with Corpus(db) as opened:
        yield opened


def analysis(title, text, speaker="Mara Olsen"):
    """A hand-written analysis in the pipeline's JSON form: one entity, one attribution, one claim."""
    cue_start = text.index("said")
    return {
        "schema": "onrecord.analysis/1",
        "article": {"title": title, "text": text, "paragraphs": [{"start": 0, "end": len(text)}],
                    "published": {"date": "2031-04-02", "evidence": "meta"}, "outlet": "Tidewater Ledger",
                    "byline": None, "wire": "NWA", "language": "en"},
        "entities": [{"id": "e1", "name": speaker, "type": "person", "kind": None, "titles": ["harbourmaster"],
                      "country": None, "mentions": [{"start": 0, "end": len(speaker)}]}],
        "attributions": [{"id": "a1", "cue": {"text": "said", "start": cue_start, "end": cue_start + 4},
                          "speaker": {"name": speaker, "type": "person", "entity": "e1", "mention": None},
                          "chain": [{"name": speaker, "type": "person", "entity": "e1"}],
                          "content": {"text": text, "start": 0, "end": len(text)}, "direct": False,
                          "stance": "assert", "addresses": None, "confidence": 0.9}],
        "claims": [{"id": "c1", "summary": text[:40], "attributions": ["a1"], "status": "single_source",
                    "reason": "one speaker"}],
        "warnings": [],
    }


def put(corpus, url, body, title="Ferry pier reopens", published=None):
    """Stores and links one page as ingest does, in one transaction; returns (article id, version)."""
    page = Input(source=f"test:{url}", url=url, data=body.encode(), published=published)
    with corpus.engine.begin() as connection:
        found = store.stored_analysis(connection, page.hash)
        analysis_id = found[0] if found else store.save_analysis(connection, page.hash, analysis(title, body), 0.1)
        article_id, version = store.save_article(connection, page, analysis_id, analysis(title, body))
        link_article(connection, article_id)
        return article_id, version


def rows(corpus, table, **where):
    with corpus.engine.connect() as connection:
        query = table.select().where(*(table.c[k] == v for k, v in where.items())).order_by(*table.primary_key)
        return [row._asdict() for row in connection.execute(query)]


def test_opening_migrates_to_the_newest_revision_and_matches_the_declared_schema(corpus):
    with corpus.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head()
        differences = [d for d in compare_metadata(MigrationContext.configure(connection), store.metadata)
                       if "articles_fts" not in str(d) and "search" not in str(d)]
    assert differences == []


def test_reopening_an_existing_store_keeps_its_rows(corpus):
    put(corpus, "https://ledger.example/pier", "The pier reopened, harbourmaster Mara Olsen said on Tuesday.")
    with Corpus(corpus.engine.url.render_as_string(hide_password=False)) as again:
        assert [row["url"] for row in rows(again, store.articles)] == ["https://ledger.example/pier"]


def test_an_article_is_stored_with_its_attributions_entities_claims_and_analysis(corpus):
    body = "The pier reopened, harbourmaster Mara Olsen said on Tuesday."
    article_id, version = put(corpus, "https://ledger.example/pier", body)
    article = rows(corpus, store.articles, id=article_id)[0]
    assert (version, article["is_latest"], article["title"], article["wire_credit"]) == (1, True, "Ferry pier reopens", "NWA")
    assert article["published"] == "2031-04-02" and article["outlet"] == "Tidewater Ledger"
    assert article["content_hash"] == store.content_hash(body.encode()) and article["copy_of"] is None
    said = rows(corpus, store.attributions, article_id=article_id)
    assert [(a["speaker"], a["cue"], a["stance"], a["chain"][0]["name"]) for a in said] == \
        [("Mara Olsen", "said", "assert", "Mara Olsen")]
    assert [(e["name"], e["mentions"], e["titles"]) for e in rows(corpus, store.entities, article_id=article_id)] == \
        [("Mara Olsen", 1, ["harbourmaster"])]
    assert [(c["status"], c["attributions"]) for c in rows(corpus, store.claims, article_id=article_id)] == \
        [("single_source", ["a1"])]
    stored = rows(corpus, store.analyses, id=article["analysis_id"])[0]
    assert stored["analysis"]["attributions"][0]["content"]["text"] == body


def test_new_content_at_a_known_url_is_the_next_version_and_the_latest(corpus):
    url = "https://ledger.example/pier"
    put(corpus, url, "The pier will reopen on Tuesday, harbourmaster Mara Olsen said.")
    _, version = put(corpus, url, "The pier reopened on Tuesday, harbourmaster Mara Olsen said.")
    versions = rows(corpus, store.articles, url=url)
    assert version == 2
    assert [(a["version"], a["is_latest"]) for a in versions] == [(1, False), (2, True)]
    assert "will reopen" in versions[0]["text"]


def test_the_same_text_at_another_url_is_a_copy_of_the_earlier_page_and_shares_its_story(corpus):
    body = ("The pier at Tidewater reopened on Tuesday after a winter of repairs to its pilings and deck, "
            "harbourmaster Mara Olsen said, and the first ferry of the season docked there at noon.")
    later, _ = put(corpus, "https://ledger.example/pier", body, published="2031-04-03")
    earlier, _ = put(corpus, "https://coastpost.example/pier-reopens", body, published="2031-04-02")
    assert [(a["id"], a["copy_of"]) for a in rows(corpus, store.articles)] == [(later, earlier), (earlier, None)]
    assert rows(corpus, store.articles, id=later)[0]["copy_containment"] == 1.0
    members = rows(corpus, store.story_members)
    assert len(members) == 2 and len({m["story_id"] for m in members}) == 1
    [story] = rows(corpus, store.stories)
    assert (story["articles"], story["first_seen"], story["last_seen"]) == (2, "2031-04-02T00:00:00", "2031-04-03T00:00:00")
    assert "mara olsen" in story["label"]
    with corpus.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(store.analyses)).scalar_one() == 1


def test_the_same_bytes_twice_at_one_url_are_refused_by_the_schema(corpus):
    body = "The pier reopened, harbourmaster Mara Olsen said on Tuesday."
    put(corpus, "https://ledger.example/pier", body)
    with pytest.raises(IntegrityError), corpus.engine.begin() as connection:
        store.save_article(connection, Input(source="again", url="https://ledger.example/pier", data=body.encode()),
                           1, analysis("Ferry pier reopens", body))


def test_foreign_keys_are_enforced(corpus):
    with pytest.raises(IntegrityError), corpus.engine.begin() as connection:
        connection.execute(store.claims.insert().values(article_id=9999, claim="c1", summary="x", status="asserted",
                                                        reason="x", attributions=[]))


def test_full_text_search_finds_the_latest_versions_by_title_and_text(corpus):
    put(corpus, "https://ledger.example/pier", "The pier reopened, harbourmaster Mara Olsen said.")
    put(corpus, "https://ledger.example/eels", "Glass eels returned to the estuary, warden Ilse Brandt said.",
        title="Eels come back")
    put(corpus, "https://ledger.example/eels", "Glass eels left the estuary early, warden Ilse Brandt said.",
        title="Eels leave early")
    assert [a["title"] for a in corpus.search("estuary")] == ["Eels leave early"]
    assert [a["url"] for a in corpus.search("pier")] == ["https://ledger.example/pier"]
    assert corpus.search("volcano") == []


def test_errors_are_rows_that_a_rerun_recognises(corpus):
    with corpus.engine.begin() as connection:
        store.save_error(connection, source="feed.jsonl:3", url="https://ledger.example/x", hash_="ab" * 32,
                         error_type="NoArticle", message="no article text", internal=False)
        assert store.seen(connection, "feed.jsonl:3", "https://ledger.example/x", "ab" * 32) == "failed"
        assert store.seen(connection, "feed.jsonl:3", "https://ledger.example/x", "cd" * 32) is None
    assert [(e["error_type"], e["internal"]) for e in rows(corpus, store.errors)] == [("NoArticle", False)]


def test_sqlite_store_runs_in_wal_mode(tmp_path):
    with Corpus(tmp_path / "wal.db") as corpus, corpus.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1


def test_a_locked_sqlite_file_is_a_clear_error(tmp_path):
    path, feed = tmp_path / "locked.db", tmp_path / "feed.jsonl"
    feed.write_text("not a record\n", encoding="utf-8")  # stored as an error row: a write, with no analysis
    with Corpus(path, lock_timeout=0.1) as corpus:
        holder = sqlite3.connect(path)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError, match="locked by another process"):
                corpus.ingest([feed])
        finally:
            holder.rollback()
            holder.close()
        assert corpus.ingest([feed]).outcomes["error"] == 1


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no folder"):
        Corpus(tmp_path / "absent" / "corpus.db")


def test_a_postgresql_server_that_goes_away_is_a_clear_error_and_keeps_committed_rows():
    url = _postgres_url()
    with Corpus(url) as corpus:
        put(corpus, "https://ledger.example/pier", "The pier reopened, harbourmaster Mara Olsen said.")
        with corpus.engine.connect() as connection:
            backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            killer = create_engine(POSTGRES)
            with killer.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
            killer.dispose()
            with pytest.raises(StoreError, match="lost the database"), store.guarded(corpus.engine):
                connection.execute(text("SELECT 1"))
    with Corpus(url) as reopened:
        assert [a["url"] for a in rows(reopened, store.articles)] == ["https://ledger.example/pier"]


def test_shipped_datasette_metadata_is_generated_from_the_schema():
    import json
    from importlib.resources import files

    shipped = json.loads(files("onrecord").joinpath("data/datasette.json").read_text(encoding="utf-8"))
    assert shipped == store.datasette_metadata(), "regenerate src/onrecord/data/datasette.json (docs/corpus.md)"
    tables = shipped["databases"]["onrecord"]["tables"]
    assert set(store.metadata.tables) <= set(tables) and tables["articles"]["fts_table"] == "articles_fts"


def test_a_store_made_before_deferred_claim_linking_upgrades_with_its_articles_linked(tmp_path):
    """Revision 0004 adds `claims_linked`: articles stored before it were linked as they were stored."""
    from alembic import command

    from onrecord.corpus.migrations import config

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    settings = config()
    with engine.begin() as connection:
        settings.attributes["connection"] = connection
        command.upgrade(settings, "0003")
        connection.execute(text("INSERT INTO analyses (id, content_hash, schema, analysis, analysed_at) "
                                "VALUES (1, 'h', 'onrecord.analysis/1', '{}', '2031-04-02')"))
        connection.execute(text("INSERT INTO articles (url, version, is_latest, source, text, content_hash, "
                                "text_hash, analysis_id, ingested_at) VALUES ('https://ledger.example/old', 1, 1, "
                                "'test', 'An old page.', 'h', 't', 1, '2031-04-02')"))
    engine.dispose()
    with Corpus(path) as corpus:
        assert [row["claims_linked"] for row in rows(corpus, store.articles)] == [True]
        assert corpus.count_pending_claims() == 0


def test_an_article_stored_without_its_claims_waits_for_them_and_is_linked_later(corpus):
    body = "The pier reopened, harbourmaster Mara Olsen said on Tuesday."
    page = Input(source="test:pier", url="https://ledger.example/pier", data=body.encode())
    with corpus.engine.begin() as connection:
        analysis_id = store.save_analysis(connection, page.hash, analysis("Ferry pier reopens", body), 0.1)
        article_id, _ = store.save_article(connection, page, analysis_id, analysis("Ferry pier reopens", body))
        links = link_article(connection, article_id, claims=False)
    assert links.claims == [] and rows(corpus, store.claim_events) == []
    assert len(rows(corpus, store.story_members, article_id=article_id)) == 1  # its story is found all the same
    assert corpus.count_pending_claims() == 1
    assert corpus.link_claims().linked == 1
    assert [row["article_id"] for row in rows(corpus, store.claim_events)] == [article_id]
    assert rows(corpus, store.articles, id=article_id)[0]["claims_linked"] is True
    assert corpus.count_pending_claims() == 0 and corpus.link_claims().linked == 0


def test_an_article_whose_claims_fail_to_link_is_an_error_row_and_waits_while_the_others_are_linked(corpus,
                                                                                                    monkeypatch):
    from onrecord.corpus import linking

    ids = []
    for url in ("https://ledger.example/pier", "https://ledger.example/ferry"):
        body = f"The pier at {url[-5:]} reopened, harbourmaster Mara Olsen said on Tuesday."
        page = Input(source=f"test:{url}", url=url, data=body.encode())
        with corpus.engine.begin() as connection:
            analysis_id = store.save_analysis(connection, page.hash, analysis("Ferry pier reopens", body), 0.1)
            article_id, _ = store.save_article(connection, page, analysis_id, analysis("Ferry pier reopens", body))
            link_article(connection, article_id, claims=False)
        ids.append(article_id)
    real = linking.link_claims

    def failing_on_the_first(connection, article_id, *given, **named):
        if article_id == ids[0]:
            raise ValueError("a bug in claim linking")
        return real(connection, article_id, *given, **named)

    monkeypatch.setattr(linking, "link_claims", failing_on_the_first)
    done = corpus.link_claims()
    assert (done.linked, done.failed) == (1, 1) and corpus.count_pending_claims() == 1
    [error] = rows(corpus, store.errors)
    assert error["source"] == f"link-claims:{ids[0]}" and error["error_type"] == "ValueError" and error["internal"]
    assert {row["article_id"] for row in rows(corpus, store.claim_events)} == {ids[1]}
    monkeypatch.setattr(linking, "link_claims", real)
    assert corpus.link_claims().linked == 1 and corpus.count_pending_claims() == 0
