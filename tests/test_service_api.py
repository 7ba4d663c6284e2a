"""The REST API through FastAPI's test client, on a store ingested from the fictional defection story: every
route, pagination, bad input, auth, Host and Origin checks, size limits, a full worker pool, background ingest
jobs, and failures that never show a traceback."""
import json
import threading
import time

import pytest
from fastapi.testclient import TestClient

from onrecord.corpus import Corpus
from onrecord.service import ServiceSettings, create_app
from onrecord.service import app as app_module
from tests.test_corpus_claims import PAGES, feed


@pytest.fixture(scope="module")
def store(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("service")
    with Corpus(folder / "corpus.db") as corpus:
        corpus.ingest([feed(folder / "feed.jsonl", range(len(PAGES)))])
    return folder / "corpus.db"


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(ServiceSettings(db=store))) as client:
        yield client


def error_of(response):
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"type", "message"}, body
    assert "Traceback" not in response.text
    return body["error"]["type"]


def test_articles_are_paginated_with_a_total_and_filtered(client):
    first = client.get("/api/articles", params={"limit": 2}).json()
    second = client.get("/api/articles", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == len(PAGES)
    assert len(first["items"]) == 2 and not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}
    assert {a["outlet"] for a in client.get("/api/articles", params={"outlet": "Daily Ledger"}).json()["items"]} \
        == {"Daily Ledger"}
    dated = client.get("/api/articles", params={"since": "2031-05-04", "until": "2031-05-04"}).json()
    assert [a["outlet"] for a in dated["items"]] == ["Morning Post"]
    found = client.get("/api/articles", params={"q": "family denies"}).json()
    assert found["items"][0]["outlet"] == "Morning Post"
    punctuated = client.get("/api/articles", params={"q": "Veldra's \"diplomat\" -:*"})
    assert punctuated.status_code == 200 and punctuated.json()["total"] >= 1  # words, never FTS5 syntax


def test_an_article_comes_with_its_analysis(client):
    listed = client.get("/api/articles", params={"limit": 1}).json()["items"][0]
    shown = client.get(f"/api/articles/{listed['id']}").json()
    assert shown["article"]["id"] == listed["id"] and shown["analysis"]["attributions"]


def test_stories_and_a_story_with_its_claims(client):
    listed = client.get("/api/stories").json()
    assert listed["total"] >= 1 and listed["items"]
    story = client.get(f"/api/stories/{listed['items'][0]['id']}").json()
    assert story["story"]["articles"] and story["claims"] and story["claims"][0]["events"]


def test_claim_search_and_a_claim_as_of_a_day(client):
    found = client.get("/api/claims", params={"q": "did the diplomat Toma Rusk defect", "limit": 1}).json()
    record = found["items"][0]
    assert record["status"] == "disputed" and record["status_history"]
    earlier = client.get(f"/api/claims/{record['id']}", params={"as_of": "2031-05-03"}).json()
    assert earlier["status"] == "unconfirmed"
    assert client.get("/api/claims").json()["total"] >= 1


@pytest.mark.parametrize("url,status,kind", [
    ("/api/claims/9999", 404, "NotInStore"),
    ("/api/articles/9999", 404, "NotInStore"),
    ("/api/stories/9999", 404, "NotInStore"),
    ("/api/jobs/nope", 404, "NotInStore"),
    ("/api/articles?since=yesterday", 422, "InvalidRequest"),
    ("/api/articles?limit=0", 422, "InvalidRequest"),
    ("/api/articles?limit=100000", 422, "InvalidRequest"),
    ("/api/claims/abc", 422, "InvalidRequest"),
    ("/api/articles/99999999999999999999", 422, "InvalidRequest"),
    ("/api/claims?q=the%20of", 422, "OnrecordError"),
    ("/api/claims?q=defect&story=1", 400, "BadRequest"),
    ("/api/nowhere", 404, "HTTPError"),
])
def test_every_failure_has_one_json_shape(client, url, status, kind):
    response = client.get(url)
    assert response.status_code == status and error_of(response) == kind


def test_analyze_a_posted_page_without_storing_it(client):
    before = client.get("/api/articles").json()["total"]
    response = client.post("/api/analyze", json={"text": "Dam holds\n\nThe dam will hold, engineer Ula Brek said."})
    assert response.status_code == 200
    assert response.json()["analysis"]["attributions"][0]["speaker"]["name"] == "Ula Brek"
    assert client.get("/api/articles").json()["total"] == before


def test_analyze_and_store(client):
    text = "Ferry resumes\n\nThe Brask ferry will sail again on Monday, harbour master Ines Falk said."
    response = client.post("/api/analyze", json={"text": text, "store": True})
    assert response.status_code == 200 and response.json()["article"]["id"]
    assert client.get("/api/articles", params={"q": "Brask ferry"}).json()["total"] == 1


@pytest.mark.parametrize("body,status,kind", [
    ({}, 400, "BadRequest"),
    ({"text": "a", "html": "<p>b</p>"}, 400, "BadRequest"),
    ({"url": "http://127.0.0.1:1/page"}, 403, "FetchRefused"),
    ({"url": "file:///etc/passwd"}, 403, "FetchRefused"),
    ({"text": ""}, 400, "BadRequest"),
    ({"text": 5}, 422, "InvalidRequest"),
])
def test_bad_pages_and_urls_are_refused_clearly(client, body, status, kind):
    response = client.post("/api/analyze", json=body)
    assert response.status_code == status and error_of(response) == kind, response.text


def test_writes_check_host_and_origin(client):
    page = {"text": "Title\n\nThe dam will hold, engineer Ula Brek said."}
    assert error_of(client.post("/api/analyze", json=page, headers={"Origin": "http://evil.example"})) == "CrossOrigin"
    assert error_of(client.post("/api/analyze", json=page, headers={"Host": "evil.example"})) == "BadHost"
    assert client.post("/api/analyze", json=page, headers={"Origin": "http://testserver"}).status_code == 200


def test_request_bodies_are_size_limited(store):
    with TestClient(create_app(ServiceSettings(db=store, max_body=1000))) as small:
        response = small.post("/api/analyze", json={"text": "x" * 5000})
        assert response.status_code == 413 and error_of(response) == "TooLarge"
        upload = small.post("/api/ingest", files={"file": ("big.jsonl", b"x" * 5000)})
        assert upload.status_code == 413


def test_beyond_loopback_every_route_needs_the_token(store):
    settings = ServiceSettings(db=store, host="10.1.2.3", token="s3cret")
    with TestClient(create_app(settings), base_url="http://10.1.2.3") as remote:
        assert remote.get("/api/claims").status_code == 401
        assert remote.get("/api/claims", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert remote.get("/api/claims", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    opened = ServiceSettings(db=store, host="10.1.2.3", token="s3cret", public_read=True)
    with TestClient(create_app(opened), base_url="http://10.1.2.3") as remote:
        assert remote.get("/api/claims").status_code == 200
        assert remote.post("/api/analyze", json={"text": "a b"}).status_code == 401
    with pytest.raises(Exception, match="needs a token"):
        create_app(ServiceSettings(db=store, host="0.0.0.0"))


def test_a_full_worker_pool_answers_429(store, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(app_module, "_analyse", lambda *args: release.wait(10) and {"ok": True})
    with TestClient(create_app(ServiceSettings(db=store, analysis_workers=1, analysis_queue=0))) as busy:
        first = threading.Thread(target=lambda: busy.post("/api/analyze", json={"text": "a"}))
        first.start()
        time.sleep(0.3)
        response = busy.post("/api/analyze", json={"text": "b"})
        release.set()
        first.join()
    assert response.status_code == 429 and error_of(response) == "Busy"


def finished(client, job_id: str) -> dict:
    """The job once it has ended (or as it stands after 20 s)."""
    for _ in range(200):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    return job


def test_an_uploaded_feed_is_ingested_as_a_background_job(client, tmp_path):
    page = {"url": "https://lakeside.example/ferry", "published": "2031-06-01", "outlet": "Lakeside News",
            "text": "Lakeside ferry strike ends\n\nThe ferry strike on Lake Orla ended on Sunday, union leader Pia "
                    "Norden said, after the operator agreed to raise wages.\n"}
    started = client.post("/api/ingest", files={"file": ("feed.jsonl", json.dumps(page).encode() + b"\n")})
    assert started.status_code == 202
    job = finished(client, started.json()["id"])
    assert job["state"] == "done" and job["pages"] == 1, job
    assert client.get("/api/articles", params={"outlet": "Lakeside News"}).json()["total"] == 1


def test_a_broken_upload_fails_its_job_not_the_server(client):
    started = client.post("/api/ingest", files={"file": ("bad.warc.gz", b"\x1f\x8bnot gzip at all")})
    job = finished(client, started.json()["id"])
    assert job["state"] in ("done", "failed") and client.get("/api/claims").status_code == 200


def test_an_internal_failure_shows_no_traceback(store, monkeypatch):
    with TestClient(create_app(ServiceSettings(db=store)), raise_server_exceptions=False) as failing:
        monkeypatch.setattr(Corpus, "story", lambda self, story_id: 1 / 0)
        response = failing.get("/api/stories/1")
    assert response.status_code == 500 and error_of(response) == "InternalError"
    assert "ZeroDivision" in response.text and "line" not in response.text


def test_the_openapi_description_names_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/stories/{story_id}", "/api/claims",
            "/api/claims/{claim_id}", "/api/analyze", "/api/ingest", "/api/jobs/{job_id}"} <= set(paths)
