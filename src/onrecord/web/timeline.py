"""A claim's timeline drawn server-side as inline SVG: x is the date, one row per event, its mark's shape and
colour the event's stance toward the claim, labelled with speaker and outlet, each mark a link to the
attribution in its article; under the axis, the claim's status band from each status change to the next."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from markupsafe import Markup, escape

from .page import STANCE_COLOURS, STATUS_WORDS, join

WIDTH, ROW, TOP, LEFT, RIGHT = 760, 24, 30, 16, 16
STATUS_FILL = {"asserted": "#e9ecef", "single_source": "#fff3bf", "corroborated": "#d0ebff", "confirmed": "#d3f9d8",
               "unconfirmed": "#ffe8cc", "denied": "#ffe3e3", "disputed": "#f3d9fa"}
SHAPES = {"assert": "circle", "confirm": "triangle", "deny": "cross", "unconfirmed": "diamond"}


def mark(toward: str, x: float, y: float, hollow: bool = False) -> Markup:
    """The mark of a stance toward a claim: assert a circle, confirm a triangle, deny a cross, unconfirmed a
    diamond, any other stance a square; a wire copy's mark is hollow."""
    colour = STANCE_COLOURS.get(toward, "#555")
    fill = "#fff" if hollow else colour
    shape = SHAPES.get(toward, "square")
    if shape == "circle":
        return Markup('<circle cx="{:.1f}" cy="{:.1f}" r="6" fill="{}" stroke="{}" stroke-width="2"/>').format(
            x, y, fill, colour)
    if shape == "triangle":
        return Markup('<path d="M{:.1f} {:.1f}l7 12h-14z" fill="{}" stroke="{}" stroke-width="2"/>').format(
            x, y - 7, fill, colour)
    if shape == "diamond":
        return Markup('<path d="M{:.1f} {:.1f}l7 7l-7 7l-7-7z" fill="{}" stroke="{}" stroke-width="2"/>').format(
            x, y - 7, fill, colour)
    if shape == "cross":
        return Markup('<path d="M{0:.1f} {1:.1f}l12 12m0-12l-12 12" stroke="{2}" stroke-width="{3}"/>').format(
            x - 6, y - 6, colour, 2.5 if hollow else 4)
    return Markup('<rect x="{:.1f}" y="{:.1f}" width="12" height="12" fill="{}" stroke="{}" stroke-width="2"/>').format(
        x - 6, y - 6, fill, colour)


def legend() -> Markup:
    """What the marks mean, in words beside each shape."""
    entries = [("assert", "reports it"), ("confirm", "confirms"), ("deny", "denies"),
               ("unconfirmed", "cannot or will not confirm"), ("opinion", "other stance")]
    items = [Markup('<li><svg width="16" height="16" aria-hidden="true">{}</svg> {}</li>').format(
        mark(stance, 8, 8), words) for stance, words in entries]
    items.append(Markup('<li><svg width="16" height="16" aria-hidden="true">{}</svg> hollow: a wire copy</li>').format(
        mark("assert", 8, 8, hollow=True)))
    return Markup('<ul class="legend" aria-label="Timeline marks">{}</ul>').format(join(items))


def _ordinal(value: str | None) -> int | None:
    try:
        return date.fromisoformat((value or "")[:10]).toordinal()
    except ValueError:
        return None


def timeline_svg(record, href: Callable[[object], str], caption: str = "") -> Markup:
    """The SVG of a ClaimRecord's events; `href(event)` gives each mark's link (/articles/ID#a3)."""
    events = list(record.events)
    if not events:
        return Markup('<p class="muted">No events yet.</p>')
    days = [d for d in (_ordinal(e.date) for e in events) if d is not None]
    changes = [(c, _ordinal(c.date)) for c in record.status_history if _ordinal(c.date) is not None]
    days += [d for _, d in changes]
    first, last = min(days), max(days)
    span = max(last - first, 1)
    plot = WIDTH - LEFT - RIGHT - 110  # room after the last day for its status

    def x_of(ordinal: int | None) -> float:
        if ordinal is None:
            return LEFT
        if last == first:
            return LEFT + plot / 2
        return LEFT + plot * (ordinal - first) / span

    height = TOP + ROW * len(events) + 52
    axis_y = TOP + ROW * len(events) + 4
    parts = []
    ticks, placed = sorted(set(days)), []
    for tick in ticks:  # a label per day with an event, skipping any that would touch the previous one
        x = x_of(tick)
        parts.append(Markup('<line x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2}" stroke="#ddd"/>').format(
            x, TOP - 8, axis_y))
        if placed and x - placed[-1] < 74:
            continue
        placed.append(x)
        anchor = "start" if x < LEFT + 40 else "middle"
        parts.append(Markup('<text x="{:.1f}" y="14" text-anchor="{}" fill="#333">{}</text>').format(
            x, anchor, date.fromordinal(tick).isoformat()))
    for row, event in enumerate(events):
        y = TOP + ROW * row + ROW / 2 - 4
        x = x_of(_ordinal(event.date))
        right_side = x < LEFT + plot * 0.55
        copy = f" (copy of article {event.copy_of})" if event.copy_of else ""
        label = f"{event.speaker} · {event.outlet or 'unknown outlet'}{copy}"
        words = f"{event.date}: {event.speaker} ({event.toward}) in {event.outlet or 'unknown outlet'}{copy}"
        text_x = x + 12 if right_side else x - 12
        width = min(len(label) * 6.4 + 28, WIDTH)
        box_x = x - 10 if right_side else x - width + 10
        parts.append(Markup(
            '<a href="{href}" aria-label="{words}"><title>{words}</title>'
            '<rect class="hit" x="{bx:.1f}" y="{by:.1f}" width="{bw:.1f}" height="{bh}" rx="3" fill="transparent"/>'
            '{mark}<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" fill="#1b1b1b">{label}</text></a>').format(
            href=href(event), words=words, bx=box_x, by=y - ROW / 2 + 1, bw=width, bh=ROW - 2,
            mark=mark(event.toward, x, y, hollow=bool(event.copy_of)), tx=text_x, ty=y + 4,
            anchor="start" if right_side else "end", label=label))
    parts.append(Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888"/>').format(
        LEFT, axis_y, WIDTH - RIGHT, axis_y))
    band = _status_band(changes, x_of, axis_y + 8, WIDTH - RIGHT)
    svg = Markup('<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
                 'role="group" aria-label="{caption}">{parts}{band}</svg>').format(
        w=WIDTH, h=height, caption=caption or "Timeline of the claim", parts=join(parts), band=band)
    return Markup('<figure class="tl">{}</figure>').format(svg)


def _status_band(changes, x_of, y: float, end: float) -> Markup:
    """The status from each change to the next as a coloured strip with the status word in it; on a day with
    several changes, the last of them."""
    by_day: dict[int, object] = {}
    for change, ordinal in changes:
        by_day[ordinal] = change
    days = sorted(by_day)
    parts = []
    for number, ordinal in enumerate(days):
        change = by_day[ordinal]
        x0 = x_of(ordinal)
        x1 = x_of(days[number + 1]) if number + 1 < len(days) else end
        if x1 - x0 < 4:
            x1 = x0 + 4
        word = STATUS_WORDS.get(change.status, change.status)
        parts.append(Markup('<g><title>{date}: {word} ({reason})</title><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                            'height="18" fill="{fill}" stroke="#666" stroke-width=".5"/>'
                            '<text x="{tx:.1f}" y="{ty:.1f}" fill="#1b1b1b">{shown}</text></g>').format(
            date=change.date, word=word, reason=change.reason, x=x0, y=y, w=x1 - x0,
            fill=STATUS_FILL.get(change.status, "#fff"), tx=x0 + 4, ty=y + 13,
            shown=word if x1 - x0 > len(word) * 6.5 + 6 else ""))
    return join(parts) if parts else escape("")
