"""The corpus store: one schema for SQLite (the embedded default) and PostgreSQL, opened through SQLAlchemy
and brought to the current schema version by Alembic on open, so a file made by an older onrecord upgrades
itself and every database answers the same queries.

Every page is written in one transaction (its article, its rows and its analysis, or its error row), so a
killed ingest leaves only whole pages behind. Tables and columns are named for readers of Datasette.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (JSON, Boolean, Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String,
                        Table, Text, UniqueConstraint, create_engine, event, func, select, text, true, update)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from ..errors import OnrecordError

if TYPE_CHECKING:
    from .ingest import Input

DEFAULT_DB = "onrecord.db"
LOCK_TIMEOUT = 30.0  # seconds a SQLite writer waits for another one before the store reports it locked

JSONDocument = JSON().with_variant(JSONB(), "postgresql")
metadata = MetaData()

analyses = Table(
    "analyses", metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True,
           comment="SHA-256 of the page's bytes: the same bytes are analysed once"),
    Column("schema", String(40), nullable=False, comment="the analysis JSON's schema version"),
    Column("analysis", JSONDocument, nullable=False, comment="the pipeline's whole analysis JSON"),
    Column("seconds", Float, comment="time the analysis took"),
    Column("analysed_at", String(32), nullable=False),
    comment="Each distinct page's whole analysis JSON, shared by the articles that carry those bytes",
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, comment="the page's URL, or its file's path when it has none"),
    Column("version", Integer, nullable=False, comment="1 for the first content seen at this URL, then 2, 3..."),
    Column("is_latest", Boolean, nullable=False, comment="true for the version shown: the last one stored"),
    Column("source", Text, nullable=False, comment="where the page was read: a file, a JSONL line, a WARC record"),
    Column("outlet", Text),
    Column("published", String(32), comment="ISO date or date-time, from the input or the page"),
    Column("fetched", String(32), comment="ISO date-time the page was fetched, when the input says"),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("language", String(16)),
    Column("byline", Text),
    Column("wire_credit", Text, comment="the wire service the page credits (AFP, Reuters...)"),
    Column("content_hash", String(64), nullable=False, comment="SHA-256 of the page's bytes"),
    Column("text_hash", String(64), nullable=False, comment="SHA-256 of the cleaned article text"),
    Column("analysis_id", ForeignKey("analyses.id"), nullable=False),
    Column("copy_of", ForeignKey("articles.id"), comment="the original this article copies, when it is a copy"),
    Column("copy_similarity", Float, comment="Jaccard similarity of the shingles with the original"),
    Column("copy_containment", Float, comment="share of this text's shingles found in the original"),
    Column("ingested_at", String(32), nullable=False),
    Column("claims_linked", Boolean, nullable=False, server_default=true(),
           comment="false while its claims wait to be linked to claim records (ingest --no-claims, then link-claims)"),
    UniqueConstraint("url", "version", name="uq_articles_url_version"),
    UniqueConstraint("url", "content_hash", name="uq_articles_url_content"),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_text_hash", "text_hash"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_outlet", "outlet"),
    Index("ix_articles_copy_of", "copy_of"),
    Index("ix_articles_analysis_id", "analysis_id"),
    Index("ix_articles_claims_linked", "claims_linked"),
    comment="One row per version of each page: its metadata, cleaned text and links to its analysis and original",
)

attributions = Table(
    "attributions", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("attribution", String(16), nullable=False, comment="its id in the analysis (a1, a2...)"),
    Column("speaker", Text),
    Column("speaker_type", String(32), nullable=False),
    Column("speaker_entity", String(16), comment="the entity id in the analysis"),
    Column("cue", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("direct", Boolean, nullable=False, comment="a direct quotation"),
    Column("stance", String(16), nullable=False),
    Column("answers", String(16), comment="the attribution this one confirms or denies"),
    Column("chain", JSON, nullable=False, comment="the chain of custody, outermost speaker first"),
    Column("confidence", Float, nullable=False),
    Index("ix_attributions_article_id", "article_id"),
    Index("ix_attributions_speaker", "speaker"),
    comment="Who said what in each article: speaker, cue, content, stance and chain of custody",
)

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("entity", String(16), nullable=False, comment="its id in the analysis (e1, e2...)"),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("kind", Text),
    Column("titles", JSON, nullable=False),
    Column("country", Text),
    Column("mentions", Integer, nullable=False, comment="how many times the article mentions it"),
    Index("ix_entities_article_id", "article_id"),
    Index("ix_entities_name", "name"),
    comment="The people and organisations each article mentions",
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("claim", String(16), nullable=False, comment="its id in the analysis (c1, c2...)"),
    Column("summary", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("attributions", JSON, nullable=False, comment="ids of the attributions stating or answering it"),
    Index("ix_claims_article_id", "article_id"),
    Index("ix_claims_status", "status"),
    comment="The claims of each article, with the status its attributions give them",
)

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True),
    Column("label", Text, nullable=False, comment="its key entities and phrase"),
    Column("first_seen", String(32)),
    Column("last_seen", String(32)),
    Column("articles", Integer, nullable=False, comment="how many articles it holds"),
    Column("terms", JSON, comment="the sum of its members' term weights (its centroid)"),
    Column("entities", JSON, comment="how many members name each entity"),
    Column("phrases", JSON, comment="counts of its most frequent word pairs"),
    Column("norm", Float, comment="the centroid's length under the IDF of `norm_documents`"),
    Column("norm_documents", Integer, comment="articles stored when `norm` was computed"),
    Index("ix_stories_last_seen", "last_seen"),
    comment="Groups of articles about one news event",
)

story_keys = Table(
    "story_keys", metadata,
    Column("key", String(200), nullable=False, comment="a distinctive word, or entity:NAME"),
    Column("day", String(10), nullable=False, comment="publication day of the article that posted it ('' when undated)"),
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("key", "day", "story_id", name="uq_story_keys_key_day_story"),
    Index("ix_story_keys_story_id", "story_id"),
    comment="The inverted index of stories: which stories' articles used a key, on which day",
)

term_documents = Table(
    "term_documents", metadata,
    Column("term", String(200), primary_key=True, comment="a content word; the row with an empty word counts all articles"),
    Column("documents", Integer, nullable=False, comment="how many articles use it"),
    comment="How many articles use each word: the IDF weights of story matching",
)

story_members = Table(
    "story_members", metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("similarity", Float, comment="the article's similarity to the story when it joined"),
    Index("ix_story_members_article_id", "article_id"),
    comment="Which articles belong to which story",
)

minhash_bands = Table(
    "minhash_bands", metadata,
    Column("band", Integer, nullable=False),
    Column("key", String(32), nullable=False, comment="hash of one band of the article's MinHash signature"),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Index("ix_minhash_bands_band_key", "band", "key"),
    Index("ix_minhash_bands_article_id", "article_id"),
    comment="Band keys of each article's MinHash signature, the index wire-copy finding looks up",
)

fingerprints = Table(
    "fingerprints", metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary, nullable=False, comment="the MinHash signature: 128 unsigned 64-bit values"),
    Column("shingles", Integer, nullable=False, comment="how many distinct five-word shingles the text has"),
    comment="Each article's MinHash signature, what copy finding compares",
)

claim_records = Table(
    "claim_records", metadata,
    Column("id", Integer, primary_key=True),
    Column("text", Text, nullable=False, comment="the proposition as first reported: its earliest report's words"),
    Column("status", String(16), nullable=False, comment="the status its events give it today"),
    Column("reason", Text, nullable=False, comment="why, in words"),
    Column("first_date", String(10), comment="date of its earliest event"),
    Column("last_date", String(10), comment="date of its latest event"),
    Column("events", Integer, nullable=False, comment="how many events it has"),
    Column("terms", JSON, nullable=False, comment="its content words, with how many of its events use each"),
    Column("vector", LargeBinary, comment="its first claim's sentence embedding (MiniLM, float32)"),
    Index("ix_claim_records_last_date", "last_date"),
    comment="Claims across articles: one proposition however many articles report, confirm or deny it",
)

claim_events = Table(
    "claim_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", ForeignKey("claim_records.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("article_claim", String(16), comment="the page claim it came from (c1, c2...)"),
    Column("attribution", String(16), comment="the attribution (a1, a2...); null for the outlet's own voice"),
    Column("date", String(10), nullable=False, comment="the article's publication day, else the day it was stored"),
    Column("outlet", Text),
    Column("speaker", Text, nullable=False),
    Column("speaker_type", String(32), nullable=False),
    Column("party", Text, nullable=False, comment="who is speaking, as a key: a later statement of the same party "
           "on the same line supersedes this one"),
    Column("originator", Text, nullable=False, comment="the last of the chain, as a key: copies keep their original's"),
    Column("originator_type", String(32), nullable=False),
    Column("chain", JSON, nullable=False, comment="the chain of custody, outermost speaker first"),
    Column("stance", String(16), nullable=False, comment="the attribution's stance in its article"),
    Column("toward", String(16), nullable=False, comment="its stance toward the claim: the stance, except that "
           "a report negating the claim's first report (\"he has not defected\") denies it"),
    Column("quote", Text, nullable=False, comment="the attribution's content, or the outlet's sentence"),
    Column("copy_of", ForeignKey("articles.id", ondelete="SET NULL"), comment="the original when the article is a copy"),
    Index("ix_claim_events_claim_id", "claim_id"),
    Index("ix_claim_events_article_id", "article_id"),
    comment="Every statement about a claim across articles: who, when, where, how firmly",
)

claim_status_changes = Table(
    "claim_status_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", ForeignKey("claim_records.id", ondelete="CASCADE"), nullable=False),
    Column("date", String(10), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("event_id", ForeignKey("claim_events.id", ondelete="CASCADE"), nullable=False,
           comment="the event that changed it"),
    Index("ix_claim_status_changes_claim_id", "claim_id"),
    comment="Each claim's status history, in event-date order: one row per change",
)

claim_keys = Table(
    "claim_keys", metadata,
    Column("key", String(200), nullable=False, comment="a distinctive content word of the claim"),
    Column("claim_id", ForeignKey("claim_records.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("key", "claim_id", name="uq_claim_keys_key_claim"),
    Index("ix_claim_keys_claim_id", "claim_id"),
    comment="The inverted index of claims: which claims use a word, what matching and search look up",
)

errors = Table(
    "errors", metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False, comment="where the page was read: a file, a JSONL line, a WARC record"),
    Column("url", Text),
    Column("content_hash", String(64), comment="SHA-256 of the page's bytes, when they could be read"),
    Column("error_type", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("internal", Boolean, nullable=False, comment="true for a bug rather than a page refused on purpose"),
    Column("failed_at", String(32), nullable=False),
    Index("ix_errors_url_content_hash", "url", "content_hash"),
    Index("ix_errors_source", "source"),
    Index("ix_errors_error_type", "error_type"),
    comment="Pages that could not be read or analysed, with the reason",
)


class StoreError(OnrecordError):
    """The store cannot be opened or written: locked, unreachable, or made by a newer onrecord."""
    exit_code = 9


def database_url(db: str | Path | None) -> str:
    """A database URL from what the user typed: a URL as it is, else a SQLite file path (the folder must exist)."""
    db = str(db or DEFAULT_DB)
    if "://" in db:
        return db
    path = Path(db).expanduser().resolve()
    if not path.parent.is_dir():
        raise StoreError(f"cannot open {db}: there is no folder {path.parent}")
    return f"sqlite:///{path}"


def open_engine(db: str | Path | None, lock_timeout: float | None = None) -> Engine:
    """An engine on the store, migrated to the current schema. SQLite runs in WAL mode (readers never wait
    for the writer) with synchronous=NORMAL (a commit per page without an fsync each; a killed process still
    loses nothing committed) and foreign keys enforced, which SQLite leaves off unless asked."""
    url = database_url(db)
    timeout = LOCK_TIMEOUT if lock_timeout is None else lock_timeout
    try:
        engine = create_engine(url, connect_args={"timeout": timeout} if url.startswith("sqlite") else {},
                               json_serializer=lambda value: json.dumps(value, ensure_ascii=False))
    except Exception as error:  # a malformed URL or a driver that is not installed
        raise StoreError(f"cannot open {url}: {error}") from error
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_settings)
    from .migrations import upgrade
    with guarded(engine):
        upgrade(engine)
    return engine


def _sqlite_settings(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@contextmanager
def guarded(engine: Engine) -> Iterator[None]:
    """Turns database failures into one clear StoreError: a locked SQLite file, a server gone away."""
    try:
        yield
    except OperationalError as error:
        where = engine.url.render_as_string(hide_password=True)
        if "locked" in str(error.orig):
            raise StoreError(f"{where} is locked by another process (another ingest?): try again when it "
                             "ends") from error
        raise StoreError(f"lost the database {where}: {str(error.orig).strip()}; every page committed before "
                         "this one is kept") from error


WRITING_LOCK = 0x6F6E7265  # the PostgreSQL advisory lock every page's transaction takes ("onre")


def lock_for_writing(connection: Connection) -> None:
    """Makes this page's transaction the only one storing and linking on a PostgreSQL store until it ends, so
    several ingests (writers) can share one store: linking reads and then rewrites shared rows (story
    centroids, claim records, status histories) that two writers at once would each overwrite, and the repeat
    check must see what the other writer has just stored. SQLite allows one writer at a time by itself."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITING_LOCK})


def insert_for(connection: Connection, table: Table):
    """An INSERT that can take ON CONFLICT clauses on the connection's database (SQLite or PostgreSQL)."""
    from sqlalchemy.dialects import postgresql, sqlite
    return (postgresql if connection.dialect.name == "postgresql" else sqlite).insert(table)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def as_datetime(value: str | None) -> datetime | None:
    """An ISO date or date-time as a naive UTC datetime, so dated and timed, zoned and unzoned values compare;
    None for what does not parse."""
    try:
        parsed = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def stored_analysis(connection: Connection, hash_: str) -> tuple[int, dict] | None:
    """The analysis already made of these bytes (id, JSON), at whatever URL they were seen."""
    row = connection.execute(select(analyses.c.id, analyses.c.analysis)
                             .where(analyses.c.content_hash == hash_)).first()
    return (row.id, stored_json(row.analysis)) if row else None


def stored_json(value) -> dict:
    """A JSON column's value as a dict (a driver may hand it back as text)."""
    return json.loads(value) if isinstance(value, str) else value


def save_analysis(connection: Connection, hash_: str, analysis: dict, seconds: float | None) -> int:
    return connection.execute(analyses.insert().values(
        content_hash=hash_, schema=analysis.get("schema", ""), analysis=analysis, seconds=seconds,
        analysed_at=now())).inserted_primary_key[0]


def save_article(connection: Connection, page: Input, analysis_id: int, analysis: dict) -> tuple[int, int]:
    """Stores one page's article, with its attributions, entities and claims; new content at a URL already
    stored is its next version and the latest. The page's own metadata wins over what the pipeline found.
    Copy links and stories are `linking.link_article`'s. Returns (article id, version)."""
    article = analysis["article"]
    version = connection.execute(select(func.coalesce(func.max(articles.c.version), 0))
                                 .where(articles.c.url == page.url)).scalar_one() + 1
    connection.execute(update(articles).where(articles.c.url == page.url).values(is_latest=False))
    body = article.get("text") or ""
    article_id = connection.execute(articles.insert().values(
        url=page.url, version=version, is_latest=True, source=page.source,
        outlet=page.outlet or article.get("outlet"),
        published=page.published or (article.get("published") or {}).get("date"), fetched=page.fetched,
        title=article.get("title"), text=body, language=article.get("language"), byline=article.get("byline"),
        wire_credit=article.get("wire"), content_hash=page.hash, text_hash=text_hash(body), analysis_id=analysis_id,
        ingested_at=now())).inserted_primary_key[0]
    _save_rows(connection, article_id, analysis)
    return article_id, version


def _save_rows(connection: Connection, article_id: int, analysis: dict) -> None:
    said = [{"article_id": article_id, "attribution": a["id"], "speaker": a["speaker"]["name"],
             "speaker_type": a["speaker"]["type"], "speaker_entity": a["speaker"].get("entity"),
             "cue": a["cue"]["text"], "content": a["content"]["text"], "direct": a["direct"], "stance": a["stance"],
             "answers": a.get("addresses"), "chain": a["chain"], "confidence": a["confidence"]}
            for a in analysis.get("attributions", [])]
    named = [{"article_id": article_id, "entity": e["id"], "name": e["name"], "type": e["type"], "kind": e.get("kind"),
              "titles": e.get("titles", []), "country": e.get("country"), "mentions": len(e.get("mentions", []))}
             for e in analysis.get("entities", [])]
    claimed = [{"article_id": article_id, "claim": c["id"], "summary": c["summary"], "status": c["status"],
                "reason": c["reason"], "attributions": c["attributions"]} for c in analysis.get("claims", [])]
    for table, rows in ((attributions, said), (entities, named), (claims, claimed)):
        if rows:
            connection.execute(table.insert(), rows)


def save_error(connection: Connection, *, source: str, url: str | None, hash_: str | None, error_type: str,
               message: str, internal: bool) -> None:
    connection.execute(errors.insert().values(source=source, url=url, content_hash=hash_, error_type=error_type,
                                              message=message, internal=internal, failed_at=now()))


def seen(connection: Connection, source: str, url: str, hash_: str | None) -> str | None:
    """'stored' when this URL already holds these bytes, 'failed' when they failed there before (or, for
    bytes that could not be read, when the same source failed before), else None."""
    if hash_ is None:
        failed = select(errors.c.id).where(errors.c.source == source, errors.c.content_hash.is_(None))
        return "failed" if connection.execute(failed).first() else None
    if connection.execute(select(articles.c.id).where(articles.c.url == url, articles.c.content_hash == hash_)).first():
        return "stored"
    if connection.execute(select(errors.c.id).where(errors.c.url == url, errors.c.content_hash == hash_)).first():
        return "failed"
    return None


def search(connection: Connection, query: str, limit: int = 20) -> list[int]:
    """Ids of the latest articles matching every word of a query, best first: FTS5 on SQLite (the words quoted,
    so punctuation is never query syntax), tsvector with web-search syntax on PostgreSQL."""
    if connection.dialect.name == "sqlite":
        sql = text("SELECT a.id FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                   "WHERE articles_fts MATCH :query AND a.is_latest ORDER BY rank LIMIT :limit")
        query = " ".join(f'"{word}"' for word in re.findall(r"\w+", query))  # words, not FTS5 syntax ("Veldra's")
        if not query:
            return []
    else:
        sql = text("SELECT id FROM articles, websearch_to_tsquery('english', :query) q "
                   "WHERE search @@ q AND is_latest ORDER BY ts_rank(search, q) DESC LIMIT :limit")
    return list(connection.execute(sql, {"query": query, "limit": limit}).scalars())


def datasette_metadata(database: str = "onrecord") -> dict:
    """Datasette metadata built from the schema's own comments, so the descriptions cannot drift from the
    tables; the articles table gets Datasette's search box over its FTS5 index."""
    tables = {table.name: {"description": table.comment,
                           "columns": {column.name: column.comment for column in table.columns if column.comment}}
              for table in metadata.sorted_tables}
    tables["articles"].update(fts_table="articles_fts", fts_pk="id", sort_desc="published")
    tables.update({f"articles_fts{part}": {"hidden": True} for part in ("", "_config", "_data", "_docsize", "_idx")})
    return {"title": "onrecord corpus", "description": "News pages analysed by onrecord: who said what, on whose "
            "word, how firmly", "databases": {database: {"tables": tables}}}
