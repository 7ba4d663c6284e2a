"""Stance on the error classes found on real news (issue 15), with invented sentences."""
import pytest

from onrecord.stance import content_terms, link_answers, points_at_report
from tests.conftest import find

TITLE = "Test story headline here\n\n"
REPORT = "The Valley Courier reported on Monday that the Brenmoor council had sold the old quarry to a developer.\n\n"


@pytest.mark.parametrize("sentence,cue", [
    ("A spokeswoman for Ostrava Mills said she could not guarantee that the quarry would stay open.", "said"),
    ("Ostrava Mills did not respond to requests for comment about the quarry.", "respond"),
    ("The mayor declined to say whether the quarry had been sold.", "declined"),
    ("The council's lawyer could not explain why the quarry had been sold.", "explain"),
])
def test_refusals_and_non_answers_are_unconfirmed(analyze_text, sentence, cue):
    analysis = analyze_text(TITLE + REPORT + sentence)
    assert find(analysis, cue).stance == "unconfirmed"


@pytest.mark.parametrize("sentence", [
    "The council said the cause of the collapse had not been determined.",
    "Inspector Hala Brun said it was too early to tell whether the dam had been sabotaged.",
])
def test_statements_that_leave_a_question_open_are_unconfirmed(analyze_text, sentence):
    assert analyze_text(TITLE + sentence).attributions[0].stance == "unconfirmed"


@pytest.mark.parametrize("sentence", [
    "Mayor Ines Farro said she was optimistic about the new ferry route.",
    "The coach told reporters he was delighted with the result.",
    "Councillor Tam Oyelaran said he finally believes the harbour can be saved.",
    "The union said they were concerned that the mill would close.",
    "Residents said they support the plan to rebuild the pier.",
    "The Marlow Rowing Club declared its support for the new marina.",
])
def test_the_speakers_own_attitude_is_an_opinion(analyze_text, sentence):
    assert analyze_text(TITLE + sentence).attributions[0].stance == "opinion"


def test_anothers_attitude_reported_by_an_outlet_stays_an_assertion(analyze_text):
    analysis = analyze_text(TITLE + "The Harbour Gazette reported that the Brenmoor council is considering new "
                            "parking fees.")
    assert find(analysis, "reported").stance == "assert"


@pytest.mark.parametrize("sentence,stance", [
    ("Transport minister Ona Vell said the government would reopen the coastal railway next year.", "commit"),
    ("Lindqvist Foods said it would close two bakeries in March.", "commit"),
    ("The Harbour Gazette said the Lindqvist board would only meet at a higher price.", "assert"),
    ("Dr Pia Sorne said it would take hours before the results were known.", "assert"),
    ('"The inspectors will see the full report in June," Tomas Reyl said.', "assert"),
    ("Senator Ada Quill said the levy should rise to 12 percent quickly.", "directive"),
    ("Ms Quill stressed the need to avoid another strike.", "directive"),
    ('"Perhaps the museum can help us listen to each other," the curator said.', "hedge"),
])
def test_the_opening_clause_decides_a_neutral_cue(analyze_text, sentence, stance):
    assert analyze_text(TITLE + sentence).attributions[0].stance == stance


def test_a_rejecting_predicate_is_a_denial(analyze_text):
    analysis = analyze_text(TITLE + REPORT + "The council said the story about the quarry was pure invention.")
    assert find(analysis, "said").stance == "deny"


@pytest.mark.parametrize("quote", [
    "This must never happen again in Brenmoor",
    "I don't think the quarry deal is going anywhere.",
    "We're not just selling land, we're building homes.",
    "If the council doesn't sell the quarry, it will sell the harbour.",
])
def test_a_quote_that_merely_contains_a_negation_is_not_a_denial(analyze_text, quote):
    analysis = analyze_text(TITLE + REPORT + f'"{quote.rstrip(".")}," councillor Bram Oduya said.')
    assert find(analysis, "said").stance != "deny"


def test_a_quoted_negation_that_answers_a_report_is_a_denial(analyze_text):
    analysis = analyze_text(TITLE + REPORT + '"The council has never sold the quarry to a developer," '
                            "council leader Mira Senn said.")
    said = find(analysis, "said")
    assert said.stance == "deny" and said.addresses == find(analysis, "reported").id


def test_a_text_that_withholds_something_is_not_refusing_to_answer(analyze_text):
    analysis = analyze_text(TITLE + REPORT + "The council issued a short statement on Tuesday. It did not reveal "
                            "the name of the developer.")
    assert all(a.stance != "unconfirmed" for a in analysis.attributions)


def test_confirming_inside_a_documents_description_is_not_a_confirmation(analyze_text):
    analysis = analyze_text(TITLE + "Officials in Brenmoor published a letter confirming that Ada Quill had won "
                            "the recount.")
    assert all(a.stance != "confirm" for a in analysis.attributions)


# ---------------------------------------------------------------- which report an answer answers (link_answers)

def test_an_answer_with_a_proposition_no_report_states_answers_nothing(analyze_text):
    analysis = analyze_text(TITLE + REPORT + "Councillor Ivo Brandt denied that he had taken gifts from "
                            "the harbour pilots.")
    denied = find(analysis, "denied")
    assert denied.stance == "deny" and denied.addresses is None  # not "the latest report" by default


def test_two_speakers_names_alone_link_nothing():
    stances = ["assert", "deny"]
    terms, speakers = [{"judgment", "lack"}, {"gift", "pilot"}], [{"brandt", "senn"}, {"brandt"}]
    assert link_answers(stances, terms, [{"e1"}, {"e2"}], [False] * 2, speakers) == [None, None]


def test_a_bare_answer_meets_the_report_that_names_its_speaker():
    stances = ["assert", "assert", "assert", "unconfirmed"]
    terms = [{"budget", "tax"}, {"brisk", "resign"}, {"parade", "noon"}, set()]
    speakers = [set(), set(), set(), {"brisk"}]
    assert link_answers(stances, terms, [{"e1"}, {"e2"}, {"e3"}, {"e4"}], [False] * 4, speakers)[-1] == 1


def test_an_answer_naming_the_reports_source_answers_it():
    # "declined to comment on the draft" answers what "a draft budget obtained by the Tribune" says
    stances = ["assert", "assert", "unconfirmed"]
    terms = [{"fare", "raise"}, {"tram", "late"}, {"draft"}]
    speakers = [{"draft", "budget", "tribune"}, set(), {"flanagan"}]
    assert link_answers(stances, terms, [{"e1"}, {"e2"}, {"e3"}], [False] * 3, speakers)[-1] == 0


def test_among_equally_matching_reports_the_earliest_is_answered():
    stances = ["assert", "assert", "unconfirmed"]
    terms = [{"kelvar", "offer"}, {"kelvar", "adviser"}, set()]
    speakers = [set(), set(), {"kelvar"}]
    assert link_answers(stances, terms, [{"e1"}, {"e2"}, {"e3"}], [False] * 3, speakers)[-1] == 0


def test_an_answer_that_points_at_the_claims_falls_back_to_the_latest_line(nlp):
    doc = nlp("He dismissed the group's claims as a pressure tactic.")
    terms = content_terms(doc, 13, len(doc.text), lambda word: None)
    assert points_at_report(doc, 13, len(doc.text)) and "claim" not in terms
    assert not points_at_report(doc, 0, 12)
    stances = ["assert", "assert", "assert", "deny"]
    reports = [{"ferry", "late"}, {"record", "steal"}, {"datum", "publish"}]
    lineages = [{"e1"}, {"e2"}, {"e2"}, {"e3"}]
    assert link_answers(stances, reports + [terms], lineages, [False] * 4,
                        points_back=[False] * 3 + [True])[-1] == 1  # its line's first report
    assert link_answers(stances, reports + [terms], lineages, [False] * 4)[-1] is None  # a proposition of its own


def test_a_refusal_that_goes_on_from_the_speakers_own_account_answers_nothing():
    # the mayor calls the fire "arson"; Chief Vandor: "the fire started near the dock" ... "the cause of the fire
    # has not been established" continues Vandor's account rather than answering the mayor
    stances = ["assert", "assert", "unconfirmed"]
    terms = [{"blaze", "pier", "arson"}, {"blaze", "pier", "start"}, {"blaze", "pier", "cause"}]
    lineages = [{"mayor"}, {"vandor"}, {"vandor"}]
    assert link_answers(stances, terms, lineages, [False] * 3)[-1] is None
    assert link_answers(stances, terms, [{"mayor"}, {"pilot"}, {"vandor"}], [False] * 3)[-1] == 0


def test_a_refusal_answers_a_later_report_only_when_it_shares_its_point():
    # "too early to tell whether a gas leak caused the blast" ... later: a senator says "a gas leak" did it
    stances = ["unconfirmed", "assert", "assert"]
    terms = [{"early", "gas", "leak", "blast"}, {"budget", "vote"}, {"gas", "leak", "senator"}]
    lineages = [{"mayor"}, {"council"}, {"senator"}]
    assert link_answers(stances, terms, lineages, [False] * 3)[0] == 2
    one_word = [{"early", "gas", "blast"}, {"budget", "vote"}, {"gas", "price"}]
    assert link_answers(stances, one_word, lineages, [False] * 3)[0] is None  # a single shared word is chance


def test_an_answer_stating_its_own_point_needs_more_than_the_articles_topic_word():
    # "Orbitra confirmed the deployment of its satellites" shares only "Orbitra", which every report names
    stances = ["assert", "assert", "assert", "confirm"]
    terms = [{"orbitra", "booster", "reuse"}, {"orbitra", "profit"}, {"orbitra", "ipo"}, {"orbitra", "deployment"}]
    lineages = [{"e1"}, {"e2"}, {"e3"}, {"e4"}]
    assert link_answers(stances, terms, lineages, [False] * 4)[-1] is None
    terms[0].add("deployment")
    assert link_answers(stances, terms, lineages, [False] * 4)[-1] == 0


def test_dates_are_not_content_words(nlp):
    doc = nlp("Kestrel Aerospace will list its satellite unit next year.")
    terms = content_terms(doc, 0, len(doc.text), lambda word: None)
    assert "satellite" in terms and "year" not in terms


def test_a_negation_rejects_a_factual_report_not_an_opinion_or_appeal():
    # the union "mocked" the ferry plan (an opinion); the minister: "the ferry is not going to close"
    stances = ["opinion", "assert"]
    terms = [{"ferry", "close", "plan"}, {"ferry", "close"}]
    lineages = [{"union"}, {"minister"}]
    assert link_answers(list(stances), terms, lineages, [False, True]) == [None, None]
    reported = ["assert", "assert"]
    assert link_answers(reported, terms, lineages, [False, True]) == [None, 0] and reported[1] == "deny"


def test_a_negation_that_goes_on_from_the_speakers_own_account_is_no_denial():
    # the Gazette: "the ferry will close"; the minister, twice: the ferry plan ... "the ferry is not the problem"
    stances = ["assert", "assert", "assert"]
    terms = [{"ferry", "close"}, {"ferry", "close", "budget"}, {"ferry", "close", "budget"}]
    assert link_answers(stances, terms, [{"gazette"}, {"minister"}, {"minister"}], [False, False, True])[-1] is None
    assert stances[-1] == "assert"
    assert link_answers(stances, terms, [{"gazette"}, {"mayor"}, {"minister"}], [False, False, True])[-1] == 1


def test_a_not_inside_the_quote_does_not_negate_the_saying(analyze_text):
    analysis = analyze_text(TITLE + '"Is the harbour ready for winter? Probably not," said Mira Senn, a councillor '
                            "in Brenmoor.")
    assert find(analysis, "said").stance == "assert"


@pytest.mark.parametrize("sentence", [
    '"Not going to go into that," the Brenmoor police chief said when asked about the suspect.',
    'Senator Ada Quill told reporters she "honestly [doesn\'t] know the answer" to the question of the levy.',
])
def test_a_spoken_non_answer_is_unconfirmed(analyze_text, sentence):
    assert analyze_text(TITLE + sentence).attributions[0].stance == "unconfirmed"


def test_not_knowing_ones_own_situation_is_no_refusal(analyze_text):
    analysis = analyze_text(TITLE + "Rosa Keel said she did not know whether her farm had survived the flood.")
    assert find(analysis, "said").stance == "assert"


@pytest.mark.parametrize("sentence,stance", [
    ('"I\'ll tell you, there is a problem with the ferry timetable," Senator Ada Quill said.', "assert"),
    ('"I\'ll rebuild the ferry pier by June," Senator Ada Quill said.', "commit"),
])
def test_ill_tell_you_announces_what_follows_and_pledges_nothing(analyze_text, sentence, stance):
    assert analyze_text(TITLE + sentence).attributions[0].stance == stance


@pytest.mark.parametrize("sentence,stance", [
    ('"I call it the bridge that saved the town," said Ona Vell, a historian in Brenmoor.', "opinion"),
    ('"We call on the mayor to resign," the Brenmoor dockers\' union said.', "directive"),
    ("Tomas Reyl has been called a charlatan by fellow physicians for promoting “quack” cures.", "opinion"),
])
def test_calling_something_a_name_is_a_judgement_not_an_appeal(analyze_text, sentence, stance):
    assert analyze_text(TITLE + sentence).attributions[0].stance == stance


@pytest.mark.parametrize("sentence,stance", [
    ("Transport minister Ona Vell said the government was committed to the coastal railway.", "commit"),
    ("Lindqvist Foods said it remained committed to its bakeries in Marlow.", "commit"),
    ("The Harbour Gazette said the Lindqvist board was committed to the sale.", "assert"),
    ("Police in Brenmoor said the robbery was committed by two men.", "assert"),
])
def test_a_party_committed_to_something_pledges_it(analyze_text, sentence, stance):
    assert analyze_text(TITLE + sentence).attributions[0].stance == stance


def test_an_answer_with_words_of_its_own_also_meets_the_report_that_names_its_speaker():
    # the Gazette: Kelvar's board "would sell at a higher price"; the Tribune: the buyer has the financing;
    # a Kelvar spokesman "does not comment on market rumours" answers what was said of Kelvar
    stances = ["assert", "assert", "unconfirmed"]
    terms = [{"kelvar", "board", "price", "sell"}, {"financing", "buyer"}, {"market"}]
    speakers = [{"gazette"}, {"tribune"}, {"kelvar"}]
    assert link_answers(stances, terms, [{"e1"}, {"e2"}, {"e3"}], [False] * 3, speakers)[-1] == 0


def test_aware_of_the_reports_but_cannot_confirm_them_is_unconfirmed(analyze_text):
    sentence = '"We are aware of the reports but we cannot confirm them at this stage," spokeswoman Grace Mwila said.'
    assert find(analyze_text(TITLE + REPORT + sentence), "said").stance == "unconfirmed"


def test_a_denial_of_its_own_point_does_not_answer_a_report_that_only_names_the_denier():
    # an MP alleges the ministry ignored a warning about Halvorsen's figures; Halvorsen "denied that it is under
    # investigation by the ministry": the report names Halvorsen, but the denial answers something else
    stances = ["allege", "assert", "deny"]
    terms = [{"ministry", "warn", "irregularity", "halvorsen", "figure"}, {"ministry", "desk", "ignore"},
             {"investigation", "ministry"}]
    speakers = [{"brekke"}, {"brekke"}, {"halvorsen", "bulk", "carrier"}]
    assert link_answers(stances, terms, [{"e1"}, {"e1"}, {"e2"}], [False] * 3, speakers)[-1] is None
    bare = terms[:2] + [set()]  # "Halvorsen denied it": with no words of its own, the report that names it
    assert link_answers(stances, bare, [{"e1"}, {"e1"}, {"e2"}], [False] * 3, speakers)[-1] == 0


def test_a_denial_answers_a_later_report_only_when_it_shares_two_of_its_words():
    # "Halvorsen denied that it was under investigation" ... a lawyer: "investigations of this kind take months"
    stances = ["deny", "assert", "assert"]
    lineages = [{"halvorsen"}, {"aasen"}, {"opheim"}]
    one_word = [{"investigation"}, {"contact", "authority"}, {"investigation", "kind", "month"}]
    assert link_answers(stances, one_word, lineages, [False] * 3)[0] is None
    two_words = [{"investigation", "fuel"}, {"contact", "authority"}, {"investigation", "fuel", "log"}]
    assert link_answers(stances, two_words, lineages, [False] * 3)[0] == 2


@pytest.mark.parametrize("sentence,stance", [
    ("Councillor Kari Brekke said she would ask the minister to appear before the committee.", "commit"),
    ("Councillor Kari Brekke said we will urge the board to reopen the quarry.", "commit"),
    ("Councillor Kari Brekke said she was asking the minister to appear before the committee.", "directive"),
])
def test_a_speaker_announcing_an_appeal_commits_to_making_it(analyze_text, sentence, stance):
    assert find(analyze_text(TITLE + sentence), "said").stance == stance
