"""Batches: many pages from a directory or a JSONL file analysed on several cores, one JSON line each.

Work is split at the page level across processes, each loading the pipeline once; a page that fails
becomes an error record and the run goes on.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from .errors import OnrecordError
from .options import Options, default_options

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".text")


def find_pages(directory: str | Path) -> list[Path]:
    """Page files under a directory, sorted, by their suffix."""
    root = Path(directory)
    if not root.is_dir():
        raise OnrecordError(f"{root} is not a directory")
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)


def jsonl_pages(path: str | Path) -> Iterator[tuple[str, bytes | None, str | None]]:
    """(source, page bytes, error) from a JSONL file whose lines hold "html" or "text" (and "url" or "id")."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                body = record.get("html") or record.get("text")
                source = str(record.get("url") or record.get("id") or f"{path}:{number}")
                if not isinstance(body, str):
                    raise ValueError('no "html" or "text" field')
                yield source, body.encode("utf-8"), None
            except (ValueError, AttributeError) as error:
                yield f"{path}:{number}", None, f"malformed JSONL record: {error}"


def analyze_batch(inputs: Iterable[Path | tuple[str, bytes | None, str | None]], options: Options | None = None,
                  workers: int = 1, chunk_size: int = 8) -> Iterator[dict]:
    """One record per input, in input order: {"source", "analysis"} or {"source", "error", "error_type"}."""
    options = options or default_options()
    items = [i if isinstance(i, tuple) else (str(i), None, None) for i in inputs]
    chunks = [items[i:i + chunk_size] for i in range(0, len(items), chunk_size)]
    if workers <= 1:
        for chunk in chunks:
            yield from _analyze_chunk(chunk, options)
        return
    if options.tagger_threads == 0:  # one tagger thread per worker: the workers already share the cores
        options = replace(options, tagger_threads=1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for records in pool.map(_analyze_chunk, chunks, [options] * len(chunks)):
            yield from records


def _analyze_chunk(chunk: list[tuple[str, bytes | None, str | None]], options: Options) -> list[dict]:
    from .analysis import analyze_many
    from .reading import read_bytes, read_page

    records: list[dict] = []
    pages = []
    for source, data, error in chunk:
        if error:
            records.append({"source": source, "error": error, "error_type": "MalformedRecord"})
            continue
        try:
            pages.append(read_bytes(data, source=source, options=options) if data is not None
                         else read_page(source, options))
        except OnrecordError as failure:
            records.append({"source": source, "error": str(failure), "error_type": type(failure).__name__})
    for result in analyze_many(pages, options):
        if result.analysis is not None:
            records.append({"source": result.source, "analysis": result.analysis.to_dict()})
        else:
            records.append({"source": result.source, "error": result.error, "error_type": result.error_type})
    order = {source: i for i, (source, _, _) in enumerate(chunk)}
    return sorted(records, key=lambda r: order.get(r["source"], len(order)))


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
