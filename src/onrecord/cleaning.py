"""Cleaning: a decoded page becomes an `Article` (title, body paragraphs, metadata, removed chrome).

HTML goes through trafilatura for the body and our own markup reading for the date; plain-text scrapes
go through the line model (`line_model.py`) and the rules around it. Both report every line they drop with
a reason, and both share the chrome patterns below, so an ad marker is caught whichever way the page arrived.
"""
from __future__ import annotations

import re
from contextvars import ContextVar
from functools import lru_cache

import trafilatura
from lxml import html as lxml_html

from .dates import is_date_line, parse_full_date, published_from_html
from .errors import NoArticle
from .line_model import load_line_model, stage_one_features
from .options import Options, default_options
from .reading import Page
from .records import Article, Offsets, Published, Removed

SENTENCE_END = re.compile(r"""[.!?…。！？؟।]["'”’」)\]]*$|[.!?]["'”’]?\s*\(?[A-Z]{2,}\)?$""")
WIRE_NAMES = {"reuters": "Reuters", "ap": "AP", "associated press": "AP", "afp": "AFP",
              "agence france-presse": "AFP", "agence france presse": "AFP", "bloomberg": "Bloomberg",
              "dpa": "dpa", "xinhua": "Xinhua", "yonhap": "Yonhap", "kyodo": "Kyodo", "efe": "EFE",
              "ansa": "ANSA", "pa": "PA", "upi": "UPI", "tass": "TASS", "anadolu": "Anadolu"}
WIRE_ALTERNATION = "|".join(sorted((re.escape(w) for w in WIRE_NAMES), key=len, reverse=True))
WIRE_AT_END = re.compile(rf"(?:^|[\s(—–-])({WIRE_ALTERNATION})\)?\s*$", re.I)
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}[A-Z.]|[A-Z][a-zA-Z.'’\- ]{1,30}?(?=\s*\())"
    r"(?:,\s*[A-Z][A-Za-z.'’ ]{1,25}?)?(?:,?\s+(?:\w{3,9}\.?\s+\d{1,2}|\d{1,2}\s+\w{3,9}))?"
    r"\s*(?:\((?P<wire>[^)]{1,30})\))?\s*[-—–]+\s+")
BYLINE = re.compile(r"^(?:by|written by|words by|reporting by)\s+(?P<names>[A-Z][\w.'’-]+(?:[ ,]+(?:and\s+)?[A-Z][\w.'’-]+){0,7})"
                    r"(?:\s*[,|/—–-]\s*(?P<org>[\w .&'-]{2,40}))?\s*$", re.I)
COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<owner>[^.|]{2,60}?)"
                       r"(?:[.|,]|\s+all rights reserved|$)", re.I)
REPORTING_CREDIT = re.compile(r"^\((?i:reporting|writing) by ([A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3})")
PUBLISHED_LINE = re.compile(r"^(?:published|posted|first published|updated|last updated|modified)\b", re.I)

# (pattern, reason): a line matching is page chrome. Shared by the text cleaner and the HTML path.
CHROME_PATTERNS = [(re.compile(p, re.I), reason) for p, reason in [
    (r"^[-–—_*•\s]*(?:advertisement|advertisements|advertising|sponsored(?: content)?|ad|ads|paid content|promoted|"
     r"story continues below(?: advertisement)?|continue reading(?: below)?|scroll to continue|skip ad)[-–—_*•:\s]*$",
     "advertisement marker"),
    (r"^[a-z]+(?:_[a-z0-9]+)+$", "image or widget placeholder"),
    (r"^(?:image|photo|picture|video|img|gallery|thumbnail)(?:\s*\d+)?(?:\s*(?:of|/)\s*\d+)?$", "image or widget placeholder"),
    (r"^[-+]?\d{1,3}(?:[.,]\d)?\s*°?\s*[cf]?$|^\d{1,3}(?:[.,]\d)?\s*°\s*[cf]?\b.{0,30}$", "weather widget"),
    (r"^(?:latest news|latest|popular articles|popular|related(?: stories| articles| news| content| posts| coverage)?|"
     r"most read|most popular|most viewed|trending(?: now| stories)?|read more|more from [\w ]+|recommended(?: for you)?|"
     r"you may also like|you might also like|editor'?s picks|top stories|more stories|also read|see also|read next|"
     r"more on this story|in other news|what to read next|don'?t miss|explore more|more news)\W*$",
     "related-links block"),
    (r"^(?:read more|also read|read also|related|see also|watch|listen|recommended)\s*[:|>»]\s*.+$", "related-article teaser"),
    (r"^(?:share(?: this(?: article| story)?)?|tweet|email|print|facebook|twitter|x|whatsapp|linkedin|telegram|"
     r"copy link|pinterest|reddit|messenger)(?:\s*[|/·•,]\s*(?:share|tweet|email|print|facebook|twitter|x|whatsapp|"
     r"linkedin|telegram|copy link|pinterest|reddit|messenger))*\s*:?\s*$|\(opens in (?:a )?new window\)", "share buttons"),
    (r"\b(?:cookies?|privacy policy|terms of (?:use|service))\b.*\b(?:accept|agree|consent|use|policy|settings)\b|"
     r"^(?:accept(?: all)?(?: cookies)?|reject all|manage (?:cookies|preferences))$", "cookie or legal notice"),
    (r"\b(?:sign up|subscribe|newsletter|get our|delivered to your inbox|register now|log ?in|sign in|create an account|"
     r"already a subscriber|support our journalism|become a member|download (?:our|the) app)\b", "subscription prompt"),
    (r"^(?:photo|image|picture|file photo|credit|photograph|illustration|caption)\s*[:|/]|"
     r"(?:getty images|afp photo|ap photo|reuters/|/reuters|shutterstock|epa-efe|/epa|\bafp via\b|photo credit)|"
     r"(?:^|[\s(])(?:photo|picture|image|credit|photograph|file photo)\s*:\s*[^.]{2,60}\)?$",
     "photo credit or caption"),
    (r"^(?:home|menu|search|skip to (?:main )?content|navigation|toggle navigation|back to top|top|on this page:?|"
     r"(?:pdf|print) version|download (?:the )?pdf)$",
     "navigation"),
    (r"^\d+\s+(?:comments?(?::?$| on\b)|responses? to\b|thoughts on\b|repl(?:y|ies)(?: to\b|$)|reactions$)|"
     r"^[|/•·\s]*(?:comments?(?:\s*\(\d+\))?|leave a (?:comment|reply)(?: cancel reply)?|post a comment|"
     r"join the conversation|show comments|view comments|reader comments|reply)\W*$", "comments"),
    (r"^(?:tags?|tagged|topics?|filed under|categories|category)\s*:", "tags"),
    (r"^(?:©|\(c\)|copyright)\b|all rights reserved", "copyright notice"),
    (r"^(?:click here|tap here|follow us|follow (?:him|her) on)\b", "call to action"),
    (r"^(?:contact|email|e-mail|reach|follow)\b.{0,80}(?:@|\bat\b).{0,80}$", "author contact"),
    (r"\b(?:is not a substitute for|for information(?:al)? purposes only|does not constitute (?:medical|legal|"
     r"financial) advice|for information only)\b", "disclaimer"),
    (r"^\((?:reporting|writing|additional reporting|editing) by\b.*\)$", "reporting credit"),
]]
# One pass first: anchored alternatives are tried at the line's start only (re.match), the rest anywhere
def _top_level_alternatives(pattern: str) -> list[str]:
    """'^a|b(c|d)' -> ['^a', 'b(c|d)']: the branches of a regex's outermost alternation."""
    branches, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += 1 if pattern[i + 1:i + 2] in ("]", "^") else 0
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    return branches + [pattern[start:]]


_ALTERNATIVES = [a for pattern, _ in CHROME_PATTERNS for a in _top_level_alternatives(pattern.pattern)]
ANCHORED_CHROME = re.compile("|".join(f"(?:{a})" for a in _ALTERNATIVES if a.startswith("^")), re.I)
FLOATING_CHROME = re.compile("|".join(f"(?:{a})" for a in _ALTERNATIVES if not a.startswith("^")), re.I)
INLINE_CHROME = {"advertisement marker", "image or widget placeholder", "share buttons", "photo credit or caption"}
NAV_SEPARATORS = re.compile(r"\s[|•·›»/]\s")


def extract_article(page: Page, options: Options | None = None) -> Article:
    """The clean article of a page, by HTML or plain-text rules; NoArticle when there is none."""
    options = options or default_options()
    article = clean_html(page.content, options, url=page.url) if page.is_html else clean_text(page.content, options)
    article.source = page.source
    return article


def chrome_reason(line: str) -> str | None:
    """Why a line is page chrome, or None when it may be content."""
    stripped = line.strip()
    words = stripped.split()
    if not (ANCHORED_CHROME.match(stripped) or FLOATING_CHROME.search(stripped)):
        return "navigation" if _is_navigation(stripped) else None
    for pattern, reason in CHROME_PATTERNS:
        if pattern.search(stripped):
            if reason in ("subscription prompt", "cookie or legal notice", "photo credit or caption") and len(words) > 30:
                continue
            if reason in ("subscription prompt", "call to action") and _is_prose(stripped) and len(words) > 14:
                continue
            return reason
    return "navigation" if _is_navigation(stripped) else None


def _is_navigation(line: str) -> bool:
    """'Home | World | Business': a menu flattened into one line."""
    return len(NAV_SEPARATORS.findall(line)) >= 2 and not SENTENCE_END.search(line)


def _is_prose(line: str) -> bool:
    return bool(SENTENCE_END.search(line)) and len(line.split()) >= 3


# ---------------------------------------------------------------- plain text

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
        if keep[i] and (found := _boilerplate_reason(lines[i])):
            keep[i], reasons[i] = False, found
    for i in range(_comments_start(keep, kinds, reasons, lines), len(lines)):
        if keep[i]:
            keep[i], reasons[i] = False, "comments section"
    body = [i for i, (k, kind) in enumerate(zip(keep, kinds)) if k and kind == "body"]
    for j in _author_bios([lines[i] for i in body]):
        keep[body[j]], reasons[body[j]] = False, "author bio"
    if not any(keep):
        raise NoArticle("no article body: every line the model kept is boilerplate")
    kept = [i for i, k in enumerate(keep) if k]
    first = next((i for i in kept if kinds[i] == "body"), kept[0])  # the first paragraph of prose
    last = kept[-1]
    paragraphs, removed = [], []
    title_at = _find_title(lines, kinds, first)
    byline = wire = outlet = None
    published = Published()
    related_block = False
    for i, line in enumerate(lines):
        kind, reason = kinds[i], reasons[i]
        if i == title_at:
            continue
        if keep[i] and not related_block and not (i < first and _is_metadata_line(line)):
            paragraphs.append(line)
            continue
        if reason == "related-links block":
            related_block = True
        elif kind == "body" and related_block:
            related_block = False
            if keep[i]:
                paragraphs.append(line)
                continue
        credit = REPORTING_CREDIT.match(line)
        if credit and i > first:
            byline = byline or credit.group(1)
            removed.append(Removed(line, "reporting credit"))
            continue
        by = BYLINE.match(line)
        if title_at is not None and title_at < i < first and not by and _looks_like_name(line):
            byline = byline or line.strip()
            removed.append(Removed(line, "byline"))
            continue
        if by and len(line.split()) <= 14 and i < first + 3:
            byline = byline or _clean_names(by.group("names"))
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
                published = Published(day.isoformat(), f"date line under the title: {line!r}")
                removed.append(Removed(line, "publication date line"))
            else:
                removed.append(Removed(line, "date line"))
            continue
        copyright_owner = COPYRIGHT.match(line)
        if copyright_owner and not outlet:
            outlet = _owner_name(copyright_owner.group("owner"))
        if reason is None:
            reason = "related-links block" if related_block else (
                "page header" if i < first else "page footer" if i > last else "not body text")
        removed.append(Removed(line, reason))
    if title_at is None and not paragraphs:
        raise NoArticle("no article body found")
    article = _assemble(None if title_at is None else lines[title_at], paragraphs, removed, options)
    article.format = "text"
    article.published = published
    article.byline = byline
    article.outlet = _masthead(lines, kinds, title_at) or outlet
    article.wire = article.wire or wire
    return article


def _article_lines(lines: list[str], kinds: list[str], reasons: list[str | None], english: bool = False) -> list[bool]:
    """Which lines are the article: the line model's choice (English pages get the model that also reads their
    words), widened by the prose directly around it."""
    chrome = [r is not None for r in reasons]
    shapes = stage_one_features(lines, chrome)  # both models on an English page read the same shape features
    model = load_line_model(english)
    scores = model.scores(lines, chrome, shapes)
    keep = [score >= model.threshold and reason is None for score, reason in zip(scores, reasons)]
    if english:
        # words must not cost the article a quote ("a Donald Trump tweet" reads like a share button): a line of
        # reported speech that the shape-only model keeps stays
        shape_model = load_line_model()
        shape_scores = shape_model.scores(lines, chrome, shapes)
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


AUTHOR_BIO = re.compile(  # a name, then a verb of who they are, then a trade
    r"^(?!(?:The|This|That|It|Here|Below|There|What|Our|We|His|Her|Their)\b)(?:Dr\.\s+)?[A-Z][\w'’.-]+"
    r"(?:\s+[A-Z][\w'’.-]*){0,2}\s+(?:writes (?:about|for)\b|(?:is|was|has (?:worked|been)|covers|reports)\b.{0,120}?"
    r"\b(?i:writer|reporter|journalist|editor|correspondent|contributor|columnist|author|co-?founder|founder|"
    r"professor|freelance\w*|photographer|producer|analyst|consultant|developer|expert|content creator)s?\b)")
BIO_TAIL_LINES = 2  # a bio is among the last kept paragraphs
REPORTED_SPEECH = re.compile(r"\b(?:said|says|told|according to)\b|[\"“”]")  # an article's closing quote, not a bio


def _author_bios(paragraphs: list[str]) -> list[int]:
    """Positions of the last paragraphs that introduce a person ("Dana Reyes is a reporter who covers..."):
    the writer's bio, which markup sets apart and a scrape runs on from the last paragraph. A closing
    paragraph that reports what someone said is the article's, whoever it introduces."""
    if len(paragraphs) <= BIO_TAIL_LINES:
        return []
    return [i for i in range(len(paragraphs) - BIO_TAIL_LINES, len(paragraphs))
            if AUTHOR_BIO.match(paragraphs[i]) and not REPORTED_SPEECH.search(paragraphs[i])]


def _is_metadata_line(line: str) -> bool:
    """A byline, credit or date line above the first paragraph: read as metadata, not kept as text."""
    return bool(BYLINE.match(line) or REPORTING_CREDIT.match(line) or is_date_line(line)
                or PUBLISHED_LINE.match(line) or _looks_like_name(line))


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


def _owner_name(owner: str) -> str | None:
    """'The Midland Observer Ltd 2025' -> 'The Midland Observer': a copyright holder as the outlet's name."""
    words = owner.strip(" .,").split()
    while words and (re.fullmatch(r"\d{4}|ltd\.?|limited|inc\.?|llc|plc|co\.?|corp\.?|group|media|publishing|"
                                  r"holdings|company|newspapers|publications", words[-1], re.I)):
        words.pop()
    return " ".join(words) or None


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
    lowercase = 1.0 if _caseless_script(line) else _lowercase_share(words)
    if prose and _word_count(line) >= options.min_body_words and lowercase > 0.4:
        return "body"
    if (prose or quoted) and _word_count(line) >= 2 and lowercase >= 0.3:
        return "short"
    return "other"


def _lowercase_share(words: list[str]) -> float:
    alpha = [w for w in words if w[:1].isalpha()]
    return sum(1 for w in alpha if w[0].islower()) / len(alpha) if alpha else 0.0


def _find_title(lines: list[str], kinds: list[str], first_body: int) -> int | None:
    """The headline: of the headline-like lines above the first body paragraph, the nearest one that the
    page's top line repeats (a scrape often starts with the page's <title>, the headline plus the site's
    name), else the nearest."""
    candidates = []
    for i in range(first_body - 1, max(-1, first_body - TITLE_SEARCH_LINES), -1):
        line = lines[i]
        if kinds[i] == "chrome" or is_date_line(line) or BYLINE.match(line) or PUBLISHED_LINE.match(line):
            continue
        if 3 <= _word_count(line) <= 30 and not line.endswith((":", ",")) and chrome_reason(line) is None:
            candidates.append(i)
    top = set(_words_of(_without_site_name(lines[0]))) if lines else set()
    for i in candidates:
        words = _words_of(lines[i])
        if i > 0 and words and sum(w in top for w in words) > len(words) / 2:
            return i
    nearby = [i for i in candidates if i > first_body - NEAREST_TITLE_LINES]
    return nearby[0] if nearby else None


TITLE_SEARCH_LINES = 40    # how far above the body a headline the top line repeats is looked for
NEAREST_TITLE_LINES = 12   # without such a repeat, the nearest headline-like line within this many lines


def _clean_names(names: str) -> str:
    """Author names without labels or job titles: 'Written by: Noor Haddad, Political Correspondent' ->
    'Noor Haddad'; empty when nothing but a label ('Posted by:') was there."""
    names = BYLINE_LABEL.sub("", re.sub(r"\s+", " ", names).strip())
    parts = [p.strip() for p in re.split(r"[,;|]", names) if p.strip() and not p.strip().endswith(":")]
    kept = [p for p in parts if not JOB_TITLE.search(p)]
    return ", ".join(kept or parts[:1]).strip(" ,")


BYLINE_LABEL = re.compile(r"^(?:(?:written|posted|text|words|reporting|story|article|published)\s*)?"
                          r"by(?:\s*:\s*|\s+|(?-i:(?=[A-Z])))|^authors?\s*:\s*|^(?:von|par|por)\s+", re.I)


JOB_TITLE = re.compile(r"\b(?:correspondent|reporter|editor|writer|columnist|staff|bureau|chief|contributor|"
                       r"journalist|producer|analyst|desk|news|press|agency)\b", re.I)


def _assemble(title: str | None, paragraphs: list[str], removed: list[Removed], options: Options) -> Article:
    paragraphs = [p for p in (re.sub(r"\s+", " ", p).strip() for p in paragraphs) if p]
    if not paragraphs:
        raise NoArticle("no article body found")
    text, offsets = "", []
    for paragraph in paragraphs:
        if text:
            text += "\n\n"
        offsets.append(Offsets(len(text), len(text) + len(paragraph)))
        text += paragraph
    article = Article(title=title, text=text, paragraphs=offsets, removed=removed)
    article.dateline, article.wire = find_dateline(paragraphs[0])
    if not article.wire:
        article.wire = _wire_at_end(paragraphs[-1])
    article.language = detect_language(text, options)
    return article


def find_dateline(first_paragraph: str) -> tuple[str | None, str | None]:
    """The dateline place ('SEOUL', 'Geneva') and any wire credit inside it ('(Reuters)')."""
    match = DATELINE.match(first_paragraph)
    if not match:
        return None, None
    wire = match.group("wire")
    wire = WIRE_NAMES.get(wire.strip().lower()) if wire else None
    place = match.group("place").strip()
    if not wire and not place.isupper():
        return None, None
    return place, wire


def _wire_at_end(last_paragraph: str) -> str | None:
    tail = last_paragraph[-40:]
    match = WIRE_AT_END.search(tail)
    if match and (tail.strip().startswith(("—", "–", "-", "(")) or len(last_paragraph.split()) <= 3
                  or re.search(r"[—–(-]\s*" + re.escape(match.group(1)) + r"\)?\s*$", tail)):
        return WIRE_NAMES.get(match.group(1).lower())
    return None


ENGLISH_FUNCTION_WORDS = frozenset("""the a an of to in and or but is are was were be been has have had it its on for
with as at by from that this which who said says not he she they we you i his her their our will would""".split())


def detect_language(text: str, options: Options | None = None) -> str:
    """ISO 639-1 code; English is recognised cheaply by its function words, others by py3langid."""
    options = options or default_options()
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    if not words:
        return "und"
    share = sum(1 for w in words if w in ENGLISH_FUNCTION_WORDS) / len(words)
    if share >= options.english_stopword_share:
        return "en"
    return _langid().classify(text[:20000])[0]


@lru_cache(maxsize=1)
def _langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model  # 0.4 / 0.3
    return load(MODEL_FILE, norm_probs=False)


# ---------------------------------------------------------------- HTML

REPEATED_BLOCK_WORDS = 6  # a repeat of a block this long is a duplicated widget; shorter repeats (table cells) stay
LONG_BLOCK_WORDS = 80  # a block this long is a run of prose (or a whole page trafilatura could not split), not chrome


def clean_html(html: str, options: Options | None = None, url: str | None = None) -> Article:
    """Cleans an HTML page: trafilatura's main text (or readability's when it holds trafilatura's and more),
    chrome patterns and repeated blocks taken out, dates from markup."""
    options = options or default_options()
    tree = _parse_html(html)
    seen: list[list[str]] = []
    token = _TRAFILATURA_READABILITY.set(seen)
    try:
        document = trafilatura.bare_extraction(tree, url=url, with_metadata=False, include_comments=False,
                                               include_tables=True, favor_precision=False)
    except Exception as error:  # trafilatura raises assorted errors on malformed markup
        raise NoArticle(f"the HTML could not be parsed: {error}") from error
    finally:
        _TRAFILATURA_READABILITY.reset(token)
    blocks = _document_blocks(document) if document is not None else []
    alternative = seen[0] if seen else _readability_blocks(tree)
    if _prefer_alternative(blocks, alternative):
        blocks = _lead_blocks(blocks, alternative) + alternative
    if not blocks:
        raise NoArticle("no article text in this HTML page")
    meta = _page_metadata(tree)
    title = _headline(tree, meta.title, meta.sitename)
    title_at = _headline_index(blocks, title)
    paragraphs, removed, seen, body_byline = [], [], set(), None
    for i, block in enumerate(blocks):
        reason = (chrome_reason(block) or _boilerplate_reason(block)) if len(block.split()) <= LONG_BLOCK_WORDS \
            else None
        if i == title_at or (title and block.strip() == title and not paragraphs):
            continue
        if title_at is not None and i < title_at:
            removed.append(Removed(block, "page header (above the headline)"))
            continue
        if block in seen and len(block.split()) >= REPEATED_BLOCK_WORDS:
            removed.append(Removed(block, "repeated block"))
            continue
        seen.add(block)
        by = BYLINE.match(block)
        if by and len(block.split()) <= 14 and len(paragraphs) < 2:
            removed.append(Removed(block, "byline"))
            body_byline = body_byline or _clean_names(by.group("names"))
            continue
        if reason or (len(paragraphs) < 2 and is_date_line(block)):
            removed.append(Removed(block, reason or "date line"))
            continue
        paragraphs.append(block)
    for i in reversed(_author_bios(paragraphs)):
        removed.append(Removed(paragraphs.pop(i), "author bio"))  # extractors keep a bio set in the article's box
    if (not paragraphs or _word_count(" ".join(paragraphs)) < options.min_body_words
            or not any(_reads_as_prose(p) for p in paragraphs)):
        raise NoArticle("no article text in this HTML page")
    teasers = _listing_teasers(tree, paragraphs)
    if teasers:
        raise NoArticle(f"a listing page ({teasers} linked headlines with short teasers), not an article")
    published = published_from_html(tree, url)  # before _outside_main_text, which edits the tree
    meta_byline = _byline_names(meta.author)
    markup_byline = None if (meta_byline or body_byline) else _byline_in_markup(tree)
    removed.extend(_outside_main_text(tree, paragraphs, title))
    article = _assemble(title, paragraphs, removed, options)
    article.format = "html"
    article.published = published
    article.byline = meta_byline or body_byline or markup_byline
    article.outlet = (meta.sitename or "").strip() or None
    return article


def _page_metadata(tree):
    """Title, author and site name from the page's meta tags, JSON-LD and markup, by trafilatura's metadata
    readers, without its date search (onrecord finds the date itself, with evidence) or its slow scan of the
    markup for an author (a byline line in the body is used instead)."""
    from trafilatura import metadata as meta
    document = meta.Document()
    try:
        document = meta.examine_meta(tree)
        if document.author and " " not in document.author:
            document.author = None
        document = meta.extract_meta_json(tree, document)
        document.title = document.title or meta.extract_title(tree)
        document.sitename = document.sitename or meta.extract_sitename(tree)
        if document.sitename:
            document.sitename = document.sitename.lstrip("@")
    except Exception:  # metadata is optional: a page with odd markup still yields its body
        pass
    return document


def _headline(tree, page_title: str | None, site: str | None = None) -> str | None:
    """The headline as the page shows it. The page's meta title often carries the site's name ("... | Site")
    or an SEO variant of the headline, so the first <h1> sharing more than half its words with the title
    less its site name wins (a logo <h1> holding the site's name does not); without one, that title."""
    page_title = " ".join((page_title or "").split()) or None
    if not page_title:
        return None
    title = _without_site_name(page_title, site)
    title_words = set(_words_of(title))
    for h1 in tree.xpath("//h1")[:HEADLINE_CANDIDATES]:
        text = " ".join(h1.text_content().split())
        words = _words_of(text)
        if HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1] and \
                sum(w in title_words for w in words) > len(words) / 2:
            return text
    return title


HEADLINE_CANDIDATES = 5      # <h1> elements looked at, in page order
HEADLINE_WORDS = (2, 40)     # a one-word <h1> is a logo or a section name; a very long one is not a headline
TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*\|\s*|\s+::\s+")


def _without_site_name(title: str, site: str | None = None) -> str:
    """'Budget Talks Stall | The Harbour Post' -> 'Budget Talks Stall'. The site's name, when known, goes from
    either end ('The Harbour Post | Budget Talks Stall'); otherwise the part after the last separator goes
    when it is short (a site name) and shorter than what stays, a headline of three words or more."""
    separators = list(TITLE_SEPARATOR.finditer(title))
    if not separators:
        return title
    first, last = separators[0], separators[-1]
    head, tail = title[:last.start()].strip(), title[last.end():].strip()
    if site:
        name = _words_of(site)
        if _words_of(tail) == name:
            return head
        if _words_of(title[:first.start()]) == name:
            return title[first.end():].strip()
    short_tail = len(tail.split()) <= SITE_NAME_WORDS and len(tail.split()) < len(head.split())
    return head if len(head.split()) >= 3 and short_tail else title


def _words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


SITE_NAME_WORDS = 5


BYLINE_XPATH = ('//*[@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "author")'
                ' or contains(@class, "Byline") or contains(@class, "Author")]')


def _byline_in_markup(tree) -> str | None:
    """Author names from the first byline-like element of the page ('By Yuki Tanaka, Transportation Reporter')."""
    for element in tree.xpath(BYLINE_XPATH)[:5]:
        text = re.sub(r"\s+", " ", element.text_content()).strip()
        if not text or len(text.split()) > 14:
            continue
        text = BYLINE_LABEL.sub("", text)
        names = [part.strip() for part in re.split(r"\s*[,|/—–]\s*|\s+and\s+", text)
                 if part.strip() and not ROLE_WORDS.search(part) and part.strip()[:1].isupper()
                 and not re.search(r"\d", part) and part.strip().casefold() not in NOT_NAMES]
        if names and all(len(n.split()) <= 4 for n in names):
            return _clean_names(", ".join(names))
    return None


NOT_NAMES = {"by", "author", "the author", "authors", "posted by", "written by"}
ROLE_WORDS = re.compile(r"\b(?:reporter|correspondent|editor|writer|staff|contributor|columnist|journalist|"
                        r"producer|analyst|intern|photographer)s?\b", re.I)


def _byline_names(author: str | None) -> str | None:
    """Author names without job titles ('Yuki Tanaka; Transportation Reporter' -> 'Yuki Tanaka')."""
    if not author:
        return None
    names = [part.strip() for part in author.split(";") if part.strip() and not ROLE_WORDS.search(part)]
    return _clean_names("; ".join(names)) if names else None


def _listing_teasers(tree, paragraphs: list[str]) -> int:
    """A home or section page: several linked headlines, each with a one-line teaser, and no long text.
    Returns the number of linked headlines when the page looks like that, else 0."""
    headlines = len(tree.xpath("//h2[.//a] | //h3[.//a] | //h4[.//a]"))
    mean_words = sum(len(p.split()) for p in paragraphs) / len(paragraphs)
    og_type = (tree.xpath("string(//meta[@property='og:type']/@content)") or "").strip().lower()
    longest = max(len(p.split()) for p in paragraphs)  # an article has at least one full paragraph
    if headlines >= 3 and len(paragraphs) <= headlines + 1 and mean_words < 45 and longest < 40 \
            and og_type != "article":
        return headlines
    return 0


# Boilerplate that reads like prose, so it survives inside the text an extractor or the line model keeps
# (found in trafilatura's HTML output on WCXB dev and trafilatura's set): (pattern, reason), checked on
# blocks and kept lines of at most BOILERPLATE_WORDS words, after the shared CHROME_PATTERNS.
BOILERPLATE_PATTERNS = [(re.compile(p, re.I), reason) for p, reason in [
    (r"\bas an amazon associate\b|\baffiliate (?:links?|marketer|commissions?)\b|"
     r"\bwe (?:may )?(?:earn|receive|get) (?:a )?(?:small )?(?:commission|compensation)\b|earn from qualifying purchases|"
     r"\bproducts (?:are|were) (?:chosen|selected) independently\b|\bwe independently (?:evaluate|review|select|research)\b|"
     r"\bthis (?:post|article|page) (?:contains|may contain|includes) (?:affiliate|references to products)\b|"
     r"\bsupported by commissions\b|\bwe buy all the products we test\b|\bwe recommend the best products\b|"
     r"^advertis(?:ing|er) disclosure\W*$",
     "affiliate disclosure"),
    (r"\bcomments? (?:are|is|may be) (?:moderated|reviewed|republished)\b|\bemail address(?:es)? will not be published\b|"
     r"\bwe ask that comments\b|"
     r"\bnot responsible for the (?:opinions|content|comments)\b.{0,80}\b(?:contributors|readers|users|commenters)\b",
     "comment policy"),
    (r"\bsign up (?:for|to) (?:our|the|get)\b|\bsubscribe to (?:our|the)\b|\b(?:right )?(?:into|to|in) your inbox\b|"
     r"\bjoin (?:medium|our (?:mailing|email) list|our community)\b|\breceive notifications about new posts\b|"
     r"\b(?:is|are) (?:exclusive|available) (?:only )?(?:to|for) [\w+ ]{0,30}subscribers\b|"
     r"\bto (?:view|read|continue reading) the full (?:story|article)\b|\balready a subscriber\b|"
     r"\bthis (?:story|journalism|work) is funded by readers\b|\benter your email(?: address)? (?:below|here|to)\b",
     "subscription prompt"),
    (r"\bdownload (?:the|our) [\w ]{0,30}apps?\b|"
     r"\bfollow (?:us|the [\w ]{1,30}|@\w+) on (?:twitter|facebook|instagram|x|linkedin|tiktok|youtube|threads)\b|"
     r"\bjoin the facebook group\b|\bwe want to hear what you think\b|\bsubmit your letter to the editor\b|"
     r"\bleave a (?:star )?rating\b|\bshare your story\b|\bbook a (?:free )?demo\b|\bget (?:a free quote|started) today\b|"
     r"\bget (?:the latest|breaking) (?:news|updates|headlines)\b.{0,60}"
     r"\b(?:(?:straight|directly|right) to your (?:phone|inbox|device)|with (?:the|our) [\w.' ]{1,30} app)\b",
     "call to action"),
    (r"copyrighted property of|written permission must be obtained|\bmay not be (?:published|reproduced|republished|"
     r"broadcast|rewritten|redistributed)\b|\btrust principles\b",
     "copyright notice"),
    (r"^\d+\s*(?:min(?:ute)?s?|mins?)\.?\s+read\W*$", "reading time"),
    (r"^(?:back to (?:blogs?|news|articles?|top|home|all posts)|table of contents|contents|"
     r"jump to (?:the )?(?:list|recipe|section|content|comments)|browse related articles|you might (?:also )?like|"
     r"you may (?:also )?(?:like|be interested in)\b.{0,60}|pin (?:it )?for later|print recipe|more (?:articles|posts) "
     r"(?:like this|from [\w ]{1,30})|search (?:for )?(?:articles|topics|stories)\b.{0,40}|"
     r"discover (?:our|more) (?:latest )?[\w ]{0,20}(?:picks|stories|articles))\W*$",
     "navigation"),
    (r"^(?:written by|posted by|reviewed by|fact[- ]checked by|medically reviewed by|edited by|words by)\s+"
     r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,4}\b.{0,50}$",
     "byline"),
    (r"^(?=.{0,90}$)(?:last )?(?:updated|modified|published|posted)(?: on)?\s*:?.{0,40}\b(?:19|20)\d{2}\b.{0,30}$",
     "date line"),
    (r"\((?:photo|image|picture|foto|credit)s?\s*(?:by|:|courtesy)[^)]*\)\s*$|\bphoto(?:graph)?s? (?:by|courtesy of)\b|"
     r"\bimages? via\b|\bfeature(?:d)? image by\b|"
     r"\((?:far |second |third )?(?:left|right|centre|center)(?: to right)?\)",
     "photo credit or caption"),
]]
BOILERPLATE_WORDS = 40


def _boilerplate_reason(block: str) -> str | None:
    """Why a short block or line of article text is boilerplate, by the patterns above, or None."""
    if len(block.split()) > BOILERPLATE_WORDS:
        return None
    for pattern, reason in BOILERPLATE_PATTERNS:
        if pattern.search(block):
            return reason
    return None


def _headline_index(blocks: list[str], title: str | None) -> int | None:
    """Where the headline sits among the first blocks, when only short labels (a kicker, a section name) precede it."""
    if not title:
        return None
    for i, block in enumerate(blocks[:HEADLINE_WITHIN]):
        if block.strip() == title:
            return i
        if _reads_as_prose(block):
            return None
    return None


HEADLINE_WITHIN = 4  # blocks searched for the headline at the top of trafilatura's body


def _parse_html(html: str):
    """The page's lxml tree, parsed once and shared (each consumer that edits it works on a copy)."""
    try:
        tree = lxml_html.fromstring(html.encode("utf-8", "replace") if _DECLARES_ENCODING.match(html) else html)
    except (ValueError, lxml_html.etree.ParserError) as error:
        raise NoArticle(f"the HTML could not be parsed: {error}") from error
    if tree is None or not len(tree):
        raise NoArticle("the HTML holds no elements")
    return tree


_DECLARES_ENCODING = re.compile(r"\s*<\?xml[^>]*encoding", re.I)


def _reads_as_prose(block: str) -> bool:
    """A block that reads as running text (a sentence, or mostly lower-case words), not a list of labels;
    in scripts without letter case (Chinese, Japanese, Arabic, Bengali...) any block of some length."""
    if len(block) < 40:
        return False
    return _caseless_script(block) or bool(SENTENCE_END.search(block)) or _lowercase_share(block.split()) > 0.4


def _caseless_script(text: str) -> bool:
    """Most letters are of a script without letter case (Chinese, Japanese, Arabic, Bengali...), where the
    share of lower-case words says nothing about prose."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if c.islower() or c.isupper()) < len(letters) / 2


def _word_count(text: str) -> int:
    """Words, counting two CJK characters as one word (those scripts put no spaces between words)."""
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text))
    return len(text.split()) + cjk // 2


def _readability_blocks(tree) -> list[str]:
    """Blocks of trafilatura's port of readability on a copy of the page (no extra dependency)."""
    from copy import deepcopy
    try:
        from trafilatura.readability_lxml import Document
        summary = Document(deepcopy(tree)).summary()
        root = lxml_html.fromstring(summary) if summary and summary.strip() else None
    except Exception:  # readability fails on odd trees; it is only a second opinion
        return []
    return _summary_blocks(root)


def _summary_blocks(root) -> list[str]:
    return [] if root is None else _text_blocks(root, _HTML_BREAKS, silent=frozenset({"script", "style"}))


# Blocks of the readability pass trafilatura runs inside `bare_extraction`, collected while `clean_html` waits
# on it: reusing that pass as our second opinion saves running readability twice on every page.
_TRAFILATURA_READABILITY: ContextVar[list | None] = ContextVar("trafilatura_readability", default=None)


def _share_trafilatura_readability() -> None:
    """Wraps trafilatura's internal readability call so its result reaches `clean_html`. Outside `clean_html`
    the wrapper only passes through; if a trafilatura version lacks the hook, or skips readability on a page,
    `clean_html` runs readability itself."""
    from trafilatura import external
    run = getattr(external, "try_readability", None)
    if run is None or getattr(run, "shares_with_onrecord", False):
        return

    def try_readability(htmlinput):
        summary = run(htmlinput)
        seen = _TRAFILATURA_READABILITY.get()
        if seen is not None and not seen:  # the first call: stage 2 of trafilatura's cascade
            seen.append(_summary_blocks(summary))  # now, before trafilatura reuses and edits the tree
        return summary

    try_readability.shares_with_onrecord = True
    try_readability.__wrapped__ = run
    external.try_readability = try_readability


_share_trafilatura_readability()


def _text_blocks(root, breaks, line_breaks=frozenset(), spaced=frozenset(), silent=frozenset()) -> list[str]:
    """The text of a tree in blocks: a new block starts before and after each element in `breaks`, and
    before each one in `line_breaks`; elements in `spaced` are set off by a space, those in `silent` lose
    their own text."""
    lines: list[str] = []
    current: list[str] = []

    def flush():
        if current:  # most flushes (at nested breaks) find nothing gathered
            text = " ".join("".join(current).split())
            if text:
                lines.append(text)
            current.clear()

    def walk(element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in breaks or tag in line_breaks:
            flush()
        if tag in spaced and current:
            current.append(" ")
        if element.text and tag not in silent and tag not in line_breaks:
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if tag in breaks:
            flush()

    walk(root)
    flush()
    return lines


_HTML_BREAKS = set("p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer nav aside "
                   "blockquote figure figcaption pre dt dd main form".split())


def _prefer_alternative(blocks: list[str], alternative: list[str]) -> bool:
    """Readability's text wins when it is clearly longer and holds nearly all of trafilatura's words
    (trafilatura lost part of the body), or when trafilatura found nothing."""
    if not alternative:
        return False
    ours, theirs = _word_bag(blocks), _word_bag(alternative)
    n_ours, n_theirs = sum(ours.values()), sum(theirs.values())
    if n_ours == 0:
        return n_theirs > 0
    covered = sum((ours & theirs).values()) / n_ours
    return n_theirs > ALTERNATIVE_LONGER * n_ours and covered >= ALTERNATIVE_COVERS


ALTERNATIVE_LONGER = 1.5   # readability's text must be this much longer than trafilatura's...
ALTERNATIVE_COVERS = 0.6   # ...and hold this share of trafilatura's words (tuned on WCXB dev + trafilatura set)


def _lead_blocks(blocks: list[str], alternative: list[str]) -> list[str]:
    """trafilatura's blocks above the first one readability also has: a standfirst or first paragraph that sits
    outside readability's main container, which it would otherwise lose."""
    def key(text):
        return re.sub(r"\W+", " ", text).strip().lower()
    theirs = " ".join(key(b) for b in alternative)
    lead = []
    for block in blocks:
        if key(block) and key(block) in theirs:
            break
        lead.append(block)
    return lead if len(lead) < len(blocks) else []


def _word_bag(blocks: list[str]):
    from collections import Counter
    return Counter(re.findall(r"\w+", " ".join(blocks).lower()))


def _document_blocks(document) -> list[str]:
    """Line-level blocks of trafilatura's body tree: a block per paragraph, heading, list item, table row or code
    block, split again at its line breaks (trafilatura keeps some whole pages as one <p> of <lb/>-separated lines)."""
    body = document.body
    lines = _text_blocks(body, BLOCK_BREAKS, line_breaks=frozenset({"lb"}), spaced=frozenset({"cell"})) \
        if body is not None else []
    if not lines:
        lines = [line.strip() for line in (document.text or "").split("\n") if line.strip()]
    return lines


BLOCK_BREAKS = {"p", "head", "quote", "item", "list", "table", "row", "code", "div", "body", "graphic"}


OUTSIDE_WHOLE = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "td", "th", "figcaption", "time",
                 "button", "dt", "dd", "blockquote", "label", "option"}
OUTSIDE_OWN_TEXT = {"div", "section", "article", "aside", "header", "footer", "nav", "main", "form", "body",
                    "figure", "ul", "ol", "table", "tr", "center", "font"}
OUTSIDE_REASON_CHARS = 300  # longer leftovers are labelled "outside the main text" without pattern checks


def _outside_main_text(tree, paragraphs: list[str], title: str | None) -> list[Removed]:
    """Visible text blocks of the page that did not make it into the body, so nothing is silently lost.
    Takes the parsed page (it is edited: run this last) or the HTML text."""
    if isinstance(tree, str):
        try:
            tree = lxml_html.fromstring(tree)
        except (ValueError, lxml_html.etree.ParserError):
            return []
    root = tree
    for bad in root.xpath("//script|//style|//noscript|//template|//svg|//head"):
        bad.drop_tree()
    kept = " ".join(paragraphs)
    removed, seen = [], set()

    def emit(text):
        own = " ".join(text.split())
        if not own or own in seen or own == title or own in kept:
            return
        seen.add(own)
        reason = chrome_reason(own) if len(own) <= OUTSIDE_REASON_CHARS else None
        removed.append(Removed(own, reason or "outside the main text"))

    def walk(element):  # one pass: a block's text is taken whole, a container's own text alone
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in OUTSIDE_WHOLE:
                emit(child.text_content())
            else:
                if child.tag in OUTSIDE_OWN_TEXT:
                    emit((child.text or "") + "".join((c.tail or "") for c in child))
                walk(child)

    walk(root)
    return removed
