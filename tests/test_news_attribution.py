"""Attribution shapes from real news (issue 15), on fictional sentences: quotes that go on past their cue,
continued quotes with no cue of their own, interview transcripts, and reporting cues the lexicon lacked."""
import pytest

from onrecord.attribution import find_quotes
from onrecord.schema import json_schema
from tests.conftest import find

TITLE = "Harbour town council row deepens\n\n"
LEAD = "The council of Port Vellan met on Monday to discuss the closure of the old ferry terminal.\n\n"


def by_speaker(analysis, name):
    return [a for a in analysis.attributions if a.speaker.name == name]


def test_quote_going_on_after_its_cue_is_one_content(analyze_text):
    analysis = analyze_text(TITLE + LEAD + '"The terminal is finished," Mayor Ilsa Brandt said. "We cannot pay for '
                            'the repairs. The ferry company left us years ago."')
    said = find(analysis, "said")
    assert said.direct
    assert said.content.text.startswith("The terminal is finished")
    assert said.content.text.endswith("The ferry company left us years ago")
    assert len(by_speaker(analysis, "Ilsa Brandt")) == 1


def test_quote_interrupted_by_its_cue_is_one_content(analyze_text):
    analysis = analyze_text(TITLE + LEAD + '"The terminal is finished," said Ilsa Brandt, the mayor of Port Vellan, '
                            '"and nobody in this town will miss it."')
    said = find(analysis, "said")
    assert said.content.text.startswith("The terminal is finished")
    assert said.content.text.endswith("nobody in this town will miss it")


def test_next_speakers_quote_is_not_joined(analyze_text):
    analysis = analyze_text(TITLE + LEAD + '"The terminal is finished," Ilsa Brandt said. "It was a fine building '
                            'once," her deputy Oskar Lind added.')
    said, added = find(analysis, "said"), find(analysis, "added")
    assert said.content.text == "The terminal is finished"
    assert added.content.text == "It was a fine building once"
    assert added.speaker.name == "Oskar Lind"


def test_quote_after_narrative_is_the_speakers_with_an_empty_cue(analyze_text):
    analysis = analyze_text(TITLE + LEAD + '"We have waited long enough," Ilsa Brandt said at the meeting. She did '
                            'not take questions. "The ferry company has until Friday to answer us."')
    said = find(analysis, "said")
    assert said.content.text == "We have waited long enough"
    continued = find(analysis, "")
    assert continued.speaker.name == "Ilsa Brandt" and continued.direct
    assert continued.content.text == "The ferry company has until Friday to answer us"
    assert continued.cue.start == continued.cue.end


def test_quote_after_an_indirect_content_is_continued(analyze_text):
    analysis = analyze_text(TITLE + LEAD + 'The ferry company would not survive another winter, Ilsa Brandt said. '
                            '"Its boats are older than I am and its debts are larger than our budget."')
    continued = find(analysis, "")
    assert continued.speaker.name == "Ilsa Brandt"
    assert continued.content.text.startswith("Its boats are older")


def test_quote_opening_the_next_paragraph_continues_the_speaker(analyze_text):
    analysis = analyze_text(TITLE + LEAD + '"We have waited long enough," Ilsa Brandt said.\n\n'
                            '"The ferry company has until Friday to answer our letter."\n\n'
                            'The ferry company did not reply to the council on Tuesday.')
    continued = find(analysis, "")
    assert continued.speaker.name == "Ilsa Brandt"
    assert continued.content.text == "The ferry company has until Friday to answer our letter"


def test_scare_quote_in_narrative_is_no_continued_quote(analyze_text):
    analysis = analyze_text(TITLE + LEAD + '"We have waited long enough," Ilsa Brandt said. Critics call the plan a '
                            '"ghost port" in waiting.')
    assert [a.cue.text for a in analysis.attributions].count("") == 0


def test_empty_cue_keeps_the_analysis_schema_and_a_stance(analyze_text):
    analysis = analyze_text(TITLE + LEAD + '"We have waited long enough," Ilsa Brandt said at the meeting. She did '
                            'not take questions. "We will close the terminal on Friday whatever they answer."')
    data = analysis.to_dict()
    cue_fields = json_schema()["$defs"]["TextSpan"]["properties"]
    empty = [a["cue"] for a in data["attributions"] if a["cue"]["text"] == ""]
    assert empty and set(empty[0]) == set(cue_fields) and empty[0]["start"] == empty[0]["end"]
    continued = find(analysis, "")
    assert continued.stance == "commit"  # a continued quote's stance comes from its opening, as a neutral cue's
    assert any(continued.id in claim.attributions for claim in analysis.claims)


def test_double_apostrophes_are_quote_marks():
    text = "The mayor said, ''We are done here,'' and left. ''It is over.''"
    assert [text[q.start:q.end] for q in find_quotes(text)] == ["We are done here", "It is over"]


TRANSCRIPT = (TITLE + "Partial transcript of the interview on Radio Vellan follows.\n\n"
              "HOST: Let us start with the ferry terminal. The council voted on Monday to close it, and the "
              "harbour workers have called a strike for Friday. Why close it now?\n\n"
              "BRANDT: Because the terminal loses money every single month and the ferry company will not pay "
              "its share of the repairs.\n\n"
              "We asked them four times last year and got no answer from their board at all.\n\n"
              "HOST: Will the workers get their jobs back?\n\n"
              "BRANDT: Every one of them will be offered a post at the new marina when it opens in the spring.\n\n"
              "HOST: Mayor, I have to stop you —.\n\n"
              "BRANDT: The marina will open in April.")


def test_transcript_turns_are_attributions_with_the_colon_as_cue(analyze_text):
    analysis = analyze_text(TRANSCRIPT)
    turns = [a for a in analysis.attributions if a.cue.text == ":"]
    contents = [a.content.text for a in turns]
    assert any(c.startswith("Let us start with the ferry terminal") for c in contents)  # a statement, then a question
    assert any(c.startswith("Because the terminal loses money") for c in contents)
    assert "Will the workers get their jobs back" not in " ".join(contents)  # a question only
    assert not any(c.startswith("Mayor, I have to stop you") for c in contents)  # a cut-off interjection
    assert "The marina will open in April" in contents
    assert all(a.direct for a in turns)


def test_a_turn_over_several_paragraphs_continues_with_an_empty_cue(analyze_text):
    analysis = analyze_text(TRANSCRIPT)
    continued = find(analysis, "")
    assert continued.content.text.startswith("We asked them four times last year")
    colon = next(a for a in analysis.attributions if a.content.text.startswith("Because the terminal"))
    assert continued.speaker.name == colon.speaker.name
    assert "We asked them" not in colon.content.text


@pytest.mark.parametrize("sentence,cue,stance,content", [
    ("Torvald Brenn accused the harbour board of hiding the repair bills.", "accused", "allege",
     "the harbour board of hiding the repair bills"),
    ("Lisbeth Varga questioned whether the figures were accurate.", "questioned", "opinion",
     "whether the figures were accurate"),
    ("The harbour master downplayed the risk of flooding at the terminal.", "downplayed", "opinion",
     "the risk of flooding at the terminal"),
    ("The tribunal ruled that the ferry contract was void.", "ruled", "assert", "the ferry contract was void"),
    ("The inquiry found that the managers had ignored the warnings.", "found", "assert",
     "the managers had ignored the warnings"),
    ("Ilsa Brandt ruled out a return to the old timetable.", "ruled", "deny", "a return to the old timetable"),
    ("The senator expressed fears that the old bridge would collapse.", "expressed fears", "opinion",
     "the old bridge would collapse"),
    ("The ferry company made no comment on the council's vote.", "made no comment", "unconfirmed",
     "the council's vote"),
    ("The ferry company's owner was unavailable for comment.", "unavailable for comment", "unconfirmed",
     "unavailable for comment"),
    ("Oskar Lind pointed out that the terminal had been empty since May.", "pointed", "assert",
     "the terminal had been empty since May"),
    ('Oskar Lind continued: "The marina will pay for itself within ten years."', "continued", "assert",
     "The marina will pay for itself within ten years"),
])
def test_reporting_cues(nlp, sentence, cue, stance, content):
    from onrecord.stance import classify_stance
    doc = nlp(sentence)
    text = doc.text
    found = [f for f in doc._.attributions if text[f.cue_start:f.cue_end] == cue]
    assert found, [text[f.cue_start:f.cue_end] for f in doc._.attributions]
    assert text[found[0].content_start:found[0].content_end] == content
    assert classify_stance(found[0], doc) == stance


@pytest.mark.parametrize("sentence,cue,content", [
    ("The court heard that the skipper had left the harbour before dawn.", "heard",
     "the skipper had left the harbour before dawn"),
    ("The ferry was reported to have sunk near the coast.", "reported",
     "The ferry was reported to have sunk near the coast"),
    ("The harbour master is thought to favour the marina.", "thought",
     "The harbour master is thought to favour the marina"),
    ("Ilsa Brandt was seen as an outsider.", "seen", "Ilsa Brandt was seen as an outsider"),
])
def test_cues_without_a_named_source(nlp, sentence, cue, content):
    doc = nlp(sentence)
    text = doc.text
    found = [f for f in doc._.attributions if text[f.cue_start:f.cue_end] == cue]
    assert found and found[0].speaker is None
    assert text[found[0].content_start:found[0].content_end] == content


@pytest.mark.parametrize("sentence", [
    "Oskar Lind pointed a torch at the water.",
    "The ferry company boasts a fleet of nine boats.",
    "Ilsa Brandt continued to push for a new vote.",
    "Two sailors commit the same offence every summer.",
    "The skipper was last seen alive on Tuesday.",
])
def test_words_that_report_only_in_some_constructions(nlp, sentence):
    assert nlp(sentence)._.attributions == []


def test_speaker_mention_leaves_out_a_leading_day(nlp):
    doc = nlp("Thursday Vellan council spokesman Piet Orlo said the terminal would close.")
    said = doc._.attributions[0]
    assert said.speaker.text == "Vellan council spokesman Piet Orlo"


def test_cue_set_inside_an_indirect_sentence_takes_the_whole_sentence(nlp):
    doc = nlp("The terminal has cost the town a fortune, Ilsa Brandt said, since the ferry company stopped paying "
              "its share in 2019.")
    said = doc._.attributions[0]
    assert doc.text[said.content_start:said.content_end] == (
        "The terminal has cost the town a fortune, Ilsa Brandt said, since the ferry company stopped paying its "
        "share in 2019")


def test_quote_split_by_its_cue_after_a_comma_starts_before_the_cue(analyze_text):
    analysis = analyze_text(TITLE + LEAD + '"The number of ferry passengers has halved in three years," she wrote '
                            'in the council newsletter, "and the boats run half empty all winter."')
    wrote = find(analysis, "wrote")
    assert wrote.content.text.startswith("The number of ferry passengers")
    assert wrote.content.text.endswith("the boats run half empty all winter")
    assert [a.cue.text for a in analysis.attributions].count("") == 0


def test_cited_reason_is_content_but_a_cited_source_is_not(nlp):
    doc = nlp("Ilsa Brandt cited rising repair costs at the old terminal.")
    cited = doc._.attributions[0]
    assert doc.text[cited.content_start:cited.content_end] == "rising repair costs at the old terminal"
    assert nlp("Ilsa Brandt cited two harbour officials.")._.attributions == []


def test_intentions_of_people_and_organisations_are_commitments(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "The Vellan Ferry Company plans to reopen the northern pier in the spring. "
                            "Mayor Ilsa Brandt is determined to keep the terminal open.")
    plans = find(analysis, "plans")
    assert plans.stance == "commit"
    assert plans.content.text.startswith("to reopen the northern pier")
    assert find(analysis, "is determined").stance == "commit"


def test_want_without_an_infinitive_or_a_party_is_no_intention(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "Mayor Ilsa Brandt wants a new harbour master. The tide wants to turn.")
    assert not [a for a in analysis.attributions if a.cue.text.startswith("want")]


def test_intention_inside_a_report_is_the_reports(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "The ferry company plans to sell the pier, according to a letter seen by "
                            "the Port Vellan Courier.")
    assert not [a for a in analysis.attributions if a.cue.text == "plans"]
    assert find(analysis, "according to")


def test_report_nouns_with_their_content_and_no_named_source(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "Falling ticket sales raised speculation that the terminal could close "
                            "by winter. The harbour board has faced sharp criticism for failing to repair the pier.")
    speculation = find(analysis, "speculation")
    assert speculation.stance == "hedge"
    assert speculation.content.text == "the terminal could close by winter"
    assert find(analysis, "criticism").content.text.startswith("failing to repair the pier")


def test_report_noun_takes_a_from_source(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "The vote went ahead despite warnings from the harbour engineer that the "
                            "pier was unsafe.")
    warnings = find(analysis, "warnings")
    assert warnings.content.text == "the pier was unsafe"
    assert "engineer" in warnings.speaker.name.lower()


def test_report_inside_a_quote_with_its_own_subject_and_clause(analyze_text):
    analysis = analyze_text(TITLE + LEAD + '"When we met in March, the Ferry Company announced that it would leave '
                            'Port Vellan," Ilsa Brandt said.')
    announced = find(analysis, "announced")
    assert announced.content.text == "it would leave Port Vellan"
    said = find(analysis, "said")
    assert said.content.text.startswith("When we met in March")


def test_quoted_speakers_own_words_inside_a_quote_are_no_report(analyze_text):
    analysis = analyze_text(TITLE + LEAD + '"I said that we would wait," Ilsa Brandt said.')
    assert len(analysis.attributions) == 1


def test_cue_in_capitals_is_a_crosshead(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "FERRY BOSS SAYS PIER WILL CLOSE\n\nThe council met again on Tuesday.")
    assert not analysis.attributions


def test_considering_a_plan_is_no_opinion(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "The harbour board is considering raising mooring fees. Ilsa Brandt "
                            "considers the fees a burden on fishermen.")
    assert not [a for a in analysis.attributions if a.cue.text == "considering"]
    assert find(analysis, "considers").stance == "opinion"


def test_speech_verbs_with_only_an_object_are_no_report(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "The ferry captain will assert his rights in court. Oskar Lind "
                            "disclosed the accounts on Monday. Ilsa Brandt asserted that the pier was sound.")
    assert [a.cue.text for a in analysis.attributions] == ["asserted"]


def test_directive_verb_with_only_a_person_is_no_directive(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "Oskar Lind advises Ilsa Brandt on harbour law. He urged her to close "
                            "the pier.")
    assert [a.cue.text for a in analysis.attributions] == ["urged"]


def test_indirect_content_runs_to_the_end_of_the_quote_it_opens(analyze_text):
    analysis = analyze_text(TITLE + LEAD + 'Ilsa Brandt said the town had spent "years waiting for the ferry '
                            'company. We are done waiting."')
    said = find(analysis, "said")
    assert said.content.text.endswith("We are done waiting")


def test_partial_quote_before_its_cue_goes_on_after_it(analyze_text):
    analysis = analyze_text(TITLE + LEAD + 'The ferry company "left the town to rot," said Oskar Lind, a '
                            'fisherman. "Nobody here will forget it."')
    said = find(analysis, "said")
    assert said.content.text.startswith("The ferry company")
    assert said.content.text.endswith("Nobody here will forget it")
    assert len(analysis.attributions) == 1


def test_passive_allegation_without_a_source(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "The ferry company has been accused of dumping fuel in the harbour.")
    accused = find(analysis, "accused")
    assert accused.stance == "allege"
    assert accused.speaker.name is None
    assert accused.content.text.endswith("dumping fuel in the harbour")


def test_figures_and_data_show_findings(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "Revised figures showed the town's population fell last year.")
    assert find(analysis, "showed").content.text == "the town's population fell last year"


def test_denied_allegations_are_the_denials_content(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "The ferry company denied allegations of fraud.")
    assert [a.cue.text for a in analysis.attributions] == ["denied"]


def test_question_put_to_the_speaker_is_no_report(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "Asked whether the pier would reopen, Ilsa Brandt said the council had "
                            "not decided.")
    assert [a.cue.text for a in analysis.attributions] == ["said"]


def test_passive_naming_keeps_who_is_named(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "Oskar Lind — a fisherman — has been called a traitor by his neighbours "
                            "for selling his boat.")
    called = find(analysis, "called")
    assert called.content.text.startswith("Oskar Lind — a fisherman — has been called a traitor")


def test_declined_to_act_is_a_refusal_with_the_whole_act(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "The mayor declined to threaten the ferry company or even directly "
                            "blame it for the closure.")
    declined = find(analysis, "declined")
    assert declined.stance == "unconfirmed"
    assert declined.content.text.endswith("blame it for the closure")
    assert [a.cue.text for a in analysis.attributions] == ["declined"]


def test_described_as_keeps_who_is_described(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "Ilsa Brandt described the ferry company as a disgrace.")
    assert find(analysis, "described").content.text == "the ferry company as a disgrace"


def test_object_of_a_control_verb_is_the_speaker(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "The closure has led the harbour historian Marta Vell to fear a "
                            "collapse of the old quay.")
    assert find(analysis, "fear").speaker.name == "Marta Vell"


def test_nearer_of_two_parsed_subjects_is_the_speaker(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "Ex-sailor-turned-baker Oskar Lind said the pier was unsafe.")
    assert find(analysis, "said").speaker.name == "Oskar Lind"


def test_adding_after_a_parenthetical_cue_is_that_speakers(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "Ferry tickets are already subject to a 20% levy, which comes on top of a "
                            "harbour fee, the Port Vellan Courier noted, adding that the levy has already driven "
                            "tourists away.")
    assert "Courier" in find(analysis, "adding").speaker.name


def test_act_asked_of_someone_is_no_report_of_theirs(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "The council asked federal prosecutors to charge the ferry company with "
                            "fraud.")
    assert not [a for a in analysis.attributions if a.cue.text == "charge"]


def test_report_named_after_its_clause_with_the_verb_first(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "A Vellan family has agreed to sell its orchard to Brightmoor for $4 "
                            "million, reported the Kessing Business Journal.")
    reported = find(analysis, "reported")
    assert reported.speaker.name.endswith("Kessing Business Journal")
    assert reported.content.text.startswith("A Vellan family has agreed to sell its orchard")


def test_object_of_a_telling_verb_after_a_comma_is_the_hearer_not_a_speaker(nlp):
    doc = nlp("Mayor Ilsa Brandt thanked the crowd, told the ferry workers.")
    assert all(item.speaker is None or item.speaker.text != "the ferry workers" for item in doc._.attributions)


def test_participle_after_a_letter_to_someone_is_the_letter_writers(analyze_text):
    analysis = analyze_text(TITLE + LEAD + "Thirty harbour pilots signed a letter to council leaders opposing the "
                            "closure of the terminal.")
    opposing = find(analysis, "opposing")
    assert "pilots" in opposing.speaker.name and "leaders" not in opposing.speaker.name


@pytest.mark.parametrize("sentence,speaker,content", [
    ("Toma Rusk, a senior diplomat in Lusaka, has defected, a source familiar with the matter said on Friday.",
     "a source familiar with the matter", "Toma Rusk, a senior diplomat in Lusaka, has defected"),
    ("The ferry company has fallen behind on its payments, two people familiar with the matter told the Port Vellan "
     "Courier.", "two people familiar with the matter", "The ferry company has fallen behind on its payments"),
])
def test_trailing_cue_the_parser_coordinates_with_its_content(analyze_text, sentence, speaker, content):
    """'X has defected, a source ... said': the parser makes the cue a conjunct of the content's verb."""
    [said] = analyze_text(TITLE + sentence).attributions
    assert (said.speaker.name, said.content.text) == (speaker, content)
