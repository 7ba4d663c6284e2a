"""Batches: inputs, isolation of any failure on one page, worker death, resuming, the run's summary."""
import gzip
import json
import multiprocessing
import os
import signal

import pytest

import onrecord.analysis
from onrecord.analysis import analyze_many
from onrecord.batch import (Tally, analyze_batch, batch_inputs, find_pages, jsonl_pages, recorded_sources)
from onrecord.errors import OnrecordError
from onrecord.reading import Page

STORY = ("Ferry timetable to change in spring\n\n"
         "The island ferry will sail twice a day instead of three times from April, the operator said on Tuesday.\n\n"
         '"Fewer crossings let us keep the fares where they are," operations manager Ines Calloway told reporters.\n')
MARKER = "Quarantined Lighthouse"  # words the tests make the pipeline fail on, on purpose
BAD_STORY = STORY.replace("The island ferry", f"The {MARKER} ferry")

fork_only = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                               reason="monkeypatches reach worker processes only when they are forked")


def pages(tmp_path, *texts):
    folder = tmp_path / "pages"
    folder.mkdir(exist_ok=True)
    paths = []
    for number, text in enumerate(texts):
        path = folder / f"{number:02}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def fail_on_marker(monkeypatch, module, name, error):
    """Makes module.name raise `error` when the marked page (or its text) is among its arguments."""
    original = getattr(module, name)

    def patched(*args, **kwargs):
        if any(MARKER in (a if isinstance(a, str) else getattr(a, "content", "")) for a in args):
            raise error
        return original(*args, **kwargs)
    monkeypatch.setattr(module, name, patched)


# ---------------------------------------------------------------- inputs

def test_find_pages_takes_gzip_pages_and_skips_other_files(tmp_path):
    for name in ("a.html", "b.HTM.gz", "c.txt.gz", "d.xhtml", "e.text", "notes.md", "data.json.gz", "f.gz"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in find_pages(tmp_path)] == ["a.html", "b.HTM.gz", "c.txt.gz", "d.xhtml", "e.text"]


def test_batch_inputs_by_kind_of_path(tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "one.html").write_text("<p>x</p>")
    records = json.dumps({"id": "r1", "text": STORY}) + "\n"
    (tmp_path / "pages.jsonl").write_text(records)
    (tmp_path / "pages.ndjson.gz").write_bytes(gzip.compress(records.encode()))
    (tmp_path / "single.html.gz").write_bytes(gzip.compress(b"<p>x</p>"))
    assert [p.name for p in batch_inputs(tmp_path / "dir")] == ["one.html"]
    assert [item[0] for item in batch_inputs(tmp_path / "pages.jsonl")] == ["r1"]
    assert [item[0] for item in batch_inputs(tmp_path / "pages.ndjson.gz")] == ["r1"]
    assert batch_inputs(tmp_path / "single.html.gz") == [tmp_path / "single.html.gz"]


def test_a_truncated_jsonl_gz_keeps_the_records_before_the_break(tmp_path):
    lines = "".join(json.dumps({"id": f"r{i}", "text": STORY * 20}) + "\n" for i in range(30)).encode()
    packed = gzip.compress(lines)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[:len(packed) // 2])
    items = list(jsonl_pages(path))
    assert 0 < len(items) - 1 < 30 and [i[0] for i in items[:-1]] == [f"r{i}" for i in range(len(items) - 1)]
    assert items[-1][1] is None and "unreadable record file" in items[-1][2]


# ---------------------------------------------------------------- isolation: analyze_many

def test_analyze_many_turns_an_extraction_bug_into_that_pages_result(nlp, monkeypatch):
    fail_on_marker(monkeypatch, onrecord.analysis, "extract_article", KeyError("title"))
    texts = [STORY, BAD_STORY, STORY]
    results = list(analyze_many([t.encode() for t in texts], nlp=nlp))
    assert len(results) == 3
    assert results[0].analysis and results[2].analysis and results[1].analysis is None
    assert results[1].error_type == "KeyError" and results[1].internal and "title" in results[1].error


def test_analyze_many_survives_an_overflow_in_relative_times(nlp, monkeypatch):
    """The shape of the JSON-LD "0001-01-01" bug: an OverflowError raised where relative times are found."""
    fail_on_marker(monkeypatch, onrecord.analysis, "find_times", OverflowError("date value out of range"))
    results = list(analyze_many([BAD_STORY.encode(), STORY.encode()], nlp=nlp))
    assert [r.error_type for r in results] == ["OverflowError", None]
    assert results[0].internal and results[1].analysis.attributions


def test_analyze_many_keeps_typed_errors_typed_and_input_order(nlp):
    results = list(analyze_many([b"", STORY.encode(), b"\x89PNG\r\n\x1a\n\x00"], nlp=nlp, batch_size=2))
    assert [r.error_type for r in results] == ["EmptyInput", None, "BinaryInput"]
    assert not any(r.internal for r in results)


def test_analyze_many_parses_each_text_alone_when_a_spacy_batch_fails(nlp):
    class FailsOnMarker:
        """The real pipeline, except that the marked text breaks it, alone or in a batch."""

        def pipe(self, texts, **kwargs):
            texts = list(texts)
            if any(MARKER in t for t in texts):
                raise ValueError("the parser choked")
            return nlp.pipe(texts, **kwargs)

        def __call__(self, text):
            if MARKER in text:
                raise ValueError("the parser choked")
            return nlp(text)

    results = list(analyze_many([STORY.encode(), BAD_STORY.encode(), STORY.encode()], nlp=FailsOnMarker()))
    assert [r.error_type for r in results] == [None, "ValueError", None]
    assert results[0].analysis.attributions and results[2].analysis.attributions


def test_analyze_many_carries_page_warnings(nlp):
    quoted = STORY.replace("Ines", "Inés").replace('"Fewer', "“Fewer").replace('are,"', "are,”")
    mixed = quoted.encode() + b"\nThe caf\xe9s and the f\xfcr sign stayed.\n"  # two Windows-1252 letters
    [result] = analyze_many([mixed], nlp=nlp)
    assert "2 byte sequence(s) are not valid UTF-8: 2 read as Windows-1252" in result.analysis.warnings
    assert "cafés" in result.analysis.article.text


# ---------------------------------------------------------------- isolation: analyze_batch

def test_batch_records_an_internal_error_and_goes_on(nlp, monkeypatch, tmp_path):
    fail_on_marker(monkeypatch, onrecord.analysis, "extract_article", RuntimeError("cleaner bug"))
    records = list(analyze_batch(pages(tmp_path, STORY, BAD_STORY, ""), workers=1))
    assert [r["source"][-6:] for r in records] == ["00.txt", "01.txt", "02.txt"]
    good, bad, empty = records
    assert good["analysis"]["attributions"] and good["seconds"] >= 0
    assert bad == {"source": bad["source"], "error": "cleaner bug", "error_type": "RuntimeError", "internal": True,
                   "seconds": bad["seconds"]}
    assert empty["error_type"] == "EmptyInput" and empty["internal"] is False


@fork_only
def test_a_worker_killed_on_a_page_is_replaced_and_the_page_recorded(nlp, monkeypatch, tmp_path):
    def killed_on_marker(page, options):
        if MARKER in page.content:
            os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's out-of-memory killer does
        return original(page, options)
    original = onrecord.analysis.extract_article
    monkeypatch.setattr(onrecord.analysis, "extract_article", killed_on_marker)
    paths = pages(tmp_path, STORY, STORY, BAD_STORY, STORY, STORY, STORY, "")
    records = list(analyze_batch(paths, workers=2))
    by_source = {r["source"]: r for r in records}
    assert len(records) == len(by_source) == len(paths), "every page exactly once"
    assert by_source[str(paths[2])]["error_type"] == "WorkerDied" and by_source[str(paths[2])]["internal"]
    analysed = [p for p in paths if "analysis" in by_source[str(p)]]
    assert analysed == paths[:2] + paths[3:6]
    assert by_source[str(paths[6])]["error_type"] == "EmptyInput"


@fork_only
def test_worker_records_match_the_in_process_ones(nlp, tmp_path):
    paths = pages(tmp_path, STORY, STORY.replace("Tuesday", "Friday"), "")
    one = {r["source"]: (r.get("analysis") or {}).get("attributions") for r in analyze_batch(paths, workers=1)}
    two = {r["source"]: (r.get("analysis") or {}).get("attributions") for r in analyze_batch(paths, workers=2)}
    assert one == two and one[str(paths[0])]


# ---------------------------------------------------------------- resuming and the summary

def test_recorded_sources_drops_a_line_cut_short(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"source": "a", "analysis": {}}\n{"source": "b", "error": "x"}\n{"source": "c", "anal')
    assert recorded_sources(out) == {"a", "b"}
    assert out.read_text().endswith('"error": "x"}\n')


def test_tally_counts_typed_and_internal_errors_and_the_slowest_pages():
    tally = Tally()
    for record in ({"source": "a", "analysis": {}, "seconds": 0.5},
                   {"source": "b", "error": "e", "error_type": "EmptyInput", "internal": False, "seconds": 0.01},
                   {"source": "c", "error": "e", "error_type": "EmptyInput", "internal": False, "seconds": 0.02},
                   {"source": "d", "error": "e", "error_type": "KeyError", "internal": True, "seconds": 2.0},
                   {"source": "e", "error": "e", "error_type": "WorkerDied", "internal": True, "seconds": None}):
        tally.add(record)
    lines = tally.render(slowest=2).splitlines()
    assert lines[0] == ("5 pages, 1 analysed, 2 typed errors (EmptyInput 2), "
                        "2 internal errors (KeyError 1, WorkerDied 1)")
    assert lines[1] == "slowest: d 2.00 s, a 0.50 s"


def test_find_pages_refuses_a_file(tmp_path):
    (tmp_path / "x.html").write_text("x")
    with pytest.raises(OnrecordError, match="not a directory"):
        find_pages(tmp_path / "x.html")


def test_a_page_object_keeps_its_source_in_analyze_many(nlp):
    [result] = analyze_many([Page(STORY, False, "desk/ferry.txt", "utf-8")], nlp=nlp)
    assert result.source == "desk/ferry.txt" and result.analysis.attributions


def test_a_record_with_a_url_is_read_with_it(nlp):
    """A JSONL record's URL goes to the reader, so that the date in its path can date the page."""
    from onrecord.batch import _analyze_item
    from onrecord.options import Options

    html = ("<html><head><title>Harbour barrier vote delayed</title></head><body><article><h1>Harbour barrier "
            "vote delayed</h1>" + "<p>The Port Elm council delayed its vote on the harbour barrier, the mayor said "
            "on Monday, after engineers asked for another survey of the sea wall.</p>" * 3 + "</article></body></html>")
    url = "https://news.example.org/2024/03/05/harbour-barrier-vote"
    with_url = _analyze_item((url, html.encode(), None), Options.load())
    without = _analyze_item(("record-7", html.encode(), None), Options.load())
    assert with_url["analysis"]["article"]["published"]["date"] == "2024-03-05"
    assert without["analysis"]["article"]["published"]["date"] is None
