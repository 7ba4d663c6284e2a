import datetime as dt

import pytest

from onrecord.cleaning import clean_html, clean_text
from onrecord.dates import find_times, is_date_line, parse_full_date, published_from_html, resolve_time
from onrecord.errors import ConfigError
from onrecord.options import Options

FROZEN = Options.load(now="2024-11-20")
BODY = ("<p>The harbour board said on Tuesday that the new ferry terminal would open in the spring, two years "
        "later than planned, after a dispute over the cost of the pier foundations.</p>"
        "<p>Board members will vote on the revised budget next week, a spokesperson said.</p>")


def page(head: str) -> str:
    return f"<html><head>{head}</head><body><h1>Ferry terminal delayed</h1>{BODY}</body></html>"


def values(text: str, published: str | None) -> dict[str, str | None]:
    return {t.text: t.value for t in find_times(text, published)}


def test_full_dates_in_common_forms():
    assert parse_full_date("Friday, March 29, 2024") == dt.date(2024, 3, 29)
    assert parse_full_date("Published 12:04 GMT, 3 March 2025") == dt.date(2025, 3, 3)
    assert parse_full_date("Sept. 3, 2021") == dt.date(2021, 9, 3)
    assert parse_full_date("2023-11-02T10:00:00Z") == dt.date(2023, 11, 2)
    assert parse_full_date("March 2024") is None
    assert parse_full_date("February 30, 2024") is None


def test_date_lines():
    assert is_date_line("Friday, March 29, 2024")
    assert is_date_line("March 29, 2024 10:32 am")
    assert not is_date_line("On March 29, 2024 the council voted to close the bridge.")


def test_relative_times_resolve_against_publication_date():
    anchor = dt.date(2016, 10, 5)  # a Wednesday
    assert resolve_time("Wednesday", anchor) == "2016-10-05"
    assert resolve_time("last Saturday", anchor) == "2016-10-01"
    assert resolve_time("late September", anchor) == "2016-09"
    assert resolve_time("in December", anchor) == "2015-12"
    assert resolve_time("this year", anchor) == "2016"
    assert resolve_time("yesterday", anchor) == "2016-10-04"
    assert resolve_time("next Monday", anchor) == "2016-10-10"
    assert resolve_time("last week", anchor) == "2016-W39"
    assert resolve_time("last October", anchor) == "2015-10"  # "last" is never the current month


def test_clause_direction_turns_resolution_forward():
    anchor = dt.date(2016, 10, 5)
    assert resolve_time("in December", anchor, "future") == "2016-12"
    assert resolve_time("Friday", anchor, "future") == "2016-10-07"
    assert resolve_time("Friday", anchor, "past") == "2016-09-30"
    assert resolve_time("next Monday", anchor, "past") == "2016-10-10"  # the phrase's own word wins


def test_scheduled_month_day_takes_the_coming_year():
    found = values("Sentencing is scheduled for Feb. 14, the prosecutor's office said.", "2023-12-12")
    assert found == {"Feb. 14": "2024-02-14"}


def test_postponed_weekdays_look_forward():
    found = values("The council vote was postponed from Tuesday to Friday.", "2024-11-18")  # a Monday
    assert found == {"Tuesday": "2024-11-19", "Friday": "2024-11-22"}


def test_past_and_future_weekdays_in_one_article():
    text = ("The mayor said on Friday that the budget will be put to a vote on Monday. "
            "On Saturday, protesters gathered outside city hall. The hearing is set for Thursday.")
    found = values(text, "2024-11-20")  # a Wednesday
    assert found == {"on Friday": "2024-11-15", "on Monday": "2024-11-25", "On Saturday": "2024-11-16",
                     "Thursday": "2024-11-21"}


def test_passive_future_and_past_month_days():
    text = "He was arrested on Dec. 28 and will be sentenced on 3 March."
    assert values(text, "2024-01-03") == {"on Dec. 28": "2023-12-28", "on 3 March": "2024-03-03"}


def test_month_day_without_a_cue_is_the_nearest_one():
    assert values("Map of the front line, Nov. 28 (agency photo)", "2024-12-02") == {"Nov. 28": "2024-11-28"}
    assert values("Map of the front line, Nov. 28 (agency photo)", "2024-11-20") == {"Nov. 28": "2024-11-28"}
    assert values("Residents will have to wait until Friday.", "2024-11-20") == {"Friday": "2024-11-22"}


def test_unresolvable_times_stay_none():
    text = "The ferry will run again next spring. The deadline was Feb. 29. The fair is on last weekend."
    found = values(text, "2023-06-01")
    assert found == {"next spring": None, "Feb. 29": None, "last weekend": None}
    assert all(value is None for value in values("She said on Friday the vote is due Feb. 14.", None).values())


def test_full_dates_are_not_relative_times():
    text = "He was born on Feb. 14, 1990 and moved on 3 March 2001, in March 2004, on Jan. 5 2010."
    assert find_times(text, "2024-06-01") == []


def test_relative_times_stay_unresolved_without_a_date():
    times = find_times("He left last Saturday and returned in late September this year.", None)
    assert [t.text for t in times] == ["last Saturday", "late September", "this year"]
    assert all(t.value is None for t in times)


def test_may_the_verb_is_not_a_month():
    assert [t.text for t in find_times("Prices may rise. They met in May.", "2024-07-01")] == ["in May"]
    assert find_times("Thousands will march on the capital.", "2024-07-01") == []


@pytest.mark.parametrize("anchor", ["0001-01-01", "9999-12-31", "not a date"])
def test_relative_times_never_overflow(anchor):
    text = ("Officials said on Friday that the plant will reopen next Monday, on Jan. 2 or in December, "
            "after last year's fire yesterday; the next year, next month and next week will tell.")
    times = find_times(text, anchor)
    assert len(times) == 9


def test_resolution_at_the_ends_of_the_calendar():
    assert resolve_time("yesterday", dt.date.min) is None
    assert resolve_time("next year", dt.date.max) is None
    assert resolve_time("on Friday", dt.date.min, "future") == "0001-01-05"


def test_publication_date_evidence_from_markup():
    json_ld = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
               '"datePublished": "2024-02-11T08:00:00Z"}</script></head><body></body></html>')
    found, refused = published_from_html(json_ld)
    assert found.date == "2024-02-11" and "JSON-LD" in found.evidence and refused == []
    meta = '<html><head><meta property="article:published_time" content="2023-05-06"></head></html>'
    assert published_from_html(meta)[0].date == "2023-05-06"
    url, _ = published_from_html("<html><body><p>x</p></body></html>", url="https://x.example/2022/01/09/story")
    assert url.date == "2022-01-09" and url.evidence.startswith("URL")


def test_no_date_gives_no_evidence():
    found, refused = published_from_html("<html><body><p>Nothing dated here.</p></body></html>")
    assert found.date is None and found.evidence is None and refused == []


def test_placeholder_json_ld_date_is_refused_and_the_next_candidate_used():
    html = page('<script type="application/ld+json">{"@type": "NewsArticle", '
                '"datePublished": "0001-01-01T00:00:00Z"}</script>'
                '<meta property="article:published_time" content="2024-11-19T07:30:00Z">')
    found, refused = published_from_html(html, options=FROZEN)
    assert found.date == "2024-11-19" and "article:published_time" in found.evidence
    assert len(refused) == 1 and "0001-01-01" in refused[0].text and "JSON-LD" in refused[0].text
    assert refused[0].reason.startswith("publication date candidate out of range")
    article = clean_html(html, FROZEN)
    assert article.published.date == "2024-11-19"
    assert any("0001-01-01" in r.text and "out of range" in r.reason for r in article.removed)
    assert {t.text: t.value for t in find_times(article.text, article.published.date)}["on Tuesday"] == "2024-11-19"


def test_placeholder_alone_leaves_the_date_unknown():
    html = page('<script type="application/ld+json">{"datePublished": "0001-01-01T00:00:00Z"}</script>')
    found, refused = published_from_html(html, options=FROZEN)
    assert found.date is None and len(refused) == 1
    assert all(t.value is None for t in find_times("She left on Friday.", found.date))


def test_future_candidate_is_refused_until_its_day_comes():
    html = page('<script type="application/ld+json">{"datePublished": "2093-05-01"}</script>'
                '<time itemprop="datePublished" datetime="2024-11-12">12 November 2024</time>')
    found, refused = published_from_html(html, options=FROZEN)
    assert found.date == "2024-11-12" and found.evidence.startswith("<time")
    assert "2093-05-01" in refused[0].reason
    later, refused = published_from_html(html, options=FROZEN.with_(now="2093-04-30"))
    assert later.date == "2093-05-01" and refused == []  # a day ahead: a newsroom in a later timezone


def test_out_of_range_date_line_in_a_text_scrape_is_listed():
    scrape = ("Ferry terminal delayed again\n\nBy Ana Ruiz\nPublished 1 January 0001\n\n"
              "The harbour board said on Tuesday that the new ferry terminal would open two years later than "
              "planned, after a dispute over the cost of the pier foundations.\n")
    article = clean_text(scrape, FROZEN)
    assert article.published.date is None
    assert any(r.text == "Published 1 January 0001" and "out of range" in r.reason for r in article.removed)


def test_now_option():
    assert FROZEN.today() == dt.date(2024, 11, 20)
    assert Options.load(now=dt.date(2024, 1, 2)).now == "2024-01-02"  # TOML's unquoted date
    assert Options.load().today() == dt.date.today()
    with pytest.raises(ConfigError):
        Options.load(now="last Tuesday")
