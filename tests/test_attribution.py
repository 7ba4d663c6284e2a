"""Attribution shapes on sentences written for these tests (the parse comes from en_core_web_sm)."""
import pytest

from onrecord.attribution import find_quotes, load_lexicon
from tests.conftest import find

TITLE = "Test story headline here\n\n"


def test_lexicon_has_every_stance_class():
    lexicon = load_lexicon()
    assert {cue.stance for cue in lexicon.values()} == {"assert", "hedge", "allege", "deny", "confirm", "unconfirmed",
                                                        "opinion", "directive", "commit"}
    assert lexicon[("say", "VERB")].frame == "speech"


def test_quotes_across_sentences_and_paragraphs():
    text = 'He said: "One. Two.\n\n"Three," and left. Then “curly” text. An "unbalanced quote'
    quotes = [text[q.start:q.end] for q in find_quotes(text)]
    assert quotes[0] == 'One. Two.\n\n"Three'
    assert "curly" in quotes
    assert quotes[-1] == "unbalanced quote"


def test_quote_before_cue_with_pronoun(analyze_text):
    analysis = analyze_text(TITLE + 'Mayor Ana Ruiz opened the new bridge on Monday.\n\n'
                            '"We built this for the next hundred years," she said.')
    said = find(analysis, "said")
    assert said.direct and said.content.text == "We built this for the next hundred years"
    assert said.speaker.name == "Ana Ruiz" and said.speaker.type == "person"


def test_multi_sentence_quote_is_one_content(analyze_text):
    analysis = analyze_text(TITLE + '"The talks failed. Nobody came to the table. We are done," union leader '
                            'Carla Mendes told reporters in Lisbon.')
    told = find(analysis, "told")
    assert told.direct
    assert told.content.text == "The talks failed. Nobody came to the table. We are done"


def test_quote_running_across_paragraphs(analyze_text):
    analysis = analyze_text(TITLE + 'Port director Sven Olsen said: "The cranes are idle and the ships are waiting '
                            'offshore.\n\n"We will not reopen until the union accepts the offer."\n\n'
                            'The union did not respond to the statement.')
    said = find(analysis, "said")
    assert said.direct and "cranes are idle" in said.content.text and "accepts the offer" in said.content.text


def test_indirect_speech_with_that(analyze_text):
    analysis = analyze_text(TITLE + "The finance ministry said on Tuesday that the deficit would narrow next year.")
    said = find(analysis, "said")
    assert not said.direct
    assert said.content.text == "the deficit would narrow next year"
    assert said.speaker.type == "organization"


def test_according_to_front_and_end(analyze_text):
    analysis = analyze_text(TITLE + "According to the health ministry, 40 people were injured in the blast.\n\n"
                            "The factory had failed two safety inspections, according to two people familiar "
                            "with the matter.")
    front, end = [a for a in analysis.attributions if a.cue.text.lower() == "according to"]
    assert front.content.text == "40 people were injured in the blast"
    assert end.content.text == "The factory had failed two safety inspections"
    assert end.speaker.type == "anonymous"


def test_cited_as_saying_builds_a_chain(analyze_text):
    analysis = analyze_text(TITLE + "The Riverside Courier cited a senior police officer as saying the suspect "
                            "had fled the country.")
    cited = find(analysis, "cited")
    assert [link.name for link in cited.chain][0] == "Riverside Courier"
    assert len(cited.chain) == 2 and cited.chain[1].type == "unnamed_official"
    assert cited.content.text == "the suspect had fled the country"


def test_quoting_participle_is_a_chain_link_not_an_attribution(analyze_text):
    analysis = analyze_text(TITLE + "Kyodo news agency, quoting an unnamed government source, said the summit "
                            "would be postponed.")
    assert [a.cue.text for a in analysis.attributions] == ["said"]
    said = analysis.attributions[0]
    assert said.speaker.type == "outlet"
    assert said.chain[-1].type == "anonymous"


def test_passive_and_source_less_cues(analyze_text):
    analysis = analyze_text(TITLE + "It was reported that the plant would close in March.\n\n"
                            "The chairman is said to favour a quick sale.")
    reported = find(analysis, "reported")
    assert reported.speaker.type == "unknown" and reported.stance == "assert"
    assert reported.content.text == "the plant would close in March"
    said = find(analysis, "said")
    assert said.stance == "hedge" and said.speaker.name is None


def test_refusals(analyze_text):
    analysis = analyze_text(TITLE + "The airline declined to comment on the report.\n\n"
                            "The ministry did not respond to a request for comment.")
    assert find(analysis, "declined").stance == "unconfirmed"
    assert find(analysis, "respond").stance == "unconfirmed"


def test_colon_and_trailing_dash_attributions(analyze_text):
    analysis = analyze_text(TITLE + 'The vote passed by two votes on Thursday.\n\n'
                            'And from the opposition: "This is a sad day for the city."\n\n'
                            '"We will rebuild." — Ana Ruiz, mayor of Port Elm')
    colon = find(analysis, "from")
    assert colon.direct and colon.content.text == "This is a sad day for the city"
    dash = find(analysis, "—")
    assert dash.speaker.name == "Ana Ruiz" and dash.content.text == "We will rebuild"


def test_cue_inside_content_of_another_is_not_duplicated(analyze_text):
    analysis = analyze_text(TITLE + "Officials said the minister is expected to resign on Friday.")
    assert [a.cue.text for a in analysis.attributions] == ["said"]


def test_actions_are_not_attributions(analyze_text):
    analysis = analyze_text(TITLE + "The board rejected an offer from a rival on Monday and asked for more time.")
    assert analysis.attributions == []


def test_headline_is_not_analysed(analyze_text):
    analysis = analyze_text('Minister says budget will balance\n\nThe budget debate begins on Monday in the '
                            'capital after months of negotiations between the parties.')
    assert analysis.attributions == []


@pytest.mark.parametrize("sentence,cue,stance", [
    ("Analysts warned that prices could rise further next year.", "warned", "opinion"),
    ("The union urged members to reject the offer.", "urged", "directive"),
    ("The president vowed to rebuild every damaged school.", "vowed", "commit"),
    ("Prosecutors alleged that the firm had hidden losses.", "alleged", "allege"),
    ("The company confirmed that talks had taken place.", "confirmed", "confirm"),
    ("Several lawmakers suggested the vote could be delayed.", "suggested", "hedge"),
])
def test_cue_verbs_by_stance(analyze_text, sentence, cue, stance):
    attribution = find(analyze_text(TITLE + sentence), cue)
    assert attribution.stance == stance


def test_transcript_lines(analyze_text):
    analysis = analyze_text(TITLE + "The two candidates met for the first debate on Monday night.\n\n"
                            "HOLT: Let us start with jobs and the economy tonight.\n\n"
                            "UPDATE: This story has been corrected.")
    colon = find(analysis, ":")
    assert colon.speaker.mention.text == "HOLT" and colon.direct
    assert colon.content.text == "Let us start with jobs and the economy tonight"
    assert len([a for a in analysis.attributions if a.cue.text == ":"]) == 1
