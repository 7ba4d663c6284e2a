"""The JSON form of what the corpus adds to single pages: stories and wire-copy links. Like the page's
analysis (records.py), these dataclasses are what `onrecord schema story|copy-link` generates the JSON
Schema from, and what the service will serve."""
from __future__ import annotations

from dataclasses import asdict, dataclass

CORPUS_SCHEMA_VERSION = "onrecord.corpus/1"


@dataclass
class StoryArticle:
    """One article of a story: where and when it ran, how close it was to the story when it joined (null
    for the article that started the story) and, for a wire copy, the article it copies."""
    id: int
    url: str
    title: str | None
    outlet: str | None
    published: str | None
    similarity: float | None
    copy_of: int | None


@dataclass
class Story:
    """Articles about one news event, grouped as they arrived: its label (key entities and phrase), when it
    was first and last seen (publication dates), and its articles, earliest first."""
    schema: str
    id: int
    label: str
    size: int
    first_seen: str | None
    last_seen: str | None
    articles: list[StoryArticle]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CopyLink:
    """An article that carries another's text (a wire story reprinted, trimmed or retitled): the copy, its
    original (earliest published, else the wire's own page), their estimated Jaccard similarity over word
    shingles, and the share of the copy's shingles found in the original."""
    schema: str
    copy: int
    copy_url: str
    original: int
    original_url: str
    similarity: float
    containment: float

    def to_dict(self) -> dict:
        return asdict(self)
