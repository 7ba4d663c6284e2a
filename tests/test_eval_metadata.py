"""The metadata benchmark's scoring by hand, its failure modes, a small run, and the headline rules it measures."""
import os
from pathlib import Path

import click
import pytest
from lxml import html as lxml_html

from onrecord.cleaning.metadata import headline as _headline, without_site_name as _without_site_name
from onrecord.evaluation.metadata import evaluate_metadata, field_scores, load_metadata_set, normalise

DATA = Path(os.environ.get("ONRECORD_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def test_titles_compare_without_case_spacing_or_outer_punctuation():
    assert field_scores("title", "Harbour Plan Approved!", "harbour  plan approved") == (1.0, 1.0)
    exact, f1 = field_scores("title", "Harbour plan approved", "Harbour plan approved | The Post")
    assert exact == 0.0 and f1 == pytest.approx(2 * (3 / 5) * 1 / (3 / 5 + 1))


def test_bylines_compare_as_sets_of_names():
    assert field_scores("byline", "Ana Ruiz and Tom Hale", "Tom Hale; Ana Ruiz") == (1.0, 1.0)
    assert field_scores("byline", "By Ana Ruiz", "Ana Ruiz") == (1.0, 1.0)
    exact, f1 = field_scores("byline", "Ana Ruiz, Tom Hale", "Ana Ruiz")
    assert exact == 0.0 and f1 == pytest.approx(2 * 1 * 0.5 / 1.5)


def test_dates_compare_by_day_and_nothing_found_scores_zero():
    assert field_scores("date", "2024-03-29", "2024-03-29T10:00:00+01:00") == (1.0, 1.0)
    assert field_scores("date", "2024-03-29", "2024-03-30") == (0.0, 0.0)
    assert field_scores("title", "Harbour plan approved", None) == (0.0, 0.0)
    assert normalise("byline", "  ") is None


def test_unknown_dataset_split_and_system_are_clear_errors():
    with pytest.raises(click.BadParameter, match="wcxb or naeb"):
        load_metadata_set("zyte")
    with pytest.raises(click.BadParameter, match="dev and test"):
        load_metadata_set("wcxb", "train")
    with pytest.raises(click.BadParameter, match="unknown systems"):
        evaluate_metadata("wcxb", systems=["newspaper"])


def test_a_folder_without_the_dataset_is_reported(tmp_path):
    (tmp_path / "wcxb" / "dev" / "ground-truth").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="no pages"):
        load_metadata_set("wcxb", "dev", data_dir=tmp_path)


@pytest.mark.shared
def test_small_run_on_wcxb_dev():
    if not (DATA / "wcxb" / "dev").exists():
        pytest.skip(f"{DATA / 'wcxb' / 'dev'} is absent: set ONRECORD_DATA or check out ../shared/data")
    report = evaluate_metadata("wcxb", "dev", limit=4, data_dir=DATA)
    assert report["pages"] == 4
    for field in ("title", "byline", "date"):
        result = report["fields"][field]
        assert result["pages"] + result["unannotated"] == 4
        for system in ("onrecord", "trafilatura"):
            assert 0 <= result["systems"][system]["exact"] <= 1 or result["pages"] == 0
    assert "onrecord_minus_system" in report["fields"]["title"]["systems"]["trafilatura"]


def test_headline_is_the_h1_that_matches_the_page_title():
    tree = lxml_html.fromstring("<html><body><h1>Harbour Post</h1><h1>Harbour plan approved after vote</h1>"
                                "<p>text</p></body></html>")
    assert _headline(tree, "Harbour plan approved after vote | Harbour Post") == "Harbour plan approved after vote"


def test_headline_falls_back_to_the_title_without_the_site_name():
    tree = lxml_html.fromstring("<html><body><h1>Menu</h1><p>text</p></body></html>")
    assert _headline(tree, "Harbour plan approved after late vote - The Harbour Post") == \
        "Harbour plan approved after late vote"
    assert _headline(tree, "Harbour plan approved - The Harbour Post") == \
        "Harbour plan approved - The Harbour Post"  # which end is the site's? Both are three words: keep both
    assert _headline(tree, None) is None
    assert _without_site_name("Q&A - Part 2") == "Q&A - Part 2"  # too short a head to be a headline
    assert _without_site_name("Budget talks stall as unions walk out | Opinion | The Harbour Post") == \
        "Budget talks stall as unions walk out | Opinion"


def test_a_known_site_name_goes_from_either_end_of_the_title():
    assert _without_site_name("The Harbour Post | Council approves plan", "The Harbour Post") == "Council approves plan"
    assert _without_site_name("Council approves plan - Harbour Post", "Harbour Post") == "Council approves plan"
    assert _without_site_name("The Harbour Post | Council approves plan") == "The Harbour Post | Council approves plan"
