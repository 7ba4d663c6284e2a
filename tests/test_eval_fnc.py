"""The FNC-1 benchmark: the official score and macro-F1 on hand-made labels, the split by body, and the stored
top systems' test figures reproduced when the data is present."""
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.evaluation.fnc import (
    Pair,
    body_article,
    claim_groups,
    class_f1,
    fnc_command,
    fnc_score,
    load_split,
    reference_scores,
    score_labels,
)

DATA = Path(os.environ.get("ONRECORD_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
needs_data = pytest.mark.skipif(not (DATA / "fnc-1" / "train_stances.csv.gz").is_file(),
                                reason=f"{DATA}/fnc-1 is absent: the datasets live in ../shared/data")


def test_fnc_score_weights_related_pairs_as_the_upstream_scorer():
    gold = ["agree", "disagree", "discuss", "unrelated"]
    predicted = ["agree", "discuss", "unrelated", "unrelated"]
    # agree right: 0.25 + 0.75; disagree as discuss: related right, 0.25; discuss as unrelated: 0; unrelated: 0.25
    score = fnc_score(gold, predicted)
    assert score["score"] == pytest.approx(1.5)
    assert score["max"] == pytest.approx(3.25)
    assert score["relative"] == pytest.approx(1.5 / 3.25)
    assert fnc_score(gold, gold)["relative"] == 1.0
    assert fnc_score(["unrelated"] * 3, ["agree"] * 3)["score"] == 0.0


def test_macro_f1_averages_the_four_classes():
    gold = ["agree", "disagree", "discuss", "unrelated"]
    predicted = ["agree", "discuss", "unrelated", "unrelated"]
    report = class_f1(gold, predicted)
    f1 = {label: c["f1"] for label, c in report["classes"].items()}
    assert f1 == pytest.approx({"agree": 1.0, "disagree": 0.0, "discuss": 0.0, "unrelated": 2 / 3})
    assert report["macro_f1"] == pytest.approx((1 + 2 / 3) / 4)
    assert report["classes"]["unrelated"]["support"] == 1
    scored = score_labels(gold, predicted)
    assert scored["confusion"][1] == [0, 0, 1, 0] and scored["accuracy"] == 0.5


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        fnc_score(["agree"], [])
    with pytest.raises(ValueError):
        class_f1(["agree", "discuss"], ["agree"])


def test_a_body_becomes_an_article_with_a_paragraph_per_line():
    article = body_article("First line here.  \n\nSecond   line.\nThird.\n")
    assert article.text == "First line here.\n\nSecond line.\n\nThird."
    assert [article.text[p.start:p.end] for p in article.paragraphs] == ["First line here.", "Second line.", "Third."]


def test_a_missing_dataset_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(fnc_command, ["--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "FNC-1 is absent" in result.output


def test_claim_groups_join_bodies_through_related_headlines():
    pairs = [Pair("h1", "1", "agree"), Pair("h1", "7", "discuss"), Pair("h2", "7", "disagree"), Pair("h2", "3", "agree"),
             Pair("h1", "4", "unrelated"), Pair("h3", "5", "discuss")]
    assert claim_groups(pairs) == {"1": "1", "7": "1", "3": "1", "4": "4", "5": "5"}


@needs_data
def test_dev_is_held_out_by_body_and_claim():
    train, dev = load_split("train", DATA), load_split("dev", DATA)
    assert not set(train.bodies) & set(dev.bodies)
    assert {p.body_id for p in dev.pairs} <= set(dev.bodies)
    assert len(train.pairs) + len(dev.pairs) == 49972
    assert 0.18 < len(dev.bodies) / (len(train.bodies) + len(dev.bodies)) < 0.25
    related = lambda split: {p.headline for p in split.pairs if p.stance != "unrelated"}
    assert not related(train) & related(dev)


@needs_data
def test_reproduces_the_stored_systems_test_figures():
    scores = reference_scores(DATA)
    talos, athene = scores["talos"], scores["athene"]
    assert talos["fnc"] == pytest.approx(0.8201, abs=5e-5)
    assert talos["macro_f1"] == pytest.approx(0.576, abs=5e-4)
    assert talos["f1"] == pytest.approx({"agree": 0.536, "disagree": 0.030, "discuss": 0.761, "unrelated": 0.979},
                                        abs=1.5e-3)
    assert athene["fnc"] == pytest.approx(0.8268, abs=5e-5) and athene["macro_f1"] == pytest.approx(0.602, abs=5e-4)
    assert scores["riedel"]["fnc"] == pytest.approx(0.8213, abs=5e-5)
