"""Rendering an Analysis: the terminal report, JSON, and an HTML page with attributions highlighted."""
from __future__ import annotations

import json
import textwrap
from collections import Counter

from .corpus.records import ClaimRecord, CopyLink, Story
from .records import Analysis, Attribution

STANCE_VERBS = {"assert": "asserts", "hedge": "hedges", "allege": "alleges", "deny": "denies",
                "confirm": "confirms", "unconfirmed": "unconfirmed", "opinion": "opinion",
                "directive": "directive", "commit": "commits"}


def to_json(analysis: Analysis, indent: int | None = 1) -> str:
    return json.dumps(analysis.to_dict(), ensure_ascii=False, indent=indent)


def paragraph_number(analysis: Analysis, offset: int) -> int:
    for number, paragraph in enumerate(analysis.article.paragraphs, 1):
        if paragraph.start <= offset < paragraph.end + 2:
            return number
    return 0


def to_text(analysis: Analysis, width: int = 110) -> str:
    """The readable terminal report: header, then each claim with its sources, chains and stances."""
    article = analysis.article
    lines = [article.title or "(no title)"]
    published = article.published
    display = [r.text for r in article.removed if "display date" in r.reason]
    if published.date:
        lines.append(f"  published   {published.date} ({published.evidence})")
    else:
        note = f'; the header date "{display[0]}" is the site\'s display date, not the story\'s' if display else ""
        lines.append(f"  published   unknown{note}")
    lines.append(f"  outlet      {article.outlet or 'not named on the page'}; byline {article.byline or 'none'}; "
                 f"wire {article.wire or 'none'}" + (f"; dateline {article.dateline}" if article.dateline else ""))
    reasons = Counter(r.reason for r in article.removed)
    summary = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common(5))
    lines.append(f"  cleaned     {len(article.paragraphs)} paragraphs kept; {len(article.removed)} lines of page "
                 f"chrome removed" + (f" ({summary})" if summary else ""))
    lines.append(f"  language    {article.language or 'unknown'}")
    for warning in analysis.warnings:
        lines.append(f"  warning     {warning}")
    by_id = {a.id: a for a in analysis.attributions}
    for number, claim in enumerate(analysis.claims, 1):
        lines.append("")
        head = f"CLAIM {number}  {claim.status.upper():<13} "
        lines.extend(textwrap.wrap(claim.summary, width=width, initial_indent=head,
                                   subsequent_indent=" " * len(head)) or [head])
        for attribution_id in claim.attributions:
            lines.extend(_attribution_lines(analysis, by_id[attribution_id], width))
        lines.append(f"  why: {claim.reason}")
    if article.times:
        lines.append("")
        shown = dict.fromkeys(f'"{t.text}"' + (f" = {t.value}" if t.value else "") for t in article.times)
        times = ", ".join(shown)
        anchored = any(t.value for t in article.times)
        lines.append(f"TIMES  {times}" + ("" if anchored else ": not resolved (no publication date)"))
    if not analysis.attributions and not analysis.warnings:
        lines.append("")
        lines.append("No attributions found.")
    return "\n".join(lines) + "\n"


def _attribution_lines(analysis: Analysis, attribution: Attribution, width: int) -> list[str]:
    speaker = attribution.speaker.name or "(unattributed)"
    entity = next((e for e in analysis.entities if e.id == attribution.speaker.entity), None)
    about = [x for x in ((entity.kind, entity.country) if entity else ()) if x]
    if entity and entity.titles:
        about.insert(0, entity.titles[0])
    if about:
        speaker += f" ({', '.join(about)})"
    if len(attribution.chain) > 1:
        speaker += ", citing " + ", ".join(link.name for link in attribution.chain[1:])
    content = attribution.content.text
    quote = f'"{content}"' if attribution.direct else content
    stance = STANCE_VERBS[attribution.stance]
    para = paragraph_number(analysis, attribution.cue.start)
    head = f"  {stance:<12} {speaker} [{attribution.cue.text}] "
    body = textwrap.wrap(f"{quote}  (para {para})", width=max(40, width - 16))
    out = [head.rstrip()]
    out += ["                 " + line for line in body]
    return out


def to_html(analysis: Analysis) -> str:
    """A standalone page: the web UI's article renderer (stance highlighting, speakers inline at each cue,
    chains, claims with status badges, removed chrome listed apart), without the server's links."""
    from .web.article import article_html
    return article_html(analysis.to_dict())


def stories_table(stories: list[Story]):
    """A terminal table of stories: id, size, dates and label."""
    from rich.table import Table
    table = Table("story", "articles", "first seen", "last seen", "label", title="Stories")
    for story in stories:
        table.add_row(str(story.id), str(story.size), _day(story.first_seen), _day(story.last_seen), story.label)
    return table


def story_table(story: Story):
    """A terminal table of one story's articles, earliest first, with the copies marked."""
    from rich.table import Table
    table = Table("article", "published", "outlet", "title", "similarity", "copy of",
                  title=f"Story {story.id}: {story.label} ({story.size} articles, {_day(story.first_seen)} to "
                        f"{_day(story.last_seen)})")
    for article in story.articles:
        table.add_row(str(article.id), _day(article.published), article.outlet or "", article.title or article.url,
                      "started it" if article.similarity is None else f"{article.similarity:.2f}",
                      str(article.copy_of or ""))
    return table


def copy_links_table(links: list[CopyLink]):
    """A terminal table of wire-copy links."""
    from rich.table import Table
    table = Table("copy", "original", "similarity", "containment", title="Wire copies")
    for link in links:
        table.add_row(f"{link.copy} {link.copy_url}", f"{link.original} {link.original_url}",
                      f"{link.similarity:.2f}", f"{link.containment:.2f}")
    return table


def claim_timeline(record: ClaimRecord):
    """A claim as a terminal timeline: status and why, originators, the articles' stances, then each statement
    in date order with the status changes it caused."""
    from collections import Counter

    from rich.table import Table
    as_of = f" as of {record.as_of}" if record.as_of else ""
    takes = Counter(take.stance for take in record.articles)
    articles = ", ".join(f"{count} {stance}" for stance, count in sorted(takes.items())) or "none"
    table = Table("date", "outlet", "speaker (on whose word)", "stance", "quote", "status",
                  title=f"Claim {record.id}: {record.text[:120]}",
                  caption=f"{record.status}{as_of}: {record.reason}. Originators: "
                          f"{', '.join(record.originators) or 'none'}. Articles: {articles}",
                  caption_justify="left")
    changes = {change.event: change.status for change in record.status_history}
    for event in record.events:
        chain = f" (on {' > '.join(event.chain[1:])})" if len(event.chain) > 1 else ""
        outlet = (event.outlet or "") + (f" (copy of {event.copy_of})" if event.copy_of else "")
        quote = event.quote if len(event.quote) <= 100 else event.quote[:99] + "…"
        stance = event.stance if event.toward == event.stance else f"{event.stance} ({event.toward}s it)"
        table.add_row(event.date, outlet, event.speaker + chain, stance, quote, changes.get(event.id, ""))
    return table


def _day(value: str | None) -> str:
    return (value or "")[:10]
