"""The load test's machinery on a small store, briefly: it serves, fires on schedule and reports every route
(timings are the benchmark's business, not a test's)."""
import pytest

from onrecord.corpus import Corpus
from onrecord.errors import OnrecordError
from onrecord.evaluation.service_load import ROUTES, render_service_load, run_service_load
from tests.test_corpus_claims import PAGES, feed


def test_a_short_load_reports_each_route_without_errors(tmp_path, nlp):
    with Corpus(tmp_path / "corpus.db") as corpus:
        corpus.ingest([feed(tmp_path / "feed.jsonl", range(len(PAGES)))])
    result = run_service_load(tmp_path / "corpus.db", rate=6, seconds=2)
    assert result["requests"] == 12 and result["errors"] == 0
    assert set(result["routes"]) == set(ROUTES) and all(r["requests"] == 4 for r in result["routes"].values())
    assert "p95" in render_service_load(result)


def test_an_empty_store_is_refused_clearly(tmp_path):
    Corpus(tmp_path / "empty.db").close()
    with pytest.raises(OnrecordError, match="no articles or no claims"):
        run_service_load(tmp_path / "empty.db", rate=1, seconds=1)
