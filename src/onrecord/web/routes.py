"""The web UI's pages, thin over the Corpus library API: search, a story with its claims' timelines, a claim
record, an article with its attributions highlighted. NotInStore is a 404 page, bad input a 400 page."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from ..corpus import NotInStore, StoreError
from ..errors import OnrecordError
from .article import SAFE_ID, article_body
from .page import CSP, day, error_page, join, layout, outside_link, search_form, status_badge
from .timeline import legend, timeline_svg

PAGE_SIZE = 20
MAX_QUERY = 500
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=HEADERS)


def _page(view):
    """Turns a view's NotInStore into a 404 page and its bad input (ValueError, an unsearchable query) into a
    400 page; the message is the library's one line, never a traceback."""
    @functools.wraps(view)
    def guarded(*args, **kwargs):
        try:
            return _html(view(*args, **kwargs))
        except NotInStore as error:
            return _html(error_page(404, str(error)), 404)
        except StoreError:
            return _html(error_page(503, "The store could not be read just now; try again shortly."), 503)
        except (ValueError, OnrecordError) as error:
            return _html(error_page(400, str(error)), 400)
    return guarded


def _number(value: str, what: str) -> int:
    if not value.isdigit() or len(value) > 15:
        raise ValueError(f"a {what} id is a number, not {value[:40]!r}")
    return int(value)


class _Reader:
    """The corpus for one request, with each article's analysis read once: a claim event's attribution is
    found in its article by its words and speaker (ClaimEvent has no attribution id)."""

    def __init__(self, corpus):
        self.corpus = corpus
        self.analyses: dict[int, dict] = {}
        self.stored: dict[int, object] = {}

    def analysis(self, article_id: int) -> dict:
        if article_id not in self.analyses:
            try:
                self.stored[article_id], self.analyses[article_id] = self.corpus.article(article_id)
            except NotInStore:
                self.stored[article_id], self.analyses[article_id] = None, {}
        return self.analyses[article_id]

    def stories(self, record) -> list[int]:
        """The stories of the articles a claim's events are in, in order of its events."""
        found = []
        for event in record.events:
            self.analysis(event.article)
            story = getattr(self.stored.get(event.article), "story", None)
            if story is not None and story not in found:
                found.append(int(story))
        return found

    def anchor(self, event) -> str | None:
        given = getattr(event, "attribution", None)
        if given:
            return given if SAFE_ID.match(str(given)) else None
        attributions = [a for a in self.analysis(event.article).get("attributions") or [] if isinstance(a, dict)]
        quote = (event.quote or "").strip()

        def content(a):
            return ((a.get("content") or {}).get("text") or "").strip()

        def speaker(a):
            return (a.get("speaker") or {}).get("name")
        for candidates in ([a for a in attributions if quote and content(a) == quote],
                           [a for a in attributions if quote and (quote in content(a) or content(a) in quote)
                            and content(a)]):
            if candidates:
                same = [a for a in candidates if speaker(a) == event.speaker] or candidates
                name = str(same[0].get("id") or "")
                return name if SAFE_ID.match(name) else None
        return None

    def href(self, event) -> str:
        anchor = self.anchor(event)
        return f"/articles/{int(event.article)}" + (f"#{anchor}" if anchor else "")


def router(corpus: Callable[[], object]) -> APIRouter:
    """The HTML pages, to mount at "/" beside the JSON API: `corpus()` returns an open Corpus (not closed here)."""
    pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    @pages.get("/")
    @_page
    def home():
        store = corpus()
        stories = store.stories(limit=20)
        claims = store.claims(limit=10)
        body = Markup('<h1>onrecord</h1><p>Who said it, on whose word, and who has confirmed or denied it since.</p>'
                      '{}<h2>Recent claims</h2>{}<h2>Recent stories</h2>{}').format(
            search_form(), _claim_list(claims), _story_list(stories))
        return layout("Search the record", body, search=False)

    @pages.get("/search")
    @_page
    def search_page(q: str = "", offset: str = "0"):
        store = corpus()
        query = q.strip()
        if len(query) > MAX_QUERY:
            raise ValueError(f"a search is at most {MAX_QUERY} characters")
        start = _number(offset, "page offset") if offset else 0
        if not query:
            body = Markup("<h1>Search</h1>{}<p>Type a claim in any words, a name or a place.</p>").format(
                search_form())
            return layout("Search", body, search=False)
        try:
            claims = _claim_list(store.claims(search=query, limit=PAGE_SIZE)) if start == 0 else Markup("")
        except OnrecordError as error:
            claims = Markup('<p class="muted">{}</p>').format(str(error))
        total, found = _article_search(store, query, start)
        pager = []
        if start > 0:
            pager.append(Markup('<a href="/search?{}" rel="prev">Previous articles</a>').format(
                _query(q=query, offset=max(0, start - PAGE_SIZE))))
        if start + PAGE_SIZE < total:
            pager.append(Markup('<a href="/search?{}" rel="next">More articles</a>').format(
                _query(q=query, offset=start + PAGE_SIZE)))
        shown = (Markup("{}-{} of {}").format(start + 1, start + len(found), total) if found
                 else Markup("none of {}").format(total))
        body = Markup('<h1>Search: {q}</h1>{form}{claims_heading}{claims}<h2>Articles <span class="muted">({shown})'
                      '</span></h2>{articles}<nav class="pager" aria-label="Article pages">{pager}</nav>').format(
            q=query, form=search_form(query), shown=shown, articles=_article_list(found), pager=join(pager),
            claims_heading=Markup("<h2>Claims</h2>") if start == 0 else Markup(""), claims=claims)
        return layout(f"Search: {query}", body)

    @pages.get("/stories/{story_id}")
    @_page
    def story_page(story_id: str):
        store = corpus()
        story = store.story(_number(story_id, "story"))
        records = store.claims(story=story.id)
        reader = _Reader(store)
        body = Markup('<h1>Story {}: {}</h1><p class="meta">{} articles · first seen {} · last seen {}</p>'
                      '<h2>Articles</h2>{}<h2>Claims</h2>{}{}').format(
            story.id, story.label, story.size, day(story.first_seen), day(story.last_seen),
            _folded_articles(story.articles), legend(),
            join(_claim_block(record, reader, heading="h3") for record in records) if records
            else Markup('<p class="muted">No claims recorded for this story.</p>'))
        return layout(f"Story {story.id}: {story.label}", body)

    @pages.get("/claims/{claim_id}")
    @_page
    def claim_page(claim_id: str, as_of: str | None = None):
        store = corpus()
        record = store.claim(_number(claim_id, "claim"), as_of=as_of or None)
        reader = _Reader(store)
        form = Markup('<form class="search" action="/claims/{}" method="get"><label for="as_of">Status as of</label> '
                      '<input type="date" id="as_of" name="as_of" value="{}"> <button type="submit">Show</button>'
                      '{}</form>').format(record.id, record.as_of or "",
                                          Markup(' <a href="/claims/{}">today</a>').format(record.id)
                                          if record.as_of else Markup(""))
        stories = join(Markup('<li><a href="/stories/{0}">Story {0}</a></li>').format(number)
                       for number in reader.stories(record))
        body = Markup('<h1>Claim {}</h1>{}<nav aria-label="Stories of this claim"><p><strong>In stories:</strong>'
                      '</p><ul class="inline">{}</ul></nav>{}{}').format(
            record.id, form, stories, legend(), _claim_block(record, reader, heading="h2", full=True))
        return layout(f"Claim {record.id}", body)

    @pages.get("/articles/{article_id}")
    @_page
    def article_page(article_id: str):
        store = corpus()
        stored, analysis = store.article(_number(article_id, "article"))
        nav = [("/search", "Search")]
        if stored.story is not None:
            nav.append((f"/stories/{int(stored.story)}", f"Story {stored.story}"))
        if stored.copy_of is not None:
            nav.append((f"/articles/{int(stored.copy_of)}", f"Original: article {stored.copy_of}"))
        for link in store.copies(stored.id):
            if link.original == stored.id:
                nav.append((f"/articles/{int(link.copy)}", f"Copy: article {link.copy}"))
        links = _claim_links(store, stored, analysis)
        meta = Markup('<p class="meta">Stored article {} (version {}){}</p>').format(
            stored.id, stored.version,
            Markup(' · a wire copy of <a href="/articles/{0}">article {0}</a>').format(int(stored.copy_of))
            if stored.copy_of is not None else "")
        analysis = _with_stored_metadata(analysis, stored)
        body = meta + article_body(analysis, links)
        return layout((analysis.get("article") or {}).get("title") or stored.title or f"Article {stored.id}", body,
                      nav=nav)

    return pages


def _article_search(store, query: str, start: int):
    """Full-text article search; a query the index refuses (FTS5 reads quotes, colons and dashes as syntax)
    is retried with its words alone."""
    try:
        return store.articles(query=query, limit=PAGE_SIZE, offset=start)
    except StoreError:
        words = " ".join(re.findall(r"\w+", query))
        if not words or words == query:
            raise
        return store.articles(query=words, limit=PAGE_SIZE, offset=start)


def _query(**params) -> str:
    from urllib.parse import urlencode
    return urlencode(params)


def _with_stored_metadata(analysis: dict, stored) -> dict:
    """The analysis with the store's outlet, date and URL where the page itself gave none (a feed's
    metadata), for display only."""
    article = dict(analysis.get("article") or {})
    if not article.get("outlet") and stored.outlet:
        article["outlet"] = stored.outlet
    published = dict(article.get("published") or {})
    if not published.get("date") and stored.published:
        published["date"] = day(stored.published)
        article["published"] = published
    if not article.get("source"):
        article["source"] = stored.url
    return {**analysis, "article": article}


def _claim_links(store, stored, analysis) -> dict:
    """Each page claim's cross-article records: the story's records whose events in this article are the
    page claim's attributions; and all the records with events in this article."""
    if stored.story is None:
        return {"claims": {}, "records": []}
    reader = _Reader(store)
    reader.analyses[stored.id] = analysis
    records = [r for r in store.claims(story=stored.story) if any(e.article == stored.id for e in r.events)]
    anchors = {r.id: {reader.anchor(e) for e in r.events if e.article == stored.id} for r in records}
    linked = {}
    for claim in analysis.get("claims") or []:
        mine = {str(a) for a in claim.get("attributions") or []}
        linked[str(claim.get("id"))] = [(f"/claims/{r.id}", f"claim {r.id}: {_short(r.text)}", r.status)
                                        for r in records if anchors[r.id] & mine]
    return {"claims": linked, "records": [(f"/claims/{r.id}", f"claim {r.id}: {_short(r.text)}", r.status)
                                          for r in records]}


def _short(text: str, size: int = 110) -> str:
    return text if len(text) <= size else text[:size - 1].rstrip() + "\u2026"


def _claim_list(records) -> Markup:
    if not records:
        return Markup('<p class="muted">No claims found.</p>')
    items = join(Markup('<li><a href="/claims/{}">{} {}</a><div class="muted">{} · {} events · first {}</div></li>')
                 .format(r.id, status_badge(r.status), _short(r.text, 200), r.reason, len(r.events),
                         day(r.first_report.date) if r.first_report else "unreported") for r in records)
    return Markup('<ul class="results">{}</ul>').format(items)


def _story_list(stories) -> Markup:
    if not stories:
        return Markup('<p class="muted">No stories in the store yet.</p>')
    items = join(Markup('<li><a href="/stories/{}">{}</a><div class="muted">{} articles · {} to {}</div></li>')
                 .format(s.id, s.label or f"story {s.id}", s.size, day(s.first_seen), day(s.last_seen))
                 for s in stories)
    return Markup('<ul class="results">{}</ul>').format(items)


def _article_list(found) -> Markup:
    if not found:
        return Markup('<p class="muted">No articles found.</p>')
    items = join(Markup('<li><a href="/articles/{}">{}</a><div class="muted">{} · {}{}{}</div></li>').format(
        a.id, a.title or f"article {a.id}", a.outlet or "unknown outlet", day(a.published),
        Markup(' · <a href="/stories/{0}">story {0}</a>').format(int(a.story)) if a.story is not None else "",
        Markup(" · copy of article {}").format(a.copy_of) if a.copy_of is not None else "") for a in found)
    return Markup('<ul class="results">{}</ul>').format(items)


def _folded_articles(articles) -> Markup:
    """The story's articles, earliest first, each wire copy folded under its original when that is here."""
    here = {a.id for a in articles}
    copies: dict[int, list] = {}
    for a in articles:
        if a.copy_of is not None and a.copy_of in here:
            copies.setdefault(a.copy_of, []).append(a)

    def item(a, nested: Markup) -> Markup:
        note = Markup(" · copy of article {}").format(a.copy_of) if a.copy_of is not None else Markup("")
        return Markup('<li><a href="/articles/{}">{}</a><div class="muted">{} · {}{} · {}</div>{}</li>').format(
            a.id, a.title or f"article {a.id}", a.outlet or "unknown outlet", day(a.published), note,
            outside_link(a.url), nested)
    items = []
    for a in articles:
        if a.copy_of is not None and a.copy_of in here:
            continue
        folded = copies.get(a.id, [])
        nested = (Markup('<ul class="copies" aria-label="Wire copies">{}</ul>').format(
            join(item(c, Markup("")) for c in folded)) if folded else Markup(""))
        items.append(item(a, nested))
    return Markup('<ul class="results">{}</ul>').format(join(items))


def _claim_block(record, reader: _Reader, heading: str = "h3", full: bool = False) -> Markup:
    """A claim: status badge, words, reason, originators, the SVG timeline and its status changes; with
    `full`, the event table too."""
    as_of = Markup(" as of {}").format(record.as_of) if record.as_of else Markup("")
    title = (Markup("{}").format(record.text) if full
             else Markup('<a href="/claims/{}">{}</a>').format(record.id, _short(record.text, 240)))
    originators = join(Markup("<li>{}</li>").format(name) for name in record.originators)
    changes = join(Markup("<li><time>{}</time> {} <span class=\"muted\">{} (by {})</span></li>").format(
        c.date, status_badge(c.status), c.reason, c.by or "unknown") for c in record.status_history)
    parts = [Markup('<{h}>{badge} {title}</{h}><p><strong>Status{as_of}:</strong> {badge} {reason}</p>').format(
        h=Markup(heading), badge=status_badge(record.status), title=title, as_of=as_of, reason=record.reason)]
    if record.first_report:
        first = record.first_report
        parts.append(Markup('<p><strong>First report:</strong> {} · {} in <a href="{}">{}</a></p>').format(
            first.date, first.speaker, reader.href(first), first.outlet or f"article {first.article}"))
    parts.append(Markup("<p><strong>Originators:</strong></p><ul>{}</ul>").format(originators)
                 if record.originators else Markup(""))
    parts.append(timeline_svg(record, reader.href, caption=f"Timeline of claim {record.id}: one link per event"))
    parts.append(Markup("<p><strong>Status changes:</strong></p><ol>{}</ol>").format(changes) if changes
                 else Markup('<p class="muted">No status changes yet.</p>'))
    if full:
        parts.append(_event_table(record, reader))
    return Markup('<section class="claim" aria-label="Claim {}">{}</section>').format(record.id, join(parts))


def _event_table(record, reader: _Reader) -> Markup:
    rows = join(Markup('<tr><td data-label="date">{}</td><td data-label="article"><a href="{}">{}</a></td>'
                       '<td data-label="speaker">{}</td><td data-label="on the word of">{}</td>'
                       '<td data-label="stance in article">{}</td><td data-label="toward the claim">{}</td>'
                       '<td data-label="words">{}</td></tr>').format(
        e.date, reader.href(e), e.outlet or f"article {e.article}", e.speaker,
        ", ".join(e.chain[1:]), e.stance, e.toward, _short(e.quote, 300))
        + (Markup('<tr><td colspan="7" class="muted">wire copy of <a href="/articles/{0}">article {0}</a>'
                  '</td></tr>').format(int(e.copy_of)) if e.copy_of else Markup(""))
        for e in record.events)
    return Markup('<h3>Events</h3><div class="scroll"><table class="stack"><thead><tr><th scope="col">date</th>'
                  '<th scope="col">article</th><th scope="col">speaker</th><th scope="col">on the word of</th>'
                  '<th scope="col">stance in article</th><th scope="col">toward the claim</th>'
                  '<th scope="col">words</th></tr></thead><tbody>{}</tbody></table></div>').format(rows)
