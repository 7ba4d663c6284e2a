"""A bounded load test of `onrecord serve` on loopback: requests sent at a fixed open-loop rate (each on
schedule, whether or not earlier ones have answered, so a slow server shows as latency, not as a slower
client) for a fixed time, spread over claim search, the article API and the article page; reported per route:
requests, errors, throughput, median and 95th-percentile latency, and the cores it ran on.

The server runs as its own process (`onrecord serve`), so client and server do not share an interpreter.
"""
from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ..corpus import Corpus
from ..corpus.stories import content_words
from ..errors import OnrecordError

ROUTES = ("claim search", "article JSON", "article page")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _targets(db: str | Path, rng: random.Random) -> dict[str, list[str]]:
    """Paths per route, drawn from what the store holds: claim searches made of words of stored claims."""
    with Corpus(db) as corpus:
        total, found = corpus.articles(limit=200)
        records = corpus.claims(limit=200)
    if not found or not records:
        raise OnrecordError(f"{db} holds no articles or no claims to load: ingest pages first")
    searches = []
    for record in records:
        words = sorted(set(content_words(record.text)))
        if words:
            searches.append("/api/claims?q=" + "+".join(rng.sample(words, min(4, len(words)))))
    return {"claim search": searches or ["/api/claims"],
            "article JSON": [f"/api/articles/{a.id}" for a in found],
            "article page": [f"/articles/{a.id}" for a in found]}


def _wait_until_up(base: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    import httpx
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise OnrecordError(f"onrecord serve exited with status {server.returncode}")
        try:
            if httpx.get(base + "/api/stories?limit=1", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise OnrecordError(f"onrecord serve did not answer within {timeout:.0f} s")


async def _fire(base: str, targets: dict[str, list[str]], rate: float, seconds: float, rng: random.Random) -> list:
    import httpx
    results: list[tuple[str, float, int | None]] = []
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        async def one(route: str, path: str) -> None:
            started = time.perf_counter()
            try:
                status = (await client.get(path)).status_code
            except httpx.HTTPError:
                status = None
            results.append((route, (time.perf_counter() - started) * 1000, status))

        tasks, start = [], time.perf_counter()
        for number in range(int(rate * seconds)):
            delay = start + number / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            route = ROUTES[number % len(ROUTES)]
            tasks.append(asyncio.create_task(one(route, rng.choice(targets[route]))))
        await asyncio.gather(*tasks)
    return results


def run_service_load(db: str | Path, rate: float = 50.0, seconds: float = 60.0, seed: int = 0) -> dict:
    """Serves `db` on a free loopback port and loads it at `rate` requests a second for `seconds`."""
    rng = random.Random(seed)
    targets = _targets(db, rng)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-c", "from onrecord.cli import main; main()", "serve", "--db", str(db),
               "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_until_up(base, server)
        started = time.perf_counter()
        results = asyncio.run(_fire(base, targets, rate, seconds, rng))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    routes = {}
    for route in ROUTES:
        times = sorted(ms for name, ms, _ in results if name == route)
        errors = sum(1 for name, _, status in results if name == route and status != 200)
        routes[route] = {"requests": len(times), "errors": errors, "p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1)}
    return {"rate": rate, "seconds": seconds, "elapsed": round(elapsed, 1), "requests": len(results),
            "throughput": round(len(results) / elapsed, 1), "errors": sum(r["errors"] for r in routes.values()),
            "cores": os.cpu_count(), "routes": routes, "targets": {"errors": 0, "p95_ms": 200}}


def render_service_load(result: dict) -> str:
    lines = [f"{result['requests']} requests in {result['elapsed']} s at {result['rate']:g}/s open-loop: "
             f"{result['throughput']} answered/s, {result['errors']} errors, {result['cores']} cores",
             "route          requests  errors  p50 ms  p95 ms",
             *(f"{route:<14} {row['requests']:>8}  {row['errors']:>6}  {row['p50_ms']:>6.1f}  {row['p95_ms']:>6.1f}"
               for route, row in result["routes"].items()),
             f"targets: no errors, p95 under {result['targets']['p95_ms']} ms for reads"]
    return "\n".join(lines)
