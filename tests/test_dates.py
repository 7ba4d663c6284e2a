import datetime as dt

from onrecord.dates import find_times, is_date_line, parse_full_date, published_from_html, resolve_time


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


def test_relative_times_stay_unresolved_without_a_date():
    times = find_times("He left last Saturday and returned in late September this year.", None)
    assert [t.text for t in times] == ["last Saturday", "late September", "this year"]
    assert all(t.value is None for t in times)


def test_may_the_verb_is_not_a_month():
    assert [t.text for t in find_times("Prices may rise. They met in May.", "2024-07-01")] == ["in May"]


def test_publication_date_evidence_from_markup():
    json_ld = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
               '"datePublished": "2024-02-11T08:00:00Z"}</script></head><body></body></html>')
    found = published_from_html(json_ld)
    assert found.date == "2024-02-11" and "JSON-LD" in found.evidence
    meta = '<html><head><meta property="article:published_time" content="2023-05-06"></head></html>'
    assert published_from_html(meta).date == "2023-05-06"
    url = published_from_html("<html><body><p>x</p></body></html>", url="https://x.example/2022/01/09/story")
    assert url.date == "2022-01-09" and url.evidence.startswith("URL")


def test_no_date_gives_no_evidence():
    found = published_from_html("<html><body><p>Nothing dated here.</p></body></html>")
    assert found.date is None and found.evidence is None
