"""Stance of an article toward a claim, measured on FNC-1 (Fake News Challenge, stage 1).

Each pair is a headline (the claim) and an article body; the label is agree, disagree, discuss or unrelated.
onrecord's answer comes from `onrecord.corpus.article_stance` (the body's onrecord analysis, the claim
matcher's BM25 and MiniLM, attribution stances and a small learned head), its stances mapped to FNC-1's
labels as that module documents. Two measures: the official FNC score (`scorer.upstream.py`: +0.25 for each
pair whose related/unrelated call is right, +0.75 more for the exact label of a related pair, as a share of
the most a perfect system gets) and macro-F1 over the four classes (Hanselowski et al., COLING 2018), with
each class's F1. Dev is held out of train by body (never by row), whole claim groups at a time (bodies
joined by a related headline), so that dev's claims, like test's, are not train's; test is the official
competition test set, read only when asked for.

The bodies are analysed once with onrecord's pipeline and the analyses kept under `--cache-dir` (about 10
minutes per 1,000 bodies on one core), beside the MiniLM vectors of bodies' sentences and headlines.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import click
import numpy as np

from ..records import Analysis, Article, Offsets
from . import DATA_DIR_OPTION, emit_report
from .extraction import default_data_dir

LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED = ("agree", "disagree", "discuss")
SPLITS = ("train", "dev", "test")
DEV_SHARE = 5  # a fifth of the train bodies go to dev, as whole claim groups chosen by a hash of their names


@dataclass
class Pair:
    """One FNC-1 pair: the headline (the claim), the body's id and the gold stance."""
    headline: str
    body_id: str
    stance: str


@dataclass
class Split:
    """A split's bodies (id -> text) and pairs."""
    name: str
    bodies: dict[str, str]
    pairs: list[Pair]


def dataset_dir(data_dir: Path | None = None) -> Path:
    folder = Path(data_dir or default_data_dir()) / "fnc-1"
    if not (folder / "train_stances.csv.gz").is_file():
        raise FileNotFoundError(f"FNC-1 is absent: no {folder / 'train_stances.csv.gz'}")
    return folder


def _read_csv(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def claim_groups(pairs: Iterable[Pair]) -> dict[str, str]:
    """Each body's claim group: bodies joined by a headline related to both (agree, disagree or discuss) are
    about one claim and share a group, named after its smallest body id."""
    parent: dict[str, str] = {}

    def root(body: str) -> str:
        while parent.setdefault(body, body) != body:
            parent[body] = parent[parent[body]]
            body = parent[body]
        return body

    related: dict[str, list[str]] = {}
    for pair in pairs:
        root(pair.body_id)
        if pair.stance in RELATED:
            related.setdefault(pair.headline, []).append(pair.body_id)
    for bodies in related.values():
        for body in bodies[1:]:
            a, b = root(bodies[0]), root(body)
            if a != b:
                parent[max(a, b, key=_body_order)] = min(a, b, key=_body_order)
    return {body: root(body) for body in parent}


def _body_order(body_id: str) -> tuple:
    return (0, int(body_id), "") if body_id.isdigit() else (1, 0, body_id)


def dev_bodies(pairs: Sequence[Pair]) -> set[str]:
    """The train bodies held out as dev: whole claim groups, taken in the order of a hash of their names until
    they hold a fifth of the bodies."""
    groups = claim_groups(pairs)
    members: dict[str, list[str]] = {}
    for body, group in groups.items():
        members.setdefault(group, []).append(body)
    order = sorted(members, key=lambda g: hashlib.sha256(f"fnc-dev:{g}".encode()).hexdigest())
    dev: set[str] = set()
    for group in order:
        if len(dev) >= len(groups) / DEV_SHARE:
            break
        dev.update(members[group])
    return dev


def load_split(name: str, data_dir: Path | None = None) -> Split:
    """`train` (train bodies outside dev), `dev` (held-out train bodies) or `test`. Dev holds whole claim
    groups of bodies (`claim_groups`): split by body id alone, 97% of dev's related headlines are also train's,
    while test shares almost none with train, so a body-only dev overstates test by several points."""
    if name not in SPLITS:
        raise ValueError(f"unknown FNC-1 split {name!r}: one of {', '.join(SPLITS)}")
    folder = dataset_dir(data_dir)
    prefix = "competition_test" if name == "test" else "train"
    bodies = {row["Body ID"]: row["articleBody"] for row in _read_csv(folder / f"{prefix}_bodies.csv.gz")}
    pairs = [Pair(row["Headline"], row["Body ID"], row["Stance"]) for row in _read_csv(folder / f"{prefix}_stances.csv.gz")]
    if name != "test":
        dev = dev_bodies(pairs)
        keep = (lambda b: b in dev) if name == "dev" else (lambda b: b not in dev)
        bodies = {b: text for b, text in bodies.items() if keep(b)}
        pairs = [p for p in pairs if keep(p.body_id)]
    return Split(name, bodies, pairs)


def load_predictions(path: Path) -> list[Pair]:
    """A submission file (`Headline,Body ID,Stance`, gzipped or not) as pairs, in file order."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return [Pair(row["Headline"], row["Body ID"], row["Stance"]) for row in csv.DictReader(handle)]


# ------------------------------------------------------------------------------------------------ metrics

def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """The official FNC-1 score (scorer.upstream.py): 0.25 for a right related/unrelated call, 0.75 more for
    the exact label of a related pair; `relative` is the score over the best possible."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    score = best = 0.0
    for g, p in zip(gold, predicted):
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.50
        if g in RELATED and p in RELATED:
            score += 0.25
        best += 0.25 if g == "unrelated" else 1.0
    return {"score": score, "max": best, "relative": score / best if best else 0.0}


def class_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LABELS) -> dict:
    """Per class precision, recall, F1 and support; `macro_f1` is the mean F1 over `labels`."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    report: dict = {"classes": {}}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report["classes"][label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    report["macro_f1"] = float(np.mean([c["f1"] for c in report["classes"].values()]))
    return report


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> list[list[int]]:
    """Rows gold, columns predicted, in LABELS order."""
    matrix = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, predicted):
        matrix[LABELS.index(g)][LABELS.index(p)] += 1
    return matrix


def score_labels(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """FNC score, macro-F1 with each class, accuracy and the confusion matrix."""
    f1 = class_f1(gold, predicted)
    return {"fnc": fnc_score(gold, predicted)["relative"], "macro_f1": f1["macro_f1"],
            "f1": {label: c["f1"] for label, c in f1["classes"].items()},
            "accuracy": float(np.mean([g == p for g, p in zip(gold, predicted)])) if gold else 0.0,
            "pairs": len(gold), "confusion": confusion(gold, predicted)}


def score_submission(path: Path, gold_pairs: Sequence[Pair]) -> dict:
    """A stored submission scored against gold, pairs matched by (headline, body id) as the upstream
    scorer does (it reads both files in the same order; here the order does not matter)."""
    predicted: dict[tuple[str, str], list[str]] = {}
    for pair in load_predictions(path):
        predicted.setdefault((pair.headline, pair.body_id), []).append(pair.stance)
    labels = []
    for pair in gold_pairs:
        found = predicted.get((pair.headline, pair.body_id))
        if not found:
            raise ValueError(f"{path.name} has no prediction for body {pair.body_id}: {pair.headline[:60]!r}")
        labels.append(found.pop(0))
    return score_labels([p.stance for p in gold_pairs], labels)


def reference_scores(data_dir: Path | None = None) -> dict:
    """The stored top systems' test predictions under this scorer."""
    folder = dataset_dir(data_dir) / "reference-predictions"
    test = load_split("test", data_dir)
    return {path.name.split("_")[0]: score_submission(path, test.pairs)
            for path in sorted(folder.glob("*_submission.csv*"))}


# ----------------------------------------------------------------------------------------- body analyses

def body_article(text: str) -> Article:
    """An FNC-1 body as an onrecord Article: each non-empty line a paragraph (the bodies are clean text, so
    the page cleaner, which would judge short lines as chrome, is not run)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    paragraphs, start = [], 0
    for line in lines:
        paragraphs.append(Offsets(start, start + len(line)))
        start += len(line) + 2
    return Article(title=None, text="\n\n".join(lines), paragraphs=paragraphs, language="en")


def _body_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def analyze_bodies(bodies: Mapping[str, str], cache_dir: Path | None = None, progress=None,
                   batch_size: int = 16) -> dict[str, Analysis]:
    """Each body's onrecord analysis (body id -> Analysis). With `cache_dir`, analyses are kept in
    `fnc-analyses.jsonl` there, keyed by a hash of the body text, and only missing ones are computed."""
    from ..analysis import analysable_text, analysis_from_doc
    from ..corpus.article_stance import analysis_from_dict
    from ..nlp import load
    from ..options import default_options

    cached: dict[str, dict] = {}
    path = Path(cache_dir) / "fnc-analyses.jsonl" if cache_dir else None
    if path is not None and path.is_file():
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:  # a line cut short by an interrupted run
                    continue
                cached[record["key"]] = record["analysis"]
    keys = {body_id: _body_key(text) for body_id, text in bodies.items()}
    missing = sorted({keys[b]: b for b in bodies if keys[b] not in cached}.values(), key=lambda b: keys[b])
    if missing:
        options = default_options()
        nlp = load(options.model, options.attribution, options.tagger_threads)
        sink = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            sink = path.open("a", encoding="utf-8")
        try:
            for start in range(0, len(missing), batch_size):
                group = missing[start:start + batch_size]
                articles = [body_article(bodies[b]) for b in group]
                texts = [analysable_text(article, options)[0] for article in articles]
                for body_id, article, doc in zip(group, articles, nlp.pipe(texts, batch_size=batch_size)):
                    record = analysis_from_doc(article, doc, options).to_dict()
                    cached[keys[body_id]] = record
                    if sink is not None:
                        sink.write(json.dumps({"key": keys[body_id], "analysis": record}) + "\n")
                if sink is not None:
                    sink.flush()
                if progress is not None:
                    progress(min(start + batch_size, len(missing)), len(missing))
        finally:
            if sink is not None:
                sink.close()
    return {body_id: analysis_from_dict(cached[keys[body_id]]) for body_id in bodies}


def cached_encode(texts: Sequence[str], encoder, cache_dir: Path | None, name: str = "sentences",
                  progress=None, chunk: int = 2000) -> np.ndarray:
    """MiniLM vectors of `texts` (one row each), kept in `cache_dir/fnc-minilm-{name}.npz` keyed by a hash
    of each text, so only texts not seen before are encoded (saved every `chunk` texts)."""
    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest()[:20] for t in texts]
    store: dict[str, np.ndarray] = {}
    path = Path(cache_dir) / f"fnc-minilm-{name}.npz" if cache_dir else None
    if path is not None and path.is_file():
        stored = np.load(path)
        store = dict(zip(stored["keys"].tolist(), stored["vectors"]))
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in store}.items())
    for start in range(0, len(missing), chunk):
        part = missing[start:start + chunk]
        vectors = encoder.encode([t for _, t in part])
        store.update(zip([k for k, _ in part], vectors))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(path.with_suffix(".tmp.npz"), keys=np.array(list(store)),
                     vectors=np.stack(list(store.values())).astype(np.float32))
            path.with_suffix(".tmp.npz").replace(path)
        if progress is not None:
            progress(min(start + chunk, len(missing)), len(missing))
    dim = encoder.word.shape[1] if encoder is not None else 384
    return np.stack([store[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, dim), np.float32)


# ---------------------------------------------------------------------------------------------- running

def predict_split(split: Split, cache_dir: Path | None = None, model=None, progress=None) -> list[str]:
    """onrecord's FNC-1 label for every pair of a split, through `ArticleStanceModel` as shipped."""
    from ..corpus.article_stance import ArticleStanceModel, split_sentences

    model = model or ArticleStanceModel.load()
    analyses = analyze_bodies(split.bodies, cache_dir, progress)
    encoder = model.encoder
    sentences = {b: [s.text for s in split_sentences(a.article)] for b, a in analyses.items()}
    headlines = sorted({p.headline for p in split.pairs})
    if encoder is not None:
        every = [t for b in analyses for t in sentences[b]]
        vectors = cached_encode(every, encoder, cache_dir, "sentences")
        claim_vectors = dict(zip(headlines, cached_encode(headlines, encoder, cache_dir, "headlines")))
    prepared, cursor = {}, 0
    for body_id, analysis in analyses.items():
        count = len(sentences[body_id])
        body_vectors = vectors[cursor:cursor + count] if encoder is not None and count else None
        prepared[body_id] = model.prepare(analysis, body_vectors)
        cursor += count
    rows = [model.features(p.headline, prepared[p.body_id],
                           claim_vectors[p.headline] if encoder is not None else None)[0] for p in split.pairs]
    empty = [not prepared[p.body_id].sentences for p in split.pairs]
    return ["unrelated" if none else model.decide(probabilities)  # no text: unrelated, as `predict` has it
            for none, probabilities in zip(empty, model.probabilities_many(rows))]


def evaluate_fnc(split: str = "dev", data_dir: Path | None = None, cache_dir: Path | None = None) -> dict:
    """onrecord's article stance on one FNC-1 split; on test, the stored top systems scored alongside.

    Returns {split, bodies, pairs, seconds, onrecord: {fnc, macro_f1, f1: {label: F1}, accuracy, confusion},
    references: {system: same} (test only)}."""
    data = load_split(split, data_dir)
    start = time.perf_counter()
    predicted = predict_split(data, cache_dir)
    report = {"split": split, "bodies": len(data.bodies), "pairs": len(data.pairs),
              "seconds": round(time.perf_counter() - start, 1),
              "onrecord": score_labels([p.stance for p in data.pairs], predicted)}
    if split == "test":
        report["references"] = reference_scores(data_dir)
    return report


@click.command("fnc")
@click.option("--split", type=click.Choice(("dev", "test")), default="dev", show_default=True,
              help="dev: the fifth of train bodies held out; test: the competition test set (once per model version).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@DATA_DIR_OPTION
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the bodies' analyses and MiniLM vectors here between runs (they take minutes).")
def fnc_command(split, as_json, data_dir, cache_dir):
    """Score the stance of an article toward a claim on FNC-1: FNC score, macro-F1 and each class's F1."""
    emit_report(lambda: evaluate_fnc(split, data_dir, cache_dir), as_json, print_report)


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    table = Table(title=f"FNC-1 {report['split']}: {report['pairs']:,} pairs over {report['bodies']:,} bodies "
                        f"({report['seconds']:.0f} s)")
    for column in ("system", "FNC score", "macro-F1", *LABELS, "accuracy"):
        table.add_column(column, justify="left" if column == "system" else "right")
    systems = {"onrecord": report["onrecord"], **report.get("references", {})}
    for name, s in systems.items():
        table.add_row(name, f"{s['fnc']:.4f}", f"{s['macro_f1']:.4f}", *(f"{s['f1'][k]:.3f}" for k in LABELS),
                      f"{s['accuracy']:.4f}")
    console = Console(width=max(Console().width, 100))
    console.print(table)
    matrix = Table(title="onrecord confusion (rows gold, columns predicted)")
    matrix.add_column("gold")
    for label in LABELS:
        matrix.add_column(label, justify="right")
    for label, row in zip(LABELS, report["onrecord"]["confusion"]):
        matrix.add_row(label, *(f"{n:,}" for n in row))
    console.print(matrix)
