"""Stance: the speech act each attribution performs, and which earlier report a denial answers.

The cue's lexical class decides, except that negation turns a denial or confirmation into a refusal to
confirm, a hedging adverb ("reportedly") softens a neutral cue, and a neutral cue (say, tell, add) takes
the class of a stance-bearing phrase that opens its content ("said it was unable to confirm").
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .attribution import Found, sentence_of, text_of

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
        r"^(?:let['’]s|let us|please|we must|you must|everyone must|people must|you should|we should)\b"
        r"|^(?:i|we)(?:\s+am|\s+are|['’]m|['’]re)?\s+(?:asking|urging|calling on|appealing to|begging|imploring|"
        r"ask|urge|call on|appeal to|beg|implore)\b", re.I)),
]
NEGATABLE = {"deny": "unconfirmed", "confirm": "unconfirmed"}
ANSWER_WINDOW = 200  # attributions before (and after) an answer among which its report is sought; PolNeAR's longest
                     # article has 99, so only a page of many articles is cut, and linking stays linear in its length
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
    opening = re.sub(r"[\"“”]", "", text_of(doc)[item.content_start:item.content_start + 160])
    for stance, pattern in OPENING_RULES:
        if pattern.search(opening):
            return stance
    if item.hedged_by:
        return HEDGES[item.hedged_by]
    if _imperative(item, doc):
        return "directive"
    return cue.stance


def negates(item: Found, doc: Doc) -> bool:
    """Whether a neutral cue's quoted content opens with a negated main clause ('"My client did not
    steal"', '"There was no meeting"'): a denial when it answers another party's report."""
    if item.cue.frame != "speech" or not item.direct:
        return False  # paraphrased rebuttals are written with "denied"; a bare quoted negation rebuts
    span = doc.char_span(item.content_start, item.content_end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    first_sentence = sentence_of(span[0])
    root = span.doc[span.start:min(span.end, first_sentence.end)].root
    if any(c.dep_ == "neg" for c in root.children):
        return True
    return any(c.dep_ in ("attr", "dobj", "nsubj") and any(g.lower_ == "no" and g.dep_ == "det" for g in c.children)
               for c in root.children) or any(c.lower_ == "never" for c in root.children)


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


def speaker_terms(name: str | None) -> set[str]:
    """The distinctive words of a speaker's name: people answer claims about themselves ('Brisk's office
    declined to comment' answers the report that Brisk will resign)."""
    words = set(re.findall(r"[^\W\d_]+", (name or "").lower()))
    return {w for w in words if len(w) > 2} - GENERIC_NAME_WORDS


GENERIC_NAME_WORDS = {"the", "and", "for", "office", "ministry", "department", "spokesman", "spokeswoman", "official",
                      "officials", "source", "sources", "anonymous", "senior", "government", "company", "group",
                      "agency", "news", "daily", "unnamed", "close", "familiar", "who", "with", "people", "said"}


def link_answers(stances: list[str], terms: list[set[str]], lineages: list[set[str]],
                 negations: list[bool]) -> list[int | None]:
    """For each deny/confirm/unconfirmed, the index of the earlier report it answers: the one sharing the
    most content words (rarer words weigh more); with no shared word, the latest earlier report's first
    source (a bare 'the report' answers what was last reported). A negated statement that shares content
    words with another party's earlier report denies it: `stances` is updated in place. Reports are sought
    among the `ANSWER_WINDOW` attributions on either side."""
    document_frequency: dict[str, int] = {}
    for words in terms:
        for word in words:
            document_frequency[word] = document_frequency.get(word, 0) + 1
    links: list[int | None] = []
    for i, stance in enumerate(stances):
        window = range(max(0, i - ANSWER_WINDOW), i)
        if stance not in ANSWERS and negations[i]:
            reports = [j for j in window if stances[j] not in ANSWERS and not (lineages[j] & lineages[i])]
            scored = [(sum(1.0 / document_frequency[w] for w in terms[i] & terms[j]), j) for j in reports]
            best = max(scored, default=(0, None))
            if best[0] >= 0.34:
                stances[i] = "deny"
                links.append(min(j for score, j in scored if score == best[0]))
                continue
        if stances[i] not in ANSWERS:
            links.append(None)
            continue
        reports = [j for j in window if stances[j] not in ANSWERS and not (lineages[j] & lineages[i])]
        scored = [(sum(1.0 / document_frequency[w] for w in terms[i] & terms[j]), j) for j in reports]
        best_score = max((score for score, _ in scored), default=0)
        if best_score > 0:
            links.append(max(j for score, j in scored if score == best_score))
            continue
        later = [(sum(1.0 / document_frequency[w] for w in terms[i] & terms[j]), j)
                 for j in range(i + 1, min(len(stances), i + 1 + ANSWER_WINDOW))
                 if stance == "deny" and stances[j] not in ANSWERS and not (lineages[j] & lineages[i])]
        best_later = max(later, default=(0, None), key=lambda pair: (pair[0], -pair[1]))
        if best_later[0] > 0:
            links.append(best_later[1])  # a lead that opens with the denial, then tells what was reported
            continue
        if not reports:
            links.append(None)
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
