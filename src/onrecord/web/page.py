"""The shared frame of every page: one inline stylesheet, the layout, status badges and the escaping helpers.

Everything shown is escaped: markup is built with `markupsafe.Markup.format`, which escapes each argument, and
the only hrefs are the pages' own relative links or stored URLs that start with http:// or https://."""
from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

STATUSES = ("asserted", "single_source", "corroborated", "confirmed", "unconfirmed", "denied", "disputed",
            "unreported")
STATUS_WORDS = {"single_source": "single source"}

# Stance of an attribution in its article, and of an event toward a claim: colour and mark for each.
STANCES = ("assert", "hedge", "allege", "deny", "confirm", "unconfirmed", "opinion", "directive", "commit")
STANCE_COLOURS = {"assert": "#1c64b8", "hedge": "#0b7a75", "allege": "#a6530b", "deny": "#c92a2a",
                  "confirm": "#237032", "unconfirmed": "#8a5a00", "opinion": "#7048e8", "directive": "#c2255c",
                  "commit": "#0c7c9c"}

CSS = """
:root{--ink:#1b1b1b;--muted:#555;--line:#d0d0d0;--link:#0b4fa8;--focus:#ff8c00;--bg:#fff}
*{box-sizing:border-box}
body{margin:0;color:var(--ink);background:var(--bg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
svg a:focus{outline:none}
svg a:focus .hit,svg a:hover .hit{fill:#fff4e0;stroke:var(--focus);stroke-width:2}
.skip{position:absolute;left:-999px}.skip:focus{left:.5em;top:.5em;background:#fff;padding:.3em .6em;z-index:9}
header.top{border-bottom:1px solid var(--line);padding:.5em 1em;display:flex;flex-wrap:wrap;gap:.5em 1.2em;align-items:center}
header.top .brand{font-weight:700;text-decoration:none;color:var(--ink)}
header.top nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3em 1em}
header.top form{margin-left:auto;flex:0 1 26em;flex-wrap:nowrap}
main{max-width:60em;margin:0 auto;padding:1em}
h1{font-size:1.6em;line-height:1.25;margin:.4em 0}
h2{font-size:1.25em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line)}
h3{font-size:1.05em;margin:1em 0 .3em}
.meta,.muted{color:var(--muted);font-size:.92em}
form.search{display:flex;flex-wrap:wrap;gap:.4em;align-items:center}
form.search input[type=search],form.search input[type=date]{font:inherit;padding:.35em .5em;border:1px solid #888;border-radius:4px;min-width:0}
form.search input[type=search]{flex:1 1 14em}
button{font:inherit;padding:.35em .9em;border:1px solid #333;border-radius:4px;background:#f3f3f3;cursor:pointer}
.badge{display:inline-block;font-size:.8em;font-weight:600;line-height:1.3;padding:.05em .45em;border-radius:3px;border:1px solid;white-space:nowrap;vertical-align:baseline}
.st-asserted{background:#e9ecef;border-color:#495057;color:#212529}
.st-single_source{background:#fff3bf;border-color:#946c00;color:#3d2c00}
.st-corroborated{background:#d0ebff;border-color:#1864ab;color:#0b2e55}
.st-confirmed{background:#d3f9d8;border-color:#2b8a3e;color:#0f3d19}
.st-unconfirmed{background:#ffe8cc;border-color:#d9480f;color:#5c1d00}
.st-denied{background:#ffe3e3;border-color:#c92a2a;color:#5c0a0a}
.st-disputed{background:#f3d9fa;border-color:#862e9c;color:#3b0a47}
.st-unreported{background:#fff;border-color:#868e96;border-style:dashed;color:#495057}
ul.results,ul.plain,ol.plain{list-style:none;padding:0;margin:0}
ul.results>li{padding:.6em 0;border-bottom:1px solid #eee}
ul.inline{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3em 1em}
ul.copies{list-style:none;margin:.2em 0 0 1.2em;padding:0 0 0 .8em;border-left:3px solid var(--line)}
.claim{border:1px solid var(--line);border-radius:6px;padding:.6em .8em;margin:1em 0}
.claim>p{margin:.3em 0}
.tl{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid #eee;border-radius:4px;margin:.5em 0}
.tl svg{display:block;font:12px system-ui,sans-serif}
.legend{display:flex;flex-wrap:wrap;gap:.2em 1em;font-size:.85em;margin:.3em 0;padding:0;list-style:none}
.legend svg{vertical-align:middle}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{text-align:left;vertical-align:top;padding:.35em .5em;border-bottom:1px solid #e4e4e4}
.scroll{overflow-x:auto}
.pager{display:flex;gap:1em;margin:.8em 0}
article.text{font:17px/2.1 Georgia,"Times New Roman",serif;max-width:42em}
article.text p{margin:0 0 1em}
.att:target{outline:3px solid var(--focus);outline-offset:3px;border-radius:2px}
.content{background:color-mix(in srgb,var(--c) 12%,transparent);border-bottom:2px solid var(--c);box-decoration-break:clone;-webkit-box-decoration-break:clone}
.content.h1{padding-bottom:4px}.content.h2{padding-bottom:8px}.content.h3{padding-bottom:12px}
.s-unknown{--c:#555}
.speaker{border-bottom:2px dotted var(--c);font-style:italic}
.cue{font-weight:700;color:var(--c);text-decoration:underline;text-decoration-thickness:2px}
.who{display:inline-block;max-width:100%;font:600 12px/1.3 system-ui,sans-serif;color:#fff;background:var(--c);border-radius:3px;padding:.05em .35em;margin:0 .2em;white-space:normal;vertical-align:.15em}
.who a{color:#fff}
""" + "".join(f".s-{stance}{{--c:{colour}}}\n" for stance, colour in STANCE_COLOURS.items()) + """
.removed li{margin:.3em 0}.removed q{color:var(--muted)}
@media (max-width:40em){body{font-size:15px}main{padding:.6em}header.top form{margin-left:0;flex:1 1 100%}
article.text{font-size:16px}th,td{padding:.3em}
table.stack thead{position:absolute;left:-999px}table.stack tr{display:block;border-bottom:1px solid var(--line);padding:.3em 0}
table.stack td{display:block;border:0;padding:.1em 0}table.stack td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}}
@media print{header.top,.skip{display:none}}
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")


def status_badge(status: str | None) -> Markup:
    """The status as a word in a coloured box: the colour is never the only sign."""
    status = status or "unreported"
    known = status if status in STATUSES else "unreported"
    return Markup('<span class="badge st-{}">{}</span>').format(known, STATUS_WORDS.get(status, status))


def outside_href(url: str | None) -> str | None:
    """A stored URL fit for an href: only http(s) URLs; anything else (javascript:, data:...) is not linked."""
    if url and url.strip().lower().startswith(("http://", "https://")) and not any(c in url for c in "\r\n\t "):
        return url.strip()
    return None


def outside_link(url: str | None, text: str | None = None) -> Markup:
    """A link to a stored URL when it is http(s), else the URL as plain text."""
    href = outside_href(url)
    if href is None:
        return escape(text or url or "")
    return Markup('<a href="{}" rel="noopener noreferrer nofollow">{}</a>').format(href, text or url)


def join(parts: Iterable) -> Markup:
    return Markup("").join(escape(part) for part in parts)


def day(value: str | None) -> str:
    return (value or "")[:10] or "undated"


def search_form(query: str = "", compact: bool = False) -> Markup:
    label_class = "skip" if compact else ""
    return Markup(
        '<form class="search" role="search" action="/search" method="get">'
        '<label for="q{compact}" class="{label_class}">Search claims and articles</label> '
        '<input type="search" id="q{compact}" name="q" value="{query}" placeholder="e.g. did the diplomat defect" '
        'maxlength="500"> <button type="submit">Search</button></form>').format(
        compact="-top" if compact else "", label_class=label_class, query=query)


def layout(title: str, body: Markup, nav: Iterable[tuple[str, str]] = (), search: bool = True,
           header: bool = True) -> str:
    """A whole page: title, the header (home, nav links, a compact search box; none for a standalone page that
    no server serves), the body."""
    links = join(Markup('<li><a href="{}">{}</a></li>').format(href, label) for href, label in nav)
    header_search = search_form(compact=True) if search else Markup("")
    top = (Markup('<header class="top"><a class="brand" href="/">onrecord</a><nav aria-label="Page"><ul>{}</ul>'
                  '</nav>{}</header>\n').format(links, header_search) if header else Markup(""))
    return str(Markup(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">'
        '<title>{title} - onrecord</title><style>{css}</style></head>\n<body>'
        '<a class="skip" href="#main">Skip to content</a>'
        '{top}<main id="main" tabindex="-1">{body}</main></body></html>\n').format(
        csp=CSP.replace("; frame-ancestors 'none'", ""), title=title, css=Markup(CSS), top=top, body=body))


def error_page(status: int, message: str) -> str:
    heading = {400: "Bad request", 404: "Not found", 503: "Unavailable"}.get(status, "Error")
    body = Markup('<h1>{} ({})</h1><p>{}</p><p><a href="/">Back to the start page</a></p>{}').format(
        heading, status, message, search_form())
    return layout(heading, body, search=False)
