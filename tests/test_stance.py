import pytest

from onrecord.stance import link_answers, speaker_terms
from tests.conftest import find

TITLE = "Test story headline here\n\n"


@pytest.mark.parametrize("sentence,stance", [
    ("The ministry said it was unable to confirm the report.", "unconfirmed"),
    ("The company said it could not immediately confirm the figures.", "unconfirmed"),
    ('The spokesman told reporters: "There\'s no truth in these reports."', "deny"),
    ("The senator said she believed the bill would pass.", "opinion"),
    ('The mayor added: "We will keep the shelters open all winter."', "commit"),
    ('The police chief said: "We are asking everyone to stay indoors."', "directive"),
    ("The minister said the bridge would reopen in May.", "assert"),
    ("The regulator did not deny that an inquiry had been opened.", "unconfirmed"),
    ("The club reportedly said it would sell the stadium.", "hedge"),
])
def test_speech_act_of_neutral_and_negated_cues(analyze_text, sentence, stance):
    analysis = analyze_text(TITLE + sentence)
    assert analysis.attributions[0].stance == stance


def test_modal_deep_in_content_is_not_a_hedge(analyze_text):
    analysis = analyze_text(TITLE + "The minister said the new rules could affect thousands of farmers.")
    assert find(analysis, "said").stance == "assert"


def test_negated_answer_to_another_partys_report_is_a_denial(analyze_text):
    analysis = analyze_text(TITLE + "The Harbour Times reported that the ferry company would sell its fleet.\n\n"
                            '"The company will not sell its fleet," chief executive Ana Silva said.')
    reported, said = analysis.attributions
    assert said.stance == "deny" and said.addresses == reported.id


def test_denial_links_to_the_report_it_answers(analyze_text):
    analysis = analyze_text(TITLE + "The Daily Ledger reported that the mayor had accepted gifts from developers.\n\n"
                            "Separately, the council said parking fees would rise in April.\n\n"
                            "The mayor denied accepting any gifts from developers.")
    denied = find(analysis, "denied")
    assert denied.addresses == find(analysis, "reported").id


def test_link_answers_prefers_shared_rare_words_and_skips_own_reports():
    stances = ["assert", "assert", "deny"]
    terms = [{"asylum", "japan"}, {"budget", "tax"}, {"asylum", "embassy"}]
    lineages = [{"e1"}, {"e2"}, {"e3"}]
    assert link_answers(stances, terms, lineages, [False] * 3) == [None, None, 0]
    # its own earlier report is never what a party answers; an answer sharing no word with another report
    # states something no report says, and answers nothing
    assert link_answers(stances, terms, [{"e1"}, {"e2"}, {"e1"}], [False] * 3) == [None, None, None]


def test_speaker_terms_drop_generic_words():
    assert speaker_terms("Brisk's office") == {"brisk"}
    assert speaker_terms(None) == set()
