"""Reading stories, wire-copy links and claim records out of the store, in their JSON form (records.py)."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from ..errors import OnrecordError
from ..claims import ANSWERS
from .claims import EVENT_ORDER, SEARCH_CANDIDATES, rank_records
from .records import CORPUS_SCHEMA_VERSION, ClaimEvent, ClaimRecord, CopyLink, StatusChange, Story, StoryArticle
from .store import articles, claim_events, claim_records, claim_status_changes, stories, story_members
from .stories import content_words


class NotInStore(OnrecordError):
    """The story or article asked for is not in the store."""
    exit_code = 10


def list_stories(connection: Connection, limit: int = 20, min_size: int = 1) -> list[Story]:
    """The most recently seen stories of at least `min_size` articles, the largest first on a tie."""
    ids = connection.execute(select(stories.c.id).where(stories.c.articles >= min_size)
                             .order_by(stories.c.last_seen.desc().nulls_last(), stories.c.articles.desc(),
                                       stories.c.id).limit(limit)).scalars()
    return [story(connection, story_id) for story_id in ids]


def story(connection: Connection, story_id: int) -> Story:
    row = connection.execute(select(stories).where(stories.c.id == story_id)).first()
    if row is None:
        raise NotInStore(f"no story {story_id} in the store")
    members = connection.execute(
        select(articles.c.id, articles.c.url, articles.c.title, articles.c.outlet, articles.c.published,
               story_members.c.similarity, articles.c.copy_of)
        .join(story_members, story_members.c.article_id == articles.c.id)
        .where(story_members.c.story_id == story_id)
        .order_by(articles.c.published.nulls_last(), articles.c.id))
    return Story(schema=CORPUS_SCHEMA_VERSION, id=row.id, label=row.label, size=row.articles,
                 first_seen=row.first_seen, last_seen=row.last_seen,
                 articles=[StoryArticle(**member._asdict()) for member in members])


def copy_links(connection: Connection, article_id: int | None = None, limit: int = 100) -> list[CopyLink]:
    """Copy links, newest copies first; with `article_id`, those the article is part of (as copy or original)."""
    original = aliased(articles)
    query = (select(articles.c.id, articles.c.url, original.c.id.label("original_id"),
                    original.c.url.label("original_url"), articles.c.copy_similarity, articles.c.copy_containment)
             .join(original, original.c.id == articles.c.copy_of))
    if article_id is not None:
        if connection.execute(select(articles.c.id).where(articles.c.id == article_id)).first() is None:
            raise NotInStore(f"no article {article_id} in the store")
        query = query.where((articles.c.id == article_id) | (articles.c.copy_of == article_id))
    rows = connection.execute(query.order_by(articles.c.id.desc()).limit(limit))
    return [CopyLink(schema=CORPUS_SCHEMA_VERSION, copy=row.id, copy_url=row.url, original=row.original_id,
                     original_url=row.original_url, similarity=row.copy_similarity,
                     containment=row.copy_containment) for row in rows]


def claim_record(connection: Connection, claim_id: int, as_of: str | None = None) -> ClaimRecord:
    """One claim record with its events and status history, as it stood at the end of `as_of` (YYYY-MM-DD)
    when given: later events are left out and its status is the last change on or before that day."""
    row = connection.execute(select(claim_records).where(claim_records.c.id == claim_id)).first()
    if row is None:
        raise NotInStore(f"no claim {claim_id} in the store")
    query = (select(claim_events, articles.c.url).join(articles, articles.c.id == claim_events.c.article_id)
             .where(claim_events.c.claim_id == claim_id))
    if as_of is not None:
        query = query.where(claim_events.c.date <= as_of)
    rows = list(connection.execute(query.order_by(*EVENT_ORDER)))
    events = [ClaimEvent(id=r.id, date=r.date, article=r.article_id, url=r.url, outlet=r.outlet, speaker=r.speaker,
                         speaker_type=r.speaker_type, chain=r.chain, stance=r.stance, toward=r.toward, quote=r.quote,
                         copy_of=r.copy_of) for r in rows]
    speakers = {r.id: r.speaker for r in rows}
    changes = [StatusChange(date=c.date, status=c.status, reason=c.reason, by=speakers.get(c.event_id, ""),
                            event=c.event_id)
               for c in connection.execute(select(claim_status_changes)
                                           .where(claim_status_changes.c.claim_id == claim_id)
                                           .order_by(claim_status_changes.c.id))
               if as_of is None or c.date <= as_of]
    status, reason = (row.status, row.reason) if as_of is None else \
        ((changes[-1].status, changes[-1].reason) if changes else ("unreported", f"no event on or before {as_of}"))
    reports = [(r, e) for r, e in zip(rows, events) if e.toward not in ANSWERS]
    originators = list(dict.fromkeys(r.chain[-1] for r, _ in reports))
    return ClaimRecord(schema=CORPUS_SCHEMA_VERSION, id=row.id, text=row.text, status=status, reason=reason,
                       as_of=as_of, originators=originators, first_report=reports[0][1] if reports else None,
                       events=events, status_history=changes)


def story_claims(connection: Connection, story_id: int, as_of: str | None = None) -> list[ClaimRecord]:
    """The claim records with events in the story's articles, the most reported first."""
    if connection.execute(select(stories.c.id).where(stories.c.id == story_id)).first() is None:
        raise NotInStore(f"no story {story_id} in the store")
    ids = connection.execute(
        select(claim_events.c.claim_id).join(story_members, story_members.c.article_id == claim_events.c.article_id)
        .where(story_members.c.story_id == story_id).group_by(claim_events.c.claim_id)
        .order_by(func.count().desc(), claim_events.c.claim_id)).scalars()
    return [claim_record(connection, claim_id, as_of) for claim_id in list(ids)]


def recent_claims(connection: Connection, limit: int = 20, as_of: str | None = None) -> list[ClaimRecord]:
    """The most recently active claim records, the most reported first on a day."""
    ids = connection.execute(select(claim_records.c.id).order_by(
        claim_records.c.last_date.desc().nulls_last(), claim_records.c.events.desc(), claim_records.c.id)
        .limit(limit)).scalars()
    return [claim_record(connection, claim_id, as_of) for claim_id in list(ids)]


def search_claims(connection: Connection, text: str, limit: int = 10, as_of: str | None = None) -> list[ClaimRecord]:
    """The claim records that best match a claim worded in any way: candidates from the word index, ordered
    by the same similarity that joins claims at ingest (embedding cosine and weighted word share)."""
    words = Counter(content_words(text))
    if not words:
        raise OnrecordError(f"nothing to search for in {text!r}: give a claim's words")
    ranked = rank_records(connection, words, text, SEARCH_CANDIDATES)
    return [claim_record(connection, claim_id, as_of) for claim_id in ranked[:limit]]
