"""One article as a page: its text with every attribution highlighted by stance, the speaker named inline at
each cue, chains spelled out, its claims with status badges linking into the text, and the page chrome that
cleaning removed listed apart. `onrecord analyze --format html` and the web UI's article page both use it.

Overlapping and nested spans (a quote inside a report, a cue inside another attribution's content) are rendered
as properly nested inline elements: a span that crosses another's boundary is split into pieces, never merged."""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from .page import STANCE_COLOURS, STANCES, join, layout, outside_link, status_badge

KIND_ORDER = {"att": 0, "content": 1, "speaker": 2, "cue": 3}  # outermost first when two spans coincide
SAFE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,40}$")


def article_html(analysis: dict, links: dict | None = None) -> str:
    """The whole page for one analysis (the JSON form, `Analysis.to_dict()`). `links` (the web UI's; None for a
    standalone page) may hold "nav": [(href, label)] for the header, "claims": {page claim id: [(href, label,
    status)]} for each claim's cross-article records, and "records": [(href, label, status)] listed apart."""
    article = analysis.get("article") or {}
    title = article.get("title") or "(no title)"
    body = article_body(analysis, links or {})
    if links is None:
        return layout(title, body, header=False)
    return layout(title, body, nav=links.get("nav", ()))


def article_body(analysis: dict, links: dict) -> Markup:
    article = analysis.get("article") or {}
    attributions = [a for a in analysis.get("attributions") or [] if isinstance(a, dict)]
    ids = _anchor_ids(attributions)
    parts = [Markup("<h1>{}</h1>").format(article.get("title") or "(no title)"), _metadata(article),
             _legend()]
    parts.append(Markup('<article class="text" aria-label="Article text">{}</article>').format(
        _text(article, attributions, ids)))
    parts.append(_claims(analysis.get("claims") or [], attributions, ids, links.get("claims") or {}))
    if links.get("records"):
        items = join(Markup('<li><a href="{}">{} {}</a></li>').format(href, status_badge(status), label)
                     for href, label, status in links["records"])
        parts.append(Markup('<section aria-labelledby="h-records"><h2 id="h-records">Claim records with events in '
                            'this article</h2><ul class="plain">{}</ul></section>').format(items))
    parts.append(_attribution_table(attributions, ids))
    parts.append(_removed(article.get("removed") or []))
    return join(parts)


def _metadata(article: dict) -> Markup:
    published = article.get("published") or {}
    rows = [("published", published.get("date") or "unknown"), ("outlet", article.get("outlet") or "unknown"),
            ("byline", article.get("byline") or "none"), ("wire", article.get("wire") or "none")]
    if article.get("dateline"):
        rows.append(("dateline", article["dateline"]))
    if article.get("language"):
        rows.append(("language", article["language"]))
    items = [Markup("{} <strong>{}</strong>").format(label, value) for label, value in rows]
    source = article.get("source")
    if source:
        items.append(Markup("source {}").format(outside_link(source)))
    return Markup('<p class="meta">{}</p>').format(Markup(" · ").join(items))


def _legend() -> Markup:
    items = join(Markup('<li><span class="who s-{0}">{0}</span></li>').format(stance) for stance in STANCES)
    return Markup('<details><summary>How to read the highlights</summary><p class="muted">Each attribution\'s '
                  'content is shaded and underlined in its stance\'s colour, its speaker\'s words are dotted, its '
                  'cue is bold, and a tag before the cue names the speaker (and whom they cite) with the stance. '
                  'Quotes inside reports are nested: each keeps its own underline.</p><ul class="legend">{}</ul>'
                  '</details>').format(items)


@dataclass
class _Span:
    start: int
    end: int
    kind: str
    attribution: dict
    order: int
    height: int = 0

    @property
    def key(self):
        return (self.start, -self.end, KIND_ORDER[self.kind], self.order)


def _anchor_ids(attributions: list[dict]) -> dict[int, str]:
    """Each attribution's element id: its own id (a1, a2...) when it is a safe, unique name, else a1-style."""
    ids, seen = {}, set()
    for number, attribution in enumerate(attributions, 1):
        name = str(attribution.get("id") or "")
        if not SAFE_ID.match(name) or name in seen:
            name = f"att-{number}"
        seen.add(name)
        ids[id(attribution)] = name
    return ids


def _stance(attribution: dict) -> str:
    stance = attribution.get("stance")
    return stance if stance in STANCE_COLOURS else "unknown"


def _range(part: dict | None, size: int) -> tuple[int, int] | None:
    if not isinstance(part, dict):
        return None
    start, end = part.get("start"), part.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= size:
        return None
    return start, end


def _spans(text: str, attributions: list[dict]) -> list[_Span]:
    spans = []
    for order, attribution in enumerate(attributions):
        speaker = attribution.get("speaker") or {}
        parts = {"content": _range(attribution.get("content"), len(text)),
                 "speaker": _range(speaker.get("mention"), len(text)),
                 "cue": _range(attribution.get("cue"), len(text))}
        found = [r for r in parts.values() if r]
        if not found:
            continue
        spans.append(_Span(min(s for s, _ in found), max(e for _, e in found), "att", attribution, order))
        spans.extend(_Span(r[0], r[1], kind, attribution, order) for kind, r in parts.items() if r)
    contents = sorted((s for s in spans if s.kind == "content"), key=lambda s: s.key)
    for span in reversed(contents):  # how many content layers sit inside each, for the underline spacing
        inner = [o.height for o in contents if o is not span and span.start <= o.start and o.end <= span.end
                 and o.key > span.key]
        span.height = 1 + max(inner) if inner else 0
    return spans


def _paragraphs(article: dict, text: str) -> list[tuple[int, int]]:
    ranges = [r for r in (_range(p, len(text)) for p in article.get("paragraphs") or []) if r]
    if ranges:
        return sorted(ranges)
    ranges, start = [], 0
    for match in re.finditer(r"\n\s*\n", text):
        ranges.append((start, match.start()))
        start = match.end()
    ranges.append((start, len(text)))
    return [(s, e) for s, e in ranges if e > s]


def _text(article: dict, attributions: list[dict], ids: dict[int, str]) -> Markup:
    text = article.get("text") or ""
    if not isinstance(text, str) or not text:
        return Markup('<p class="muted">(no article text)</p>')
    spans = _spans(text, attributions)
    anchors = {str(a.get("id")): ids[id(a)] for a in reversed(attributions)}
    anchored: set[int] = set()
    paragraphs = []
    for start, end in _paragraphs(article, text):
        inside = [s for s in spans if s.start < end and s.end > start]
        cuts = sorted({start, end} | {max(start, min(end, x)) for s in inside for x in (s.start, s.end)})
        out, stack = [], []
        for a, b in pairwise(cuts):
            active = sorted((s for s in inside if s.start <= a and b <= s.end), key=lambda s: s.key)
            keep = 0
            while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
                keep += 1
            out.extend(Markup("</span>") for _ in stack[keep:])
            for span in active[keep:]:
                out.append(_open(span, ids, anchors, anchored))
            stack = active
            out.append(escape(text[a:b]))
        out.extend(Markup("</span>") for _ in stack)
        paragraphs.append(Markup("<p>{}</p>").format(join(out)))
    return join(paragraphs)


def _open(span: _Span, ids: dict[int, str], anchors: dict[str, str], anchored: set[int]) -> Markup:
    attribution = span.attribution
    stance = _stance(attribution)
    if span.kind == "att":
        key = id(attribution)
        if key in anchored:
            return Markup('<span class="att s-{}">').format(stance)
        anchored.add(key)
        return Markup('<span class="att s-{}" id="{}">').format(stance, ids[key])
    if span.kind == "content":
        if span.height:  # a content holding others: its underline sits below theirs
            return Markup('<span class="content s-{} h{}">').format(stance, min(span.height, 3))
        return Markup('<span class="content s-{}">').format(stance)
    if span.kind == "speaker":
        return Markup('<span class="speaker s-{}">').format(stance)
    return Markup('{}<span class="cue s-{}">').format(_who(attribution, ids, anchors), stance)


def speaker_line(attribution: dict) -> str:
    """"Yonhap, on the word of an anonymous source": the speaker and whom they cite, outermost first."""
    speaker = attribution.get("speaker") or {}
    name = speaker.get("name") or "unattributed"
    chain = [link.get("name") for link in attribution.get("chain") or [] if isinstance(link, dict)]
    cited = [str(n) for n in chain[1:] if n and n != name]
    return f"{name}, on the word of {', '.join(cited)}" if cited else str(name)


def _who(attribution: dict, ids: dict[int, str], anchors: dict[str, str]) -> Markup:
    """The tag shown before each cue: who speaks (and on whose word), with the stance in words."""
    stance = attribution.get("stance") or "unknown"
    answer = Markup("")
    target = attribution.get("addresses")
    if target:
        anchor = anchors.get(str(target))
        answer = (Markup(', answering <a href="#{0}">{0}</a>').format(anchor) if anchor
                  else Markup(", answering {}").format(target))
    return Markup('<span class="who s-{}">{} · {}{}</span>').format(_stance(attribution), speaker_line(attribution),
                                                                    stance, answer)


def _claims(claims: list, attributions: list[dict], ids: dict[int, str], records: dict) -> Markup:
    by_id = {str(a.get("id")): a for a in attributions}
    items = []
    for claim in claims:
        if not isinstance(claim, dict):
            continue
        refs = []
        for name in claim.get("attributions") or []:
            attribution = by_id.get(str(name))
            if attribution is None:
                continue
            refs.append(Markup('<li><a href="#{}">{} {}</a> <span class="muted">({}, {})</span></li>').format(
                ids[id(attribution)], "attribution", ids[id(attribution)], speaker_line(attribution),
                attribution.get("stance") or "unknown"))
        linked = records.get(str(claim.get("id"))) or []
        across = join(Markup('<li><a href="{}">{} {}</a></li>').format(href, status_badge(status), label)
                      for href, label, status in linked)
        items.append(Markup(
            '<li class="claim">{} <strong>{}</strong><p class="muted">{}</p>'
            '<p>In the text:</p><ul>{}</ul>{}</li>').format(
            status_badge(claim.get("status")), claim.get("summary") or "", claim.get("reason") or "", join(refs),
            Markup("<p>Across articles:</p><ul>{}</ul>").format(across) if linked else Markup("")))
    if not items:
        return Markup('<section aria-labelledby="h-claims"><h2 id="h-claims">Claims</h2>'
                      '<p class="muted">No claims found on this page.</p></section>')
    return Markup('<section aria-labelledby="h-claims"><h2 id="h-claims">Claims</h2><ol class="plain">{}</ol>'
                  '</section>').format(join(items))


def _attribution_table(attributions: list[dict], ids: dict[int, str]) -> Markup:
    if not attributions:
        return Markup("")
    rows = []
    for attribution in attributions:
        speaker = attribution.get("speaker") or {}
        cue = attribution.get("cue") or {}
        content = attribution.get("content") or {}
        rows.append(Markup('<tr><td data-label="id"><a href="#{0}">{0}</a></td><td data-label="speaker">{1}</td>'
                           '<td data-label="type">{2}</td><td data-label="stance"><span class="who s-{3}">{4}</span>'
                           '</td><td data-label="cue">{5}</td><td data-label="content">{6}</td></tr>').format(
            ids[id(attribution)], speaker_line(attribution), speaker.get("type") or "", _stance(attribution),
            attribution.get("stance") or "unknown", cue.get("text") or "",
            ("\u201c{}\u201d" if attribution.get("direct") else "{}").format(content.get("text") or "")))
    return Markup('<section aria-labelledby="h-who"><h2 id="h-who">Who said what</h2><div class="scroll"><table class="stack">'
                  '<thead><tr><th scope="col">id</th><th scope="col">speaker (on the word of)</th>'
                  '<th scope="col">type</th><th scope="col">stance</th><th scope="col">cue</th>'
                  '<th scope="col">content</th></tr></thead><tbody>{}</tbody></table></div></section>').format(
        join(rows))


def _removed(removed: list) -> Markup:
    items = join(Markup("<li><strong>{}</strong>: <q>{}</q></li>").format(r.get("reason") or "removed",
                                                                          r.get("text") or "")
                 for r in removed if isinstance(r, dict))
    if not items:
        return Markup('<section aria-labelledby="h-removed"><h2 id="h-removed">Removed page chrome</h2>'
                      '<p class="muted">Nothing was removed from this page.</p></section>')
    return Markup('<section class="removed" aria-labelledby="h-removed"><h2 id="h-removed">Removed page chrome '
                  '(not part of the article)</h2><ul>{}</ul></section>').format(items)


__all__ = ["article_body", "article_html", "speaker_line"]
