"""Wire-copy benchmark: MinHash/LSH copy finding on real FNC-1 bodies and synthetic copies of them.

Two labelled sets per split (dev: FNC-1 train bodies; test: the competition test bodies):
- real: every pair of different bodies in one FNC-1 story (gold groups as in `eval stories`), judged by a
  written rule on shared runs of words. Write both bodies as words (lowercased, every run of letters and
  digits one word, everything else a separator). A word of the shorter body (fewer words) is covered when it
  lies in some run of 8 consecutive words that occurs, word for word and in that order, anywhere in the other
  body (an "nn" glued between a sentence end and a capital, FNC-1's trace of a paragraph break, is a space).
  The share of the shorter body's words that are covered is >= 0.8: a copy (the same article reprinted:
  trimmed, retitled, captioned, a few words changed per sentence, or set inside a longer article); < 0.5: not
  a copy (same story, different articles that may quote the same statements); between: left out. Identical
  bodies are copies. Runs rather than whole sentences, because reprints touch most sentences ("could not" for
  "couldn't", a name for "a man") and many FNC-1 bodies lost their paragraph breaks ("said.nnThe"), so a
  sentence rule called lightly edited reprints non-copies. The non-copies are the hard negatives.
- synthetic: for each body of >= 80 words, a copy made by trimming up to a fifth of its sentences from the
  end, adding a paragraph from another body, putting a new title line on top, re-punctuating (curly quotes,
  dashes, commas) and rewording 10% of its sentences (two words dropped, two swapped); scored with the hard
  negatives of the real set.
Everything is indexed in one MemoryCopyStore; a pair is called a copy when either body is a band-key
candidate of the other and the pair passes the similarity and containment thresholds. Thresholds are chosen
on dev: the highest synthetic recall with precision >= 0.98 on both the synthetic and the real set and <= 1% of
hard negatives called copies; then applied to test. The detector ships the thresholds chosen here.
"""
from __future__ import annotations

import random
import re
from itertools import combinations
from pathlib import Path

import click

from . import DATA_DIR_OPTION, emit_report

MIN_WORDS = 80
CONTAINMENT_GRID = tuple(round(0.3 + 0.05 * i, 2) for i in range(13))
SIMILARITY_GRID = (0.0, 0.1, 0.2, 0.3, 0.4)
RUN_WORDS = 8
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s]


_LOST_BREAK = re.compile(r"(?<=[.!?:\"”’'])nn(?=[A-Z\"“‘'(])")


def _words(text: str) -> list[str]:
    """Lowercased words; an "nn" that FNC-1 left for a paragraph break after a sentence ends is a break."""
    return re.findall(r"\w+", _LOST_BREAK.sub(" ", text).lower())


def shared_run_coverage(a: str, b: str) -> float:
    """The written rule: the share of the shorter text's words in a RUN_WORDS-word run also in the other."""
    shorter, longer = sorted((_words(a), _words(b)), key=len)
    if len(shorter) < RUN_WORDS:
        return 0.0
    runs = {tuple(longer[i:i + RUN_WORDS]) for i in range(len(longer) - RUN_WORDS + 1)}
    covered = [False] * len(shorter)
    for i in range(len(shorter) - RUN_WORDS + 1):
        if tuple(shorter[i:i + RUN_WORDS]) in runs:
            covered[i:i + RUN_WORDS] = [True] * RUN_WORDS
    return sum(covered) / len(shorter)


def synthetic_copy(text: str, other: str, rng: random.Random) -> str:
    """A wire copy as an outlet runs it: trimmed, with a local paragraph, retitled, re-punctuated, reworded."""
    parts = sentences(text)
    parts = parts[:len(parts) - rng.randint(0, len(parts) // 5)]
    for i in rng.sample(range(len(parts)), max(1, round(0.1 * len(parts)))):
        words = parts[i].split()
        if len(words) > 6:
            del words[rng.randrange(len(words))]
            del words[rng.randrange(len(words))]
            j = rng.randrange(len(words) - 1)
            words[j], words[j + 1] = words[j + 1], words[j]
        parts[i] = " ".join(words)
    local = " ".join(sentences(other)[:2])
    parts.insert(rng.randint(1, len(parts)), "\n\n" + local + "\n\n")
    body = " ".join(parts)
    body = re.sub(r'"([^"]*)"', r"“\1”", body).replace(" - ", " — ").replace(", and", " and")
    title = " ".join(rng.sample(other.split()[:12], min(6, len(other.split()[:12])))).title()
    return f"{title}\n\n{body}"


def build_pairs(bodies: dict[int, str], gold: dict[int, object], seed: int = 0):
    """(texts {id: text}, real pairs [(a, b, is_copy)], synthetic positives [(a, b)], hard negatives)."""
    rng = random.Random(seed)
    texts = {f"fnc:{k}": v for k, v in bodies.items()}
    by_story: dict[object, list[int]] = {}
    for body_id in bodies:
        by_story.setdefault(gold[body_id], []).append(body_id)
    real, negatives = [], []
    for members in by_story.values():
        for a, b in combinations(sorted(members), 2):
            if bodies[a].strip() == bodies[b].strip():
                real.append((f"fnc:{a}", f"fnc:{b}", True))
                continue
            share = shared_run_coverage(bodies[a], bodies[b])
            if share >= 0.8:
                real.append((f"fnc:{a}", f"fnc:{b}", True))
            elif share < 0.5:
                real.append((f"fnc:{a}", f"fnc:{b}", False))
                negatives.append((f"fnc:{a}", f"fnc:{b}"))
    ids = sorted(bodies)
    positives = []
    for body_id in ids:
        if len(bodies[body_id].split()) < MIN_WORDS:
            continue
        other = bodies[rng.choice([i for i in rng.sample(ids, 5) if gold[i] != gold[body_id]] or ids)]
        texts[f"copy:{body_id}"] = synthetic_copy(bodies[body_id], other, rng)
        positives.append((f"fnc:{body_id}", f"copy:{body_id}"))
    return texts, real, positives, negatives


def _overlaps(texts: dict[str, str], pairs) -> dict[tuple, tuple[float, float] | None]:
    """{pair: (similarity, containment)} when LSH makes the pair candidates, else None: the index's view."""
    from ..corpus.copies import MemoryCopyStore, fingerprint, overlap
    store = MemoryCopyStore()
    prints = {}
    for article_id, text in texts.items():
        prints[article_id] = fingerprint(article_id, text)
        store.add(article_id, prints[article_id].keys)
    found = {}
    for a, b in pairs:
        candidate = b in store.candidates(prints[a].keys)
        found[a, b] = overlap(prints[a], prints[b]) if candidate else None
    return found


def _score(found: dict, labelled, similarity: float, containment: float) -> dict:
    tp = fp = fn = tn = 0
    for a, b, is_copy in labelled:
        measured = found[a, b]
        called = measured is not None and measured[0] >= similarity and measured[1] >= containment
        tp += called and is_copy
        fp += called and not is_copy
        fn += is_copy and not called
        tn += not is_copy and not called
    return {"pairs": tp + fp + fn + tn, "copies": tp + fn, "non_copies": fp + tn,
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "false_copy_rate": fp / (fp + tn) if fp + tn else 0.0}


def evaluate_copies(data_dir: Path | None = None) -> dict:
    from .stories import load_fnc_stories
    data = load_fnc_stories(data_dir)
    splits = {}
    for name, split in (("dev", "train"), ("test", "test")):
        texts, real, positives, negatives = build_pairs(data[split]["bodies"], data[split]["gold"])
        synthetic = [(a, b, True) for a, b in positives] + [(a, b, False) for a, b in negatives]
        found = _overlaps(texts, {(a, b) for a, b, _ in real + synthetic})
        splits[name] = {"real": real, "synthetic": synthetic, "found": found}
    dev = splits["dev"]
    grid = [(s, c, _score(dev["found"], dev["synthetic"], s, c), _score(dev["found"], dev["real"], s, c))
            for s in SIMILARITY_GRID for c in CONTAINMENT_GRID]
    meeting = [g for g in grid if g[2]["precision"] >= 0.98 and g[2]["false_copy_rate"] <= 0.01
               and g[3]["precision"] >= 0.98]
    similarity, containment, *_ = max(meeting or grid, key=lambda g: (g[2]["recall"], g[2]["precision"], -g[1]))
    return {"thresholds": {"similarity": similarity, "containment": containment, "met_on_dev": bool(meeting)},
            "splits": {name: {kind: _score(s["found"], s[kind], similarity, containment)
                              for kind in ("synthetic", "real")} for name, s in splits.items()}}


@click.command("copies")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@DATA_DIR_OPTION
def copies_command(as_json, data_dir):
    """Score wire-copy finding on real FNC-1 pairs and synthetic copies, thresholds fixed on dev."""
    emit_report(lambda: evaluate_copies(data_dir), as_json, print_report)


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    t = report["thresholds"]
    table = Table(title=f"Wire copies (similarity >= {t['similarity']}, containment >= {t['containment']}, "
                        f"fixed on dev)")
    for column in ("split", "set", "pairs", "copies", "precision", "recall", "false copies"):
        table.add_column(column, justify="left" if column in ("split", "set") else "right")
    for name, kinds in report["splits"].items():
        for kind, s in kinds.items():
            table.add_row(name, kind, str(s["pairs"]), str(s["copies"]), f"{s['precision']:.3f}",
                          f"{s['recall']:.3f}", f"{s['false_copy_rate']:.3%}")
    Console(width=max(Console().width, 110)).print(table)
