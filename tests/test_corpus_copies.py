"""Wire copies: MinHash/LSH finding, verification and the order-independent choice of an original."""
from datetime import datetime

from onrecord.corpus.copies import CopyFinder, choose_original, fingerprint, overlap, shingles

WIRE = ("The harbour authority of Velmora closed the northern quay on Tuesday after a cargo crane collapsed "
        "onto two moored fishing boats, injuring three dock workers. Port director Anneke Solvang said the "
        "crane, installed in 1998, had passed its last inspection in March. Investigators from the Velmora "
        "maritime board arrived in the afternoon and sealed off the site. Fishermen said the quay had been "
        "busy with the start of the herring season and that several boats were moved to the southern basin. "
        "The injured workers were taken to the Saint Orla hospital, where one remained in serious condition. "
        "The authority said it expected the quay to reopen within ten days, pending the board's findings.")
COPY = ("Crane collapse shuts Velmora quay\n\n" + WIRE.replace("Tuesday", "Tuesday,").replace('"', "“")
        .rsplit(" The authority said", 1)[0]
        + "\n\nLocal councillor Piet Ramsgaard called for an inquiry into all cranes on the coast.")
SAME_STORY = ("Three dock workers were hurt in Velmora when a crane fell on fishing boats at the northern quay. "
              "Port director Anneke Solvang told our reporter that safety records would be published. Herring "
              "fishermen complained that the closure came at the worst moment of the season, and a union "
              "spokesman, Tomas Bergvik, said crews had warned about the crane's brakes for months. The "
              "maritime board declined to comment before its report.")


def test_shingles_ignore_case_punctuation_and_accents():
    assert shingles("Café owners, said: “We stay open!” on Monday") == shingles("cafe OWNERS said we stay open on monday")


def test_trimmed_retitled_copy_keeps_high_containment_and_same_story_text_does_not():
    original, copy, other = (fingerprint(i, t) for i, t in (("wire", WIRE), ("copy", COPY), ("other", SAME_STORY)))
    _, containment = overlap(original, copy)
    assert containment >= 0.75
    assert overlap(original, other)[1] < 0.2


def test_copy_found_by_band_lookup_and_linked_to_earliest():
    finder = CopyFinder()
    assert finder.add(fingerprint("copy", COPY, published=datetime(2026, 3, 4, 12))) == []
    assert finder.add(fingerprint("other", SAME_STORY, published=datetime(2026, 3, 4, 9))) == []
    links = finder.add(fingerprint("wire", WIRE, published=datetime(2026, 3, 4, 8)))
    assert [(link.copy, link.original) for link in links] == [("copy", "wire")]
    assert finder.store.original_of("other") is None


def test_original_does_not_depend_on_arrival_order():
    texts = {"a": WIRE, "b": COPY, "c": WIRE.replace("three dock workers", "3 dock workers")}
    originals = set()
    for order in (("a", "b", "c"), ("c", "b", "a"), ("b", "a", "c")):
        finder = CopyFinder()
        for article_id in order:
            finder.add(fingerprint(article_id, texts[article_id]))
        roots = {finder.store.original_of(i) or i for i in texts}
        assert len(roots) == 1
        originals |= roots
    assert len(originals) == 1


def test_undated_group_prefers_the_credited_wires_own_page():
    wire_page = fingerprint("w", WIRE, outlet="Norpress")
    reprint = fingerprint("r", COPY, outlet="Velmora Daily", wire_credit="Norpress")
    assert choose_original([reprint, wire_page]).article_id == "w"
    dated_reprint = fingerprint("r", COPY, outlet="Velmora Daily", wire_credit="Norpress",
                                published=datetime(2026, 3, 4))
    assert choose_original([wire_page, dated_reprint]).article_id == "r"


def test_sql_copy_store_finds_the_copy_by_band_lookup_and_keeps_links_across_connections(tmp_path):
    from sqlalchemy import select

    from onrecord.corpus.copies import SqlCopyStore
    from onrecord.corpus.store import analyses, articles, open_engine
    engine = open_engine(tmp_path / "copies.db")
    with engine.begin() as connection:
        connection.execute(analyses.insert().values(id=1, content_hash="0", schema="", analysis={}, analysed_at=""))
        for article_id, text in ((1, WIRE), (2, SAME_STORY), (3, COPY)):
            connection.execute(articles.insert().values(
                id=article_id, url=f"https://x.example/{article_id}", version=1, is_latest=True, source="test",
                text=text, content_hash=str(article_id), text_hash=fingerprint(0, text).content_hash,
                analysis_id=1, ingested_at="2031-01-01", published=f"2031-03-0{article_id}"))
        finder = CopyFinder(SqlCopyStore(connection))
        assert finder.add(fingerprint(1, WIRE)) == [] and finder.add(fingerprint(2, SAME_STORY)) == []
    with engine.begin() as connection:  # a restart: a new finder on a new connection rebuilds nothing
        [link] = CopyFinder(SqlCopyStore(connection)).add(fingerprint(3, COPY))
        assert (link.copy, link.original) == (3, 1) and link.containment >= 0.7
        assert SqlCopyStore(connection).candidates([]) == set()
        stored = connection.execute(select(articles.c.id, articles.c.copy_of).order_by(articles.c.id)).all()
    assert [tuple(row) for row in stored] == [(1, None), (2, None), (3, 1)]


def test_a_minhash_made_where_the_page_was_analysed_is_the_one_the_writer_would_make():
    import numpy as np

    from onrecord.corpus.copies import text_minhash
    from onrecord.corpus.linking import prepare

    text = "The ferry to Brask was cancelled on Wednesday after the storm surge flooded the Velmora quays."
    record = prepare({"analysis": {"article": {"text": text}}}, claims=False)
    made = record["minhash"]
    signature, size = text_minhash(text)
    assert made[1] == size and np.array_equal(made[0], signature) and "claim_vectors" not in record
    given, computed = fingerprint(1, text, minhash=made), fingerprint(1, text)
    assert overlap(given, computed) == (1.0, 1.0) and given.keys == computed.keys
    assert prepare({"error": "NoArticle"}) == {"error": "NoArticle"}  # nothing to prepare, nothing lost
