"""Wire copies and stories found at ingest, stored with the pages, and read back through the Python API and
the `stories` and `copies` commands. Pages are fictional: a wire story, two outlets' reprints of it (one
trimmed and retitled, one with a local paragraph), another outlet's own report of the same event, and an
unrelated story; analysed by the real pipeline on SQLite."""
import json
import random

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from onrecord.cli import main
from onrecord.corpus import Corpus, NotInStore, store
from onrecord.corpus import ingest as ingest_module
from onrecord.corpus.records import CORPUS_SCHEMA_VERSION
from onrecord.evaluation.dask_bench import fictional_pages, write_warc
from onrecord.schema import json_schema

WIRE = ("Storm surge floods Velmora harbour district",
        ["VELMORA (NWA) - A storm surge driven by gale-force winds flooded the harbour district of Velmora on "
         "Tuesday night, forcing the evacuation of more than two hundred homes along the Quay Road, the city's "
         "emergency office said.",
         "Harbour master Oskar Lindqvist said the sea wall near the old customs house had been overtopped for "
         "nearly three hours and that two fishing boats had sunk at their moorings.",
         "\"We have not seen water this high since the winter of 1987,\" Lindqvist told the Northwind Wire "
         "Agency, adding that pumping crews from three neighbouring towns were on their way.",
         "Mayor Helena Varga said temporary shelters had been opened in the Saint Brigid school and the sports "
         "hall, and that the district would stay closed to traffic until engineers had inspected the quays.",
         "The national weather service warned that a second, weaker surge could reach the coast on Thursday "
         "morning and asked residents of low-lying streets to keep their sandbags in place."])
TRIMMED = ("Velmora harbour flooded; homes evacuated", WIRE[1][:4])
LOCAL = ("Flooding in Velmora: what it means for Brask ferry passengers",
         WIRE[1] + ["Ferries from Brask to Velmora were cancelled on Wednesday, the Brask ferry company said, and "
                    "passengers with tickets for the rest of the week can ask for a full refund at the terminal."])
OWN_REPORT = ("Velmora counts the cost after the night the sea came in",
              ["Residents of Velmora's harbour district returned on Wednesday to mud-filled kitchens and ruined "
               "shops, a day after a storm surge overtopped the sea wall by the old customs house.",
               "Mayor Helena Varga, visiting the Quay Road, told reporters the city would ask the government for "
               "emergency funds. Harbour master Oskar Lindqvist estimated that repairs to the quays alone would "
               "take months.",
               "Shopkeeper Ana Petrov said her bakery had lost every oven. \"The water came through the door in "
               "minutes,\" she said."])
ELSEWHERE = ("Kessland re-elects governor Dorin Vasko in tight race",
             ["Voters in Kessland re-elected governor Dorin Vasko by fewer than four thousand votes on Sunday, the "
              "electoral commission said, after a count that ran past midnight in the northern provinces.",
              "His challenger, former finance minister Mirela Stan, conceded on Monday morning and said she would "
              "lead the opposition in the provincial assembly.",
              "Turnout reached a record for a Kessland governorship ballot, the commission said."])

PAGES = [  # url, page, published, outlet
    ("https://nwa.example/velmora-surge", WIRE, "2031-03-04T22:10:00+00:00", "Northwind Wire Agency"),
    ("https://coastpost.example/velmora", TRIMMED, "2031-03-05T06:00:00+00:00", "Coast Post"),
    ("https://braskdaily.example/ferries", LOCAL, "2031-03-05T07:30:00+00:00", "Brask Daily"),
    ("https://velmoraherald.example/cost", OWN_REPORT, "2031-03-05T18:00:00+00:00", "Velmora Herald"),
    ("https://kesslandtimes.example/vote", ELSEWHERE, "2031-03-06T09:00:00+00:00", "Kessland Times"),
]


def feed(path, order):
    records = []
    for index in order:
        url, (title, paragraphs), published, outlet = PAGES[index]
        records.append({"url": url, "text": title + "\n\n" + "\n\n".join(paragraphs) + "\n",
                        "published": published, "outlet": outlet})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def links(corpus):
    """(copy URL -> original URL, set of stories as frozensets of URLs): what must not depend on order."""
    with corpus.engine.connect() as connection:
        urls = {row.id: row.url for row in connection.execute(select(store.articles.c.id, store.articles.c.url))}
        copies = {urls[a]: urls[o] for a, o in connection.execute(
            select(store.articles.c.id, store.articles.c.copy_of).where(store.articles.c.copy_of.is_not(None)))}
        groups = {}
        for story_id, article_id in connection.execute(select(store.story_members.c.story_id,
                                                              store.story_members.c.article_id)):
            groups.setdefault(story_id, set()).add(urls[article_id])
    return copies, {frozenset(group) for group in groups.values()}


@pytest.fixture
def ingested(tmp_path, nlp):
    with Corpus(tmp_path / "corpus.db") as corpus:
        corpus.ingest([feed(tmp_path / "feed.jsonl", range(len(PAGES)))])
        yield corpus


def test_reprints_link_to_the_wire_page_and_one_story_holds_the_event(ingested):
    copies, stories = links(ingested)
    wire = PAGES[0][0]
    assert copies == {PAGES[1][0]: wire, PAGES[2][0]: wire}  # the outlet's own report is no copy
    assert stories == {frozenset(url for url, *_ in PAGES[:4]), frozenset({PAGES[4][0]})}
    [trimmed] = ingested.copies(article_id=2)
    assert trimmed.containment >= 0.9 and trimmed.similarity < 1.0


def test_the_same_pages_in_another_order_give_the_same_copies_and_stories(ingested, tmp_path):
    with Corpus(tmp_path / "reversed.db") as other:
        other.ingest([feed(tmp_path / "reversed.jsonl", [4, 3, 2, 1, 0])])
        assert links(other) == links(ingested)


def claim_records(corpus):
    """Each claim record as (its events by URL and attribution, its status)."""
    with corpus.engine.connect() as connection:
        urls = {row.id: row.url for row in connection.execute(select(store.articles.c.id, store.articles.c.url))}
        events = {}
        for row in connection.execute(select(store.claim_events.c.claim_id, store.claim_events.c.article_id,
                                             store.claim_events.c.attribution)):
            events.setdefault(row.claim_id, set()).add((urls[row.article_id], row.attribution))
        status = {row.id: row.status for row in connection.execute(select(store.claim_records.c.id,
                                                                         store.claim_records.c.status))}
    return {(frozenset(members), status[record]) for record, members in events.items()}


def test_pages_finishing_in_any_order_on_worker_processes_link_as_in_publication_order(tmp_path, nlp):
    """A chunk's pages are linked in publication order, whatever order they arrived and finished in: 60
    generated pages (stories of a report, its wire copy, an exact copy at another URL, a denial and a
    confirmation), in order on one process and shuffled on two worker processes."""
    pages = fictional_pages(60)
    shuffled = random.Random(7).sample(pages, len(pages))
    found = []
    for name, feed_pages, workers in (("ordered", pages, 1), ("shuffled", shuffled, 2)):
        with Corpus(tmp_path / f"{name}.db") as corpus:
            corpus.ingest([write_warc(tmp_path / f"{name}.warc", feed_pages, gz=False)], workers=workers)
            found.append((links(corpus), claim_records(corpus)))
    assert found[0] == found[1]


def test_claims_linked_after_an_ingest_without_them_resume_after_a_kill_and_miss_no_event(tmp_path, nlp, monkeypatch):
    """`ingest(claims=False)` stores pages with their copies and stories only; `link_claims`, killed on its
    third article and run again on worker processes, links every claim an ingest links, and the same way as a
    run that was not killed. (Its records can differ from a linking ingest's: it sees the stories as they stand
    when it runs; tests/test_example_story.py checks the hand-written story both ways.)"""
    from onrecord.corpus import linking

    warc = write_warc(tmp_path / "feed.warc", fictional_pages(40), gz=False)
    with Corpus(tmp_path / "at-once.db") as corpus:
        corpus.ingest([warc])
        copies_and_stories = links(corpus)
        with corpus.engine.connect() as connection:
            events = connection.execute(select(func.count()).select_from(store.claim_events)).scalar_one()
    assert events  # the pages have claims to link
    real, found = linking.link_claims, []
    for name, kill in (("killed", True), ("whole", False)):
        with Corpus(tmp_path / f"{name}.db") as corpus:
            corpus.ingest([warc], workers=2, claims=False)
            stored = corpus.count_pending_claims()
            with corpus.engine.connect() as connection:  # every article waits, copies and versions too
                assert connection.execute(select(func.count()).select_from(store.articles)).scalar_one() == stored
            assert corpus.count_claims() == 0 and links(corpus) == copies_and_stories
            def crash_on_the_third(connection, article_id, *given, calls=[], kill=kill, **named):  # noqa: B006
                calls.append(article_id)
                if kill and len(calls) == 3:
                    raise KeyboardInterrupt
                return real(connection, article_id, *given, **named)

            monkeypatch.setattr(linking, "link_claims", crash_on_the_third)
            if kill:
                with pytest.raises(KeyboardInterrupt):
                    corpus.link_claims()
                assert corpus.count_pending_claims() == stored - 2  # the third article's events went with it
            heard = []
            assert corpus.link_claims(workers=2, progress=heard.append).linked == len(set(heard)) == stored - 2 * kill
            assert corpus.count_pending_claims() == 0 and corpus.link_claims().linked == 0
            with corpus.engine.connect() as connection:
                assert connection.execute(select(func.count()).select_from(store.claim_events)).scalar_one() == events
            found.append(claim_records(corpus))
    assert found[0] == found[1]


def test_an_ingest_killed_while_linking_resumes_without_half_linked_pages(tmp_path, nlp, monkeypatch):
    pages = feed(tmp_path / "feed.jsonl", range(len(PAGES)))
    link = ingest_module.link_article
    calls = []

    def crash_on_the_third(connection, article_id, **given):
        calls.append(article_id)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return link(connection, article_id, **given)

    monkeypatch.setattr(ingest_module, "link_article", crash_on_the_third)
    with Corpus(tmp_path / "corpus.db") as corpus:
        with pytest.raises(KeyboardInterrupt):
            corpus.ingest([pages])
        with corpus.engine.connect() as connection:  # the third page went whole: no article, member or keys
            assert connection.execute(select(func.count()).select_from(store.articles)).scalar_one() == 2
            assert connection.execute(select(func.count()).select_from(store.story_members)).scalar_one() == 2
        monkeypatch.setattr(ingest_module, "link_article", link)
        assert corpus.ingest([pages]).outcomes == {"unchanged": 2, "analysed": 3}
        with Corpus(tmp_path / "clean.db") as clean:
            clean.ingest([pages])
            assert links(corpus) == links(clean)
        with corpus.engine.connect() as connection:
            counted = connection.execute(select(store.term_documents.c.documents)
                                         .where(store.term_documents.c.term == "")).scalar_one()
        assert counted == len(PAGES)  # the dead transaction's word counts went with it


def test_stories_come_back_as_json_records_newest_first(ingested):
    listed = ingested.stories()
    assert [s.size for s in listed] == [1, 4] and listed[0].last_seen > listed[1].last_seen
    event = ingested.story(listed[1].id)
    assert [a.url for a in event.articles] == [url for url, *_ in PAGES[:4]]  # earliest first
    assert event.articles[0].similarity is None and all(a.similarity > 0 for a in event.articles[1:])
    assert [a.copy_of for a in event.articles[1:3]] == [event.articles[0].id] * 2
    assert "helena varga" in event.label or "oskar lindqvist" in event.label
    assert ingested.stories(min_size=2) == [event]
    with pytest.raises(NotInStore):
        ingested.story(999)


def _conforms(value, schema, root):
    """A small check of a JSON value against the generated schema: every required key present, no others."""
    if "$ref" in schema:
        return _conforms(value, root["$defs"][schema["$ref"].split("/")[-1]], root)
    if "anyOf" in schema:
        return any(_conforms(value, option, root) for option in schema["anyOf"])
    kind = schema.get("type")
    if kind == "object":
        return (isinstance(value, dict) and set(value) == set(schema["required"])
                and all(_conforms(value[k], schema["properties"][k], root) for k in value))
    if kind == "array":
        return isinstance(value, list) and all(_conforms(v, schema["items"], root) for v in value)
    types = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "null": type(None)}
    return isinstance(value, types[kind]) and not (kind in ("integer", "number") and isinstance(value, bool))


def test_stories_and_copies_commands_print_tables_and_schema_valid_json(ingested):
    db = ingested.engine.url.database
    runner = CliRunner()
    table = runner.invoke(main, ["stories", "--db", db])
    assert table.exit_code == 0 and "Stories" in table.output and "oskar" in table.output.lower()
    shown = json.loads(runner.invoke(main, ["stories", "--db", db, "--json"]).output)
    story_schema = json_schema("story")
    assert len(shown) == 2 and all(_conforms(s, story_schema, story_schema) for s in shown)
    assert {s["schema"] for s in shown} == {CORPUS_SCHEMA_VERSION}
    one = runner.invoke(main, ["stories", "--db", db, "--id", str(shown[1]["id"])])
    assert one.exit_code == 0 and "started it" in one.output and f"Story {shown[1]['id']}:" in one.output
    copies = json.loads(runner.invoke(main, ["copies", "--db", db, "--json"]).output)
    link_schema = json_schema("copy-link")
    assert len(copies) == 2 and all(_conforms(c, link_schema, link_schema) for c in copies)
    assert {c["original_url"] for c in copies} == {PAGES[0][0]}
    assert "Wire copies" in runner.invoke(main, ["copies", "--db", db]).output


def test_reading_commands_fail_clearly(ingested, tmp_path):
    db = ingested.engine.url.database
    runner = CliRunner()
    missing_story = runner.invoke(main, ["stories", "--db", db, "--id", "999"])
    assert missing_story.exit_code == 10 and "no story 999" in missing_story.output
    missing_article = runner.invoke(main, ["copies", "--db", db, "--article", "999"])
    assert missing_article.exit_code == 10 and "no article 999" in missing_article.output
    no_store = runner.invoke(main, ["stories", "--db", str(tmp_path / "absent.db")])
    assert no_store.exit_code == 2 and "no store at" in no_store.output
    assert not (tmp_path / "absent.db").exists()
    with pytest.raises(ValueError, match="no JSON document"):
        json_schema("timeline")
