"""Which lines of a plain-text scrape are the article: a two-stage neural scorer over line features.

A naive scrape (one line per block of the page) loses the markup that HTML extractors lean on, so the
text cleaner judges each line by its own shape (length, sentence punctuation, function words, chrome
patterns) and by its neighbourhood: article lines sit in one dense run of prose, while comments,
related-story teasers and footers sit after it in shorter or link-like lines. Stage 1 scores lines from
those features; stage 2 adds the stage-1 scores of the neighbours, so a subhead between two
paragraphs is kept and a prose-like comment below a run of chrome is not.

On English pages a third signal joins them: what the line says. A logistic regression over its hashed words
and word pairs ("subscribe", "getty", "said", "of the") gives a score that stage 1 reads as one more feature;
other languages keep the shape-only model, whose words the regression never saw.

The weights (`data/line_model.json`, and `data/line_model_en.json` with `data/line_model_en_words.npy` for
English) are fitted by `scripts/train_line_model.py` on WCXB dev renderings; plain numpy at run time. The
feature constants below are the model's own, deliberately not shared with the cleaner's patterns: changing
one changes what the fitted weights mean, so it calls for refitting.
"""
from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter
from functools import lru_cache
from importlib import resources

import numpy as np

FUNCTION_WORDS = frozenset("""the a an of to in and or but is are was were be been has have had it its on for
with as at by from that this which who said says not he she they we his her their our will would could should
than then there here after before about over into also more most said told when while""".split())
NAV_SEPARATOR = re.compile(r"\s[|•·›»/]\s")
BULLET = re.compile(r"^(?:[-–—*•·›»>]|\d{1,2}[.)])\s")
SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*$""")
WORD = re.compile(r"\w+")
CLUSTER_GAPS = (3, 8)  # prose lines at most this many lines apart belong to one run (two readings)
PROSE_WORDS = 10       # a line this long ending like a sentence counts as prose for the context features
NEIGHBOURS = (-2, -1, 1, 2)
TOKEN = re.compile(r"[^\W\d_]+|\d+")
WORD_SCORE_CLIP = 10.0  # the word score enters stage 1 as log-odds, bounded so one odd line cannot dominate


def _shape(line: str, chrome: bool) -> list[float]:
    """Features of the line alone."""
    words = line.split()
    n = len(words)
    chars = max(1, len(line))
    alpha = [w for w in words if w[:1].isalpha()]
    lower = sum(1 for w in alpha if w[0].islower()) / len(alpha) if alpha else 0.0
    tokens = [t.lower() for t in WORD.findall(line)]
    function = sum(1 for t in tokens if t in FUNCTION_WORDS) / len(tokens) if tokens else 0.0
    alphanumeric, spaces = sum(map(str.isalnum, line)), sum(map(str.isspace, line))
    return [
        math.log1p(n), math.log1p(chars) / 5,
        float(bool(SENTENCE_END.search(line))), float(line.endswith(":")), float(line.endswith(",")),
        lower, function, float(n <= 3), float(n >= 15), float(n >= 40),
        sum(map(str.isdigit, line)) / chars,
        (len(line) - alphanumeric - spaces) / chars,
        line.count(",") / max(1, n),
        float(chrome), float(len(NAV_SEPARATOR.findall(line)) >= 2), float(bool(BULLET.match(line))),
        float(line.isupper() and all(c.isupper() for c in filter(str.isalpha, line))),
        float(line[:1] in "\"“'‘"), float("http" in line or "www." in line or "@" in line),
    ]


def _is_prose(line: str) -> bool:
    return len(line.split()) >= PROSE_WORDS and bool(SENTENCE_END.search(line))


def _main_run(prose: list[bool], weights: list[int], gap: int) -> tuple[int, int, int]:
    """First and last line of the run of prose lines (at most `gap` lines apart) holding the most words,
    and its word count."""
    best, best_words, start, words, last = (0, -1), 0, None, 0, None
    for i, is_prose in enumerate(prose):
        if not is_prose:
            continue
        if last is None or i - last > gap:
            start, words = i, 0
        words += weights[i]
        last = i
        if words > best_words:
            best, best_words = (start, i), words
    return best[0], best[1], best_words


def _distance_to_nearest(flags: list[bool]) -> list[int]:
    """For each line, how many lines away the nearest flagged line is (the page's length when none is)."""
    n = len(flags)
    distance = [n] * n
    last = None
    for i in range(n):
        if flags[i]:
            last = i
        if last is not None:
            distance[i] = i - last
    last = None
    for i in range(n - 1, -1, -1):
        if flags[i]:
            last = i
        if last is not None:
            distance[i] = min(distance[i], last - i)
    return distance


def stage_one_features(lines: list[str], chrome: list[bool]) -> np.ndarray:
    """One row per line: its shape, its place in the page and the prose around it."""
    n = len(lines)
    shapes = [_shape(line, c) for line, c in zip(lines, chrome)]
    words = [len(line.split()) for line in lines]
    prose = [_is_prose(line) and not c for line, c in zip(lines, chrome)]
    prose_words = np.array([w if p else 0 for w, p in zip(words, prose)], dtype=float)
    all_words = np.array(words, dtype=float)
    cumulative, cumulative_all = np.concatenate([[0], np.cumsum(prose_words)]), np.concatenate([[0], np.cumsum(all_words)])
    runs = [_main_run(prose, words, gap) for gap in CLUSTER_GAPS]
    total_prose = max(1.0, float(prose_words.sum()))
    page = [math.log1p(n), math.log1p(total_prose)] + [run[2] / total_prose for run in runs]
    counts = Counter(lines)
    nearest_prose = _distance_to_nearest(prose)
    rows = []
    for i in range(n):
        density = []
        for radius in (2, 5, 10):
            lo, hi = max(0, i - radius), min(n, i + radius + 1)
            total = cumulative_all[hi] - cumulative_all[lo]
            density.append((cumulative[hi] - cumulative[lo]) / total if total else 0.0)
        context = density + page + [math.log1p(nearest_prose[i])]
        for start, end, _ in runs:
            context += [float(start <= i <= end), math.log1p(max(0, start - i)), math.log1p(max(0, i - end))]
        context += [
            i / n, float(i < n * 0.1), float(i > n * 0.9), float(counts[lines[i]] > 1),
        ]
        for offset in NEIGHBOURS:
            j = i + offset
            if 0 <= j < n:
                context += [math.log1p(words[j]), float(prose[j]), float(chrome[j])]
            else:
                context += [0.0, 0.0, 1.0]
        rows.append(shapes[i] + context)
    return np.array(rows, dtype=float).reshape(n, -1)


def stage_two_features(first: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Stage-1 features plus the stage-1 scores around each line."""
    n = len(scores)
    padded = np.concatenate([np.zeros(5), scores, np.zeros(5)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 5)  # windows[k] = padded[k:k + 5]
    before, after = windows[:n], windows[6:6 + n]  # the five lines above and the five below each line
    extra = np.column_stack([padded[3:3 + n], padded[4:4 + n], padded[6:6 + n], padded[7:7 + n],
                             before.mean(axis=1), after.mean(axis=1), before.max(axis=1), after.max(axis=1),
                             np.maximum.accumulate(scores), np.maximum.accumulate(scores[::-1])[::-1]])
    return np.hstack([first, extra])


class Scorer:
    """Standardised features through one hidden ReLU layer to a probability: small enough to fit on a CPU
    in minutes, non-linear enough to weigh a line's shape against its neighbourhood."""

    def __init__(self, mean, scale, hidden_weights, hidden_bias, out_weights, out_bias):
        self.mean, self.scale = np.asarray(mean), np.asarray(scale)
        self.hidden_weights, self.hidden_bias = np.asarray(hidden_weights), np.asarray(hidden_bias)
        self.out_weights, self.out_bias = np.asarray(out_weights), float(out_bias)

    def __call__(self, features: np.ndarray) -> np.ndarray:
        hidden = np.maximum(0.0, ((features - self.mean) / self.scale) @ self.hidden_weights + self.hidden_bias)
        z = hidden @ self.out_weights + self.out_bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_json(self) -> dict:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "hidden_weights": np.round(self.hidden_weights, 6).tolist(),
                "hidden_bias": np.round(self.hidden_bias, 6).tolist(),
                "out_weights": np.round(self.out_weights, 6).tolist(), "out_bias": self.out_bias}


def word_buckets(line: str, bits: int) -> list[int]:
    """The line's words and adjacent word pairs, lower-cased with numbers folded to one token, hashed into
    2**bits buckets (crc32, stable across runs and machines, unlike Python's `hash`)."""
    tokens = ["0" if t.isdigit() else t.lower() for t in TOKEN.findall(line)]
    names = [f"u:{t}" for t in tokens] + [f"b:{a} {b}" for a, b in zip(tokens, tokens[1:])] or ["<empty>"]
    return sorted({zlib.crc32(name.encode("utf-8")) & ((1 << bits) - 1) for name in names})


class WordScorer:
    """Log-odds that a line is article text from its hashed words: a bucket's weight per word or pair, summed
    and divided by the square root of their number, so long lines do not score by length alone."""

    def __init__(self, weights: np.ndarray, bias: float):
        self.weights, self.bias = np.asarray(weights, dtype=float), float(bias)
        self.bits = len(self.weights).bit_length() - 1
        if self.bits < 0 or 1 << self.bits != len(self.weights):
            raise ValueError(f"word weights must number a power of two, not {len(self.weights)}")

    def __call__(self, lines: list[str]) -> np.ndarray:
        scores = [self.weights[buckets].sum() / math.sqrt(len(buckets)) + self.bias
                  for buckets in (word_buckets(line, self.bits) for line in lines)]
        return np.clip(np.array(scores, dtype=float), -WORD_SCORE_CLIP, WORD_SCORE_CLIP)


class LineModel:
    """Both stages and the keep threshold, and for English the word scorer whose output stage 1 reads;
    `scores(lines, chrome)` gives each line's article probability."""

    def __init__(self, first: Scorer, second: Scorer, threshold: float, words: WordScorer | None = None):
        self.first, self.second, self.threshold, self.words = first, second, threshold, words

    def scores(self, lines: list[str], chrome: list[bool], shapes: np.ndarray | None = None) -> np.ndarray:
        """`shapes`: the lines' `stage_one_features`, when a caller running both models on a page has them."""
        if not lines:
            return np.zeros(0)
        features = stage_one_features(lines, chrome) if shapes is None else shapes
        if self.words:
            features = np.hstack([features, self.words(lines)[:, None]])
        return self.second(stage_two_features(features, self.first(features)))

    def to_json(self) -> dict:
        data = {"first": self.first.to_json(), "second": self.second.to_json(), "threshold": self.threshold}
        if self.words:
            data["words"] = {"bits": self.words.bits, "bias": self.words.bias}
        return data


@lru_cache(maxsize=2)
def load_line_model(english: bool = False) -> LineModel:
    """The shipped weights (package data), read once: the shape-only model, or English's with word scores."""
    data_dir = resources.files("onrecord").joinpath("data")
    name = "line_model_en" if english else "line_model"
    data = json.loads(data_dir.joinpath(f"{name}.json").read_text(encoding="utf-8"))
    words = None
    if "words" in data:
        with data_dir.joinpath(f"{name}_words.npy").open("rb") as handle:
            words = WordScorer(np.load(handle), data["words"]["bias"])
    return LineModel(Scorer(**data["first"]), Scorer(**data["second"]), data["threshold"], words)
