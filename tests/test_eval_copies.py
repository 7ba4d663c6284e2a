"""The written rule that labels real FNC-1 pairs for `eval copies`: shared 8-word runs, not sentences."""
from onrecord.evaluation.copies import build_pairs, shared_run_coverage

WIRE = (
    "A Macedonian man who was dumped by his girlfriend chopped off his penis and threw it in the bin. "
    "Oliver Ilic, 22, had called medics after he couldn't stop the bleeding and was taken to hospital. "
    "Police searched his house and found the severed organ in a bin next to a razor blade from the kitchen. "
    "Surgeons in the capital Skopje managed to reattach it in a five-hour operation on Tuesday night."
)
REPRINT = (
    "A MAN who was dumped by his girlfriend chopped off his penis and threw it in the bin. "
    "Oliver Ilic, 22, had called medics after he could not stop the bleeding and was taken to hospital. "
    "Police searched his house and found the severed organ in a bin next to a razor blade from the sink. "
    "Surgeons in the capital Skopje managed to reattach it in a five-hour surgery on Tuesday night."
)
OTHER_ARTICLE = (
    "Doctors in Skopje say a young man from Kocani may never recover fully after a failed relationship. "
    "Oliver Ilic, 22, had called medics after he couldn't stop the bleeding and was taken to hospital. "
    "The hospital declined to comment on the case, citing privacy, and police are not investigating. "
    "A psychologist said such cases are rare but usually linked to depression and shame afterwards."
)


def test_a_reprint_with_a_word_changed_in_every_sentence_is_a_copy():
    assert shared_run_coverage(WIRE, REPRINT) >= 0.8


def test_another_article_quoting_one_shared_sentence_is_not_a_copy():
    assert shared_run_coverage(WIRE, OTHER_ARTICLE) < 0.5


def test_lost_paragraph_breaks_do_not_hide_a_copy():
    assert shared_run_coverage(WIRE.replace(". ", ".nn"), REPRINT) >= 0.8


def test_a_teaser_inside_the_full_article_is_measured_on_the_shorter_body():
    teaser = " ".join(WIRE.split(". ")[:2]) + ". (Excerpt) Read more at example.com"
    assert shared_run_coverage(WIRE + " " + OTHER_ARTICLE, teaser) >= 0.8


def test_a_body_shorter_than_one_run_shares_nothing():
    assert shared_run_coverage("Read more at example.com", WIRE) == 0.0


def test_real_pairs_are_labelled_by_the_rule_and_non_copies_are_the_hard_negatives():
    bodies = {1: WIRE, 2: REPRINT, 3: OTHER_ARTICLE}
    _, real, _, negatives = build_pairs(bodies, {1: "s", 2: "s", 3: "s"})
    assert ("fnc:1", "fnc:2", True) in real
    assert ("fnc:1", "fnc:3", False) in real and ("fnc:1", "fnc:3") in negatives
