"""Long pages: the analysis is linear in the page's length (windows and indexes instead of all-pairs steps), a
time budget ends it with a partial analysis and a warning, and a huge inline script does not cut the page."""
import random
import time

import pytest

from onrecord import analysis as analysis_module
from onrecord.analysis import _paragraph_batches, analyze_article, analyze_text, parse_within
from onrecord.attribution import Quote, _covering, _inside_quote, quotes_between
from onrecord.claims import group_claims
from onrecord.cleaning import clean_html
from onrecord.cleaning.html import HUGE_RAW_TEXT_CHARS, _substring_test, _without_huge_raw_text
from onrecord.errors import ConfigError
from onrecord.evaluation.bench import as_html_page, joined_page, render_scaling, run_scaling
from onrecord.options import Options
from onrecord.records import Attribution, ChainLink, Speaker, TextSpan
from onrecord.stance import link_answers

TOWNS = ["Port Elm", "Harbour City", "Alder Bay", "Marlow", "Riverton", "Kessing", "Quandong", "Brightwater"]


def long_story(paragraphs: int) -> str:
    """A fictional report of many distinct paragraphs, each with one attribution."""
    lines = ["Councils across the coast weigh flood defences", ""]
    for n in range(paragraphs):
        town = TOWNS[n % len(TOWNS)]
        lines += [(f"The mayor of {town}, Lena Berg, said on Monday that barrier number {n} would be finished "
                   f"before the storms of the {n}th winter, and that residents had been told."), ""]
    return "\n".join(lines)


SPEAKERS = ["LENA BERG", "OSKAR VALE", "MODERATOR", "PRIYA NANDI"]
HEARING_WORDS = ("harbour barrier council budget storm residents ferry engineers tide wall funding vote contract "
                 "summer winter survey flood pumps road bridge school clinic market grant levy report plan delay "
                 "cost").split()


def hearing_transcript(turns: int) -> str:
    """A fictional hearing's transcript: turns of one to four sentences, each a line of its own."""
    rng = random.Random(7)
    lines = ["Transcript: the Port Elm flood-defence hearing", ""]
    for _ in range(turns):
        sentences = [" ".join(rng.choice(HEARING_WORDS) for _ in range(rng.randint(6, 22))).capitalize()
                     + rng.choice(".?!") for _ in range(rng.randint(1, 4))]
        lines += [f"{rng.choice(SPEAKERS)}: " + " ".join(sentences), ""]
    return "\n".join(lines)


def test_a_long_transcript_keeps_its_lines():
    """The line model's page features were learned on one-article pages; scored whole, a 15,000-word transcript
    lost a sixth of its turns."""
    from onrecord.cleaning.text import clean_text

    article = clean_text(hearing_transcript(400))
    assert len(article.text.split("\n\n")) >= 0.97 * 400


# ---------------------------------------------------------------- the time budget

def test_a_spent_budget_leaves_a_partial_analysis_with_a_warning(nlp, monkeypatch):
    monkeypatch.setattr(analysis_module, "PARSE_BATCH_CHARS", 2_000)
    whole = analyze_text(long_story(60), Options.load(analysis_budget=0), nlp=nlp)
    partial = analyze_text(long_story(60), Options.load(analysis_budget=1e-9), nlp=nlp)
    assert not any("time budget" in w for w in whole.warnings)
    assert any("time budget" in w and "analysis_budget" in w for w in partial.warnings)
    assert 0 < len(partial.attributions) < len(whole.attributions) == 60
    assert partial.article.text == whole.article.text  # the article keeps its whole text
    assert all(a.content.end <= 2_100 for a in partial.attributions)


def test_a_past_deadline_still_analyses_a_short_article_whole(nlp):
    page = analyze_text(long_story(3), nlp=nlp)
    again = analyze_article(page.article, Options.load(), nlp, deadline=time.monotonic() - 1)
    assert len(again.attributions) == len(page.attributions) == 3 and not again.warnings


def test_batched_parse_keeps_the_text_and_the_attributions(nlp, monkeypatch):
    text = long_story(30)
    whole = nlp(text)
    monkeypatch.setattr(analysis_module, "PARSE_BATCH_CHARS", 1_500)
    batched = parse_within(nlp, text)
    assert batched.text == text and len(batched) == len(whole)
    assert [s.start for s in batched.sents] == [s.start for s in whole.sents]
    def cues(doc):
        return [(f.cue_start, f.content_start, f.content_end) for f in doc._.attributions]
    assert cues(batched) == cues(whole)


def test_paragraph_batches_join_back_and_end_at_paragraphs():
    text = "\n\n".join(f"Paragraph {n} " + "word " * (n % 7) for n in range(200))
    batches = list(_paragraph_batches(text, 300))
    assert "".join(batches) == text
    assert all(len(b) <= 300 + 2 for b in batches)
    assert all(b.endswith("\n\n") for b in batches[:-1])
    assert "".join(_paragraph_batches("x" * 1000, 300)) == "x" * 1000  # one long word is cut, not lost


def test_budget_option_is_validated():
    assert Options.load().analysis_budget == 60
    with pytest.raises(ConfigError):
        Options.load(analysis_budget=-1)


# ---------------------------------------------------------------- windows and indexes give the old answers

def test_quote_lookups_match_a_scan():
    rng = random.Random(3)
    for _ in range(200):
        quotes, at = [], 0
        for _ in range(rng.randint(0, 12)):
            opens = at + rng.randint(0, 20)
            closes = opens + rng.randint(1, 30)
            quotes.append(Quote(opens + 1, closes, opens, closes + 1))
            at = closes + 2
        for offset in range(at + 5):
            assert _inside_quote(offset, quotes) == any(q.start <= offset < q.end for q in quotes)
            last = offset + rng.randint(0, 40)
            assert quotes_between(quotes, offset, last) == [q for q in quotes if q.closes_at >= offset
                                                            and q.opens_at <= last]


def test_covering_matches_a_scan():
    rng = random.Random(5)
    for _ in range(200):
        spans = [(s, s + rng.randint(0, 40)) for s in (rng.randint(0, 100) for _ in range(rng.randint(0, 10)))]
        covers = _covering(spans)
        for offset in range(-2, 150):
            assert covers(offset) == any(start <= offset < end for start, end in spans)


def test_substring_test_matches_in():
    rng = random.Random(7)
    vocabulary = ["a", "ab", "b", "the", "he", "police", "lice", "station", "x"]
    for _ in range(500):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 30)))
        contains = _substring_test(text)
        for _ in range(10):
            if text and rng.random() < 0.5:
                i = rng.randrange(len(text))
                piece = " ".join(text[i:rng.randrange(i, len(text) + 1)].split())
            else:
                piece = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 12)))
            if piece:
                assert contains(piece) == (piece in text), (text, piece)


def attribution(number: int, speaker: str, stance: str, text: str) -> Attribution:
    who = Speaker(name=speaker, type="person", entity=speaker)
    return Attribution(id=f"a{number}", cue=TextSpan("said", 0, 4), speaker=who,
                       chain=[ChainLink(name=speaker, type="person", entity=speaker)],
                       content=TextSpan(text, 0, len(text)), direct=False, stance=stance, confidence=0.9)


def test_answers_are_linked_within_the_window(monkeypatch):
    stances = ["assert"] + ["opinion"] * 5 + ["deny"]
    terms = [{"barrier", "delay"}] + [{f"topic{n}"} for n in range(5)] + [{"barrier", "delay"}]
    lineages = [{"e1"}] + [{f"e{n + 2}"} for n in range(5)] + [{"e9"}]
    negations = [False] * 7
    assert link_answers(list(stances), terms, lineages, negations)[-1] == 0
    monkeypatch.setattr("onrecord.stance.ANSWER_WINDOW", 3)
    assert link_answers(list(stances), terms, lineages, negations)[-1] != 0  # the report is out of reach


def test_claims_pair_reports_within_the_window(monkeypatch):
    items = [attribution(1, "Ruiz", "assert", "the barrier is delayed")] + \
        [attribution(n, f"Other{n}", "assert", f"unrelated matter {n}") for n in range(2, 6)] + \
        [attribution(6, "Ruiz", "assert", "the barrier is delayed again")]
    terms = [{"barrier", "delay"}] + [{f"matter{n}"} for n in range(2, 6)] + [{"barrier", "delay", "again"}]
    together = group_claims(items, terms)
    assert any({"a1", "a6"} <= set(c.attributions) for c in together)
    monkeypatch.setattr("onrecord.claims.PAIRING_WINDOW", 2)
    apart = group_claims(items, terms)
    assert not any({"a1", "a6"} <= set(c.attributions) for c in apart)


# ---------------------------------------------------------------- huge inline scripts

ARTICLE = """<p>Harbour councillors voted on Tuesday to delay the new flood barrier by a year, the mayor said.</p>
<p>"We cannot ask residents to wait another winter," said Ana Ruiz, who has led the council since 2019.</p>
<p>The council's engineer, Tomas Brell, said the design would be ready by March and built by the autumn.</p>"""


def page_with_script(script: str) -> str:
    return (f"<html><head><title>Harbour council delays flood barrier</title><script>{script}</script>"
            f"<script type='application/ld+json'>{{\"datePublished\": \"2024-03-05\"}}</script></head>"
            f"<body><article><h1>Harbour council delays flood barrier</h1>{ARTICLE}</article></body></html>")


def test_a_page_with_an_11_mb_script_keeps_its_body():
    article = clean_html(page_with_script("var blob = '" + "0123456789" * 1_100_000 + "';"))
    assert "Tomas Brell" in article.text and "Ana Ruiz" in article.text
    assert article.title == "Harbour council delays flood barrier"


def test_only_huge_scripts_and_styles_are_emptied():
    small = page_with_script("var small = 1;")
    assert _without_huge_raw_text(small) == small
    huge = "<style>" + "a" * (HUGE_RAW_TEXT_CHARS + 1) + "</style><p>kept</p><script-loader>x</script-loader>"
    assert _without_huge_raw_text(huge) == "<style></style><p>kept</p><script-loader>x</script-loader>"
    inner = "<script>" + "document.write('<script>');" + "b" * HUGE_RAW_TEXT_CHARS + "</script ><p>after</p>"
    assert _without_huge_raw_text(inner) == "<script></script ><p>after</p>"


# ---------------------------------------------------------------- the scaling benchmark's pages

def test_joined_pages_stay_under_their_size(tmp_path):
    texts = [f"Story {n}.\n\n" + "Ruiz said the barrier is late. " * 30 for n in range(5)]
    for size in (100, 5_000, 50_000):
        page = joined_page(texts, size)
        assert len(page.encode()) <= max(size, len(texts[0].encode()))
        assert page.startswith("Story 0.")
    html = as_html_page(joined_page(texts, 5_000))
    assert html.count("<p>") == joined_page(texts, 5_000).count("\n\n") + 1


def test_scaling_benchmark_reports_each_size(nlp, tmp_path, monkeypatch):
    monkeypatch.setattr("onrecord.evaluation.bench.SCALING_KB", (1, 3))
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(long_story(4).replace("Lena Berg", f"Lena Berg {n}"), encoding="utf-8")
    result = run_scaling(tmp_path, repeats=1, huge=False)
    assert [round(s["kb"]) for s in result["sizes"]] == [1, 3]
    assert all(s["seconds"] > 0 and s["attributions"] > 0 for s in result["sizes"])
    assert result["per_kb_ratio"] >= 1
    assert result["per_body_kchar_ratio"] >= 1
    assert "slowest size over fastest" in render_scaling(result)


def test_a_long_page_in_a_batch_keeps_the_time_budget(nlp, monkeypatch):
    """analyze_many parses short pages as one spaCy batch; a long one takes the budgeted single-page path."""
    from onrecord.analysis import analyze_many

    monkeypatch.setattr(analysis_module, "PARSE_BATCH_CHARS", 2_000)
    short, long = long_story(2).encode(), long_story(60).encode()
    results = list(analyze_many([short, long, short], Options.load(analysis_budget=1e-9), nlp=nlp))
    assert [r.error for r in results] == [None, None, None]
    assert not results[0].analysis.warnings and not results[2].analysis.warnings
    assert any("time budget" in w for w in results[1].analysis.warnings)
    assert 0 < len(results[1].analysis.attributions) < 60


def test_a_teaser_is_sought_only_within_its_reach():
    """Each line ending in an ellipsis is compared with the texts below it: only TEASER_REACH of them, so that a
    transcript full of trailing ellipses stays linear."""
    from onrecord.cleaning.chrome import TEASER_REACH, cut_short_teasers

    teaser = "Ferries will run again from Saturday after the storm…"
    paragraph = "Ferries will run again from Saturday after the storm damaged the pier at Alder Bay."
    filler = [f"Line {n} of the council's minutes was read aloud." for n in range(TEASER_REACH)]
    assert cut_short_teasers([teaser] + filler[:10] + [paragraph]) == [0]
    assert cut_short_teasers([teaser] + filler + [paragraph]) == []
