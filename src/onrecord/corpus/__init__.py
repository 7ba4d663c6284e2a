"""The corpus: many news pages ingested into one store (SQLite or PostgreSQL) with their analyses, beside
the single-page pipeline, which it calls only through `analyze_many`.

    >>> from onrecord.corpus import Corpus
    >>> with Corpus("news.db") as corpus:                    # doctest: +SKIP
    ...     print(corpus.ingest(["crawl.warc.gz"]).render())
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Self

from sqlalchemy import func, select

from ..options import Options, default_options
from . import ingest, linking
from .ingest import Progress, Summary
from .queries import (NotInStore, claim_record, copy_links, count_claims, count_stories, list_articles, list_stories,
                      recent_claims, search_claims, story, story_claims, stored_article)
from .records import ClaimRecord, CopyLink, StoredArticle, Story
from .store import StoreError, articles, guarded, open_engine, search

__all__ = ["ClaimRecord", "Corpus", "CopyLink", "NotInStore", "StoreError", "StoredArticle", "Story", "Summary"]


class Corpus:
    """A store of analysed pages: `db` is a SQLite file path (default ./onrecord.db) or a database URL
    (postgresql+psycopg://...). Opening it applies any schema migration it lacks. `lock_timeout`: seconds a
    SQLite writer waits for another one (default `store.LOCK_TIMEOUT`)."""

    def __init__(self, db: str | Path | None = None, lock_timeout: float | None = None):
        self.engine = open_engine(db, lock_timeout)

    def ingest(self, sources: Iterable[str | Path], urls: str | Path | None = None, workers: int = 1,
               options: Options | None = None, progress: Progress | None = None, dask=None,
               analysed_on_cluster: Callable[[int], None] | None = None, claims: bool = True) -> Summary:
        """Analyses and stores every page of the sources (directories, JSONL, WARC, page files) and of the
        URL list file; pages already stored are skipped. See `ingest.ingest`. `dask`: analyse on a Dask cluster
        instead, "local" (a LocalCluster of `workers` processes), a scheduler address or a connected Client;
        `analysed_on_cluster` then hears the pages of each finished task (see `distributed.ingest`). `claims`:
        False links copies and stories only, leaving the claims across articles to `link_claims` (an ingest
        then costs about a third of the CPU)."""
        if dask is not None:
            from . import distributed
            return distributed.ingest(self.engine, list(sources), urls, dask, workers, options, progress,
                                      analysed_on_cluster=analysed_on_cluster, claims=claims)
        return ingest.ingest(self.engine, list(sources), urls, workers, options, progress, claims=claims)

    def link_claims(self, workers: int = 1, progress: Callable[[int], None] | None = None) -> linking.PendingLinked:
        """Links to claim records the claims of the articles an ingest stored with `claims=False`, in
        publication order, each article in its own transaction; says how many articles it linked (0 when none
        waited) and how many failed (error rows; they wait for the next run). `workers` processes embed the
        claims; `progress` hears each linked article's id."""
        with guarded(self.engine):
            return linking.link_pending_claims(self.engine, workers, progress)

    def count_pending_claims(self) -> int:
        """How many stored articles wait for `link_claims`."""
        with guarded(self.engine), self.engine.connect() as connection:
            return connection.execute(select(func.count()).where(articles.c.claims_linked.is_(False))).scalar_one()

    def count(self, sources: Iterable[str | Path], urls: str | Path | None = None,
              options: Options | None = None) -> int:
        """How many pages an ingest of these sources will go through (for a progress bar)."""
        return ingest.count_inputs(list(sources), urls, options or default_options())

    def search(self, query: str, limit: int = 20) -> list[dict]:
        """The latest articles matching a full-text query, best first."""
        with guarded(self.engine), self.engine.connect() as connection:
            ids = search(connection, query, limit)
            rows = {row.id: row._asdict() for row in
                    connection.execute(articles.select().where(articles.c.id.in_(ids)))}
        return [rows[article_id] for article_id in ids]

    def articles(self, query: str | None = None, outlet: str | None = None, since: str | date | None = None,
                 until: str | date | None = None, story: int | None = None, language: str | None = None,
                 limit: int = 20, offset: int = 0) -> tuple[int, list[StoredArticle]]:
        """(how many match, one page of them): the latest version of each stored article, full-text matches
        best first with `query`, else the most recently published first; `since`/`until` are days, included."""
        with guarded(self.engine), self.engine.connect() as connection:
            return list_articles(connection, query, outlet, _day(since), _day(until), story, language, limit, offset)

    def article(self, article_id: int) -> tuple[StoredArticle, dict]:
        """A stored article's metadata and its whole analysis JSON; NotInStore when there is no such article."""
        with guarded(self.engine), self.engine.connect() as connection:
            return stored_article(connection, article_id)

    def stories(self, limit: int = 20, min_size: int = 1) -> list[Story]:
        """The most recently seen stories of at least `min_size` articles, each with its articles."""
        with guarded(self.engine), self.engine.connect() as connection:
            return list_stories(connection, limit, min_size)

    def story(self, story_id: int) -> Story:
        """One story with its articles; NotInStore when there is no such story."""
        with guarded(self.engine), self.engine.connect() as connection:
            return story(connection, story_id)

    def copies(self, article_id: int | None = None, limit: int = 100) -> list[CopyLink]:
        """Wire-copy links, newest copies first; with `article_id`, the links the article is part of."""
        with guarded(self.engine), self.engine.connect() as connection:
            return copy_links(connection, article_id, limit)

    def claims(self, search: str | None = None, story: int | None = None, as_of: str | date | None = None,
               limit: int = 10) -> list[ClaimRecord]:
        """Claim records across articles: those best matching `search` (a claim in any words), those of a
        story, else the most recently active; each as it stood at the end of `as_of` when given."""
        day = _day(as_of)
        with guarded(self.engine), self.engine.connect() as connection:
            if search is not None:
                return search_claims(connection, search, limit, day)
            if story is not None:
                return story_claims(connection, story, day)
            return recent_claims(connection, limit, day)

    def claim(self, claim_id: int, as_of: str | date | None = None) -> ClaimRecord:
        """One claim record with its timeline and status history; NotInStore when there is no such claim."""
        with guarded(self.engine), self.engine.connect() as connection:
            return claim_record(connection, claim_id, _day(as_of))

    def count_stories(self, min_size: int = 1) -> int:
        """How many stories of at least `min_size` articles the store holds."""
        with guarded(self.engine), self.engine.connect() as connection:
            return count_stories(connection, min_size)

    def count_claims(self) -> int:
        """How many claim records the store holds."""
        with guarded(self.engine), self.engine.connect() as connection:
            return count_claims(connection)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _day(value: str | date | None) -> str | None:
    """A day as YYYY-MM-DD; ValueError naming the expected form for anything else."""
    if value is None or isinstance(value, date):
        return value.isoformat()[:10] if value is not None else None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except (ValueError, AttributeError) as error:
        raise ValueError(f"as_of must be a day as YYYY-MM-DD, not {value!r}") from error
