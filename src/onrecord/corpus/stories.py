"""Stories: articles about one event, grouped as they arrive.

Each article becomes a TF-IDF vector over words and word pairs, with an incremental vocabulary (document
frequencies grow with the corpus, so nothing has to be fitted before the first page), and a set of named
entities. A story keeps the sum of its members' term vectors (its centroid) and entity counts. A new
article joins the story whose centroid is most similar, content and shared entities together, when that
similarity clears a threshold; else it starts a story. Candidate stories come from an inverted index of
each story's distinctive terms and entities, so adding an article never scans all stories; with dates,
only stories seen within a time window of the article compete.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Hashable, Iterable

ArticleId = Hashable

# Fixed on FNC-1's train bodies (onrecord eval stories): see docs/corpus.md.
THRESHOLD = 0.25
ENTITY_WEIGHT = 0.2
IDF_POWER = 1.5  # rarer words weigh more than plain TF-IDF: a story is named by its rare words (train F1 +0.01)
WINDOW = timedelta(days=3)
INDEX_TERMS = 20  # terms and entities of each article posted to the inverted index
MAX_CANDIDATES = 30

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:[ \t]+(?:(?:of|de|al|van|von|the)[ \t]+)?[A-Z][\w'’-]*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]['\"”’)]?\s+|\n)\s*$")


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS) | {"said", "says", "told", "according", "reported", "reports", "news"}


STOP_WORDS = _stop_words()


def content_words(text: str) -> list[str]:
    return [w for w in (m.group().lower().replace("’", "'") for m in _WORD.finditer(text))
            if len(w) > 2 and w not in STOP_WORDS]


def terms(text: str) -> Counter:
    """Counts of content words: on FNC-1's train bodies, adding word pairs lowered B-cubed F1 (0.91 to 0.65 at
    the same threshold), as pairs are too sparse to be shared by differently written articles."""
    return Counter(content_words(text))


def surface_entities(text: str) -> set[str]:
    """Capitalised word runs that do not open a sentence: a cheap stand-in for named entities when the
    page's analysis is not at hand (the corpus passes the analysis' entities instead)."""
    found = set()
    for match in _NAME.finditer(text):
        words = match.group().split()
        sentence_start = _SENTENCE_START.search(text[max(0, match.start() - 4):match.start()])
        if sentence_start and len(words) > 2 and words[1].islower():  # "Yesterday the Harbour Board"
            words = words[2:]
        while words and words[0].lower() in STOP_WORDS:
            words.pop(0)
            sentence_start = False
        if not words or (len(words) == 1 and sentence_start):
            continue
        found.add(" ".join(words).lower())
    return found


@dataclass
class Story:
    """A group of articles; `terms` and `entities` sum its members' (length-normalised) features."""

    id: int
    articles: list[ArticleId] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    terms: Counter = field(default_factory=Counter, repr=False)
    phrases: Counter = field(default_factory=Counter, repr=False)
    entities: Counter = field(default_factory=Counter, repr=False)
    _norm: tuple[int, float] | None = field(default=None, repr=False)  # (documents when computed, norm)

    def label(self, idf=None, size: int = 3) -> dict:
        """Key entities (those most members name) and the phrase (adjacent content words) that weighs most in
        the story, each word weighted by `idf` when given."""
        weight = idf or (lambda term: 1.0)
        phrase = max(self.phrases, key=lambda p: (self.phrases[p] * sum(map(weight, p.split())), p), default="")
        entities = [name for name, _ in sorted(self.entities.items(), key=lambda kv: (-kv[1], kv[0]))[:size]]
        return {"entities": entities, "phrase": phrase}

    def in_window(self, published: datetime | None, window: timedelta | None) -> bool:
        if window is None or published is None or self.first_seen is None:
            return True
        return self.first_seen - window <= published <= self.last_seen + window


class StoryClusterer:
    """Assigns each arriving article to a story, online; `add` returns the story it joined or started."""

    def __init__(self, threshold: float = THRESHOLD, entity_weight: float = ENTITY_WEIGHT,
                 window: timedelta | None = WINDOW, index_terms: int = INDEX_TERMS,
                 max_candidates: int = MAX_CANDIDATES):
        self.threshold = threshold
        self.entity_weight = entity_weight
        self.window = window
        self.index_terms = index_terms
        self.max_candidates = max_candidates
        self.stories: dict[int, Story] = {}
        self.story_of: dict[ArticleId, int] = {}
        self.document_frequency: Counter = Counter()
        self.documents = 0
        self._postings: dict[str, set[int]] = {}

    def idf(self, term: str) -> float:
        return (math.log((1 + self.documents) / (1 + self.document_frequency[term])) + 1) ** IDF_POWER

    def _weights(self, counts: Counter) -> dict[str, float]:
        """Sublinear TF-IDF, unit length."""
        weights = {t: (1 + math.log(c)) * self.idf(t) for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def _content_similarity(self, weights: dict[str, float], story: Story) -> float:
        dot = sum(w * story.terms[t] * self.idf(t) for t, w in weights.items() if t in story.terms)
        if not dot:
            return 0.0
        return dot / self._centroid_norm(story)

    def _centroid_norm(self, story: Story) -> float:
        """The centroid's length under current IDF, recomputed when the story changed or the corpus grew by
        a tenth since: IDF drifts slowly, and summing every term of every candidate would dominate the cost."""
        if story._norm is None or self.documents > 1.1 * story._norm[0]:
            story._norm = (self.documents, math.sqrt(sum((c * self.idf(t)) ** 2 for t, c in story.terms.items())))
        return story._norm[1]

    def _entity_similarity(self, entities: set[str], story: Story) -> float:
        """The share of the article's entities that the story's members name, each weighted by how many do."""
        if not entities:
            return 0.0
        members = len(story.articles)
        return sum(min(1.0, story.entities[e] / members) for e in entities) / len(entities)

    def score(self, weights: dict[str, float], entities: set[str], story: Story) -> float:
        return self._content_similarity(weights, story) + self.entity_weight * self._entity_similarity(entities, story)

    def _keys(self, weights: dict[str, float], entities: set[str]) -> list[str]:
        top_terms = sorted(weights, key=lambda t: (-weights[t], t))[:self.index_terms]
        return top_terms + [f"entity:{e}" for e in sorted(entities)]

    def candidates(self, keys: list[str], published: datetime | None) -> list[Story]:
        """Stories sharing the most index keys with the article, at most `max_candidates` of them."""
        hits = Counter()
        for key in keys:
            hits.update(self._postings.get(key, ()))
        ranked = sorted(hits, key=lambda story_id: (-hits[story_id], story_id))
        stories = (self.stories[story_id] for story_id in ranked)
        return [s for s in stories if s.in_window(published, self.window)][:self.max_candidates]

    def add(self, article_id: ArticleId, text: str, published: datetime | None = None,
            entities: Iterable[str] | None = None) -> Story:
        words = content_words(text)
        counts = Counter(words)
        names = {e.lower() for e in entities} if entities is not None else surface_entities(text)
        self.documents += 1
        self.document_frequency.update(counts.keys())
        weights = self._weights(counts)
        keys = self._keys(weights, names)
        scored = [(self.score(weights, names, s), -s.id, s) for s in self.candidates(keys, published)]
        best = max(scored, key=lambda item: item[:2], default=None)
        if best is not None and best[0] >= self.threshold:
            story = best[2]
        else:
            story = Story(id=len(self.stories) + 1)
            self.stories[story.id] = story
        self._join(story, article_id, counts, names, keys, published)
        story.phrases.update(f"{a} {b}" for a, b in zip(words, words[1:]) if a != b)
        return story

    def _join(self, story: Story, article_id: ArticleId, counts: Counter, names: set[str], keys: list[str],
              published: datetime | None) -> None:
        story.articles.append(article_id)
        norm = math.sqrt(sum((1 + math.log(c)) ** 2 for c in counts.values())) or 1.0
        story.terms.update({t: (1 + math.log(c)) / norm for t, c in counts.items()})
        story.entities.update(names)
        story._norm = None
        if published is not None:
            story.first_seen = min(filter(None, (story.first_seen, published)))
            story.last_seen = max(filter(None, (story.last_seen, published)))
        self.story_of[article_id] = story.id
        for key in keys:
            self._postings.setdefault(key, set()).add(story.id)
