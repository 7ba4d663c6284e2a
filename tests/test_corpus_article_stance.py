"""An article's stance toward a claim (onrecord.corpus.article_stance) on short fictional articles, with the
shipped head; the edge cases; the analysis JSON round trip; the boosted trees' traversal."""
import numpy as np
import pytest

from onrecord.corpus.article_stance import (
    FNC_LABEL,
    STANCES,
    ArticleStanceModel,
    analysis_from_dict,
    predict_margins,
    split_sentences,
)
from onrecord.records import Analysis, Article, Offsets

CLAIM = "Veltrix will close its Kessing car plant"

DENIAL = """Veltrix Motors on Tuesday denied a newspaper report that it plans to close its car plant in Kessing.

"There is no plan to close Kessing. The report is simply false," Veltrix spokeswoman Hanne Sorensen said.

The Kessing Daily Courier had claimed on Monday that the board approved the closure. The company said the story was
untrue and that the plant's 2,400 workers have nothing to fear. Union leaders welcomed the denial."""

PLAIN = """Veltrix Motors will close its car plant in Kessing next year, ending 60 years of car making in the town.

The plant's 2,400 workers were told of the closure at a meeting on Tuesday morning. Production of the compact SUV
built there moves to Veltrix's newer factory in Arden from March.

The closure of the Kessing plant is the largest in the region's history. The town's mayor called it a heavy blow."""

ATTRIBUTED = """Veltrix Motors may close its car plant in Kessing, according to a report in the Kessing Daily Courier
that cites two unnamed sources close to the board.

The newspaper said the board could approve the closure as early as next month. The report could not be
independently verified, and Veltrix did not respond to requests for comment.

If confirmed, the closure of the Kessing plant would affect 2,400 workers, the Courier reported."""

UNRELATED = """The annual Harbourside cat show drew a record 3,000 visitors on Saturday, its organisers said.

A Maine Coon called Biscuit took the top prize for the third year running. Judges praised its calm temperament.

Next year's show moves to the larger exhibition hall by the marina."""


@pytest.fixture(scope="module")
def model():
    return ArticleStanceModel.load()


@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    pytest.param(DENIAL, "rejects", marks=pytest.mark.xfail(
        strict=True, reason="known miss of the shipped head: disagree is its weakest class (test F1 0.07); this "
                            "denial scores discuss 0.39 over disagree")),
    (PLAIN, "states"), (ATTRIBUTED, "unverified"), (UNRELATED, "unrelated")],
                         ids=["denial", "plain", "attributed", "unrelated"])
def test_stance_of_fictional_articles(model, analyze_text, text, expected):
    result = model.predict(CLAIM, analyze_text(text))
    assert result.stance == expected, result
    assert result.fnc_label == FNC_LABEL[expected]
    assert 0.0 < result.score <= 1.0
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    assert bool(result.evidence) == (expected != "unrelated")


def test_an_empty_claim_is_an_error(model):
    analysis = Analysis(Article(title=None, text="Some text.", paragraphs=[Offsets(0, 10)]))
    for claim in ("", "   "):
        with pytest.raises(ValueError, match="claim is empty"):
            model.predict(claim, analysis)


def test_an_empty_article_is_unrelated(model):
    result = model.predict(CLAIM, Analysis(Article(title=None, text="", paragraphs=[])))
    assert result.stance == "unrelated" and result.score == 1.0 and not result.evidence


def test_every_stance_maps_to_an_fnc_label():
    assert set(FNC_LABEL) == set(STANCES)
    assert {FNC_LABEL[s] for s in STANCES} == {"agree", "disagree", "discuss", "unrelated"}


def test_sentences_stay_within_paragraphs():
    text = "First one. Second one? \"Third,\" he said.\n\nA new paragraph without a stop"
    article = Article(title=None, text=text, paragraphs=[Offsets(0, 40), Offsets(42, len(text))])
    sentences = split_sentences(article)
    assert [s.text for s in sentences] == ["First one.", "Second one?", "\"Third,\" he said.",
                                           "A new paragraph without a stop"]
    assert all(text[s.start:s.end] == s.text for s in sentences)


@pytest.mark.model
def test_an_analysis_survives_its_json(analyze_text):
    analysis = analyze_text(ATTRIBUTED)
    rebuilt = analysis_from_dict(analysis.to_dict())
    assert rebuilt == analysis


def test_trees_route_rows_by_threshold():
    tree = {"feature": [0, -1, 1, -1, -1], "threshold": [0.5, 0, 2.0, 0, 0], "left": [1, -1, 3, -1, -1],
            "right": [2, -1, 4, -1, -1], "value": [0, -1.0, 0, 2.0, 3.0]}
    x = np.array([[0.0, 9.0], [1.0, 1.0], [1.0, 5.0]])
    margins = predict_margins([[tree, tree]], x, [0.1, 0.0], 2)
    assert margins[:, 0].tolist() == pytest.approx([-0.9, 2.1, 3.1])
