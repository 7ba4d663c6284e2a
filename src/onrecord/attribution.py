"""Attribution: finds every cue, its speaker mention, whom the speaker cites, and the content attributed.

A spaCy component (`onrecord_attributions`) over the dependency parse. It writes `doc._.attributions`,
a list of `Found` records in token and character terms; speaker resolution and stance come later and
work from these. Quotations are found on the text first, so a quote that spans sentences or paragraphs
is attributed whole to the cue beside it.
"""

import bisect
import csv
import re
from dataclasses import dataclass, field
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .nouns import ANONYMOUS_HEADS, DOCUMENT_HEADS, ORGANIZATION_NOUNS, OUTLET_HEADS, PERSON_NOUNS

OPENING_QUOTES = "“\"«„"
CLOSING_QUOTES = "”\"»“"
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
NOT_CONTENT_PREPS = {"in", "at", "on", "during", "after", "before", "since", "by", "from", "through", "via", "with",
                     "over", "under", "to", "near", "outside", "inside", "amid", "ahead", "following"}
COMPLEMENTS = ("ccomp", "xcomp", "dobj", "oprd", "attr", "acomp", "dative")
LIGHT_VERBS = {"make", "issue", "give", "launch", "renew", "repeat", "reiterate", "deliver", "send", "offer",
               "extend", "voice", "express", "publish", "release", "put", "lodge", "file"}
REFUSAL_OBJECTS = {"comment", "confirm", "discuss", "elaborate", "say", "answer", "respond", "speak", "disclose",
                   "reveal", "deny", "identify", "specify", "provide", "give", "name", "release", "address",
                   "detail", "explain", "reply", "verify"}
COMMENT_REQUESTS = {"request", "requests", "comment", "question", "questions", "inquiry", "inquiries", "call",
                    "calls", "email", "emails", "message", "messages"}
CHAIN_VERBS = {"quote", "cite"}
EVIDENTIAL_PASSIVES = {"say", "report", "understand", "believe", "think", "rumor", "rumour", "allege", "claim",
                       "know", "see", "view", "regard", "consider"}
ALLEGING_PASSIVES = {"accuse", "blame", "criticize", "criticise", "suspect"}  # "was accused of X": someone alleges
HEDGING_PASSIVES = {"say", "believe", "think", "rumor", "rumour", "report"}
CLAIM_NOUNS = {"report", "reports", "claim", "claims", "allegation", "allegations", "accusation", "accusations",
               "suggestion", "suggestions", "idea", "notion", "assertion", "story", "stories", "criticism", "charge",
               "charges", "characterization", "characterisation", "account", "speculation", "rumour", "rumor",
               "rumours", "rumors", "finding", "findings", "conclusion", "conclusions", "version", "description",
               "interpretation", "figures", "estimate", "estimates", "assessment", "statement", "statements"}
TRANSCRIPT_SPEAKER = re.compile(r"((?:[A-Z][A-Z.'’-]+)(?: [A-Z][A-Z.'’-]+){0,2}|(?:Mr|Mrs|Ms|Dr)\.? [A-Z][a-z]+):\s+(?=\S)")
COLON_LABELS = {"update", "note", "editor's note", "correction", "watch", "read more", "related", "photo", "video",
                "source", "sources", "q", "a", "tags", "breaking", "live", "exclusive", "opinion", "analysis"}
FINDING_CUES = {"find", "show", "learn", "post", "brief", "rule", "discover", "share", "clarify", "detail", "disclose",
                "assert", "answer", "repeat"}  # with a clause or a quote: "ruled that X", not "asserted his rights"
FINDING_BODIES = {"inquiry", "inquest", "tribunal", "jury", "panel", "commission", "coroner", "probe", "inspector",
                  "inspectors", "auditor", "auditors", "watchdog"}  # bodies whose findings are reported
REJECTING_VERBS = {"reject", "dismiss", "dispute", "contradict", "refute", "rebut", "debunk"}
REPORTING_ADVERBS = {"reportedly": "hedge", "supposedly": "hedge", "allegedly": "allege", "purportedly": "allege"}
SUBORDINATORS = {"although", "though", "while", "whereas", "because", "since", "after", "before", "when", "if",
                 "unless", "until", "as", "despite"}
TRAILING_STRIP = " \t\n,;:—–-."


@dataclass
class Cue:
    """A lexicon entry: a cue word's default stance and the frame that says where its content lies."""
    lemma: str
    pos: str
    stance: str
    frame: str


@dataclass
class Found:
    """One attribution as found in the parse, before speaker resolution and stance."""
    cue_start: int
    cue_end: int
    content_start: int
    content_end: int
    speaker: Span | None
    cue: Cue
    direct: bool = False
    cited: list[Span] = field(default_factory=list)
    negated: bool = False
    passive: bool = False
    hedged_by: str | None = None
    sentence: Span | None = None
    cue_token: Token | None = None
    inside_quote: bool = False  # a report inside another speaker's quote: no quote of its own goes on from it
    carriers: list[Span] = field(default_factory=list)  # who relays this report, outermost first (whose quote holds it)


@dataclass
class Quote:
    """A quotation in the text: `start`/`end` enclose its words, without the marks."""
    start: int
    end: int
    opens_at: int
    closes_at: int


def load_lexicon(path=None) -> dict[tuple[str, str], Cue]:
    """The cue lexicon shipped in data/cues.tsv, keyed by (lemma, coarse part of speech)."""
    source = path.read_text(encoding="utf-8") if path else \
        resources.files("onrecord").joinpath("data/cues.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in source.splitlines() if line and not line.startswith("#")), delimiter="\t")
    return {(row["lemma"], row["pos"]): Cue(row["lemma"], row["pos"], row["stance"], row["frame"]) for row in rows}


def find_quotes(text: str) -> list[Quote]:
    """Quotations by their marks; a quote left open at a paragraph's end continues when the next
    paragraph opens with a quote mark (the newspaper convention), and is closed there otherwise.
    Two apostrophes ('') stand for a straight double quote, as in some newspapers' archives."""
    quotes, open_at, words_at, i = [], None, 0, 0
    n = len(text)
    while i < n:
        ch = text[i]
        width = 2 if text.startswith("''", i) else 1
        if text.startswith("\n\n", i) and open_at is not None:
            j = i
            while j < n and text[j] in "\n ":
                j += 1
            if j < n and (text[j] in OPENING_QUOTES or text.startswith("''", j)):
                i = j + (2 if text.startswith("''", j) else 1)
                continue
            quotes.append(Quote(words_at, i, open_at, i))
            open_at = None
        elif ch in "“«„" and open_at is None:
            open_at, words_at = i, i + 1
        elif ch in "”»" and open_at is not None:
            quotes.append(Quote(words_at, i, open_at, i + 1))
            open_at = None
        elif ch == '"' or width == 2:
            if open_at is None:
                open_at, words_at = i, i + width
            else:
                quotes.append(Quote(words_at, i, open_at, i + width))
                open_at = None
            i += width
            continue
        i += 1
    if open_at is not None:
        quotes.append(Quote(words_at, n, open_at, n))
    return [_trim_quote(text, q) for q in quotes if text[q.start:q.end].strip()]


def _trim_quote(text: str, quote: Quote) -> Quote:
    start, end = quote.start, quote.end
    while end > start and text[end - 1] in TRAILING_STRIP:
        end -= 1
    while start < end and text[start] in " \n":
        start += 1
    return Quote(start, end, quote.opens_at, quote.closes_at)


@Language.factory("onrecord_attributions", default_config={"lexicon_path": None},
                  assigns=["doc._.attributions"], requires=["token.dep", "token.lemma", "token.pos"])
def make_attribution_finder(nlp: Language, name: str, lexicon_path: str | None):
    from pathlib import Path
    return AttributionFinder(load_lexicon(Path(lexicon_path) if lexicon_path else None))


if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)
if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


class AttributionFinder:
    """Finds attributions in a parsed Doc: predict() returns them, set_annotations() stores them."""

    def __init__(self, lexicon: dict[tuple[str, str], Cue]):
        self.lexicon = lexicon
        self.verb_lemmas = {lemma for (lemma, pos), cue in lexicon.items()
                            if pos == "VERB" and cue.frame != "intention"}
        self.noun_lemmas = {lemma for lemma, pos in lexicon if pos == "NOUN"}
        self.intentions = {lemma: cue for (lemma, pos), cue in lexicon.items() if cue.frame == "intention"}

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.predict(doc))
        return doc

    def set_annotations(self, doc: Doc, found: list[Found]) -> None:
        doc._.attributions = found

    def predict(self, doc: Doc) -> list[Found]:
        quotes = find_quotes(text_of(doc))
        doc._.quotes = quotes
        found: list[Found] = []
        for sentence in doc.sents:
            for token in sentence:
                item = self._from_token(token, quotes)
                if item is not None:
                    item.sentence = sentence
                    found.append(item)
            found.extend(self._colon_attribution(sentence))
        found.extend(self._dash_attributions(doc, quotes))
        found.extend(_transcript_turns(doc))
        return _continued_quotes(doc, _into_open_quotes(_deduplicate(found), quotes), quotes)

    # ------------------------------------------------------------ cue recognition

    def _from_token(self, token: Token, quotes: list[Quote]) -> Found | None:
        if token.is_upper and len(token.text) > 1:
            return None  # a cue set in capitals is a headline's or a cross-head's ('EX-WIFE SAYS ...')
        if _inside_quote(token.idx, quotes):
            return self._report_in_quote(token, quotes)
        lemma = token.lemma_.lower()
        if lemma == "accord" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to":
            return self._according_to(token)
        if token.lower_ in REPORTING_ADVERBS and token.dep_ == "advmod":
            return self._reporting_adverb(token)
        if token.lower_ in ("unavailable", "available") or lemma == "reach" and token.tag_ == "VBN":
            return self._unavailable_for_comment(token)
        if lemma in self.intentions or token.lower_ in self.intentions:
            return self._intention(token, self.intentions.get(lemma) or self.intentions[token.lower_])
        if token.pos_ in ("VERB", "AUX") and lemma in self.verb_lemmas:
            return self._from_verb(token, self.lexicon[(lemma, "VERB")], quotes)
        if token.pos_ == "NOUN" and lemma in self.noun_lemmas:
            return self._from_noun(token, self.lexicon[(lemma, "NOUN")], quotes)
        return None

    def _from_verb(self, verb: Token, cue: Cue, quotes: list[Quote]) -> Found | None:
        if verb.lemma_.lower() in CHAIN_VERBS and verb.dep_ in ("acl", "advcl") and verb.tag_ == "VBG":
            return None  # "quoting a source", "citing officials": a link in the chain, found with its cue
        outer = self.lexicon.get((verb.head.lemma_.lower(), "VERB"), cue) if verb.head.i != verb.i else cue
        if verb.dep_ in ("xcomp", "conj") and outer.frame == "refusal" or verb.dep_ == "xcomp" and \
                outer.stance == "directive" and verb.head.lemma_.lower() in self.verb_lemmas:
            return None  # "declined to threaten Moscow", "asked prosecutors to charge him": the act refused or asked
        if _put_to_the_speaker(verb) or verb.dep_ == "xcomp" and _put_to_the_speaker(verb.head):
            return None  # "Asked whether X, Nandy said Y", "Asked to describe it, he said": the question, not a report
        if verb.dep_ == "amod" or (verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod")):
            return None  # "the said report", "a report published on Monday"
        inverted = _inverted_report(verb) if cue.frame == "speech" else None
        if inverted is not None:
            speaker, (start, end) = inverted
            return Found(verb.idx, _end(verb), start, end, speaker, cue, cited=_cited_sources(verb), cue_token=verb)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if cue.frame == "passive" and not passive:
            return None
        speaker = None if passive and not _agent(verb) else (_agent(verb) or subject_of(verb, self.verb_lemmas))
        if speaker is None and not passive:
            return None  # "unable to confirm the report" inside another cue's content speaks for no one
        if passive and speaker is None and verb.lemma_.lower() in ALLEGING_PASSIVES:
            return self._unsourced_allegation(verb, cue)
        if passive and speaker is None and verb.lemma_.lower() not in EVIDENTIAL_PASSIVES:
            return None  # "levels are not forecast to return": a passive without a source is no attribution
        if verb.lemma_.lower() in REJECTING_VERBS and not _has_clause(verb) and not any(
                c.dep_ == "dobj" and c.lemma_.lower() in CLAIM_NOUNS for c in verb.children):
            return None  # "rejected an initial approach": an act, not a denial of a claim
        if speaker is not None and verb.dep_ == "relcl" and not _can_report(speaker) and speaker.root.ent_type_ == "" \
                and speaker.root.lemma_.lower() not in ORGANIZATION_NOUNS:
            return None  # "calls that mention their treatment": things do not speak
        if cue.lemma in ("find", "show") and speaker is not None and not _can_report(speaker):
            return None  # "the row showed that ...": only documents, people and named bodies find or show
        if self._restates_outer_cue(verb):
            return None  # "said he believed ...": the outer cue carries it, with the stance of its opening
        if cue.frame == "hearsay":
            return self._hearsay(verb, cue)
        if not self._reports_with(verb, cue):
            return None
        if cue.lemma == "consider" and not passive and not any(
                c.dep_ in ("ccomp", "oprd") or c.dep_ == "xcomp" and c.tag_ != "VBG" or
                c.dep_ == "prep" and c.lower_ == "as" for c in verb.children):
            return None  # "considering raising tariffs", "considered the offer": deliberation, not an opinion
        if cue.stance == "directive" and cue.lemma != "call" and not _has_clause(verb) and any(
                c.dep_ == "dobj" and (c.ent_type_ == "PERSON" or c.pos_ in ("PRON", "PROPN"))
                for c in verb.children) and not any(c.dep_ == "prep" and c.lower_ in ("to", "for")
                                                    for c in verb.children):
            return None  # "she advises the president": whom, with nothing asked of them
        if cue.lemma == "commit" and not any(c.dep_ in ("xcomp", "ccomp") or c.dep_ == "prep" and c.lower_ == "to"
                                             for c in verb.children):
            return None  # "committed to a deal" pledges; "commit a crime" does not
        if cue.lemma == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
            cue = Cue("rule", "VERB", "deny", "lexical")  # "ruled out a return": rejects a possibility
        if passive and speaker is None and verb.lemma_.lower() in HEDGING_PASSIVES and any(
                c.dep_ == "xcomp" for c in verb.children):
            cue = Cue(cue.lemma, cue.pos, "hedge", "passive")  # "is said to", "are thought to"
        elif passive and speaker is None:
            cue = Cue(cue.lemma, cue.pos, "assert" if cue.frame == "speech" or cue.lemma == "understand"
                      else cue.stance, "as" if cue.frame == "as" else "passive")
        if cue.lemma == "call" and _calls_something(verb):
            cue = Cue("call", "VERB", "opinion", "lexical")  # "called the charges fabricated"
        elif cue.lemma in ("ask", "call") and not _has_clause(verb) and not any(
                c.dep_ == "prep" and c.lower_ in ("on", "upon") for c in verb.children) and not (
                cue.lemma == "call" and any(c.dep_ == "prep" and c.lower_ == "for" for c in verb.children)):
            return None  # "asked for asylum", "called the office": not a speech act with content
        content = self._content_of_verb(verb, cue, passive)
        cited = _cited_sources(verb)
        stance_cue = cue
        if cue.frame == "refusal":
            if content is None:
                return None
        if cue.lemma == "respond" or cue.lemma == "reply":
            request = _comment_request(verb)
            if request is not None:
                stance_cue = Cue(cue.lemma, cue.pos, "unconfirmed", "refusal")
                content = (request.left_edge.idx, _end(request.right_edge))
        quote = _adjacent_quote(verb, speaker, content, quotes)
        direct = False
        if quote is not None:
            content, direct = (_last_paragraph_of(text_of(verb.doc), quote, verb.idx), quote.end), True
        if content is None or content[1] <= content[0] or cue.frame == "quote" and not direct:
            return None
        if cue.frame == "speech" and cue.lemma in FINDING_CUES and not direct and not (
                _has_that_clause(verb) or any(c.dep_ == "dobj" and any(g.dep_ in ("acl", "relcl") for g in c.children)
                                              for c in verb.children)):
            return None  # "the study found evidence" is content; "she found her keys" is not speech
        return Found(verb.idx, _end(verb), content[0], content[1], speaker, stance_cue, direct=direct,
                     cited=cited, negated=_negated(verb), passive=passive, hedged_by=_hedge_adverb(verb),
                     cue_token=verb)

    def _report_in_quote(self, verb: Token, quotes: list[Quote]) -> Found | None:
        """A report inside someone else's quote ('"... after the Clinton camp announced that X," Wallace said',
        '"His people said, \u2018Y\u2019"'): only a speech cue with a subject of its own, other than the quoted
        speaker ('I', 'we'), and with a that-clause or a quotation inside the quote as its content; other
        cues inside quotes are what the quoted speaker says, not attributions of their own."""
        lemma = verb.lemma_.lower()
        cue = self.lexicon.get((lemma, "VERB"))
        if verb.pos_ not in ("VERB", "AUX") or cue is None or cue.frame != "speech" or lemma not in self.verb_lemmas \
                or lemma in FINDING_CUES or verb.tag_ == "VBG":
            return None  # "if you show him that", "the president essentially saying": no report of a source's
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subjects or subjects[0].lower_ in {"i", "we", "you", "it"} | RELATIVE_PRONOUNS or \
                not _is_party(mention_span(subjects[0])):
            return None
        quoting = re.match(r"\s*[,:]\s*['‘]\s*\w", text_of(verb.doc)[_end(verb):_end(verb) + 8]) is not None
        that_clause = any(c.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
                          for c in verb.children) or _that_clause_after(verb) is not None
        if not quoting and not that_clause:
            return None
        item = self._from_verb(verb, cue, [])  # the quote around the cue is the outer speaker's, not its content
        if item is None:
            return None
        item.direct, item.inside_quote = quoting, True
        if quoting:
            item.content_start, item.content_end = _inner_quotation(text_of(verb.doc), _end(verb), quotes)
        enclosing = quotes_between(quotes, verb.idx, verb.idx)
        if enclosing:  # the content ends where the quote around it does
            item.content_end = min(item.content_end, enclosing[0].end)
        return item if item.content_end > item.content_start else None

    def _intention(self, word: Token, cue: Cue) -> Found | None:
        """'plans to open a plant', 'is determined to win', 'would like to meet': a person's or an organisation's
        intention, a commitment; only with a to-infinitive ('wants a new chair' is no attribution), and never a
        thing's ('the bill wants to ...'). The parser's 'plans' as a noun heading its clause counts as the verb."""
        goals = [c for c in word.children if c.dep_ == "xcomp" and c.i > word.i and
                 any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)]
        if not goals or word.pos_ == "NOUN" and not any(c.dep_ == "nsubj" for c in word.children):
            return None
        if cue.lemma == "like" and not any(c.dep_ == "aux" and c.lower_ in ("would", "'d") for c in word.children):
            return None  # "would like to": "likes to fish" is a habit
        predicate = word.head if word.dep_ == "acomp" else word
        if self._reported_by_outer_cue(predicate):
            return None  # "reported that Microsoft plans to": the outer cue carries it
        speaker = subject_of(predicate, self.verb_lemmas)
        if speaker is None or not _is_party(speaker):
            return None
        start = goals[0].left_edge.i
        cue_start = predicate.idx if word.dep_ == "acomp" else word.idx
        end = self._extend_to_sentence_end(word, goals[0].right_edge.i)
        return Found(cue_start, _end(word), word.doc[start].idx, end, speaker, cue, negated=_negated(predicate),
                     cue_token=word)

    def _from_noun(self, noun: Token, cue: Cue, quotes: list[Quote]) -> Found | None:
        """'made a direct appeal to X to Y', 'issued a denial', 'expressed concern over X': the light verb's
        subject speaks. 'Made no comment' is a refusal, its content what went unanswered or its own words."""
        head = noun.head
        if noun.dep_ not in ("dobj", "attr") or head.lemma_.lower() not in LIGHT_VERBS:
            return self._report_noun(noun, cue) if cue.frame == "report" else None
        content_preps = {"to", "on", "for"} | ({"over"} if cue.stance == "opinion" else set())
        parts = [c for c in noun.children if c.i > noun.i and c.dep_ in ("prep", "acl", "ccomp", "relcl")
                 and not (c.dep_ == "prep" and c.lower_ in NOT_CONTENT_PREPS - content_preps)]
        refused = cue.lemma == "comment" and (_negated(head) or any(c.dep_ == "det" and c.lower_ == "no"
                                                                    for c in noun.children))
        if refused:
            cue = Cue(cue.lemma, cue.pos, "unconfirmed", "refusal")
            if not parts:
                parts = [noun.left_edge, noun]
        if not parts:
            return None
        first = _object_of(parts[0]) if parts[0].dep_ == "prep" else parts[0]  # "concern over X": X
        start = noun.doc[_skip_marker(first.left_edge)].idx
        end = self._extend_to_sentence_end(head, parts[-1].right_edge.i) if head.i < noun.i else \
            _end(parts[-1].right_edge)
        cue_start = head.idx if head.i < noun.i else noun.idx  # "expressed concern": the verb carries the act
        return Found(cue_start, _end(noun), start, end, subject_of(head, self.verb_lemmas), cue,
                     negated=_negated(head), cue_token=noun)

    def _unsourced_allegation(self, verb: Token, cue: Cue) -> Found | None:
        """'Peacekeepers have been accused of hurting civilians', 'sites criticized for harbouring illegal material',
        'a vessel suspected to be the target of an attack': an allegation whose source goes unnamed; its content
        is the one accused with what they are accused of."""
        charges = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("of", "for") or c.dep_ == "xcomp"]
        if not charges:
            return None
        subjects = [c for c in verb.children if c.dep_ == "nsubjpass" and c.lower_ not in RELATIVE_PRONOUNS]
        first = subjects[0].left_edge if subjects else _object_of(charges[0]).left_edge
        last = charges[0].right_edge
        if first.i > last.i:
            return None
        stance = "hedge" if verb.lemma_.lower() == "suspect" else "allege"
        return Found(verb.idx, _end(verb), first.idx, _end(last), None, Cue(cue.lemma, cue.pos, stance, "passive"),
                     negated=_negated(verb), passive=True, cue_token=verb)

    def _report_noun(self, noun: Token, cue: Cue) -> Found | None:
        """'raising speculation that X', 'dogged by charges that X', 'faced criticism for X', 'allegations of X':
        a noun that names a report, with its content, its source the possessor ('Stumpf's emphasis that'), a
        'from' phrase ('warnings from his attorney that'), or no one."""
        if noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.tag_ == "NN" and \
                not any(c.dep_ in ("det", "amod") for c in noun.children):
            return None  # "in charge of": an idiom
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() in self.verb_lemmas and \
                any(c.dep_ == "nsubj" for c in noun.head.children):
            return None  # "denied allegations of X", "confirmed reports that X": the content of that cue
        content = None
        for child in noun.children:
            if child.i < noun.i:
                continue
            if child.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
                content = child
            elif child.dep_ == "prep" and (child.lower_ == "of" and cue.stance == "allege" or
                                           child.lower_ == "for" and cue.lemma == "criticism"):
                content = _object_of(child)
            elif child.dep_ == "prep" and child.lower_ == "as":  # "speculation as to whether X"
                content = next((_object_of(g) for g in child.children if g.dep_ == "prep" and g.lower_ == "to"), None)
            if content is not None and content.dep_ != "prep":
                break
            content = None
        that = _that_clause_after(noun)
        if content is None and that is not None and noun.doc[that - 1].dep_ == "mark":
            content = noun.doc[that - 1].head  # "warnings from the engineer that X", X parsed under the main verb
        if content is None:
            return None
        sources = [c for c in noun.children if c.dep_ == "poss"] + [
            g for c in noun.children if c.dep_ == "prep" and c.lower_ == "from" and c.i < content.i
            for g in c.children if g.dep_ == "pobj"]
        speaker = mention_span(sources[0]) if sources else None
        start, end = self._clause_span(content, noun)
        return Found(noun.idx, _end(noun), start, end, speaker, cue, passive=speaker is None, cue_token=noun)

    @staticmethod
    def _reports_with(verb: Token, cue: Cue) -> bool:
        """Verbs that report only in one construction: 'pointed out that X' or 'pointed to X' (not 'pointed a
        gun'), 'spoke of X' (not 'spoke about', a topic), 'boasted that X' (not 'boasts a market cap of')."""
        children = {(c.dep_, c.lower_) for c in verb.children}
        if cue.lemma == "point":
            return ("prt", "out") in children or ("prep", "to") in children
        if cue.lemma == "speak":
            return ("prep", "of") in children and verb.tag_ != "VBG"
        if cue.lemma in ("boast", "brag"):
            return _has_clause(verb) or ("prep", "about") in children
        return True

    def _hearsay(self, verb: Token, cue: Cue) -> Found | None:
        """'Many have heard that X', 'the court heard that X': a report whose source goes unnamed."""
        clauses = [c for c in verb.children if c.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ == "that"
                                                                          for g in c.children)]
        if not clauses:
            return None
        start, end = self._clause_span(clauses[0], verb)
        return Found(verb.idx, _end(verb), start, end, None, cue, passive=True, cue_token=verb)

    def _unavailable_for_comment(self, word: Token) -> Found | None:
        """'was unavailable for comment', 'could not be reached for comment': a non-answer by the subject."""
        request = [c for c in word.children if c.dep_ == "prep" and c.lower_ == "for" and
                   any(g.dep_ == "pobj" and g.lower_ in COMMENT_REQUESTS for g in c.children)]
        if not request or word.lower_ != "unavailable" and not _negated(word) and not any(
                c.dep_ == "neg" for c in word.head.children if word.dep_ == "acomp"):
            return None
        predicate = word.head if word.dep_ == "acomp" else word
        subjects = [c for c in predicate.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects:
            return None
        start, end = word.idx, _end(next(g for g in request[0].children if g.dep_ == "pobj"))
        return Found(start, end, start, end, mention_span(subjects[0]), Cue(word.lemma_.lower(), "ADJ", "unconfirmed",
                                                                            "refusal"), cue_token=word)

    def _reporting_adverb(self, adverb: Token) -> Found | None:
        """'X reportedly clashed with Y': an attribution with no named source."""
        verb = adverb.head
        if verb.lemma_.lower() in self.verb_lemmas or verb.pos_ not in ("VERB", "AUX"):
            return None  # "reportedly said": the adverb hedges that cue instead
        doc = adverb.doc
        tokens = [t for t in verb.subtree if t.i > adverb.i or t.i == verb.i]
        start = min(t.i for t in tokens)
        stop = max(t.i for t in tokens) + 1
        start, stop = _strip_tokens(doc, start, stop)
        if stop <= start:
            return None
        cue = Cue(adverb.lower_, "ADV", REPORTING_ADVERBS[adverb.lower_], "lexical")
        return Found(adverb.idx, _end(adverb), doc[start].idx, _end(doc[stop - 1]), None, cue, passive=True,
                     cue_token=adverb)

    def _reported_by_outer_cue(self, verb: Token) -> bool:
        """A clause (or a clause coordinated with one) that is the complement of a cue."""
        for _ in range(3):
            if verb.dep_ not in ("ccomp", "conj") or verb.head.i == verb.i:
                return False
            if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in self.verb_lemmas:
                return True
            verb = verb.head
        return False

    def _restates_outer_cue(self, verb: Token) -> bool:
        """'said he believed': a cue whose clause opens a neutral speech cue's content, with a pronoun subject."""
        head = verb.head
        if verb.dep_ != "ccomp" or head.i == verb.i or head.lemma_.lower() not in self.verb_lemmas:
            return False
        if self.lexicon.get((head.lemma_.lower(), "VERB"), Cue("", "", "", "")).frame != "speech":
            return False
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        return bool(subjects) and subjects[0].pos_ == "PRON" and subjects[0].i == verb.left_edge.i

    def _according_to(self, token: Token) -> Found | None:
        to = token.nbor(1)
        sources = [c for c in to.children if c.dep_ == "pobj"] or [c for c in token.children if c.dep_ == "pobj"]
        if not sources:
            return None
        source = sources[0]
        phrase_start = token.i
        phrase_end = max(source.right_edge.i, to.i) + 1
        sentence = sentence_of(token)
        before = (sentence.start, phrase_start)
        after = (phrase_end, sentence.end)
        doc = token.doc
        left = _strip_tokens(doc, *before)
        right = _strip_tokens(doc, *after)
        span = right if (right[1] - right[0]) > (left[1] - left[0]) else left
        if span[1] <= span[0]:
            return None
        cue = Cue("according to", "ADP", "assert", "speech")
        return Found(token.idx, _end(to), doc[span[0]].idx, _end(doc[span[1] - 1]),
                     doc[source.left_edge.i: source.right_edge.i + 1], cue, cue_token=token)

    # ------------------------------------------------------------ content

    def _content_of_verb(self, verb: Token, cue: Cue, passive: bool) -> tuple[int, int] | None:
        doc = verb.doc
        if cue.frame == "cite":
            saying = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"
                      for g in c.children if g.lemma_ in ("say", "tell", "write", "state")]
            if saying:
                return self._content_of_verb(saying[0], self.lexicon[("say", "VERB")], False)
            if not _cites_a_reason(verb):
                return None
            reason = next(c for c in verb.children if c.dep_ == "dobj")  # "cited her years as secretary of State"
            return reason.left_edge.idx, self._extend_to_sentence_end(verb, reason.right_edge.i)
        if cue.frame == "as":
            as_phrase = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"]
            objects = [g for a in as_phrase for g in a.children if g.dep_ in ("pobj", "pcomp")]
            subjects = [c for c in verb.children if c.dep_ == "nsubjpass" and c.lower_ not in ("it", "this")]
            if objects and passive and subjects:  # "Trump was seen as an outsider": the subject is what is seen
                return subjects[0].left_edge.idx, _end(objects[0].right_edge)
            seen = [c for c in verb.children if c.dep_ == "dobj" and as_phrase and c.i < as_phrase[0].i]
            if objects:  # "described Clinton as a disgrace": who is described, and as what
                return (seen or objects)[0].left_edge.idx, _end(objects[0].right_edge)
            if cue.lemma in ("see", "view", "regard", "label", "characterize", "characterise"):
                return None
        if cue.frame == "refusal":
            comp = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and (
                c.lemma_.lower() in REFUSAL_OBJECTS or cue.lemma == "decline" and c.dep_ == "xcomp")]  # "declined to X"
            if not comp:
                return None
            return comp[0].left_edge.idx, self._extend_to_sentence_end(verb, comp[0].right_edge.i)
        if passive:
            clause = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "oprd") or c.dep_ == "advcl" and
                      c.left_edge.lower_ == "that"]
            subject = [c for c in verb.children if c.dep_ == "nsubjpass" and c.lower_ not in ("it", "this")]
            if clause and clause[0].dep_ == "oprd":  # "it is considered a threat", "Oz has been called a charlatan"
                first = subject[0].left_edge if subject and subject[0].i < clause[0].i else clause[0].left_edge
                return first.idx, _end(clause[0].right_edge)
            if clause and subject and clause[0].dep_ == "xcomp":
                return subject[0].left_edge.idx, _end(clause[0].right_edge)
            if clause:
                return self._clause_span(clause[0], verb)
            return None
        parts = [c for c in verb.children if c.dep_ in COMPLEMENTS and c.i > verb.i and not _is_addressee(c, cue)
                 and not self._coordinated_cue(c, verb)]
        parts += [c for c in verb.children if c.dep_ == "prep" and c.i > verb.i and _content_prep(c, cue)]
        if cue.lemma == "point" and not parts:
            parts = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children
                     if g.dep_ in ("pobj", "pcomp")]  # "pointed to the 1994 crime bill"
        fronted = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i]
        relayed = [g for c in verb.children if c.lemma_.lower() in CHAIN_VERBS and c.tag_ == "VBG" and c.i > verb.i
                   for g in c.children if g.dep_ == "ccomp"]
        if relayed and not parts:
            return self._clause_span(relayed[0], verb)  # "reported, citing two people, that X"
        if parts:
            parts.sort(key=lambda t: t.i)
            start_token = parts[0]
            if cue.stance in ("directive", "opinion", "commit") or cue.frame == "lexical":
                first = parts[0].left_edge
            else:
                clauses = [p for p in parts if p.dep_ in ("ccomp", "xcomp")]
                first = (clauses[0] if clauses else parts[0]).left_edge
                start_token = clauses[0] if clauses else parts[0]
            if first.dep_ == "prep" and first.i == parts[0].i:
                first = _object_of(first).left_edge  # "spoke of the legacy": the preposition is the cue's
            start = _skip_marker(first)
            end_token = max(p.right_edge.i for p in parts if p.i >= start_token.i)
            inner = self._inner_participle_cue(doc, start, end_token)
            if inner is not None:
                return doc[start].idx, _end(doc[_strip_tokens(doc, start, inner)[1] - 1])
            return doc[start].idx, self._extend_to_sentence_end(verb, end_token)
        if fronted:
            return self._clause_span(fronted[-1], verb)
        that = _that_clause_after(verb)
        if that is not None:
            return doc[that].idx, self._extend_to_sentence_end(verb, that)
        if verb.dep_ == "advcl" and verb.head.i > verb.i and verb.head.pos_ in ("VERB", "AUX") and any(
                c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) and \
                verb.head.lemma_.lower() not in self.verb_lemmas:  # a cue's own "as X reported" is a chain's link
            start, stop = _strip_tokens(doc, verb.right_edge.i + 1, verb.head.right_edge.i + 1)
            if stop > start:  # "as the Journal wrote, prices will rise"
                return doc[start].idx, _end(doc[stop - 1])
        if verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX") and verb.head.i > verb.i:
            head = verb.head  # "But to prevent problems, he said, officials should be vigilant"
            start, stop = _strip_tokens(doc, head.left_edge.i, head.right_edge.i + 1)
            while start < stop and doc[start].dep_ == "cc":
                start += 1
            if stop > start:
                return doc[start].idx, _end(doc[stop - 1])
        if verb.dep_ == "conj" and verb.head.i < verb.i and verb.head.pos_ in ("VERB", "AUX") and \
                verb.left_edge.i > 0 and doc[verb.left_edge.i - 1].text == "," and \
                any(c.dep_ in SUBJECTS for c in verb.children) and verb.right_edge.i + 1 >= sentence_of(verb).end - 1:
            start, stop = _strip_tokens(doc, verb.head.left_edge.i, verb.left_edge.i)  # "X has defected, a source
            if stop > start:                                         # familiar with the matter said": parsed as and-ed
                return doc[start].idx, _end(doc[stop - 1])
        if verb.dep_ in ("parataxis", "advcl", "ccomp") and verb.head.i < verb.i and verb.head.pos_ in ("VERB", "AUX"):
            head = verb.head
            right = verb.left_edge.i
            after = verb.right_edge.i + 1
            if doc[after - 1].text != "," and after < len(doc) and doc[after].text == ",":
                after += 1  # the comma closing the cue, whichever side of it the parser put it
            if doc[after - 1].text == "," and head.right_edge.i >= after and not doc[after].is_punct and \
                    doc[after].lemma_.lower() not in self.verb_lemmas:
                right = head.right_edge.i + 1  # "X, Graham said, since Y": the sentence around the cue is the content
            start, stop = _strip_tokens(doc, head.left_edge.i, right)
            if stop > start:
                return doc[start].idx, _end(doc[stop - 1])
        return None

    def _inner_participle_cue(self, doc: Doc, start: int, end: int) -> int | None:
        """', telling jurors that ...' or '... and urged patients to ...' inside a content clause starts a new
        attribution by the same speaker: cut before it."""
        for token in doc[start + 1:end + 1]:
            if token.lemma_.lower() not in self.verb_lemmas or token.pos_ != "VERB":
                continue
            if token.tag_ == "VBG" and token.dep_ in ("advcl", "conj") and doc[token.i - 1].text == ",":
                return token.i
            if token.dep_ == "conj" and doc[token.i - 1].dep_ == "cc" and \
                    not any(c.dep_ in SUBJECTS for c in token.children) and \
                    self.lexicon[(token.lemma_.lower(), "VERB")].frame != "speech":
                return token.i - 1
        return None

    def _coordinated_cue(self, token: Token, verb: Token) -> bool:
        """'said X and warned that Y': a second cue coordinated with this one is not its content."""
        if token.lemma_.lower() not in self.verb_lemmas or token.pos_ != "VERB" or token.i <= verb.i:
            return False
        return token.dep_ in ("conj", "ccomp") and not any(c.dep_ in SUBJECTS for c in token.children) and any(
            t.dep_ == "cc" or t.text == "," for t in token.doc[max(verb.i, token.i - 2):token.i])

    def _clause_span(self, clause: Token, verb: Token) -> tuple[int, int]:
        doc = clause.doc
        start, stop = _strip_tokens(doc, _skip_marker(clause.left_edge), clause.right_edge.i + 1)
        if clause.i > verb.i:
            return doc[start].idx, self._extend_to_sentence_end(verb, stop - 1)
        return doc[start].idx, _end(doc[stop - 1])

    def _extend_to_sentence_end(self, verb: Token, last: int) -> int:
        """Content after its cue runs to the sentence's end (parsers often cut it at ', but ...'), except
        into a clause of the writer's ('although ...'), another cue, or 'according to'."""
        doc = verb.doc
        sentence_end = sentence_of(verb).end
        stop = last + 1
        blocked = set()
        for child in verb.children:
            if child.i <= last:
                continue
            subordinate = child.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in SUBORDINATORS
                                                        for c in child.children)
            if subordinate or child.dep_ in ("parataxis",) or self._coordinated_cue(child, verb) or (
                    child.dep_ == "conj" and any(c.dep_ in SUBJECTS for c in child.children)):
                blocked.update(t.i for t in child.subtree)
                blocked.update(c.i for c in verb.children if c.dep_ == "cc" and c.i < child.i and c.i > last)
        i = stop
        while i < sentence_end:
            token = doc[i]
            if i in blocked or token.lemma_.lower() == "accord" or (
                    token.lower_ in ("while", "whereas") and token.dep_ == "mark"):
                break
            if token.pos_ == "VERB" and token.lemma_.lower() in self.verb_lemmas and token.i != verb.i and (
                    token.tag_ == "VBG" or self._coordinated_cue(token, verb)):
                break
            if token.text in CLOSING_QUOTES and token.text != '"':
                break
            i += 1
        stop = max(stop, i)
        while stop - 1 > last and (doc[stop - 1].is_punct or doc[stop - 1].is_space or doc[stop - 1].dep_ == "cc"):
            stop -= 1
        while stop - 1 > verb.i + 1 and doc[stop - 1].text in (".", ",", ";", ":"):
            stop -= 1  # the sentence's full stop, attached by the parser to the content's clause
        return _end(doc[stop - 1])

    # ------------------------------------------------------------ other shapes

    def _colon_attribution(self, sentence: Span) -> list[Found]:
        """'And from the minister: ...': a source named before a colon."""
        match = re.match(r"^\s*(?:And\s+|But\s+)?[Ff]rom\s+(.{3,80}?):\s+(\S.*)$", sentence.text, re.S)
        if not match:
            return []
        doc = sentence.doc
        base = sentence.start_char
        speaker = doc.char_span(base + match.start(1), base + match.end(1), alignment_mode="expand")
        cue_at = base + match.group(0).lower().index("from")
        content_start = base + match.start(2)
        content_end = _rstrip_offset(text_of(doc), content_start, sentence.end_char)
        quotes = [q for q in quotes_between(doc._.quotes, content_start - 1, content_start + 1)
                  if content_start - 1 <= q.opens_at <= content_start + 1]
        direct = bool(quotes)
        if quotes:
            content_start, content_end = quotes[0].start, quotes[0].end
        return [Found(cue_at, cue_at + 4, content_start, content_end, speaker,
                      Cue("from", "ADP", "assert", "speech"), direct=direct, sentence=sentence)]

    def _dash_attributions(self, doc: Doc, quotes: list[Quote]) -> list[Found]:
        """'"We will rebuild." — Ana Ruiz, mayor of Port Elm': a quote signed after a dash."""
        found = []
        for quote in quotes:
            tail = text_of(doc)[quote.closes_at: quote.closes_at + 120]
            match = re.match(r"^\s*([—–―]|--)\s*([A-Z][^\n]{1,100}?)\s*(?:\n|$)", tail)
            if not match:
                continue
            dash_at = quote.closes_at + match.start(1)
            name_start = quote.closes_at + match.start(2)
            name_end = name_start + len(match.group(2).split(",")[0].rstrip(". "))
            speaker = doc.char_span(name_start, name_end, alignment_mode="expand")
            if speaker is None:
                continue
            found.append(Found(dash_at, dash_at + len(match.group(1)), quote.start, quote.end, speaker,
                               Cue("—", "PUNCT", "assert", "speech"), direct=True, sentence=sentence_of(speaker[0])))
        return found


# ---------------------------------------------------------------- shapes across sentences

CONTINUED = Cue("", "", "assert", "speech")  # a quote with no cue of its own goes on with its speaker's quote
QUOTE_JOINERS = re.compile(r"[\s,.;:!?\"“”'’]*")
MIN_TURN_WORDS = 8  # shorter paragraphs in a transcript are stage directions, credits or cut-off interjections


def _continued_quotes(doc: Doc, found: list[Found], quotes: list[Quote]) -> list[Found]:
    """A speaker's quote goes on past its cue. '"A," she said. "B."' is one content from A to B when B opens
    the sentence after the cue's; a quote further on in the paragraph, past narrative, or after an indirect
    or partial quote, is the same speaker's with an empty cue, and so is a quote opening the next paragraph
    when this one ends with the speaker's quote. A quote that is another cue's content, or that lies past
    the next cue, is not the speaker's."""
    text = text_of(doc)
    outer = [item for item in found if not item.inside_quote]  # a report inside a quote leaves the quote whole
    cue_starts = [item.cue_start for item in outer]
    taken = _covering([(item.content_start, item.content_end) for item in outer])
    added = []
    for index, item in enumerate(outer):
        if item.speaker is None or item.cue.pos == "PUNCT" or item.cue is CONTINUED:
            continue  # transcripts and signed quotes have shapes of their own
        next_cue = cue_starts[index + 1] if index + 1 < len(outer) else len(text)
        next_content = outer[index + 1].content_start if index + 1 < len(outer) else None
        opening = item.content_start
        while opening > 0 and (text[opening - 1] in OPENING_QUOTES or text[opening - 1] == "'"):
            opening -= 1
        joinable = item.direct and opening < item.content_start and _opens_clause(
            text, Quote(item.content_start, item.content_end, opening, item.content_end)) or \
            _ends_with_partial_quote(item, quotes)
        cue_sentence = _sentence_number(item.cue_token) if item.cue_token is not None else None
        target, start, first_paragraph = item, max(item.cue_end, item.content_end), True
        while start < next_cue:
            paragraph_end = min(_line_end(text, start), next_cue)
            for quote in quotes_between(quotes, start, paragraph_end):
                if quote.opens_at < start or not _quoted_sentence(text, quote):
                    continue
                if next_content is not None and quote.start < next_content < quote.end and \
                        text.rfind("\n", quote.start, next_content) > quote.start:
                    quote = Quote(quote.start, _rstrip_offset(text, quote.start, text.rfind("\n", 0, next_content)),
                                  quote.opens_at, quote.start)  # left open, the next paragraph is another cue's
                elif taken(quote.start) or next_cue < len(text) and not re.search(r"[.!?\n]",
                                                                                 text[quote.closes_at:next_cue]):
                    start = next_cue  # another cue's quote, or one its cue follows in the sentence: this speaker's ends
                    break
                first = _token_at(doc, quote.start)
                if target is item:
                    join = joinable and first_paragraph and cue_sentence is not None and \
                        _sentence_number(first) <= cue_sentence + 1
                else:
                    join = QUOTE_JOINERS.fullmatch(text[target.content_end:quote.opens_at]) is not None
                if join:
                    target.content_end = quote.end
                else:
                    target = Found(quote.opens_at, quote.opens_at, quote.start, quote.end, item.speaker, CONTINUED,
                                   direct=True, sentence=sentence_of(first))
                    added.append(target)
            if start >= next_cue or not target.direct or not _ends_paragraph(doc, target, paragraph_end):
                break
            start, first_paragraph = _after_blank_lines(text, paragraph_end), False
            if start >= len(text) or not (text[start] in OPENING_QUOTES or text.startswith("''", start)):
                break
    return sorted(found + added, key=lambda f: f.cue_start) if added else found


def _ends_with_partial_quote(item: Found, quotes: list[Quote]) -> bool:
    """'Both parties "saw Burma as a friend," said Cha. "It was like pushing on an open door."': an indirect
    content ending in a quotation that closes just before its cue goes on with the quote after the cue."""
    ending = quotes_between(quotes, item.content_end - 1, item.content_end)
    return any(item.content_start < quote.opens_at and item.content_end <= quote.end and
               quote.closes_at <= item.cue_start for quote in ending)


def _into_open_quotes(found: list[Found], quotes: list[Quote]) -> list[Found]:
    """An indirect content that opens a partial quote runs on to the quote's end: 'Sanders said the country
    has spent "hundreds of years fighting racism. They're way beyond that."' is one content."""
    for item in found:
        for quote in quotes_between(quotes, item.content_start, item.content_end):
            if item.cue_start < item.content_start <= quote.opens_at < item.content_end < quote.end and \
                    not item.inside_quote:
                item.content_end = quote.end
    return found


def _quoted_sentence(text: str, quote: Quote) -> bool:
    """A quotation that is a sentence of its own (opening a sentence, three words or more), not a phrase
    quoted inside the writer's sentence."""
    return _opens_clause(text, quote) and len(text[quote.start:quote.end].split()) >= 3


def _ends_paragraph(doc: Doc, item: Found, paragraph_end: int) -> bool:
    """The attribution's cue and content reach into the paragraph's last sentence."""
    last = _token_at(doc, max(item.cue_end, item.content_end) - 1)
    end = _token_at(doc, _after_blank(text_of(doc), paragraph_end) - 1)
    return sentence_of(last).start == sentence_of(end).start


def _transcript_turns(doc: Doc) -> list[Found]:
    """'CLINTON: We have to ...' opening a paragraph: a transcript's turn, the colon its cue and the rest of
    the paragraph its content. Each later paragraph of the turn is the speaker's with an empty cue: one that
    comes before the next turn, or that opens with the quote mark the turn opened with (a transcript quoted
    whole); after the last turn, the writer speaks again. An interviewer's questions (a turn mostly in
    questions) and cut-off interjections are not attributions."""
    text = text_of(doc)
    found, pending, speaker, quoted = [], [], None, False
    for start, end in _paragraphs(text):
        mark = 2 if text.startswith("''", start) else 1 if text[start] in OPENING_QUOTES else 0
        words_at = start + mark
        match = TRANSCRIPT_SPEAKER.match(text, words_at, end)
        if match and match.group(1).strip().lower() in COLON_LABELS or text[words_at:words_at + 1] in ("(", "["):
            speaker, pending = None, []  # a label ('UPDATE:') or a stage direction ends the turn
            continue
        if match:
            found += pending
            speaker = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
            quoted, pending = bool(mark), []
            item = _turn(doc, speaker, match.end(1), match.end(), end, 3)
        elif speaker is not None:
            item = _turn(doc, speaker, None, words_at, end, MIN_TURN_WORDS)
            if item is not None and not (quoted and mark):
                pending.append(item)  # kept only if another turn follows
                continue
        else:
            continue
        if item is not None:
            found.append(item)
    return found


def _turn(doc: Doc, speaker: Span | None, colon_at: int | None, content_start: int, end: int,
          min_words: int) -> Found | None:
    """One paragraph of a transcript's turn as an attribution, or None for a question or an interjection."""
    text = text_of(doc)
    content_end = _rstrip_offset(text, content_start, end)
    body = text[content_start:content_end]
    words = len(body.split())
    if speaker is None or words < min_words or _asks(body) or (re.search(r"[—–-]\W*$", text[content_start:end])
                                                                and words < 3 * MIN_TURN_WORDS):
        return None
    cue_at = colon_at if colon_at is not None else content_start
    return Found(cue_at, cue_at + (1 if colon_at is not None else 0), content_start, content_end, speaker,
                 Cue(":", "PUNCT", "assert", "speech") if colon_at is not None else CONTINUED, direct=True,
                 sentence=sentence_of(_token_at(doc, content_start)))


def _asks(body: str) -> bool:
    """A turn that mostly asks: its questions hold more than half its words."""
    questions = sum(len(part.split()) for part in re.findall(r"[^.!?]*\?", body))
    return questions * 2 > len(body.split())


def _paragraphs(text: str):
    """(start, end) of each non-blank line of the text."""
    for match in re.finditer(r"[^\n]+", text):
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        if start < match.end():
            yield start, match.end()


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def _after_blank_lines(text: str, offset: int) -> int:
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset


# ---------------------------------------------------------------- helpers on the parse

def text_of(doc: Doc) -> str:
    """The Doc's text, cached: spaCy rebuilds Doc.text from every token on each access."""
    text = doc.user_data.get("onrecord_text")
    if text is None:
        text = doc.text
        doc.user_data["onrecord_text"] = text
    return text


def sentence_of(token: Token) -> Span:
    """The token's sentence, from an index built once per Doc (Token.sent walks the Doc on every call)."""
    doc = token.doc
    index = doc.user_data.get("onrecord_sentence_index")
    if index is None or len(index) != len(doc):
        index = [None] * len(doc)
        for sentence in doc.sents:
            for i in range(sentence.start, sentence.end):
                index[i] = sentence
        doc.user_data["onrecord_sentence_index"] = index
    return index[token.i]


def _token_at(doc: Doc, offset: int) -> Token:
    """The token at (or the last one before) a character offset, from an index built once per Doc."""
    starts = doc.user_data.get("onrecord_token_starts")
    if starts is None or len(starts) != len(doc):
        starts = [token.idx for token in doc]
        doc.user_data["onrecord_token_starts"] = starts
    return doc[max(0, bisect.bisect_right(starts, offset) - 1)]


def _sentence_number(token: Token) -> int:
    """The position of the token's sentence in the Doc, from an index built once per Doc."""
    doc = token.doc
    starts = doc.user_data.get("onrecord_sentence_starts")
    if starts is None or (starts and starts[-1] >= len(doc)):
        starts = [sentence.start for sentence in doc.sents]
        doc.user_data["onrecord_sentence_starts"] = starts
    return bisect.bisect_right(starts, token.i) - 1


def subject_of(verb: Token, cue_lemmas: set[str] | frozenset = frozenset()) -> Span | None:
    """The speaking subject of a verb, climbing through coordination, participles and relative clauses.
    A cue coordinated with a clause inside another cue's content ('believe X would happen, and expect Y')
    shares that outer cue's subject."""
    seen = 0
    while verb is not None and seen < 5:
        seen += 1
        subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
        if subjects:
            before = [c for c in subjects if c.i < verb.i]
            subject = before[-1] if len(subjects) > 1 and before else subjects[0]  # "Ex-escort Nikkie Brass revealed",
            if subject.lower_ in RELATIVE_PRONOUNS:                                # parsed with two subjects: the nearer
                clause = verb
                while clause.dep_ != "relcl" and clause.head.i != clause.i:
                    clause = clause.head
                if clause.dep_ != "relcl":
                    return None  # "who" with no noun to stand for
                subject = clause.head
            if subject.dep_ == "csubj":
                return None
            return mention_span(subject)
        head = verb.head
        if verb.dep_ == "conj" and head.dep_ == "ccomp" and head.lemma_.lower() not in cue_lemmas and \
                head.head.lemma_.lower() in cue_lemmas:
            verb = head.head
            continue
        if verb.dep_ == "ccomp" and verb.i > 0 and verb.doc[verb.i - 1].dep_ == "cc":
            verb = head  # "said X and warned that Y", parsed with "warned" under "said"
            continue
        if verb.tag_ == "VBG" and verb.dep_ == "advcl" and head.dep_ == "ccomp" and \
                head.head.lemma_.lower() in cue_lemmas:
            verb = head.head  # "denied that X, telling jurors that Y": the one who denied tells
            continue
        controller = [c for c in head.children if c.dep_ == "dobj" and c.i < verb.i] \
            if verb.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) else []
        if controller:
            return mention_span(controller[0])  # "led the journalist to fear", "forced Stumpf to admit": the object
        reporter = verb.doc[verb.i - 2] if verb.i > 1 and verb.doc[verb.i - 1].text == "," else None
        if verb.tag_ == "VBG" and reporter is not None and reporter.lemma_.lower() in cue_lemmas and \
                any(c.dep_ == "nsubj" for c in reporter.children):
            verb = reporter  # "X, the Journal noted, adding that Y": the one who noted adds
            continue
        if verb.dep_ in ("conj", "xcomp", "advcl", "acl") and head is not verb:
            if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON"):
                return _addressed_document_writer(head) or mention_span(head)
            verb = head
            continue
        if verb.dep_ == "relcl":
            return mention_span(head)
        return None
    return None


def _addressed_document_writer(addressee: Token) -> Span | None:
    """'Economists signed a letter to Senate leaders opposing the bill': the participle hangs on the addressee
    in the parse, but it is the letter that opposes, so its writers (or else the letter) speak."""
    doc, first = addressee.doc, addressee.left_edge.i
    to = next((doc[i] for i in (first, first - 1) if i > 0 and doc[i].lower_ == "to"), None)  # a prep, or an aux
    document = doc[to.i - 1] if to is not None else None                              # when misparsed
    if document is None or document.lower_ not in DOCUMENT_HEADS or document not in addressee.ancestors:
        return None
    writers = [c for c in document.head.children if c.dep_ == "nsubj"] if document.dep_ == "dobj" else []
    return mention_span(writers[0]) if writers else document.doc[document.left_edge.i: document.i + 1]


def mention_span(head: Token) -> Span:
    """The words naming a speaker: the noun phrase up to the first comma, dash or clause after its head,
    with a named appositive kept ('the South Korean daily, JoongAng Ilbo')."""
    doc = head.doc
    start = head.left_edge.i
    when = ("DATE", "TIME")
    while start < head.i and (doc[start].is_punct or doc[start].dep_ in ("cc", "preconj") or
                              doc[start].ent_type_ in when and doc[head.i].ent_type_ not in when):
        start += 1  # "Thursday Vellmar campaign spokesman ...": the day is when, not who
    end = head.i + 1
    for token in doc[head.i + 1: head.right_edge.i + 1]:
        if token.is_punct and token.text not in "\"“”'’":
            break
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("amod", "compound") and not _describes_source(token):
            break  # the noun phrase ends where a clause of its own begins
        end = token.i + 1
    appositives = [c for c in head.children if c.dep_ == "appos" and c.i > head.i and c.pos_ == "PROPN"]
    if appositives and end <= appositives[0].i:
        end = max(t.i for t in appositives[0].subtree if t.pos_ == "PROPN" or t.i <= appositives[0].i) + 1
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def _describes_source(verb: Token) -> bool:
    """'a senior official who spoke on condition of anonymity', 'a source familiar with': descriptions
    that are part of an unnamed source's name; other clauses are not."""
    return verb.dep_ in ("relcl", "acl") and (any(c.lower_ in ("who", "whom") for c in verb.children) or
                                              verb.tag_ in ("VBN", "VBG") and verb.lemma_.lower() not in CHAIN_VERBS)


def _agent(verb: Token) -> Span | None:
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return mention_span(objects[0])
    return None


def _cited_sources(verb: Token) -> list[Span]:
    """Whom the speaker cites in this sentence: 'quoting X', 'citing X', 'cited X as saying'."""
    cited = []
    candidates = [verb] + [c for c in verb.children if c.dep_ in SUBJECTS]
    if verb.lemma_.lower() in CHAIN_VERBS:
        cited += [mention_span(c) for c in verb.children if c.dep_ == "dobj"]
    for node in candidates:
        for child in node.children:
            if child.lemma_.lower() in CHAIN_VERBS and child.tag_ == "VBG" and child.dep_ in ("acl", "advcl", "xcomp"):
                cited += [mention_span(g) for g in child.children if g.dep_ == "dobj"]
    if not cited:  # "X, quoting Y, said" with the participle attached elsewhere by the parser
        for token in sentence_of(verb):
            if token.lemma_.lower() in CHAIN_VERBS and token.tag_ == "VBG" and token.i < verb.i and token.i != verb.i:
                cited += [mention_span(g) for g in token.children if g.dep_ in ("dobj", "pobj")]
    return cited


def _cites_a_reason(verb: Token) -> bool:
    """'cited rising costs as the reason': what is cited is a reason the speaker gives, not a source ('cited
    officials', 'cited a report'), which is a link in a chain of custody."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if not objects or verb.lemma_.lower() != "cite":
        return False
    head = objects[0]
    lemma = head.lower_ if head.lower_ in DOCUMENT_HEADS else head.lemma_.lower()  # 'data', not 'datum'
    return not (head.pos_ in ("PROPN", "PRON") or head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or
                lemma in PERSON_NOUNS | ANONYMOUS_HEADS | OUTLET_HEADS | ORGANIZATION_NOUNS or
                lemma in DOCUMENT_HEADS and not any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children))


HEARER_OBJECT_VERBS = {"tell", "inform", "brief", "assure", "remind", "warn", "urge", "ask"}  # "..., told the board"


def _inverted_report(verb: Token) -> tuple[Span, tuple[int, int]] | None:
    """'X agreed to sell the land, reported the Halden Journal.': a subjectless cue after a comma whose object,
    a party closing the sentence, is parsed as object though it is the speaker of the clause before the comma."""
    if verb.tag_ not in ("VBD", "VBZ") or verb.lemma_.lower() in HEARER_OBJECT_VERBS or verb.i == 0 or \
            verb.nbor(-1).text != "," or \
            any(c.dep_ in SUBJECTS + ("ccomp", "auxpass") for c in verb.children):
        return None
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    sentence = sentence_of(verb)
    if not objects or not _is_party(mention_span(objects[0])) or \
            any(not t.is_punct for t in verb.doc[objects[0].right_edge.i + 1: sentence.end]):
        return None
    words = [t for t in verb.doc[sentence.start: verb.i - 1] if not t.is_punct or t.i > sentence.start]
    if len(words) < 3:
        return None
    return mention_span(objects[0]), (words[0].idx, _end(verb.doc[verb.i - 2]))


def _put_to_the_speaker(verb: Token) -> bool:
    """'Asked about the plan, ...': a participle with no subject of its own, the question put to the speaker."""
    return verb.lemma_.lower() == "ask" and verb.tag_ == "VBN" and verb.dep_ in ("advcl", "ROOT") and \
        not any(c.dep_ in ("nsubj", "nsubjpass", "auxpass", "aux") for c in verb.children)


def _is_party(speaker: Span) -> bool:
    """A person or an organisation (named, a pronoun for one, or a noun for one): who can intend."""
    root = speaker.root
    lemma = root.lemma_.lower()
    return root.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or root.pos_ == "PROPN" or \
        root.pos_ == "PRON" and root.lower_ not in ("this", "that", "which") or \
        lemma in PERSON_NOUNS | ANONYMOUS_HEADS | ORGANIZATION_NOUNS or \
        any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in root.children) or \
        any(c.dep_ == "compound" and c.ent_type_ in ("PERSON", "ORG") for c in root.children)  # "the Clinton camp"


def _can_report(speaker: Span) -> bool:
    root = speaker.root
    lemma = root.lower_ if root.lower_ in DOCUMENT_HEADS else root.lemma_.lower()  # 'figures', 'data' (not 'datum')
    return root.pos_ in ("PROPN", "PRON") or bool(root.ent_type_) or lemma in DOCUMENT_HEADS | PERSON_NOUNS | \
        ANONYMOUS_HEADS | OUTLET_HEADS | ORGANIZATION_NOUNS | FINDING_BODIES


def _that_clause_after(verb: Token) -> int | None:
    """'speculated for months that X' parsed with 'that X' under 'months': the token after 'that'."""
    doc = verb.doc
    end = min(sentence_of(verb).end, verb.i + 6)
    for token in doc[verb.i + 1:end]:
        if token.lower_ == "that" and token.i + 1 < sentence_of(verb).end and token.dep_ in ("mark", "nsubj", "dobj", "det"):
            if token.dep_ == "det" and token.head.i == token.i + 1:
                return None  # "said that day": a determiner, not a complementizer
            return token.i + 1
        if token.is_punct or token.pos_ in ("VERB", "AUX"):
            return None
    return None


def _comment_request(verb: Token) -> Token | None:
    """'did not respond to a request for comment': the prepositional phrase naming the request."""
    if not _negated(verb):
        return None
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "for"):
            words = {t.lower_ for t in child.subtree}
            if words & COMMENT_REQUESTS:
                return child
    return None


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and any(c.dep_ == "neg" for c in head.children)


def _hedge_adverb(verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ in ("reportedly", "allegedly", "purportedly", "supposedly"):
            return child.lower_
    return None


def _calls_something(verb: Token) -> bool:
    """'called the charges unsubstantiated', 'called X "deplorables"': naming as a judgement."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    second = [c for c in verb.children if c.dep_ in ("oprd", "attr", "xcomp", "ccomp") or
              c.dep_ == "dobj" and objects and c.i != objects[0].i]
    return bool(objects) and (bool(second) or any(g.dep_ in ("oprd", "acl", "appos") for g in objects[0].children))


def _has_that_clause(verb: Token) -> bool:
    """'found that X', 'has learned that X' (not 'learning how to ...')."""
    return any(c.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children) or
               c.dep_ == "ccomp" and
               c.left_edge.lower_ not in ("how", "what", "why", "where", "when", "to", "whether", "if")
               for c in verb.children)


def _object_of(prep: Token) -> Token:
    """A preposition's object, or the preposition itself when it has none."""
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), prep)


def _has_clause(verb: Token) -> bool:
    return any(c.dep_ in ("ccomp", "xcomp") for c in verb.children)


def _is_addressee(token: Token, cue: Cue) -> bool:
    """'told reporters', 'informed the board': the hearer, not the content."""
    if token.dep_ == "dative":
        return True
    if token.dep_ == "dobj" and cue.lemma in ("tell", "inform", "brief", "remind", "assure", "warn", "urge", "ask",
                                              "advise", "accuse", "promise"):
        return cue.stance not in ("directive", "allege") and cue.lemma != "promise"
    if token.dep_ == "dobj" and cue.frame == "speech" and (token.pos_ == "PRON" or token.ent_type_ in ("PERSON", "ORG")):
        return token.lower_ not in ("this", "that", "it", "nothing", "something", "everything", "little", "much")
    return False


def _content_prep(prep: Token, cue: Cue) -> bool:
    """Prepositional phrases that carry content: 'warned of a crisis', 'called on X to', 'appealed for calm'."""
    if cue.frame == "speech":
        return False
    word = prep.lower_
    if cue.stance == "directive":
        return word in ("for", "on", "to", "upon")
    if cue.stance == "opinion":
        return word in ("of", "about", "against", "that")
    if cue.stance == "allege":
        return word in ("of",)
    return word in ("of", "about", "to") and word not in NOT_CONTENT_PREPS | {"to"}


def _skip_marker(token: Token) -> int:
    """Index after a complementizer ('that', 'whether' kept), and after opening punctuation."""
    doc = token.doc
    i = token.i
    while i < len(doc) - 1 and (doc[i].dep_ == "mark" and doc[i].lower_ == "that" or doc[i].is_punct):
        i += 1
    return i


def _adjacent_quote(verb: Token, speaker: Span | None, content: tuple[int, int] | None,
                    quotes: list[Quote]) -> Quote | None:
    """The quotation this cue introduces or closes, if any: the quote before '..., she said' (closing in the
    cue's sentence), the quote after 'told reporters:', or the whole quote when the parsed content lies
    inside it. A cue with content of its own to its right introduces no quote."""
    sentence = sentence_of(verb)
    doc = verb.doc
    own_content = content is not None and content[0] > verb.idx and not _inside_quote(content[0], quotes)
    first = _after_blank(text_of(doc), sentence.start_char)  # a quote closing right before the sentence counts
    last = sentence.end_char + 3
    if content:
        first, last = min(first, content[0] - 1, content[1] - 1), max(last, content[0])
    for quote in quotes_between(quotes, first, last):
        if content and quote.start <= content[0] and content[1] <= quote.end + 1:
            if quote.start <= sentence.start_char + 2 or quote.opens_at < sentence.start_char:
                return quote
            if _only_framing_between(doc, quote.closes_at, verb.idx, speaker, verb):
                return quote
        closes_in_sentence = sentence.start_char <= quote.closes_at - 1 < verb.idx or (
            quote.closes_at <= sentence.start_char and not text_of(doc)[quote.closes_at:sentence.start_char].strip()
            and text_of(doc)[max(0, quote.closes_at - 2)] in "?!")  # '"Who would have believed ...?" Trump said'

        if closes_in_sentence and not own_content and _opens_clause(text_of(doc), quote) and \
                _only_framing_between(doc, quote.closes_at, verb.idx, speaker, verb):
            return quote
        if _end(verb) - 1 < quote.opens_at < sentence.end_char + 3:
            between = text_of(doc)[_end(verb):quote.opens_at]
            if re.search(r"[:,]\s*$", between) and len(between.split()) <= 8 and not re.search(r"\bthat\b", between) \
                    and (not own_content or content[0] >= quote.opens_at):
                return quote
    return None


def _last_paragraph_of(text: str, quote: Quote, cue_at: int) -> int:
    """Where a quote's words start for a cue after it: a quote left open over a paragraph break and closed
    before a cue in the later paragraph is that paragraph's speaker's ('"A.' then '"B," added X')."""
    if quote.closes_at > cue_at:
        return quote.start
    paragraph = text.rfind("\n", quote.start, quote.end)
    if paragraph < 0:
        return quote.start
    start = _after_blank_lines(text, paragraph)
    while start < quote.end and (text[start] in OPENING_QUOTES or text[start] == "'"):
        start += 1
    return start


def quotes_between(quotes: list[Quote], first: int, last: int) -> list[Quote]:
    """The quotes (in text order, as `find_quotes` returns them: disjoint and sorted) that close at or after
    `first` and open at or before `last`, found by bisection rather than a scan of the page's quotes."""
    low = bisect.bisect_left(quotes, first, key=lambda q: q.closes_at)
    high = bisect.bisect_right(quotes, last, key=lambda q: q.opens_at)
    return quotes[low:high]


def _after_blank(text: str, offset: int) -> int:
    """The offset where the whitespace directly before `offset` begins."""
    while offset > 0 and text[offset - 1].isspace():
        offset -= 1
    return offset


def _opens_clause(text: str, quote: Quote) -> bool:
    """A quote that opens its sentence or paragraph (not a phrase quoted inside a sentence)."""
    before = text[max(0, quote.opens_at - 3):quote.opens_at]
    return quote.opens_at == 0 or bool(re.search(r"(?:^|[.!?:,\n]\s*|\n)$", before)) or before.endswith("\n")


def _only_framing_between(doc: Doc, start: int, stop: int, speaker: Span | None, verb: Token) -> bool:
    """Between a closing quote and its cue there is only punctuation and the speaker."""
    if stop < start:
        return False
    span = doc.char_span(start, stop, alignment_mode="expand")
    if span is None:
        return True
    for token in span:
        if token.is_punct or token.is_space:
            continue
        if speaker is not None and speaker.start <= token.i < speaker.end:
            continue
        if token.head.i == verb.i and token.dep_ in ("nsubj", "aux", "neg", "advmod", "npadvmod"):
            continue
        return False
    return True


def _inner_quotation(text: str, after: int, quotes: list[Quote]) -> tuple[int, int]:
    """The words of a single-quoted quotation opening after `after` inside a double-quoted one: up to its
    closing mark (an apostrophe before a letter is no closing mark), or the outer quote's end."""
    outer = quotes_between(quotes, after, after)
    limit = outer[0].end if outer else len(text)
    start = text.index("‘", after) + 1 if "‘" in text[after:after + 8] else text.index("'", after) + 1
    closing = re.compile(r"[’'](?![A-Za-z])")
    match = closing.search(text, start, limit)
    end = _rstrip_offset(text, start, match.start() if match else limit)
    while end > start and text[end - 1] in TRAILING_STRIP:
        end -= 1
    return start, end


def _inside_quote(offset: int, quotes: list[Quote]) -> bool:
    return any(q.start <= offset < q.end for q in quotes_between(quotes, offset, offset))


def _strip_tokens(doc: Doc, start: int, stop: int) -> tuple[int, int]:
    while start < stop and (doc[start].is_punct or doc[start].is_space or doc[start].dep_ == "cc"
                            and start == stop - 1):
        start += 1
    while stop > start and (doc[stop - 1].is_punct or doc[stop - 1].is_space):
        stop -= 1
    return start, stop


def _rstrip_offset(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \n.\"”":
        end -= 1
    return end


def _end(token: Token) -> int:
    return token.idx + len(token.text)


def _deduplicate(found: list[Found]) -> list[Found]:
    """One attribution per cue; a source-less cue or an intention inside another attribution's content ('X is
    expected to resign, an official said') is part of what that speaker said, not an attribution of its own.
    A report noun keeps its own ('data showed X, raising speculation that Y')."""
    inside_spoken_content = _covering([(f.content_start, f.content_end) for f in found if f.speaker is not None])
    inside_content_before_its_cue = _covering([(f.content_start, f.content_end) for f in found
                                               if f.speaker is not None and f.content_start < f.cue_start])
    seen, result = set(), []
    for item in sorted(found, key=lambda f: (f.cue_start, -(f.content_end - f.content_start))):
        if item.cue_start in seen:
            continue
        if item.speaker is None and item.cue.frame != "report" and inside_spoken_content(item.cue_start) or \
                item.cue.frame == "intention" and inside_content_before_its_cue(item.cue_start):
            continue  # "X plans to Y, according to a draft budget": the budget's report
        seen.add(item.cue_start)
        result.append(item)
    return result


def _covering(spans: list[tuple[int, int]]):
    """A test of whether an offset lies inside any of these (start, end) spans: spans sorted by start with
    the furthest end reached so far, so each test is a bisection rather than a scan."""
    spans = sorted(spans)
    starts = [start for start, _ in spans]
    furthest, reach = [], -1
    for _, end in spans:
        reach = max(reach, end)
        furthest.append(reach)

    def covers(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and furthest[i] > offset
    return covers
