"""Fit the text cleaner's line model (`src/onrecord/data/line_model.json`) on WCXB dev renderings.

Every page is rendered to visible text by ../shared/bench/render_text.py (the naive scrape of the
plain-text benchmark). A WCXB dev line is labelled article when it appears in the page's ground-truth text
(the whole line, or at least half of its word trigrams). Both stages are one-hidden-layer networks fitted
with Adam in numpy; stage 2 is fitted on out-of-fold stage-1 scores, so it learns from scores like those
it will see on new pages. Five-fold cross-validation by page reports the page-level word F1 of the kept
lines on WCXB and the segment F1 on trafilatura's set, and picks the threshold on the sets with gold labels
that trained the model. Zyte, NAEB and WCXB test are held out and never read. Fixed seed and fold split.

`--trafilatura-weight W` (default 0) also trains on trafilatura's evaluation set as partial labels: a line
holding one of a page's "with" snippets is article, one holding a "without" snippet is not, other lines
are context only. Weight 3 raised that set's cross-validated F1 by 0.037 with WCXB unchanged, but its lower
threshold kept more chrome on held-out news pages (Zyte text mode 0.882 -> 0.865 in 0.2.2), so the shipped
model is WCXB's alone: the 0.2.1 fit (cross-validated 0.8965). Refits differ from it in the last digits:
Adam's path is sensitive to last-bit differences in the features, and chrome patterns added since change
the chrome flags (a refit on 2026-11-28 after 0.2.2: 0.897 at threshold 0.55).

`--silver-weight W` (default 0) adds htmldate's date-set pages, which carry no extraction truth, with their
rendered lines labelled by what onrecord's HTML cleaner keeps where trafilatura agrees (the text mode
learning what the markup told the HTML mode); pages also in trafilatura's set or WCXB dev are left out.
Weight 0.5 raised trafilatura's set in cross-validation (line model alone) from 0.826 to 0.853 with WCXB
unchanged, but the whole text cleaner only from 0.849 to 0.857 (English pages 0.891 -> 0.886), so the
shipped model does not use it (docs/extraction-runs.md).

`--english` fits the English model instead (`line_model_en.json` and `line_model_en_words.npy`): a
logistic regression over each line's hashed words and word pairs (`WordScorer`) whose log-odds become one
more stage-1 feature. Its folds score each page with a word model fitted on the other folds, so the network
learns how far to trust words it has not memorised. On trafilatura's set it is meant for English pages only:
the cleaner uses it when a scrape reads as English (docs/extraction-runs.md).

    python scripts/train_line_model.py --data-dir ../shared/data [--limit N] [--trafilatura-weight W]
        [--silver-weight W] [--english] [--write]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from onrecord.cleaning import chrome_reason
from onrecord.cleaning.text import _text_units
from onrecord.evaluation.extraction import load_dataset, render_pages, segments_aggregate, segments_page, word_f1
from onrecord.line_model import LineModel, Scorer, WordScorer, stage_one_features, stage_two_features, word_buckets

WORD = re.compile(r"\w+")
FOLDS = 5
HIDDEN = 32
EPOCHS = 8
BATCH = 512
LEARNING_RATE = 3e-3
WEIGHT_DECAY = 1e-4
SEED = 7
THRESHOLDS = [round(t, 2) for t in np.arange(0.2, 0.75, 0.05)]
TRAFILATURA_WEIGHT = 0.0  # 3 was best on dev cross-validation but lost on held-out Zyte text mode (0.2.2)
SILVER_WEIGHT = 0.0  # 0.5 helped the line model alone but not the whole cleaner (docs/extraction-runs.md)
SILVER_AGREEMENT = 0.8  # word F1 between onrecord's and trafilatura's HTML-mode texts for a silver page
SILVER_MIN_WORDS = 150
WORD_BITS = 18          # 2**18 buckets for words and word pairs; 16 and 20 bits scored within 0.001 on WCXB
WORD_L2 = 1e-6
WORD_STEPS = 300        # full-batch Adam steps of the word model
WORD_LEARNING_RATE = 0.05
DATA = Path(__file__).resolve().parent.parent / "src" / "onrecord" / "data"
OUTPUT = DATA / "line_model.json"


def labels(lines: list[str], truth: str) -> np.ndarray:
    gold_tokens = [t.lower() for t in WORD.findall(truth)]
    gold = " " + " ".join(gold_tokens) + " "
    trigrams = {tuple(gold_tokens[i:i + 3]) for i in range(len(gold_tokens) - 2)}
    out = []
    for line in lines:
        tokens = [t.lower() for t in WORD.findall(line)]
        if not tokens:
            out.append(0.0)
        elif " " + " ".join(tokens) + " " in gold:
            out.append(1.0)
        elif len(tokens) >= 3:
            grams = [tuple(tokens[i:i + 3]) for i in range(len(tokens) - 2)]
            out.append(float(sum(g in trigrams for g in grams) / len(grams) >= 0.5))
        else:
            out.append(0.0)
    return np.array(out)


def snippet_labels(lines: list[str], truth: dict) -> tuple[np.ndarray, np.ndarray]:
    """(label, weight) per line from trafilatura's with/without snippets; lines holding neither weigh 0."""
    def holds(line, snippet):
        return bool(snippet) and (snippet in line or (len(line) > 20 and line in snippet))
    texts = [" ".join(line.split()) for line in lines]
    label, weight = np.zeros(len(lines)), np.zeros(len(lines))
    for snippet in (" ".join(s.split()) for s in truth.get("with") or []):
        for i, text in enumerate(texts):
            if holds(text, snippet):
                label[i], weight[i] = 1.0, 1.0
    for snippet in (" ".join(s.split()) for s in truth.get("without") or []):
        for i, text in enumerate(texts):
            if weight[i] == 0 and holds(text, snippet):
                weight[i] = 1.0
    return label, weight


def adam_step(params: list[np.ndarray], grads: list[np.ndarray], moments: list, step: int, rate: float) -> None:
    """One Adam update of every parameter in place (first and second moments decaying at 0.9 and 0.999)."""
    for param, grad, (m, v) in zip(params, grads, moments):
        m *= 0.9
        m += 0.1 * grad
        v *= 0.999
        v += 0.001 * grad * grad
        param -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, hidden: int = HIDDEN, epochs: int = EPOCHS,
        seed: int = SEED) -> Scorer:
    """One hidden ReLU layer, weighted cross-entropy, Adam on shuffled mini-batches (numpy only, seeded)."""
    rng = np.random.default_rng(seed)
    weight = np.ones(len(y)) if weight is None else weight
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    params = [rng.normal(0, (2 / z.shape[1]) ** 0.5, (z.shape[1], hidden)), np.zeros(hidden),
              rng.normal(0, (1 / hidden) ** 0.5, hidden), np.zeros(1)]
    moments = [[np.zeros_like(p), np.zeros_like(p)] for p in params]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(z))
        for lo in range(0, len(z), BATCH):
            batch = order[lo:lo + BATCH]
            xb, yb, wb = z[batch], y[batch], weight[batch]
            pre = xb @ params[0] + params[1]
            act = np.maximum(0.0, pre)
            p = 1 / (1 + np.exp(-np.clip(act @ params[2] + params[3][0], -30, 30)))
            d_out = wb * (p - yb) / len(batch)
            d_act = np.outer(d_out, params[2]) * (pre > 0)
            grads = [xb.T @ d_act + WEIGHT_DECAY * params[0], d_act.sum(axis=0),
                     act.T @ d_out + WEIGHT_DECAY * params[2], np.array([d_out.sum()])]
            step += 1
            adam_step(params, grads, moments, step, LEARNING_RATE)
    return Scorer(mean, scale, params[0], params[1], params[2], float(params[3][0]))


def fit_words(lines: list[str], y: np.ndarray, weight: np.ndarray, bits: int = WORD_BITS,
              steps: int = WORD_STEPS) -> WordScorer:
    """Weighted logistic regression over hashed words, full-batch Adam on a sparse design held as
    (row, bucket) pairs: each row's buckets are scaled by 1/sqrt(their number), as `WordScorer` reads them."""
    buckets = [word_buckets(line, bits) for line in lines]
    rows = np.repeat(np.arange(len(lines)), [len(b) for b in buckets])
    cols = np.fromiter((c for b in buckets for c in b), dtype=np.int64, count=len(rows))
    values = 1 / np.sqrt(np.array([len(b) for b in buckets], dtype=float))[rows]
    size, total = 1 << bits, max(weight.sum(), 1e-9)
    params, moments = [np.zeros(size), np.zeros(1)], [[np.zeros(size), np.zeros(size)], [np.zeros(1), np.zeros(1)]]
    for step in range(1, steps + 1):
        z = np.bincount(rows, weights=params[0][cols] * values, minlength=len(lines)) + params[1][0]
        residual = weight * (1 / (1 + np.exp(-np.clip(z, -30, 30))) - y) / total
        grads = [np.bincount(cols, weights=residual[rows] * values, minlength=size) + WORD_L2 * params[0],
                 np.array([residual.sum()])]
        adam_step(params, grads, moments, step, WORD_LEARNING_RATE)
    return WordScorer(params[0], float(params[1][0]))


def words_out_of_fold(pages: list, folds: np.ndarray) -> list[np.ndarray]:
    """Each page's word scores from a word model fitted on the other folds' labelled pages."""
    scores = [None] * len(pages)
    for fold in np.unique(folds):
        train = [i for i in np.flatnonzero(folds != fold) if pages[i].weight.any()]
        scorer = fit_words([line for i in train for line in pages[i].lines],
                           np.concatenate([pages[i].target for i in train]),
                           np.concatenate([pages[i].weight for i in train]))
        for i in np.flatnonzero(folds == fold):
            scores[i] = scorer(pages[i].lines)
    return scores


def out_of_fold(features: list[np.ndarray], targets: list[np.ndarray], weights: list[np.ndarray],
                folds: np.ndarray) -> list[np.ndarray]:
    """Each page's scores from a model fitted on the other folds' pages."""
    scores = [None] * len(features)
    for fold in np.unique(folds):
        train = [i for i in np.flatnonzero(folds != fold) if weights[i].any()]  # unlabelled pages only score
        scorer = fit(np.vstack([features[i] for i in train]), np.concatenate([targets[i] for i in train]),
                     np.concatenate([weights[i] for i in train]))
        for i in np.flatnonzero(folds == fold):
            scores[i] = scorer(features[i])
    return scores


def kept_text(lines: list[str], scores: np.ndarray, threshold: float) -> str:
    return "\n".join(line for line, score in zip(lines, scores) if score >= threshold)


def page_f1(pages, scores, threshold) -> float:
    """Mean page word F1 of the kept lines (WCXB's measure)."""
    return float(np.mean([word_f1(kept_text(page.lines, sc, threshold), page.truth)[0]
                          for page, sc in zip(pages, scores)]))


def segment_f1(pages, scores, threshold, language: str | None = None) -> float:
    """Segment F1 of the kept lines over trafilatura's snippets (its own measure), optionally one language."""
    components = [segments_page(page.truth, kept_text(page.lines, sc, threshold))
                  for page, sc in zip(pages, scores) if language is None or page.language == language]
    return float(segments_aggregate(np.array(components, dtype=float).reshape(-1, 4))["f1"])


@dataclass
class RenderedPage:
    lines: list[str]
    features: np.ndarray
    truth: object
    language: str | None
    target: np.ndarray
    weight: np.ndarray
    url: str | None = None


def silver_pages(data_dir: str, limit: int | None, weight: float, exclude: set[str],
                 agreement: float = SILVER_AGREEMENT) -> list[RenderedPage]:
    """htmldate's date-set pages (no extraction truth) labelled by the HTML cleaner: a rendered line is
    article when it is in onrecord's HTML-mode text. Only pages where trafilatura's text agrees with it
    (word F1 >= `agreement`) are kept, so the labels are ones two extractors with markup share. Pages whose
    URL is in `exclude` (the sets the model is scored on: many of htmldate's pages are also in
    trafilatura's set) are left out."""
    from onrecord.evaluation.dates import load_date_set
    from onrecord.evaluation.extraction import BenchPage, run_onrecord_html, run_trafilatura
    entries = {str(e["path"]): e for name in ("default", "mediacloud") for e in load_date_set(name, Path(data_dir))}
    bench = [BenchPage(Path(path).name, Path(path), e["url"], None) for path, e in sorted(entries.items())
             if e["url"] not in exclude][:limit]
    pages = []
    for page, text in zip(bench, render_pages(bench)):
        lines = _text_units(text)
        ours = run_onrecord_html(page)
        if not lines or len(ours.split()) < SILVER_MIN_WORDS or word_f1(run_trafilatura(page), ours)[0] < agreement:
            continue
        features = stage_one_features(lines, [chrome_reason(line) is not None for line in lines])
        pages.append(RenderedPage(lines, features, ours, None, labels(lines, ours), np.full(len(lines), weight),
                                  page.url))
    return pages


def rendered_pages(dataset: str, data_dir: str, limit: int | None, snippet_weight: float = 1.0) -> list[RenderedPage]:
    """A benchmark's pages rendered to text, with line features, labels and label weights."""
    bench = load_dataset(dataset, "dev" if dataset == "wcxb" else None, Path(data_dir), limit)
    pages = []
    for page, text in zip(bench, render_pages(bench)):
        lines = _text_units(text)
        if not lines:
            continue
        features = stage_one_features(lines, [chrome_reason(line) is not None for line in lines])
        if dataset == "wcxb":
            target, weight = labels(lines, page.truth), np.ones(len(lines))
        else:
            target, weight = snippet_labels(lines, page.truth)
            weight = weight * snippet_weight
        pages.append(RenderedPage(lines, features, page.truth, page.language, target, weight, page.url))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N pages of each set")
    parser.add_argument("--trafilatura-weight", type=float, default=TRAFILATURA_WEIGHT,
                        help="weight of each labelled line of trafilatura's set (0: WCXB dev alone)")
    parser.add_argument("--silver-weight", type=float, default=SILVER_WEIGHT,
                        help="weight of each line of htmldate's pages labelled by the HTML cleaner (0: none)")
    parser.add_argument("--english", action="store_true",
                        help="fit the English model, whose stage 1 also reads each line's word score")
    parser.add_argument("--write", action="store_true", help=f"write the fitted model to {DATA}")
    args = parser.parse_args()
    wcxb = rendered_pages("wcxb", args.data_dir, args.limit)
    snippets = rendered_pages("trafilatura", args.data_dir, args.limit, args.trafilatura_weight)
    scored = {p.url for p in wcxb + snippets}
    silver = silver_pages(args.data_dir, args.limit, args.silver_weight, scored) if args.silver_weight > 0 else []
    pages = wcxb + snippets + silver
    folds = np.concatenate([np.arange(len(wcxb)) % FOLDS, np.arange(len(snippets)) % FOLDS,
                            np.arange(len(silver)) % FOLDS]).astype(int)
    features, targets, weights = [p.features for p in pages], [p.target for p in pages], [p.weight for p in pages]
    if args.english:
        features = [np.hstack([f, w[:, None]]) for f, w in zip(features, words_out_of_fold(pages, folds))]
    first_oof = out_of_fold(features, targets, weights, folds)
    second_features = [stage_two_features(f, s) for f, s in zip(features, first_oof)]
    second_oof = out_of_fold(second_features, targets, weights, folds)
    wcxb_scores, snippet_scores = second_oof[:len(wcxb)], second_oof[len(wcxb):len(wcxb) + len(snippets)]
    report = {"wcxb_pages": len(wcxb), "wcxb_lines": int(sum(len(p.target) for p in wcxb)),
              "trafilatura_pages": len(snippets), "trafilatura_labelled_lines": int(sum((p.weight > 0).sum() for p in snippets)),
              "trafilatura_weight": args.trafilatura_weight,
              "silver_pages": len(silver), "silver_weight": args.silver_weight,
              "wcxb_oracle": page_f1(wcxb, [p.target for p in wcxb], 0.5),
              "wcxb_stage1": {t: page_f1(wcxb, first_oof[:len(wcxb)], t) for t in THRESHOLDS},
              "wcxb_stage2": {t: page_f1(wcxb, wcxb_scores, t) for t in THRESHOLDS},
              "trafilatura_stage2": {t: segment_f1(snippets, snippet_scores, t) for t in THRESHOLDS},
              "trafilatura_en_stage2": {t: segment_f1(snippets, snippet_scores, t, "en") for t in THRESHOLDS}}
    snippet_share = 1.0 if args.trafilatura_weight > 0 else 0.0  # a set that did not train does not choose
    threshold = max(THRESHOLDS, key=lambda t: report["wcxb_stage2"][t] + snippet_share * report["trafilatura_stage2"][t])
    report["threshold"] = threshold
    print(json.dumps(report, indent=1))
    if args.write:
        trained = [i for i, w in enumerate(weights) if w.any()]
        first = fit(np.vstack([features[i] for i in trained]), np.concatenate([targets[i] for i in trained]),
                    np.concatenate([weights[i] for i in trained]))
        second = fit(np.vstack([second_features[i] for i in trained]), np.concatenate([targets[i] for i in trained]),
                     np.concatenate([weights[i] for i in trained]))
        words = None
        if args.english:
            words = fit_words([line for i in trained for line in pages[i].lines],
                              np.concatenate([targets[i] for i in trained]), np.concatenate([weights[i] for i in trained]))
        model = LineModel(first, second, threshold, words).to_json()
        model["trained_on"] = f"WCXB dev renderings, {len(wcxb)} pages; cross-validated word F1 {report['wcxb_stage2'][threshold]:.3f}"
        if words:
            model["trained_on"] += f"; stage 1 also reads a word score over 2**{words.bits} hashed words and word pairs"
        if silver:
            model["trained_on"] += (f"; {len(silver)} htmldate pages labelled by the HTML cleaner, lines weighted "
                                    f"{args.silver_weight:g}; trafilatura's set (not trained on) cross-validated "
                                    f"segment F1 {report['trafilatura_stage2'][threshold]:.3f}")
        if args.trafilatura_weight > 0:
            model["trained_on"] += (f"; and trafilatura's set, {len(snippets)} pages, snippet lines weighted "
                                    f"{args.trafilatura_weight:g}; cross-validated segment F1 "
                                    f"{report['trafilatura_stage2'][threshold]:.3f}")
        output = DATA / "line_model_en.json" if args.english else OUTPUT
        output.write_text(json.dumps(model, indent=None) + "\n", encoding="utf-8")
        if words:
            np.save(DATA / "line_model_en_words.npy", words.weights.astype(np.float16))
        print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
