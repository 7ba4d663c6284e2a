"""The CheckThat! 2020 Task 2 benchmark: its metric on hand-made rankings, and the data loading when present."""
import os
from pathlib import Path

import pytest

from onrecord.corpus.matching import Candidate
from onrecord.evaluation.checkthat import average_precision, bm25_rankings, load_claims, load_split, ranking_metrics

DATA = Path(os.environ.get("ONRECORD_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
needs_data = pytest.mark.skipif(not (DATA / "checkthat-2020-t2" / "data-v3.zip").is_file(),
                                reason=f"{DATA}/checkthat-2020-t2 is absent: the datasets live in ../shared/data")


def test_average_precision_counts_only_the_top_k():
    assert average_precision(["a", "b", "c"], {"a"}, 5) == 1.0
    assert average_precision(["x", "a", "c"], {"a"}, 5) == 0.5
    assert average_precision(["x", "y", "a"], {"a"}, 1) == 0.0
    assert average_precision(["a", "x", "b"], {"a", "b"}, 5) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision(["a", "x", "b"], {"a", "b"}, 2) == pytest.approx(0.5)
    assert average_precision(["a"], set(), 5) == 0.0


def test_ranking_metrics_on_a_hand_made_run():
    gold = {"q1": {"c1"}, "q2": {"c2"}, "q3": {"c3"}, "q4": {"c4"}}
    run = {"q1": ["c1", "c9"], "q2": ["c9", "c2"], "q3": ["c7", "c8", "c9", "c5", "c6", "c3"]}  # q4 unranked
    report = ranking_metrics(run, gold)
    assert report["queries"] == 4
    assert report["map@1"] == pytest.approx(0.25)
    assert report["map@3"] == pytest.approx((1 + 0.5) / 4)
    assert report["map@5"] == pytest.approx((1 + 0.5) / 4)
    assert report["p@1"] == pytest.approx(0.25)


def test_bm25_baseline_uses_the_title_too():
    claims = [Candidate("1", "A photo shows a shark on a flooded highway.", "Shark Swimming on Houston Freeway?"),
              Candidate("2", "The governor banned plastic straws.", "Straw Ban")]
    assert bm25_rankings({"q": "houston freeway"}, claims)["q"][0] == "1"


@needs_data
def test_loads_the_claims_and_the_development_splits():
    claims = load_claims(DATA)
    train, dev = load_split("train", DATA), load_split("dev", DATA)
    assert len(claims) == 10375 and len({c.id for c in claims}) == len(claims)
    assert (len(train.queries), len(dev.queries)) == (800, 197)
    assert set(train.gold) <= set(train.queries) and set(dev.gold) <= set(dev.queries)
    known = {c.id for c in claims}
    assert all(ids <= known for ids in (*train.gold.values(), *dev.gold.values()))
