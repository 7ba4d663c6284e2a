"""The hand-written record of examples/stories/halvorsen-emissions-probe (issue 17's end-to-end example): its
nine pages ingested into a fresh store by the real pipeline, each expected claim found by searching its words,
and its copies, first report and status history compared with what a careful reader wrote. The exact
timelines are not yet reproduced: `test_every_timeline_is_exactly_the_hand_written_one` says why."""
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from onrecord.corpus import Corpus, store

STORY = Path(__file__).resolve().parent.parent / "examples" / "stories" / "halvorsen-emissions-probe"
EXPECTED = json.loads((STORY / "expected.json").read_text(encoding="utf-8"))
INVESTIGATION, ALLEGATION = EXPECTED["claims"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, nlp):
    with Corpus(tmp_path_factory.mktemp("story") / "story.db") as corpus:
        summary = corpus.ingest([STORY])
        assert summary.pages == len(EXPECTED["articles"]) and not summary.errors
        yield corpus


def files(corpus) -> dict[int, str]:
    with corpus.engine.connect() as connection:
        return {row.id: Path(row.url).name for row in connection.execute(select(store.articles.c.id,
                                                                                store.articles.c.url))}


def record_of(corpus, claim):
    [record] = corpus.claims(search=claim["claim"], limit=1)
    return record


def test_claims_linked_after_an_ingest_without_them_make_the_same_records(corpus, tmp_path):
    from tests.test_corpus_links import claim_records

    with Corpus(tmp_path / "later.db") as later:
        later.ingest([STORY], claims=False)
        assert later.count_claims() == 0
        assert later.link_claims(workers=2).linked == len(EXPECTED["articles"])
        assert claim_records(later) == claim_records(corpus)


def test_reprints_link_to_the_pages_they_copy(corpus):
    names = files(corpus)
    with corpus.engine.connect() as connection:
        copies = {names[row.id]: names[row.copy_of] for row in connection.execute(
            select(store.articles.c.id, store.articles.c.copy_of).where(store.articles.c.copy_of.is_not(None)))}
    assert copies == {a["file"]: a["copy_of"] for a in EXPECTED["articles"] if a["copy_of"]}


@pytest.mark.parametrize("claim", [INVESTIGATION, ALLEGATION], ids=["investigation", "allegation"])
def test_each_claim_s_first_report_is_the_hand_written_one(corpus, claim):
    first = record_of(corpus, claim).first_report
    expected = claim["first_report"]
    assert (first.date, first.outlet, Path(first.url).name) == (expected["date"], expected["outlet"], expected["file"])


def test_the_investigation_s_status_history_is_the_hand_written_one(corpus):
    record = record_of(corpus, INVESTIGATION)
    assert record.status == INVESTIGATION["status"]
    assert [(c.date, c.status, c.by) for c in record.status_history] == \
        [(c["date"], c["status"], c["by"]) for c in INVESTIGATION["status_history"]]
    assert record.status_as_of("2025-10-15") == "unconfirmed"  # the reprint of 10-15 changes nothing


def test_reprints_add_no_originator(corpus):
    record = record_of(corpus, INVESTIGATION)
    reprinted = {Path(e.url).name for e in record.events if e.copy_of is not None}
    assert {"02-coastal-times-halvorsen-probe.html", "03-fjord-post-halvorsen-probe.txt"} <= reprinted
    assert sum("source familiar" in name for name in record.originators) == 1


def event_keys(events) -> list[tuple]:
    return [(e["date"], e["file"], e["speaker"], e["stance"]) for e in events]


@pytest.mark.xfail(strict=True, reason="not yet reproduced: 06's denial and its own statements fall just short of "
                   "the in-story bar against the investigation (cosine 0.66-0.71, bar 0.72) and make a record of "
                   "their own; 07, a story of its own, has its denial matched through its headline to the "
                   "lawmaker's allegation; the chief executive's 'had not been contacted' is scored an assertion; "
                   "the spokeswoman's details (08, 09) make a record of their own")
def test_every_timeline_is_exactly_the_hand_written_one(corpus):
    for claim in EXPECTED["claims"]:
        record = record_of(corpus, claim)
        got = [{"date": e.date, "file": Path(e.url).name, "speaker": e.speaker, "stance": e.toward}
               for e in record.events]
        assert event_keys(got) == event_keys(claim["timeline"])
        assert record.status == claim["status"] and record.originators == claim["originators"]
