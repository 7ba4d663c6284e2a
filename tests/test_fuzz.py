"""Fuzzing: whatever bytes arrive, `analyze` ends in an analysis or a typed error, never an internal one.

Hypothesis runs with a fixed seed (derandomize) and few examples so CI stays within a few minutes; the large
shapes (10,000 nested elements, a 5 MB line, 100,000 one-word lines) run once each with a short time budget.
"""
import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from onrecord.analysis import analyze
from onrecord.errors import OnrecordError
from onrecord.options import Options
from onrecord.records import Analysis

FUZZ = settings(derandomize=True, max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HTML_PAGE = (EXAMPLES / "marlow-herald-flood-defences.html").read_bytes()
TEXT_PAGE = (EXAMPLES / "veltrix-plant-denial.txt").read_bytes()


@pytest.fixture(scope="module")
def options():
    return Options.load(analysis_budget=20)


def outcome(data: bytes, options: Options, nlp) -> str:
    """'analysis' or the typed error's name; anything else propagates and fails the test."""
    try:
        result = analyze(data, options, nlp=nlp)
    except OnrecordError as error:
        return type(error).__name__
    assert isinstance(result, Analysis)
    return "analysis"


@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(data, options, nlp):
    outcome(data, options, nlp)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(HTML_PAGE)))
def test_truncated_html(cut, options, nlp):
    outcome(HTML_PAGE[:cut], options, nlp)


@FUZZ
@given(encodings=st.lists(st.sampled_from(["utf-8", "latin-1", "cp1252", "utf-16-le", "shift_jis", "koi8-r"]),
                min_size=2, max_size=4),
       extra=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60))
def test_mixed_encodings(encodings, extra, options, nlp):
    text = TEXT_PAGE.decode("utf-8")
    pieces = [text[i::len(encodings)].encode(enc, errors="replace") for i, enc in enumerate(encodings)]
    outcome(b"".join(pieces) + extra.encode("utf-8"), options, nlp)


@FUZZ
@given(junk=st.binary(min_size=0, max_size=512))
def test_warc_like_binary_prefix(junk, options, nlp):
    header = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.invalid/a\r\n"
              b"Content-Length: 1234\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
    outcome(header + junk + gzip.compress(HTML_PAGE)[:200] + HTML_PAGE, options, nlp)


def test_deeply_nested_html(options, nlp):
    page = b"<html><body>" + b"<div>" * 10_000 + b"<p>Deep text.</p>" + b"</div>" * 10_000 + b"</body></html>"
    outcome(page, options, nlp)


def test_one_five_megabyte_line(options, nlp):
    sentence = b"The council said the bridge would reopen next spring after repairs. "
    outcome(sentence * (5_000_000 // len(sentence)), options, nlp)


def test_hundred_thousand_one_word_lines(options, nlp):
    outcome(b"\n".join(b"word%d" % (i % 97) for i in range(100_000)), options, nlp)


def test_deeply_nested_page_with_article_keeps_it(options, nlp):
    """Depth alone does not cost the article: a real body inside 200 wrappers (deeper than real pages nest) is found."""
    head, rest = HTML_PAGE.split(b"<body>", 1)
    body, tail = rest.rsplit(b"</body>", 1)
    page = head + b"<body>" + b"<div>" * 200 + body + b"</div>" * 200 + b"</body>" + tail
    plain = analyze(HTML_PAGE, options, nlp=nlp)
    nested = analyze(page, options, nlp=nlp)
    assert len(nested.article.paragraphs) >= len(plain.article.paragraphs) - 1
