"""The web UI in a real browser: Playwright for Python drives the distribution's Chromium (ONRECORD_CHROMIUM,
else `chromium` on the PATH; Playwright's own browser download is not used) against `onrecord serve` on a
fresh store holding the fictional example story (examples/stories/halvorsen-emissions-probe). Search for a
claim, open its story, follow a timeline mark to an article, check the highlighted attribution and its
speaker's name are visible and that a claim's status badge links back to its record. Screenshots go to
tests/artifacts/ (and, with ONRECORD_README_SCREENSHOTS=1, the README's to docs/images/)."""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
STORY = ROOT / "examples" / "stories" / "halvorsen-emissions-probe"
IMAGES = ROOT / "docs" / "images"
CHROMIUM = os.environ.get("ONRECORD_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM or not Path(CHROMIUM).exists():
        if os.environ.get("ONRECORD_REQUIRE_BROWSER"):
            pytest.fail("ONRECORD_REQUIRE_BROWSER is set but no Chromium was found (ONRECORD_CHROMIUM or chromium)")
        pytest.skip("no Chromium found: install Debian's chromium package or set ONRECORD_CHROMIUM to its path")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements-test)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, nlp):
    """`onrecord serve` in its own process on a fresh store holding the example story."""
    import httpx

    from onrecord.corpus import Corpus

    db = tmp_path_factory.mktemp("browser") / "web.db"
    with Corpus(db) as corpus:
        corpus.ingest([STORY])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-c", "from onrecord.cli import main; main()", "serve", "--db", str(db),
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
    while True:
        assert process.poll() is None and time.monotonic() < deadline, "onrecord serve did not start"
        try:
            if httpx.get(base + "/api/stories", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=30)


def shot(page, name, readme=None, down_to=None):
    """The whole page into tests/artifacts/; with `readme` and ONRECORD_README_SCREENSHOTS=1, its top into
    docs/images/ (the README's pictures): a laptop's screen, or down to the end of the element `down_to` selects."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if readme and os.environ.get("ONRECORD_README_SCREENSHOTS") == "1":
        IMAGES.mkdir(parents=True, exist_ok=True)
        width, height = page.viewport_size["width"], page.viewport_size["height"]
        if down_to:
            box = page.locator(down_to).first.evaluate(
                "e => { const r = e.getBoundingClientRect(); return r.bottom + window.scrollY; }")
            height = min(int(box) + 16, 2400)
        page.screenshot(path=str(IMAGES / readme), full_page=True, clip={"x": 0, "y": 0, "width": width,
                                                                          "height": height})


def test_search_story_timeline_article_and_back_to_the_claim(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(server + "/")
    page.get_by_label("Search claims and articles").first.fill("is Halvorsen under investigation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=is+Halvorsen+under+investigation")
    claim = page.locator('ul.results a[href^="/claims/"]').first
    assert claim.locator(".badge").is_visible()  # the status badge, its word inside the link
    shot(page, "1-search")
    claim.click()
    page.wait_for_url("**/claims/*")
    shot(page, "2-claim")

    page.locator('nav[aria-label="Stories of this claim"] a').first.click()
    page.wait_for_url("**/stories/*")
    mark = page.locator('svg a[href^="/articles/"]').first
    assert mark.is_visible()
    shot(page, "3-story", readme="story.png", down_to="figure.tl")
    speaker = mark.locator("text").text_content().split(" · ")[0]
    href = mark.get_attribute("href")
    article, anchor = href.split("#")
    mark.click()
    page.wait_for_url(f"**{article}#{anchor}")

    highlighted = page.locator(f"#{anchor}")
    assert highlighted.is_visible()
    assert highlighted.locator(".content").first.is_visible()
    who = highlighted.locator(".who").first
    assert who.is_visible() and who.inner_text().startswith(speaker)  # the speaker named at the cue
    outline = highlighted.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"  # the followed attribution is marked as the target
    shot(page, "4-article", readme="article.png")

    back = page.locator('#h-claims ~ ol a[href^="/claims/"]').first
    assert back.locator(".badge").is_visible()
    target = back.get_attribute("href")
    back.click()
    page.wait_for_url("**" + target)
    assert page.locator("h1").inner_text().startswith("Claim ")
    assert not errors, errors


def test_pages_work_at_phone_width_and_by_keyboard(browser, server):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(server + "/stories/1")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375px ({width}px); only the timeline may"
    shot(page, "5-story-phone")
    page.goto(server + "/articles/1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "6-article-phone")
    page.keyboard.press("Tab")  # the skip link first, then the header's links
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "/"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.goto(server + "/claims/1")
    for _ in range(40):  # the timeline's marks are reached by Tab like any link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg') !== null"):
            break
    else:
        raise AssertionError("no timeline mark took the keyboard focus")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + href)
