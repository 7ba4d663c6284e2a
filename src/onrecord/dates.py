"""Dates: the publication date with its evidence, and relative times in the body anchored to it.

A date found in a page header beside a weather widget is the site's display date, not the story's; it
is never taken as the publication date, so relative times stay unresolved rather than anchored wrongly.
"""
from __future__ import annotations

import datetime as dt
import json
import re

import htmldate
from lxml import html as lxml_html

from .records import Published, TimeExpression

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
MONTH_NAME = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
MONTH_RE = MONTH_NAME + r"\.?"
WEEKDAY_RE = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
FULL_DATE = re.compile(
    rf"(?:{WEEKDAY_RE},?\s+)?(?:(?P<m1>{MONTH_RE})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH_RE}),?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2}))", re.I)
RELATIVE_TIME = re.compile(
    rf"\b(?:(?:last|next|this|on|early|late|mid|earlier this|later this)\s+)?(?:{WEEKDAY_RE})\b"
    rf"|\b(?:early|late|mid|mid-|last|next|this|in)?\s*-?{MONTH_NAME}\b(?!\s+\d)"
    r"|\b(?:last|next|this|earlier this|later this)\s+(?:week|month|year|weekend|spring|summer|autumn|fall|winter)\b"
    r"|\b(?:yesterday|today|tomorrow|tonight)\b", re.I)
META_DATE_KEYS = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                  "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date",
                  "sailthru.date", "article.published", "original-publish-date", "citation_publication_date")
EXTENSIVE_SEARCH = True  # htmldate scans the whole page text when markup holds no date (slow, but finds far more)
URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")


def parse_full_date(text: str) -> dt.date | None:
    """The first complete calendar date (day, month and year) in `text`, if any."""
    match = FULL_DATE.search(text)
    if not match:
        return None
    g = match.groupdict()
    try:
        if g["y3"]:
            return dt.date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
        month = g["m1"] or g["m2"]
        day = g["d1"] or g["d2"]
        year = g["y1"] or g["y2"]
        return dt.date(int(year), month_number(month), int(day))
    except (ValueError, KeyError):
        return None


def month_number(name: str) -> int | None:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS.get(key[:3])


def is_date_line(line: str) -> bool:
    """A line that is nothing but a date (with an optional weekday and time)."""
    match = FULL_DATE.search(line)
    if not match:
        return False
    rest = (line[:match.start()] + line[match.end():]).strip(" ,|-–—")
    return not rest or bool(re.fullmatch(r"(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?\s*\w{0,4}", rest, re.I))


def published_from_html(html, url: str | None = None) -> Published:
    """Publication date with its evidence: a dated URL path first (it carries the newsroom's local day), then
    markup (JSON-LD, meta tags, <time>), then htmldate's search of the page, whose answer is refused when it is
    a display date printed above the headline (the site's "today", not the story's date).
    `html` is the page's text or its parsed lxml tree (left unchanged)."""
    if isinstance(html, str):
        try:
            tree = lxml_html.fromstring(html)
        except (ValueError, lxml_html.etree.ParserError):
            tree = None
    else:
        tree = html
    from_url = _date_from_url(url)
    if from_url:
        return from_url
    if tree is not None:
        found = _date_from_json_ld(tree) or _date_from_meta(tree) or _date_from_time_tag(tree)
        if found:
            return found
    try:
        page = tree if tree is not None else html
        found = htmldate.find_date(page, url=url, original_date=True, extensive_search=False)
        if not found and EXTENSIVE_SEARCH:
            found = htmldate.find_date(page, url=url, original_date=True, extensive_search=True)
            if found and found.endswith("-01-01"):  # a bare year (often the copyright line), not a day
                found = None
    except Exception:  # htmldate raises assorted errors on malformed markup; a date is optional
        found = None
    if found and tree is not None and found in _header_display_dates(tree):
        return Published(None, f"only a display date in the page header ({found}), not taken")
    return Published(found, "htmldate (page markup)") if found else Published()


def _date_from_url(url: str | None) -> Published | None:
    match = URL_DATE.search(url or "")
    if not match:
        return None
    try:
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return Published(day.isoformat(), f"URL path {match.group(0).strip('/')}")


def _header_display_dates(tree) -> set[str]:
    """Full dates printed in the page header: above the headline (the first <h1>) and either set apart from
    it by other text (the site's menus, its weather box) or written with the weekday ("Friday, March 29,
    2024"), as sites print their "today". A plain date line directly above the headline, with at most a
    category or reading time between, is the story's own (a common blog layout). A page without an <h1> has
    no header to tell apart."""
    if not tree.xpath("//h1"):
        return set()
    dates, seen = [], 0
    for element in tree.iter():
        if element.tag == "h1":
            break
        own = element.text if isinstance(element.tag, str) and element.tag not in ("script", "style") else None
        for text in (own, element.tail):
            if not text or not text.strip():
                continue
            day = parse_full_date(text) if len(text) < 120 else None
            seen += len(" ".join(text.split()))
            if day:
                dates.append((day.isoformat(), seen, bool(WEEKDAY_NAME.search(text))))
    return {day for day, end, weekday in dates if weekday or seen - end > HEADER_GAP_CHARS}


HEADER_GAP_CHARS = 55  # text between a date and the headline beyond which the date is the site's, not the story's
WEEKDAY_NAME = re.compile(rf"\b(?:(?:{'|'.join(WEEKDAYS)})\b|(?:{'|'.join(day[:3] for day in WEEKDAYS)})\.?,)", re.I)


def _date_from_json_ld(tree) -> Published | None:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except (json.JSONDecodeError, TypeError):
            continue
        for item in _walk_json(data):
            value = item.get("datePublished") or item.get("dateCreated")
            day = _iso_day(value)
            if day:
                return Published(day, f"JSON-LD datePublished {value}")
    return None


def _walk_json(data):
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk_json(value)
    elif isinstance(data, list):
        for value in data:
            yield from _walk_json(value)


def _date_from_meta(tree) -> Published | None:
    for meta in tree.xpath("//meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in META_DATE_KEYS:
            day = _iso_day(meta.get("content"))
            if day:
                return Published(day, f'meta {key}="{meta.get("content")}"')
    return None


def _date_from_time_tag(tree) -> Published | None:
    for node in tree.xpath('//time[@pubdate or @itemprop="datePublished"][@datetime]'):
        day = _iso_day(node.get("datetime"))
        if day:
            return Published(day, f'<time datetime="{node.get("datetime")}">')
    return None


def _iso_day(value) -> str | None:
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        try:
            return dt.date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    day = parse_full_date(value)
    return day.isoformat() if day else None


def find_times(text: str, published: str | None) -> list[TimeExpression]:
    """Relative and partial times in the body, resolved only when the publication date is known."""
    anchor = dt.date.fromisoformat(published) if published else None
    times = []
    for match in RELATIVE_TIME.finditer(text):
        phrase = match.group(0).strip()
        start = match.start() + match.group(0).index(phrase)
        if _is_may_verb(text, start, phrase):
            continue
        times.append(TimeExpression(phrase, start, start + len(phrase), resolve_time(phrase, anchor)))
    return times


def _is_may_verb(text: str, start: int, phrase: str) -> bool:
    """'may' alone is far more often the modal verb than the month; 'in May', 'late May' are months."""
    return phrase.lower() == "may" or phrase.split()[-1] == "may"


def resolve_time(phrase: str, anchor: dt.date | None) -> str | None:
    """ISO value for a relative time, or None when there is no anchor or the phrase is too vague."""
    if anchor is None:
        return None
    words = phrase.lower().replace("-", " ").split()
    last = words[-1]
    if last in ("today", "tonight"):
        return anchor.isoformat()
    if last == "yesterday":
        return (anchor - dt.timedelta(days=1)).isoformat()
    if last == "tomorrow":
        return (anchor + dt.timedelta(days=1)).isoformat()
    if last in WEEKDAYS:
        back = (anchor.weekday() - WEEKDAYS[last]) % 7
        if words[0] == "next":
            return (anchor + dt.timedelta(days=(WEEKDAYS[last] - anchor.weekday()) % 7 or 7)).isoformat()
        if words[0] == "last" and back == 0:
            back = 7
        return (anchor - dt.timedelta(days=back)).isoformat()
    if last == "year":
        offset = {"last": -1, "next": 1}.get(words[0], 0)
        return str(anchor.year + offset)
    if last == "month":
        month = anchor.month + {"last": -1, "next": 1}.get(words[0], 0)
        year = anchor.year + (month - 1) // 12
        return f"{year}-{(month - 1) % 12 + 1:02d}"
    month = month_number(last)
    if month:
        year = anchor.year if month <= anchor.month else anchor.year - 1
        if words[0] == "next":
            year = anchor.year if month > anchor.month else anchor.year + 1
        return f"{year}-{month:02d}"
    return None
