"""Ingest on Dask against the process-pool ingest, on a generated WARC of fictional news pages.

`fictional_pages(n)` writes templated short news pages: stories of five pages each (a report citing
officials, a wire reprint of it, a denial, a confirmation, and for every third story the report's exact
bytes at a second URL), each story with its own fictional town, company and people, so that stories never
share their names. `write_warc` stores them as HTML responses with warcio. `run` ingests the same WARC into
fresh SQLite stores with `onrecord ingest --workers N` (the process pool) and `--dask local --workers N`,
and reports pages/s and the analysing processes' resident memory at page `early` and at the end.
"""
from __future__ import annotations

import io
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SYLLABLES = ["ka", "ven", "dor", "mar", "sby", "tel", "lin", "gro", "vash", "ul", "ren", "bri", "sto", "qua",
             "nel", "pha", "dru", "mo", "tes", "zan", "hil", "cor", "vey", "bas", "lun", "ith", "pol", "ser"]
FIRST = ["Anika", "Bram", "Celia", "Dorin", "Edda", "Folke", "Greta", "Hollis", "Ines", "Jarek", "Katya", "Lorne"]
THINGS = [("wool mill", "close", "closure"), ("ferry pier", "sell", "sale"), ("rail depot", "shut", "shutdown"),
          ("paper plant", "move", "move"), ("glass works", "merge", "merger"), ("fish market", "relocate", "move")]
OUTLETS = ["Tidewater Ledger", "Northgate Herald", "Coastline Courier", "Valley Standard", "Harbour Gazette"]
WIRE = "Meridian Press Agency"
OPENERS = ["{town} residents woke to uncertain news on {day}.", "The news spread quickly through {town} on {day}.",
           "Few in {town} had expected the announcement on {day}.", "It was a tense {day} in {town}."]
DETAILS = ["The {thing} employs about {n} people and opened in {year}.",
           "Around {n} jobs depend on the {thing}, which dates from {year}.",
           "The {thing}, founded in {year}, is the largest employer in {town} with {n} staff."]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


@dataclass(frozen=True)
class Page:
    url: str
    html: bytes


def fictional_pages(count: int, seed: int = 19) -> list[Page]:
    """`count` fictional news pages in stories of five (see the module's docstring), in story order."""
    rng, pages, story = random.Random(seed), [], 0
    used: set[str] = set()
    while len(pages) < count:
        pages += _story(rng, story, used)
        story += 1
    return pages[:count]


def _unique(rng: random.Random, used: set[str], parts: int) -> str:
    """A fictional name no earlier story used; longer when names of `parts` syllables run short."""
    tries = 0
    while (name := _name(rng, parts + tries // 20)) in used:
        tries += 1
    used.add(name)
    return name


def _story(rng: random.Random, number: int, used: set[str]) -> list[Page]:
    town, company = _unique(rng, used, 3), _unique(rng, used, 2) + " " + rng.choice(["Holdings", "Group", "Works"])
    river, street = _unique(rng, used, 2), _unique(rng, used, 2) + " Street"
    mayor = f"{rng.choice(FIRST)} {_unique(rng, used, 3)}"
    union = f"{rng.choice(FIRST)} {_unique(rng, used, 2)}"
    thing, verb, noun = rng.choice(THINGS)
    day = f"2031-{1 + number % 12:02d}-{1 + number % 27:02d}"
    weekday = rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
    facts = {"town": town, "thing": f"{town} {thing}", "day": weekday, "n": rng.randrange(80, 900),
             "year": rng.randrange(1890, 1990)}
    opener, detail = rng.choice(OPENERS).format(**facts), rng.choice(DETAILS).format(**facts)
    first, second, third = rng.sample(OUTLETS, 3)
    report = [f"{company} plans to {verb} the {town} {thing} on {street} next year, two officials told the "
              f"{first} on {weekday}.", opener + " " + detail,
              f"The officials, who asked not to be named, said the {company} board had approved the {noun} of "
              f"the {river} site in private."]
    base = f"https://{first.lower().replace(' ', '')}.example/{number}"
    pages = [_page(f"{base}/report", f"{company} to {verb} {town} {thing}", report, first, day, WIRE)]
    reprint = report + [f"Councillors in {town} said they would ask {company} for a meeting about {street}."]
    pages.append(_page(f"https://{second.lower().replace(' ', '')}.example/{number}/wire",
                       f"{town} {thing} faces {noun}, report says", reprint, second, day, WIRE))
    denial = [f"{town} mayor {mayor} denied on {weekday} that {company} would {verb} the {thing} by the "
              f"{river}.", f"\"No such plan has been put to the {town} council,\" {mayor.split()[1]} said.",
              f"{company} declined to comment on the {first}'s report about {street}."]
    pages.append(_page(f"https://{third.lower().replace(' ', '')}.example/{number}/denial",
                       f"{town} mayor denies {company} {noun} plan", denial, third, _next(day, 1), None))
    confirmation = [f"{company} confirmed on {weekday} that it will {verb} the {town} {thing}, union leader "
                    f"{union} said.", f"{union.split()[0]} said workers on {street} had been told at a meeting "
                    f"beside the {river}.", f"The {company} {noun} was first reported by the {first}."]
    pages.append(_page(f"https://{third.lower().replace(' ', '')}.example/{number}/confirmed",
                       f"{company} confirms {town} {thing} {noun}", confirmation, third, _next(day, 2), None))
    if number % 3 == 0:  # the report's very bytes at a second address
        pages.append(Page(f"{base}/report?amp=1", pages[0].html))
    return pages


def _next(day: str, days: int) -> str:
    year, month, date = day.split("-")
    return f"{year}-{month}-{int(date) + days:02d}"


def _page(url: str, title: str, paragraphs: list[str], outlet: str, day: str, wire: str | None) -> Page:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    credit = f"<p>({wire})</p>" if wire else ""
    html = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title} | {outlet}</title>"
            f"<meta property='og:site_name' content='{outlet}'>"
            f"<meta property='article:published_time' content='{day}T08:00:00Z'></head>"
            f"<body><article><h1>{title}</h1>{body}{credit}</article></body></html>")
    return Page(url, html.encode("utf-8"))


def write_warc(path: str | Path, pages: list[Page], gz: bool = True) -> Path:
    """The pages as WARC response records (status 200, text/html), written with warcio."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for page in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(page.url, "response", payload=io.BytesIO(page.html),
                                                          http_headers=headers))
    return Path(path)


def run(folder: str | Path, pages: int = 2000, workers: int = 2, early: int = 200) -> dict:
    """Both ingests of one generated WARC into fresh SQLite stores: pages/s, analysing processes' memory at
    page `early` and at the last page, mean analysis seconds a page (the store's `analyses.seconds`), claims a
    page. Claims are embedded by the workers and linked by the writer, as in any ingest."""
    import psutil
    from sqlalchemy import func, select

    from ..corpus import Corpus, distributed, store

    return _run(folder, pages, workers, early, psutil, func, select, Corpus, distributed, store)


def _run(folder, pages, workers, early, psutil, func, select, Corpus, distributed, store) -> dict:

    folder = Path(folder)
    warc = write_warc(folder / "bench.warc.gz", fictional_pages(pages))
    results = {}
    for mode in ("pool", "dask"):
        memory: dict[str, list[int]] = {}
        done = [0]
        db = folder / f"{mode}.db"
        db.unlink(missing_ok=True)
        with Corpus(db) as corpus:
            client_box = {}

            seen_pool: list[list[int]] = [[]]  # the pool's processes, sampled every 0.2 s (pools come and go)
            running = threading.Event()

            def watch_pool() -> None:
                while not running.wait(0.2):
                    try:
                        rss = sorted(child.memory_info().rss for child in psutil.Process().children(recursive=True))
                    except psutil.Error:
                        continue
                    if rss:
                        seen_pool[0] = rss

            def sample(label: str) -> None:
                if mode == "dask" and "client" in client_box:
                    rss = client_box["client"].run(lambda: __import__("psutil").Process().memory_info().rss)
                    memory[label] = sorted(rss.values())
                else:
                    memory[label] = seen_pool[0]

            def progress(_outcome: str) -> None:
                done[0] += 1
                if done[0] in (early, pages):  # the last page: a pool's workers still live
                    sample("early" if done[0] == early else "end")

            started = time.perf_counter()
            if mode == "pool":
                watcher = threading.Thread(target=watch_pool, daemon=True)
                watcher.start()
                summary = corpus.ingest([warc], workers=workers, progress=progress)
                running.set()
            else:
                from distributed import Client
                with distributed.local_cluster(workers, silence_logs=50) as cluster, Client(cluster) as client:
                    client_box["client"] = client
                    summary = distributed.ingest(corpus.engine, [warc], dask=client, progress=progress)
            seconds = time.perf_counter() - started
            with corpus.engine.connect() as connection:
                analysed = connection.execute(select(func.avg(store.analyses.c.seconds), func.count())
                                              .select_from(store.analyses)).one()
                page_claims = connection.execute(select(func.count()).select_from(store.claims)).scalar_one()
        results[mode] = {"ingest_pages_per_s": round(summary.pages / summary.seconds, 2),
                         "analysis_s_per_page": round(analysed[0] or 0, 4),
                         "claims_per_page": round(page_claims / max(1, summary.pages), 2), "pages": summary.pages, "seconds": round(seconds, 1),
                         "pages_per_s": round(summary.pages / seconds, 2), "outcomes": dict(summary.outcomes),
                         "rss_mb_early": [round(v / 2**20) for v in memory.get("early", [])],
                         "rss_mb_end": [round(v / 2**20) for v in memory.get("end", [])]}
    results["ratio"] = round(results["dask"]["pages_per_s"] / results["pool"]["pages_per_s"], 3)
    return results


if __name__ == "__main__":
    import argparse
    import json
    import tempfile

    parser = argparse.ArgumentParser(description="Ingest a generated WARC with the process pool and with "
                                                 "--dask local (2 workers each); pages/s and worker memory.")
    parser.add_argument("pages", type=int, nargs="?", default=2000, help="pages in the WARC (default 2000)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        print(json.dumps(run(scratch, pages=arguments.pages), indent=1))
