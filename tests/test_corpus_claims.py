"""Claims across articles: a fictional five-article story (an agency report on an anonymous source, a
reprint, a ministry unable to confirm, a family's denial, the ministry's later confirmation) ingested into
SQLite by the real pipeline, then read back through Corpus.claims/claim and the `claims` and `claim`
commands; and the corpus-level status rule on hand-made events."""
import json

import pytest
from click.testing import CliRunner

from onrecord.cli import main
from onrecord.corpus import Corpus, NotInStore
from onrecord.corpus.claims import Event, article_stance, corpus_status, status_history
from onrecord.schema import json_schema

PAGES = [  # url, published, outlet, title, paragraphs

 ("https://ostwire.example/rusk", "2031-05-02T08:00:00+00:00", "Ostland Wire Service",
  "Veldran diplomat Toma Rusk has defected, source says",
  ["LUSAKA (Ostland Wire Service) - Toma Rusk, a senior diplomat at Veldra's embassy in Lusaka, has defected and is now under the protection of Zambian authorities, a source familiar with the matter told the Ostland Wire Service on Friday.",
   "Rusk, who handled the embassy's trade files, left the compound with his wife and two children last week, the source said, speaking on condition of anonymity.",
   "Veldra's foreign ministry did not respond to a request for comment."]),
 ("https://capitalherald.example/rusk", "2031-05-02T11:00:00+00:00", "Capital Herald",
  "Diplomat Toma Rusk defects, wire reports",
  ["LUSAKA (Ostland Wire Service) - Toma Rusk, a senior diplomat at Veldra's embassy in Lusaka, has defected and is now under the protection of Zambian authorities, a source familiar with the matter told the Ostland Wire Service on Friday.",
   "Rusk, who handled the embassy's trade files, left the compound with his wife and two children last week, the source said, speaking on condition of anonymity.",
   "Veldra's foreign ministry did not respond to a request for comment."]),
 ("https://dailyledger.example/rusk-ministry", "2031-05-03T09:00:00+00:00", "Daily Ledger",
  "Zambia cannot confirm diplomat's defection",
  ["Zambia's Ministry of Home Affairs said on Saturday it was unable to confirm reports that Veldran diplomat Toma Rusk had defected.",
   "\"We are aware of the reports but we cannot confirm them at this stage,\" ministry spokeswoman Grace Mwila told reporters in Lusaka."]),
 ("https://morningpost.example/rusk-family", "2031-05-04T09:00:00+00:00", "Morning Post",
  "Family denies Veldran diplomat defected",
  ["The family of Veldran diplomat Toma Rusk on Sunday denied that he had defected, saying he was on leave in Lusaka with his wife and children.",
   "\"Toma has not defected. He is on holiday with his family and will return to work next week,\" his brother Anton Rusk said in a statement."]),
 ("https://dailyledger.example/rusk-confirmed", "2031-05-06T09:00:00+00:00", "Daily Ledger",
  "Zambia confirms Veldran diplomat defected",
  ["Zambia's Ministry of Home Affairs on Tuesday confirmed that Veldran diplomat Toma Rusk had defected and was under the protection of Zambian authorities.",
   "\"We can confirm that Mr Rusk and his family are under our protection,\" ministry spokeswoman Grace Mwila said."]),
]


def feed(path, order):
    records = [{"url": url, "published": published, "outlet": outlet,
                "text": title + "\n\n" + "\n\n".join(paragraphs) + "\n"}
               for url, published, outlet, title, paragraphs in (PAGES[i] for i in order)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("claims")
    with Corpus(folder / "corpus.db") as corpus:
        corpus.ingest([feed(folder / "feed.jsonl", range(len(PAGES)))])
        yield corpus


def defection(corpus):
    [record] = corpus.claims(search="Toma Rusk defected", limit=1)
    return record


def test_the_report_its_reprint_and_every_answer_are_one_claim(corpus):
    record = defection(corpus)
    outlets = {event.outlet for event in record.events}
    assert outlets == {"Ostland Wire Service", "Capital Herald", "Daily Ledger", "Morning Post"}
    assert {event.toward for event in record.events} >= {"assert", "unconfirmed", "deny", "confirm"}
    assert record.first_report.outlet == "Ostland Wire Service" and "has defected" in record.first_report.quote


def test_each_article_takes_a_stance_toward_the_claim(corpus):
    # the report and its reprint, the ministry unable to confirm: on someone's word; the family: only denials;
    # the ministry's confirmation, which nobody in that article denies: stated
    expected = ["unverified", "unverified", "unverified", "rejects", "states"]
    assert {take.url: take.stance for take in defection(corpus).articles} == \
        {url: stance for (url, *_), stance in zip(PAGES, expected)}


@pytest.mark.parametrize("tows,own,stance", [
    (["assert"], True, "states"), (["confirm"], False, "states"), (["assert", "deny"], False, "unverified"),
    (["confirm", "deny"], False, "unverified"), (["deny", "deny"], False, "rejects"),
    (["opinion", "directive"], False, "mentions"), (["unconfirmed"], False, "unverified")])
def test_an_article_s_stance_from_its_events(tows, own, stance):
    assert article_stance(tows, own) == stance


def test_a_reprint_adds_no_originator_and_keeps_the_claim_single_source_until_answered(corpus):
    record = defection(corpus)
    reprinted = [e for e in record.events if e.outlet == "Capital Herald"]
    assert reprinted and all(e.copy_of is not None for e in reprinted)
    assert record.status_as_of("2031-05-02") in ("single_source", "unconfirmed")
    assert "a source familiar with the matter" in record.originators
    assert sum("source" in name for name in record.originators) == 1


def test_the_status_history_follows_publication_dates_and_ends_disputed(corpus):
    record = defection(corpus)
    dates = [change.date for change in record.status_history]
    assert dates == sorted(dates)
    assert record.status_history[0].status == "single_source"
    assert record.status_as_of("2031-05-03") == "unconfirmed"
    assert record.status_as_of("2031-05-04") == "denied"
    assert record.status == "disputed"  # the family denies, the ministry confirms: different parties
    assert record.status_as_of("2031-05-01") is None


def test_as_of_cuts_the_timeline_at_that_day(corpus):
    record = defection(corpus)
    earlier = corpus.claim(record.id, as_of="2031-05-03")
    assert earlier.status == "unconfirmed" and all(e.date <= "2031-05-03" for e in earlier.events)
    assert len(earlier.events) < len(record.events)
    assert corpus.claim(record.id, as_of="2031-04-30").status == "unreported"


def test_the_same_pages_in_reverse_order_give_the_same_history(corpus, tmp_path):
    with Corpus(tmp_path / "reversed.db") as other:
        other.ingest([feed(tmp_path / "reversed.jsonl", reversed(range(len(PAGES))))])
        again = defection(other)
    record = defection(corpus)
    assert [(c.date, c.status) for c in again.status_history] == [(c.date, c.status) for c in record.status_history]


OWN_VOICE = ("https://harbourgazette.example/rusk", "2031-05-02T15:00:00+00:00", "Harbour Gazette",
             "Veldran diplomat Toma Rusk defects to Zambia",
             ["LUSAKA - Toma Rusk, a senior diplomat at Veldra's embassy in Lusaka, has defected and is under the "
              "protection of Zambian authorities.",
              "Rusk, who handled the embassy's trade files, left the compound with his wife and two children.",
              "Lusaka has taken in several Veldran exiles since 2029."])


def test_an_outlet_stating_the_claim_in_its_own_voice_is_an_originator(tmp_path, nlp):
    """The agency's report on an anonymous source, then another outlet's story that states the defection as
    fact, attributing it to nobody: the outlet's sentence is an event of the claim, in its own voice."""
    with Corpus(tmp_path / "voice.db") as voiced:
        voiced.ingest([feed(tmp_path / "feed.jsonl", [0])])
        assert defection(voiced).originators == ["a source familiar with the matter"]
        pages = tmp_path / "voice.jsonl"
        url, published, outlet, title, paragraphs = OWN_VOICE
        pages.write_text(json.dumps({"url": url, "published": published, "outlet": outlet,
                                     "text": title + "\n\n" + "\n\n".join(paragraphs) + "\n"}) + "\n")
        voiced.ingest([pages])
        record = defection(voiced)
        own = [e for e in record.events if e.outlet == "Harbour Gazette" and e.attribution is None]
        assert own and own[0].speaker == "Harbour Gazette" and own[0].speaker_type == "outlet"
        assert own[0].quote.startswith("LUSAKA - Toma Rusk") and own[0].toward == "assert"
        assert record.originators == ["a source familiar with the matter", "Harbour Gazette"]


def test_claims_of_a_story_and_recent_claims(corpus):
    record = defection(corpus)
    story = corpus.claims(limit=50)
    assert record.id in {r.id for r in story}
    first_article = record.events[0].article
    from onrecord.corpus import store
    from sqlalchemy import select
    with corpus.engine.connect() as connection:
        story_id = connection.execute(select(store.story_members.c.story_id)
                                      .where(store.story_members.c.article_id == first_article)).scalar_one()
    assert record.id in {r.id for r in corpus.claims(story=story_id)}


def test_failures_are_clear(corpus):
    with pytest.raises(NotInStore, match="no claim 9999"):
        corpus.claim(9999)
    with pytest.raises(NotInStore, match="no story 9999"):
        corpus.claims(story=9999)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        corpus.claims(as_of="last Tuesday")
    from onrecord.errors import OnrecordError
    with pytest.raises(OnrecordError, match="nothing to search"):
        corpus.claims(search="the of and")
    assert corpus.claims(search="volcanic eruption in Iceland") == []


def test_commands_print_timelines_json_and_clear_errors(corpus):
    db = str(corpus.engine.url.database)
    runner = CliRunner()
    found = runner.invoke(main, ["claims", "--db", db, "--search", "diplomat defected", "--json"])
    assert found.exit_code == 0, found.output
    [first, *_] = json.loads(found.output)
    assert first["schema"] == "onrecord.corpus/1" and first["events"]
    shown = runner.invoke(main, ["claim", str(first["id"]), "--db", db, "--as-of", "2031-05-03"])
    assert shown.exit_code == 0 and "unconfirmed" in shown.output and "Ostland" in shown.output
    assert "Articles: 3 unverified" in " ".join(shown.output.split())  # those of the day and before
    assert runner.invoke(main, ["claim", "9999", "--db", db]).exit_code == 10
    assert runner.invoke(main, ["claims", "--db", db, "--as-of", "May 3"]).exit_code == 2
    assert runner.invoke(main, ["claims", "--db", db, "--search", "x", "--story", "1"]).exit_code == 2
    assert runner.invoke(main, ["claims", "--db", db + ".missing"]).exit_code == 2


def test_the_claim_schema_describes_the_json(corpus):
    schema = json_schema("claim")
    record = defection(corpus).to_dict()
    assert set(schema["required"]) <= set(record) and set(record) <= set(schema["properties"])
    event = schema["$defs"]["ClaimEvent"]
    assert set(record["events"][0]) == set(event["properties"])


def event(number, day, party, stance, originator=None, kind="anonymous"):
    return Event(number, day, party, party, originator or party, kind, stance)


def test_a_party_s_later_answer_supersedes_its_own_earlier_one():
    events = [event(1, "2031-01-01", "wire / source", "assert"),
              event(2, "2031-01-02", "ministry", "unconfirmed"),
              event(3, "2031-01-05", "ministry", "confirm")]
    assert [(e.id, status) for e, status, _ in status_history(events)] == \
        [(1, "single_source"), (2, "unconfirmed"), (3, "confirmed")]


def test_different_parties_never_supersede_each_other():
    events = [event(1, "2031-01-01", "wire / source", "assert"), event(2, "2031-01-02", "family", "deny"),
              event(3, "2031-01-03", "ministry", "confirm")]
    assert corpus_status(events)[0] == "disputed"
    assert corpus_status(events[:2])[0] == "denied"  # an anonymous source denied: no named party disagrees
    named = [event(1, "2031-01-01", "minister", "assert", kind="person"), events[1]]
    assert corpus_status(named)[0] == "disputed"


def test_a_later_report_of_a_party_does_not_withdraw_its_denial():
    events = [event(1, "2031-01-01", "wire / source", "assert"), event(2, "2031-01-02", "family", "deny"),
              event(3, "2031-01-02", "family", "assert")]
    assert status_history(events)[-1][1] != "single_source"
    assert corpus_status(events[:1] + events[2:])[0] == "corroborated"  # two originators
