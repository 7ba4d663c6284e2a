"""The corpus benchmarks: a reproducible synthetic feed, figures that come from a real store, clear failures."""
from __future__ import annotations

from click.testing import CliRunner

from onrecord.cli import main
from onrecord.evaluation.corpus_bench import SyntheticFeed, run_ingest_throughput, run_store_scaling

HARBOUR = ["The Port of Alvena said on Monday that dockworkers at the Kessing terminal would strike for three days "
           "over pay. Union leader Marta Brenn said talks with the Alvena Harbour Board had failed. The board said it "
           "regretted the walkout and hoped ships would not be diverted to Lorsund. Shipping firms warned of delays "
           "for grain and timber cargoes. Brenn said the union would meet the board again on Friday.",
           "Dockworkers in Alvena began a three-day strike on Tuesday after pay talks collapsed. Marta Brenn, who "
           "leads the union, said members had waited two years for a raise. The Alvena Harbour Board said two "
           "grain ships had already left for Lorsund. The city's mayor, Ivo Tamsel, urged both sides to return to "
           "the table before the strike hurt exporters."]
ORCHARD = ["Frost destroyed much of the apple crop in the Varden valley this week, growers said. The Varden Fruit "
           "Cooperative said losses could reach forty percent and asked the regional government for help. Farmer "
           "Jonas Peel said he had never seen frost so late in spring. Prices for apples rose at the Brask market "
           "on Thursday as buyers feared a shortage later in the year."]


def test_the_feed_is_reproducible_dated_in_order_and_mixes_copies_with_new_articles():
    feed, again = SyntheticFeed([HARBOUR, ORCHARD], seed=3), SyntheticFeed([HARBOUR, ORCHARD], seed=3)
    items = [next(feed) for _ in range(250)]
    assert items == [next(again) for _ in range(250)]
    days = [published.date() for _, published in items]
    assert days == sorted(days) and len(set(days)) == 3  # 100 a day
    texts = [text for text, _ in items]
    assert len(set(texts)) == len(texts)  # every article differs, copies too
    assert feed.recent and len(feed.recent) < len(texts)  # some were copies, which are not reprinted again


def test_store_scaling_measures_a_real_store(tmp_path):
    result = run_store_scaling(sizes=(20, 40), additions=5, groups=[HARBOUR, ORCHARD], db=tmp_path / "bench.db")
    assert [row["stored"] for row in result["sizes"]] == [20, 40]
    for row in result["sizes"]:
        assert row["median_ms"] > 0 and row["resident_mb"] > 0
        assert 0 < row["stories"] <= row["stored"] + 5 and row["copies"] > 0
    assert result["median_ratio"] > 0 and result["resident_ratio"] > 0


def test_ingest_throughput_compares_batch_and_ingest_on_the_same_pages(tmp_path, nlp):
    for number, text in enumerate(HARBOUR + ORCHARD):
        (tmp_path / f"page{number}.txt").write_text("Harbour news\n\n" + text, encoding="utf-8")
    result = run_ingest_throughput(tmp_path, workers=1)
    assert result["pages"] == 3
    assert all(result[run]["pages_per_second"] > 0 for run in ("batch", "ingest_without_claims", "ingest"))
    assert result["ratio_without_claims"] == round(result["ingest_without_claims"]["pages_per_second"] /
                                                   result["batch"]["pages_per_second"], 2)


def test_bench_options_fail_clearly(tmp_path):
    runner = CliRunner()
    for sizes in ("abc", "0", "10,-5"):
        outcome = runner.invoke(main, ["bench", "--store", sizes])
        assert outcome.exit_code == 2 and "--store" in outcome.output
    outcome = runner.invoke(main, ["bench", "--ingest", str(tmp_path)])
    assert outcome.exit_code == 1 and "no .txt files" in outcome.output
    outcome = runner.invoke(main, ["bench", "--ingest"])
    assert outcome.exit_code == 2 and "TEXT_DIR is required" in outcome.output
