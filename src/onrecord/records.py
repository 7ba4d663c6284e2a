"""The records that flow between stages: Article, Entity, Attribution, Claim and the Analysis holding them.

Stages exchange only these dataclasses; the JSON schema (`onrecord schema`) is generated from them, so a
field added here is documented and serialised everywhere at once.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

SCHEMA_VERSION = "onrecord.analysis/1"

Stance = Literal["assert", "hedge", "allege", "deny", "confirm", "unconfirmed", "opinion", "directive", "commit"]
SpeakerType = Literal["person", "organization", "outlet", "anonymous", "unnamed_official", "document", "unknown"]
EntityType = Literal["person", "organization", "place", "other"]
ClaimStatus = Literal["asserted", "single_source", "corroborated", "confirmed", "unconfirmed", "denied", "disputed"]


@dataclass
class TextSpan:
    """A stretch of `article.text`: offsets are Python character offsets, end exclusive."""
    text: str
    start: int
    end: int


@dataclass
class Offsets:
    """Where something sits in `article.text`, without repeating its text."""
    start: int
    end: int


@dataclass
class Published:
    """The publication date and what it rests on (a meta tag, JSON-LD, URL, byline line...)."""
    date: str | None = None
    evidence: str | None = None


@dataclass
class Removed:
    """A piece of page chrome taken out of the body, kept so nothing is silently lost."""
    text: str
    reason: str


@dataclass
class Credit:
    """A name from a credit line other than the byline and wire: role ("editing", "source"...) and name."""
    role: str
    name: str


@dataclass
class TimeExpression:
    """A relative or partial time in the body; `value` only when anchored to a known publication date."""
    text: str
    start: int
    end: int
    value: str | None = None


@dataclass
class Article:
    """A cleaned news page: title, body paragraphs and metadata, with the chrome that was removed."""
    title: str | None
    text: str
    paragraphs: list[Offsets]
    published: Published = field(default_factory=Published)
    outlet: str | None = None
    byline: str | None = None
    wire: str | None = None
    credits: list[Credit] = field(default_factory=list)
    dateline: str | None = None
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    source: str | None = None
    format: Literal["html", "text"] = "text"


@dataclass
class Entity:
    """A person or organisation the article mentions, with every mention resolved to it."""
    id: str
    name: str
    type: EntityType
    kind: str | None = None
    titles: list[str] = field(default_factory=list)
    country: str | None = None
    mentions: list[Offsets] = field(default_factory=list)


@dataclass
class Speaker:
    """Who made an attribution: canonical name and type, the entity, and the words used in the text."""
    name: str | None
    type: SpeakerType
    entity: str | None = None
    mention: TextSpan | None = None


@dataclass
class ChainLink:
    """One hop in the chain of custody: the speaker, then whom it cites, outermost first."""
    name: str
    type: SpeakerType
    entity: str | None = None


@dataclass
class Attribution:
    """One act of attribution: a speaker, a cue, the content attributed, and the stance it takes."""
    id: str
    cue: TextSpan
    speaker: Speaker
    chain: list[ChainLink]
    content: TextSpan
    direct: bool
    stance: Stance
    addresses: str | None = None
    confidence: float = 0.5


@dataclass
class Claim:
    """The attributions stating or answering one proposition, with the status the spec's rule gives."""
    id: str
    summary: str
    attributions: list[str]
    status: ClaimStatus
    reason: str


@dataclass
class Analysis:
    """Everything onrecord found in one page; `to_dict()` is the versioned JSON."""
    article: Article
    entities: list[Entity] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schema: str = SCHEMA_VERSION

    def to_dict(self) -> dict:
        data = asdict(self)
        return {"schema": data.pop("schema"), **data}
