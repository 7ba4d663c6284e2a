"""Linking a stored article to the rest of the corpus, in the transaction that stores it: its wire copies
(an indexed MinHash lookup), its story (an indexed lookup of stories near its date) and its claims' records
across articles (the story's records and an indexed word lookup). All read and write only the store, so an
ingest can stop and restart anywhere, and memory does not grow with the corpus. What needs only the page (its
claims' embeddings) is prepared beforehand where the page was analysed (`prepare`), off the single writer.

Claims can wait: an ingest that only wants copies and stories stores articles with `claims=False` (their
`claims_linked` is false), and `link_pending_claims` links them later, in the order an ingest would have."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from . import store
from .claims import claim_vectors, link_claims, rekey_copy
from .copies import CopyFinder, CopyLink, SqlCopyStore, fingerprint, text_minhash
from .store import analyses, articles, as_datetime, entities, story_members
from .stories import SqlStoryState, StoryClusterer

PENDING_CHUNK = 200  # articles whose claims are embedded together before the writer links them


@dataclass(frozen=True)
class Links:
    """What linking changed: copy links new or moved (the article's own and those of a group whose original
    it became), the story it joined or started, and the claim record each of its claims joined or started."""
    copies: list[CopyLink]
    story: int
    claims: list[int]


def prepare(record: dict, claims: bool = True) -> dict:
    """Adds to a batch record what linking its page will need and can be made without the store: the MinHash
    of its text ("minhash": `copies.text_minhash`) and, with `claims`, its claims' embeddings
    ("claim_vectors"). Runs in the analysis workers, off the single writer; a record it cannot prepare is linked
    unprepared (the writer makes what is missing), never lost."""
    if "analysis" in record:
        try:
            record["minhash"] = text_minhash(record["analysis"]["article"].get("text") or "")
            if claims:
                record["claim_vectors"] = claim_vectors(record["analysis"])
        except Exception:  # an optimisation only: the writer makes what is missing
            pass
    return record


def link_article(connection: Connection, article_id: int, embeddings: bool = True,
                 vectors: dict[str, bytes] | None = None, claims: bool = True,
                 minhash: tuple[np.ndarray, int] | None = None) -> Links:
    """Finds the stored article's copies, story and claim records, and stores the links. The story sees the people and
    organisations the analysis named, the most mentioned first (descriptions such as "officials" are not names).
    `embeddings`: match claims with MiniLM embeddings where installed (False: by their words alone); `vectors`:
    the claims' embeddings from `prepare`; `claims`: False leaves the claims for `link_pending_claims`;
    `minhash`: the text's MinHash from `prepare`."""
    row = connection.execute(select(articles.c.text, articles.c.published, articles.c.outlet,
                                    articles.c.wire_credit, articles.c.url).where(articles.c.id == article_id)).one()
    published = as_datetime(row.published)
    names = connection.execute(select(entities.c.name).where(entities.c.article_id == article_id,
                                                             entities.c.type.in_(("person", "organization")))
                               .order_by(entities.c.mentions.desc(), entities.c.id)).scalars()
    copies = CopyFinder(SqlCopyStore(connection)).add(
        fingerprint(article_id, row.text, published, row.outlet, row.wire_credit, row.url, minhash))
    story = StoryClusterer(state=SqlStoryState(connection)).add(article_id, row.text, published, entities=list(names))
    if claims:
        records = link_claims(connection, article_id, story.id, embeddings, vectors)
    else:
        records = []
        connection.execute(update(articles).where(articles.c.id == article_id).values(claims_linked=False))
    for link in copies:
        if link.copy != article_id:
            rekey_copy(connection, link.copy)  # an earlier page arriving late became the original of others
    return Links(copies, story.id, records)


def pending_claims(connection: Connection) -> list[int]:
    """The articles whose claims wait to be linked, in the order an ingest links pages: publication time as
    stored (undated last), then URL and version."""
    rows = connection.execute(select(articles.c.id, articles.c.published, articles.c.url, articles.c.version)
                              .where(articles.c.claims_linked.is_(False)))
    return [row.id for row in sorted(rows, key=lambda row: (publication_key(row.published), row.url, row.version))]


def publication_key(published) -> str:
    """A publication time (text or datetime) as a sort key in which undated pages come last."""
    moment = as_datetime(published)
    return moment.isoformat() if moment else "\uffff"


def link_pending_claims(engine: Engine, workers: int = 1,
                        progress: Callable[[int], None] | None = None) -> PendingLinked:
    """Links the claims of every article stored with `claims=False` to claim records, each article in its own
    transaction (so a killed run is simply run again), in `pending_claims` order. `workers` > 1 embeds the
    claims in that many processes while this one links; `progress` hears each article's id. An article another
    run linked meanwhile is skipped; one whose linking fails is an error row (source "link-claims"), stays
    waiting for the next run, and the others go on. A failure of the database itself ends the run."""
    with engine.connect() as connection:
        pending = pending_claims(connection)
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 and pending else None
    done = PendingLinked()
    try:
        for start in range(0, len(pending), PENDING_CHUNK):
            chunk = pending[start:start + PENDING_CHUNK]
            with engine.connect() as connection:
                found = {row.id: row.analysis for row in connection.execute(
                    select(articles.c.id, analyses.c.analysis).join(analyses, analyses.c.id == articles.c.analysis_id)
                    .where(articles.c.id.in_(chunk)))}
            stored = [store.stored_json(found[article_id]) for article_id in chunk]
            vectors = pool.map(_vectors, stored, chunksize=8) if pool else map(_vectors, stored)
            for article_id, made in zip(chunk, vectors):
                try:
                    linked = _link_pending(engine, article_id, made)
                except OperationalError:
                    raise
                except Exception as error:  # this article's failure, recorded; the others are linked
                    _save_linking_error(engine, article_id, error)
                    done.failed += 1
                    continue
                done.linked += linked
                if linked and progress:
                    progress(article_id)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    return done


@dataclass
class PendingLinked:
    """What `link_pending_claims` did: articles whose claims it linked, and those that failed (error rows)."""
    linked: int = 0
    failed: int = 0


def _vectors(analysis: dict) -> dict[str, bytes] | None:
    """The claims' embeddings, or None when they cannot be made here (the writer then embeds them itself)."""
    try:
        return claim_vectors(analysis)
    except Exception:  # an optimisation only, as in `prepare`
        return None


def _link_pending(engine: Engine, article_id: int, vectors: dict[str, bytes] | None) -> bool:
    with engine.begin() as connection:
        store.lock_for_writing(connection)
        row = connection.execute(select(articles.c.claims_linked, story_members.c.story_id)
                                 .outerjoin(story_members, story_members.c.article_id == articles.c.id)
                                 .where(articles.c.id == article_id)).one()
        if row.claims_linked:
            return False
        link_claims(connection, article_id, row.story_id, vectors=vectors)
        connection.execute(update(articles).where(articles.c.id == article_id).values(claims_linked=True))
        return True


def _save_linking_error(engine: Engine, article_id: int, error: Exception) -> None:
    with engine.begin() as connection:
        row = connection.execute(select(articles.c.url, articles.c.content_hash)
                                 .where(articles.c.id == article_id)).one()
        store.save_error(connection, source=f"link-claims:{article_id}", url=row.url, hash_=row.content_hash,
                         error_type=type(error).__name__, message=f"linking its claims failed: {error}",
                         internal=True)
