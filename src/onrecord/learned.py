"""The learned attribution tagger: a fine-tuned MiniLM that marks source, cue and content spans.

Runtime needs only onnxruntime, tokenizers and numpy; the model (int8 ONNX, tokenizer, meta.json) ships in
``onrecord/models/attribution`` and loads with no network. Training lives in scripts/train_attribution.py.

    >>> from onrecord.learned import load_tagger           # doctest: +SKIP
    >>> load_tagger().tag("The mayor said the bridge would reopen.")   # doctest: +SKIP
    [TaggedSpan(role='source', start=0, end=9), TaggedSpan(role='cue', ...), ...]

A document is cut into overlapping windows of wordpieces; every window after the first spends its first
``context`` pieces as left context only, so each tagged piece sees the text before it. Labels are read per
word (its first piece), and BIO chunks become character spans. `group` then ties each source and content
span to the nearest cue in the same paragraph, giving attributions.
"""
from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import OnrecordError
from .spans import Spans, clean_spans

MODEL_DIR = Path(__file__).resolve().parent / "models" / "attribution"
ROLES = ("source", "cue", "content")


class ModelMissing(OnrecordError, FileNotFoundError):
    """The learned model's files are not installed."""
    exit_code = 2


@dataclass(frozen=True)
class TaggedSpan:
    """A span the tagger marked, in characters of the text it was given (end exclusive)."""
    role: str
    start: int
    end: int


@dataclass
class Group:
    """One attribution assembled from tagged spans: a cue (or none) and the spans tied to it."""
    cue: TaggedSpan | None
    sources: list[TaggedSpan]
    contents: list[TaggedSpan]


Runner = Callable[[np.ndarray, np.ndarray], np.ndarray]


class LearnedTagger:
    """Windows a text, runs the model (ONNX session or any `runner`) and decodes spans."""

    def __init__(self, runner: Runner, tokenizer, labels: Sequence[str] | None = None, length: int = 256,
                 context: int = 48, batch_size: int = 16, transitions: np.ndarray | None = None):
        self.runner = runner
        self.tokenizer = tokenizer
        self.labels = list(labels or ["O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content"])
        self.length = length
        self.context = context
        self.batch_size = batch_size
        self.transitions = transitions
        self.cls = tokenizer.token_to_id("[CLS]")
        self.sep = tokenizer.token_to_id("[SEP]")

    # -------------------------------------------------------------------------------- tagging

    def tag(self, text: str) -> list[TaggedSpan]:
        return self.tag_many([text])[0]

    def tag_many(self, texts: Sequence[str]) -> list[list[TaggedSpan]]:
        """Spans for each text; windows of all texts are batched together."""
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        jobs = []  # (text index, start, end, first tagged)
        for number, encoding in enumerate(encodings):
            for start, end, first in _windows(len(encoding.ids), self.length, self.context):
                jobs.append((number, start, end, first))
        predictions = [np.zeros((len(e.ids), len(self.labels)), dtype=np.float32) for e in encodings]
        order = sorted(range(len(jobs)), key=lambda j: jobs[j][2] - jobs[j][1])
        for i in range(0, len(order), self.batch_size):
            chunk = [jobs[j] for j in order[i:i + self.batch_size]]
            width = max(end - start for _, start, end, _ in chunk) + 2
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, (number, start, end, _) in enumerate(chunk):
                pieces = encodings[number].ids[start:end]
                ids[row, :len(pieces) + 2] = [self.cls, *pieces, self.sep]
                mask[row, :len(pieces) + 2] = 1
            logits = self.runner(ids, mask)
            for row, (number, start, end, first) in enumerate(chunk):
                predictions[number][first:end] = logits[row, 1 + first - start:1 + end - start]
        return [self._decode(encoding, predicted) for encoding, predicted in zip(encodings, predictions)]

    def _decode(self, encoding, logits: np.ndarray) -> list[TaggedSpan]:
        words: list[tuple[int, int]] = []  # (start char, end char)
        first_pieces: list[int] = []
        last_word = None
        for i, (word, (start, end)) in enumerate(zip(encoding.word_ids, encoding.offsets)):
            if word is None or end <= start:
                continue
            if word == last_word and words:
                words[-1] = (words[-1][0], end)
            else:
                words.append((start, end))
                first_pieces.append(i)
            last_word = word
        if not words:
            return []
        labels = [self.labels[k] for k in viterbi(logits[first_pieces], self.labels, self.transitions)]
        spans: list[TaggedSpan] = []
        role, start, end = None, 0, 0
        for (word_start, word_end), label in zip(words, labels):
            kind, _, name = label.partition("-")
            if kind == "I" and role == name:
                end = word_end
                continue
            if role:
                spans.append(TaggedSpan(role, start, end))
                role = None
            if kind in ("B", "I"):
                role, start, end = name, word_start, word_end
        if role:
            spans.append(TaggedSpan(role, start, end))
        return spans

    # -------------------------------------------------------------------------------- attributions

    def predict_pieces(self, texts: Sequence[str]) -> list:
        """PolNeAR predictor: attributions whose contents stay as separate pieces (CofeNet's chunks)."""
        return self._predict(texts, merge=False)

    def predict_spans(self, texts: Sequence[str]) -> list:
        """PolNeAR predictor: attributions with each content counted by its full extent (document units)."""
        return self._predict(texts, merge=True)

    def _predict(self, texts: Sequence[str], merge: bool) -> list:
        out = []
        for text, spans in zip(texts, self.tag_many(texts)):
            items = []
            for found in group(spans, text):
                contents = [(c.start, c.end) for c in found.contents]
                if merge and contents:
                    contents = [(min(s for s, _ in contents), max(e for _, e in contents))]
                item = Spans(source=[(s.start, s.end) for s in found.sources],
                             cue=[(found.cue.start, found.cue.end)] if found.cue else [], content=contents)
                items.append(clean_spans(item, text))
            out.append(items)
        return out


def viterbi(logits: np.ndarray, labels: Sequence[str], transitions: np.ndarray | None = None) -> list[int]:
    """The best label sequence under BIO constraints (``I-X`` only after ``B-X`` or ``I-X``), from the
    per-word log-probabilities plus `transitions[previous, next]` (weighted label-bigram log-probabilities
    of the training data: they keep a long content from breaking up where the model wavers)."""
    scores = logits - np.log(np.exp(logits - logits.max(-1, keepdims=True)).sum(-1, keepdims=True)) \
        - logits.max(-1, keepdims=True)
    n, k = scores.shape
    allowed = np.zeros((k, k), dtype=bool)  # allowed[previous, next]
    for j, label in enumerate(labels):
        for i, previous in enumerate(labels):
            allowed[i, j] = not label.startswith("I-") or previous[2:] == label[2:]
    start_allowed = np.array([not label.startswith("I-") for label in labels])
    penalty = np.where(allowed, 0.0 if transitions is None else transitions, -1e9)
    best = np.where(start_allowed, scores[0], -1e9)
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        total = best[:, None] + penalty
        back[t] = total.argmax(0)
        best = total.max(0) + scores[t]
    path = [int(best.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def group(spans: Sequence[TaggedSpan], text: str, max_gap: int = 400) -> list[Group]:
    """Attributions from spans: each source and content goes to the nearest cue in its paragraph (within
    `max_gap` characters); spans with no cue to join make cue-less groups, so nothing is lost."""
    cues = [s for s in spans if s.role == "cue"]
    groups = {id(c): Group(c, [], []) for c in cues}
    loose: list[Group] = []
    paragraph_breaks = [m.start() for m in re.finditer("\n\n", text)]

    def paragraph(position: int) -> int:
        return bisect.bisect_left(paragraph_breaks, position)

    cues_in: dict[int, list[TaggedSpan]] = {}
    for cue in cues:
        cues_in.setdefault(paragraph(cue.start), []).append(cue)
    for span in spans:
        if span.role == "cue":
            continue
        candidates = cues_in.get(paragraph(span.start), [])
        best = min(candidates, key=lambda c: _distance(c, span), default=None)
        if best is None or _distance(best, span) > max_gap:
            if span.role == "content" and loose and loose[-1].contents and paragraph(loose[-1].contents[-1].start) \
                    == paragraph(span.start):
                loose[-1].contents.append(span)
            else:
                loose.append(Group(None, [span] if span.role == "source" else [],
                                   [span] if span.role == "content" else []))
            continue
        target = groups[id(best)]
        (target.sources if span.role == "source" else target.contents).append(span)
    found = list(groups.values()) + loose
    return sorted(found, key=lambda g: min([s.start for s in ([g.cue] if g.cue else []) + g.sources + g.contents]))


def _distance(a: TaggedSpan, b: TaggedSpan) -> int:
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def _windows(n: int, length: int, context: int) -> list[tuple[int, int, int]]:
    """(start, end, first tagged) of overlapping windows covering n pieces ([CLS]/[SEP] added later)."""
    body = length - 2
    out, start = [], 0
    while True:
        end = min(n, start + body)
        out.append((start, end, start if start == 0 else start + context))
        if end >= n:
            return out
        start = end - context


class OnnxRunner:
    """An onnxruntime session over the exported model."""

    def __init__(self, path: Path, threads: int = 0):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]


@lru_cache(maxsize=2)
def load_tagger(model_dir: str | None = None, threads: int = 0) -> LearnedTagger:
    """The shipped tagger (cached); `threads` 0 lets onnxruntime choose."""
    folder = Path(model_dir) if model_dir else MODEL_DIR
    if not (folder / "model.onnx").is_file():
        raise ModelMissing(f"no learned attribution model at {folder}")
    from tokenizers import Tokenizer

    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    transitions = None
    if "transitions" in meta:
        transitions = meta["transition_weight"] * np.array(meta["transitions"], dtype=np.float64)
    return LearnedTagger(OnnxRunner(folder / "model.onnx", threads), tokenizer, meta["labels"], meta["length"],
                         meta["context"], transitions=transitions)


# ------------------------------------------------------------------------------------ spaCy component

def _register_component():
    """`onrecord_learned_attributions`: runs after `onrecord_attributions` and rewrites
    `doc._.attributions` from the tagger's spans, keeping what the rules know about each cue."""
    from spacy.language import Language

    if Language.has_factory("onrecord_learned_attributions"):
        return

    @Language.factory("onrecord_learned_attributions",
                      default_config={"model_dir": None, "threads": 0, "keep_rules": True},
                      requires=["doc._.attributions"], assigns=["doc._.attributions"])
    def make_learned_attributions(nlp, name: str, model_dir: str | None, threads: int, keep_rules: bool):
        return LearnedAttributions(load_tagger(model_dir, threads), keep_rules)


class LearnedAttributions:
    """predict(): the tagger's attributions merged with the rules' (`merge`); set_annotations() stores them."""

    def __init__(self, tagger: LearnedTagger, keep_rules: bool = True):
        from .attribution import load_lexicon

        self.tagger = tagger
        self.keep_rules = keep_rules
        self.lexicon = load_lexicon()

    def __call__(self, doc):
        self.set_annotations(doc, self.predict(doc))
        return doc

    def pipe(self, docs, batch_size: int = 16):
        batch = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        yield from self._run(batch)

    def _run(self, docs):
        for doc, spans in zip(docs, self.tagger.tag_many([d.text for d in docs])):
            self.set_annotations(doc, merge(doc, group(spans, doc.text), doc._.attributions or [], self.lexicon,
                                            self.keep_rules))
            yield doc

    def predict(self, doc):
        spans = self.tagger.tag(doc.text)
        return merge(doc, group(spans, doc.text), doc._.attributions or [], self.lexicon, self.keep_rules)

    def set_annotations(self, doc, found) -> None:
        doc._.attributions = found


LOST_HEAD_WORDS = 3  # a learned content missing this many of the rules' leading words lost its head


def merge(doc, groups: Sequence[Group], rules: Sequence, lexicon: dict, keep_rules: bool = True) -> list:
    """Learned attributions as the rules' `Found` records, sorted by cue.

    - A learned group with a cue that overlaps a rule attribution's cue takes that record (stance
      frame, negation, hedges, cited sources, passive) with the learned content span, and the learned
      source where it names the same speaker as the rules (`_agreed_speaker`).
    - Any other learned group with a cue becomes a new record (cue entry from the lexicon by lemma,
      else a plain speech cue).
    - A learned group whose cue matches no rule cue while one of its sources swallows a rule cue ("a senior
      official said" tagged as the source of a hedge in the content) is dropped: the rules read that
      sentence better.
    - With `keep_rules`, rule attributions whose cue lies outside every learned cue and source are kept:
      the model missed them, or they are nested in a content or chains, which PolNeAR does not annotate.
    """
    from dataclasses import replace

    from .attribution import Cue, Found

    used_rules, out = set(), []
    text = doc.text  # built anew on every access
    sentences = list(doc.sents) if doc.has_annotation("SENT_START") else []
    sentence_starts = [sentence.start for sentence in sentences]
    rule_cues = Intervals([(r.cue_start, r.cue_end) for r in rules])

    def overlaps_rule_cue(span):
        return bool(rule_cues.overlapping(span.start, span.end))

    groups = [g for g in groups if g.cue is None or overlaps_rule_cue(g.cue)
              or not any(source.start <= rule_cues.spans[i][0] and rule_cues.spans[i][1] <= source.end
                         for source in g.sources for i in rule_cues.overlapping(source.start, source.end))]
    learned_cover = Intervals([(s.start, s.end) for g in groups for s in ([g.cue] if g.cue else []) + g.sources])
    for found in groups:
        if found.cue is None:
            continue
        cue = found.cue
        content = (min(c.start for c in found.contents), max(c.end for c in found.contents)) if found.contents \
            else None
        speaker = None
        if found.sources:
            source = min(found.sources, key=lambda s: _distance(s, cue))
            speaker = doc.char_span(source.start, source.end, alignment_mode="expand")
        index = next((i for i in rule_cues.overlapping(cue.start, cue.end) if i not in used_rules), None)
        if index is not None:
            rule = rules[index]
            used_rules.add(index)
            start, end = content or (rule.content_start, rule.content_end)
            if rule.content_start <= start and end <= rule.content_end and rule.content_end - end <= 2 \
                    and len(text[rule.content_start:start].split()) >= LOST_HEAD_WORDS:
                start = rule.content_start  # the model lost the head of a content the rules read whole
            out.append(replace(rule, cue_start=cue.start, cue_end=cue.end, content_start=start, content_end=end,
                               speaker=_agreed_speaker(rule, speaker),
                               direct=_quoted(text, start, end) if content else rule.direct))
            continue
        if content is None:
            continue
        cue_span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
        token = cue_span.root if cue_span is not None and len(cue_span) else None
        entry = None
        if token is not None:
            entry = lexicon.get((token.lemma_.lower(), token.pos_)) or lexicon.get((token.lemma_.lower(), "VERB"))
        entry = entry or Cue(token.lemma_.lower() if token is not None else text[cue.start:cue.end].lower(),
                             token.pos_ if token is not None else "VERB", "assert", "speech")
        negated = token is not None and any(child.dep_ == "neg" for child in token.children)
        out.append(Found(cue.start, cue.end, content[0], content[1], speaker, entry,
                         direct=_quoted(text, *content), negated=negated,
                         sentence=sentences[bisect.bisect_right(sentence_starts, token.i) - 1]
                         if token is not None and sentences else None, cue_token=token))
    if keep_rules:
        for i, rule in enumerate(rules):
            if i in used_rules or learned_cover.overlapping(rule.cue_start, rule.cue_end):
                continue
            out.append(rule)
    return sorted(out, key=lambda f: f.cue_start)


class Intervals:
    """Character spans indexed by start, so that the spans overlapping a range are found by bisection (the
    longest span bounds how far back to look) instead of by a scan of all of them."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        self.spans = list(spans)
        self.order = sorted(range(len(self.spans)), key=lambda i: self.spans[i][0])
        self.starts = [self.spans[i][0] for i in self.order]
        self.longest = max((end - start for start, end in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[int]:
        """Indices (in the given order) of the spans that overlap [start, end)."""
        first = bisect.bisect_left(self.starts, start - self.longest)
        last = bisect.bisect_left(self.starts, end)
        return sorted(i for i in self.order[first:last] if self.spans[i][1] > start)


def _agreed_speaker(rule, learned):
    """The model's source span where it names the rules' speaker (its boundaries follow PolNeAR's), the
    rules' where the two disagree on who spoke or the rules read an agentless passive."""
    if rule.passive or learned is None:
        return rule.speaker
    if rule.speaker is None or (learned.start_char < rule.speaker.end_char and rule.speaker.start_char < learned.end_char):
        return learned
    return rule.speaker


def _quoted(text: str, start: int, end: int) -> bool:
    """Direct speech: the content sits inside quotation marks."""
    before = text[max(0, start - 2):start + 1]
    after = text[max(start, end - 1):end + 2]
    return any(q in before for q in "\"“") and any(q in after for q in "\"”")


_register_component()
