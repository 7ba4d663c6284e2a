"""Stance: the speech act each attribution performs, and which earlier report a denial answers.

The cue's lexical class decides, except that negation turns a denial or confirmation into a refusal to
confirm, a hedging adverb ("reportedly") softens a neutral cue, and a neutral cue (say, tell, add) takes
the class of a stance-bearing phrase that opens its content ("said it was unable to confirm").
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .attribution import Found

ANSWERS = ("deny", "confirm", "unconfirmed")
SUBJECT = r"(?:(?:it|he|she|they|we|i|the \w+|officials?|the government|the company)\s+)"
OPENING_RULES = [
    ("unconfirmed", re.compile(
        rf"^{SUBJECT}?(?:(?:was|were|is|are|am|had been|has been|have been|would be|remains?)\s+)?"
        r"(?:unable|not able|not in a position)\s+to\s+(?:confirm|verify|comment|say)"
        rf"|^{SUBJECT}?(?:could|can|would|will|did|does|do)\s*(?:not|n['’]t)\s+(?:immediately\s+)?"
        r"(?:confirm|verify|comment|say whether|discuss)"
        rf"|^{SUBJECT}?(?:had|has|have)\s+no\s+(?:information|knowledge|comment|details)"
        r"|^no comment", re.I)),
    ("deny", re.compile(
        r"^(?:there(?:\s+is|\s+was|['’]s|\s+were|\s+are)\s+(?:absolutely\s+)?no\s+truth"
        r"|(?:that|this|it|the (?:report|claim|story|allegation|accusation)s?)\s+(?:is|was|are|were|'s|’s)\s+"
        r"(?:simply\s+|completely\s+|totally\s+|categorically\s+)?(?:not true|untrue|false|baseless|groundless|"
        r"unfounded|fabricated|fake|nonsense|wrong|a lie|lies)"
        r"|(?:that|this|it)\s+(?:never|did not|didn['’]t)\s+happen"
        rf"|{SUBJECT}?(?:categorically\s+)?(?:denies|denied|deny|rejects|rejected|reject)\b)", re.I)),
    ("confirm", re.compile(
        rf"^{SUBJECT}?(?:can|could)\s+confirm|^(?:it is|it['’]s|that is|that['’]s)\s+(?:true|correct|accurate)\b",
        re.I)),
    ("opinion", re.compile(
        rf"^{SUBJECT}?(?:strongly\s+|firmly\s+)?(?:believes?|believed|thinks?|thought|feels?|felt|expects?|expected|"
        r"hopes?|hoped|fears?|feared|doubts?|doubted|suspects?|suspected)\b|^in (?:my|our|his|her|their) (?:view|opinion)",
        re.I)),
    ("commit", re.compile(
        r"^(?:i|we)(?:['’]ll|\s+will|\s+shall|\s+are going to|\s+am going to|\s+promise|\s+pledge|\s+vow|"
        r"\s+won['’]t|\s+will not|\s+intend to|\s+are determined to|\s+am determined to)\b", re.I)),
    ("directive", re.compile(
        r"^(?:let['’]s|let us|please|we must|you must|everyone must|people must|you should|we should)\b", re.I)),
]
NEGATABLE = {"deny": "unconfirmed", "confirm": "unconfirmed"}
NEGATED_SPEECH = {"comment", "say", "respond", "reply", "answer", "discuss", "disclose", "reveal"}
HEDGES = {"reportedly": "hedge", "supposedly": "hedge", "allegedly": "allege", "purportedly": "allege"}


def classify_stance(item: Found, doc: Doc) -> str:
    """One of the nine stance classes for an attribution found in `doc`."""
    cue = item.cue
    if cue.frame == "refusal":
        return "unconfirmed"
    if item.negated:
        if cue.stance in NEGATABLE:
            return NEGATABLE[cue.stance]
        if cue.lemma in NEGATED_SPEECH:
            return "unconfirmed"
    if cue.frame != "speech":
        return cue.stance
    opening = doc.text[item.content_start:item.content_start + 160]
    for stance, pattern in OPENING_RULES:
        if pattern.search(opening):
            return stance
    if item.hedged_by:
        return HEDGES[item.hedged_by]
    if _imperative(item, doc):
        return "directive"
    return cue.stance


def _imperative(item: Found, doc: Doc) -> bool:
    """A direct quote opening with a bare verb and no subject: 'Stay indoors.'"""
    if not item.direct:
        return False
    span = doc.char_span(item.content_start, item.content_end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    first = span[0]
    return first.tag_ == "VB" and first.dep_ in ("ROOT", "ccomp", "conj") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux") for c in first.children) and first.lower_ not in ("please",)


def content_terms(doc: Doc, start: int, end: int, country_of) -> set[str]:
    """Content words of a stretch, with demonyms mapped to countries so 'Japanese' meets 'Japan'."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return set()
    terms = set()
    for token in span:
        if token.is_stop or token.is_punct or token.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ", "NUM"):
            continue
        lemma = token.lemma_.lower()
        if lemma in STANCE_WORDS:
            continue
        terms.add(country_of(token.text) or lemma)
    return terms


STANCE_WORDS = {"confirm", "deny", "report", "comment", "unable", "say", "truth", "aware", "claim", "know",
                "information", "true", "false", "reports", "situation", "have", "be", "make"}


def link_answers(stances: list[str], terms: list[set[str]], lineages: list[set[str]]) -> list[int | None]:
    """For each deny/confirm/unconfirmed, the index of the earlier report it answers: the one sharing the
    most content words (rarer words weigh more); with no shared word, the latest earlier report's first
    source (a bare 'the report' answers what was last reported)."""
    document_frequency: dict[str, int] = {}
    for words in terms:
        for word in words:
            document_frequency[word] = document_frequency.get(word, 0) + 1
    links: list[int | None] = []
    for i, stance in enumerate(stances):
        if stance not in ANSWERS:
            links.append(None)
            continue
        reports = [j for j in range(i) if stances[j] not in ANSWERS and not (lineages[j] & lineages[i])]
        if not reports:
            links.append(None)
            continue
        scored = [(sum(1.0 / document_frequency[w] for w in terms[i] & terms[j]), j) for j in reports]
        best_score = max(score for score, _ in scored)
        if best_score > 0:
            links.append(min(j for score, j in scored if score == best_score))
            continue
        parties = set(lineages[reports[-1]])
        grown = True
        while grown:
            before = len(parties)
            for j in reports:
                if lineages[j] & parties:
                    parties |= lineages[j]
            grown = len(parties) > before
        links.append(min(j for j in reports if lineages[j] & parties))
    return links
