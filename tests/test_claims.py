"""The spec's claim-status rule on attributions built by hand (no model needed)."""
from onrecord.claims import claim_status, group_claims
from onrecord.records import Attribution, ChainLink, Speaker, TextSpan


def attribution(number, stance, chain, addresses=None, content="the plant will close"):
    links = [ChainLink(name, kind, f"e-{name}") for name, kind in chain]
    return Attribution(f"a{number}", TextSpan("said", 0, 4), Speaker(chain[0][0], chain[0][1], f"e-{chain[0][0]}"),
                       links, TextSpan(content, 0, len(content)), False, stance, addresses)


def test_each_status_in_rule_order():
    outlet = [("Ledger", "outlet")]
    person = [("Ana Silva", "person")]
    anon = [("Ledger", "outlet"), ("a source", "anonymous")]
    assert claim_status([attribution(1, "assert", outlet), attribution(2, "confirm", person),
                         attribution(3, "deny", [("Bo", "person")])])[0] == "disputed"
    assert claim_status([attribution(1, "assert", [("Mayor", "person")]),
                         attribution(2, "deny", [("Bo", "person")])])[0] == "disputed"
    assert claim_status([attribution(1, "assert", anon), attribution(2, "deny", person)])[0] == "denied"
    assert claim_status([attribution(1, "assert", outlet), attribution(2, "confirm", person)])[0] == "confirmed"
    assert claim_status([attribution(1, "assert", outlet), attribution(2, "unconfirmed", person)])[0] == "unconfirmed"
    assert claim_status([attribution(1, "assert", outlet), attribution(2, "assert", person)])[0] == "corroborated"
    assert claim_status([attribution(1, "assert", anon), attribution(2, "hedge", [("a source", "anonymous")])])[0] \
        == "single_source"
    assert claim_status([])[0] == "asserted"


def test_reason_names_the_parties():
    status, reason = claim_status([attribution(1, "assert", [("Yonhap", "outlet"), ("a source", "anonymous")]),
                                   attribution(2, "unconfirmed", [("Unification Ministry", "organization")])])
    assert status == "unconfirmed"
    assert "Yonhap on a source" in reason and "Unification Ministry" in reason


def test_grouping_follows_answers_and_lines_of_reporting():
    items = [attribution(1, "assert", [("Ledger", "outlet")], content="the mill will close"),
             attribution(2, "assert", [("Ledger", "outlet"), ("a source", "anonymous")], content="the mill closes in May"),
             attribution(3, "assert", [("Ana", "person")], content="the parade starts at noon"),
             attribution(4, "deny", [("Bo", "person")], addresses="a1", content="no closure")]
    terms = [{"mill", "close"}, {"mill", "may"}, {"parade", "noon"}, {"closure"}]
    claims = group_claims(items, terms)
    assert [c.attributions for c in claims] == [["a1", "a2", "a4"], ["a3"]]
    assert [c.status for c in claims] == ["denied", "single_source"]


def test_confirmed_and_denied_reports_stay_apart():
    items = [attribution(1, "assert", [("Ledger", "outlet")], content="the club met the agent"),
             attribution(2, "assert", [("Ledger", "outlet")], content="the club wants the coach"),
             attribution(3, "deny", [("Agent", "person")], addresses="a1"),
             attribution(4, "confirm", [("Club", "organization")], addresses="a2")]
    terms = [{"club", "agent", "meet"}, {"club", "coach", "want"}, set(), set()]
    statuses = sorted(c.status for c in group_claims(items, terms))
    assert statuses == ["confirmed", "denied"]
