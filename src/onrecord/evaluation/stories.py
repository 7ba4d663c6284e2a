"""Stories benchmark: online story clustering against FNC-1's claim groups, beside a TF-IDF average-link baseline.

Gold groups: FNC-1 pairs a headline (one of ~300 rumoured claims) with bodies, labelled agree, disagree,
discuss or unrelated. Bodies and headlines are nodes of one graph, each related (not 'unrelated') pair an
edge; a gold story is a connected component's bodies (train and test stances together, so a headline shared
by both splits links its bodies). A body with no related pair is a story of its own.

Both systems are tuned on the train bodies (a grid over their parameters, best B-cubed F1), then run once
on the 904 test bodies: the online clusterer in Body ID order and in three shuffled orders (seeds 1-3), the
baseline (average-link over TF-IDF cosines, cut at a distance) once, as it sees all bodies at the same time.
"""
from __future__ import annotations

import csv
import gzip
import random
import time
from collections import defaultdict
from pathlib import Path

import click

from . import DATA_DIR_OPTION, emit_report
from .extraction import default_data_dir

SPLIT_FILES = {"train": ("train_bodies.csv.gz", "train_stances.csv.gz"),
               "test": ("competition_test_bodies.csv.gz", "competition_test_stances.csv.gz")}
THRESHOLDS = (0.2, 0.225, 0.25, 0.275, 0.3)
ENTITY_WEIGHTS = (0.0, 0.1, 0.2)
BASELINE_CUTS = tuple(round(0.7 + 0.01 * i, 2) for i in range(30))
SHUFFLE_SEEDS = (1, 2, 3)


def _rows(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_fnc_stories(data_dir: Path | None = None) -> dict[str, dict]:
    """{split: {"bodies": {body id: text}, "gold": {body id: group id}}} from ../shared/data/fnc-1."""
    root = Path(data_dir or default_data_dir()) / "fnc-1"
    if not (root / SPLIT_FILES["train"][0]).exists():
        raise FileNotFoundError(f"FNC-1 not found under {root}")
    parent: dict[tuple, tuple] = {}

    def find(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    bodies = {}
    for split, (body_file, stance_file) in SPLIT_FILES.items():
        bodies[split] = {int(r["Body ID"]): r["articleBody"] for r in _rows(root / body_file)}
        for body_id in bodies[split]:
            find((split, body_id))
        for row in _rows(root / stance_file):
            if row["Stance"] != "unrelated":
                parent[find(("headline", row["Headline"]))] = find((split, int(row["Body ID"])))
    return {split: {"bodies": dict(sorted(texts.items())),
                    "gold": {body_id: find((split, body_id)) for body_id in texts}}
            for split, texts in bodies.items()}


def bcubed(predicted: dict, gold: dict) -> dict:
    """B-cubed precision, recall and F1 (Bagga & Baldwin): per item, the share of its predicted cluster in its
    gold group and the reverse, averaged over items."""
    predicted_members, gold_members = _members(predicted), _members(gold)
    precision = recall = 0.0
    for item in gold:
        shared = len(predicted_members[predicted[item]] & gold_members[gold[item]])
        precision += shared / len(predicted_members[predicted[item]])
        recall += shared / len(gold_members[gold[item]])
    return _prf(precision / len(gold), recall / len(gold))


def pairwise(predicted: dict, gold: dict) -> dict:
    """Precision, recall and F1 over the pairs of items put together, counted from cluster overlaps."""
    overlap = defaultdict(int)
    for item in gold:
        overlap[predicted[item], gold[item]] += 1
    together = sum(n * (n - 1) // 2 for n in overlap.values())
    predicted_pairs = sum(len(m) * (len(m) - 1) // 2 for m in _members(predicted).values())
    gold_pairs = sum(len(m) * (len(m) - 1) // 2 for m in _members(gold).values())
    return _prf(together / predicted_pairs if predicted_pairs else 1.0, together / gold_pairs if gold_pairs else 1.0)


def _members(assignment: dict) -> dict:
    members = defaultdict(set)
    for item, cluster in assignment.items():
        members[cluster].add(item)
    return members


def _prf(precision: float, recall: float) -> dict:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def run_online(bodies: dict[int, str], order: list[int], threshold: float, entity_weight: float) -> dict:
    """{body id: story id} from the online clusterer fed in `order`, each body's story after the last one
    arrived (a story may have absorbed another since); no dates, so no time window."""
    from ..corpus.stories import MemoryStoryState, StoryClusterer
    state = MemoryStoryState()
    clusterer = StoryClusterer(threshold=threshold, entity_weight=entity_weight, window=None, state=state)
    for body_id in order:
        clusterer.add(body_id, bodies[body_id])
    return {body_id: state.story_of[body_id] for body_id in order}


def run_baseline(bodies: dict[int, str], cut: float) -> dict:
    """{body id: cluster} from average-link clustering over TF-IDF cosine distances, cut at `cut`."""
    return _baseline_clusterings(bodies, (cut,))[cut]


def _baseline_clusterings(bodies: dict[int, str], cuts) -> dict[float, dict]:
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    matrix = _tfidf_matrix(list(bodies.values()))
    distances = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, None)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False), method="average")
    ids = list(bodies)
    return {cut: dict(zip(ids, fcluster(tree, t=cut, criterion="distance").tolist())) for cut in cuts}


def _tfidf_matrix(texts: list[str]):
    """Sparse rows of sublinear TF-IDF over the words the online clusterer uses, unit length."""
    import numpy as np
    from scipy import sparse
    from ..corpus.stories import terms
    counts = [terms(text) for text in texts]
    vocabulary = {t: i for i, t in enumerate(sorted({t for c in counts for t in c}))}
    document_frequency = np.zeros(len(vocabulary))
    for c in counts:
        document_frequency[[vocabulary[t] for t in c]] += 1
    idf = np.log((1 + len(texts)) / (1 + document_frequency)) + 1
    rows, columns, values = [], [], []
    for row, c in enumerate(counts):
        for term, n in c.items():
            rows.append(row)
            columns.append(vocabulary[term])
            values.append((1 + np.log(n)) * idf[vocabulary[term]])
    matrix = sparse.csr_matrix((values, (rows, columns)), shape=(len(texts), len(vocabulary)))
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    return sparse.diags(1 / np.maximum(norms, 1e-12)) @ matrix


def _tune_online(bodies: dict, gold: dict) -> tuple[dict, list[dict]]:
    grid = []
    for threshold in THRESHOLDS:
        for entity_weight in ENTITY_WEIGHTS:
            scores = bcubed(run_online(bodies, list(bodies), threshold, entity_weight), gold)
            grid.append({"threshold": threshold, "entity_weight": entity_weight, "bcubed_f1": scores["f1"]})
    best = max(grid, key=lambda g: g["bcubed_f1"])
    return {"threshold": best["threshold"], "entity_weight": best["entity_weight"]}, grid


def _tune_baseline(bodies: dict, gold: dict) -> tuple[float, list[dict]]:
    grid = [{"cut": cut, "bcubed_f1": bcubed(assignment, gold)["f1"]}
            for cut, assignment in _baseline_clusterings(bodies, BASELINE_CUTS).items()]
    return max(grid, key=lambda g: g["bcubed_f1"])["cut"], grid


def evaluate_stories(data_dir: Path | None = None, split: str = "test") -> dict:
    """Tunes both systems on train, then scores them on `split` (test, or train to see the tuned fit)."""
    data = load_fnc_stories(data_dir)
    train = data["train"]
    online_params, online_grid = _tune_online(train["bodies"], train["gold"])
    baseline_cut, baseline_grid = _tune_baseline(train["bodies"], train["gold"])
    bodies, gold = data[split]["bodies"], data[split]["gold"]
    orders = {"body id": list(bodies)}
    for seed in SHUFFLE_SEEDS:
        shuffled = list(bodies)
        random.Random(seed).shuffle(shuffled)
        orders[f"shuffled (seed {seed})"] = shuffled
    online = {}
    for name, order in orders.items():
        start = time.perf_counter()
        assignment = run_online(bodies, order, **online_params)
        online[name] = {"bcubed": bcubed(assignment, gold), "pairwise": pairwise(assignment, gold),
                        "stories": len(set(assignment.values())),
                        "ms_per_article": 1000 * (time.perf_counter() - start) / len(order)}
    baseline = run_baseline(bodies, baseline_cut)
    return {"split": split, "bodies": len(bodies), "gold_groups": len(set(gold.values())),
            "online": {"params": online_params, "orders": online, "train_grid": online_grid},
            "baseline": {"cut": baseline_cut, "bcubed": bcubed(baseline, gold), "pairwise": pairwise(baseline, gold),
                         "stories": len(set(baseline.values())), "train_grid": baseline_grid}}


@click.command("stories")
@click.option("--split", type=click.Choice(["test", "train"]), default="test", show_default=True,
              help="Where to score after tuning on train (train shows the tuned fit).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report (with the tuning grids) as JSON.")
@DATA_DIR_OPTION
def stories_command(split, as_json, data_dir):
    """Score online story clustering on FNC-1's claim groups beside a TF-IDF average-link baseline."""
    emit_report(lambda: evaluate_stories(data_dir, split), as_json, print_report)


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    table = Table(title=f"Stories on FNC-1 {report['split']} bodies ({report['bodies']} bodies, "
                        f"{report['gold_groups']} gold groups)")
    for column in ("system", "order", "B3 P", "B3 R", "B3 F1", "pair P", "pair R", "pair F1", "stories"):
        table.add_column(column, justify="left" if column in ("system", "order") else "right")

    def row(system, order, result):
        b, p = result["bcubed"], result["pairwise"]
        table.add_row(system, order, *(f"{x:.3f}" for x in (b["precision"], b["recall"], b["f1"],
                                                             p["precision"], p["recall"], p["f1"])),
                      str(result["stories"]))
    params = report["online"]["params"]
    for order, result in report["online"]["orders"].items():
        row(f"online (t={params['threshold']}, e={params['entity_weight']})", order, result)
    row(f"TF-IDF average-link (cut {report['baseline']['cut']})", "all at once", report["baseline"])
    Console(width=max(Console().width, 130)).print(table)
