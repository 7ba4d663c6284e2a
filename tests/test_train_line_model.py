"""The line model's training script: snippet labels and the weighted fit (numpy only, no datasets)."""
import importlib.util
import sys

import numpy as np

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("train_line_model", ROOT / "scripts" / "train_line_model.py")
train_line_model = importlib.util.module_from_spec(_spec)
sys.modules["train_line_model"] = train_line_model  # its dataclass resolves annotations through sys.modules
_spec.loader.exec_module(train_line_model)


def test_snippet_labels_mark_with_and_without_lines_and_leave_the_rest_unweighted():
    lines = ["Harbour council  approves the new ferry timetable for spring",  # spacing differs from the snippet
             "Sign up for our newsletter",
             "Home | News | Sport"]
    truth = {"with": ["council approves the new\nferry timetable"], "without": ["Sign up for our newsletter"]}
    label, weight = train_line_model.snippet_labels(lines, truth)
    assert label.tolist() == [1.0, 0.0, 0.0]
    assert weight.tolist() == [1.0, 1.0, 0.0]


def test_snippet_labels_with_no_snippets_weigh_nothing():
    label, weight = train_line_model.snippet_labels(["A line of prose about the harbour."], {})
    assert not weight.any() and not label.any()


def test_zero_weight_rows_do_not_move_the_fit():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 4))
    y = (x[:, 0] > 0).astype(float)
    weight = np.ones(200)
    weight[:50] = 0.0
    flipped = y.copy()
    flipped[:50] = 1.0 - flipped[:50]
    a = train_line_model.fit(x, y, weight, hidden=4, epochs=2)
    b = train_line_model.fit(x, flipped, weight, hidden=4, epochs=2)
    assert np.array_equal(a(x), b(x))
    c = train_line_model.fit(x, flipped, None, hidden=4, epochs=2)
    assert not np.array_equal(a(x), c(x))


def test_segment_f1_reads_the_kept_lines_as_trafilatura_scores_them():
    page = train_line_model.RenderedPage(
        lines=["Harbour council approves the ferry timetable", "Sign up for our newsletter"],
        features=np.zeros((2, 1)), truth={"with": ["council approves the ferry"], "without": ["Sign up"]},
        language="en", target=np.zeros(2), weight=np.zeros(2))
    assert train_line_model.segment_f1([page], [np.array([0.9, 0.1])], 0.5) == 1.0
    assert train_line_model.segment_f1([page], [np.array([0.9, 0.9])], 0.5) == 2 / 3  # P 0.5, R 1
    assert train_line_model.segment_f1([page], [np.array([0.9, 0.9])], 0.5, language="de") == 0.0


def test_silver_pages_are_labelled_by_the_html_cleaner_and_leave_out_scored_pages(shared):
    data = str(shared / "data")
    pages = train_line_model.silver_pages(data, 3, 0.5, exclude=set(), agreement=0.0)
    assert pages, "three htmldate pages with 150 words of article"
    for page in pages:
        assert set(np.unique(page.target)) <= {0.0, 1.0} and page.target.any()
        assert (page.weight == 0.5).all() and len(page.lines) == len(page.target)
    again = train_line_model.silver_pages(data, 3, 0.5, exclude={pages[0].url}, agreement=0.0)
    assert pages[0].url not in {page.url for page in again}


def test_the_word_model_learns_which_words_mark_chrome():
    article = [f"The council said the {w} would reopen after the repairs." for w in ("bridge", "pier", "road")]
    chrome = [f"Subscribe to our {w} newsletter today." for w in ("daily", "weekly", "morning")]
    lines = article + chrome
    y = np.array([1.0] * 3 + [0.0] * 3)
    scorer = train_line_model.fit_words(lines, y, np.ones(6), bits=12, steps=100)
    scores = scorer(["The council said the harbour would reopen.", "Subscribe to our evening newsletter."])
    assert scores[0] > 0 > scores[1]
    unweighted = train_line_model.fit_words(lines, 1.0 - y, np.zeros(6), bits=12, steps=100)
    assert np.allclose(unweighted.weights, 0.0)  # lines that weigh nothing teach nothing


def test_word_scores_out_of_fold_come_from_models_that_never_saw_the_page():
    def page(lines, label):
        return train_line_model.RenderedPage(lines=lines, features=np.zeros((len(lines), 1)), truth="",
                                             language="en", target=np.full(len(lines), label),
                                             weight=np.ones(len(lines)))
    # each fold's words are its own: a model fitted on the other folds has never seen them
    pages = [page(["alpha beta gamma", "delta epsilon"], 1.0), page(["zeta eta theta", "iota kappa"], 0.0),
             page(["lambda mu nu", "xi omicron"], 1.0), page(["pi rho sigma", "tau upsilon"], 0.0)]
    folds = np.array([0, 0, 1, 1])  # each fold holds an article page and a chrome page
    out = train_line_model.words_out_of_fold(pages, folds)
    in_sample = train_line_model.fit_words([l for p in pages for l in p.lines], np.array([1, 1, 0, 0, 1, 1, 0, 0.]),
                                           np.ones(8))
    for p, scores in zip(pages, out):
        assert np.ptp(scores) < 1e-9  # unseen words: every line gets the prior alone
        assert abs(in_sample(p.lines)[0]) > abs(scores[0]) + 1.0
