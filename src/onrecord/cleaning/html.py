"""HTML pages: trafilatura's main text (or readability's when it holds trafilatura's and more), chrome patterns
and repeated blocks taken out, dates from markup, and every visible block left out listed with a reason.
"""
from __future__ import annotations

import re
from contextvars import ContextVar

import trafilatura
from lxml import html as lxml_html

from ..dates import is_date_line, published_from_html
from ..errors import NoArticle
from ..options import Options, default_options
from ..records import Article, Removed
from .chrome import (author_bios, boilerplate_reason, chrome_reason, cut_short_teasers, is_label, reads_as_prose,
                     word_count)
from .metadata import (BYLINE, assemble, byline_in_markup, byline_names, clean_names, credit_metadata, headline,
                       page_metadata, read_credits)

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
    meta = page_metadata(tree)
    title = headline(tree, meta.title, meta.sitename)
    title_at = headline_index(blocks, title)
    paragraphs, removed, seen, body_byline, credits = [], [], set(), None, []
    cut_short = set(cut_short_teasers(blocks))
    for i, block in enumerate(blocks):
        reason = (chrome_reason(block) or boilerplate_reason(block)) if len(block.split()) <= LONG_BLOCK_WORDS \
            else None
        if i == title_at or (title and block.strip() == title and not paragraphs):
            continue
        if title_at is not None and i < title_at:
            removed.append(Removed(block, "page header (above the headline)"))
            continue
        if block in seen and len(block.split()) >= REPEATED_BLOCK_WORDS:
            removed.append(Removed(block, "repeated block"))
            continue
        if i in cut_short:
            removed.append(Removed(block, "repeated teaser"))
            continue
        seen.add(block)
        if reason == "credit line":
            credits.extend(read_credits(block))
        elif (by := BYLINE.match(block)) and len(block.split()) <= 14 and len(paragraphs) < 2:
            removed.append(Removed(block, "byline"))
            body_byline = body_byline or clean_names(by.group("names"))
            continue
        if reason or (len(paragraphs) < 2 and is_date_line(block)):
            removed.append(Removed(block, reason or "date line"))
            continue
        if len(paragraphs) < 2 and is_label(block) and block.casefold() in section_names(tree):
            removed.append(Removed(block, "section label"))
            continue
        paragraphs.append(block)
    for i in reversed(author_bios(paragraphs)):
        removed.append(Removed(paragraphs.pop(i), "author bio"))  # extractors keep a bio set in the article's box
    if (not paragraphs or word_count(" ".join(paragraphs)) < options.min_body_words
            or not any(reads_as_prose(p) for p in paragraphs)):
        raise NoArticle("no article text in this HTML page")
    teasers = _listing_teasers(tree, paragraphs)
    if teasers:
        raise NoArticle(f"a listing page ({teasers} linked headlines with short teasers), not an article")
    published, refused_dates = published_from_html(tree, url, options)  # before _outside_main_text edits the tree
    removed.extend(refused_dates)
    meta_byline = byline_names(meta.author)
    markup_byline = None if (meta_byline or body_byline) else byline_in_markup(tree)
    removed.extend(_outside_main_text(tree, paragraphs, title))
    article = assemble(title, paragraphs, removed, options)
    article.format = "html"
    article.published = published
    article.byline, article.wire, article.credits = credit_metadata(credits, meta_byline or body_byline, article.wire)
    article.byline = article.byline or markup_byline
    article.outlet = (meta.sitename or "").strip() or None
    return article

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

def section_names(tree) -> set[str]:
    """The page's section names, casefolded: its `article:section`, the links of its menus and breadcrumbs, and
    its kicker-like labels. One of them printed above the first paragraphs is a label, not article text."""
    names = tree.xpath("//meta[@property='article:section' or @name='article:section']/@content") + [
        element.text_content() for element in tree.xpath(SECTION_XPATH)]
    return {" ".join(name.split()).casefold() for name in names if 0 < len(name.split()) <= 3}


# menu links that leave the page (a table of contents links to the article's own headings: those stay), and
# elements whose class names a kicker or a section label
SECTION_XPATH = ("(//nav//a | //header//a | //*[contains(@class, 'menu') or contains(@class, 'nav') or "
                 "contains(@class, 'breadcrumb')]//a)[not(starts-with(@href, '#'))] | "
                 "//*[contains(@class, 'kicker') or contains(@class, 'eyebrow') or contains(@class, 'rubric') or "
                 "contains(@class, 'category') or contains(@class, 'section-label') or "
                 "contains(@class, 'section-name') or contains(@class, 'article-section')]")


def headline_index(blocks: list[str], title: str | None) -> int | None:
    """Where the headline sits among the first blocks, when only short labels (a kicker, a section name) precede it."""
    if not title:
        return None
    for i, block in enumerate(blocks[:HEADLINE_WITHIN]):
        if block.strip() == title:
            return i
        if reads_as_prose(block):
            return None
    return None


HEADLINE_WITHIN = 4  # blocks searched for the headline at the top of trafilatura's body


def _parse_html(html: str):
    """The page's lxml tree, parsed once and shared (each consumer that edits it works on a copy)."""
    html = _without_huge_raw_text(html)
    try:
        tree = lxml_html.fromstring(html.encode("utf-8", "replace") if _DECLARES_ENCODING.match(html) else html)
    except (ValueError, lxml_html.etree.ParserError) as error:
        raise NoArticle(f"the HTML could not be parsed: {error}") from error
    if tree is None or not len(tree):
        raise NoArticle("the HTML holds no elements")
    return tree


_DECLARES_ENCODING = re.compile(r"\s*<\?xml[^>]*encoding", re.I)


def _without_huge_raw_text(html: str) -> str:
    """The page with the content of each huge <script> or <style> element taken out, in one linear pass.
    libxml2 stops at a text node over 10 MB (its "huge text node" limit) and the tree ends there, so a page
    with an 11 MB inline script would keep its title alone; no reader sees a script, and smaller ones stay
    (dates and metadata are read from some). An element's content ends where the HTML parser ends it: at
    the first closing tag of its name."""
    pieces, kept_from, scanned_to = [], 0, 0
    for opening in _RAW_TEXT_OPENING.finditer(html):
        if opening.start() < scanned_to:
            continue  # "<script" inside a script's own content opens nothing
        closing = _RAW_TEXT_CLOSING[opening.group(1).lower()].search(html, opening.end())
        end = closing.start() if closing else len(html)
        if end - opening.end() > HUGE_RAW_TEXT_CHARS:
            pieces.append(html[kept_from:opening.end()])
            kept_from = end
        if closing is None:
            break
        scanned_to = closing.end()
    return "".join(pieces) + html[kept_from:] if pieces else html


HUGE_RAW_TEXT_CHARS = 1_000_000  # a script or style this long is dropped (libxml2 cuts text nodes at 10 MB)
_RAW_TEXT_OPENING = re.compile(  # bounded, so that a tag with an unclosed quote costs little
    r"""<(script|style)(?=[\t\n\f\r />])(?:[^>"']|"[^"]{0,10000}"|'[^']{0,10000}'){0,2000}>""", re.I)
_RAW_TEXT_CLOSING = {name: re.compile(rf"</{name}(?=[\t\n\f\r />])", re.I) for name in ("script", "style")}

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
            tree = lxml_html.fromstring(_without_huge_raw_text(tree))
        except (ValueError, lxml_html.etree.ParserError):
            return []
    root = tree
    for bad in root.xpath("//script|//style|//noscript|//template|//svg|//head"):
        bad.drop_tree()
    in_body = _substring_test(" ".join(paragraphs))
    removed, seen = [], set()

    def emit(text):
        own = " ".join(text.split())
        if not own or own in seen or own == title or in_body(own):
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


def _substring_test(text: str):
    """A test of `piece in text` for many whitespace-normalised pieces that does not scan the whole text for
    each: a piece of three words or more holds each inner word as a whole word of the text (spaces on both
    sides), so only the places of the rarest of its first inner words are compared."""
    places: dict[str, list[int]] = {}
    offset = 0
    for word in text.split(" "):
        places.setdefault(word, []).append(offset)
        offset += len(word) + 1

    def contains(piece: str) -> bool:
        words = piece.split(" ")
        if len(words) < 3:
            return piece in text
        rarest, rarest_at, at = None, 0, 0
        for i in range(1, min(len(words) - 1, PROBED_WORDS + 1)):
            at += len(words[i - 1]) + 1  # where words[i] starts in the piece
            found = places.get(words[i])
            if not found:
                return False
            if rarest is None or len(found) < len(rarest):
                rarest, rarest_at = found, at
        return any(text.startswith(piece, place - rarest_at) for place in rarest if place >= rarest_at)
    return contains


PROBED_WORDS = 8  # inner words of a block looked up to find the rarest
