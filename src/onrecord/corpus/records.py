"""The JSON form of what the corpus adds to single pages: stories, wire-copy links and claim records. Like
the page's analysis (records.py), these dataclasses are what `onrecord schema story|copy-link|claim`
generates the JSON Schema from, and what the service will serve."""
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


@dataclass
class ClaimEvent:
    """One statement about a claim in one article: when (the article's publication day, else the day it was
    stored), where, who on whose word (the chain, outermost speaker first), how firmly in its article
    (`stance`) and toward the claim (`toward`: a report negating the claim denies it), and the words."""
    id: int
    date: str
    article: int
    attribution: str | None
    url: str
    outlet: str | None
    speaker: str
    speaker_type: str
    chain: list[str]
    stance: str
    toward: str
    quote: str
    copy_of: int | None


@dataclass
class StatusChange:
    """A day the claim's status changed, the event that changed it and why."""
    date: str
    status: str
    reason: str
    by: str
    event: int


@dataclass
class ArticleStance:
    """How one article takes a claim, read from its events on it: `states` it (in its own voice, or reporting a
    confirmation that nobody there denies), reports it as `unverified` (on someone's word, or with both sides),
    `rejects` it (it carries only denials of it) or only `mentions` it (opinions, appeals or pledges about it).
    FNC-1's labels: agree, discuss, disagree, discuss."""
    article: int
    url: str
    outlet: str | None
    date: str
    stance: str


@dataclass
class ClaimRecord:
    """One proposition across articles: its status (on `as_of` when given, else today) with the reason, its
    originators (the last link of each report's chain, copies counted once), its first report, every event
    in date order, each change of status, and each article's stance toward it."""
    schema: str
    id: int
    text: str
    status: str
    reason: str
    as_of: str | None
    originators: list[str]
    first_report: ClaimEvent | None
    events: list[ClaimEvent]
    status_history: list[StatusChange]
    articles: list[ArticleStance]

    def status_as_of(self, day: str) -> str | None:
        """The status on a day (YYYY-MM-DD): the last change on or before it; None before the first event."""
        status = None
        for change in self.status_history:
            if change.date <= day:
                status = change.status
        return status

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class StoredArticle:
    """A stored article's metadata: where and when it ran, its story and, for a wire copy, its original."""
    id: int
    url: str
    version: int
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None
    byline: str | None
    wire_credit: str | None
    copy_of: int | None
    story: int | None
    ingested_at: str

    def to_dict(self) -> dict:
        return asdict(self)
