"""Speakers and coreference: speaker mentions become entities with canonical names, titles and countries.

"she", "the source", "the newspaper", "the minister" and short names ("Suga") are resolved to the entity
introduced earlier; "a separate report" is resolved forward to the outlet later named as its author.
The rules read the parse and two shipped tables (countries with demonyms, news outlets), never an
article's particular words.
"""
from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from .attribution import Found, sentence_of
from .nouns import (ANONYMOUS_HEADS, DOCUMENT_HEADS, OFFICIAL_HEADS, ORGANIZATION_DESCRIPTORS, OUTLET_HEADS,
                    PERSON_NOUNS)
from .records import Entity, Offsets

PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"they", "them"}
THING_PRONOUNS = {"it"}
FIRST_PERSON = {"i", "we", "me", "us"}
OUTLET_DESCRIPTOR = re.compile(r"\s+(?:news agency|news service|wire service|newspaper|daily|broadcaster|"
                               r"television|tv|radio|news network|news channel|news website|magazine|tabloid|"
                               r"newswire)$", re.I)
GOVERNMENT_WORDS = {"ministry", "department", "government", "office", "council", "parliament", "congress", "senate",
                    "cabinet", "police", "army", "military", "navy", "embassy", "commission", "court", "agency",
                    "bureau", "administration", "presidency", "kremlin", "pentagon", "assembly", "authority",
                    "service", "directorate", "secretariat", "mission", "consulate", "forces"}
COMPANY_WORDS = {"inc", "corp", "corporation", "ltd", "llc", "plc", "group", "company", "co", "bank", "holdings",
                 "airlines", "motors", "technologies", "systems", "energy", "pharmaceuticals", "ag", "sa", "gmbh"}
PARTY_WORDS = {"party", "union", "league", "front", "movement", "coalition", "alliance"}
OUTLET_NAME_WORDS = {"times", "post", "herald", "journal", "gazette", "tribune", "chronicle", "news", "observer",
                     "telegraph", "echo", "examiner", "courier", "daily", "independent", "guardian", "mail", "express",
                     "standard", "record", "register", "inquirer", "bulletin", "dispatch", "monitor", "reporter",
                     "sentinel", "mirror", "press", "weekly", "ilbo", "shimbun", "zeitung", "wire", "newswire"}
NAMING_VERBS = {"call", "name", "know", "dub", "identify"}
AUTHORING_VERBS = {"release", "publish", "write", "author", "issue", "produce", "commission", "prepare", "compile",
                   "conduct", "carry", "present", "submit", "file"}


@dataclass
class Referent:
    """What a speaker mention resolves to, before it becomes an Entity record."""
    name: str
    type: str               # speaker type: person, organization, outlet, anonymous, unnamed_official, document
    kind: str | None = None
    titles: list[str] = field(default_factory=list)
    country: str | None = None
    head: str = ""           # head noun lemma of the introducing mention ("source", "daily", "ministry")
    mentions: list[tuple[int, int]] = field(default_factory=list)
    id: str = ""
    named: bool = False
    aliases: set[str] = field(default_factory=set)      # descriptor nouns: "charity", "report", "agent"
    order: int = field(default=-1, compare=False, repr=False)  # when the resolver met it: later wins a lookup

    def entity_type(self) -> str:
        return "person" if self.type == "person" else \
            "organization" if self.type in ("organization", "outlet") else "other"


@dataclass
class Resolved:
    """A speaker mention and the referent it resolves to (None for passive and impersonal cues)."""
    mention: Span | None
    referent: Referent | None


# ---------------------------------------------------------------- reference tables

@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """Lower-cased country names, aliases and demonyms mapped to the country's common name."""
    table = {}
    for row in _tsv("countries.tsv"):
        country = row["country"]
        for key in [country] + _split(row.get("aliases")) + _split(row.get("demonyms")):
            table.setdefault(key.lower(), country)
    return table


@lru_cache(maxsize=1)
def outlets() -> dict[str, tuple[str, str, str]]:
    """Lower-cased outlet names and aliases mapped to (name, country, kind)."""
    table = {}
    for row in _tsv("outlets.tsv"):
        record = (row["name"], row["country"], row["kind"])
        for key in [row["name"]] + _split(row.get("aliases")):
            table.setdefault(key.lower(), record)
    return table


def _tsv(name: str) -> list[dict]:
    text = resources.files("onrecord").joinpath(f"data/{name}").read_text(encoding="utf-8")
    lines = [line.rstrip("\n") for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def country_in(tokens) -> str | None:
    """The country named by a possessive, a demonym or a name among these tokens ('South Korea's')."""
    table = countries()
    words = [t.text for t in tokens]
    for size in (4, 3, 2, 1):
        for i in range(len(words) - size + 1):
            phrase = " ".join(words[i:i + size])
            phrase = re.sub(r"\s*['’]s$", "", phrase)
            if phrase.lower() in table and (size > 1 or words[i][:1].isupper()):
                return table[phrase.lower()]
    return None


# ---------------------------------------------------------------- resolution

class SpeakerResolver:
    """Walks an article's attributions in order, keeping the referents introduced so far.

    Lookups go through indexes (names by word, mentions and resolved speakers by offset, entities by
    position), so that each one costs the few candidates near it rather than a scan of the page: the
    work grows with the page's length, not its square."""

    def __init__(self, doc: Doc, max_distance: int = 6):
        self.doc = doc
        self.referents: list[Referent] = []
        self.max_distance_chars = max_distance * 600
        self._by_span: dict[tuple[int, int], Referent | None] = {}
        self._ents = list(doc.ents)                        # sorted and disjoint, so their ends are sorted too
        self._ent_ends = [ent.end for ent in self._ents]
        self._persons_by_word: dict[str, list[Referent]] = {}    # every word a person's name has had
        self._by_name_key: dict[str, list[Referent]] = {}        # lower-cased names and their words
        self._governments: dict[str, Referent] = {}
        self._mentions: list[tuple[int, int, Referent]] = []              # (start, sequence, referent), sorted
        self._history: list[tuple[int, int, Referent, bool]] = []        # (offset, sequence, referent, spoke)
        self._sequence = 0
        self._index_named_entities()

    def resolve_all(self, found: list[Found]) -> list[tuple[Resolved, list[Resolved]]]:
        """For each attribution: its speaker and the sources it cites, resolved."""
        results = []
        for item in found:
            speaker = self.resolve(item.speaker, as_speaker=True) if item.speaker is not None else Resolved(None, None)
            cited = [self.resolve(span) for span in item.cited]
            results.append((speaker, cited))
        self._resolve_cataphora(found, results)
        return results

    def entities(self) -> list[Entity]:
        out = []
        for number, referent in enumerate(self.referents, 1):
            referent.id = referent.id or f"e{number}"
            mentions = sorted(set(referent.mentions))
            out.append(Entity(referent.id, referent.name, referent.entity_type(), referent.kind,
                              referent.titles, referent.country, [Offsets(s, e) for s, e in mentions]))
        return out

    # -------------------------------------------------------------- indexes

    def _add(self, referent: Referent) -> Referent:
        """A new referent: listed, and indexed by its name."""
        referent.order = len(self.referents)
        self.referents.append(referent)
        self._index_name(referent)
        return referent

    def _rename(self, referent: Referent, name: str) -> None:
        referent.name = name
        self._index_name(referent)  # the old name's entries stay: lookups check the current name

    def _index_name(self, referent: Referent) -> None:
        if referent.type == "person":
            for word in referent.name.split() or [""]:
                self._persons_by_word.setdefault(word, []).append(referent)
        lowered = referent.name.lower()
        for key in {lowered, *lowered.split(" ")}:
            self._by_name_key.setdefault(key, []).append(referent)

    def _mention(self, referent: Referent, start: int, end: int) -> None:
        referent.mentions.append((start, end))
        self._sequence += 1
        bisect.insort(self._mentions, (start, self._sequence, referent))

    def _mentions_before(self, offset: int) -> list[tuple[int, Referent]]:
        """(start, referent) of the mentions within `max_distance` before `offset`, latest first; mentions at
        one offset in the order their referents were met."""
        low = bisect.bisect_left(self._mentions, (offset - self.max_distance_chars,))
        high = bisect.bisect_left(self._mentions, (offset,))
        near = sorted(self._mentions[low:high], key=lambda m: (-m[0], m[2].order, m[1]))
        return [(start, referent) for start, _, referent in near]

    def _ents_overlapping(self, span: Span) -> list[Span]:
        first = bisect.bisect_right(self._ent_ends, span.start)
        overlapping = []
        for ent in self._ents[first:]:
            if ent.start >= span.end:
                break
            overlapping.append(ent)
        return overlapping

    # -------------------------------------------------------------- named entities

    def _index_named_entities(self) -> None:
        """Persons and organisations from NER become referents up front, with titles and countries."""
        for ent in self._ents:
            person = self._find_person(_clean_name(ent.text)) if ent.label_ in ("ORG", "PERSON", "GPE") else None
            if person is not None:
                self._mention(person, ent.start_char, ent.end_char)
            elif self._names_person(ent):
                self._add_person(ent)
            elif ent.label_ in ("ORG", "PERSON") or (ent.label_ in ("GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART")
                                                     and _clean_name(ent.text).lower() in outlets()):
                self._add_organization(ent)
        self._index_titled_names()

    def _index_titled_names(self) -> None:
        """Names NER missed but a title announces: 'Mayor Ana Ruiz', 'spokeswoman Lena Berg'."""
        doc = self.doc
        covered = {i for ent in self._ents for i in range(ent.start, ent.end)}
        i = 0
        while i < len(doc):
            token = doc[i]
            if token.lower_ in PERSON_NOUNS and i + 1 < len(doc):
                j = i + 1
                while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].is_title and j not in covered and j - i <= 3:
                    j += 1
                if j - i >= 2 and not (j < len(doc) and doc[j].pos_ == "PROPN"):
                    self._add_person(doc[i + 1:j])
                    i = j
                    continue
            i += 1

    def _add_person(self, ent: Span) -> Referent:
        name = _clean_name(ent.text)
        referent = self._find_person(name)
        if referent is None:
            referent = self._add(Referent(name=name, type="person", named=True, head=ent.root.lower_))
        elif len(name.split()) > len(referent.name.split()):
            self._rename(referent, name)
        title, country = person_title(ent)
        if title and title not in referent.titles:
            referent.titles.append(title)
        referent.aliases.update(_descriptors(ent))
        referent.country = referent.country or country
        self._mention(referent, ent.start_char, ent.end_char)
        return referent

    def _add_organization(self, ent: Span) -> Referent:
        start = ent.start
        while start < ent.end - 1 and (ent.doc[start].pos_ == "NOUN" or ent.doc[start].lower_ in ORGANIZATION_DESCRIPTORS):
            start += 1  # "Carmaker Veltrix Motors": the descriptor is not part of the name
        text = _clean_name(ent.doc[start:ent.end].text)
        known = outlets().get(text.lower()) or outlets().get(OUTLET_DESCRIPTOR.sub("", text).lower())
        suffix = OUTLET_DESCRIPTOR.search(text)              # "Yonhap news agency"
        outlet_noun = self._descriptor_outlet(ent)           # "the South Korean daily, JoongAng Ilbo"
        name = known[0] if known else OUTLET_DESCRIPTOR.sub("", text)
        name = re.sub(r"^(?:the)\s+", "", name, flags=re.I) if not known else name
        referent = self._find_named(name)
        if referent is None:
            kind, rtype = _organization_kind(name)
            if known or suffix or outlet_noun:
                kind, rtype = "news outlet", "outlet"
            head = suffix.group(0).split()[-1].lower() if suffix else outlet_noun or ent.root.lower_
            referent = self._add(Referent(name=name, type=rtype, kind=kind, named=True, head=head))
        context = list(ent) + list(_possessor_tokens(ent))
        if referent.type == "outlet" and outlet_noun:
            context += list(self._descriptor_tokens(ent))
        referent.country = referent.country or country_in(context) or (known[1] if known else None)
        referent.aliases.update(_descriptors(ent))
        self._mention(referent, ent.start_char, ent.end_char)
        return referent

    def _names_person(self, ent: Span) -> bool:
        """A PERSON that no outlet noun describes, or an ORG that a person noun does ('Alvorada's
        president, Henrique Sales')."""
        return ent.label_ == "PERSON" and self._descriptor_outlet(ent) is None or \
            ent.label_ == "ORG" and bool(_descriptors(ent) & PERSON_NOUNS)

    def _descriptor_outlet(self, ent: Span) -> str | None:
        """An outlet by its descriptor: 'the South Korean daily, JoongAng Ilbo', 'Lisbon sports daily Jornal
        do Tejo', or by its name: 'The Kessing Daily Courier'."""
        descriptors = _descriptors(ent)
        for word in descriptors:
            if word in OUTLET_HEADS:
                return word
        last = ent.text.split()[-1].lower() if ent.text.split() else ""
        if ent.label_ in ("ORG", "WORK_OF_ART", "PERSON", "GPE") and last in OUTLET_NAME_WORDS and len(ent) > 1:
            return "newspaper" if last not in ("news", "wire", "newswire") else "outlet"
        return None

    def _descriptor_tokens(self, ent: Span):
        head = ent.root
        governor = head.head if head.dep_ == "appos" else head
        return governor.subtree

    def _find_person(self, name: str) -> Referent | None:
        """The latest person of this name, or whose name holds this one word, or is one word of this name."""
        words = name.split()
        candidates = (referent for word in words or [""] for referent in self._persons_by_word.get(word, ()))
        return _latest(referent for referent in candidates if referent.type == "person" and (
            name == referent.name or (len(words) == 1 and words[0] in referent.name.split()) or
            (len(referent.name.split()) == 1 and referent.name.split()[0] in words)))

    def _find_named(self, name: str) -> Referent | None:
        lowered = name.lower()
        return _latest(referent for referent in self._by_name_key.get(lowered, ()) if referent.named and (
            referent.name.lower() == lowered or
            referent.type != "person" and lowered in referent.name.lower().split(" ")))

    # -------------------------------------------------------------- one mention

    def resolve(self, span: Span, as_speaker: bool = False) -> Resolved:
        key = (span.start, span.end)
        referent = self._by_span[key] if key in self._by_span else self._resolve_span(span)
        self._by_span[key] = referent  # "analysts believe X and expect Y": one mention, one referent
        name = _given_name(_head_of(span))
        if referent is not None and name and not referent.named:
            referent.named = True  # "The group, which calls itself Black Lantern"
            self._rename(referent, name)
            if referent.type == "anonymous":
                referent.type, referent.kind = "organization", referent.kind or "group"
        if referent is not None:
            self._mention(referent, span.start_char, span.end_char)
            self._sequence += 1
            bisect.insort(self._history, (span.start_char, self._sequence, referent, as_speaker))
        return Resolved(span, referent)

    def _resolve_span(self, span: Span) -> Referent | None:
        head = _head_of(span)
        word = head.lower_
        if len(span) == 1 and word in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | FIRST_PERSON:
            return self._antecedent(span, word)
        named = self._named_referent(span)
        if named is not None:
            return named
        determiner = _determiner(span, head)
        if determiner in ("the", "this", "that", "these", "those") or (determiner is None and head.pos_ == "NOUN"
                                                                       and word in OUTLET_HEADS | OFFICIAL_HEADS
                                                                       and not head.tag_.endswith("S")
                                                                       and word not in ("police", "authorities")):
            earlier = self._definite_antecedent(span, head)
            if earlier is not None:
                return earlier
        return self._new_description(span, head)

    def _named_referent(self, span: Span) -> Referent | None:
        """A mention containing a name: the entity of that name (short names match full ones)."""
        head = _head_of(span)
        overlapping = self._ents_overlapping(span)
        ents = sorted((e for e in overlapping if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART", "FAC")
                       and _names_head(e, head)),
                      key=lambda e: (self._descriptor_outlet(e) is None, e.label_ in ("GPE", "NORP"), e.start))
        for ent in ents:
            if ent.label_ in ("GPE", "NORP") and ent.end < span.end and ent.root.dep_ in ("poss", "amod", "compound"):
                continue  # "South Korea's Unification Ministry": the country qualifies, it does not speak
            name = _clean_name(ent.text)
            person = self._find_person(name)
            if person is not None:
                return person  # "Suga" after "Yoshihide Suga", whatever label NER gave the short form
            if self._names_person(ent):
                return self._add_person(ent)
            if ent.label_ in ("ORG", "PERSON", "WORK_OF_ART", "FAC") or name.lower() in outlets():
                return self._find_named(OUTLET_DESCRIPTOR.sub("", name)) or self._add_organization(ent)
            if ent.label_ == "GPE":
                return self._government_of(ent)
        proper = [t for t in span if (t.pos_ == "PROPN" or t.is_title and t.i > sentence_of(t).start)
                  and _names_head_token(t, head)]
        if proper and not ents:
            text = " ".join(t.text for t in proper)
            known = outlets().get(text.lower())
            person = self._find_person(proper[-1].text) or self._find_person(text)
            if person is not None:
                return person
            found = self._find_named(known[0] if known else text)
            if found is not None:
                return found
            if known:
                return self._add(Referent(known[0], "outlet", "news outlet", country=known[1], named=True))
            described = {t.lemma_.lower() for t in span if t.pos_ == "NOUN"} & OUTLET_HEADS
            if described:  # "trade magazine Dairy Week": an outlet the tables do not know
                return self._add(Referent(_clean_name(text), "outlet", "news outlet", country=country_in(span),
                                          named=True, head=sorted(described)[0], aliases=described))
        return None

    def _government_of(self, ent: Span) -> Referent:
        name = countries().get(_clean_name(ent.text).lower(), _clean_name(ent.text))
        if name not in self._governments:
            self._governments[name] = self._add(Referent(name, "organization", "government", country=name,
                                                         named=True))
        return self._governments[name]

    def _antecedent(self, span: Span, pronoun: str) -> Referent | None:
        """The latest compatible referent before the pronoun, speakers first."""
        wanted = {"person"} if pronoun in PERSON_PRONOUNS else \
            {"organization", "outlet", "document"} if pronoun in THING_PRONOUNS else \
            {"anonymous", "unnamed_official", "organization", "person", "outlet"} if pronoun in GROUP_PRONOUNS else \
            {"person", "organization", "outlet", "unnamed_official", "anonymous"}
        low = bisect.bisect_left(self._history, (span.start_char - self.max_distance_chars,))
        high = bisect.bisect_left(self._history, (span.start_char,))
        resolved = sorted(self._history[low:high], key=lambda h: -h[1])  # the latest resolved first
        for speakers_only in (True, False):  # a subject pronoun continues the last speaker before a cited source
            for _, _, referent, spoke in resolved:
                if referent.type in wanted and (spoke or not speakers_only):
                    if pronoun in GROUP_PRONOUNS and referent.type in ("person",):
                        continue
                    return referent
        return next((r for _, r in self._mentions_before(span.start_char) if r.type in wanted), None)

    def _definite_antecedent(self, span: Span, head: Token) -> Referent | None:  # noqa: C901
        """'the source' -> the last source; 'the newspaper' -> the last outlet; 'the minister' -> the person
        titled minister."""
        word = head.lemma_.lower()
        for _, referent in self._mentions_before(span.start_char):
            if _matches_description(referent, word):
                return referent
        return None

    def _new_description(self, span: Span, head: Token) -> Referent:
        """An unnamed speaker ('an anonymous source familiar with ...', 'officials', 'a separate report')."""
        word = head.lower_
        lemma = head.lemma_.lower()
        text = _clean_name(span.text)
        if word in DOCUMENT_HEADS or lemma in DOCUMENT_HEADS:
            author = _document_author(head)
            if author is not None:
                resolved = self._resolve_span(author)
                if resolved is not None:
                    resolved.aliases.add(lemma)  # "a report by X" ... "the report found": X's report
                    return resolved
            rtype, kind = "document", "document"
        elif word in OFFICIAL_HEADS or lemma in OFFICIAL_HEADS:
            rtype, kind = "unnamed_official", "unnamed official"
        elif word in ANONYMOUS_HEADS or lemma in ANONYMOUS_HEADS or "anonymous" in text.lower():
            rtype, kind = "anonymous", "anonymous source"
        elif lemma in OUTLET_HEADS:
            rtype, kind = "outlet", "news outlet"
        elif head.ent_type_ in ("ORG",) or lemma in GOVERNMENT_WORDS:
            rtype, kind = "organization", _organization_kind(text)[0]
        else:
            rtype, kind = "anonymous", None
        country = country_in(span)
        return self._add(Referent(name=text, type=rtype, kind=kind, country=country, head=lemma))

    # -------------------------------------------------------------- forward references

    def _resolve_cataphora(self, found: list[Found], results: list[tuple[Resolved, list[Resolved]]]) -> None:
        """'a separate report suggested ...' ... 'In a separate report, the daily X said': the report is X's."""
        framed = [(index, framing) for index, item in enumerate(found)
                  if (framing := _framing_document(item)) is not None]  # few: only these can name a report's author
        framed_at = [index for index, _ in framed]
        for index, (speaker, _) in enumerate(results):
            referent = speaker.referent
            if referent is None or referent.type != "document" or speaker.mention is None:
                continue
            words = {t.lemma_.lower() for t in speaker.mention if t.pos_ in ("ADJ", "NOUN")}
            for later_index, framing in framed[bisect.bisect_right(framed_at, index):]:
                later = results[later_index][0]
                if later.referent is None or later.referent.type not in ("outlet", "organization"):
                    continue
                if words <= {t.lemma_.lower() for t in framing if t.pos_ in ("ADJ", "NOUN")}:
                    speaker.referent = later.referent
                    self._mention(later.referent, speaker.mention.start_char, speaker.mention.end_char)
                    if referent in self.referents and not any(
                            r.referent is referent for r, _ in results if r is not speaker):
                        self.referents.remove(referent)
                    break


def _latest(referents) -> Referent | None:
    """The referent met last among these."""
    return max(referents, key=lambda referent: referent.order, default=None)


def _descriptors(ent: Span) -> set[str]:
    """Common nouns that describe a named entity: the noun it stands in apposition to ('the charity
    Pastoral Futures', 'Wieczorek's agent, Jorge Valadares'), nouns compounded before it ('Lisbon sports
    daily Jornal do Tejo'), and appositive nouns after it ('Amina Wario, the charity's regional director')."""
    head = ent.root
    words = set()
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":
        words.add(head.head.lemma_.lower())
    for child in head.children:
        if child.i < ent.start and child.pos_ == "NOUN" and child.dep_ in ("compound", "nmod"):
            words.add(child.lemma_.lower())
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            words.add(child.lemma_.lower())
    doc = ent.doc
    i = ent.start - 1
    while i >= max(sentence_of(ent[0]).start, ent.start - 3) and doc[i].is_alpha and doc[i].pos_ not in (
            "VERB", "AUX", "ADP", "DET", "PRON", "SCONJ", "CCONJ", "PART", "NUM"):
        if doc[i].lower_ in OUTLET_HEADS or doc[i].pos_ == "NOUN":
            words.add(doc[i].lemma_.lower() if doc[i].pos_ == "NOUN" else doc[i].lower_)
        i -= 1
    return words


def _names_head(ent: Span, head: Token) -> bool:
    """Whether a named entity names the mention's head, not something inside a modifier of it
    ('a spokesman for Orchard Lane' is no Orchard Lane)."""
    return ent.start <= head.i < ent.end or _names_head_token(ent.root, head)


def _names_head_token(token: Token, head: Token) -> bool:
    if token.i == head.i or token.head.i == head.i and token.dep_ in ("appos", "compound", "nmod"):
        return True
    if token.head.i == head.i:
        return False
    # "a ransomware group calling itself Black Lantern", "a group known as X"
    verb = token.head
    return verb.lemma_.lower() in NAMING_VERBS and verb.head.i == head.i and verb.dep_ in ("acl", "relcl") or (
        token.head.dep_ == "prep" and verb.head.lemma_.lower() in NAMING_VERBS and verb.head.head.i == head.i)


def _given_name(head: Token) -> str | None:
    """'a group calling itself X', 'the group, which calls itself X', 'a hacker known as X': the name."""
    for child in head.children:
        if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in NAMING_VERBS:
            names = [t for t in child.subtree if t.pos_ == "PROPN"]
            if names:
                doc = head.doc
                return _clean_name(doc[names[0].i: names[-1].i + 1].text)
    return None


def _document_author(head: Token) -> Span | None:
    """'a report released by the charity X', 'a study by researchers at Y': who wrote the document."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            objects = [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ == "acl" and child.lemma_.lower() in AUTHORING_VERBS:
            objects = [g for a in child.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        else:
            continue
        if objects:
            from .attribution import mention_span
            return mention_span(objects[0])
    return None


def _framing_document(item: Found) -> Span | None:
    """'In a separate report, ...': the document phrase framing a cue, if any."""
    if item.cue_token is None:
        return None
    for child in item.cue_token.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "according"):
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.lemma_.lower() in DOCUMENT_HEADS:
                    return obj.doc[obj.left_edge.i: obj.right_edge.i + 1]
    return None


def _matches_description(referent: Referent, word: str) -> bool:
    if word in referent.aliases:
        return True
    if referent.type in ("organization", "outlet") and referent.named and word in referent.name.lower().split():
        return True  # "the network" after "St. Aldric Health Network"
    if word in ("source", "sources"):
        return referent.head in ("source", "sources")
    if word in DOCUMENT_HEADS and not (word in OUTLET_HEADS and referent.type == "outlet"):
        return referent.type == "document" or referent.head == word
    if word in OUTLET_HEADS:
        return referent.type == "outlet" and (referent.head in (word, "") or word in ("newspaper", "paper", "daily",
                                                                                      "agency", "outlet",
                                                                                      "publication")
                                              and referent.head not in ("broadcaster", "network", "channel", "radio",
                                                                        "television"))
    if referent.type == "person":
        return any(title.lower().split()[-1:] == [word] for title in referent.titles)
    if referent.type in ("organization", "outlet"):
        return word in referent.name.lower().split() or word == referent.head or \
            (word in ("company", "firm") and referent.kind == "company") or \
            (word == "government" and referent.kind == "government")
    return referent.head == word


def person_title(ent: Span) -> tuple[str | None, str | None]:
    """The title in front of or in apposition to a name, and the country it names:
    'South Korean President Park Geun-Hye' -> ('South Korean President', 'South Korea')."""
    doc = ent.doc
    head = ent.root
    title_tokens: list[Token] = []
    if head.dep_ == "appos" and head.head.i < ent.start and head.head.pos_ == "NOUN":
        governor = head.head
        title_tokens = [t for t in doc[governor.left_edge.i: governor.i + 1]]
    else:
        start = ent.start
        i = start - 1
        while i >= 0 and doc[i].head.i in range(ent.start, ent.end) and doc[i].dep_ in ("compound", "amod", "poss",
                                                                                          "case", "nmod", "punct") \
                or i >= 0 and doc[i].dep_ in ("compound", "amod", "case", "poss") and doc[i].head.i < ent.start \
                and doc[i].head.i >= i and doc[doc[i].head.i].dep_ in ("compound", "amod", "poss"):
            i -= 1
        title_tokens = list(doc[i + 1: start])
        if not title_tokens:
            appositives = [c for c in head.children if c.dep_ == "appos" and c.i > head.i and c.pos_ == "NOUN"]
            if appositives:
                title_tokens = [t for t in appositives[0].subtree if not (t.is_punct and t.i > appositives[0].i)]
    while title_tokens and (title_tokens[0].is_punct or title_tokens[0].lower_ in ("the", "a", "an")):
        title_tokens = title_tokens[1:]
    while title_tokens and title_tokens[-1].is_punct:
        title_tokens = title_tokens[:-1]
    if not title_tokens or not any(t.pos_ == "NOUN" or t.pos_ == "PROPN" and t.lower_ in OFFICIAL_HEADS
                                   or t.lower_ in OFFICIAL_HEADS for t in title_tokens):
        return None, None
    title = doc[title_tokens[0].i: title_tokens[-1].i + 1].text
    return title, country_in(title_tokens)


def _possessor_tokens(ent: Span):
    """'South Korea's Unification Ministry': the possessor in front of an organisation's name."""
    doc = ent.doc
    for child in ent.root.children:
        if child.dep_ in ("poss", "amod", "compound") and child.i < ent.start:
            yield from doc[child.left_edge.i: child.right_edge.i + 1]


def _organization_kind(name: str) -> tuple[str | None, str]:
    words = {w.lower().strip(".,") for w in name.split()}
    if words & GOVERNMENT_WORDS:
        return "government body", "organization"
    if words & COMPANY_WORDS:
        return "company", "organization"
    if words & PARTY_WORDS:
        return "party or union", "organization"
    return None, "organization"


def _head_of(span: Span) -> Token:
    root = span.root
    if root.dep_ == "appos" and root.head.i >= span.start:
        return root.head
    return root


def _determiner(span: Span, head: Token) -> str | None:
    for child in head.children:
        if child.dep_ in ("det", "poss") and span.start <= child.i < span.end:
            return child.lower_
    return None


def _clean_name(text: str) -> str:
    text = re.sub(r"[\"“”]", "", text)
    text = re.sub(r"['’]s$", "", text.strip())
    text = re.sub(r"^the\s+", "", text.strip(), flags=re.I)
    return re.sub(r"\s+", " ", text).strip(" ,;:—–-")
