"""Wire copies: the same text carried by several outlets, found by MinHash and LSH banding.

Each article's text becomes a set of word shingles and a MinHash signature; the signature is cut into
bands and each band hashed to a key. Articles sharing a band key are candidates (the classic LSH
scheme), so the copies of a new article are found by looking its keys up in an index, never by comparing
all pairs. Candidates are verified by similarity (Jaccard) and containment (the share of the shorter
text found in the longer one): a trimmed copy with a local paragraph added keeps a high containment while
its Jaccard drops. Copies are grouped, and every member of a group links to one original, chosen by a
rule on the articles themselves (earliest publication, then the wire's own page, then content hash), so
the links do not depend on the order in which pages arrived.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Hashable, Iterable, Protocol

import numpy as np
from sqlalchemy import and_, or_, select, update

from .store import articles, as_datetime, fingerprints, minhash_bands

ArticleId = Hashable

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: a pair with Jaccard 0.3 shares a band with probability 0.23, 0.5 with 0.87
SHINGLE_WORDS = 5
SCHEME = "affine32"  # named, not defaulted: stored signatures must stay comparable across datasketch releases
# Fixed on the dev part of the copies evaluation (onrecord eval copies): see docs/corpus.md.
MIN_CONTAINMENT = 0.5
MIN_SIMILARITY = 0.3

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word `size`-grams of the text, lowercased and without punctuation or accents, so re-punctuated or
    re-quoted copies keep their shingles; a text shorter than `size` words is one shingle."""
    folded = unicodedata.normalize("NFKD", text.lower())
    words = _WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


@lru_cache(maxsize=1)
def _permutations():
    """One fixed set of hash permutations (seed 1), built once: signatures must be comparable forever."""
    from datasketch import MinHash
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def signature(shingle_set: set[str]) -> np.ndarray:
    """The MinHash signature (NUM_PERM unsigned integers) of a shingle set."""
    from datasketch import MinHash
    minhash = MinHash(num_perm=NUM_PERM, seed=1, permutations=_permutations(), scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingle_set])
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def band_keys(sig: np.ndarray, bands: int = BANDS) -> list[tuple[int, str]]:
    """(band number, key) pairs: the key hashes one band's rows, so equal bands give equal keys and the
    keys can live in an indexed table column."""
    rows = len(sig) // bands
    return [(band, hashlib.blake2b(sig[band * rows:(band + 1) * rows].tobytes(), digest_size=8).hexdigest())
            for band in range(bands)]


@dataclass(frozen=True)
class Fingerprint:
    """What copy finding keeps about one article: its signature and shingle count, plus what the choice of
    an original needs (publication time, outlet, wire credit and a content hash as the last tie-break)."""

    article_id: ArticleId
    signature: np.ndarray = field(repr=False)
    size: int
    content_hash: str
    published: datetime | None = None
    outlet: str | None = None
    wire_credit: str | None = None
    url: str = ""

    @property
    def keys(self) -> list[tuple[int, str]]:
        return band_keys(self.signature)


def fingerprint(article_id: ArticleId, text: str, published: datetime | None = None, outlet: str | None = None,
                wire_credit: str | None = None, url: str = "",
                minhash: tuple[np.ndarray, int] | None = None) -> Fingerprint:
    """The article's fingerprint; `minhash`: the text's (signature, shingle count) when already made
    (`text_minhash`, where the page was analysed)."""
    signature_, size = minhash if minhash is not None else text_minhash(text)
    return Fingerprint(article_id, signature_, size, hashlib.sha256(text.encode("utf-8")).hexdigest(), published,
                       outlet, wire_credit, url)


def text_minhash(text: str) -> tuple[np.ndarray, int]:
    """(MinHash signature, distinct shingle count) of a text: all that copy finding needs of its words."""
    shingle_set = shingles(text)
    return signature(shingle_set), len(shingle_set)


def overlap(a: Fingerprint, b: Fingerprint) -> tuple[float, float]:
    """(Jaccard, containment of the smaller text in the larger), estimated from the signatures: the share of
    equal MinHash values estimates Jaccard J, and |A n B| = J (|A| + |B|) / (1 + J)."""
    if not a.size or not b.size:
        return 0.0, 0.0
    jaccard = float(np.mean(a.signature == b.signature))
    shared = jaccard * (a.size + b.size) / (1 + jaccard)
    return jaccard, min(1.0, shared / min(a.size, b.size))


def is_copy(similarity: float, containment: float) -> bool:
    return containment >= MIN_CONTAINMENT and similarity >= MIN_SIMILARITY


class BandIndex(Protocol):
    """Where band keys are stored: an indexed (band, key) -> article lookup, in memory or in the store."""

    def candidates(self, keys: Iterable[tuple[int, str]]) -> set[ArticleId]: ...

    def add(self, article_id: ArticleId, keys: Iterable[tuple[int, str]]) -> None: ...


class CopyRecords(Protocol):
    """What copy finding reads and writes besides band keys: fingerprints and each article's original."""

    def fingerprint(self, article_id: ArticleId) -> Fingerprint: ...

    def save_fingerprint(self, fp: Fingerprint) -> None: ...

    def original_of(self, article_id: ArticleId) -> ArticleId | None: ...

    def copies_of(self, original: ArticleId) -> list[ArticleId]: ...

    def link(self, link: CopyLink) -> None: ...

    def unlink(self, article_id: ArticleId) -> None: ...


class CopyStore(BandIndex, CopyRecords, Protocol):
    """Everything a CopyFinder needs from where it keeps its state."""


class MemoryCopyStore:
    """BandIndex and CopyRecords in dictionaries: for tests, evaluation and one-off runs."""

    def __init__(self):
        self._bands: dict[tuple[int, str], list[ArticleId]] = {}
        self._fingerprints: dict[ArticleId, Fingerprint] = {}
        self._original: dict[ArticleId, ArticleId] = {}
        self._copies: dict[ArticleId, set[ArticleId]] = {}

    def candidates(self, keys):
        found = set()
        for key in keys:
            found.update(self._bands.get(tuple(key), ()))
        return found

    def add(self, article_id, keys):
        for key in keys:
            self._bands.setdefault(tuple(key), []).append(article_id)

    def fingerprint(self, article_id):
        return self._fingerprints[article_id]

    def save_fingerprint(self, fp):
        self._fingerprints[fp.article_id] = fp

    def original_of(self, article_id):
        return self._original.get(article_id)

    def copies_of(self, original):
        return sorted(self._copies.get(original, ()), key=str)

    def link(self, link):
        self.unlink(link.copy)
        self._original[link.copy] = link.original
        self._copies.setdefault(link.original, set()).add(link.copy)

    def unlink(self, article_id):
        previous = self._original.pop(article_id, None)
        if previous is not None:
            self._copies[previous].discard(article_id)


@dataclass(frozen=True)
class CopyLink:
    """One copy and its original, with their estimated Jaccard similarity and containment."""

    copy: ArticleId
    original: ArticleId
    similarity: float
    containment: float

    def to_json(self) -> dict:
        return {"copy": self.copy, "original": self.original, "similarity": round(self.similarity, 4),
                "containment": round(self.containment, 4)}


def _credit(value: str | None) -> str:
    return (value or "").strip().lower()


def choose_original(members: list[Fingerprint]) -> Fingerprint:
    """The group's original: the earliest dated article; among undated or equally dated ones, the page of
    the outlet whose wire credit the others carry (AFP's own page for AFP copies); then the smallest content
    hash and the URL (byte-identical pages differ only there), so the same group always gets the same
    original whatever the arrival order."""
    credits = {_credit(m.wire_credit) for m in members} - {""}

    def rank(member: Fingerprint):
        return (member.published is None, member.published or datetime.min,
                _credit(member.outlet) not in credits, member.content_hash, member.url, str(member.article_id))
    return min(members, key=rank)


class CopyFinder:
    """Adds articles one at a time and keeps copy links current: each call is a band-key lookup, a check of
    the few candidates found, and a re-link of the one group the article joins."""

    def __init__(self, store: CopyStore | None = None):
        self.store = store if store is not None else MemoryCopyStore()

    def matches(self, fp: Fingerprint) -> list[tuple[ArticleId, float, float]]:
        """Stored articles this one is a copy of (or that are copies of it), with similarity and containment."""
        found = []
        for candidate in sorted(self.store.candidates(fp.keys) - {fp.article_id}, key=str):
            similarity, containment = overlap(fp, self.store.fingerprint(candidate))
            if is_copy(similarity, containment):
                found.append((candidate, similarity, containment))
        return found

    def add(self, fp: Fingerprint) -> list[CopyLink]:
        """Stores the article and returns the links that are new or changed: the article's own link, and
        those of a group whose original it replaces."""
        matched = self.matches(fp)
        self.store.save_fingerprint(fp)
        self.store.add(fp.article_id, fp.keys)
        if not matched:
            return []
        group = {fp.article_id}
        for candidate, _, _ in matched:
            root = self.store.original_of(candidate) or candidate
            group.add(root)
            group.update(self.store.copies_of(root))
        members = [self.store.fingerprint(member) for member in sorted(group, key=str)]
        original = choose_original(members)
        self.store.unlink(original.article_id)
        changed = []
        for member in members:
            if member.article_id == original.article_id:
                continue
            if member.article_id != fp.article_id and self.store.original_of(member.article_id) == original.article_id:
                continue
            link = CopyLink(member.article_id, original.article_id, *overlap(member, original))
            self.store.link(link)
            changed.append(link)
        return changed


class SqlCopyStore:
    """CopyStore on the store's tables: band keys in `minhash_bands`, whose (band, key) index makes each
    lookup a probe of BANDS index entries however many articles are stored; signatures in `fingerprints`;
    links in `articles.copy_of`. Nothing is rebuilt after a restart. Only the latest version of a URL is a
    candidate: an older version keeps its links but no longer attracts copies."""

    def __init__(self, connection):
        self.connection = connection

    def candidates(self, keys):
        keys = [tuple(key) for key in keys]
        if not keys:
            return set()
        # One (band = ? AND key = ?) term a band: SQLite answers a row-value IN list by scanning the whole
        # table, which made each lookup grow with the corpus (75 ms at 27,000 articles); OR-ed equalities are
        # index probes on SQLite and PostgreSQL alike.
        probes = or_(*(and_(minhash_bands.c.band == band, minhash_bands.c.key == key) for band, key in keys))
        query = (select(minhash_bands.c.article_id).join(articles, articles.c.id == minhash_bands.c.article_id)
                 .where(probes, articles.c.is_latest))
        return set(self.connection.execute(query).scalars())

    def add(self, article_id, keys):
        self.connection.execute(minhash_bands.insert(),
                                [{"band": band, "key": key, "article_id": article_id} for band, key in keys])

    def fingerprint(self, article_id):
        row = self.connection.execute(
            select(fingerprints.c.signature, fingerprints.c.shingles, articles.c.text_hash, articles.c.published,
                   articles.c.outlet, articles.c.wire_credit, articles.c.url)
            .join(articles, articles.c.id == fingerprints.c.article_id)
            .where(fingerprints.c.article_id == article_id)).one()
        return Fingerprint(article_id, np.frombuffer(row.signature, dtype=np.uint64), row.shingles, row.text_hash,
                           as_datetime(row.published), row.outlet, row.wire_credit, row.url)

    def save_fingerprint(self, fp):
        self.connection.execute(fingerprints.insert().values(
            article_id=fp.article_id, signature=fp.signature.astype(np.uint64).tobytes(), shingles=fp.size))

    def original_of(self, article_id):
        return self.connection.execute(select(articles.c.copy_of).where(articles.c.id == article_id)).scalar()

    def copies_of(self, original):
        return list(self.connection.execute(select(articles.c.id).where(articles.c.copy_of == original)
                                            .order_by(articles.c.id)).scalars())

    def link(self, link):
        self._set(link.copy, copy_of=link.original, copy_similarity=round(link.similarity, 4),
                  copy_containment=round(link.containment, 4))

    def unlink(self, article_id):
        self._set(article_id, copy_of=None, copy_similarity=None, copy_containment=None)

    def _set(self, article_id, **values):
        self.connection.execute(update(articles).where(articles.c.id == article_id).values(**values))
