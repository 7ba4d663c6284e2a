"""Reading stories and wire-copy links out of the store, in their JSON form (records.py)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from ..errors import OnrecordError
from .records import CORPUS_SCHEMA_VERSION, CopyLink, Story, StoryArticle
from .store import articles, stories, story_members


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
