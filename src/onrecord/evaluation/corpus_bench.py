"""Corpus benchmarks: does linking stay cheap as the store grows, and what does storing cost beside a batch?

`run_store_scaling` fills a fresh SQLite store with a synthetic corpus made from real texts (FNC-1's bodies and
PolNeAR's articles, perturbed) and times adding articles to copies, stories and claims across articles at each
size. The analyses are precomputed (entities are the texts' capitalised names; two claims per article, made of
its first sentences: an anonymous source's report, and a named party's statement that now and then denies,
confirms or cannot confirm), so only what grows with the corpus is timed: the article's rows, its MinHash
lookup and copy links, its story, and its claims' record lookups and status histories. Claims are matched by
their words: MiniLM encoding costs the same per claim at any corpus size and would make a 100,000-article fill
take hours on two cores. The corpus is built like
a news feed: about 100 articles a day in date order; three in ten are wire copies of an article of the last few
days (trimmed, retitled, a local paragraph added), the rest are new articles written from the sentences of
several bodies about one FNC-1 claim, with a sixth of their words replaced, so stories form and copies stay
copies of recent pages.

`run_ingest_throughput` runs `onrecord batch`, `onrecord ingest --no-claims` (analysis, store, copies and stories:
issue 16's ingest) and `onrecord ingest` (claims across articles linked too) on the same pages with the same
workers, each in a fresh process, and compares their pages per second.
"""
from __future__ import annotations

import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from ..corpus.linking import link_article
from ..errors import OnrecordError
from ..corpus.store import analyses, articles, claim_events, claim_records, entities, open_engine, stories, text_hash
from ..corpus.stories import surface_entities
from .copies import sentences, synthetic_copy
from .polnear import polnear_dir
from .stories import load_fnc_stories

SIZES = (10_000, 100_000)
ADDITIONS = 1_000
PER_DAY = 100
COPY_SHARE = 0.3
RECENT = 300  # articles a copy may reprint: about the last three days
REPLACED = 1 / 6
ENTITIES = 10
START = datetime(2020, 1, 1)


def source_texts(data_dir: Path | None = None) -> list[list[str]]:
    """Groups of texts about one subject: the bodies of each FNC-1 claim, and each PolNeAR article alone."""
    fnc = load_fnc_stories(data_dir)
    groups: dict[object, list[str]] = {}
    for split in fnc.values():
        for body_id, text in split["bodies"].items():
            groups.setdefault(split["gold"][body_id], []).append(text)
    root = polnear_dir(data_dir) / "data"
    polnear = [[path.read_text(encoding="utf-8", errors="replace")] for path in sorted(root.glob("*/text/*.txt"))]
    return [group for group in list(groups.values()) + polnear if sum(len(t.split()) for t in group) >= 80]


class SyntheticFeed:
    """An endless, reproducible stream of (text, published) in date order."""

    def __init__(self, groups: list[list[str]], seed: int = 0):
        self.groups = [[sentences(text) for text in group] for group in groups]
        self.vocabulary = sorted({w for group in groups for text in group for w in text.split() if w.isalpha()})
        self.rng = random.Random(seed)
        self.recent: deque[str] = deque(maxlen=RECENT)
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self) -> tuple[str, datetime]:
        published = START + timedelta(days=self.count // PER_DAY, seconds=self.rng.randrange(86_400))
        self.count += 1
        if self.recent and self.rng.random() < COPY_SHARE:
            text = synthetic_copy(self.rng.choice(self.recent), self._new_article(), self.rng)
        else:
            text = self._new_article()
            self.recent.append(text)
        return text, published

    def _new_article(self) -> str:
        group = self.rng.choice(self.groups)
        picked = [s for body in self.rng.sample(group, min(3, len(group)))
                  for s in self.rng.sample(body, min(len(body), self.rng.randint(3, 8)))]
        words = " ".join(picked).split()
        for i in self.rng.sample(range(len(words)), int(len(words) * REPLACED)):
            words[i] = self.rng.choice(self.vocabulary)
        return " ".join(words)


def _resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


ANSWER_STANCES = ("assert",) * 8 + ("deny", "confirm", "unconfirmed")


def synthetic_analysis(text: str, names: list[str], rng: random.Random) -> dict:
    """A precomputed analysis with two claims: the first two sentences an anonymous source's report, the third a
    named party's statement, an answer about one time in four."""
    parts = sentences(text)[:3]
    speakers = [("a source familiar with the matter", "anonymous")] * 2 + [(names[0] if names else "a spokesman",
                                                                          "organization" if names else "anonymous")]
    said, start = [], 0
    for number, (sentence, (speaker, kind)) in enumerate(zip(parts, speakers), 1):
        stance = "assert" if number < 3 else rng.choice(ANSWER_STANCES)
        said.append({"id": f"a{number}", "speaker": {"name": speaker, "type": kind}, "chain": [{"name": speaker,
                     "type": kind}], "stance": stance, "content": {"text": sentence, "start": start,
                                                                  "end": start + len(sentence)}})
        start += len(sentence) + 1
    claimed = [{"id": "c1", "attributions": [a["id"] for a in said[:2]]}] + \
        ([{"id": "c2", "attributions": ["a3"]}] if len(said) > 2 else [])
    return {"article": {"title": None, "text": " ".join(sentences(text))}, "attributions": said, "entities": [],
            "claims": claimed}


def _add(engine, number: int, text: str, published: datetime, rng: random.Random) -> None:
    """One article stored with its analysis and linked in its own transaction, as ingest does."""
    digest = hashlib.sha256(f"{number}:{text}".encode("utf-8")).hexdigest()
    names = sorted(surface_entities(text))[:ENTITIES]
    with engine.begin() as connection:
        analysis_id = connection.execute(analyses.insert().values(
            content_hash=digest, schema="bench", analysis=synthetic_analysis(text, names, rng),
            analysed_at=published.isoformat())).inserted_primary_key[0]
        article_id = connection.execute(articles.insert().values(
            url=f"bench://{number}", version=1, is_latest=True, source="bench", published=published.isoformat(),
            text=text, language="en", content_hash=digest, text_hash=text_hash(text), analysis_id=analysis_id,
            ingested_at=published.isoformat())).inserted_primary_key[0]
        if names:
            connection.execute(entities.insert(), [
                {"article_id": article_id, "entity": f"E{i}", "name": name, "type": "organization",
                 "titles": [], "mentions": 1} for i, name in enumerate(names, 1)])
        link_article(connection, article_id, embeddings=False)


def run_store_scaling(sizes=SIZES, additions: int = ADDITIONS, data_dir: Path | None = None,
                      db: str | Path | None = None, groups: list[list[str]] | None = None, progress=None) -> dict:
    """Milliseconds to add one article (median and 90th percentile of `additions`, wall-clock, and the median of
    this process's CPU time, which other work on the machine does not inflate) and resident memory, with the
    store holding each of `sizes` articles. `groups` (texts by subject) default to `source_texts(data_dir)`."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = open_engine(db or Path(scratch) / "bench.db")
        feed = SyntheticFeed(groups or source_texts(data_dir))
        rng = random.Random(1)
        stored, rows, fill_start = 0, [], time.perf_counter()
        for size in sorted(sizes):
            while stored < size:
                _add(engine, stored, *next(feed), rng)
                stored += 1
                if progress:
                    progress(stored)
            fill_seconds = time.perf_counter() - fill_start
            timings, cpu = [], []
            for _ in range(additions):
                text, published = next(feed)
                start, start_cpu = time.perf_counter(), time.process_time()
                _add(engine, stored, text, published, rng)
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
                stored += 1
            timings.sort()
            with engine.connect() as connection:
                story_count = connection.execute(select(func.count()).select_from(stories)).scalar_one()
                copy_count = connection.execute(select(func.count()).where(articles.c.copy_of.is_not(None))).scalar_one()
                record_count = connection.execute(select(func.count()).select_from(claim_records)).scalar_one()
                event_count = connection.execute(select(func.count()).select_from(claim_events)).scalar_one()
            rows.append({"stories": story_count, "copies": copy_count, "claim_records": record_count,
                         "claim_events": event_count, "stored": size, "median_ms": round(statistics.median(timings), 2),
                         "p90_ms": round(timings[int(0.9 * len(timings))], 2),
                         "median_cpu_ms": round(statistics.median(cpu), 2),
                         "resident_mb": round(_resident_mb(), 1), "fill_seconds": round(fill_seconds, 1)})
            fill_start = time.perf_counter()
        engine.dispose()
    first, last = rows[0], rows[-1]
    return {"sizes": rows, "additions": additions, "per_day": PER_DAY, "copy_share": COPY_SHARE,
            "median_ratio": round(last["median_ms"] / first["median_ms"], 2),
            "median_cpu_ratio": round(last["median_cpu_ms"] / first["median_cpu_ms"], 2),
            "resident_ratio": round(last["resident_mb"] / first["resident_mb"], 2),
            "targets": {"median_ratio": 1.5, "resident_ratio": 1.2}}


def render_store_scaling(result: dict) -> str:
    lines = ["stored     median ms  p90 ms  CPU ms  resident MB  stories  copies  claim records  claim events",
             *(f"{row['stored']:>9,}  {row['median_ms']:>9.2f}  {row['p90_ms']:>6.2f}  {row['median_cpu_ms']:>6.2f}"
               f"  {row['resident_mb']:>11.1f}"
               f"  {row['stories']:>7,}  {row['copies']:>6,}  {row['claim_records']:>13,}  {row['claim_events']:>12,}"
               for row in result["sizes"]),
             f"median grows {result['median_ratio']}x (CPU {result['median_cpu_ratio']}x; target <= "
             f"{result['targets']['median_ratio']}x), "
             f"resident memory {result['resident_ratio']}x (target <= {result['targets']['resident_ratio']}x)"]
    return "\n".join(lines)


def run_ingest_throughput(text_dir: str | Path, workers: int = 2, limit: int | None = None) -> dict:
    """Pages per second of `onrecord batch`, of `onrecord ingest --no-claims` and of `onrecord ingest` into a
    fresh SQLite store, on the same pages with the same workers, each in its own process (model loading
    included in all)."""
    paths = sorted(Path(text_dir).glob("*.txt"))[:limit] if limit else sorted(Path(text_dir).glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no .txt files in {text_dir}")
    command = [sys.executable, "-c", "from onrecord.cli import main; main()"]
    with tempfile.TemporaryDirectory() as scratch:
        pages = Path(scratch) / "pages"
        pages.mkdir()
        for path in paths:
            (pages / path.name).write_bytes(path.read_bytes())
        runs = {}
        for name, arguments in (
                ("batch", ["batch", str(pages), "--workers", str(workers), "--output", str(Path(scratch) / "out.jsonl")]),
                ("ingest_without_claims", ["ingest", str(pages), "--workers", str(workers), "--no-claims",
                                           "--db", str(Path(scratch) / "without.db")]),
                ("ingest", ["ingest", str(pages), "--workers", str(workers), "--db", str(Path(scratch) / "bench.db")])):
            start = time.perf_counter()
            finished = subprocess.run(command + arguments, capture_output=True, text=True)
            if finished.returncode != 0:
                raise OnrecordError(f"onrecord {name} failed: {finished.stderr.strip()[-500:]}")
            seconds = time.perf_counter() - start
            runs[name] = {"seconds": round(seconds, 1), "pages_per_second": round(len(paths) / seconds, 2)}
    batch = runs["batch"]["pages_per_second"]
    return {"pages": len(paths), "workers": workers, **runs,
            "ratio_without_claims": round(runs["ingest_without_claims"]["pages_per_second"] / batch, 2),
            "ratio": round(runs["ingest"]["pages_per_second"] / batch, 2), "target": 0.8}


def render_ingest_throughput(result: dict) -> str:
    return (f"{result['pages']} pages, {result['workers']} workers: batch {result['batch']['pages_per_second']} pages/s; "
            f"ingest --no-claims {result['ingest_without_claims']['pages_per_second']} pages/s, ratio "
            f"{result['ratio_without_claims']} (target >= {result['target']}); ingest with claims across articles "
            f"{result['ingest']['pages_per_second']} pages/s, ratio {result['ratio']}")
