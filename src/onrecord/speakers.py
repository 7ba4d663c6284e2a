"""Speakers and coreference: speaker mentions become entities with canonical names, titles and countries.

"she", "the source", "the newspaper", "the minister" and short names ("Suga") are resolved to the entity
introduced earlier; "a separate report" is resolved forward to the outlet later named as its author.
The rules read the parse and two shipped tables (countries with demonyms, news outlets), never an
article's particular words.
"""
from __future__ import annotations

import bisect
import csv
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from .attribution import Found, mention_span, sentence_of
from .nouns import (ANONYMOUS_HEADS, DOCUMENT_HEADS, EXPERT_NOUNS, GENDERED_NOUNS, HONORIFICS, OFFICIAL_HEADS,
                    ORGANIZATION_DESCRIPTORS, ORGANIZATION_NOUNS, OUTLET_HEADS, PERSON_NOUNS, ROLE_NOUNS,
                    TITLE_ABBREVIATIONS)
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
                 "airlines", "motors", "technologies", "systems", "energy", "pharmaceuticals", "ag", "sa", "gmbh",
                 "carriers", "shipping", "industries", "partners", "capital", "logistics", "airways", "petroleum",
                 "mining", "resources", "enterprises", "ventures", "therapeutics", "insurance"}
PARTY_WORDS = {"party", "union", "league", "front", "movement", "coalition", "alliance"}
OUTLET_NAME_WORDS = {"times", "post", "herald", "journal", "gazette", "tribune", "chronicle", "news", "observer",
                     "telegraph", "echo", "examiner", "courier", "daily", "independent", "guardian", "mail", "express",
                     "standard", "record", "register", "inquirer", "bulletin", "dispatch", "monitor", "reporter",
                     "sentinel", "mirror", "press", "weekly", "ilbo", "shimbun", "zeitung", "wire", "newswire"}
NAMING_VERBS = {"call", "name", "know", "dub", "identify"}
GENDERED_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
                     "herself": "f"}
APOSTROPHES = str.maketrans("’‘", "''")   # 'O’Neill' and 'O'Neill' are one name
SALIENCE_DECAY = 0.5         # what a mention's weight keeps for each sentence back
ESTABLISHED_SHORT_NAME = 2    # 'Obama' named alone more often than this is not the later 'Michelle Obama'
DESCRIPTION_WINDOW = 2400    # how far back 'the former president' looks for the person it describes
PERSONAL_ORGANIZATIONS = {"administration", "campaign", "camp", "team", "government", "foundation"}
OFFICE_ROLES = {"president", "minister", "premier", "chancellor", "senator", "representative", "congressman",
                "congresswoman", "governor", "mayor", "secretary", "ambassador", "judge", "justice", "king", "queen",
                "pope", "speaker", "commissioner", "general", "prosecutor"}
_FORMER = re.compile(r"\b(?:former|ex-|onetime|one-time|erstwhile)", re.IGNORECASE)
KIND_HEADS = {"news agency": "agency", "newspaper": "newspaper", "broadcaster": "broadcaster", "magazine": "magazine",
              "online outlet": "website"}   # the noun that describes an outlet of the table's kind
SAME_OFFICE = {"congressman": "representative", "congresswoman": "representative"}
POLITICAL_ROLES = OFFICE_ROLES | {"candidate", "nominee", "challenger", "incumbent", "politician", "lawmaker",
                                  "leader"}
COMPANY_NOUNS = {"company", "firm", "bank", "lender", "insurer", "carmaker", "automaker", "retailer", "airline",
                 "manufacturer", "conglomerate", "startup", "developer", "producer", "operator", "drugmaker",
                 "chipmaker", "miner", "brewer"}
_TITLE_WORDS = PERSON_NOUNS | ROLE_NOUNS | set(HONORIFICS) | set(TITLE_ABBREVIATIONS)
NUMBER_WORDS = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10}
ROLE_WEIGHTS = {"nsubj": 0.7, "nsubjpass": 0.7, "appos": 0.6, "dobj": 0.5, "attr": 0.5, "conj": 0.5}
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
    gender: str | None = None                           # "m" or "f" when a honorific or a gendered noun says so
    short_forms: dict[str, int] = field(default_factory=dict, repr=False)  # one-word names it was called by
    members: list[Referent] = field(default_factory=list, repr=False)    # a group: "Mr. Grassley and Mr. Leahy"
    plural: bool = False                                # "officials", "proponents": what 'they' stands for

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
        self._ents = [_before_colon(ent) for ent in doc.ents if not _capitalised_noun(ent)]  # sorted and disjoint
        self._ent_ends = [ent.end for ent in self._ents]
        self._persons_by_word: dict[str, list[Referent]] = {}    # every word a person's name has had
        self._by_name_key: dict[str, list[Referent]] = {}        # lower-cased names and their words
        self._governments: dict[str, Referent] = {}
        self._mentions: list[tuple[int, int, Referent, float]] = []   # (start, sequence, referent, weight), sorted
        self._ent_referents: dict[int, Referent] = {}            # entity start token -> its referent
        self._acronyms: dict[str, Referent] = {}                 # "NTSB" -> the National Transportation Safety Board
        self._groups: dict[tuple[int, ...], Referent] = {}       # member orders -> the group referent
        self._pronoun_votes: dict[int, dict[str, int]] | None = None   # referent order -> gender -> votes
        self._quoted: list[tuple[int, int]] = []                 # direct quotes' contents: their pronouns do not vote
        self._sequence = 0
        self._sentence_starts = [sentence.start_char for sentence in doc.sents]
        self._capitalised_at: dict[str, list[int]] = {}          # capitalised word -> where it stands, in order
        self._capitals = {token.text for token in doc if token.is_upper and token.is_alpha}   # acronyms used
        for token in doc:
            if token.is_title and token.is_alpha:
                self._capitalised_at.setdefault(token.text, []).append(token.idx)
        self._index_named_entities()

    def resolve_all(self, found: list[Found]) -> list[tuple[Resolved, list[Resolved]]]:
        """For each attribution: its speaker and the sources it cites, resolved."""
        results = []
        self._quoted = sorted((item.content_start, item.content_end) for item in found if item.direct)
        for item in found:
            speaker = self.resolve(item.speaker, as_speaker=True) if item.speaker is not None else Resolved(None, None)
            self._note_report(item, speaker.referent)
            cited = [self.resolve(span) for span in item.cited]
            results.append((speaker, cited))
        self._resolve_cataphora(found, results)
        for group in self._groups.values():
            group.name = _group_name(group.members)  # members named in full later
        return results

    def _note_report(self, item: Found, referent: Referent | None) -> None:
        """'The Journal reported ...' then 'according to the report': an outlet's or organisation's report is
        its own, so the next 'the report' finds it."""
        cue = item.cue_token.lemma_.lower() if item.cue_token is not None else ""
        if referent is not None and referent.type in ("outlet", "organization") and cue in DOCUMENT_HEADS:
            referent.aliases.add(cue)

    def entities(self) -> list[Entity]:
        out = []
        resolved = {referent.order for referent in self._by_span.values() if referent is not None}
        for number, referent in enumerate(self.referents, 1):
            if referent.members and referent.order not in resolved:
                continue  # a group only 'they' or 'the three' could stand for, and none did
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

    def _mention(self, referent: Referent, start: int, end: int, weight: float = 0.3) -> None:
        """A mention, with its weight for salience: subjects and speakers count most."""
        referent.mentions.append((start, end))
        self._sequence += 1
        bisect.insort(self._mentions, (start, self._sequence, referent, weight))

    def _mentions_before(self, offset: int, distance: int | None = None) -> list[tuple[int, Referent]]:
        """(start, referent) of the mentions within `distance` (default `max_distance`) before `offset`, latest
        first; mentions at one offset in the order their referents were met."""
        low = bisect.bisect_left(self._mentions, (offset - (distance or self.max_distance_chars),))
        high = bisect.bisect_left(self._mentions, (offset,))
        near = sorted(self._mentions[low:high], key=lambda m: (-m[0], m[2].order, m[1]))
        return [(start, referent) for start, _, referent, _ in near]

    def _salience(self, offset: int, distance: int | None = None) -> list[tuple[float, Referent]]:
        """The referents mentioned within `distance` before `offset`, most salient first: each mention adds
        its weight (subject, speaker, object, other), times SALIENCE_DECAY for every sentence back."""
        low = bisect.bisect_left(self._mentions, (offset - (distance or self.max_distance_chars),))
        high = bisect.bisect_left(self._mentions, (offset,))
        scores: dict[int, float] = {}
        by_order: dict[int, Referent] = {}
        here = bisect.bisect_right(self._sentence_starts, offset)
        for start, _, referent, weight in self._mentions[low:high]:
            sentences_back = here - bisect.bisect_right(self._sentence_starts, start)
            scores[referent.order] = scores.get(referent.order, 0.0) + weight * SALIENCE_DECAY ** sentences_back
            by_order[referent.order] = referent
        return sorted(((score, by_order[order]) for order, score in scores.items()),
                      key=lambda pair: (-pair[0], -pair[1].order))

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
        """Persons and organisations from NER become referents up front, with titles and countries; then the
        names a title announces, and the coordinated persons that later 'they' and 'the three' stand for."""
        previous: tuple[Span, Referent] | None = None
        for ent in self._ents:
            referent = self._parenthesised_short_name(ent, previous) or self._index_entity(ent)
            if referent is not None:
                self._ent_referents[ent.start] = referent
                previous = (ent, referent)
        self._index_titled_names()
        self._index_untagged_names()
        self._index_groups()

    def _parenthesised_short_name(self, ent: Span, previous: tuple[Span, Referent] | None) -> Referent | None:
        """'Paramount Global (PARA)', 'Warner Bros. Discovery (WBD)': capitals in brackets right after an
        organisation's name are its acronym or ticker, not another organisation."""
        doc = ent.doc
        key = _acronym_key(ent.text)
        if previous is None or key is None or not (0 < ent.start and ent.end < len(doc)) or \
                doc[ent.start - 1].text != "(" or doc[ent.end].text != ")" or previous[0].end != ent.start - 1 or \
                previous[1].type not in ("organization", "outlet"):
            return None
        self._acronyms.setdefault(key, previous[1])
        self._mention(previous[1], ent.start_char, ent.end_char, _weight(ent.root))
        return previous[1]

    def _index_entity(self, ent: Span) -> Referent | None:
        name, honorific = _person_name(ent.text)
        person = self._find_person(name, ent.start_char, _honorific_gender(honorific)) \
            if ent.label_ in ("ORG", "PERSON", "GPE") else None
        if person is None and ent.label_ == "PERSON" and len(name.split()) == 1:
            person = self._person_named_as_organization(name)  # 'Brass' after 'Nikkie Brass' taken for an ORG
        if person is None and ent.label_ == "PERSON" and len(name.split()) == 1:
            organization = self._find_named(name)
            if organization is not None and organization.type in ("organization", "outlet"):
                self._mention(organization, ent.start_char, ent.end_char, _weight(ent.root))
                return organization  # "Quandong" after "Quandong Lithium"
        if person is not None and ent.label_ == "PERSON" or person is None and self._names_person(ent):
            return self._add_person(ent)
        if person is not None:
            self._count_short_form(person, name)
            self._mention(person, ent.start_char, ent.end_char, _weight(ent.root))
            return person
        if ent.label_ in ("ORG", "PERSON") or (ent.label_ in ("GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART")
                                               and _clean_name(ent.text).lower() in outlets()):
            return self._add_organization(ent)
        return None

    def _index_groups(self) -> None:
        """'Donald Trump and Hillary Clinton vied ...': coordinated persons also make a group referent."""
        persons = {ent.root.i: self._ent_referents[ent.start] for ent in self._ents
                   if self._ent_referents.get(ent.start) is not None and self._ent_referents[ent.start].type == "person"}
        for ent in self._ents:
            root = ent.root
            if root.i not in persons or root.dep_ == "conj":
                continue
            conjuncts = [t for t in root.conjuncts if t.i > root.i and t.i in persons]
            if conjuncts:
                members = [persons[root.i]] + [persons[t.i] for t in conjuncts]
                last = max(conjuncts, key=lambda t: t.i)
                group = self._group(members)
                if group is not None:
                    self._mention(group, ent.start_char, last.idx + len(last.text), _weight(root))

    def _group(self, members: list[Referent]) -> Referent | None:
        """The one group referent of these distinct members (two or more)."""
        unique = list({member.order: member for member in members}.values())
        if len(unique) < 2:
            return None
        key = tuple(sorted(member.order for member in unique))
        if key not in self._groups:
            rtype = "person" if all(member.type == "person" for member in unique) else "organization"
            self._groups[key] = self._add(Referent(_group_name(unique), rtype, "group" if rtype != "person" else None,
                                                   named=True, members=unique))
        return self._groups[key]

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

    def _index_untagged_names(self) -> None:
        """Names of known persons that NER left untagged ('Mehmet Oz' before the tagged 'Oz', 'Colas' taken for a
        noun): runs of capitalised proper nouns ending in a known person's name word, titles in front left out."""
        doc = self.doc
        covered = {i for ent in self._ents for i in range(ent.start, ent.end)}
        for token in doc:
            if token.i in covered or token.pos_ != "PROPN" or not token.is_title or \
                    token.text not in self._persons_by_word or \
                    token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN" and doc[token.i + 1].is_title:
                continue
            start = token.i
            while start > 0 and start - 1 not in covered and doc[start - 1].pos_ == "PROPN" and \
                    doc[start - 1].is_title and doc[start - 1].lower_.rstrip(".") not in _TITLE_WORDS and \
                    token.i - start < 3:
                start -= 1
            if _in_headline(token):
                continue
            name = doc[start:token.i + 1]
            person = self._find_person(name.text, name.start_char)
            if person is not None:
                if len(name) > len(person.name.split()):
                    self._rename(person, name.text)
                self._count_short_form(person, name.text)
                self._mention(person, name.start_char, name.end_char, _weight(token))

    def _add_person(self, ent: Span) -> Referent:
        name, honorific = _person_name(ent.text)
        referent = self._find_person(name, ent.start_char, _honorific_gender(honorific)) or \
            self._person_named_as_organization(name)
        if referent is None and _in_headline(ent.root):  # "Ruiz Speech At Festival": Ruiz, not a new person
            referent = next((person for word in name.split() if (person := self._find_person(word, ent.start_char))),
                            None)
        if referent is None:
            referent = self._add(Referent(name=name, type="person", named=True, head=ent.root.lower_))
        elif len(name.split()) > len(referent.name.split()) and not _in_headline(ent.root):
            self._rename(referent, name)
        self._count_short_form(referent, name)
        title, country = person_title(ent)
        if title is None and honorific and honorific.lower() in TITLE_ABBREVIATIONS:
            title = honorific  # "Sen. Leahy"
        if title and title not in referent.titles:
            referent.titles.append(title)
        descriptors = _descriptors(ent)
        referent.aliases.update(descriptors)
        referent.country = referent.country or country
        referent.gender = referent.gender or _honorific_gender(honorific) or next(
            (GENDERED_NOUNS[w] for w in descriptors | set((title or "").lower().split()) if w in GENDERED_NOUNS), None)
        self._mention(referent, ent.start_char, ent.end_char, _weight(ent.root))
        return referent

    def _count_short_form(self, referent: Referent, name: str) -> None:
        if len(name.split()) == 1:
            referent.short_forms[name] = referent.short_forms.get(name, 0) + 1

    def _person_named_as_organization(self, name: str) -> Referent | None:
        """'Nikkie Brass' tagged as an organisation, later 'Brass' as a person: the referent was a person. Only an
        organisation of two or three capitalised words, of no known kind, ending in this one word."""
        if len(name.split()) != 1:
            return None
        for referent in reversed(self._by_name_key.get(name.lower(), ())):
            words = referent.name.split()
            if referent.type == "organization" and referent.kind is None and not referent.members and \
                    2 <= len(words) <= 3 and words[-1] == name and all(w[:1].isupper() for w in words) and \
                    _initials(referent.name) not in self._capitals:
                referent.type = "person"
                self._index_name(referent)
                return referent
        return None

    def _add_organization(self, ent: Span) -> Referent:
        start = ent.start
        while start < ent.end - 1 and (ent.doc[start].pos_ in ("NOUN", "DET") or ent.doc[start].lower_ in
                                       ORGANIZATION_DESCRIPTORS or ent.doc[start].pos_ == "ADJ" and ent.doc[start].is_lower):
            start += 1  # "Carmaker Veltrix Motors", "the federal Trade Board": the descriptor is not part of the name
        text = _clean_name(ent.doc[start:ent.end].text)
        known = outlets().get(text.lower()) or outlets().get(OUTLET_DESCRIPTOR.sub("", text).lower())
        suffix = OUTLET_DESCRIPTOR.search(text)              # "Yonhap news agency"
        outlet_noun = self._descriptor_outlet(ent)           # "the South Korean daily, JoongAng Ilbo"
        name = known[0] if known else OUTLET_DESCRIPTOR.sub("", text)
        name = _country_spelled_out(re.sub(r"^(?:the)\s+", "", name, flags=re.I)) if not known else name
        referent = self._find_named(name) or self._spelled_out(name)
        if referent is None:
            kind, rtype = _organization_kind(name)
            if known or suffix or outlet_noun:
                kind, rtype = "news outlet", "outlet"
            head = suffix.group(0).split()[-1].lower() if suffix else outlet_noun or (
                KIND_HEADS.get(known[2], ent.root.lower_) if known else ent.root.lower_)
            referent = self._add(Referent(name=name, type=rtype, kind=kind, named=True, head=head))
        self._index_acronym(referent)
        context = list(ent) + list(_possessor_tokens(ent))
        if referent.type == "outlet" and outlet_noun:
            context += list(self._descriptor_tokens(ent))
        referent.country = referent.country or country_in(context) or (known[1] if known else None)
        referent.aliases.update(_descriptors(ent))
        self._mention(referent, ent.start_char, ent.end_char, _weight(ent.root))
        return referent

    def _names_person(self, ent: Span) -> bool:
        """A PERSON that no outlet noun describes, that is no known outlet's name ('Bloomberg reported') and that
        no company word ends ('Halvorsen Bulk Carriers'), or an ORG that a person noun does ('Alvorada's
        president, Henrique Sales')."""
        return ent.label_ == "PERSON" and self._descriptor_outlet(ent) is None and \
            _clean_name(ent.text).lower() not in outlets() and \
            _clean_name(ent.text).split()[-1].lower().strip(".,") not in COMPANY_WORDS or \
            ent.label_ == "ORG" and bool(_descriptors(ent) & PERSON_NOUNS)

    def _descriptor_outlet(self, ent: Span) -> str | None:
        """An outlet by its descriptor: 'the South Korean daily, JoongAng Ilbo', 'Lisbon sports daily Jornal
        do Tejo', or by its name: 'The Kessing Daily Courier'. The noun next to the name says what it is: 'talk
        radio host Rush Limbaugh' is a host."""
        before = ent.doc[ent.start - 1] if ent.start else None
        next_to_name = before is not None and before.pos_ == "NOUN" and before.head.i in range(ent.start, ent.end)
        descriptors = _descriptors(ent) if not next_to_name or before.lemma_.lower() in OUTLET_HEADS else set()
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

    def _find_person(self, name: str, at: int | None = None, gender: str | None = None) -> Referent | None:
        """The person a name names: one of that name, of a fuller name holding all its words ('Biden' -> 'Joe
        Biden'), or of a one-word name it holds. Among several ('Clinton': Bill or Hillary), one of exactly this
        name, then the one this one-word name has named most, then the most salient at `at`, then the latest;
        never one of another gender than a honorific gives ('Mr. Obama' is not Michelle Obama). A one-word
        name used alone more than ESTABLISHED_SHORT_NAME times is someone: a full name met later is another."""
        name = _unshouted(name).translate(APOSTROPHES)
        words = name.split()
        if not words:
            return None
        wordset = set(words)
        lowered = {word.lower() for word in words}   # 'De Blasio' opening a sentence is Bill de Blasio
        candidates = {referent.order: referent for word in words for referent in self._persons_by_word.get(word, ())
                      if referent.type == "person" and not referent.members}
        matching = [referent for referent in candidates.values() if (referent.name == name or
                    lowered <= set(referent.name.lower().split()) or len(referent.name.split()) == 1 and
                    referent.name in wordset and not self._established(referent.name, at))
                    and not (gender and referent.gender not in (None, gender))]
        if len(matching) < 2:
            return matching[0] if matching else None
        salience = {referent.order: score for score, referent in self._salience(at)} if at is not None else {}
        return max(matching, key=lambda r: (r.name == name, r.short_forms.get(name, 0), salience.get(r.order, 0.0),
                                            r.order))

    def _established(self, word: str, at: int | None) -> bool:
        """Whether a one-word name stood alone more than ESTABLISHED_SHORT_NAME times before `at`."""
        if at is None:
            return False
        return bisect.bisect_left(self._capitalised_at.get(word, []), at) > ESTABLISHED_SHORT_NAME

    def _find_named(self, name: str) -> Referent | None:
        """The latest named referent of this name, or of one word of it, or that this acronym stands for."""
        lowered = name.lower()
        found = _latest(referent for referent in self._by_name_key.get(lowered, ()) if referent.named and (
            referent.name.lower() == lowered or
            referent.type != "person" and lowered in referent.name.lower().split(" ")))
        return found or self._acronyms.get(_acronym_key(name) or "") or self._named_by_tail(name)

    def _named_by_tail(self, name: str) -> Referent | None:
        """The latest organisation whose fuller name ends in this one: 'the Security Council' after 'the United
        Nations Security Council'; an acronym in front stands for the words it abbreviates ('the U.N. Security
        Council')."""
        words = name.lower().split()
        if len(words) < 2:
            return None
        acronym = _acronym_key(name.split()[0])
        fitting = []
        for referent in self._by_name_key.get(words[-1], ()):
            theirs = referent.name.split()
            if referent.type == "person" or not referent.named or referent.members or len(theirs) <= len(words) - 1:
                continue
            lowered = [word.lower() for word in theirs]
            extends = len(theirs) > len(words) and lowered[-len(words):] == words
            abbreviates = acronym is not None and lowered[1 - len(words):] == words[1:] and \
                _initials(" ".join(theirs[:1 - len(words)])) == acronym
            if extends or abbreviates:
                fitting.append(referent)
        return _latest(fitting)

    def _index_acronym(self, referent: Referent) -> None:
        """An organisation's acronym ('National Transportation Safety Board' -> 'NTSB'), so that the acronym
        finds it."""
        key = _acronym_key(referent.name) or _initials(referent.name)
        if key is not None:
            self._acronyms.setdefault(key, referent)

    def _spelled_out(self, name: str) -> Referent | None:
        """The organisation met by its acronym that this full name spells out: it takes the full name."""
        initials = _initials(name)
        earlier = self._acronyms.get(initials) if initials else None
        if earlier is not None and _acronym_key(earlier.name) == initials:
            self._rename(earlier, name)
            return earlier
        return None

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
            self._mention(referent, span.start_char, span.end_char, 1.0 if as_speaker else _weight(span.root))
        return Resolved(span, referent)

    def _resolve_span(self, span: Span) -> Referent | None:
        head = _head_of(span)
        word = head.lower_
        if len(span) == 1 and word in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | FIRST_PERSON:
            return self._antecedent(span, word)
        named = self._coordinated(head) or self._named_referent(span) or self._apposed_to_name(span, head)
        if named is not None:
            return named
        determiner = _determiner(span, head)
        if _counts_people(span, head, determiner):
            group = self._described_group(span, head)
            if group is not None:
                return group
        if head.tag_ == "NNS" and head.lemma_.lower() in COMPANY_NOUNS and _group_size(span) is not None:
            companies = self._described_companies(span, head)
            if companies is not None:
                return companies
        if determiner in ("the", "this", "that", "these", "those") or (determiner is None and head.pos_ == "NOUN"
                                                                       and word in OUTLET_HEADS | OFFICIAL_HEADS
                                                                       and not head.tag_.endswith("S")
                                                                       and word not in ("police", "authorities")):
            earlier = self._definite_antecedent(span, head)
            if earlier is not None:
                return earlier
        if determiner in ("the", "this", "that") and head.pos_ == "NOUN" and head.tag_ == "NN" and \
                not (head.is_title and head.i > sentence_of(head).start) and not _defined_by_modifier(head):
            described = self._described_person(span, head) or self._described_organization(span, head)
            if described is not None:
                return described
        return self._new_description(span, head)

    def _coordinated(self, head: Token) -> Referent | None:
        """'Mr. Grassley and Mr. Leahy', 'presidential candidates X and Y': the group of the persons named by the
        coordinated heads."""
        if head.tag_ == "NNS":
            head = next((child for child in head.children if child.dep_ in ("appos", "compound") and
                         child.ent_type_ == "PERSON" and any(t.dep_ == "conj" for t in child.children)), head)
        if head.dep_ == "conj" or not any(t.dep_ == "conj" for t in head.children):
            return None
        members = []
        for token in [head] + [t for t in head.conjuncts if t.i > head.i]:
            ent = next((e for e in self._ents_overlapping(token.doc[token.i:token.i + 1])), None)
            referent = self._ent_referents.get(ent.start) if ent is not None else None
            if referent is None or referent.type != "person" or referent.members:
                return None
            members.append(referent)
        return self._group(members)

    def _apposed_to_name(self, span: Span, head: Token) -> Referent | None:
        """'Ban Ki-moon, the secretary general of the United Nations, vowed': a description in apposition to a
        name stands for the named one; a person noun set off by commas right after a name is in apposition
        however the parser attached it."""
        doc = span.doc
        if head.dep_ == "appos" and head.head.i < span.start:
            name = head.head
        elif 1 < span.start and span.end < len(doc) and doc[span.start - 1].text == "," and doc[span.end].text == "," \
                and head.lemma_.lower() in PERSON_NOUNS | ROLE_NOUNS:
            name = doc[span.start - 2]
        else:
            return None
        ent = next(iter(self._ents_overlapping(doc[name.i:name.i + 1])), None)
        named = self._ent_referents.get(ent.start) if ent is not None else None
        return named if named is not None and (named.type == "person" or head.dep_ == "appos") else None

    def _named_referent(self, span: Span) -> Referent | None:
        """A mention containing a name: the entity of that name (short names match full ones)."""
        head = _head_of(span)
        overlapping = self._ents_overlapping(span)
        ents = sorted((e for e in overlapping if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART", "FAC")
                       and _names_head(e, head) and not _qualifies_person(e, head)),
                      key=lambda e: (self._descriptor_outlet(e) is None, not e.start <= head.i < e.end,
                                     e.label_ in ("GPE", "NORP"), e.start))
        for ent in ents:
            indexed = self._ent_referents.get(ent.start)
            if ent.label_ in ("GPE", "NORP") and ent.end < span.end and ent.root.dep_ in ("poss", "amod", "compound") \
                    and not (indexed is not None and indexed.type == "outlet"):
                continue  # "South Korea's Unification Ministry": the country qualifies, it does not speak
            name, honorific = _person_name(ent.text)
            person = indexed if indexed is not None and indexed.type == "person" else \
                self._find_person(name, span.start_char, _honorific_gender(honorific))
            if person is not None and not (ent.end <= head.i and head.lemma_.lower() in PERSONAL_ORGANIZATIONS):
                return person  # "Suga" after "Yoshihide Suga", whatever label NER gave the short form
            if person is not None:
                return self._organization_of(person, head)  # "the Obama administration"
            if indexed is not None and indexed.type in ("organization", "outlet") and ent.label_ == "PERSON":
                return indexed  # "Halvorsen denied" after "Halvorsen Bulk Carriers": the index took it for the firm
            if self._names_person(ent):
                return self._add_person(ent)
            if ent.label_ in ("ORG", "PERSON", "WORK_OF_ART", "FAC") or name.lower() in outlets():
                return self._find_named(OUTLET_DESCRIPTOR.sub("", _clean_name(ent.text))) or \
                    self._add_organization(ent)
            if ent.label_ == "GPE":
                return self._government_of(ent)
        qualifying = {t.i for e in overlapping if _qualifies_person(e, head) for t in e} \
            if head.lemma_.lower() not in PERSONAL_ORGANIZATIONS else set()  # "FBI agent X" speaks as X
        proper = [t for t in span if (t.pos_ == "PROPN" or t.is_title and t.i > sentence_of(t).start)
                  and _names_head_token(t, head) and t.i not in qualifying]
        if not proper and not ents and (head.is_title or head.is_upper) and head.is_alpha and \
                head.lower_ not in GENDERED_PRONOUNS:
            proper = [head]  # "Colas expects ...": a known name the tagger took for a common noun
        if proper and not ents:
            text = " ".join(t.text for t in proper)
            known = outlets().get(text.lower())
            person = self._find_person(text, span.start_char) or self._find_person(proper[-1].text, span.start_char)
            if person is not None and proper[-1].i < head.i and head.lemma_.lower() in PERSONAL_ORGANIZATIONS:
                return self._organization_of(person, head)
            if person is not None:
                return person
            if _is_turn_label(span):  # "PENCE:" with no fuller name in the article
                return self._person_named_as_organization(_unshouted(text)) or \
                    self._add(Referent(_unshouted(text), "person", named=True, head=head.lower_))
            found = self._find_named(known[0] if known else text)
            if found is not None:
                return found
            if known:
                return self._add(Referent(known[0], "outlet", "news outlet", country=known[1], named=True,
                                          head=KIND_HEADS.get(known[2], "")))
            described = {t.lemma_.lower() for t in span if t.pos_ == "NOUN"} & OUTLET_HEADS
            if described:  # "trade magazine Dairy Week": an outlet the tables do not know
                return self._add(Referent(_clean_name(text), "outlet", "news outlet", country=country_in(span),
                                          named=True, head=sorted(described)[0], aliases=described))
        return None

    def _organization_of(self, person: Referent, head: Token) -> Referent:
        """'The Obama administration', 'the Trump campaign': the organisation a person's name qualifies."""
        name = f"{person.name} {head.lemma_.lower()}"
        found = self._find_named(name)
        if found is not None:
            return found
        kind, rtype = _organization_kind(name)
        return self._add(Referent(name, rtype, kind or "campaign", country=person.country, named=True,
                                  head=head.lemma_.lower()))

    def _government_of(self, ent: Span) -> Referent:
        name = countries().get(_clean_name(ent.text).lower(), _clean_name(ent.text))
        if name not in self._governments:
            self._governments[name] = self._add(Referent(name, "organization", "government", country=name,
                                                         named=True))
        return self._governments[name]

    def _antecedent(self, span: Span, pronoun: str) -> Referent | None:
        """The most salient compatible referent before the pronoun: of its kind (a person for 'she', a group or
        a plural for 'they'), of its gender when that is known; none for an impersonal 'it' ('It was not
        possible to verify ...', 'it was reported')."""
        if pronoun in THING_PRONOUNS and _impersonal(span[0]):
            return None
        wanted = {"person"} if pronoun in PERSON_PRONOUNS else \
            {"organization", "outlet", "document"} if pronoun in THING_PRONOUNS else \
            {"anonymous", "unnamed_official", "organization", "person", "outlet"} if pronoun in GROUP_PRONOUNS else \
            {"person", "organization", "outlet", "unnamed_official", "anonymous"}
        gender = GENDERED_PRONOUNS.get(pronoun)
        best, best_score = None, 0.0
        for score, referent in self._salience(span.start_char):
            if referent.type not in wanted:
                continue
            if pronoun in GROUP_PRONOUNS:
                if referent.type == "person" and not referent.members:
                    continue
                score *= 2 if referent.members or referent.plural else 1  # plurals first
            elif pronoun in PERSON_PRONOUNS and (referent.members or gender and
                                                 self._gender(referent) not in (None, gender)):
                continue
            if score > best_score:
                best, best_score = referent, score
        return best

    def _gender(self, referent: Referent) -> str | None:
        """A person's gender: said by a honorific or a gendered noun, else by the pronouns that follow the
        person's name in the text."""
        if referent.gender is not None:
            return referent.gender
        if self._pronoun_votes is None:
            self._pronoun_votes = self._count_pronoun_votes()
        votes = self._pronoun_votes.get(referent.order, {})
        male, female = votes.get("m", 0), votes.get("f", 0)
        return "m" if male > female else "f" if female > male else None

    def _count_pronoun_votes(self) -> dict[int, dict[str, int]]:
        """Gendered pronouns outside quotes vote for the person they most plainly stand for: a possessive for
        its clause's subject ('Palmieri lost her seat'), a sentence's first subject for the main subject of the
        sentence before ('Palmieri spoke. She said ...'), unless that subject was a pronoun of the other
        gender ('..., she said. He also wants ...')."""
        votes: dict[int, dict[str, int]] = {}
        previous: list[Referent] = []
        previous_gender = None
        for sentence in self.doc.sents:
            for token in sentence:
                gender = GENDERED_PRONOUNS.get(token.lower_)
                if gender is None or self._in_quote(token, sentence) or \
                        token.dep_ in ("nsubj", "nsubjpass") and previous_gender not in (None, gender):
                    continue
                person = self._plain_antecedent(token, sentence, previous)
                if person is not None:
                    tally = votes.setdefault(person.order, {})
                    tally[gender] = tally.get(gender, 0) + 1
            previous = self._persons_between(sentence.start_char, sentence.end_char, main_subject=True)
            previous_gender = next((GENDERED_PRONOUNS.get(t.lower_) for t in sentence if t.dep_ == "nsubj"
                                    and t.head.dep_ == "ROOT"), None)
        return votes

    def _plain_antecedent(self, token: Token, sentence: Span, previous: list[Referent]) -> Referent | None:
        """The person a pronoun plainly stands for: a sentence's first subject, the main subject of the sentence
        before; a possessive, its clause's subject when no other person stands between them. An object pronoun
        never is its clause's subject ('Brass said Heuermann told her'), and an embedded subject after another
        may be anyone ('She said he ...'): they do not vote."""
        if token.dep_ in ("nsubj", "nsubjpass"):
            embedded = token.head.dep_ != "ROOT" and any(t.dep_ in ("nsubj", "nsubjpass")
                                                         for t in sentence[:token.i - sentence.start])
            if embedded or self._persons_between(sentence.start_char, token.idx):
                return None
            return previous[0] if len(previous) == 1 else None
        if token.dep_ != "poss":
            return None
        verb = token.head
        while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT":
            verb = verb.head
        subject = next((child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.lower_ in GENDERED_PRONOUNS or subject.i <= token.i <= subject.right_edge.i or \
                self._persons_between(subject.idx + len(subject.text), token.idx):
            return None
        persons = self._persons_between(subject.left_edge.idx, subject.idx + len(subject.text))
        return persons[0] if len(persons) == 1 else None

    def _in_quote(self, token: Token, sentence: Span) -> bool:
        """Whether a token is quoted: in a direct quote found, or after an odd number of quote marks in its
        sentence ('"She's a disgrace."' says nothing of the speaker's gender)."""
        at = bisect.bisect_right(self._quoted, (token.idx, math.inf)) - 1  # Doc.text is rebuilt on each access
        if at >= 0 and self._quoted[at][0] <= token.idx < self._quoted[at][1]:
            return True
        return sum(t.text in ('"', "“", "”") for t in sentence[:token.i - sentence.start]) % 2 == 1

    def _persons_between(self, start: int, end: int, main_subject: bool = False) -> list[Referent]:
        """The persons mentioned between two offsets (only as a main clause's subject, if so asked)."""
        low = bisect.bisect_left(self._mentions, (start,))
        high = bisect.bisect_left(self._mentions, (end,))
        return list({m[2].order: m[2] for m in self._mentions[low:high] if m[2].type == "person" and
                     not m[2].members and (m[3] >= 1.0 or not main_subject)}.values())

    def _definite_antecedent(self, span: Span, head: Token) -> Referent | None:  # noqa: C901
        """'the source' -> the last source; 'the newspaper' -> the last outlet; 'the minister' -> the person
        titled minister; 'the company' -> the most salient company."""
        word = head.lemma_.lower()
        if word in ORGANIZATION_NOUNS:  # 'the company': the organisation the paragraph is about, not the nearest
            return next((referent for _, referent in self._salience(span.start_char)
                         if _matches_description(referent, word)), None)
        for _, referent in self._mentions_before(span.start_char):
            if _matches_description(referent, word) and not _only_formerly(referent, span):
                return referent
        return None

    def _described_person(self, span: Span, head: Token) -> Referent | None:
        """'the former president', 'the New York businessman', 'the 34-year-old mother of three': the person
        named shortly before that the description fits, one titled so first, else the most salient: its gender
        and country agreeing, no title naming another office ('the senator' is not 'President X'), and not the
        main subject or speaker of the description's own sentence ('the senator called on X after the mogul
        claimed') unless no one else fits ('Rep. Schiff urged ... meddling the California congressman said')."""
        word = head.lemma_.lower()
        if word not in ROLE_NOUNS:
            return None
        gender = GENDERED_NOUNS.get(word)
        country = country_in(span)
        sentence_start = sentence_of(head).start_char
        subjects = {m[2].order for m in self._mentions[bisect.bisect_left(self._mentions, (sentence_start,)):
                                                       bisect.bisect_left(self._mentions, (span.start_char,))]
                    if m[3] >= 1.0}
        fitting = []
        for score, referent in self._salience(span.start_char, DESCRIPTION_WINDOW):
            if referent.type != "person" or referent.members or not referent.named:
                continue
            if gender and self._gender(referent) not in (None, gender):
                continue
            if country and referent.country and referent.country != country:
                continue
            roles = {_title_role(title) for title in referent.titles}
            if word in OFFICE_ROLES and _only_formerly(referent, span):
                continue  # 'the prime minister' is not 'former minister Sir X'
            if word in OFFICE_ROLES and _same_office(word) not in roles and roles & OFFICE_ROLES or \
                    word in POLITICAL_ROLES and roles and roles <= EXPERT_NOUNS:
                continue  # 'the senator' is not 'President X'; 'the GOP candidate' is not 'economist Y'
            fitting.append((referent.order not in subjects, _same_office(word) in roles, score, referent))
        if not fitting:
            return None
        described = max(fitting, key=lambda fit: fit[:3])[3]
        described.aliases.add(word)  # the next 'the prime minister' finds it by this description
        return described

    def _described_organization(self, span: Span, head: Token) -> Referent | None:
        """'the firm', 'the agency', 'the group': the most salient organisation named shortly before, of a
        kind the noun allows (a company is no ministry)."""
        word = head.lemma_.lower()
        if word not in ORGANIZATION_NOUNS or word in OUTLET_HEADS - {"agency", "network", "service"}:
            return None
        country = country_in(span)
        for _, referent in self._salience(span.start_char, DESCRIPTION_WINDOW):
            if referent.type != "organization" or not referent.named or referent.members or \
                    country and referent.country != country:
                continue
            if (referent.kind == "government") != (word == "government"):
                continue  # a country speaks as 'the government', not as 'the agency'; a company is no government
            if word in COMPANY_NOUNS and referent.kind not in (None, "company"):
                continue
            if word in GOVERNMENT_WORDS and referent.kind == "company":
                continue
            return referent
        return None

    def _described_group(self, span: Span, head: Token) -> Referent | None:
        """'the three', 'both', 'the senators', 'each': the most salient group named shortly before, of the
        size the mention gives."""
        size = _group_size(span)
        for _, referent in self._salience(span.start_char, DESCRIPTION_WINDOW):
            if referent.members and (size is None or len(referent.members) == size):
                return referent
        return None

    def _described_companies(self, span: Span, head: Token) -> Referent | None:
        """'Both companies', 'the three firms': the companies named last before the mention, as many as it counts,
        as one group."""
        size = _group_size(span)
        members: list[Referent] = []
        for _, referent in self._mentions_before(span.start_char, DESCRIPTION_WINDOW):
            if referent.type == "organization" and referent.named and not referent.members and \
                    referent.kind in (None, "company") and referent not in members:
                members.append(referent)
                if len(members) == size:
                    return self._group(sorted(members, key=lambda member: member.order))
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
            text = _country_spelled_out(text)
        else:
            rtype, kind = "anonymous", None
        country = country_in(span)
        return self._add(Referent(name=text, type=rtype, kind=kind, country=country, head=lemma,
                                  plural=head.tag_ in ("NNS", "NNPS")))

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
    if token.i == head.i or token.head.i == head.i and (token.dep_ in ("appos", "compound", "nmod") or
                                                       token.dep_ == "amod" and token.ent_type_):
        return True  # "the Axios report", a name parsed as an adjective, too
    if token.head.i == head.i and token.dep_ == "conj" and token.ent_type_ == "PERSON" and _bare_title(head):
        return True  # "Former FBI agent and profiler James Fitzgerald": a title parsed as coordinated with the name
    if token.head.i == head.i:
        return False
    # "a ransomware group calling itself Black Lantern", "a group known as X"
    verb = token.head
    return verb.lemma_.lower() in NAMING_VERBS and verb.head.i == head.i and verb.dep_ in ("acl", "relcl") or (
        token.head.dep_ == "prep" and verb.head.lemma_.lower() in NAMING_VERBS and verb.head.head.i == head.i)


def _bare_title(head: Token) -> bool:
    """A person noun with no determiner ('former agent', 'profiler'), as titles stand in front of names."""
    return head.pos_ == "NOUN" and head.lemma_.lower() in PERSON_NOUNS | ROLE_NOUNS and \
        not any(child.dep_ in ("det", "poss") for child in head.children)


def _given_name(head: Token) -> str | None:
    """'a group calling itself X', 'the group, which calls itself X', 'a hacker known as X': the name. Naming
    takes a reflexive or a participle: 'a statement calling the test a violation' names no one."""
    for child in head.children:
        if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in NAMING_VERBS and (
                child.tag_ == "VBN" or any(t.lower_.endswith(("self", "selves")) for t in child.children)):
            names = [t for t in child.subtree if t.pos_ == "PROPN"]
            if names:
                doc = head.doc
                return _clean_name(doc[names[0].i: names[-1].i + 1].text)
    return None


def _document_author(head: Token) -> Span | None:
    """'a report released by the charity X', 'a study by researchers at Y', 'the council issued a statement':
    who wrote the document."""
    verb = head.head
    if head.dep_ == "dobj" and verb.lemma_.lower() in AUTHORING_VERBS:
        subjects = [child for child in verb.children if child.dep_ == "nsubj" and child.pos_ in ("PROPN", "NOUN")]
        if subjects:
            return mention_span(subjects[0])
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            objects = [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ == "acl" and child.lemma_.lower() in AUTHORING_VERBS:
            objects = [g for a in child.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        else:
            continue
        if objects:
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
        generic = word in ("newspaper", "paper", "daily", "outlet", "publication") and \
            referent.head not in ("broadcaster", "network", "channel", "radio", "television")
        return referent.type == "outlet" and (referent.head in (word, "") or generic or
                                              word == "site" and referent.head == "website")
    if referent.type == "person":
        return any(_title_role(title) == _same_office(word) for title in referent.titles)
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
    text = re.sub(r"['’]s?$", "", text.strip())  # "Acme's", "Halvorsen Bulk Carriers'"
    text = re.sub(r"^the\s+", "", text.strip(), flags=re.I)
    return re.sub(r"\s+", " ", text).strip(" ,;:—–-<>|*•")


def _country_spelled_out(name: str) -> str:
    """'U.S. Attorney's Office' -> 'United States Attorney's Office': a dotted country abbreviation opening an
    organisation's name, in full (the fullest form of the name)."""
    first, _, rest = name.partition(" ")
    country = countries().get(first.lower()) if "." in first and rest else None
    return f"{country} {rest}" if country else name


def _person_name(text: str) -> tuple[str, str | None]:
    """A person's name without the honorifics in front, and the first of those: 'Ms Nandy' -> ('Nandy', 'Ms')."""
    words = _unshouted(_clean_name(text)).translate(APOSTROPHES).split()
    honorific = None
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
        honorific = honorific or words[0]
        words = words[1:]
    return " ".join(words), honorific


def _unshouted(name: str) -> str:
    """A name set in capitals, as a transcript labels its speakers ('PENCE', 'CHRIS WALLACE'), in the case the
    prose gives names; short capitals ('FBI', 'HT') may be acronyms and stay."""
    words = name.split()
    if words and all(w.isupper() and len(w) > 3 for w in words):
        return " ".join(w.title() for w in words)
    return name


def _is_turn_label(span: Span) -> bool:
    """'PENCE: Well, look, ...': a name in capitals that opens its paragraph and ends at a colon."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].is_punct:
        i -= 1  # an opening quote mark
    opening = i < 0 or doc[i].is_space and "\n" in doc[i].text or doc[i].text_with_ws.endswith("\n")
    return opening and span.end < len(doc) and doc[span.end].text == ":" and span.text.isupper()


def _before_colon(ent: Span) -> Span:
    """'WALLACE: Let's start with ...' taken for one entity: a transcript's speaker label ends at its colon, and
    names a person."""
    colon = next((t.i for t in ent if t.text == ":"), None)
    if colon is None or colon == ent.start:
        return ent
    label = "PERSON" if ent.doc[ent.start:colon].text.isupper() else ent.label_
    return Span(ent.doc, ent.start, colon, label=label)


def _capitalised_noun(ent: Span) -> bool:
    """'Bank executives aren't.': a common noun tagged as a name only because it opens the sentence."""
    return len(ent) == 1 and ent[0].is_sent_start and ent[0].lower_ in ORGANIZATION_NOUNS | COMPANY_NOUNS


def _honorific_gender(honorific: str | None) -> str | None:
    return HONORIFICS.get((honorific or "").lower().rstrip("."))


def _only_formerly(referent: Referent, span: Span) -> bool:
    """A person every title of whom is a former office ('Former minister Sir John'), described without 'former':
    'the minister' is whoever holds the office now."""
    return referent.type == "person" and bool(referent.titles) and not _FORMER.search(span.text) and \
        all(_FORMER.search(title) for title in referent.titles)


def _same_office(word: str) -> str:
    """A role noun as titles name the office: 'the congressman' is a representative."""
    return SAME_OFFICE.get(word, word)


def _title_role(title: str) -> str | None:
    """The office a title names, abbreviations spelled out: 'Former President' -> 'president', 'Vermont Sen.' ->
    'senator', 'Secretary of State' -> 'secretary'."""
    words = re.split(r"\s+of\s+", title.lower())[0].split()
    while len(words) > 1 and words[-1].rstrip(".") in HONORIFICS:
        words.pop()  # 'Former minister Sir': the office is minister
    if not words:
        return None
    word = words[-1].strip(".,")
    return TITLE_ABBREVIATIONS.get(word, word)


def _in_headline(token: Token) -> bool:
    """Whether a token's sentence is set as a headline ('Obama Speech Rallies Black Voters'): its words capitalised."""
    words = [t for t in sentence_of(token) if t.is_alpha and not t.is_stop]
    return len(words) >= 4 and sum(t.is_title or t.is_upper for t in words) >= 0.8 * len(words)


def _weight(token: Token) -> float:
    """A mention's weight for salience by its role in the sentence: the main clause's subject counts most, then
    other subjects, appositions and objects."""
    if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT":
        return 1.0
    return ROLE_WEIGHTS.get(token.dep_, 0.3)


def _initials(name: str) -> str | None:
    """The acronym a name of two or more capitalised words makes ('European Central Bank' -> 'ECB'); small
    words ('and', 'of') are skipped."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in ("and", "of", "for", "the", "on", "&")]
    if len(words) < 2 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return None
    return "".join(w[0] for w in words)


def _acronym_key(text: str) -> str | None:
    """'the ECB', 'S.E.C.', 'NTSB's' -> the bare acronym; None for what is not one."""
    key = _clean_name(text).replace(".", "")
    return key if re.fullmatch(r"[A-Z]{2,6}", key) else None


def _group_name(members: list[Referent]) -> str:
    names = [member.name for member in members]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _group_size(span: Span) -> int | None:
    for token in span:
        if token.lower_ in NUMBER_WORDS:
            return NUMBER_WORDS[token.lower_]
        if token.like_num and token.text.isdigit():
            return int(token.text)
    return None


def _counts_people(span: Span, head: Token, determiner: str | None) -> bool:
    """'the three', 'both', 'each', 'the two men', 'the senators': a mention standing for several persons."""
    if head.lower_ in ("both", "each") or head.pos_ == "NUM" and determiner == "the":
        return True
    return head.tag_ == "NNS" and head.lemma_.lower() in ROLE_NOUNS and (
        determiner in ("the", "these", "those", "both") or _group_size(span) is not None)


def _defined_by_modifier(head: Token) -> bool:
    """'the head of Sony Pictures Television': a description a name inside it defines, not an anaphor."""
    return any(child.dep_ == "prep" and any(t.pos_ == "PROPN" for t in child.subtree) for child in head.children)


def _qualifies_person(ent: Span, head: Token) -> bool:
    """'the GOP candidate', 'FBI agent James Fitzgerald': an organisation's name that qualifies the person the
    mention names; the person speaks, not the organisation."""
    if ent.label_ not in ("ORG", "GPE", "NORP") or ent.start <= head.i < ent.end:
        return False
    word = head.lemma_.lower()
    return ent.root.dep_ in ("compound", "nmod", "amod", "poss") and (
        word in PERSON_NOUNS or word in ROLE_NOUNS or word.endswith(("man", "woman")) or head.ent_type_ == "PERSON")


def _impersonal(token: Token) -> bool:
    """'It was reported that ...', 'It was not possible to verify ...': an 'it' that stands for no one."""
    if token.dep_ in ("expl", "nsubjpass"):
        return True
    verb = token.head
    return token.dep_ == "nsubj" and verb.lemma_ == "be" and \
        any(child.dep_ in ("acomp", "attr") for child in verb.children) and \
        any(child.dep_ in ("ccomp", "xcomp", "csubj") for child in verb.children)
