"""Claims: attributions that state or answer one proposition are grouped, and each group gets the status
the spec's rule derives, with a one-line reason.

Grouping follows the chain of custody (an outlet, the source it quotes and "the source" later are one
line of reporting) and the answer links (a denial joins the report it answers); the status counts each
line of reporting once, however many of its parties speak.
"""
from __future__ import annotations

import math
import re
from itertools import islice

from .records import Attribution, Claim

ANSWERS = ("deny", "confirm", "unconfirmed")
NAMED_PARTIES = ("person", "organization", "unnamed_official")
SUMMARY_WORDS = 30
CLOSING_MARKS = "\"”’')»"
OPENING_MARKS = "\"“‘'(«"
ABBREVIATION = re.compile(r"[A-Z][a-z]{0,3}\.|(?:[A-Za-z]\.)+")  # Mr., Gov., U.S., a.m.
PAIRING_WINDOW = 200  # reports before a report that it may join; PolNeAR's longest article has 99 attributions,
                      # so only a page of many articles is cut, and grouping stays linear in its length


def lineage(attribution: Attribution) -> set[str]:
    """The parties along an attribution's chain: entity ids, or names where a party has no entity;
    an impersonal cue ("it was reported") is a party of its own."""
    return {_party(attribution, link) for link in attribution.chain}


def _party(attribution: Attribution, link) -> str:
    if link.type == "unknown":
        return attribution.id
    return link.entity or link.name.lower()


def group_claims(attributions: list[Attribution], terms: list[set[str]] | None = None) -> list[Claim]:
    """Claims in order of first appearance, each with the status that the spec's rule gives.

    An answer joins the report it addresses. Reports of one line of reporting join when one runs on from
    the other with no other report between them and their contents share a word ("the official defected"
    ... "the official had disappeared"), or when the line returns after other parties to much the same
    content, negated as it was ("the guest will not attend" does not return to "she was invited"); a party's
    next point, after others have spoken, is a claim of its own. Reports of different parties join when they
    state much the same thing, or one restates the other's shorter report (corroboration). Pairs are sought
    among the `PAIRING_WINDOW` reports before each. A union that would put a confirmed report and a denied
    one in one claim is refused: they are two propositions."""
    terms = terms if terms is not None else [set() for _ in attributions]
    weights = _term_weights(terms)
    parent = list(range(len(attributions)))
    answered = [{a.stance} if a.stance in ("deny", "confirm") else set() for a in attributions]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a == b or answered[a] | answered[b] >= {"deny", "confirm"}:
            return
        parent[max(a, b)] = min(a, b)
        answered[min(a, b)] |= answered[max(a, b)]

    index = {a.id: i for i, a in enumerate(attributions)}
    for i, attribution in enumerate(attributions):
        if attribution.addresses in index:
            union(i, index[attribution.addresses])
    reports = [i for i, a in enumerate(attributions) if a.stance not in ANSWERS]
    lines = [lineage(a) for a in attributions]
    pairs = []
    for position, i in enumerate(reports):
        for j in reports[max(0, position - PAIRING_WINDOW):position]:
            if lines[i] & lines[j]:
                similarity = _containment(terms[i], terms[j], weights)
                runs_on = j == reports[position - 1] and (similarity > 0 or not terms[i] or not terms[j])
                returns = similarity >= RETURN and _negated(attributions[i]) == _negated(attributions[j])
                if runs_on or returns:
                    pairs.append((True, similarity, j, i))
            elif attributions[i].stance in FACTUAL and attributions[j].stance in FACTUAL and \
                    len(terms[i] & terms[j]) >= 2:
                similarity = _overlap(terms[i], terms[j], weights)
                restated = _negated(attributions[i]) == _negated(attributions[j]) and \
                    _containment(terms[i], terms[j], weights) >= RESTATED
                if similarity >= CORROBORATION or restated:
                    pairs.append((False, similarity, j, i))
    for _, _, j, i in sorted(pairs, reverse=True):
        union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(attributions)):
        groups.setdefault(find(i), []).append(i)
    claims = []
    for number, members in enumerate(sorted(groups.values(), key=lambda m: m[0]), 1):
        items = [attributions[i] for i in members]
        status, reason = claim_status(items)
        claims.append(Claim(f"c{number}", _summary(items), [a.id for a in items], status, reason))
    return claims


CORROBORATION = 0.45
RESTATED = 0.75  # another party's short report that a longer one all but contains corroborates it ("the navy
                 # diverted a warship" within "the navy diverted a warship and a patrol aircraft to the tanker")
RETURN = 0.3  # a line of reporting that others interrupted rejoins its claim only when it clearly repeats it
FACTUAL = ("assert", "hedge", "allege")  # an opinion or an appeal does not corroborate a report


NEGATION = re.compile(r"\b(?:not|no|never|nor)\b|n[’']t\b", re.IGNORECASE)


def _negated(attribution: Attribution) -> bool:
    """Whether a content carries a negation: 'had not paid a ransom' does not restate a threat to publish
    unless a ransom is paid, however many of its words that threat holds."""
    return bool(NEGATION.search(attribution.content.text))


def _term_weights(terms: list[set[str]]) -> dict[str, float]:
    """Inverse document frequency over the article's attributions: 'cattle' in two of them weighs more
    than 'North Korea' in eight."""
    n = len(terms)
    counts: dict[str, int] = {}
    for words in terms:
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    return {word: math.log((n + 1) / count) for word, count in counts.items()}


def _containment(a: set[str], b: set[str], weights: dict[str, float]) -> float:
    """Weighted overlap of two contents, relative to the smaller one: how far one party's shorter statement
    repeats its longer one."""
    if not a or not b:
        return 0.0
    shared = sum(weights[w] for w in a & b)
    smaller = min(sum(weights[w] for w in a), sum(weights[w] for w in b))
    return shared / smaller if smaller else 0.0


def _overlap(a: set[str], b: set[str], weights: dict[str, float]) -> float:
    """Weighted overlap of two contents, relative to their mean size: two parties state much the same thing
    only when neither says much else ("had not paid a ransom" is not corroborated by a threat to publish
    the data unless a ransom is paid)."""
    if not a or not b:
        return 0.0
    shared = sum(weights[w] for w in a & b)
    mean = (sum(weights[w] for w in a) + sum(weights[w] for w in b)) / 2
    return shared / mean if mean else 0.0


def claim_status(items: list[Attribution]) -> tuple[str, str]:
    """The spec's rule, first match wins; 'reports' are attributions that neither deny, confirm nor
    decline to confirm, and a report's originator is the last link of its chain, counted once per
    independent line of reporting."""
    stances = {a.stance for a in items}
    reports = [a for a in items if a.stance not in ANSWERS]
    originators = independent_originators(reports)
    origin_types = {a.chain[-1].type for a in reports}
    reported = _reported_by(reports)
    deniers = _names(a for a in items if a.stance == "deny")
    confirmers = _names(a for a in items if a.stance == "confirm")
    refusers = _names(a for a in items if a.stance == "unconfirmed")
    if "confirm" in stances and "deny" in stances:
        return "disputed", f"confirmed by {confirmers} but denied by {deniers}"
    if "deny" in stances and origin_types & set(NAMED_PARTIES):
        return "disputed", f"{reported}; denied by {deniers}"
    if "deny" in stances:
        return "denied", f"{reported}; denied by {deniers}" if reports else f"denied by {deniers}"
    if "confirm" in stances:
        return "confirmed", f"{reported}; confirmed by {confirmers}" if reports else f"confirmed by {confirmers}"
    if "unconfirmed" in stances:
        return "unconfirmed", (f"{reported}; " if reports else "") + f"{refusers} could not or would not confirm"
    if len(originators) >= 2:
        return "corroborated", f"{reported}: {len(originators)} independent originators"
    if len(originators) == 1:
        return "single_source", reported
    return "asserted", "no attribution: the outlet's own statement"


def independent_originators(reports: list[Attribution]) -> list[str]:
    """One originator per independent line of reporting: reports whose chains share a party are one line
    (two outlets citing one source; a briefer, the video of the briefing and the caller the briefer
    describes), so one party is never counted twice, however often or through whomever it speaks. Parties
    of one name are one party, since a reader cannot tell two "revised figures" apart; and a report told
    inside another's content is carried by that speaker ("the data showed inflation fell, raising
    speculation that rates will be cut" has one originator)."""
    owner: dict[str, str] = {}

    def find(party: str) -> str:
        while owner[party] != party:
            owner[party] = owner[owner[party]]
            party = owner[party]
        return party

    def join(party: str, other: str) -> None:
        owner.setdefault(party, party)
        owner.setdefault(other, other)
        owner[find(party)] = find(other)

    origins = []
    for attribution in reports:
        parties = [_party(attribution, link) for link in attribution.chain]
        for party, link in zip(parties, attribution.chain):
            join(party, party if link.type == "unknown" else link.name.lower())
        for party in parties[1:]:
            join(party, parties[0])
        origins.append(parties[-1])
    for inner, carrier in _relayed(reports):
        join(_party(inner, inner.chain[0]), _party(carrier, carrier.chain[0]))
    lines = {}
    for origin in origins:
        lines.setdefault(find(origin), origin)
    return list(lines.values())


def _relayed(reports: list[Attribution]):
    """(inner, carrier) pairs where a report's cue and content lie within a longer report's content: the
    carrier relays it, as a speaker relays whom it quotes. One sweep in order of content start, each report
    tried against the earlier content that reaches furthest, so a transcript of thousands stays linear."""
    reaching = None
    for report in sorted(reports, key=lambda a: (a.content.start, -a.content.end)):
        if reaching is not None and _told_inside(report, reaching):
            yield report, reaching
        if reaching is None or report.content.end > reaching.content.end:
            reaching = report


def _told_inside(inner: Attribution, carrier: Attribution) -> bool:
    """A relayed report has a cue of its own inside the carrier's content ('said X and Y' shares its cue)."""
    start, end = carrier.content.start, carrier.content.end
    within = start <= min(inner.cue.start, inner.content.start) and max(inner.cue.end, inner.content.end) <= end
    return within and inner.cue.start != carrier.cue.start and inner.content.end - inner.content.start < end - start


def _reported_by(reports: list[Attribution]) -> str:
    """'reported by Yonhap on an anonymous source': each distinct chain, less those a longer one covers."""
    if not reports:
        return "no report"
    chains = list(dict.fromkeys(tuple(link.name for link in attribution.chain) for attribution in reports))
    parties = [set(chain) for chain in chains]
    kept = (c for c, own in zip(chains, parties) if not any(own < other for other in parties))
    texts = [c[0] + (f" on {', '.join(c[1:])}" if len(c) > 1 else "") for c in islice(kept, 4)]
    return "reported by " + "; ".join(texts[:3]) + (" and others" if len(texts) > 3 else "")


def _names(attributions) -> str:
    names = dict.fromkeys(attribution.speaker.name or "an unnamed source" for attribution in attributions)
    return ", ".join(names) or "nobody"


def _summary(items: list[Attribution]) -> str:
    """The lead report's content: its first sentence when that is short enough, else its first words, with
    any quotation the cut leaves open closed, so a summary never ends mid-quote."""
    lead = next((a for a in items if a.stance not in ANSWERS), items[0])
    words = lead.content.text.split()
    for count, word in enumerate(words[:SUMMARY_WORDS], 1):
        if count < len(words) and _ends_sentence(word, words[count]):
            return _close_quotes(" ".join(words[:count]))
    if len(words) <= SUMMARY_WORDS:
        return _close_quotes(" ".join(words))
    return _close_quotes(" ".join(words[:SUMMARY_WORDS]).rstrip(",;:—–-")) + " ..."


def _ends_sentence(word: str, following: str) -> bool:
    """'close.' before 'Workers', not 'Mr.' before 'Bush' nor 'U.S.' before 'officials'."""
    core = word.rstrip(CLOSING_MARKS)
    return core.endswith((".", "!", "?")) and not ABBREVIATION.fullmatch(core) and \
        (following[:1].isupper() or following[:1] in OPENING_MARKS)


def _close_quotes(text: str) -> str:
    """The text with an unclosed quotation closed: curly marks by count, straight ones by parity."""
    if text.count("“") > text.count("”"):
        return text + "”"
    if text.count('"') % 2:
        return text + '"'
    return text
