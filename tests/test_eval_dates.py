"""The dates benchmark and the publication-date rules it measures (evidence order, no header display dates)."""
import os
from pathlib import Path

import pytest

from onrecord.dates import published_from_html
from onrecord.evaluation.dates import _outcome, _summary, evaluate_dates, page_language

DATA = Path(os.environ.get("ONRECORD_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
SLOW = os.environ.get("ONRECORD_SLOW") == "1"

BODY = ("<p>The council voted on Tuesday to expand the harbour, a plan officials said would cost about "
        "40 million euros and take three years.</p>")


def test_outcomes_and_summary():
    assert _outcome("2020-01-02", "2020-01-02") == "right"
    assert _outcome(None, None) == "right"  # a page with no identifiable date, and none found
    assert _outcome("2020-01-02", None) == "missing"
    assert _outcome("2020-01-02", "2020-01-03") == "wrong"
    summary = _summary(["right", "right", "wrong", "missing"])
    assert summary == {"pages": 4, "right": 2, "wrong": 1, "missing": 1, "accuracy": 0.5}


def test_page_language():
    assert page_language("<html lang='en-GB'><body>x</body></html>") == "en"
    assert page_language("<html><body><p>The minister said that the plan was on track and would be "
                         "finished by the end of the year.</p></body></html>") == "en"


def test_meta_date_with_evidence():
    html = ("<html><head><meta property='article:published_time' content='2024-08-22T19:40:00-06:00'></head>"
            f"<body><h1>Headline</h1>{BODY}</body></html>")
    found, _ = published_from_html(html)
    assert found.date == "2024-08-22" and "article:published_time" in found.evidence


def test_dated_url_wins_over_a_utc_timestamp():
    html = ("<html><head><script type='application/ld+json'>{\"datePublished\": \"2023-11-09T03:28:35Z\"}"
            f"</script></head><body><h1>Headline</h1>{BODY}</body></html>")
    found, _ = published_from_html(html, "https://example.com/2023/11/08/story-slug/")
    assert found.date == "2023-11-08" and found.evidence.startswith("URL")


def test_header_display_date_is_never_taken():
    html = ("<html><body><div class='top'>Friday, March 29, 2024 | 12°C</div>"
            f"<h1>Harbour plan approved</h1>{BODY}</body></html>")
    assert published_from_html(html)[0].date is None


def test_site_date_far_above_the_headline_is_a_display_date():
    menu = "".join(f"<li><a href='/{s}'>{s}</a></li>" for s in ("World", "Business", "Sport", "Culture", "Opinion",
                                                                "Science", "Travel", "Technology", "Health"))
    html = (f"<html><body><div class='top'>March 29, 2024</div><ul>{menu}</ul>"
            f"<h1>Harbour plan approved</h1>{BODY}</body></html>")
    assert published_from_html(html)[0].date is None


def test_story_date_line_right_above_the_headline_is_taken():
    """Many blogs print the post's date just above its title: that is the story's date, not the site's today."""
    html = (f"<html><body><nav><a href='/'>Home</a></nav><div class='post-meta'>March 29, 2024 · 5 min read</div>"
            f"<h1>Harbour plan approved</h1>{BODY}</body></html>")
    assert published_from_html(html)[0].date == "2024-03-29"


def test_page_without_a_headline_has_no_header_to_refuse():
    html = f"<html><body><div class='post'><p class='date'>March 29, 2024</p>{BODY}</div></body></html>"
    assert published_from_html(html)[0].date == "2024-03-29"


@pytest.mark.shared
def test_small_dates_run():
    if not (DATA / "htmldate-eval").exists():
        pytest.skip(f"{DATA / 'htmldate-eval'} is absent: set ONRECORD_DATA or check out ../shared/data")
    report = evaluate_dates("mediacloud", limit=5, data_dir=DATA)
    result = report["sets"]["mediacloud"]
    assert result["pages"] == 5
    for system in ("onrecord", "htmldate"):
        assert 0 <= result["systems"][system]["all"]["accuracy"] <= 1


@pytest.mark.shared
@pytest.mark.skipif(not SLOW, reason="whole-dataset run: set ONRECORD_SLOW=1")
def test_onrecord_beats_htmldate_on_both_sets():
    if not (DATA / "htmldate-eval").exists():
        pytest.skip(f"{DATA / 'htmldate-eval'} is absent")
    report = evaluate_dates("htmldate", data_dir=DATA)
    for name, result in report["sets"].items():
        ours = result["systems"]["onrecord"]["all"]["accuracy"]
        theirs = result["systems"]["htmldate"]["all"]["accuracy"]
        assert ours > theirs, f"{name}: onrecord {ours:.3f} <= htmldate {theirs:.3f}"
