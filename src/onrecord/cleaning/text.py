"""Plain-text scrapes: the line model (`line_model.py`) decides which lines are the article; the rules here
read the title, byline, dates and credits around them and give every dropped line its reason.
"""
from __future__ import annotations

import re
from collections import Counter

from ..dates import is_date_line, out_of_range, parse_full_date
from ..errors import NoArticle
from ..line_model import load_line_model, stage_one_features
from ..options import Options, default_options
from ..records import Article, Published, Removed
from .chrome import (INLINE_CHROME, REPORTED_SPEECH, SENTENCE_END, TEASER_WORDS, author_bios, boilerplate_reason,
                     caseless_script, chrome_reason, cut_short_teasers, is_label, is_prose, lowercase_share,
                     word_count)
from .metadata import (BYLINE, COPYRIGHT, PUBLISHED_LINE, WIRE_NAMES, assemble, clean_names, credit_metadata,
                       detect_language, owner_name, read_credits, without_site_name, words_of)

def clean_text(text: str, options: Options | None = None) -> Article:
    """Cleans a plain-text scrape line by line: keeps the title and body, reports every removed line.

    The line model (`line_model.py`) decides which lines are the article; the rules here read the title,
    byline, dates and credits around them and give every dropped line its reason."""
    options = options or default_options()
    lines = _text_units(text)
    if not lines:
        raise NoArticle("the page holds no text lines")
    reasons = [chrome_reason(line) for line in lines]
    kinds = [_classify_line(line, reason, options) for line, reason in zip(lines, reasons)]
    keep = _article_lines(lines, kinds, reasons, english=detect_language(text, options) == "en")
    for i in range(len(lines)):  # boilerplate inside the text the model kept: disclosures, prompts, credits
        if keep[i] and (found := boilerplate_reason(lines[i])):
            keep[i], reasons[i] = False, found
    for i in range(_comments_start(keep, kinds, reasons, lines), len(lines)):
        if keep[i]:
            keep[i], reasons[i] = False, "comments section"
    body = [i for i, (k, kind) in enumerate(zip(keep, kinds)) if k and kind == "body"]
    for j in author_bios([lines[i] for i in body]):
        keep[body[j]], reasons[body[j]] = False, "author bio"
    for i in _repeated_teasers(lines, keep):
        keep[i], reasons[i] = False, "repeated teaser"
    if not any(keep):
        raise NoArticle("no article body: every line the model kept is boilerplate")
    kept = [i for i, k in enumerate(keep) if k]
    first = next((i for i in kept if kinds[i] == "body"), kept[0])  # the first paragraph of prose
    last = kept[-1]
    paragraphs, removed = [], []
    title_at = _find_title(lines, kinds, first, skip={i for i, r in enumerate(reasons) if r == "repeated teaser"})
    standfirst = _standfirst(lines, reasons, title_at, first)
    if standfirst is not None:
        keep[standfirst] = True
    for i in _section_labels(lines, keep, kinds, reasons, title_at, first):
        keep[i], reasons[i] = False, "section label"
    byline = wire = outlet = None
    credits = []
    published = Published()
    related_block = False
    for i, line in enumerate(lines):
        kind, reason = kinds[i], reasons[i]
        if i == title_at:
            continue
        if keep[i] and not related_block and not _is_lead_metadata(line, i, first):
            paragraphs.append(line)
            continue
        if reason == "related-links block":
            related_block = True
        elif kind == "body" and related_block:
            related_block = False
            if keep[i]:
                paragraphs.append(line)
                continue
        if reason == "credit line":
            credits.extend(read_credits(line))
            removed.append(Removed(line, reason))
            continue
        by = BYLINE.match(line)
        if title_at is not None and title_at < i < first and not by and _looks_like_name(line):
            byline = byline or line.strip()
            removed.append(Removed(line, "byline"))
            continue
        if by and len(line.split()) <= 14 and i < first + 3:
            byline = byline or clean_names(by.group("names"))
            org = by.group("org")
            if org and org.strip().lower() in WIRE_NAMES:
                wire = wire or WIRE_NAMES[org.strip().lower()]
            removed.append(Removed(line, "byline"))
            continue
        if is_date_line(line) or (PUBLISHED_LINE.match(line) and parse_full_date(line)):
            if i < (title_at if title_at is not None else first):
                removed.append(Removed(line, "display date in the page header (not the publication date)"))
            elif i < first + 3 and not published.date and not re.match(r"^(?:updated|last updated|modified)", line, re.I):
                day = parse_full_date(line)
                refused = out_of_range(day, options)  # a placeholder or mistyped year: the next date line may do
                if not refused:
                    published = Published(day.isoformat(), f"date line under the title: {line!r}")
                removed.append(Removed(line, refused or "publication date line"))
            else:
                removed.append(Removed(line, "date line"))
            continue
        copyright_owner = COPYRIGHT.match(line)
        if copyright_owner and not outlet:
            outlet = owner_name(copyright_owner.group("owner"))
        if reason is None:
            reason = "related-links block" if related_block else (
                "page header" if i < first else "page footer" if i > last else "not body text")
        removed.append(Removed(line, reason))
    if title_at is None and not paragraphs:
        raise NoArticle("no article body found")
    article = assemble(None if title_at is None else lines[title_at], paragraphs, removed, options)
    article.format = "text"
    article.published = published
    article.outlet = _masthead(lines, kinds, title_at) or outlet
    article.byline, article.wire, article.credits = credit_metadata(credits, byline, article.wire or wire)
    return article

def _article_lines(lines: list[str], kinds: list[str], reasons: list[str | None], english: bool = False) -> list[bool]:
    """Which lines are the article: the line model's choice (English pages get the model that also reads their
    words), widened by the prose directly around it."""
    chrome = [r is not None for r in reasons]
    model = load_line_model(english)
    shape_model = load_line_model() if english else model
    scores, shape_scores = [], []
    for start, end in _stretches(lines, chrome):
        part, part_chrome = lines[start:end], chrome[start:end]
        shapes = stage_one_features(part, part_chrome)  # both models on an English page read the same features
        scores.extend(model.scores(part, part_chrome, shapes))
        if english:
            shape_scores.extend(shape_model.scores(part, part_chrome, shapes))
    keep = [score >= model.threshold and reason is None for score, reason in zip(scores, reasons)]
    if english:
        # words must not cost the article a quote ("a Donald Trump tweet" reads like a share button): a line of
        # reported speech that the shape-only model keeps stays
        keep = [k or (reason is None and shape >= shape_model.threshold and bool(REPORTED_SPEECH.search(line)))
                for k, shape, reason, line in zip(keep, shape_scores, reasons, lines)]
    kept = [i for i, k in enumerate(keep) if k]
    if not any(kinds[i] == "body" for i in kept):
        # a snippet too short for the model's sense of a page, or a script its features do not read (one
        # "word" per line of Chinese): every line of prose is the text
        keep = [kind in ("body", "short") and reason is None for kind, reason in zip(kinds, reasons)]
        kept = [i for i, k in enumerate(keep) if k]
    if not any(kinds[i] == "body" for i in kept):
        raise NoArticle("no article body: no line reads as a paragraph of prose")
    start = kept[0]
    while start > 0 and kinds[start - 1] in ("body", "short"):
        start -= 1  # a lede the model doubted, directly above the text it kept
        keep[start] = True
    end = kept[-1] + 1
    while end < len(lines) and (kinds[end] in ("body", "short") or reasons[end] in INLINE_CHROME):
        keep[end] = kinds[end] != "chrome"  # prose the model doubted, below the text it kept (past an ad)
        end += 1
    return keep

LONG_PAGE_PROSE_WORDS = 8000  # several long articles' worth: more than any page the line model learned from
STRETCH_PROSE_WORDS = 3000


def _stretches(lines: list[str], chrome: list[bool]) -> list[tuple[int, int]]:
    """Line ranges the line model scores apart. Its page-level features (the page's length, its main run of
    prose) were learned on pages of one article; on a long transcript or live blog they make it drop most of
    the text, so such a page is cut, at line boundaries, into stretches of about 3,000 words of prose."""
    prose_words = [len(line.split()) if not c and is_prose(line) else 0 for line, c in zip(lines, chrome)]
    if sum(prose_words) <= LONG_PAGE_PROSE_WORDS:
        return [(0, len(lines))]
    stretches, start, words = [], 0, 0
    for i, count in enumerate(prose_words):
        words += count
        if words >= STRETCH_PROSE_WORDS:
            stretches.append((start, i + 1))
            start, words = i + 1, 0
    if start < len(lines):
        stretches.append((start, len(lines)))
    return stretches


COMMENTS_AFTER_WORDS = 150  # kept prose above a comments heading that makes it the end of the article


def _comments_start(keep: list[bool], kinds: list[str], reasons: list[str | None], lines: list[str]) -> int:
    """The line opening the readers' comments ("12 Comments on ...", "Leave a Reply") once enough kept prose
    is above it (150 words, or half of it): comments read as prose, and without markup only their heading
    tells them from the article; the line model often keeps so many that the article is under half the
    prose. A counter under the headline opens nothing. The page's length when there is none."""
    body_words = [len(line.split()) if k and kind == "body" else 0 for k, kind, line in zip(keep, kinds, lines)]
    total, above = sum(body_words), 0
    for i, reason in enumerate(reasons):
        if reason == "comments" and total and above >= min(COMMENTS_AFTER_WORDS, total / 2):
            return i
        above += body_words[i]
    return len(lines)

def _is_lead_metadata(line: str, i: int, first: int) -> bool:
    """A byline or date line above the first paragraph, or just below it when that paragraph is a standfirst:
    read as metadata, not kept as text. Above it a name alone on its line is a byline too."""
    if i < first:
        return bool(BYLINE.match(line) or is_date_line(line) or PUBLISHED_LINE.match(line) or _looks_like_name(line))
    return i < first + LEAD_METADATA_LINES and bool(
        (BYLINE.match(line) and len(line.split()) <= 14) or is_date_line(line)
        or (PUBLISHED_LINE.match(line) and parse_full_date(line)))


LEAD_METADATA_LINES = 3  # a byline or date this close under the first paragraph (a standfirst) is metadata


def _repeated_teasers(lines: list[str], keep: list[bool]) -> list[int]:
    """Kept lines that a later kept line repeats: a teaser or standfirst printed twice, a table of contents
    above the headings it lists, a whole article printed twice (a second rendering), or a teaser cut short
    ("The council voted on…") above the paragraph it comes from. The later copy, the one in the article,
    stays. A line printed three times or more (a button under each item of a list) is the page's own."""
    kept = [i for i, k in enumerate(keep) if k]
    keys = {i: " ".join(lines[i].casefold().split()) for i in kept}
    copies = Counter(keys.values())
    last_copy = {key: i for i, key in keys.items()}
    twice = [i for i in kept if copies[keys[i]] == 2 and last_copy[keys[i]] > i
             and len(keys[i].split()) >= TEASER_WORDS]
    return sorted(set(twice) | {kept[j] for j in cut_short_teasers([lines[i] for i in kept])})


def _section_labels(lines: list[str], keep: list[bool], kinds: list[str], reasons: list[str | None],
                    title_at: int | None, first: int) -> list[int]:
    """Kept section labels ("Business") at the top of the article: a short capitalised line above the first
    paragraph (over the headline or under it), or one just below that paragraph (under a standfirst) that the
    page's menu lists."""
    menu = {item.casefold() for line, reason in zip(lines, reasons) if reason == "navigation"
            for item in re.split(r"\s*[|•·›»/]\s*", line)}
    menu |= {line.casefold() for line in lines[:title_at or 0]}
    second = next((i for i in range(first + 1, len(lines)) if keep[i] and kinds[i] == "body"), len(lines))
    return [i for i in range(second) if i != title_at and keep[i] and is_label(lines[i])
            and (i < first or lines[i].casefold() in menu)]


def _standfirst(lines: list[str], reasons: list[str | None], title_at: int | None, first: int) -> int | None:
    """The article's summary under the headline ("New routes turned the ferry line around, its chief says"),
    which the line model drops when it lacks a full stop: the first line between the headline and the first
    paragraph, past bylines, dates, labels and chrome, when it reads as a sentence and not as boilerplate."""
    if title_at is None:
        return None
    for i in range(title_at + 1, first):
        line = lines[i]
        if reasons[i] or _is_lead_metadata(line, i, first) or is_label(line):
            continue
        return i if _reads_as_standfirst(line) and not boilerplate_reason(line) else None
    return None


def _reads_as_standfirst(line: str) -> bool:
    return word_count(line) >= STANDFIRST_WORDS and lowercase_share(line.split()) >= STANDFIRST_LOWERCASE


STANDFIRST_WORDS = 8             # a standfirst is a sentence, not a kicker
STANDFIRST_LOWERCASE = 0.4       # ...in sentence case, not a title-case headline
STANDFIRST_OVER_HEADLINE = 1.3   # ...and clearly longer than the headline above it


def _looks_like_name(line: str) -> bool:
    """'Jessica Alvarado' alone on a line under the title: an author's name without 'By'."""
    words = line.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha()
                                        for w in words) and not chrome_reason(line)

def _masthead(lines: list[str], kinds: list[str], title_at: int | None) -> str | None:
    """The site's name set in capitals at the top of a scrape ('THE HARBOUR CITY ECHO')."""
    for i, line in enumerate(lines[: (title_at if title_at is not None else 3)]):
        words = line.split()
        if kinds[i] == "chrome" or is_date_line(line) or not 1 <= len(words) <= 6:
            continue
        letters = [c for c in line if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and len(letters) >= 4:
            return " ".join("-".join(part.capitalize() for part in w.split("-")) for w in words)
        return None
    return None

def _text_units(text: str) -> list[str]:
    """Lines of the scrape; hard-wrapped paragraphs (lines broken mid-sentence) are joined first."""
    raw = [re.sub(r"[ \t\u00a0\u200b]+", " ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    long_lines = [line for line in raw if len(line) >= 60]
    wrapped = long_lines and sum(1 for line in long_lines if not SENTENCE_END.search(line)) / len(long_lines) > 0.5
    if not wrapped:
        return [line for line in raw if line]
    units, current = [], []
    for line in raw + [""]:
        if line:
            current.append(line)
        elif current:
            units.append(" ".join(current))
            current = []
    return units


def _classify_line(line: str, reason: str | None, options: Options) -> str:
    """body: a paragraph of prose; short: prose too short to anchor the body; other: anything else
    (`reason` is the line's chrome_reason)."""
    words = line.split()
    if reason:
        return "chrome"
    prose = bool(SENTENCE_END.search(line)) or line.rstrip().endswith((":", ",", ";", "，", "、"))
    quoted = line[:1] in "\"“'‘" and len(words) >= 3
    lowercase = 1.0 if caseless_script(line) else lowercase_share(words)
    if prose and word_count(line) >= options.min_body_words and lowercase > 0.4:
        return "body"
    if (prose or quoted) and word_count(line) >= 2 and lowercase >= 0.3:
        return "short"
    return "other"

def _find_title(lines: list[str], kinds: list[str], first_body: int, skip: set[int] = frozenset()) -> int | None:
    """The headline: of the headline-like lines above the first body paragraph (less those in `skip`), the
    nearest one that the page's top line repeats (a scrape often starts with the page's <title>, the headline
    plus the site's name), else the nearest, or the line on top of it when that one is its standfirst (a
    sentence clearly longer than the line on top)."""
    candidates = []
    for i in range(first_body - 1, max(-1, first_body - TITLE_SEARCH_LINES), -1):
        line = lines[i]
        if i in skip or kinds[i] == "chrome" or is_date_line(line) or BYLINE.match(line) or PUBLISHED_LINE.match(line):
            continue
        if 3 <= word_count(line) <= 30 and not line.endswith((":", ",")) and chrome_reason(line) is None:
            candidates.append(i)
    top = set(words_of(without_site_name(lines[0]))) if lines else set()
    for i in candidates:
        words = words_of(lines[i])
        if i > 0 and words and sum(w in top for w in words) > len(words) / 2:
            return i
    nearby = [i for i in candidates if i > first_body - NEAREST_TITLE_LINES]
    if not nearby:
        return None
    above = nearby[0] - 1
    # a kicker on top of a headline is under four words, or the headline not much longer than it
    if above in candidates and word_count(lines[above]) >= 4 and _reads_as_standfirst(lines[nearby[0]]) \
            and word_count(lines[nearby[0]]) >= STANDFIRST_OVER_HEADLINE * word_count(lines[above]):
        return above
    return nearby[0]


TITLE_SEARCH_LINES = 40    # how far above the body a headline the top line repeats is looked for
NEAREST_TITLE_LINES = 12   # without such a repeat, the nearest headline-like line within this many lines
