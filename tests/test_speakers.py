from onrecord.speakers import countries, outlets
from tests.conftest import find

TITLE = "Test story headline here\n\n"


def test_reference_tables_load():
    assert countries()["south korean"] == "South Korea"
    assert countries()["north korea"] == "North Korea"
    assert outlets()["ap"][0] == "Associated Press"


def test_title_and_country_of_a_person(analyze_text):
    analysis = analyze_text(TITLE + "Brazilian Foreign Minister Lucia Pereira said the embassy would reopen.")
    said = find(analysis, "said")
    entity = next(e for e in analysis.entities if e.id == said.speaker.entity)
    assert entity.name == "Lucia Pereira" and entity.type == "person"
    assert entity.titles == ["Brazilian Foreign Minister"] and entity.country == "Brazil"


def test_short_name_and_pronoun_resolve_to_the_full_name(analyze_text):
    analysis = analyze_text(TITLE + "Energy Minister Rafael Costa said prices would fall by spring.\n\n"
                            '"We have enough gas for the winter," Costa said.\n\n'
                            '"Nobody will be cold," he added.')
    names = [a.speaker.name for a in analysis.attributions]
    assert names == ["Rafael Costa"] * 3
    assert len({a.speaker.entity for a in analysis.attributions}) == 1


def test_the_source_is_the_earlier_anonymous_source(analyze_text):
    analysis = analyze_text(TITLE + "Kyodo news agency, citing a source close to the talks, said a deal was near.\n\n"
                            "The source said the two sides had agreed on tariffs.\n\n"
                            "A separate source said nothing had been signed.")
    first, second, third = analysis.attributions
    assert second.speaker.name == first.chain[-1].name == "a source close to the talks"
    assert second.speaker.type == "anonymous"
    assert third.speaker.name != second.speaker.name


def test_the_newspaper_is_the_outlet_named_before(analyze_text):
    analysis = analyze_text(TITLE + "The Northern Ledger, a regional daily, reported that the mill would close.\n\n"
                            "The newspaper said 300 jobs were at risk.")
    reported, said = analysis.attributions
    assert reported.speaker.type == "outlet"
    assert said.speaker.name == reported.speaker.name == "Northern Ledger"


def test_unnamed_officials_and_spokespeople(analyze_text):
    analysis = analyze_text(TITLE + "A spokeswoman for Halden Rail said services would resume on Friday.\n\n"
                            "Officials said the line had been inspected.")
    spokeswoman, officials = analysis.attributions
    assert spokeswoman.speaker.type == "unnamed_official"
    assert "Halden Rail" in spokeswoman.speaker.name
    assert officials.speaker.type == "unnamed_official"


def test_possessive_country_of_an_organisation(analyze_text):
    analysis = analyze_text(TITLE + "Japan's Defence Ministry said the missile fell into the sea.")
    said = find(analysis, "said")
    entity = next(e for e in analysis.entities if e.id == said.speaker.entity)
    assert entity.name == "Defence Ministry" and entity.country == "Japan" and entity.kind == "government body"


def test_pronoun_without_antecedent_stays_unresolved(analyze_text):
    analysis = analyze_text(TITLE + '"It is over," she said after the final whistle in the stadium.')
    said = find(analysis, "said")
    assert said.speaker.name is None and said.speaker.mention.text == "she"
