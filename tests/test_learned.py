"""The learned tagger's runtime with a stand-in model: windows, decoding, grouping and the merge with the
rules. The shipped model itself is exercised only through its tokenizer here (fast, no model run)."""
from __future__ import annotations

import numpy as np
import pytest
import spacy

from onrecord.attribution import Cue, Found, load_lexicon
from onrecord.learned import MODEL_DIR, LearnedTagger, TaggedSpan, _windows, group, merge, viterbi

LABELS = ["O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content"]
TEXT = "The mayor said the bridge would reopen.\n\nTaxes will rise, the council warned."


@pytest.fixture(scope="module")
def tokenizer():
    tokenizers = pytest.importorskip("tokenizers")
    if not (MODEL_DIR / "tokenizer.json").is_file():
        pytest.skip("the learned model is not installed")
    tok = tokenizers.Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def fake_runner(tokenizer):
    """Labels by word: a stand-in model that needs no context, so windowing must not change its output."""
    by_id = {}
    for word, label in {"mayor": "B-source", "said": "B-cue", "bridge": "B-content", "would": "I-content",
                        "reopen": "I-content", "taxes": "B-content", "will": "I-content", "rise": "I-content",
                        "council": "B-source", "warned": "B-cue"}.items():
        by_id[tokenizer.encode(word, add_special_tokens=False).ids[0]] = LABELS.index(label)  # first piece

    def run(ids, mask):
        logits = np.zeros(ids.shape + (len(LABELS),), dtype=np.float32)
        for (row, col), value in np.ndenumerate(ids):
            logits[row, col, by_id.get(int(value), 0)] = 1.0
        return logits
    return run


def test_windows_cover_every_piece_once():
    for n in (0, 5, 14, 15, 100):
        tagged = []
        for start, end, first in _windows(n, 16, 4):
            assert end - start <= 14 and (start == 0 or first == start + 4)
            tagged.extend(range(first, end))
        assert tagged == list(range(n))


def test_viterbi_obeys_bio_and_weighs_transitions():
    log = np.log
    # word 2 leans to O, so the model alone splits the content: B,O,B = .9*.6*.45 beats B,I,I = .9*.3*.5 ...
    words = log(np.array([[0.05, 0.0, 0.0, 0.0, 0.0, 0.9, 0.05], [0.6, 0.0, 0.0, 0.0, 0.0, 0.1, 0.3],
                          [0.05, 0.0, 0.0, 0.0, 0.0, 0.45, 0.5]]) + 1e-9)
    assert [LABELS[k] for k in viterbi(words, LABELS)] == ["B-content", "O", "B-content"]
    # ... unless the transitions say a content rarely stops: after a content word I-content .85, O .1,
    # B-content .05 (B,O,B = .243 * .1 against B,I,I = .135 * .85 * .85)
    transitions = np.zeros((len(LABELS), len(LABELS)))
    for previous in ("B-content", "I-content"):
        transitions[LABELS.index(previous), LABELS.index("I-content")] = log(0.85)
        transitions[LABELS.index(previous), LABELS.index("O")] = log(0.1)
        transitions[LABELS.index(previous), LABELS.index("B-content")] = log(0.05)
    assert [LABELS[k] for k in viterbi(words, LABELS, transitions)] == ["B-content", "I-content", "I-content"]
    # an I- label never opens a sequence or follows another role, however likely
    lone = log(np.array([[0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.9]]) + 1e-9)
    assert [LABELS[k] for k in viterbi(lone, LABELS)] == ["B-content"]


def test_tagger_decodes_character_spans(tokenizer):
    tagger = LearnedTagger(fake_runner(tokenizer), tokenizer, LABELS)
    spans = tagger.tag(TEXT)
    assert [(s.role, TEXT[s.start:s.end]) for s in spans] == [
        ("source", "mayor"), ("cue", "said"), ("content", "bridge would reopen"), ("content", "Taxes will rise"),
        ("source", "council"), ("cue", "warned")]


def test_small_windows_give_the_same_spans(tokenizer):
    text = " ".join([TEXT] * 6)
    whole = LearnedTagger(fake_runner(tokenizer), tokenizer, LABELS).tag(text)
    windowed = LearnedTagger(fake_runner(tokenizer), tokenizer, LABELS, length=16, context=4, batch_size=3)
    assert windowed.tag(text) == whole


def test_group_ties_spans_to_the_nearest_cue_in_their_paragraph():
    spans = [TaggedSpan("source", 4, 9), TaggedSpan("cue", 10, 14), TaggedSpan("content", 19, 38),
             TaggedSpan("content", 41, 56), TaggedSpan("source", 62, 69), TaggedSpan("cue", 70, 76)]
    first, second = group(spans, TEXT)
    assert first.cue == TaggedSpan("cue", 10, 14) and first.contents == [TaggedSpan("content", 19, 38)]
    assert second.sources == [TaggedSpan("source", 62, 69)] and second.contents == [TaggedSpan("content", 41, 56)]
    (loose,) = group([TaggedSpan("content", 19, 38)], TEXT)
    assert loose.cue is None and loose.contents


def test_merge_keeps_what_the_rules_know_and_adds_new_cues():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(TEXT)
    rule = Found(10, 14, 15, 39, doc.char_span(0, 9), Cue("say", "VERB", "assert", "speech"), negated=True)
    spans = [TaggedSpan("source", 4, 9), TaggedSpan("cue", 10, 14), TaggedSpan("content", 19, 38),
             TaggedSpan("content", 41, 56), TaggedSpan("source", 62, 69), TaggedSpan("cue", 70, 76)]
    merged = merge(doc, group(spans, TEXT), [rule], load_lexicon())
    assert [(m.cue_start, m.content_start, m.content_end) for m in merged] == [(10, 19, 38), (70, 41, 56)]
    assert merged[0].negated and merged[0].cue.frame == "speech"  # the rule's knowledge is kept
    # where the model's source overlaps the rules' speaker its PolNeAR-style span is taken
    assert merged[0].speaker.text == "mayor" and merged[1].speaker.text == "council"


def test_merge_keeps_the_rules_speaker_where_the_model_names_someone_else():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(TEXT)
    rule = Found(10, 14, 15, 39, doc.char_span(0, 9), Cue("say", "VERB", "assert", "speech"))
    spans = [TaggedSpan("source", 19, 25), TaggedSpan("cue", 10, 14), TaggedSpan("content", 26, 38)]
    merged = merge(doc, group(spans, TEXT), [rule], load_lexicon())
    assert merged[0].speaker.text == "The mayor"
    passive = Found(10, 14, 15, 39, None, Cue("say", "VERB", "hedge", "speech"), passive=True)
    merged = merge(doc, group(spans, TEXT), [passive], load_lexicon())
    assert merged[0].speaker is None  # "is said to": the rules read no agent, the model's guess is not taken


def test_merge_drops_a_learned_group_whose_source_swallows_a_rule_cue():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = "The minister is expected to resign, a senior official said on Wednesday."
    doc = nlp(text)
    said = text.index("said")
    rule = Found(said, said + 4, 0, 34, doc.char_span(36, said - 1), Cue("say", "VERB", "assert", "speech"))
    # the model reads "is expected" as the cue and "a senior official said on Wednesday" as its source
    spans = [TaggedSpan("content", 0, 12), TaggedSpan("cue", 13, 24), TaggedSpan("content", 25, 34),
             TaggedSpan("source", 36, len(text) - 1)]
    merged = merge(doc, group(spans, text), [rule], load_lexicon())
    assert [(text[m.cue_start:m.cue_end], m.speaker.text) for m in merged] == [("said", "a senior official")]


def test_shipped_model_loads_offline_and_tags(monkeypatch):
    pytest.importorskip("onnxruntime")
    if not (MODEL_DIR / "model.onnx").is_file():
        pytest.skip("the learned model is not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from onrecord.learned import load_tagger

    spans = load_tagger(None, 1).tag('"We will rebuild the bridge," the mayor said on Tuesday.')
    assert {s.role for s in spans} <= {"source", "cue", "content"}
    assert any(s.role == "cue" for s in spans)


def test_merge_restores_the_head_of_a_content_the_model_cut_short():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = "The paper said two senior staff at the embassy had asked for asylum."
    doc = nlp(text)
    head, tail = text.index("two senior"), text.index("had asked")
    rule = Found(10, 14, head, len(text) - 1, doc.char_span(0, 9), Cue("say", "VERB", "assert", "speech"))
    spans = [TaggedSpan("cue", 10, 14), TaggedSpan("content", tail, len(text) - 1)]
    merged = merge(doc, group(spans, text), [rule], load_lexicon())
    assert [(m.content_start, m.content_end) for m in merged] == [(head, len(text) - 1)]
    cut_by_two_words = [TaggedSpan("cue", 10, 14), TaggedSpan("content", text.index("staff at"), len(text) - 1)]
    merged = merge(doc, group(cut_by_two_words, text), [rule], load_lexicon())
    assert merged[0].content_start == text.index("staff at")  # a short trim is the model's call


def test_intervals_find_the_same_overlaps_as_a_scan():
    import random

    from onrecord.learned import Intervals

    rng = random.Random(3)
    spans = [(s, s + rng.randint(1, 40)) for s in (rng.randint(0, 2_000) for _ in range(300))]
    index = Intervals(spans)
    for _ in range(200):
        start = rng.randint(0, 2_000)
        end = start + rng.randint(1, 60)
        assert index.overlapping(start, end) == [i for i, (s, e) in enumerate(spans) if s < end and start < e]
    assert Intervals([]).overlapping(0, 10) == []
