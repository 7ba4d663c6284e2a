"""Reading stories, wire-copy links and claim records out of the store, in their JSON form (records.py)."""
from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from ..errors import OnrecordError
from ..claims import ANSWERS
from .claims import EVENT_ORDER, SEARCH_CANDIDATES, article_stance, rank_records
from .records import (CORPUS_SCHEMA_VERSION, ArticleStance, ClaimEvent, ClaimRecord, CopyLink, StatusChange,
                      StoredArticle, Story, StoryArticle)
from .store import analyses, articles, claim_events, claim_records, claim_status_changes, search, stories, story_members
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
    events = [ClaimEvent(id=r.id, date=r.date, article=r.article_id, attribution=r.attribution, url=r.url, outlet=r.outlet, speaker=r.speaker,
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
    by_article: dict[int, list[ClaimEvent]] = {}
    for event in events:
        by_article.setdefault(event.article, []).append(event)
    takes = [ArticleStance(article=article, url=said[0].url, outlet=said[0].outlet, date=said[0].date,
                           stance=article_stance([e.toward for e in said], any(
                               e.attribution is None and e.speaker_type == "outlet" for e in said)))
             for article, said in by_article.items()]
    return ClaimRecord(schema=CORPUS_SCHEMA_VERSION, id=row.id, text=row.text, status=status, reason=reason,
                       as_of=as_of, originators=originators, first_report=reports[0][1] if reports else None,
                       events=events, status_history=changes, articles=takes)


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


ARTICLE_COLUMNS = (articles.c.id, articles.c.url, articles.c.version, articles.c.title, articles.c.outlet,
                   articles.c.published, articles.c.language, articles.c.byline, articles.c.wire_credit,
                   articles.c.copy_of, story_members.c.story_id.label("story"), articles.c.ingested_at)


def list_articles(connection: Connection, query: str | None = None, outlet: str | None = None,
                  since: str | None = None, until: str | None = None, story_id: int | None = None,
                  language: str | None = None, limit: int = 20, offset: int = 0) -> tuple[int, list[StoredArticle]]:
    """(how many match, one page of them): the latest version of each article, full-text matches best first
    with `query`, else the most recently published first; `since`/`until` are days, both included."""
    selection = (select(*ARTICLE_COLUMNS).outerjoin(story_members, story_members.c.article_id == articles.c.id)
                 .where(articles.c.is_latest))
    if outlet:
        selection = selection.where(articles.c.outlet == outlet)
    if since:
        selection = selection.where(articles.c.published >= since)
    if until:
        selection = selection.where(articles.c.published < f"{until}~")  # "~" sorts after any time of that day
    if story_id is not None:
        selection = selection.where(story_members.c.story_id == story_id)
    if language:
        selection = selection.where(articles.c.language == language)
    ranked = None
    if query:
        ranked = search(connection, query, limit=10_000)
        selection = selection.where(articles.c.id.in_(ranked))
    rows = list(connection.execute(selection))
    if ranked is not None:
        order = {article_id: position for position, article_id in enumerate(ranked)}
        rows.sort(key=lambda row: order[row.id])
    else:
        rows.sort(key=lambda row: (row.published or "", row.id), reverse=True)
    return len(rows), [StoredArticle(**row._asdict()) for row in rows[offset:offset + limit]]


def stored_article(connection: Connection, article_id: int) -> tuple[StoredArticle, dict]:
    """An article's metadata and its whole stored analysis JSON."""
    row = connection.execute(select(*ARTICLE_COLUMNS, analyses.c.analysis)
                             .outerjoin(story_members, story_members.c.article_id == articles.c.id)
                             .join(analyses, analyses.c.id == articles.c.analysis_id)
                             .where(articles.c.id == article_id)).first()
    if row is None:
        raise NotInStore(f"no article {article_id} in the store")
    fields = row._asdict()
    analysis = fields.pop("analysis")
    return StoredArticle(**fields), analysis if isinstance(analysis, dict) else json.loads(analysis)


def count_stories(connection: Connection, min_size: int = 1) -> int:
    return connection.execute(select(func.count()).where(stories.c.articles >= min_size)).scalar_one()


def count_claims(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(claim_records)).scalar_one()
