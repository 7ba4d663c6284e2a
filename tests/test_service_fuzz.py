"""The OpenAPI description fuzzed with Schemathesis against the app on a throwaway store: a bounded number of
generated requests per operation, URL fetching off (every host resolves to loopback, which is refused), and
no answer may be a 5xx."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from onrecord import reading
from onrecord.corpus import Corpus
from onrecord.service import ServiceSettings, create_app
from tests.test_corpus_claims import feed


@pytest.fixture(scope="module")
def store(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("fuzz")
    with Corpus(folder / "corpus.db") as corpus:
        corpus.ingest([feed(folder / "feed.jsonl", range(2))])
    return folder / "corpus.db"


@pytest.fixture
def app(store):
    """A fresh app per operation: each run ends with the app's shutdown, which closes its worker pools."""
    return create_app(ServiceSettings(db=store, max_body=200_000))


OPERATIONS = ("GET /api/articles", "GET /api/articles/{article_id}", "GET /api/stories", "GET /api/stories/{story_id}",
              "GET /api/claims", "GET /api/claims/{claim_id}", "POST /api/analyze", "POST /api/ingest",
              "GET /api/jobs/{job_id}")


@pytest.fixture(autouse=True)
def no_fetching(monkeypatch):
    monkeypatch.setattr(reading, "resolve", lambda host, port: ["127.0.0.1"])


def test_the_fuzzed_operations_are_all_the_api_has(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = {f"{op.ok().method.upper()} {op.ok().path}" for op in schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_request_gets_a_server_error(app, operation):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    [found] = [op.ok() for op in schema.get_all_operations() if f"{op.ok().method.upper()} {op.ok().path}" == operation]

    @given(case=found.as_strategy())
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    def call(case):
        response = case.call()
        assert response.status_code < 500, (operation, response.status_code, response.text[:300])

    call()
