"""The real-news gold set's tools: anchoring drafts to offsets, reading texts back, scoring with intervals."""
import json

import pytest

from onrecord.evaluation.gold import Score
from onrecord.evaluation.news import (AnchorError, anchor, as_scorable, bootstrap, evaluate_news, load_gold,
                                      read_source, sha256)

TEXT = ("Harbour board denies ferry sale\n\n"
        "The Harbour Board plans to sell its two ferries, the Lowmoor Gazette reported on Monday, citing a "
        "person familiar with the talks.\n\n"
        "\u201cThere is no sale,\u201d board chair Ines Vale said. \u201cThe ferries stay with the town.\u201d\n\n"
        "Vale said the board would meet on Friday.")


def draft(**changes):
    items = [
        {"cue": "reported", "content": "The Harbour Board plans to sell its two ferries", "mention": "the Lowmoor Gazette",
         "speaker": "Lowmoor Gazette", "speaker_type": "outlet",
         "chain": ["Lowmoor Gazette", "a person familiar with the talks"], "direct": False, "stance": "assert"},
        {"cue": "said", "content": "There is no sale,\u201d board chair Ines Vale said. \u201cThe ferries stay with the town.",
         "mention": "board chair Ines Vale", "speaker": "Ines Vale", "speaker_type": "person", "direct": True,
         "stance": "deny", "addresses": 0},
        {"cue": "said", "content": "the board would meet on Friday", "mention": "Vale", "speaker": "Ines Vale",
         "speaker_type": "person", "direct": False, "stance": "assert"},
    ]
    base = {"id": "ferry", "source": "news/ferry.txt", "split": "dev", "annotator": "t", "attributions": items,
            "claims": [{"summary": "The board will sell its ferries", "attributions": [0, 1], "status": "disputed"}]}
    base.update(changes)
    return base


def test_anchor_turns_quotes_into_offsets_that_read_back():
    gold = anchor(draft(), TEXT)
    assert gold["sha256"] == sha256(TEXT)
    back = as_scorable(gold, TEXT)["attributions"]
    assert back[0]["content"] == "The Harbour Board plans to sell its two ferries"
    assert back[1]["cue"] == "said" and TEXT[gold["attributions"][1]["mention"][0]:].startswith("board chair")
    assert back[2]["content"] == "the board would meet on Friday"
    assert TEXT[slice(*gold["attributions"][2]["mention"])] == "Vale"
    assert "There is no sale" not in json.dumps(gold)  # offsets and labels only, no article text


def test_anchor_refuses_a_quote_that_is_not_in_the_text():
    bad = draft()
    bad["attributions"][0]["content"] = "The Harbour Board will buy three ferries"
    with pytest.raises(AnchorError, match="not in the text"):
        anchor(bad, TEXT)


def test_anchor_refuses_labels_outside_the_spec():
    bad = draft()
    bad["attributions"][2]["stance"] = "claims"
    with pytest.raises(AnchorError, match="stance"):
        anchor(bad, TEXT)
    with pytest.raises(AnchorError, match="claim"):
        anchor(draft(claims=[{"summary": "x", "attributions": [7], "status": "denied"}]), TEXT)


def test_read_source_checks_the_text_is_the_one_anchored(tmp_path):
    gold = anchor(draft(), TEXT)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "ferry.txt").write_text(TEXT, encoding="utf-8")
    assert read_source(gold, tmp_path) == TEXT
    (tmp_path / "news" / "ferry.txt").write_text(TEXT + " Edited.", encoding="utf-8")
    with pytest.raises(ValueError, match="SHA-256"):
        read_source(gold, tmp_path)
    with pytest.raises(FileNotFoundError):
        read_source({**gold, "source": "news/missing.txt"}, tmp_path)


def test_bootstrap_interval_brackets_the_total():
    scores = [Score(gold=10, predicted=10, matched=m, speaker_ok=m, canonical_ok=m, stance_ok=m, claims=2,
                    claims_ok=1) for m in (6, 8, 10, 9)]
    intervals = bootstrap(scores, samples=200)
    low, high = intervals["recall"]
    assert 0.6 <= low <= 0.825 <= high <= 1.0


def test_unknown_split_is_refused():
    import click
    with pytest.raises(click.BadParameter):
        load_gold("train")


def test_evaluate_news_scores_a_gold_set(tmp_path, nlp):
    gold = anchor(draft(), TEXT)
    (tmp_path / "gold" / "dev").mkdir(parents=True)
    (tmp_path / "gold" / "dev" / "ferry.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "data" / "news").mkdir(parents=True)
    (tmp_path / "data" / "news" / "ferry.txt").write_text(TEXT, encoding="utf-8")
    result = evaluate_news("dev", tmp_path / "data", tmp_path / "gold", nlp=nlp)
    assert result["counts"] == {"articles": 1, "attributions": 3, "claims": 1, "chains": 1}
    assert result["totals"]["recall"] is not None and 0 < result["totals"]["recall"] <= 1
    assert set(result["intervals"]) >= {"f1", "speaker", "canonical", "stance", "chains", "claim_status"}
