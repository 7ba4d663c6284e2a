"""The extraction benchmark's metrics, bootstrap and loaders, and clean_html's robustness on odd pages."""
import math
import os
from pathlib import Path

import numpy as np
import pytest

from onrecord.cleaning import clean_html
from onrecord.errors import NoArticle
from onrecord.evaluation.extraction import (METRICS, html_to_text, paired_bootstrap, score, score_stored_output,
                                            segments_page, shingle_counts, shingles, word_f1, wcxb_aggregate,
                                            zyte_aggregate, zyte_page)

DATA = Path(os.environ.get("ONRECORD_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
ZYTE = DATA / "article-extraction-benchmark"
SLOW = os.environ.get("ONRECORD_SLOW") == "1"


def needs_data(path: Path):
    if not path.exists():
        pytest.skip(f"{path} is absent: set ONRECORD_DATA or check out ../shared/data")


# ---------------------------------------------------------------- Zyte metric, by hand

def test_shingles_of_short_text_are_one_shingle():
    assert shingles("a b c d e") == {"a b c d": 1, "b c d e": 1}
    assert shingles("a, b!") == {"a b": 1}
    assert shingles("") == {}


def test_identical_texts_score_one():
    assert shingle_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    assert zyte_page("a b c d e", "a  b\nc d e") == [1.0, 1.0, 1.0]


def test_missing_tail_costs_recall_only():
    # truth shingles: abcd, bcde; prediction: abcd. TP=1, FN=1, normalised by 2.
    assert shingle_counts("a b c d e", "a b c d") == (0.5, 0.0, 0.5)
    precision, recall, exact = zyte_page("a b c d e", "a b c d")
    assert (precision, recall, exact) == (1.0, 0.5, 0.0)


def test_extra_text_costs_precision_and_counts_repeats():
    # prediction shingles: abcd x2, bcda, cdab, dabc -> TP=1 (abcd once), FP=4; normalised by 5.
    tp, fp, fn = shingle_counts("a b c d", "a b c d a b c d")
    assert (tp, fp, fn) == (0.2, 0.8, 0.0)


def test_empty_prediction_is_left_out_of_precision():
    precision, recall, exact = zyte_page("a b c d e", "")
    assert math.isnan(precision) and recall == 0.0 and exact == 0.0
    figures = zyte_aggregate(np.array([[1.0, 1.0, 1.0], [np.nan, 0.0, 0.0]]))
    assert figures["precision"] == 1.0 and figures["recall"] == 0.5
    assert figures["f1"] == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert figures["accuracy"] == 0.5


def test_zyte_metric_is_case_sensitive_and_wcxb_is_not():
    assert zyte_page("A b c d", "a b c d")[0] == 0.0
    assert word_f1("A B c", "a b c") == (1.0, 1.0, 1.0)


def test_wcxb_word_f1_by_hand():
    f1, precision, recall = word_f1("the cat sat", "the cat sat on the mat")
    assert (precision, recall) == (1.0, 0.5)
    assert f1 == pytest.approx(2 / 3)
    assert word_f1("", "") == (1.0, 1.0, 1.0)
    assert word_f1("", "words") == (0.0, 0.0, 0.0)
    assert wcxb_aggregate(np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]))["f1"] == 0.5


def test_trafilatura_segments():
    truth = {"with": ["main text here", "second part"], "without": ["Impressum", "Menu"]}
    assert segments_page(truth, "main   text here and Impressum") == [1, 1, 1, 1]
    figures = score(METRICS["trafilatura"], [truth], ["main text here second part"])
    assert figures["precision"] == 1.0 and figures["recall"] == 1.0 and figures["accuracy"] == 1.0


def test_html_to_text_separates_blocks():
    assert html_to_text("<div><p>one</p><p>two <b>bold</b></p><ul><li>x</li></ul></div>") == "one\ntwo bold\nx"


# ---------------------------------------------------------------- bootstrap

def test_bootstrap_on_a_sure_difference():
    ours, theirs = np.ones((50, 3)), np.zeros((50, 3))
    result = paired_bootstrap(wcxb_aggregate, ours, theirs, resamples=200)
    assert result["difference"] == 1.0 and result["ci95"] == [1.0, 1.0] and result["p_value"] == 0.0


def test_bootstrap_on_no_difference_and_is_seeded():
    rng = np.random.default_rng(1)
    same = rng.random((40, 3))
    result = paired_bootstrap(wcxb_aggregate, same, same.copy(), resamples=200)
    assert result["difference"] == 0.0 and result["p_value"] == 1.0
    noisy = same + rng.normal(0, 0.1, same.shape)
    assert paired_bootstrap(wcxb_aggregate, noisy, same, resamples=200) == \
        paired_bootstrap(wcxb_aggregate, noisy, same, resamples=200)


# ---------------------------------------------------------------- stored outputs (shared data)

@pytest.mark.shared
@pytest.mark.parametrize("system, f1", [("trafilatura", 0.958), ("readability", 0.922), ("AutoExtract", 0.970)])
def test_metric_reproduces_published_scores(system, f1):
    needs_data(ZYTE / "output" / f"{system}.json")
    assert round(score_stored_output(system, DATA)["f1"], 3) == f1


@pytest.mark.shared
@pytest.mark.skipif(not SLOW, reason="whole-dataset run: set ONRECORD_SLOW=1")
def test_keep_every_line_on_zyte_renderings():
    needs_data(ZYTE)
    from onrecord.evaluation.extraction import evaluate_extraction
    report = evaluate_extraction("zyte", mode="text", systems=["all-lines"], data_dir=DATA)
    assert round(report["systems"]["all-lines"]["f1"], 3) == 0.667


@pytest.mark.shared
def test_small_html_run_on_wcxb_dev():
    needs_data(DATA / "wcxb" / "dev")
    from onrecord.evaluation.extraction import evaluate_extraction
    report = evaluate_extraction("wcxb", "dev", ["onrecord", "trafilatura"], limit=3, data_dir=DATA, resamples=50)
    assert report["pages"] == 3
    assert set(report["systems"]) == {"onrecord", "trafilatura"}
    assert 0 <= report["systems"]["onrecord"]["f1"] <= 1
    assert "trafilatura" in report["bootstrap"]


@pytest.mark.shared
def test_timing_takes_the_fastest_of_several_passes_and_the_same_scores():
    needs_data(DATA / "wcxb" / "dev")
    from onrecord.evaluation.extraction import evaluate_extraction
    one = evaluate_extraction("wcxb", "dev", ["trafilatura"], limit=3, data_dir=DATA, resamples=10)
    two = evaluate_extraction("wcxb", "dev", ["trafilatura"], limit=3, data_dir=DATA, resamples=10, passes=2)
    assert two["systems"]["trafilatura"]["f1"] == one["systems"]["trafilatura"]["f1"]
    assert two["systems"]["trafilatura"]["seconds"] > 0


def test_timed_passes_take_turns_page_by_page_and_keep_the_first_outputs():
    from onrecord.evaluation.extraction import _timed_passes
    calls = []

    def upper(page):
        calls.append(("upper", page))
        return page.upper()

    def broken(page):
        calls.append(("broken", page))
        raise ValueError(page)

    timed = _timed_passes({"upper": upper, "broken": broken}, ["a", "b"], passes=2)
    assert calls[:4] == [("upper", "a"), ("broken", "a"), ("upper", "b"), ("broken", "b")]
    assert len(calls) == 8  # two passes
    assert timed["upper"][:2] == (["A", "B"], 0) and timed["broken"][:2] == (["", ""], 2)
    assert all(seconds >= 0 for _, _, seconds in timed.values())


def test_timed_passes_refuse_a_system_whose_output_changes_between_passes():
    from onrecord.evaluation.extraction import _timed_passes
    counter = iter(range(100))
    with pytest.raises(RuntimeError, match="other output"):
        _timed_passes({"drifting": lambda page: str(next(counter))}, ["a"], passes=2)


def test_extraction_needs_at_least_one_pass():
    import click
    from onrecord.evaluation.extraction import evaluate_extraction
    with pytest.raises(click.BadParameter, match="passes"):
        evaluate_extraction("wcxb", "dev", ["trafilatura"], limit=1, passes=0)


@pytest.mark.shared
def test_text_mode_beats_keeping_every_line_on_trafilatura_pages():
    """The trafilatura set never trained the line model: on its first 60 renderings the text cleaner must
    keep the article snippets and drop the boilerplate ones better than keeping every line does."""
    needs_data(DATA / "trafilatura-eval")
    from onrecord.evaluation.extraction import evaluate_extraction
    report = evaluate_extraction("trafilatura", mode="text", systems=["onrecord", "all-lines"], limit=60,
                                 data_dir=DATA, resamples=50)
    assert report["systems"]["onrecord"]["f1"] > report["systems"]["all-lines"]["f1"] + 0.05


# ---------------------------------------------------------------- clean_html robustness

PARAGRAPH = ("The council voted on Tuesday to expand the harbour, a plan that officials said would cost "
             "about 40 million euros and take three years to complete, according to the minutes.")


def page(body: str, lang: str = "en") -> str:
    return (f"<html lang='{lang}'><head><title>Harbour plan</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>{body}"
            "<footer>© 2024 Example News. All rights reserved.</footer></body></html>")


def article(paragraphs: list[str]) -> str:
    return "<article><h1>Harbour plan approved</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>"


def test_clean_html_keeps_the_body_and_drops_chrome():
    result = clean_html(page(article([PARAGRAPH] * 1 + [PARAGRAPH.replace("Tuesday", "Monday"),
                                                       PARAGRAPH.replace("harbour", "port")])))
    assert "40 million euros" in result.text
    assert "All rights reserved" not in result.text and "Home" not in result.text.split()


def test_clean_html_drops_a_writers_bio_after_the_article():
    bio = "Dana Reyes is a freelance reporter who covers the coast and its ferries for the Harbour Post."
    body = [PARAGRAPH, PARAGRAPH.replace("Tuesday", "Monday"), PARAGRAPH.replace("harbour", "port")]
    result = clean_html(page(article(body + [bio])))
    assert "40 million euros" in result.text and bio not in result.text
    assert "author bio" in {r.reason for r in result.removed}
    quoted = "Lena Falk is a professor of marine engineering, and she said the plan came a decade late."
    assert quoted in clean_html(page(article(body + [quoted]))).text


def test_truncated_html():
    markup = page(article([PARAGRAPH, PARAGRAPH.replace("Tuesday", "Friday")]))
    truncated = markup[: markup.index("Friday") + 20]
    result = clean_html(truncated)
    assert "40 million euros" in result.text


def test_page_with_no_article_raises():
    with pytest.raises(NoArticle):
        clean_html(page("<ul>" + "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(30)) + "</ul>"))
    with pytest.raises(NoArticle):
        clean_html("<html><body></body></html>")


def test_images_only_page_raises():
    with pytest.raises(NoArticle):
        clean_html(page("<div>" + "".join(f"<img src='/{i}.jpg' alt=''>" for i in range(20)) + "</div>"))


def test_non_english_page():
    german = ("Der Stadtrat hat am Dienstag beschlossen, den Hafen zu erweitern, ein Vorhaben, das nach Angaben "
              "der Verwaltung rund 40 Millionen Euro kosten und drei Jahre dauern soll.")
    result = clean_html(page(article([german, german.replace("Dienstag", "Montag")]), lang="de"))
    assert "Millionen Euro" in result.text
    assert result.language == "de"


def test_huge_page():
    paragraphs = [f"{PARAGRAPH} Item {i} of the long record." for i in range(3000)]
    result = clean_html(page(article(paragraphs)))
    assert result.text.count("40 million euros") > 2000
