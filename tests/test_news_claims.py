"""Chains of custody across attributions and claim status on real-news error classes (issue 15), with
fictional sentences: the inner source in the outer chain, one party counted once, summaries that close."""
from conftest import find

from onrecord.claims import claim_status, group_claims, independent_originators
from onrecord.records import Attribution, ChainLink, Speaker, TextSpan


def chain_names(attribution):
    return [link.name for link in attribution.chain]


def test_according_to_inside_a_sentence_cites_the_finders(analyze_text):
    analysis = analyze_text("The inspectors, according to the Tolvane judge's ruling, found that the dam had been "
                            "neglected for years.")
    ruling = find(analysis, "according to")
    assert len(ruling.chain) == 2 and "inspectors" in ruling.chain[-1].name


def test_reported_that_someone_said_rests_on_the_inner_source(analyze_text):
    analysis = analyze_text("Local media reported that the Brisco firm's lawyers said the contract had never been "
                            "signed.")
    reported = find(analysis, "reported")
    assert chain_names(reported)[0] == "Local media"
    assert "lawyers" in reported.chain[-1].name


def test_statement_told_according_to_outer_source(analyze_text):
    analysis = analyze_text("Orvan Pell told Greta Lind that the vote would be delayed, according to two aides.")
    according = find(analysis, "according to")
    assert chain_names(according) == ["two aides", "Orvan Pell"]
    claim = next(c for c in analysis.claims if according.id in c.attributions)
    assert claim.status == "single_source"  # the aides pass on Pell's words: one originator


def test_as_the_outlet_reported_is_a_report_citing_the_speaker(analyze_text):
    analysis = analyze_text("As the Marbleton Courier reported, the mayor said the bridge would close in May.")
    courier = find(analysis, "reported")
    assert courier.speaker.name == "Marbleton Courier"
    assert "mayor" in courier.chain[-1].name
    assert courier.content.text == find(analysis, "said").content.text


def test_quoting_participle_keeps_its_link(analyze_text):
    analysis = analyze_text("The Tessaly Gazette, quoting a senior engineer, said the tunnel was unsafe.")
    assert chain_names(find(analysis, "said")) == ["Tessaly Gazette", "a senior engineer"]


def test_report_whose_description_cites_sources(analyze_text):
    analysis = analyze_text("The Dunmere Herald said on Monday that the mill would close. The mill is looking for "
                            "new owners, according to the report, which cited two bankers.")
    according = find(analysis, "according to")
    assert according.chain[-1].name == "two bankers"


def test_first_person_inside_a_quote_is_the_speaker_not_a_source(nlp):
    doc = nlp('"I said the plant would stay open," Ilse Marov said.')
    said = next(item for item in doc._.attributions if doc.text[item.cue_start:item.cue_end] == "said")
    assert said.speaker.text == "Ilse Marov" and said.cited == []



def found_at(doc, cue):
    return next(item for item in doc._.attributions if doc.text[item.cue_start:item.cue_end] == cue)


def test_report_inside_a_quote_is_carried_by_the_quoting_speaker(nlp):
    doc = nlp('"When we met in Sorrel, the minister said, \'We will not sign,\'" Pavla Renk recalled.')
    inner = found_at(doc, "said")
    assert inner.speaker.text == "the minister"
    assert [span.text for span in inner.carriers] == ["Pavla Renk"] and inner.cited == []
    assert found_at(doc, "recalled").carriers == []


def test_several_word_cue_heading_the_content_is_the_inner_source(analyze_text):
    analysis = analyze_text("At the summit, Ivo Dranek expressed concerns about the new tariffs, according to "
                            "two Velmar officials.")
    assert chain_names(find(analysis, "according to")) == ["two Velmar officials", "Ivo Dranek"]


def test_verb_that_reports_only_in_another_construction_cites_no_one(nlp):
    doc = nlp("A clerk at the Fenwick depot said the man had pointed a knife at him.")
    assert found_at(doc, "said").cited == []

# ---------------------------------------------------------------- claims built by hand

def attribution(number, chain, stance="assert", content="the depot will close", addresses=None):
    links = [ChainLink(name, kind, None if kind == "unknown" else f"e-{name}") for name, kind in chain]
    speaker = Speaker(chain[0][0], chain[0][1], links[0].entity)
    return Attribution(f"a{number}", TextSpan("said", 0, 4), speaker, links, TextSpan(content, 0, len(content)),
                       False, stance, addresses)


def test_one_speaker_several_statements_is_one_originator():
    items = [attribution(1, [("Rina Oduya", "person")]), attribution(2, [("Rina Oduya", "person")]),
             attribution(3, [("Rina Oduya", "person")], stance="opinion")]
    assert claim_status(items)[0] == "single_source"


def test_two_outlets_citing_one_source_are_one_originator():
    items = [attribution(1, [("Harlan Post", "outlet"), ("a port official", "unnamed_official")]),
             attribution(2, [("Westby Times", "outlet"), ("a port official", "unnamed_official")])]
    assert len(independent_originators(items)) == 1
    assert claim_status(items)[0] == "single_source"


def test_briefing_video_and_described_caller_are_not_independent_of_the_briefer():
    briefer = ("Chief Anse Morrow", "person")
    items = [attribution(1, [briefer]),
             attribution(2, [("video posted by KQTV", "document"), briefer]),
             attribution(3, [briefer, ("a caller", "anonymous")])]
    assert claim_status(items)[0] == "single_source"


def test_two_unrelated_parties_still_corroborate():
    items = [attribution(1, [("Rina Oduya", "person")]), attribution(2, [("Coastal Union", "organization")])]
    status, reason = claim_status(items)
    assert status == "corroborated" and "2 independent originators" in reason


def test_nested_reports_group_by_their_line_not_with_unrelated_ones():
    items = [attribution(1, [("Pell", "person")], content="the vote will be delayed"),
             attribution(2, [("two aides", "anonymous"), ("Pell", "person")], content="Pell said the vote will be "
                                                                                      "delayed"),
             attribution(3, [("Mara Quist", "person")], content="the harbour tunnel reopens in June")]
    terms = [{"vote", "delay"}, {"pell", "vote", "delay"}, {"harbour", "tunnel", "reopen", "june"}]
    claims = group_claims(items, terms)
    assert [c.attributions for c in claims] == [["a1", "a2"], ["a3"]]
    assert [c.status for c in claims] == ["single_source", "single_source"]


def test_summary_closes_its_quote_and_stops_at_the_first_sentence():
    long_quote = ("“We will not back down on this, whatever the board says about the costs and the delays and the "
                  "questions from every single member of the audit panel who asked us” today and tomorrow")
    summary = group_claims([attribution(1, [("Ilse Marov", "person")], content=long_quote)])[0].summary
    assert summary.endswith("” ...") and summary.count("“") == summary.count("”")
    two_sentences = "The depot will close, Mr. Adeyemi said. Workers were told on Monday."
    assert group_claims([attribution(1, [("Ilse Marov", "person")], content=two_sentences)])[0].summary == \
        "The depot will close, Mr. Adeyemi said."


def test_a_partys_next_point_after_others_spoke_is_its_own_claim():
    pell = [("Orvan Pell", "person")]
    vote = attribution(1, pell, content="the council vote will be delayed")
    tunnel = attribution(2, [("Mara Quist", "person")], content="the harbour tunnel reopens in June")
    budget = attribution(3, pell, content="the council budget leaves the schools short of tax money")
    vote_terms, budget_terms = {"vote", "delay", "council"}, {"budget", "council", "school", "short", "tax"}
    claims = group_claims([vote, tunnel, budget], [vote_terms, {"harbour", "tunnel", "reopen"}, budget_terms])
    assert [c.attributions for c in claims] == [["a1"], ["a2"], ["a3"]]
    # the same two statements running on, with no other party between them, are one claim
    claims = group_claims([vote, budget], [vote_terms, budget_terms])
    assert [c.attributions for c in claims] == [["a1", "a3"]]


def test_corroboration_needs_two_parties_saying_much_the_same():
    threat = attribution(1, [("Ferro Collective", "organization")],
                         content="it had taken patient records and would publish the data unless a ransom was paid")
    reply = attribution(2, [("Lindqvist Health", "organization")], content="it had not paid a ransom")
    claims = group_claims([threat, reply], [{"take", "patient", "record", "publish", "datum", "ransom", "pay"},
                                            {"ransom", "pay"}])
    assert [c.status for c in claims] == ["single_source", "single_source"]
    echo = attribution(2, [("Lindqvist Health", "organization")],
                       content="patient records were taken and the data may be published unless a ransom is paid")
    claims = group_claims([threat, echo], [{"take", "patient", "record", "publish", "datum", "ransom", "pay"},
                                           {"patient", "record", "take", "datum", "publish", "ransom", "pay"}])
    assert [c.status for c in claims] == ["corroborated"]


def test_a_short_report_that_a_longer_one_restates_is_corroborated():
    # the coastguard's short account is all but contained in the port authority's longer one
    longer = attribution(1, [("Varnholm Port Authority", "organization")],
                         content="the coastguard sent a cutter and a helicopter to the listing ferry off Skarne")
    shorter = attribution(2, [("Varnholm Coastguard", "organization")], content="it sent a cutter to the ferry")
    long_terms = {"coastguard", "send", "cutter", "helicopter", "list", "ferry", "skarne"}
    claims = group_claims([longer, shorter], [long_terms, {"send", "cutter", "ferry"}])
    assert [c.status for c in claims] == ["corroborated"]
    unsent = attribution(2, [("Varnholm Coastguard", "organization")], content="it had not sent a cutter to the ferry")
    claims = group_claims([longer, unsent], [long_terms, {"send", "cutter", "ferry"}])
    assert [c.status for c in claims] == ["single_source", "single_source"]  # a negation restates nothing


def test_speakers_of_one_name_are_one_originator_however_the_resolver_split_them():
    first = attribution(1, [("revised figures", "document")], content="the mill's output shrank in the spring")
    second = attribution(2, [("revised figures", "document")], content="the mill's output shrank in the spring")
    second.chain[0].entity = second.speaker.entity = "e-figures-again"
    assert claim_status([first, second])[0] == "single_source"
    other = attribution(2, [("Harlan Post", "outlet")], content="the mill's output shrank in the spring")
    assert claim_status([first, other])[0] == "corroborated"


def spanned(number, chain, cue, content, stance="assert"):
    """An attribution whose cue and content sit at given offsets of one fictional text."""
    item = attribution(number, chain, stance=stance, content=content[0])
    item.cue, item.content = TextSpan(cue[0], cue[1], cue[1] + len(cue[0])), TextSpan(content[0], content[1],
                                                                                      content[1] + len(content[0]))
    return item


def test_a_report_told_inside_another_is_relayed_not_a_second_originator():
    # "Figures from the Tolvane port showed cargo fell by a fifth, prompting speculation that the ferry line
    # would be cut."
    carrier_content = "cargo fell by a fifth, prompting speculation that the ferry line would be cut"
    figures = spanned(1, [("figures from the Tolvane port", "document")], ("showed", 30),
                      (carrier_content, 37))
    inner_at = 37 + carrier_content.index("the ferry")
    speculation = spanned(2, [("unattributed", "unknown")], ("speculation", 37 + carrier_content.index("spec")),
                          ("the ferry line would be cut", inner_at), stance="hedge")
    assert claim_status([figures, speculation])[0] == "single_source"
    # the same impersonal report in a sentence of its own is a line of its own
    apart = spanned(2, [("unattributed", "unknown")], ("it is understood", 140), ("the ferry line would be cut", 160),
                    stance="hedge")
    assert claim_status([figures, apart])[0] == "corroborated"


def test_a_line_returning_with_a_negation_does_not_rejoin_its_affirmed_claim():
    # Pell: the mayor invited the singer Lina Brant to the gala ... Quist: the tunnel ... Pell: "Lina Brant will
    # not be attending the gala"
    pell = [("Orvan Pell", "person")]
    invited = attribution(1, pell, content="the mayor invited the singer Lina Brant to the gala on Friday")
    tunnel = attribution(2, [("Mara Quist", "person")], content="the harbour tunnel reopens in June")
    absent = attribution(3, pell, content="Lina Brant will not be attending the gala")
    invited_terms, absent_terms = {"mayor", "invite", "singer", "lina", "brant", "gala"}, {"lina", "brant", "gala",
                                                                                           "attend"}
    terms = [invited_terms, {"harbour", "tunnel", "reopen"}, absent_terms]
    assert [c.attributions for c in group_claims([invited, tunnel, absent], terms)] == [["a1"], ["a2"], ["a3"]]
    again = attribution(3, pell, content="Lina Brant is attending the gala")
    assert [c.attributions for c in group_claims([invited, tunnel, again], terms)] == [["a1", "a3"], ["a2"]]
