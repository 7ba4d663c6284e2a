"""The web UI (onrecord.web): every page over a small store (the fictional defection story of
test_corpus_claims plus a hostile page) through FastAPI's TestClient; 404 and 400 pages; hostile text rendered
inert; the SVG timeline's links; and the article renderer on hand-made analyses (no model needed)."""
import json
import re
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_corpus_claims import PAGES, feed

from onrecord.web import article_html, router

HOSTILE = {
    "url": "javascript:alert(6)", "published": "2031-06-01T09:00:00+00:00",
    "outlet": "<i onclick=alert(7)>Brackenford Gazette</i>",
    "text": ("Mayor <script>alert('title')</script> denies bridge report\n\n"
             "The mayor of Brackenford, Ilse <img src=x onerror=alert(1)> Varga, said on Monday that the bridge "
             "<script>alert(2)</script> would stay open.\n\n"
             "\"The <b onmouseover=alert(4)>bridge</b> is safe and the report is simply wrong,\" Varga told "
             "reporters. [Click here](javascript:alert(5))\n")}


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's parser would see them."""

    def __init__(self, page):
        super().__init__()
        self.tags = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(page):
    """No script element, no event-handler attribute, no href or src but our own or http(s)."""
    for tag, attrs in Elements(page).tags:
        assert tag not in ("script", "img", "iframe", "object", "embed"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if (tag, name, value) == ("link", "href", "data:,"):  # the empty favicon, so no request for one
                continue
            if name in ("href", "src", "action"):
                assert value.startswith(("/", "#", "http://", "https://")) or value == "", (tag, name, value)
                assert "javascript:" not in value.lower()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, nlp):
    from onrecord.corpus import Corpus
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    with Corpus(folder / "web.db") as corpus:
        corpus.ingest([feed(folder / "feed.jsonl", range(len(PAGES))), hostile])
        yield corpus


@pytest.fixture(scope="module")
def client(corpus):
    app = FastAPI()
    app.include_router(router(lambda: corpus))
    return TestClient(app)


@pytest.fixture(scope="module")
def defection(corpus):
    [record] = corpus.claims(search="Toma Rusk defected", limit=1)
    return record


def badge(status):
    return f'<span class="badge st-{status}">{status.replace("_", " ")}</span>'


def ok(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert page.startswith("<!doctype html>") and page.count("<style>") == 1
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.replace('href="https://', "")), \
        "no external resources, and no link of our own that is not relative"
    assert_inert(page)
    return page


def test_home_has_a_labelled_search_box_recent_claims_and_stories(client, defection):
    page = ok(client, "/")
    assert '<label for="q"' in page and 'action="/search"' in page
    assert f'href="/claims/{defection.id}"' in page and 'href="/stories/' in page
    assert badge(defection.status) in page


def test_search_finds_the_claim_with_a_badge_and_the_articles(client, defection):
    page = ok(client, "/search?q=diplomat+defected")
    assert f'href="/claims/{defection.id}"' in page
    assert badge(defection.status) in page  # the word beside the colour, never colour alone
    assert "Diplomat Toma Rusk defects, wire reports" in page and 'href="/articles/' in page
    assert "Articles" in page


def test_search_without_claim_words_still_lists_articles_and_pages_them(client):
    page = ok(client, "/search?q=the+of")
    assert "nothing to search for" in page
    assert "Search" in ok(client, "/search")
    page = ok(client, "/search?q=Rusk&offset=0")
    assert "Toma Rusk" in page
    assert client.get("/search?q=Rusk&offset=-1").status_code == 400
    assert client.get("/search?q=" + "x" * 600).status_code == 400


def test_every_status_has_its_own_badge_class_and_word():
    from onrecord.web.page import CSS, status_badge
    seen = set()
    for status in ("asserted", "single_source", "corroborated", "confirmed", "unconfirmed", "denied", "disputed"):
        badge = str(status_badge(status))
        assert status.replace("_", " ") in badge and f"st-{status}" in badge
        colour = re.search(rf"\.st-{status}\{{background:(#[0-9a-f]+)", CSS).group(1)
        seen.add(colour)
    assert len(seen) == 7


def test_story_folds_copies_and_draws_each_claim_s_timeline(client, corpus, defection):
    story_id = corpus.article(defection.first_report.article)[0].story
    page = ok(client, f"/stories/{story_id}")
    copy = re.search(r'<ul class="copies"[^>]*>(.*?)</ul>', page, re.DOTALL)
    assert copy and "Diplomat Toma Rusk defects, wire reports" in copy.group(1)  # folded under its original
    assert page.count("<svg") >= 1 and f'href="/claims/{defection.id}"' in page
    assert "Status changes" in page
    for record in corpus.claims(story=story_id):
        assert badge(record.status) in page and f'href="/claims/{record.id}"' in page


def test_timeline_marks_link_to_the_attribution_in_each_article(client, corpus, defection):
    page = ok(client, f"/claims/{defection.id}")
    svg = re.search(r"<figure class=\"tl\"><svg .*?</svg>", page, re.DOTALL).group(0)
    links = re.findall(r'<a href="(/articles/(\d+)#(a\d+))"', svg)
    assert len(links) == len(defection.events)  # one mark per event, each a link with an attribution
    for href, article, anchor in links:
        stored_page = ok(client, f"/articles/{article}")
        assert f'id="{anchor}"' in stored_page, href
    labels = re.findall(r"<text [^>]*>([^<]*·[^<]*)</text>", svg.replace("&#39;", "'"))
    for event in defection.events:  # each labelled with speaker and outlet, its stance toward the claim in words
        assert any(label.startswith(f"{event.speaker} · {event.outlet}") for label in labels), event
        assert f"{event.speaker} ({event.toward}) in {event.outlet}" in svg.replace("&#39;", "'")
    dates = [e.date for e in defection.events]
    assert min(dates) in svg and max(dates) in svg


def test_claim_page_shows_status_reason_originators_events_and_history(client, defection):
    page = ok(client, f"/claims/{defection.id}")
    assert "Originators" in page and all(name in page.replace("&#39;", "'") for name in defection.originators)
    assert page.count("<tr>") >= len(defection.events) + 1
    for change in defection.status_history:
        assert change.date in page
    assert '<label for="as_of">' in page
    assert 'href="/stories/' in page  # the stories its events are in


def test_claim_as_of_cuts_the_timeline(client, corpus, defection):
    day = defection.events[0].date
    page = ok(client, f"/claims/{defection.id}?as_of={day}")
    assert f"as of {day}" in page and badge(corpus.claim(defection.id, as_of=day).status) in page
    svg = re.search(r"<figure class=\"tl\"><svg .*?</svg>", page, re.DOTALL).group(0)
    assert not [e.date for e in defection.events if e.date > day and e.date in svg]
    assert "unreported" in ok(client, f"/claims/{defection.id}?as_of=2031-04-01")


def test_article_highlights_attributions_with_speakers_inline_and_links_claims(client, corpus, defection):
    article = next(e.article for e in defection.events if e.speaker == "Grace Mwila")
    stored, analysis = corpus.article(article)
    page = ok(client, f"/articles/{article}")
    for attribution in analysis["attributions"]:
        assert f'id="{attribution["id"]}"' in page
    said = next(a for a in analysis["attributions"] if a["speaker"]["name"] == "Grace Mwila")
    stance = said["stance"]
    assert (f'<span class="who s-{stance}">Grace Mwila · {stance}</span><span class="cue s-{stance}">'
            f'{said["cue"]["text"]}</span>') in page  # the speaker's name inline, before the cue
    assert f'class="content s-{stance}' in page
    assert f'href="/claims/{defection.id}"' in page and 'href="#a' in page
    assert f'href="/stories/{stored.story}"' in page
    assert "Removed page chrome" in page


def test_a_copy_links_its_original_and_the_original_its_copies(client, corpus):
    [copy] = [a for a in corpus.articles(limit=50)[1] if a.copy_of is not None and a.url.startswith("https://")]
    assert f'href="/articles/{copy.copy_of}"' in ok(client, f"/articles/{copy.id}")
    assert f'href="/articles/{copy.id}"' in ok(client, f"/articles/{copy.copy_of}")


def test_missing_things_are_404_pages_and_bad_input_400_pages(client):
    for path in ("/articles/9999", "/stories/9999", "/claims/9999"):
        response = client.get(path)
        assert response.status_code == 404 and "<h1>Not found (404)</h1>" in response.text, path
    for path in ("/articles/abc", "/stories/1.5", "/claims/-3", "/claims/1?as_of=last+Tuesday",
                 "/articles/99999999999999999999"):
        response = client.get(path)
        assert response.status_code == 400 and "<h1>Bad request (400)</h1>" in response.text, path
        assert "Traceback" not in response.text
    assert "YYYY-MM-DD" in client.get("/claims/1?as_of=last+Tuesday").text


def test_hostile_page_renders_inert_everywhere(client, corpus):
    [hostile] = [a for a in corpus.articles(query="Brackenford", limit=5)[1]]
    pages = [ok(client, f"/articles/{hostile.id}"), ok(client, "/search?q=Brackenford+bridge"),
             ok(client, f"/stories/{hostile.story}"), ok(client, "/")]
    article = pages[0]
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
    assert "&lt;i onclick=alert(7)&gt;Brackenford Gazette&lt;/i&gt;" in article
    assert "javascript:alert(6)" in article and 'href="javascript' not in article.lower()
    for claim in corpus.claims(story=hostile.story):
        assert_inert(ok(client, f"/claims/{claim.id}"))
    query = ok(client, "/search?q=%3Cscript%3Ealert(9)%3C/script%3E%22%3E")
    assert "&lt;script&gt;alert(9)" in query and "<script>alert(9)" not in query


# The article renderer alone, on hand-made analyses: no model needed.

def analysis(text, attributions, **article):
    return {"schema": "onrecord.analysis/1",
            "article": {"title": article.get("title", "A title"), "text": text, "paragraphs": [
                {"start": 0, "end": len(text)}], "published": {"date": None}, "removed": article.get("removed", []),
                "source": article.get("source")},
            "attributions": attributions, "claims": article.get("claims", [])}


def attribution(id, cue, speaker, content, text, stance="assert", chain=None, mention=None):
    def span(words, after=0):
        start = text.index(words, after)
        return {"text": words, "start": start, "end": start + len(words)}
    return {"id": id, "cue": span(cue), "speaker": {"name": speaker, "type": "person",
                                                   "mention": span(mention) if mention else None},
            "chain": [{"name": n, "type": "person"} for n in (chain or [speaker])],
            "content": span(content), "direct": False, "stance": stance, "addresses": None}


def test_nested_and_overlapping_spans_stay_nested_and_readable():
    text = "Yonhap reported that a source said the envoy had fled, the agency added."
    outer = attribution("a1", "reported", "Yonhap", "a source said the envoy had fled", text,
                        chain=["Yonhap", "an anonymous source"], mention="Yonhap")
    inner = attribution("a2", "said", "an anonymous source", "the envoy had fled", text, stance="allege",
                        mention="a source")
    crossing = attribution("a3", "added", "Yonhap", "the envoy had fled, the agency", text, stance="hedge")
    page = article_html(analysis(text, [outer, inner, crossing]))
    body = re.search(r'<article class="text"[^>]*>(.*)</article>', page, re.DOTALL).group(1)
    depth = 0
    for tag in re.findall(r"</?span\b", body):  # well nested: never closes more than it opened
        depth += 1 if tag == "<span" else -1
        assert depth >= 0
    assert depth == 0
    assert body.count('id="a1"') == body.count('id="a2"') == body.count('id="a3"') == 1
    assert "Yonhap, on the word of an anonymous source · assert" in body  # the chain, visible
    assert "an anonymous source · allege" in body
    visible = re.sub(r'<span class="who[^>]*>.*?</span>', "", body)
    assert re.sub(r"<[^>]+>", "", visible).replace("&#39;", "'") == text  # the text intact, in order
    assert 'class="content s-assert h1"' in body  # a content holding another gets a lower underline


def test_standalone_page_escapes_and_refuses_unsafe_links():
    text = "<script>alert(1)</script> said Bob <img src=x onerror=alert(2)>."
    hostile = attribution('a1" onmouseover="alert(3)', "said", "<b>Bob</b>", "<script>alert(1)</script>", text)
    page = article_html(analysis(text, [hostile], title="<script>t</script>", source="javascript:alert(4)",
                                 removed=[{"text": "<iframe src=javascript:alert(5)>", "reason": "ad <b>"}],
                                 claims=[{"id": "c1", "summary": "<svg onload=alert(6)>", "status": "denied",
                                          "reason": "x", "attributions": [hostile["id"]]}]))
    assert_inert(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;iframe" in page
    assert 'id="att-1"' in page and 'href="#att-1"' in page  # an unsafe attribution id is replaced
    assert "javascript:alert(4)" in page and "<header" not in page  # standalone: no links to a server
    safe = article_html(analysis("x", [], source="https://example.org/a?b=1&c=2"))
    assert 'href="https://example.org/a?b=1&amp;c=2"' in safe


def test_offsets_out_of_range_are_skipped_not_fatal():
    text = "Short text."
    bad = {"id": "a1", "cue": {"text": "x", "start": 50, "end": 55}, "speaker": {"name": None},
           "content": {"text": "y", "start": -1, "end": 3}, "stance": "nonsense", "chain": []}
    page = article_html(analysis(text, [bad]))
    assert "Short text." in page


def test_an_empty_store_has_a_start_page_and_clear_404s(tmp_path):
    from onrecord.corpus import Corpus
    with Corpus(tmp_path / "empty.db") as empty:
        app = FastAPI()
        app.include_router(router(lambda: empty))
        client = TestClient(app)
        page = ok(client, "/")
        assert "No stories in the store yet." in page and "No claims found." in page
        assert "No articles found." in ok(client, "/search?q=anything")
        assert client.get("/stories/1").status_code == 404
        assert client.get("/articles/1").status_code == 404
