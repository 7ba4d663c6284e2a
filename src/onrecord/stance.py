"""Stance: the speech act each attribution performs, and which earlier report a denial answers.

The cue's lexical class decides, except that negation turns a denial or confirmation into a refusal to
confirm, a hedging adverb ("reportedly") softens a neutral cue, and a neutral cue (say, tell, add) takes
the class of a stance-bearing phrase that opens its content ("said it was unable to confirm").
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Token

from .attribution import Found, load_lexicon, sentence_of, text_of

ANSWERS = ("deny", "confirm", "unconfirmed")
SUBJECT = r"(?:(?:it|he|she|they|we|i|the \w+|officials?|the government|the company)\s+)"
OPENING_RULES = [
    ("unconfirmed", re.compile(
        rf"^{SUBJECT}?(?:(?:was|were|is|are|am|had been|has been|have been|would be|remains?)\s+)?"
        r"(?:unable|not able|not in a position)\s+to\s+(?:confirm|verify|comment|say)"
        rf"|^{SUBJECT}?(?:could|can|would|will|did|does|do)\s*(?:not|n['’]t)\s+(?:immediately\s+)?"
        r"(?:confirm|verify|comment|say whether|discuss)"
        rf"|^{SUBJECT}?(?:had|has|have)\s+no\s+(?:information|knowledge|comment|details)"
        rf"|^{SUBJECT}?(?:honestly\s+|simply\s+|just\s+)?(?:do|does|did)\s*(?:not|n['’]t)\s+know\s+the\s+answer\b"
        r"|^(?:(?:i|we)(?:['’]m|['’]re|\s+am|\s+are)\s+)?not going to\s+(?:go into|get into|comment|discuss|"
        r"talk about|speculate|answer)\b"
        r"|^no comment"
        r"|^(?:we|i)\s+(?:are|am)\s+aware\s+of\s+(?:the|these|those)\s+reports?\b[^.;]{0,40}?\b(?:but|however)\s+"
        r"(?:we|i)\s+(?:can(?:not|['’]t)|could\s*(?:not|n['’]t)|(?:are|am)\s+(?:unable|not able|not in a position)\s+to)"
        r"\s+(?:confirm|verify)", re.I)),  # "We are aware of the reports but we cannot confirm them"
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
        r"\s+won['’]t|\s+will not|\s+intend to|\s+are determined to|\s+am determined to)\b"
        r"(?!\s+(?:tell you|say\b|be honest|admit\b))", re.I)),  # "I'll tell you, ..." pledges nothing
    ("directive", re.compile(
        r"^(?:let['’]s|let us|please|we must|you must|everyone must|people must|you should|we should)\b"
        r"|^(?:i|we)(?:\s+am|\s+are|['’]m|['’]re)?\s+(?:asking|urging|calling on|appealing to|begging|imploring|"
        r"ask|urge|call on|appeal to|beg|implore)\b", re.I)),
]
NEGATABLE = {"deny": "unconfirmed", "confirm": "unconfirmed"}
ANSWER_WINDOW = 200  # attributions before (and after) an answer among which its report is sought; PolNeAR's longest
                     # article has 99, so only a page of many articles is cut, and linking stays linear in its length
NEGATED_SPEECH = {"comment", "say", "respond", "reply", "answer", "discuss", "disclose", "reveal", "explain",
                  "guarantee", "specify", "elaborate"}
HEDGES = {"reportedly": "hedge", "supposedly": "hedge", "allegedly": "allege", "purportedly": "allege"}


def classify_stance(item: Found, doc: Doc) -> str:
    """One of the nine stance classes for an attribution found in `doc`."""
    cue = item.cue
    if cue.frame == "refusal":
        return "unconfirmed"
    if _cue_negated(item):
        if _said_by_a_thing(item):
            return "assert"  # "It did not reveal the location": a text's silence answers nothing
        if cue.stance in NEGATABLE:
            return NEGATABLE[cue.stance]
        if cue.lemma in NEGATED_SPEECH:
            return "unconfirmed"
    if cue.stance in ANSWERS and _describes_a_thing(item):
        return "assert"  # "a letter confirming that the vote stood": the letter's content, no one's answer
    if cue.frame != "speech":
        return "opinion" if cue.stance == "directive" and _names_as(item.cue_token) else cue.stance
    opening = re.sub(r"[\"“”\[\]]", "", text_of(doc)[item.content_start:item.content_start + 160])
    for stance, pattern in OPENING_RULES:
        if pattern.search(opening):
            return stance
    clause = _clause_stance(item, doc)
    if clause:
        return clause
    if item.hedged_by:
        return HEDGES[item.hedged_by]
    if _imperative(item, doc):
        return "directive"
    return cue.stance


def _cue_negated(item: Found) -> bool:
    """Whether the cue itself is negated: a "not" that the parser hung on the cue from inside the quote
    ('"Are we there yet? Probably not," she said') negates the content, not the saying."""
    verb = item.cue_token
    if not item.negated or verb is None:
        return item.negated
    negations = [c for c in verb.children if c.dep_ == "neg"]
    return not negations or any(not item.content_start <= c.idx < item.content_end for c in negations)


def _said_by_a_thing(item: Found) -> bool:
    """A cue whose subject is an impersonal "it" or a thing, not a party that could answer."""
    speaker = item.speaker
    return speaker is not None and (speaker.root.lower_ == "it" or (
        speaker.root.pos_ == "NOUN" and speaker.root.lemma_.lower() in DOCUMENTS))


def _describes_a_thing(item: Found) -> bool:
    """A cue in a participle clause on a noun ("a statement confirming that ..."), not a verb of a party."""
    verb = item.cue_token
    return verb is not None and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and \
        verb.head.lemma_.lower() in DOCUMENTS


def _opening_clause(item: Found, doc: Doc) -> Token | None:
    """The predicate of the clause that opens the content (the head of its first subject, else the root of
    its first sentence): the clause whose verb says what kind of act the content is. The parser often hangs
    a quote's later clauses from the cue, so the span's root is not always the opening clause."""
    span = doc.char_span(item.content_start, item.content_end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    opening = doc[span.start:min(span.end, sentence_of(span[0]).end)]
    subject = next((t for t in opening if t.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if subject is not None and opening.start <= subject.head.i < opening.end:
        return subject.head
    return opening.root


def _clause_stance(item: Found, doc: Doc) -> str | None:
    """The class a neutral cue takes from its content's main clause, read over the parse: a speaker's own
    attitude ("said he finally believes", "they were concerned"), a pledge ("said it would increase
    oversight", "said the government was committed to"), an obligation ("should rise", "the need to avoid
    conflict"), a non-answer ("had not been determined", "was too early to tell"), a rejecting predicate
    ("the claims are unfounded") or an epistemic opener ("Perhaps ..."). None when the clause states a plain
    fact."""
    root = _opening_clause(item, doc)
    if root is None:
        return None
    opener = next((t for t in doc.char_span(item.content_start, item.content_end, alignment_mode="expand")
                   if not t.is_punct), None)
    if opener is not None and opener.lower_ in OPENERS and opener.dep_ == "advmod":
        return OPENERS[opener.lower_]
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    owner = subject if subject is not None or root.pos_ != "NOUN" else next(
        (c for c in root.children if c.dep_ == "poss"), None)  # "declared their support"
    own = _speaks_for_itself(owner, item)
    negated = any(c.dep_ == "neg" for c in root.children)
    passive = any(c.dep_ == "auxpass" for c in root.children)
    auxiliaries = {c.lower_ for c in root.children if c.dep_ == "aux"}
    conditional = any(c.dep_ == "advcl" and any(m.lower_ == "if" for m in c.children) for c in root.children)
    speech = _verb_classes().get(root.lemma_.lower()) == "speech"
    predicates = [root] + [c for c in root.children if c.dep_ in ("acomp", "attr", "xcomp", "oprd")]
    lemmas = {t.lemma_.lower() for t in predicates} | {t.lower_ for t in predicates}
    if lemmas & REJECTING_PREDICATES and root.lemma_ == "be" and not negated:
        return "deny"
    if (negated and root.lemma_.lower() in UNANSWERED and passive) or (own and negated and "aware" in lemmas) or \
            _too_early(root):
        return "unconfirmed"
    if own and lemmas & ATTITUDES:
        return "opinion"
    if lemmas & COMMITMENTS and not negated and (own or _acts(subject, item)):
        return "commit"  # "said the government was committed to the railway"
    lexical = "opinion" if _names_as(root) else \
        _verb_classes().get(root.lemma_.lower()) or EXTRA_ATTITUDE_VERBS.get(root.lemma_.lower())
    if own and negated and (lexical in ("commit", "confirm") or root.lemma_.lower() in NEGATED_SPEECH):
        return "unconfirmed"  # "said she could not guarantee that", "said he would not explain why"
    if own and not passive and lexical == "directive" and auxiliaries & FUTURE and not negated:
        return "commit"  # "said she would ask the minister to appear": a pledge to make the appeal
    if own and not passive and lexical in ("opinion", "directive", "commit"):
        return lexical  # "said he finally believes", "they support": the speaker's own attitude
    if conditional or speech or auxiliaries & HEDGING_MODALS:
        return None
    if auxiliaries & OBLIGATION or (root.lemma_ == "need" and (root.pos_ == "NOUN" or any(
            c.dep_ == "xcomp" for c in root.children))) or _time_to(root):
        return "directive"
    if auxiliaries & FUTURE and "have" not in auxiliaries and not negated and root.pos_ == "VERB" and \
            root.lemma_.lower() not in STATIVE and _acts(subject, item):
        return "commit"
    return None


def _names_as(verb: Token | None) -> bool:
    """'I call it the bridge that saved the town', 'has been called a fraud': calling something a name is a
    judgement, not an appeal ('called on the mayor to resign')."""
    return verb is not None and verb.lemma_.lower() == "call" and \
        any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children) and \
        any(c.dep_ in ("oprd", "attr") for c in verb.children)


def _speaks_for_itself(owner: Token | None, item: Found) -> bool:
    """Whether the clause's subject (or a noun's possessor: "our assumption") is the speaker: a first-person
    pronoun in a quote; in reported speech any personal pronoun, "it" when the speaker is a body, or a body
    noun the speaker's own title names ("the campaign expects", told by the campaign manager)."""
    if owner is None:
        return False
    if owner.dep_ != "poss" and owner.pos_ != "PRON":
        possessor = next((c for c in owner.children if c.dep_ == "poss"), None)
        if possessor is not None and owner.lemma_.lower() in ATTITUDES:
            return _speaks_for_itself(possessor, item)
    word = {"our": "we", "my": "i", "his": "he", "her": "she", "their": "they", "its": "it"}.get(owner.lower_,
                                                                                              owner.lower_)
    if item.direct:
        return word in FIRST_PERSON
    if word in PERSONAL:
        return True
    if word == "it":
        return _is_body(item.speaker)
    return owner.pos_ != "PRON" and item.speaker is not None and owner.lemma_.lower() in BODIES and \
        owner.lower_ in item.speaker.text.lower()


def _is_body(speaker) -> bool:
    return speaker is not None and (speaker.root.ent_type_ in ("ORG", "GPE", "NORP")
                                    or speaker.root.lemma_.lower() in BODIES)


def _acts(subject: Token | None, item: Found) -> bool:
    """Whether the subject of a future is the speaker or what the speaker acts for, so that the future is a
    pledge: "we" in a quote (a quoted "the board will see" or "I would answer" is a plan or a habit); in
    reported speech a person's pronoun, "it" when the speaker is a body ("the bank said it would drop the
    fees"; "she said it would take hours" pledges nothing), or a body a person speaks for ("the minister
    said the government would"; a newspaper saying "the board would" reports, it does not pledge)."""
    if subject is None:
        return False
    if item.direct:
        return subject.lower_ in FIRST_PERSON
    if subject.lower_ == "it":
        return _is_body(item.speaker)
    if subject.pos_ == "PRON":
        return subject.lower_ in PERSONAL
    return (subject.ent_type_ in ("ORG", "GPE", "NORP") or subject.lemma_.lower() in BODIES) and \
        item.speaker is not None and not _is_body(item.speaker)


def _too_early(root: Token) -> bool:
    """'it was too early to tell whether ...'"""
    return root.lemma_ == "be" and any(c.dep_ == "acomp" and c.lower_ == "early" and any(
        g.lower_ == "too" for g in c.children) for c in root.children)


def _time_to(root: Token) -> bool:
    """'it was time to end the sanctions'"""
    return root.lemma_ == "be" and any(c.dep_ == "attr" and c.lower_ == "time" for c in root.children)


@lru_cache(maxsize=1)
def _verb_classes() -> dict[str, str]:
    """Cue verbs by class: their own class for lexical cues ("believe" opinion), "speech" for neutral ones;
    verbs that take their class only from a frame ("see X as Y") are left out."""
    return {lemma: cue.stance if cue.frame == "lexical" else cue.frame for (lemma, pos), cue in load_lexicon().items()
            if pos == "VERB" and cue.frame in ("lexical", "speech")}


DOCUMENTS = {"statement", "report", "letter", "document", "video", "footage", "post", "release", "filing", "memo",
             "study", "record", "message", "note", "ruling", "tweet", "email"}
OPENERS = {"perhaps": "hedge", "maybe": "hedge", "possibly": "hedge", "hopefully": "opinion"}
OBLIGATION = {"should", "must", "ought"}
HEDGING_MODALS = {"may", "might", "could"}
FIRST_PERSON = {"i", "we"}
PERSONAL = {"i", "we", "he", "she", "they"}
FUTURE = {"will", "would", "shall", "'ll", "’ll", "wo"}
STATIVE = {"be", "have", "become", "remain", "happen", "seem", "appear", "need", "win", "lose", "fail"}
BODIES = {"company", "government", "administration", "campaign", "agency", "firm", "party", "council", "ministry",
          "department", "group", "member", "country", "automaker", "bank", "board", "committee", "court", "union"}
EXTRA_ATTITUDE_VERBS = {"support": "opinion", "back": "opinion", "disagree": "opinion"}
ATTITUDES = {"concerned", "worried", "troubled", "optimistic", "pessimistic", "delighted", "pleased", "happy",
             "confident", "hopeful", "disappointed", "opposed", "proud", "sad", "saddened", "angry", "upset",
             "convinced", "glad", "thrilled", "encouraged", "alarmed", "shocked", "satisfied", "assumption", "view",
             "support", "opposition", "belief", "hope", "fear", "expectation"}
COMMITMENTS = {"committed", "determined"}
REJECTING_PREDICATES = {"false", "untrue", "baseless", "groundless", "unfounded", "fabricated", "fabrication",
                        "invention", "lie", "nonsense", "fiction", "hoax", "inaccurate", "incorrect", "wrong"}
UNANSWERED = {"determine", "confirm", "establish", "verify", "identify", "decide", "disclose", "release", "know"}


def negates(item: Found, doc: Doc) -> bool:
    """Whether a neutral cue's quoted content opens with a negated statement of fact ('"My client did not
    steal"', '"There was no meeting"'): a denial when it answers another party's report. A negated modal,
    belief or perception ("We cannot have", "I don't think", "I don't see") rejects nothing."""
    if item.cue.frame != "speech" or not item.direct:
        return False  # paraphrase negates far more often than it rebuts: on real news it was wrong every time
    root = _opening_clause(item, doc)
    if root is None or root.lemma_.lower() in COGNITION or _clause_stance(item, doc) in ("opinion", "directive",
                                                                                         "unconfirmed", "hedge"):
        return False
    if any((c.dep_ == "aux" and c.lower_ in MODALS) or (c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"))
           for c in root.children):
        return False  # "We cannot have ...", "If it doesn't have the capability ..."
    negation = next((c for c in root.children if c.dep_ == "neg" or c.lower_ == "never"), None)
    if negation is not None:
        return not (negation.i + 1 < len(doc) and doc[negation.i + 1].lower_ in ("just", "only", "merely", "simply"))
    return any(c.dep_ in ("attr", "dobj", "nsubj") and any(g.lower_ == "no" and g.dep_ == "det" for g in c.children)
               for c in root.children)


COGNITION = {"think", "see", "know", "believe", "expect", "want", "understand", "remember", "recall", "mean", "hear"}
MODALS = {"can", "could", "ca", "may", "might", "must", "should"}


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
    """Content words of a stretch, with demonyms mapped to countries so 'Japanese' meets 'Japan'. Nouns that
    name a report ('the group's claims') are left out: `points_at_report` reads them; so are dates, since
    'next year' in two statements does not make them one proposition."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return set()
    return {country_of(token.text) or token.lemma_.lower() for token in span if _content_word(token)
            and token.lemma_.lower() not in STANCE_WORDS and not _names_report(token)
            and token.ent_type_ != "DATE"}


def points_at_report(doc: Doc, start: int, end: int) -> bool:
    """Whether a stretch names a report ('dismissed the group's claims'): such an answer points back at what
    was reported rather than stating a proposition of its own."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(_content_word(token) and _names_report(token) for token in span)


def _content_word(token) -> bool:
    return not (token.is_stop or token.is_punct) and token.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM")


def _names_report(token) -> bool:
    return token.pos_ == "NOUN" and token.lemma_.lower() in REPORT_NOUNS


STANCE_WORDS = {"confirm", "deny", "report", "comment", "unable", "say", "truth", "aware", "claim", "know",
                "information", "true", "false", "reports", "situation", "have", "be", "make", "request", "question",
                "allegation", "story", "matter", "rumour", "rumor", "speculation", "detail", "inquiry"}
REPORT_NOUNS = {"claim", "report", "allegation", "accusation", "story", "rumour", "rumor", "speculation", "assertion"}
def speaker_terms(name: str | None) -> set[str]:
    """The distinctive words of a speaker's name: people answer claims about themselves ('Brisk's office
    declined to comment' answers the report that Brisk will resign)."""
    words = set(re.findall(r"[^\W\d_]+", (name or "").lower()))
    return {w for w in words if len(w) > 2 and w not in GENERIC_NAME_WORDS}


GENERIC_NAME_WORDS = {"the", "and", "for", "office", "ministry", "department", "spokesman", "spokeswoman", "official",
                      "officials", "source", "sources", "anonymous", "senior", "government", "company", "group",
                      "agency", "news", "daily", "unnamed", "close", "familiar", "who", "with", "people", "said"}


def link_answers(stances: list[str], terms: list[set[str]], lineages: list[set[str]], negations: list[bool],
                 speakers: list[set[str]] | None = None, points_back: list[bool] | None = None) -> list[int | None]:
    """For each deny/confirm/unconfirmed, the index of the report it answers: the earlier one whose content or
    source shares the most words with the answer's content, the answerer's name counting among them where
    the report's content names it, since people answer claims about themselves ("Orchard Lane does not
    comment on market speculation" answers what was said of Orchard Lane's board; a bare answer has only its
    name). Rarer words weigh more, the earliest wins a tie; two speakers' names alone link nothing. An
    answer with words of its own that no report shares clearly (`CLEAR_SHARE`) answers something the article
    does not report, and links to nothing; a bare answer with no such report, or one that points at 'the
    group's claims', answers the latest earlier report's first source. A refusal with words of its own that
    the speaker's own earlier report shares at least as much as anyone else's goes on from that account and
    links to nothing; a denial stating its own point links on shared content alone, not on its speaker's name
    in the report. A denial or a refusal sharing two content words or more may instead answer a later report
    (a lead that opens with it; "too early to tell whether a bomb caused it" before "a bomb went off"). A negated
    statement that shares content words with another party's earlier factual report (`REBUTTABLE`) denies it,
    unless the speaker's own earlier report shares as much (it goes on from that account): `stances` is updated
    in place. Reports are sought among the `ANSWER_WINDOW` attributions on either side. `terms`: each
    attribution's content words; `speakers`: its speaker's name words (`speaker_terms`); `points_back`:
    whether its content names a report (`points_at_report`)."""
    speakers = speakers or [set() for _ in terms]
    points_back = points_back or [False] * len(terms)
    split = list(zip(terms, speakers))
    document_frequency: dict[str, int] = {}
    for content, speaker in split:
        for word in content | speaker:
            document_frequency[word] = document_frequency.get(word, 0) + 1

    def shared_words(answer: int, report: int) -> set[str]:
        content, speaker = split[answer]
        named = speaker & split[report][0]
        return content & (split[report][0] | split[report][1]) | named if content else named

    def shared(answer: int, report: int) -> float:
        return sum(1.0 / document_frequency[w] for w in shared_words(answer, report))

    def shared_content(negated: int, report: int) -> float:
        return sum(1.0 / document_frequency[w] for w in split[negated][0] & split[report][0])

    def others_reports(answer: int, indices: range) -> list[int]:
        return [j for j in indices if stances[j] not in ANSWERS and not (lineages[j] & lineages[answer])]

    def links_to(answer: int, score: float) -> bool:
        return score >= CLEAR_SHARE if split[answer][0] else score > 0

    def off_point(denial: int, report: int) -> bool:
        """Whether a denial with words of its own shares too few of them with the report, its name aside:
        "denied it was under investigation" does not answer "the ministry was warned about Halvorsen's
        figures" because the report names Halvorsen."""
        return bool(split[denial][0]) and shared_content(denial, report) < CLEAR_SHARE

    def own_reports(answer: int, indices: range) -> list[int]:
        return [j for j in indices if stances[j] not in ANSWERS and lineages[j] & lineages[answer]]

    links: list[int | None] = []
    for i, stance in enumerate(stances):
        before = range(max(0, i - ANSWER_WINDOW), i)
        reports = others_reports(i, before)
        if stance not in ANSWERS and negations[i]:
            rebutted = max(((shared_content(i, j), -j) for j in reports if stances[j] in REBUTTABLE),
                           default=(0, None))
            own_account = max((shared_content(i, j) for j in own_reports(i, before)), default=0)
            if rebutted[0] >= CLEAR_SHARE and rebutted[0] > own_account:
                stances[i] = "deny"
                links.append(-rebutted[1])
                continue
        if stances[i] not in ANSWERS:
            links.append(None)
            continue
        best = max(((shared(i, j), -j) for j in reports), default=(0, None))  # ties: the earliest, the lede
        own_best = max((shared(i, j) for j in own_reports(i, before)), default=0)
        if stance == "unconfirmed" and split[i][0] and 0 < best[0] <= own_best:
            links.append(None)  # "the cause has not been determined" goes on from the speaker's own account
            continue
        if links_to(i, best[0]) and not (stance == "deny" and off_point(i, -best[1])):
            links.append(-best[1])
            continue
        following = range(i + 1, min(len(stances), i + 1 + ANSWER_WINDOW)) if stance in REACHES_FORWARD else range(0)
        later = [(shared(i, j), j) for j in others_reports(i, following)
                 if len(shared_words(i, j)) >= REACHES_FORWARD[stance]]
        best_later = max(later, default=(0, None), key=lambda pair: (pair[0], -pair[1]))
        if links_to(i, best_later[0]):
            links.append(best_later[1])  # a lead that opens with the denial, then tells what was reported
            continue
        if split[i][0] and not points_back[i] or not reports:
            links.append(None)  # "denied that he took gifts" answers nothing this article reports
            continue
        links.append(_first_of_latest_line(reports, lineages))
    return links


REBUTTABLE = ("assert", "hedge", "allege")  # a negated statement rejects what was reported as fact, not another's
                                          # opinion, appeal or pledge ("He's not about that" after a jibe)
CLEAR_SHARE = 0.34  # weighted words an answer stating its own point must share with a report: one word that
                   # three or more attributions use is the article's topic, not a link
REACHES_FORWARD = {"deny": 2, "unconfirmed": 2}  # answers that may precede their report, and the content words
                                                # they must share with it: a refusal's one shared word is chance


def _first_of_latest_line(reports: list[int], lineages: list[set[str]]) -> int:
    """The first report of the line of reporting the latest report belongs to (parties linked through chains)."""
    parties = set(lineages[reports[-1]])
    grown = True
    while grown:
        before = len(parties)
        for j in reports:
            if lineages[j] & parties:
                parties |= lineages[j]
        grown = len(parties) > before
    return min(j for j in reports if lineages[j] & parties)
