"""Dates: the publication date with its evidence, and relative times in the body anchored to it.

A date found in a page header beside a weather widget is the site's display date, not the story's; it
is never taken as the publication date, so relative times stay unresolved rather than anchored wrongly; nor is
a date before the web's news sites or after today (a CMS's 0001-01-01 placeholder). A relative time looks back or
forward from that date as its clause's tense says: "said on Friday" is past, "is scheduled for Feb. 14" ahead.
"""
from __future__ import annotations

import datetime as dt
import json
import re

import htmldate
from lxml import html as lxml_html

from .options import Options, default_options
from .records import Published, Removed, TimeExpression

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
DAY_OF_MONTH = r"\d{1,2}(?:st|nd|rd|th)?\b"
RELATIVE_TIME = re.compile(
    rf"\b(?:(?:last|next|this|on|early|late|mid|earlier this|later this)\s+)?(?:{WEEKDAY_RE})\b"
    rf"|\b(?:(?:early|late|mid|on|last|next|this|in)\s+|mid-)?"  # a month, or a day of it without a year:
    rf"(?:{MONTH_NAME}\b(?:\.?\s+{DAY_OF_MONTH}(?!,?\s+\d{{4}}\b)|(?!\.?\s+\d))"  # "in May", "Feb. 14"
    rf"|{DAY_OF_MONTH}\s+(?:of\s+)?{MONTH_NAME}\b(?!\.?,?\s+\d{{4}}\b))"  # "14 February"
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


def published_from_html(html, url: str | None = None,
                        options: Options | None = None) -> tuple[Published, list[Removed]]:
    """Publication date with its evidence, and the candidates refused on the way.

    A dated URL path first (it carries the newsroom's local day), then markup (JSON-LD, meta tags, <time>),
    then htmldate's search of the page, whose answer is refused when it is a display date printed above the
    headline (the site's "today", not the story's date). A candidate outside [1995-01-01, today + 1 day] (a
    CMS's 0001-01-01 placeholder, a mistyped year) is refused and listed, and the next one tried.
    `html` is the page's text or its parsed lxml tree (left unchanged)."""
    if isinstance(html, str):
        try:
            tree = lxml_html.fromstring(html)
        except (ValueError, lxml_html.etree.ParserError):
            tree = None
    else:
        tree = html
    options = options or default_options()
    rejected = []
    for day, evidence in _markup_candidates(tree, url):
        problem = out_of_range(day, options)
        if problem is None:
            return Published(day.isoformat(), evidence), rejected
        rejected.append(Removed(evidence, problem))
    found = _htmldate(tree if tree is not None else html, url, options.today() + FUTURE_TOLERANCE)
    if found and tree is not None and found in _header_display_dates(tree):
        return Published(None, f"only a display date in the page header ({found}), not taken"), rejected
    return (Published(found, "htmldate (page markup)") if found else Published()), rejected


EARLIEST_PUBLICATION = dt.date(1995, 1, 1)  # before news sites were on the web: an earlier date is a placeholder
FUTURE_TOLERANCE = dt.timedelta(days=1)  # a newsroom in a timezone ahead of ours already prints tomorrow's date


def out_of_range(day: dt.date, options: Options) -> str | None:
    """Why `day` cannot be a web page's publication date, or None when it can."""
    latest = options.today() + FUTURE_TOLERANCE
    if EARLIEST_PUBLICATION <= day <= latest:
        return None
    return f"publication date candidate out of range ({day.isoformat()} not within {EARLIEST_PUBLICATION} to {latest})"


def _markup_candidates(tree, url: str | None):
    """(day, evidence) for each date the URL and the markup state, in the order they are trusted."""
    yield from _date_from_url(url)
    if tree is not None:
        yield from _dates_from_json_ld(tree)
        yield from _dates_from_meta(tree)
        yield from _dates_from_time_tags(tree)


def _htmldate(page, url: str | None, latest: dt.date) -> str | None:
    """htmldate's date for the page within the allowed range: from the markup, else from a search of its text."""
    bounds = {"min_date": dt.datetime.combine(EARLIEST_PUBLICATION, dt.time.min),
              "max_date": dt.datetime.combine(latest, dt.time.max)}
    try:
        found = htmldate.find_date(page, url=url, original_date=True, extensive_search=False, **bounds)
        if not found and EXTENSIVE_SEARCH:
            found = htmldate.find_date(page, url=url, original_date=True, extensive_search=True, **bounds)
            if found and found.endswith("-01-01"):  # a bare year (often the copyright line), not a day
                found = None
    except Exception:  # htmldate raises assorted errors on malformed markup; a date is optional
        found = None
    return found


def _date_from_url(url: str | None):
    match = URL_DATE.search(url or "")
    if not match:
        return
    try:
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return
    yield day, f"URL path {match.group(0).strip('/')}"


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


def _dates_from_json_ld(tree):
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except (json.JSONDecodeError, TypeError):
            continue
        for item in _walk_json(data):
            value = item.get("datePublished") or item.get("dateCreated")
            day = _calendar_day(value)
            if day:
                yield day, f"JSON-LD datePublished {value}"


def _walk_json(data):
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk_json(value)
    elif isinstance(data, list):
        for value in data:
            yield from _walk_json(value)


def _dates_from_meta(tree):
    for meta in tree.xpath("//meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in META_DATE_KEYS:
            day = _calendar_day(meta.get("content"))
            if day:
                yield day, f'meta {key}="{meta.get("content")}"'


def _dates_from_time_tags(tree):
    for node in tree.xpath('//time[@pubdate or @itemprop="datePublished"][@datetime]'):
        day = _calendar_day(node.get("datetime"))
        if day:
            yield day, f'<time datetime="{node.get("datetime")}">'


def _calendar_day(value) -> dt.date | None:
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            return None
    return parse_full_date(value)


def find_times(text: str, published: str | None) -> list[TimeExpression]:
    """Relative and partial times in the body, resolved only when the publication date is known, looking back
    or forward as each one's clause says ("said on Friday", "is scheduled for Feb. 14")."""
    anchor = _anchor(published)
    times = []
    for match in RELATIVE_TIME.finditer(text):
        phrase = match.group(0).strip()
        start = match.start() + match.group(0).index(phrase)
        if _is_ordinary_word(phrase):
            continue
        end = start + len(phrase)
        toward = clause_direction(text, start, end) if anchor else None
        times.append(TimeExpression(phrase, start, end, resolve_time(phrase, anchor, toward)))
    return times


def _anchor(published: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(published) if published else None
    except ValueError:
        return None


def _is_ordinary_word(phrase: str) -> bool:
    """A month or weekday name in lower case is a word ("march", "may"), and "May" alone is far more often the
    modal verb than the month; "in May", "May 5" are months."""
    name = next((word for word in phrase.replace("-", " ").split()
                 if month_number(word) or word.lower() in WEEKDAYS), None)
    return name is not None and (name[0].islower() or phrase.lower() == "may")


def clause_direction(text: str, start: int, end: int) -> str | None:
    """'future' or 'past': which way the time at text[start:end] lies from the publication date, read from
    the nearest tense cue before it in its sentence ("will", "is scheduled for", "postponed to"; "said",
    "was", a past participle), else the first after it ("On Friday, the court ruled"); None without a cue."""
    lo = max(0, start - CONTEXT_CHARS)
    sentence_start = max((boundary.end() for boundary in SENTENCE_BOUNDARY.finditer(text, lo, end)
                          if boundary.end() <= start), default=lo)
    before = text[sentence_start:start]
    after = text[end:end + CONTEXT_CHARS]
    boundary = SENTENCE_BOUNDARY.search(after)
    after = after[:boundary.start()] if boundary else after
    words_before = CUE_WORD.findall(before.lower())
    phrase_words = CUE_WORD.findall(text[start:end].lower())
    words = words_before + phrase_words
    for i in range(len(words_before) - 1, -1, -1):
        found = _tense_cue(words, i)
        if found:
            return found
    words = phrase_words[-1:] + CUE_WORD.findall(after.lower())
    for i in range(1, len(words)):
        found = _tense_cue(words, i)
        if found:
            return found
    return None


def _tense_cue(words: list[str], i: int) -> str | None:
    """'future', 'past' or None for words[i], with its neighbours to tell "set for" from "set", "postponed to"
    from "postponed on", and "was arrested" (the auxiliary carries the tense) from "arrested"."""
    word = words[i]
    after = words[i + 1] if i + 1 < len(words) else ""
    before = words[i - 1] if i else ""
    if word in FUTURE_CUES or word.endswith("'ll") or (word == "due" and after != "to"):
        return "future"
    if (word in ("set", "slated") and after in ("for", "to")) or (word in TO_FUTURE and after == "to"):
        return "future"
    if word in RESCHEDULED and after in ("to", "until", "till", "for", "from", "back"):
        return "future"
    participle = word in IRREGULAR_PAST or (word.endswith("ed") and len(word) > 4 and word not in NOT_PAST_TENSE
                                            and not word.endswith("eed"))
    if participle and before in ("be", "been", "being", "is", "are", "am", "was", "were"):
        return None  # "will be sentenced", "has been charged": the auxiliary before it tells the tense
    if participle or word in PAST_CUES:
        return "past"
    return None


CONTEXT_CHARS = 200  # how far around a time its clause's tense cues are sought
SENTENCE_BOUNDARY = re.compile(r"(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z])|[;\n]")
CUE_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
FUTURE_CUES = frozenset(
    "will shall would won't wouldn't scheduled upcoming next coming planned plans expected tomorrow "
    "begins starts opens reopens resumes expires".split())
TO_FUTURE = frozenset("is are going has have".split())  # "is to be sentenced", "will have to wait"
RESCHEDULED = frozenset("postponed delayed rescheduled moved pushed adjourned deferred".split())
PAST_CUES = frozenset("was were had has have did didn't wasn't weren't ago earlier previously already recently since "
                      "yesterday last".split())
IRREGULAR_PAST = frozenset(
    "said told made took gave came went got saw met left held won lost led ran began became brought bought caught "
    "fought found heard kept knew paid sent spent stood struck thought wrote spoke broke chose drove fell flew grew "
    "rose sat shot sold sought stole swore threw wore withdrew forgot meant rode sank slept spun".split())
NOT_PAST_TENSE = frozenset("hundred united based related limited alleged supposed interested concerned detailed "
                           "advanced armed talented skilled".split())  # -ed words that are rarely a past tense


def resolve_time(phrase: str, anchor: dt.date | None, toward: str | None = None) -> str | None:
    """ISO value for a relative or partial time: forward from the anchor when the phrase ("next") or `toward`
    (its clause's direction, 'past' or 'future') says so, else back; a month-day with no direction ("the map of
    November 28") is the nearest one either way. None without an anchor, for a phrase too vague (a season, a
    weekend), or for a day the calendar cannot hold near the anchor."""
    if anchor is None:
        return None
    words = phrase.lower().replace("-", " ").split()
    strict = words[0] in ("last", "next")  # "last Friday" is never today, "next May" never this month
    if strict:
        toward = "past" if words[0] == "last" else "future"
    try:
        return _resolve(words, anchor, toward, strict)
    except (OverflowError, ValueError):  # an anchor at the calendar's ends (a CMS's 0001-01-01), or Feb. 30
        return None


def _resolve(words: list[str], anchor: dt.date, toward: str | None, strict: bool) -> str | None:
    last = words[-1]
    forward = toward == "future"
    if last in ("today", "tonight"):
        return anchor.isoformat()
    if last == "yesterday":
        return (anchor - dt.timedelta(days=1)).isoformat()
    if last == "tomorrow":
        return (anchor + dt.timedelta(days=1)).isoformat()
    if last in WEEKDAYS:
        ahead = (WEEKDAYS[last] - anchor.weekday()) % 7
        back = (anchor.weekday() - WEEKDAYS[last]) % 7
        if forward:
            return (anchor + dt.timedelta(days=ahead or (7 if strict else 0))).isoformat()
        return (anchor - dt.timedelta(days=back or (7 if strict else 0))).isoformat()
    step = (1 if forward else -1) if strict else 0
    if last == "week":
        year, week, _ = (anchor + dt.timedelta(weeks=step)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if last == "month":
        month = anchor.month + step
        return dt.date(anchor.year + (month - 1) // 12, (month - 1) % 12 + 1, 1).isoformat()[:7]
    if last == "year":
        return dt.date(anchor.year + step, 1, 1).isoformat()[:4]
    month = next((number for word in words if (number := month_number(word))), None)
    day = next((int(found.group()) for word in words if (found := re.match(r"\d{1,2}", word))), None)
    if month and day:
        return _nearest_month_day(month, day, anchor, toward).isoformat()
    if month:
        if forward:
            year = anchor.year if month > anchor.month or (month == anchor.month and not strict) else anchor.year + 1
        else:
            year = anchor.year if month < anchor.month or (month == anchor.month and not strict) else anchor.year - 1
        return dt.date(year, month, 1).isoformat()[:7]
    return None


def _nearest_month_day(month: int, day: int, anchor: dt.date, toward: str | None) -> dt.date:
    """The month-day nearest the anchor on the side `toward` names (either side for None), within a year of it;
    ValueError when there is none."""
    days = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            days.append(dt.date(year, month, day))
        except ValueError:  # Feb. 29 outside a leap year, a year beyond the calendar
            continue
    if toward == "future":
        return min(found for found in days if found >= anchor)
    if toward == "past":
        return max(found for found in days if found <= anchor)
    return min(days, key=lambda found: abs(found - anchor))
