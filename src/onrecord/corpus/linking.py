"""Linking a stored article to the rest of the corpus, in the transaction that stores it: its wire copies
(an indexed MinHash lookup), its story (an indexed lookup of stories near its date) and its claims' records
across articles (the story's records and an indexed word lookup). All read and write only the store, so an
ingest can stop and restart anywhere, and memory does not grow with the corpus. What needs only the page (its
claims' embeddings) is prepared beforehand where the page was analysed (`prepare`), off the single writer."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .claims import claim_vectors, link_claims, rekey_copy
from .copies import CopyFinder, CopyLink, SqlCopyStore, fingerprint
from .store import articles, as_datetime, entities
from .stories import SqlStoryState, StoryClusterer


@dataclass(frozen=True)
class Links:
    """What linking changed: copy links new or moved (the article's own and those of a group whose original
    it became), the story it joined or started, and the claim record each of its claims joined or started."""
    copies: list[CopyLink]
    story: int
    claims: list[int]


def prepare(record: dict) -> dict:
    """Adds to a batch record what linking its page will need and can be made without the store: the claims'
    embeddings ("claim_vectors"). Runs in the analysis workers; a record it cannot prepare is linked unprepared
    (the writer embeds), never lost."""
    if "analysis" in record:
        try:
            record["claim_vectors"] = claim_vectors(record["analysis"])
        except Exception:  # an optimisation only: the writer embeds what is missing
            pass
    return record


def link_article(connection: Connection, article_id: int, embeddings: bool = True,
                 vectors: dict[str, bytes] | None = None) -> Links:
    """Finds the stored article's copies, story and claim records, and stores the links. The story sees the people and
    organisations the analysis named, the most mentioned first (descriptions such as "officials" are not names).
    `embeddings`: match claims with MiniLM embeddings where installed (False: by their words alone); `vectors`:
    the claims' embeddings from `prepare`."""
    row = connection.execute(select(articles.c.text, articles.c.published, articles.c.outlet,
                                    articles.c.wire_credit, articles.c.url).where(articles.c.id == article_id)).one()
    published = as_datetime(row.published)
    names = connection.execute(select(entities.c.name).where(entities.c.article_id == article_id,
                                                             entities.c.type.in_(("person", "organization")))
                               .order_by(entities.c.mentions.desc(), entities.c.id)).scalars()
    copies = CopyFinder(SqlCopyStore(connection)).add(
        fingerprint(article_id, row.text, published, row.outlet, row.wire_credit, row.url))
    story = StoryClusterer(state=SqlStoryState(connection)).add(article_id, row.text, published, entities=list(names))
    claims = link_claims(connection, article_id, story.id, embeddings, vectors)
    for link in copies:
        if link.copy != article_id:
            rekey_copy(connection, link.copy)  # an earlier page arriving late became the original of others
    return Links(copies, story.id, claims)
