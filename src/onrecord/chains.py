"""Chains of custody across attributions: a spaCy component (`onrecord_chains`) run after the attribution
finder, adding to each `Found.cited` the sources that its content itself reports.

"Local media reported that the firm's lawyers said X", "Xi told Biden X, according to officials", "the
inspectors, according to the ruling, found X": the outer source carries what the inner one said, so the
outer attribution's chain is [outer, inner] and its content finally rests on the inner source. The signals:
- another attribution's cue heads the content (the nested attribution's speaker, and whom it cites);
- the content's own head is a reporting verb with a subject ("he speculated about ..." inside "she said"),
  or receives a document ("said it received a report of an attack");
- the speaker's description cites ("according to the report, which cited officials");
- an "as X reported" clause on the cue ("as the Courier reported, the mayor said"): a report of its own,
  X's, that cites the mayor.
Nested attributions are looked up by bisection over cue offsets, so the work stays linear in the page.
"""

import bisect

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .attribution import CHAIN_VERBS, AttributionFinder, Cue, Found, _can_report, load_lexicon, mention_span
from .nouns import DOCUMENT_HEADS

RECEIVING_VERBS = {"receive", "obtain", "review", "see"}
IMPERSONAL = {"it", "that", "which", "this", "there", "what"}
FIRST_PERSON = {"i", "we"}  # inside a quote: the speaker, not a source the speaker cites
AS_CLAUSE_CUES = {"report", "write", "say", "reveal", "note", "tell", "state", "announce", "disclose", "describe"}


@Language.factory("onrecord_chains", requires=["doc._.attributions"], assigns=["doc._.attributions"])
def make_chain_finder(nlp: Language, name: str):
    return ChainFinder({lemma for lemma, pos in load_lexicon() if pos == "VERB"})


class ChainFinder:
    """Extends each attribution's cited sources with the sources its content reports in turn."""

    def __init__(self, cue_verbs: set[str]):
        self.cue_verbs = cue_verbs

    def __call__(self, doc: Doc) -> Doc:
        found = doc._.attributions or []
        if found:
            doc._.attributions = link_chains(found, self.cue_verbs)
        return doc


def link_chains(found: list[Found], cue_verbs: set[str]) -> list[Found]:
    """The attributions with the sources their contents report added to their `cited`, and one more
    attribution for each "as X reported" clause; the finder's own citations ("quoting Y") come first."""
    own_cited = [list(item.cited) for item in found]
    order = sorted(range(len(found)), key=lambda i: found[i].cue_start)
    cue_starts = [found[i].cue_start for i in order]
    taken_cues = set(cue_starts)  # an "as X reported" cue the finder already attributed is not added again
    added, relays = [], {}
    for j, outer in enumerate(found):
        nested = _nested(outer, found, order, cue_starts)
        for i in nested:
            if found[i].inside_quote and outer.direct and outer.speaker is not None and \
                    (i not in relays or _width(outer) < _width(found[relays[i]])):
                relays[i] = j  # the narrowest quote holding the report relays it
        outer.cited.extend(c for c in _cited_in_mention(outer.speaker) if not _cites(outer, c))
        for source in _inner_sources(outer, nested, found, own_cited, cue_verbs):
            if not _same_mention(source, outer.speaker) and not _cites(outer, source):
                outer.cited.append(source)
        report = _as_clause_report(outer)
        if report is not None and report.cue_start not in taken_cues:
            taken_cues.add(report.cue_start)
            added.append(report)
    for i in sorted(relays, key=lambda i: -_width(found[i])):  # an outer report is relayed before its inner ones
        _relay(found[i], found[relays[i]], own_cited[relays[i]])
    if not added:
        return found
    return sorted(found + added, key=lambda item: item.cue_start)


def _nested(outer: Found, found: list[Found], order: list[int], cue_starts: list[int]) -> list[int]:
    """The attributions with a speaker whose cue and content lie inside the outer content, widest first."""
    low = bisect.bisect_left(cue_starts, outer.content_start)
    high = bisect.bisect_left(cue_starts, outer.content_end)
    inside = [i for i in order[low:high] if found[i] is not outer and found[i].speaker is not None and
              found[i].content_start >= outer.content_start and found[i].content_end <= outer.content_end + 1]
    return sorted(inside, key=lambda i: found[i].content_start - found[i].content_end)


def _relay(inner: Found, outer: Found, outer_own_cited: list[Span]) -> None:
    """'"In 2011, he said, 'Our approach hasn't worked,'" Mitchell recalled': the report reaches us through
    the quoting speaker, so the quoting speaker (after whoever relays it in turn, and with whom the finder saw
    it quote) carries the inner report; what the outer content itself reports carries nothing."""
    carriers = outer.carriers + [outer.speaker] + outer_own_cited
    inner.carriers = [c for c in carriers if not _same_mention(c, inner.speaker)]
    inner.cited = [c for c in inner.cited if not any(_same_mention(c, k) for k in inner.carriers)]


def _inner_sources(outer: Found, nested: list[int], found: list[Found], own_cited: list[list[Span]],
                   cue_verbs: set[str]) -> list[Span]:
    """Whom the outer content rests on: the nested attribution whose cue heads the content; else, when
    the speaker cites no one itself, the subject of a reporting verb heading it ("she said he speculated
    about ..."), or a nested cue coordinated with or complementing that head ("X happened, and Y said Z")."""
    head = _content_head(outer)
    if head is None:
        return []
    for i in nested:  # a cue of several words ("expressed concerns") heads the content by any of them
        if found[i].cue_token is not None and found[i].cue_start <= head.idx < found[i].cue_end:
            return [found[i].speaker] + own_cited[i]
    if outer.cited:
        return []  # "a report citing officials": the content rests on whom the speaker cites
    subject = _reporting_subject(head, outer, cue_verbs) or _received_document(head)
    if subject is not None:
        return [subject]
    for i in nested:
        cue = found[i].cue_token
        if cue is not None and cue.head.i == head.i and cue.i != head.i and \
                cue.dep_ in ("conj", "ccomp", "xcomp", "prep"):
            return [found[i].speaker] + own_cited[i]
    return []


def _reporting_subject(head: Token, outer: Found, cue_verbs: set[str]) -> Span | None:
    """The subject of a reporting verb (say, find, expect, speculate, deny) heading the content, in the
    construction in which it reports ("pointed out that", not "pointed a gun")."""
    if head.pos_ != "VERB" or head.lemma_.lower() not in cue_verbs or \
            not AttributionFinder._reports_with(head, Cue(head.lemma_.lower(), "VERB", "assert", "speech")) or \
            outer.cue_token is not None and head.i == outer.cue_token.i or \
            any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children):
        return None
    subjects = [c for c in head.children if c.dep_ == "nsubj"]
    if not subjects or subjects[0].lower_ in IMPERSONAL | FIRST_PERSON or \
            subjects[0].pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    return mention_span(subjects[0])


def _received_document(head: Token) -> Span | None:
    """'said it received a report of an attack': the report received is what the content rests on."""
    if head.lemma_.lower() not in RECEIVING_VERBS:
        return None
    documents = [c for c in head.children if c.dep_ == "dobj" and c.lower_ in DOCUMENT_HEADS]
    return head.doc[documents[0].left_edge.i: documents[0].i + 1] if documents else None


def _content_head(outer: Found) -> Token | None:
    """The highest word of the content: the first one whose syntactic head lies outside it."""
    doc = outer.cue_token.doc if outer.cue_token is not None else None
    span = doc.char_span(outer.content_start, outer.content_end, alignment_mode="expand") if doc else None
    if span is None:
        return None
    for token in span:
        if not token.is_punct and (token.head.i == token.i or not span.start <= token.head.i < span.end):
            return token
    return None


def _cited_in_mention(speaker: Span | None) -> list[Span]:
    """'the report, which cited anonymous sources', 'a report citing officials': whom the speaker's own
    description says it rests on."""
    if speaker is None:
        return []
    return [mention_span(obj) for clause in speaker.root.children
            if clause.dep_ in ("relcl", "acl") and clause.lemma_.lower() in CHAIN_VERBS and clause.i < speaker.end
            for obj in clause.children if obj.dep_ == "dobj"]


def _as_clause_report(item: Found) -> Found | None:
    """'As the Courier reported, the mayor said X': the Courier's report of X, citing the mayor."""
    verb = item.cue_token
    if verb is None or item.speaker is None:
        return None
    for clause in verb.children:
        if clause.dep_ != "advcl" or clause.lemma_.lower() not in AS_CLAUSE_CUES or \
                not any(c.dep_ == "mark" and c.lower_ == "as" for c in clause.children) or \
                item.content_start <= clause.idx < item.content_end:
            continue  # "doing exactly as we said" inside the content is part of what is said
        subjects = [c for c in clause.children if c.dep_ == "nsubj"]
        if not subjects or subjects[0].lower_ in FIRST_PERSON:
            continue
        source = mention_span(subjects[0])
        if not _can_report(source):
            continue
        cue = Cue(clause.lemma_.lower(), "VERB", "assert", "speech")
        return Found(clause.idx, clause.idx + len(clause.text), item.content_start, item.content_end, source, cue,
                     direct=item.direct, cited=[item.speaker] + list(item.cited), sentence=item.sentence,
                     cue_token=clause)
    return None


def _width(item: Found) -> int:
    return item.content_end - item.content_start


def _cites(item: Found, source: Span) -> bool:
    return any(_same_mention(source, cited) for cited in item.cited)


def _same_mention(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and (a.start, a.end) == (b.start, b.end)
