"""The stance an article takes toward a claim: states it, reports it unverified, rejects it, only mentions it,
or does not touch it.

Given a claim (a sentence, such as a headline or a cross-article claim's summary) and one article's onrecord
`Analysis`, `ArticleStanceModel.predict` returns one of five stances with a score:

- ``states``: the article states the claim as fact, in its own voice or through sources it does not question;
- ``unverified``: it reports the claim as unverified: attributed to someone ("according to ...", "X reported"),
  hedged ("reportedly", "allegedly", "may") or awaiting confirmation;
- ``rejects``: it reports a denial it endorses, or debunks the claim (a hoax, fake, false, not true);
- ``mentions``: it touches the claim without taking it up (reports around it, neither hedged nor stated);
- ``unrelated``: it does not touch the claim.

How. The article's sentences (split within its paragraphs) are the candidates of onrecord's claim matcher
(`corpus.matching`: BM25, the numpy MiniLM encoder, the shipped pair scorer), which finds the sentences that
touch the claim and how closely. Features then describe (1) how related the article is (best and top-three
matcher scores and cosines, how much of the claim's words, names and numbers the article holds), and (2) how
the touching sentences and the article as a whole treat it: the stances of onrecord's attributions there
(deny, confirm, unconfirmed, hedge, allege, assert, opinion), weighted by how much of the claim their content
holds, the status of the article's rolled-up claims (denied, disputed, unconfirmed...), who speaks (outlets,
anonymous sources, chains of custody), refuting, hedging and confirming words, negation on either side, and
a small learned vocabulary of the touching sentences, and an embedding layer (a logistic regression over the
touching sentences' and the article's MiniLM vectors) giving its agree / disagree / discuss probabilities.
Three averaged gradient-boosted tree ensembles (numpy; trees, vocabulary and layer in
``models/article_stance.json``, trained by ``scripts/train_article_stance.py`` on FNC-1 train with a fifth of
the bodies held out as dev, whole claim groups at a time) map the features to FNC-1's four labels; per-class
offsets tuned on dev set the decision. FNC-1 test (run once): FNC score 0.853, macro-F1 0.609 (agree 0.590,
disagree 0.073, discuss 0.783, unrelated 0.990); a denial is the stance it finds worst.

Mapping to FNC-1 (agree / disagree / discuss / unrelated), which the head is trained on:

    states     -> agree       the body agrees with the headline
    rejects    -> disagree    the body disagrees with it
    unverified -> discuss     the body discusses it without taking a position: attributed or hedged
    mentions   -> discuss     FNC-1 does not separate these; both are "discuss"
    unrelated  -> unrelated

A "discuss" decision becomes ``unverified`` when the touching sentences carry attributions or hedging
(reporting the claim on someone's word), else ``mentions``. Relation to the spec's status rule: ``states``
makes the article an originator (an outlet stating the claim in its own voice, asserted), ``unverified``
reports it on someone else's word (single_source/unconfirmed), ``rejects`` counts as a denial
(denied/disputed), ``mentions`` and ``unrelated`` add nothing.

Edge cases: an empty (or whitespace) claim raises ValueError; an article with no text is ``unrelated`` with
score 1.0. Without the MiniLM package the model still runs, with cosine features at 0 (less accurate; the
shipped head was trained with embeddings).
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..records import (
    Analysis,
    Article,
    Attribution,
    ChainLink,
    Claim,
    Credit,
    Entity,
    Offsets,
    Published,
    Removed,
    Speaker,
    TextSpan,
    TimeExpression,
)
from .matching import (
    CandidateIndex,
    ClaimMatcher,
    LinearScorer,
    names,
    numbers,
    pair_features,
    terms,
)

WEIGHTS_PATH = Path(__file__).resolve().parent.parent / "models" / "article_stance.json"
STANCES = ("states", "unverified", "rejects", "mentions", "unrelated")
HEAD_LABELS = ("agree", "disagree", "discuss", "unrelated")
FNC_LABEL = {"states": "agree", "unverified": "discuss", "mentions": "discuss", "rejects": "disagree",
             "unrelated": "unrelated"}
ATTRIBUTION_STANCES = ("assert", "hedge", "allege", "deny", "confirm", "unconfirmed", "opinion", "directive",
                       "commit")
CLAIM_STATUSES = ("asserted", "single_source", "corroborated", "confirmed", "unconfirmed", "denied", "disputed")
SPEAKER_TYPES = ("person", "organization", "outlet", "anonymous", "unnamed_official", "document", "unknown")
TOUCHING = 3  # sentences taken as the ones that touch the claim

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")

WORD_LISTS = {
    "refute": """fake fraud hoax hoaxes false falsely deny denies denied denial not despite nope doubt doubts bogus
        debunk debunked debunks prank pranks retract retracted untrue misleading baseless unfounded fabricated
        fabrication rumour rumor myth satire satirical spoof parody lie lies lying wrong incorrect never fiction
        fictional photoshopped doctored dismissed dismiss rejects rejected refuted refute disputed dispute""",
    "hedge": """reportedly allegedly alleged claim claims claimed claiming rumour rumours rumor rumors unconfirmed
        unverified apparently purportedly supposedly may might could possibly possible perhaps suggest suggests
        suggested appears appear appeared seems seem seemed believed thought speculation speculate speculated
        report reports reported reporting according unclear whether if""",
    "confirm": """confirmed confirms confirm officially official announced announces revealed reveals indeed
        actually true real verified proves proved proof evidence footage video photos statement""",
    "negation": """not no never n't nothing none nobody neither nor without cannot""",
}
WORD_SETS = {name: frozenset(words.split()) for name, words in WORD_LISTS.items()}


@dataclass
class ArticleStance:
    """An article's stance toward a claim, with the head's score for it, its FNC-1 label, the class
    probabilities and the sentences that touch the claim (best first)."""
    stance: str
    score: float
    fnc_label: str
    probabilities: dict[str, float] = field(default_factory=dict)
    evidence: list[TextSpan] = field(default_factory=list)


def analysis_from_dict(data: dict) -> Analysis:
    """An Analysis rebuilt from its JSON (`Analysis.to_dict()`, as the corpus store keeps it)."""
    a = dict(data["article"])
    article = Article(
        title=a.get("title"), text=a["text"], paragraphs=[Offsets(**p) for p in a.get("paragraphs", [])],
        published=Published(**(a.get("published") or {})), outlet=a.get("outlet"), byline=a.get("byline"),
        wire=a.get("wire"), credits=[Credit(**c) for c in a.get("credits", [])], dateline=a.get("dateline"),
        language=a.get("language"), removed=[Removed(**r) for r in a.get("removed", [])],
        times=[TimeExpression(**t) for t in a.get("times", [])], source=a.get("source"),
        format=a.get("format", "text"))
    entities = [Entity(**{**e, "mentions": [Offsets(**m) for m in e.get("mentions", [])]})
                for e in data.get("entities", [])]
    attributions = []
    for item in data.get("attributions", []):
        speaker = dict(item["speaker"])
        mention = speaker.get("mention")
        speaker["mention"] = TextSpan(**mention) if mention else None
        attributions.append(Attribution(
            **{**item, "cue": TextSpan(**item["cue"]), "speaker": Speaker(**speaker),
               "chain": [ChainLink(**link) for link in item.get("chain", [])],
               "content": TextSpan(**item["content"])}))
    claims = [Claim(**c) for c in data.get("claims", [])]
    return Analysis(article=article, entities=entities, attributions=attributions, claims=claims,
                    warnings=list(data.get("warnings", [])), schema=data.get("schema", Analysis.schema))


def split_sentences(article: Article) -> list[TextSpan]:
    """The article's sentences, within its paragraphs (or its lines when it has none), as spans of its text."""
    text = article.text
    blocks = [(p.start, p.end) for p in article.paragraphs] or \
        [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    spans = []
    for start, end in blocks:
        cursor = start
        block = text[start:end]
        for match in _SENTENCE_END.finditer(block):
            spans.append((cursor, start + match.start()))
            cursor = start + match.end()
        spans.append((cursor, end))
    out = []
    for start, end in spans:
        piece = text[start:end]
        stripped = piece.strip()
        if len(stripped) < 2:
            continue
        lead = len(piece) - len(piece.lstrip())
        out.append(TextSpan(stripped, start + lead, start + lead + len(stripped)))
    return out


def vocabulary_features(touched: set[str], claimed: set[str], vocabulary: Sequence[str]) -> dict[str, float]:
    """Which words of the learned vocabulary the touching sentences (w_) and the claim (c_) hold."""
    f = {f"w_{w}": float(w in touched) for w in vocabulary}
    f.update({f"c_{w}": float(w in claimed) for w in vocabulary})
    return f


def embedding_input(claim_vector: np.ndarray, vectors: np.ndarray, touching: Sequence[int]) -> np.ndarray:
    """What the embedding layer of the head reads: the touching sentences' mean vector, the whole article's
    mean vector and the touching vector times the claim's, one row."""
    touch = _unit(vectors[list(touching)].mean(0))
    return np.concatenate([touch, _unit(vectors.mean(0)), touch * claim_vector * 10.0])


def embedding_probabilities(layer: dict, rows: np.ndarray) -> np.ndarray:
    """The embedding layer's probabilities of agree / disagree / discuss (a multinomial logistic regression)."""
    return softmax(rows @ np.asarray(layer["weights"]) + np.asarray(layer["bias"]))


def _negated_terms(words: Sequence[str], claim_terms: set[str], window: int = 4) -> int:
    """How many of the claim's words a sentence holds within `window` words after a negation or a refuting
    word ("was not the wife", "denied that he had resigned")."""
    found = 0
    last = -window - 1
    for position, word in enumerate(words):
        if word in WORD_SETS["negation"] or word.endswith("n't") or word in WORD_SETS["refute"]:
            last = position
        elif position - last <= window and word in claim_terms:
            found += 1
    return found


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _word_counts(words: Sequence[str]) -> dict[str, float]:
    """How many words of each list the text holds, per 100 words, and whether it holds any."""
    total = max(len(words), 1)
    out = {}
    for name, vocabulary in WORD_SETS.items():
        found = sum(w in vocabulary or (name == "negation" and w.endswith("n't")) for w in words)
        out[name] = 100.0 * found / total
        out[name + "_any"] = float(found > 0)
    return out


@dataclass
class PreparedArticle:
    """An article made ready for scoring many claims against it (`ArticleStanceModel.prepare`)."""
    analysis: Analysis
    sentences: list[TextSpan]
    index: CandidateIndex
    vectors: np.ndarray | None
    terms: set[str]
    names: set[str]
    numbers: set[str]
    words: list[str]
    sentence_words: list[list[str]]
    attribution_terms: list[set[str]]
    claim_terms: list[set[str]]
    sentence_counts: dict[str, np.ndarray] = field(default_factory=dict)


class ArticleStanceModel:
    """The claim matcher, a vocabulary and a boosted-tree head: claim + article analysis -> stance."""

    def __init__(self, matcher: ClaimMatcher, head: dict | None = None):
        self.matcher = matcher
        self.head = head
        self.vocabulary = tuple(head["vocabulary"]) if head else ()
        self._trees = [[{k: np.asarray(v) for k, v in tree.items()} for tree in round_]
                       for round_ in head["trees"]] if head else []

    @classmethod
    def load(cls, weights_path: Path = WEIGHTS_PATH, embeddings: bool = True,
             matcher: ClaimMatcher | None = None) -> ArticleStanceModel:
        """The shipped model: the claim matcher (with MiniLM when installed and `embeddings`) and the head."""
        head = json.loads(Path(weights_path).read_text(encoding="utf-8"))
        return cls(matcher or ClaimMatcher.load(embeddings=embeddings), head)

    @property
    def encoder(self):
        return self.matcher.encoder

    # --------------------------------------------------------------------------------------- features

    def prepare(self, analysis: Analysis, sentence_vectors: np.ndarray | None = None) -> PreparedArticle:
        """What the features need of an article, computed once for any number of claims: its sentences,
        their matcher index and vectors (given when computed before, else encoded when MiniLM is installed)."""
        sentences = split_sentences(analysis.article)
        if sentence_vectors is None and self.matcher.encoder is not None and sentences:
            sentence_vectors = self.matcher.encoder.encode([s.text for s in sentences])
        index = CandidateIndex([(str(i), s.text) for i, s in enumerate(sentences)], None,
                               (sentence_vectors, sentence_vectors) if sentence_vectors is not None else None,
                               self.matcher.k1, self.matcher.b)
        text = analysis.article.text
        sentence_words = [_words(s.text) for s in sentences]
        counts = [_word_counts(words) for words in sentence_words]
        return PreparedArticle(analysis, sentences, index, sentence_vectors, set(terms(text)), names(text),
                               numbers(text), _words(text), sentence_words,
                               [set(terms(a.content.text)) for a in analysis.attributions],
                               [set(terms(c.summary)) for c in analysis.claims],
                               {name: np.array([c[name] for c in counts]) for name in WORD_SETS})

    def features(self, claim: str, article: Analysis | PreparedArticle, claim_vector: np.ndarray | None = None
                 ) -> tuple[dict[str, float], list[int], np.ndarray]:
        """The pair's named features, the indexes of the sentences touching the claim (best first) and
        every sentence's matcher score. `article` may be prepared before (`prepare`) for many claims."""
        if not claim or not claim.strip():
            raise ValueError("the claim is empty")
        prepared = article if isinstance(article, PreparedArticle) else self.prepare(article)
        analysis, sentences = prepared.analysis, prepared.sentences
        f: dict[str, float] = {}
        if not sentences:
            return f, [], np.zeros(0)
        sentence_vectors = prepared.vectors
        if claim_vector is None and sentence_vectors is not None and self.matcher.encoder is not None:
            claim_vector = self.matcher.encoder.encode([claim])[0]
        use_vectors = sentence_vectors is not None and claim_vector is not None
        index = prepared.index
        positions, pair = pair_features(claim, index, claim_vector if use_vectors else None, len(sentences))
        scorer: LinearScorer = self.matcher.scorer
        if all(name in pair for name in scorer.features):
            matched = scorer.score(pair)
        else:
            matched = pair["bm25"]
        scores = np.full(len(sentences), matched.min() if len(matched) else 0.0)
        scores[positions] = matched
        order = [int(i) for i in np.argsort(-scores, kind="stable")]
        touching = order[:TOUCHING]
        cosines = sentence_vectors @ claim_vector if use_vectors else np.zeros(len(sentences))
        top = np.sort(scores)[::-1]
        top_cos = np.sort(cosines)[::-1]
        f["match_max"] = float(top[0])
        f["match_top3"] = float(top[:3].mean())
        f["match_gap"] = float(top[0] - top[1]) if len(top) > 1 else 0.0
        f["match_first"] = float(scores[0])
        f["match_position"] = order[0] / max(len(sentences), 1)
        f["cos_max"] = float(top_cos[0])
        f["cos_top3"] = float(top_cos[:3].mean())
        f["cos_mean"] = float(cosines.mean())
        f["cos_first"] = float(cosines[0])
        f["cos_body"] = float(_unit(sentence_vectors.mean(0)) @ claim_vector) if use_vectors else 0.0
        f["cos_lead"] = float(_unit(sentence_vectors[:3].mean(0)) @ claim_vector) if use_vectors else 0.0
        by_position = {int(p): i for i, p in enumerate(positions)}
        best = by_position.get(order[0])
        for name in ("query_word_share", "word_share", "name_share", "shared_names", "bm25"):
            f[f"best_{name}"] = float(pair[name][best]) if best is not None else 0.0
        claim_terms, claim_names, claim_numbers = set(terms(claim)), names(claim), numbers(claim)
        body_terms, body_names, body_numbers = prepared.terms, prepared.names, prepared.numbers
        f["claim_terms_in_body"] = len(claim_terms & body_terms) / max(len(claim_terms), 1)
        f["claim_names_in_body"] = len(claim_names & body_names) / max(len(claim_names), 1)
        f["claim_has_names"] = float(bool(claim_names))
        f["claim_numbers_in_body"] = len(claim_numbers & body_numbers) / len(claim_numbers) if claim_numbers else -1.0
        lead_terms = set(terms(" ".join(s.text for s in sentences[:3])))
        f["claim_terms_in_lead"] = len(claim_terms & lead_terms) / max(len(claim_terms), 1)
        f["sentences"] = math.log1p(len(sentences))
        f["claim_words"] = math.log1p(len(claim_terms))

        # the claim's own wording
        claim_words = _words(claim)
        for name, value in _word_counts(claim_words).items():
            f[f"claim_{name}"] = value
        f["claim_question"] = float("?" in claim)
        f["claim_quote"] = float(bool(re.search(r"[\"“”‘’']", claim)))
        # the touching sentences' and the whole body's wording
        touch_words = [w for i in touching for w in prepared.sentence_words[i]]
        body_words = prepared.words
        for scope, words in (("touch", touch_words), ("body", body_words)):
            for name, value in _word_counts(words).items():
                f[f"{scope}_{name}"] = value
        f["touch_question"] = float(any("?" in sentences[i].text for i in touching))
        # the best-matching sentence alone, and every sentence's words weighted by how closely it matches
        for name, value in _word_counts(prepared.sentence_words[touching[0]]).items():
            f[f"top_{name}"] = value
        negated = np.array([_negated_terms(words, claim_terms) for words in prepared.sentence_words])
        f["top_negated_claim"] = float(negated[touching[0]])
        f["touch_negated_claim"] = float(negated[touching].sum())
        f["body_negated_claim"] = float(negated.sum())
        closeness = np.exp((scores - scores.max()) / 2.0)
        closeness /= closeness.sum()
        for name in WORD_SETS:
            f[f"near_{name}"] = float(closeness @ prepared.sentence_counts[name])
        claim_negated = f["claim_negation_any"]
        f["polarity_mismatch"] = float(claim_negated != f["touch_negation_any"])

        # onrecord's attributions: where they sit, what stance, whose word, how much of the claim they hold
        attributions = analysis.attributions
        spans = [(sentences[i].start, sentences[i].end) for i in touching]
        weights = {s: 0.0 for s in ATTRIBUTION_STANCES}
        near = {s: 0.0 for s in ATTRIBUTION_STANCES}
        counts = {s: 0 for s in ATTRIBUTION_STANCES}
        speakers = {s: 0.0 for s in SPEAKER_TYPES}
        chains = answered = 0.0
        best_content = 0.0
        top_stances: dict[str, float] = {}
        for a, content_terms in zip(attributions, prepared.attribution_terms):
            counts[a.stance] = counts.get(a.stance, 0) + 1
            share = len(claim_terms & content_terms) / max(len(claim_terms), 1)
            best_content = max(best_content, share)
            weights[a.stance] = weights.get(a.stance, 0.0) + share
            inside = any(start <= a.cue.start < end or start <= a.content.start < end for start, end in spans)
            top = sentences[touching[0]]
            if top.start <= a.cue.start < top.end or top.start <= a.content.start < top.end:
                top_stances[a.stance] = 1.0
            if inside:
                near[a.stance] = near.get(a.stance, 0.0) + 1
                speakers[a.speaker.type] = speakers.get(a.speaker.type, 0.0) + 1
                chains += float(len(a.chain) > 1)
                answered += float(a.addresses is not None)
        total = max(len(attributions), 1)
        for s in ATTRIBUTION_STANCES:
            f[f"att_share_{s}"] = counts.get(s, 0) / total
            f[f"att_claim_{s}"] = weights.get(s, 0.0)
            f[f"att_touch_{s}"] = near.get(s, 0.0)
            f[f"att_top_{s}"] = top_stances.get(s, 0.0)
        for s in SPEAKER_TYPES:
            f[f"speaker_touch_{s}"] = speakers.get(s, 0.0)
        f["att_count"] = math.log1p(len(attributions))
        f["att_per_sentence"] = len(attributions) / len(sentences)
        f["att_touch_chains"] = chains
        f["att_touch_answers"] = answered
        f["att_best_content"] = best_content
        f["att_touch_any"] = float(sum(near.values()) > 0)
        f["att_top_any"] = float(bool(top_stances))
        # the article's rolled-up claims that share the claim's words
        statuses = {s: 0.0 for s in CLAIM_STATUSES}
        for c, summary_terms in zip(analysis.claims, prepared.claim_terms):
            share = len(claim_terms & summary_terms) / max(len(claim_terms), 1)
            statuses[c.status] = max(statuses.get(c.status, 0.0), share)
        for s in CLAIM_STATUSES:
            f[f"claim_status_{s}"] = statuses.get(s, 0.0)
        # the learned vocabulary over the touching sentences and the claim
        if self.vocabulary:
            f.update(vocabulary_features(set(touch_words), set(claim_words), self.vocabulary))
        layer = self.head.get("embedding_layer") if self.head else None
        if layer and use_vectors:
            p = embedding_probabilities(layer, embedding_input(claim_vector, sentence_vectors, touching)[None])[0]
            for label, value in zip(("agree", "disagree", "discuss"), p):
                f[f"emb_{label}"] = float(value)
        return f, touching, scores

    # ---------------------------------------------------------------------------------------- the head

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        """The head's probability of each FNC-1 label."""
        return self.probabilities_many([features])[0]

    def probabilities_many(self, rows: Sequence[dict[str, float]]) -> list[dict[str, float]]:
        """`probabilities` for many feature dicts at once (the trees walked once for all rows)."""
        if self.head is None:
            raise ValueError("the article stance model has no head: load it with ArticleStanceModel.load()")
        names_ = self.head["features"]
        x = np.array([[f.get(name, 0.0) for name in names_] for f in rows], dtype=np.float64).reshape(len(rows), -1)
        margins = predict_margins(self._trees, x, self.head["base"], len(HEAD_LABELS))
        return [dict(zip(HEAD_LABELS, p)) for p in softmax(margins).tolist()]

    def decide(self, probabilities: dict[str, float]) -> str:
        """The FNC-1 label: highest probability after the per-class offsets tuned on dev."""
        offsets = self.head.get("offsets", [0.0] * len(HEAD_LABELS))
        values = [math.log(max(probabilities[label], 1e-12)) + offsets[i] for i, label in enumerate(HEAD_LABELS)]
        return HEAD_LABELS[int(np.argmax(values))]

    def predict(self, claim: str, analysis: Analysis | PreparedArticle,
                claim_vector: np.ndarray | None = None) -> ArticleStance:
        """The article's stance toward `claim` (ValueError for an empty claim; no text: unrelated).
        `analysis` may be prepared before (`prepare`) when many claims meet one article."""
        if not claim or not claim.strip():
            raise ValueError("the claim is empty")
        prepared = analysis if isinstance(analysis, PreparedArticle) else self.prepare(analysis)
        sentences = prepared.sentences
        if not sentences:
            return ArticleStance("unrelated", 1.0, "unrelated", {label: float(label == "unrelated")
                                                                   for label in HEAD_LABELS})
        f, touching, _ = self.features(claim, prepared, claim_vector)
        probabilities = self.probabilities(f)
        label = self.decide(probabilities)
        stance = {"agree": "states", "disagree": "rejects", "unrelated": "unrelated"}.get(label)
        if stance is None:
            reported = f["att_touch_any"] or f["touch_hedge_any"] or f["claim_hedge_any"]
            stance = "unverified" if reported else "mentions"
        return ArticleStance(stance, probabilities[label], label, probabilities,
                             [sentences[i] for i in touching] if label != "unrelated" else [])


def article_stance(claim: str, analysis: Analysis, model: ArticleStanceModel | None = None) -> ArticleStance:
    """The stance `analysis`'s article takes toward `claim`, with the shipped model unless one is given."""
    return (model or _shipped()).predict(claim, analysis)


_SHIPPED: list[ArticleStanceModel] = []


def _shipped() -> ArticleStanceModel:
    if not _SHIPPED:
        _SHIPPED.append(ArticleStanceModel.load())
    return _SHIPPED[0]


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


# ------------------------------------------------------------------------------------- boosted trees

def softmax(margins: np.ndarray) -> np.ndarray:
    shifted = np.exp(margins - margins.max(1, keepdims=True))
    return shifted / shifted.sum(1, keepdims=True)


def predict_margins(trees: list[list[dict]], x: np.ndarray, base: Sequence[float], classes: int) -> np.ndarray:
    """The ensemble's margins: `trees` is a list of rounds, each one tree per class; a tree is flat arrays
    {feature, threshold, left, right, value} where a leaf has feature -1 (x[feature] <= threshold goes left)."""
    margins = np.tile(np.asarray(base, dtype=np.float64), (len(x), 1))
    for round_ in trees:
        for k, tree in enumerate(round_):
            margins[:, k] += _tree_values(tree, x)
    return margins


def _tree_values(tree: dict, x: np.ndarray) -> np.ndarray:
    feature = np.asarray(tree["feature"])
    threshold = np.asarray(tree["threshold"])
    left, right = np.asarray(tree["left"]), np.asarray(tree["right"])
    value = np.asarray(tree["value"])
    node = np.zeros(len(x), dtype=np.int64)
    while True:
        inner = feature[node] >= 0
        if not inner.any():
            return value[node]
        rows = np.nonzero(inner)[0]
        at = node[rows]
        goes_left = x[rows, feature[at]] <= threshold[at]
        node[rows] = np.where(goes_left, left[at], right[at])
