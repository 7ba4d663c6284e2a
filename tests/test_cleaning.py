import json
from pathlib import Path

import pytest

from onrecord.cleaning import chrome_reason, clean_text, detect_language, extract_article, find_dateline
from onrecord.errors import NoArticle
from onrecord.reading import read_bytes, read_page

SCRAPE = """Home | World | Business | Sport
22 C
Tuesday, June 4, 2024

Harbour bridge to close for repairs, council says

By Maria Lopez
Published 09:15 GMT, 3 June 2024

PORT ELM (Reuters) - The city's main harbour bridge will close for six weeks from July, the council said on Monday, after inspectors found corrosion in two support cables.

"We cannot take any risks with a structure this old," council leader Tom Ashby told reporters.

- Advertisement -

Business groups said the closure would cost shops in the old town thousands of dollars a day.

Share this article
Related Stories
Ferry fares to rise in autumn
Council approves new budget
© 2024 The Port Elm Gazette. All rights reserved.
"""


def test_text_cleaner_keeps_title_and_body_and_reports_chrome():
    article = clean_text(SCRAPE)
    assert article.title == "Harbour bridge to close for repairs, council says"
    assert len(article.paragraphs) == 3
    assert article.text.startswith("PORT ELM (Reuters) - The city's main harbour bridge")
    assert "Advertisement" not in article.text and "Ferry fares" not in article.text
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["- Advertisement -"] == "advertisement marker"
    assert reasons["22 C"] == "weather widget"
    assert reasons["Ferry fares to rise in autumn"] == "related-links block"
    assert reasons["Tuesday, June 4, 2024"].startswith("display date")
    assert reasons["Home | World | Business | Sport"] == "navigation"


def test_text_cleaner_metadata():
    article = clean_text(SCRAPE)
    assert article.byline == "Maria Lopez"
    assert article.published.date == "2024-06-03"
    assert "under the title" in article.published.evidence
    assert (article.dateline, article.wire) == ("PORT ELM", "Reuters")
    assert article.outlet == "The Port Elm Gazette"
    assert article.language == "en"


def test_paragraph_offsets_point_into_text():
    article = clean_text(SCRAPE)
    for paragraph in article.paragraphs:
        chunk = article.text[paragraph.start:paragraph.end]
        assert chunk and chunk == chunk.strip() and "\n" not in chunk


def test_header_date_is_never_the_publication_date():
    article = clean_text("Monday, 1 April 2024\n\nMinister resigns over leaked memo\n\n"
                         "The minister resigned on Sunday after a memo about the budget was leaked to reporters.\n")
    assert article.published.date is None
    assert any("display date" in r.reason for r in article.removed)


def test_hard_wrapped_paragraphs_are_joined():
    text = ("Floods close roads across the valley\n\n"
            "Heavy rain closed dozens of roads across the valley on Tuesday and forced\n"
            "hundreds of families from their homes, officials said, as rivers rose to\n"
            "levels not seen in thirty years.\n")
    article = clean_text(text)
    assert len(article.paragraphs) == 1
    assert "forced hundreds of families" in article.text


@pytest.mark.parametrize("line,reason", [("- Advertisement -", "advertisement marker"), ("spot_img", "image or widget placeholder"),
                                         ("LATEST NEWS", "related-links block"), ("Share | Tweet | Email", "share buttons"),
                                         ("Photo: Jane Doe/Reuters", "credit line"),
                                         ("Sign up for our morning newsletter", "subscription prompt"),
                                         ("Advertisement:", "advertisement marker"), ("Tagged: floods", "tags"),
                                         ("Share this article:", "share buttons"), ("On this page:", "navigation"),
                                         ("Click to share on X (Opens in new window)", "share buttons"),
                                         ("PDF version", "navigation"), ("| View Comments", "comments")])
def test_chrome_patterns(line, reason):
    assert chrome_reason(line) == reason


@pytest.mark.parametrize("line,reason", [
    ("We ask that comments are civil and free of hateful material.", "comment policy"),
    ("The Gazette is not responsible for the opinions presented by contributors.", "comment policy"),
    ("Advertiser Disclosure", "affiliate disclosure"),
    ("For breaking news updates download the Gazette apps for iOS and Android.", "call to action"),
    ("Get the latest news straight to your phone with the Harbour Echo app.", "call to action"),
    ("Missing out on the latest stories? Enter your email below to receive our updates.", "subscription prompt"),
    ("Search for articles and topics on Harbour Echo", "navigation"),
    ("Discover our latest editorial picks", "navigation")])
def test_boilerplate_patterns(line, reason):
    from onrecord.cleaning.chrome import boilerplate_reason as _boilerplate_reason
    assert _boilerplate_reason(line) == reason


def test_prose_is_not_chrome():
    assert chrome_reason("The council said it would subscribe to the regional water scheme next year, "
                         "after residents complained about repeated shortages during the summer months.") is None
    from onrecord.cleaning.chrome import boilerplate_reason as _boilerplate_reason
    assert _boilerplate_reason("The council said it was not responsible for the content of the report.") is None
    assert chrome_reason("The PDF version of the audit was leaked to the Echo on Friday.") is None
    assert _boilerplate_reason("Officials said residents could get the latest updates on road closures by phone.") is None


def test_dateline_forms():
    assert find_dateline("GENEVA, March 3 (Reuters) - Talks stalled.") == ("GENEVA", "Reuters")
    assert find_dateline("SEOUL (AFP) — A ranking official defected.") == ("SEOUL", "AFP")
    assert find_dateline("The minister said on Monday - quietly - that.") == (None, None)
    assert find_dateline("OSLO (Northgate Press Agency) - The ministry opened an inquiry.") == \
        ("OSLO", "Northgate Press Agency")  # an agency unknown to the list, named as one
    assert find_dateline("LONDON (The Evening Ledger) - Rents rose.") == ("LONDON", None)  # an outlet, no wire


def test_seed_chrome_removed_and_body_kept(shared):
    import json
    expected = json.loads((shared / "seed" / "expected.json").read_text())
    article = extract_article(read_page(shared / "seed" / "page.txt"))
    assert article.title == expected["article"]["title"]
    for paragraph in expected["article"]["paragraphs"]:
        assert paragraph in article.text
    removed = {r.text for r in article.removed}
    for line in expected["article"]["boilerplate_lines"]:
        assert line not in article.text.split("\n\n")
        assert line in removed
    assert article.published.date is None


def test_page_of_only_chrome_has_no_article():
    with pytest.raises(NoArticle):
        clean_text("Home | News | Sport\n- Advertisement -\nLATEST NEWS\nShare | Tweet\n")


def test_html_without_article_raises(tmp_path):
    html = ("<html><head><title>Index</title></head><body><nav><a href='/a'>World</a> <a href='/b'>Sport</a></nav>"
            "<footer>© 2024</footer></body></html>")
    with pytest.raises(NoArticle):
        extract_article(read_bytes(html.encode()))


def test_non_english_text_is_recognised():
    german = ("Der Bürgermeister sagte am Montag, die Brücke werde wegen Korrosion für sechs Wochen gesperrt. "
              "Die Händler in der Altstadt befürchten große Verluste, weil die Kunden ausbleiben werden.")
    assert detect_language(german) == "de"
    assert detect_language("The mayor said on Monday that the bridge would close for six weeks.") == "en"


def test_masthead_byline_title_and_reporting_credit():
    article = clean_text("THE VALLEY HERALD\n\nMill to close after 80 years\n\nBy Ana Ruiz, Business Correspondent\n\n"
                         "The town's paper mill will close in March after 80 years, its owner said on Monday, "
                         "putting 200 jobs at risk.\n\n"
                         "Contact Ana Ruiz at ana@valleyherald.example or follow her on X.\n\n"
                         "(Reporting by Ana Ruiz in Valley Town; Editing by Tom Hale)\n")
    assert article.outlet == "The Valley Herald"
    assert article.byline == "Ana Ruiz"
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["Contact Ana Ruiz at ana@valleyherald.example or follow her on X."] == "author contact"
    assert reasons["(Reporting by Ana Ruiz in Valley Town; Editing by Tom Hale)"] == "credit line"
    assert [(c.role, c.name) for c in article.credits] == [("editing", "Tom Hale")]


def test_author_name_alone_under_the_title_is_the_byline():
    article = clean_text("Mill to close after 80 years\n\nJessica Alvarado\n\n"
                         "The town's paper mill will close in March after 80 years, its owner said on Monday.\n")
    assert article.byline == "Jessica Alvarado"
    assert "Jessica Alvarado" not in article.text


@pytest.mark.parametrize("english", [False, True])
def test_line_model_scores_article_lines_above_chrome(english):
    from onrecord.line_model import load_line_model
    nav = ["Home", "World", "Business", "Sport", "Opinion", "Weather", "Harbour bridge to close for repairs"]
    body = [f"The council said on Monday that the harbour bridge would close for {n} weeks of repairs, "
            f"after inspectors found corrosion in two of its support cables." for n in range(3, 9)]
    footer = ["About us", "Contact", "Careers", "Terms of use", "© 2024 The Port Elm Gazette"]
    lines = nav + body + footer
    model = load_line_model(english)
    scores = model.scores(lines, [False] * len(lines))
    assert len(scores) == len(lines) and all(0.0 <= s <= 1.0 for s in scores)
    assert all(s >= model.threshold for s in scores[len(nav):len(nav) + len(body)])
    # the line just above the body may be its headline; the menu above it and the footer are not article
    assert all(s < model.threshold for s in list(scores[:len(nav) - 2]) + list(scores[-len(footer):]))


@pytest.mark.parametrize("english", [False, True])
def test_line_model_takes_an_empty_page(english):
    from onrecord.line_model import load_line_model
    assert len(load_line_model(english).scores([], [])) == 0


def test_word_buckets_fold_case_and_numbers_and_stay_in_range():
    from onrecord.line_model import word_buckets
    assert word_buckets("Police said 2024", 18) == word_buckets("police SAID 1999", 18)
    assert word_buckets("police said", 18) != word_buckets("said police", 18)  # word pairs keep the order
    assert all(0 <= b < 2 ** 10 for b in word_buckets("The harbour council met on Tuesday.", 10))
    assert len(word_buckets("", 18)) == 1 and len(word_buckets("—", 18)) == 1  # no words: one shared bucket


def test_word_scorer_needs_a_power_of_two_table():
    import numpy as np

    from onrecord.line_model import WordScorer
    for size in (1000, 0):
        with pytest.raises(ValueError, match="power of two"):
            WordScorer(np.zeros(size), 0.0)
    assert WordScorer(np.zeros(1024), 0.0).bits == 10


def test_english_word_scores_tell_a_prompt_from_reported_speech_of_the_same_shape():
    from onrecord.line_model import load_line_model
    words = load_line_model(english=True).words
    prompt = "Sign up for our newsletter to get the latest stories delivered straight to your inbox."
    speech = "The minister said on Monday that the ferry would resume its crossings by the end of the month."
    cookie = "We use cookies to improve your experience; by continuing you accept our privacy policy."
    scores = words([prompt, speech, cookie])
    assert scores[1] > 0 > max(scores[0], scores[2])
    assert load_line_model(english=False).words is None  # other languages: shapes only


def test_text_cleaner_reads_words_only_on_english_scrapes(monkeypatch):
    from onrecord.cleaning import text as cleaning
    asked = []
    real = cleaning.load_line_model

    def recording(english=False):
        asked.append(english)
        return real(english)

    monkeypatch.setattr(cleaning, "load_line_model", recording)
    clean_text(SCRAPE)
    assert asked[0] is True  # the word model decides; the shape model only vouches for quotes
    asked.clear()
    german = "\n".join(["Startseite | Politik | Sport", "Hafenbrücke wird für Reparaturen gesperrt"] + [
        f"Der Stadtrat hat am Montag beschlossen, dass die Brücke über den Hafen für {n} Wochen gesperrt wird, "
        f"weil die Prüfer Rost an zwei der Tragseile gefunden haben." for n in range(3, 8)])
    clean_text(german)
    assert asked == [False]


def test_text_cleaner_keeps_a_paragraph_below_an_ad_and_drops_the_teasers_after_it():
    article = clean_text(SCRAPE)
    assert article.text.endswith("thousands of dollars a day.")
    assert "Ferry fares" not in article.text


def test_chrome_pre_check_splits_only_top_level_alternatives():
    from onrecord.cleaning.chrome import _top_level_alternatives
    assert _top_level_alternatives(r"^a|b(c|d)|[|x]y|\|z") == ["^a", "b(c|d)", "[|x]y", r"\|z"]
    assert _top_level_alternatives("plain") == ["plain"]


def test_text_cleaner_drops_boilerplate_inside_the_kept_text():
    notice = ("This article is the copyrighted property of the Port Elm Gazette and may not be republished "
              "without permission.")  # reads as prose: the line model alone keeps it
    article = clean_text(SCRAPE.replace("Business groups said", notice + "\n\nBusiness groups said"))
    assert "copyrighted property" not in article.text
    assert article.text.endswith("thousands of dollars a day.") and len(article.paragraphs) == 3
    assert {r.text: r.reason for r in article.removed}[notice] == "copyright notice"


def _example_html(name):
    from pathlib import Path
    return (Path(__file__).parent.parent / "examples" / "pages" / name).read_text(encoding="utf-8")


def test_html_cleaner_reuses_trafilaturas_readability_pass(monkeypatch):
    """trafilatura runs readability inside its extraction; the cleaner takes that result as its second opinion
    instead of running readability again."""
    from onrecord.cleaning import html as cleaning
    html = _example_html("marlow-herald-flood-defences.html")
    expected = cleaning.clean_html(html)

    def must_not_run(tree):
        raise AssertionError("readability ran a second time")
    monkeypatch.setattr(cleaning, "_readability_blocks", must_not_run)
    again = cleaning.clean_html(html)
    assert again.text == expected.text and again.removed == expected.removed


def test_html_cleaner_runs_readability_itself_when_trafilatura_did_not(monkeypatch):
    """With the hook gone (another trafilatura version) the cleaner still gets its second opinion."""
    from trafilatura import external
    from onrecord.cleaning import html as cleaning
    html = _example_html("marlow-herald-flood-defences.html")
    expected = cleaning.clean_html(html)
    calls = []
    run_own = cleaning._readability_blocks
    monkeypatch.setattr(external, "try_readability", external.try_readability.__wrapped__)
    monkeypatch.setattr(cleaning, "_readability_blocks", lambda tree: calls.append(tree) or run_own(tree))
    again = cleaning.clean_html(html)
    assert len(calls) == 1
    assert again.text == expected.text


def test_markup_byline_skips_dates_and_bare_labels():
    from lxml import html as lxml_html
    from onrecord.cleaning.metadata import byline_in_markup as _byline_in_markup
    tree = lxml_html.fromstring("<html><body><span class='author'>Last Updated: 2025-02-22</span>"
                                "<span class='author'>By</span><div class='byline'>ByAnn Lee</div></body></html>")
    assert _byline_in_markup(tree) == "Ann Lee"
    tree = lxml_html.fromstring("<html><body><div class='byline'>Byron Hale</div></body></html>")
    assert _byline_in_markup(tree) == "Byron Hale"


def test_text_cleaner_reads_prose_in_a_script_without_letter_case():
    """Chinese has no lower case and ends sentences with '。': its paragraphs are still prose."""
    scrape = ("港城日报\n首页 | 新闻 | 体育 | 财经\n市议会批准港口扩建计划\n2024年3月29日\n"
              "市议会周二投票通过了港口扩建计划，官员表示该计划将耗资约四千万欧元，工期三年。\n"
              "反对者说，扩建将影响附近的渔业社区，并要求在动工之前进行新的环境评估。\n"
              "市长表示，议会将在下个月公布详细的时间表，并举行两场公开听证会。\n版权所有 © 2024 港城日报\n")
    article = clean_text(scrape)
    assert article.language == "zh"
    assert article.title == "市议会批准港口扩建计划"
    assert article.text.startswith("市议会周二投票") and article.text.endswith("听证会。")
    assert "首页 | 新闻 | 体育 | 财经" in [r.text for r in article.removed]


def test_text_cleaner_falls_back_to_the_prose_when_the_model_keeps_none(monkeypatch):
    """A line model that keeps only a date line (no prose) must not lose the page's paragraphs."""
    import numpy as np

    from onrecord.cleaning import text as cleaning

    class DateOnly:
        threshold = 0.5

        def scores(self, lines, chrome, shapes=None):
            return np.array([0.9 if line[:1].isdigit() else 0.1 for line in lines])

    monkeypatch.setattr(cleaning, "load_line_model", lambda english=False: DateOnly())
    scrape = ("Harbour council backs the ferry plan\n29 March 2024\n"
              "The council voted on Tuesday to back the new ferry timetable, which adds two crossings a day.\n"
              "Opponents said the extra sailings would crowd the small harbour during the summer months.\n")
    article = clean_text(scrape)
    assert article.text.startswith("The council voted") and "crowd the small harbour" in article.text


def test_text_cleaner_drops_the_readers_comments_below_the_article():
    paragraphs = [f"The harbour council said on Tuesday that the ferry pier would close for {n} weeks of repairs, "
                  f"after divers found cracks in the concrete supports below the waterline." for n in range(3, 8)]
    comments = ["3 Comments", "Mara Linde", "I have taken that ferry every morning for ten years and the pier has "
                "always felt unsafe to me, so this is long overdue.", "Reply",
                "Tom Ekberg", "Repairs are fine, but the council should say where the replacement boats will dock "
                "while the pier is closed.", "Reply"]
    scrape = "\n".join(["The Harbour Post", "Home | News | Sport", "Ferry pier to close for repairs", *paragraphs,
                        *comments])
    article = clean_text(scrape)
    assert article.text.startswith("The harbour council said") and article.text.endswith("below the waterline.")
    dropped = {r.text: r.reason for r in article.removed}
    assert dropped[comments[2]] == "comments section"
    assert "always felt unsafe" not in article.text and "replacement boats" not in article.text


@pytest.mark.parametrize("line", ["12 Comments", "59 Comments on “Pier to close”", "5 thoughts on “Pier”",
                                  "Comments (4)", "Leave a Reply Cancel reply", "Reply", "3 replies"])
def test_comment_headings_and_buttons_are_comments_chrome(line):
    assert chrome_reason(line) == "comments"


@pytest.mark.parametrize("line", ["Reply to the council came on Monday.", "12 comments were sent to the council."])
def test_prose_about_replies_and_comments_is_not_chrome(line):
    assert chrome_reason(line) is None


def test_a_comments_heading_above_most_of_the_text_cuts_nothing():
    """'2 Comments' under a headline is a counter, not the start of the readers' comments."""
    paragraphs = [f"The harbour council said on Tuesday that the ferry pier would close for {n} weeks of repairs, "
                  f"after divers found cracks in the concrete supports below the waterline." for n in range(3, 8)]
    article = clean_text("\n".join(["Ferry pier to close for repairs", "2 Comments", *paragraphs]))
    assert all(p in article.text for p in paragraphs)


BIO_ARTICLE = [f"The harbour council said on Tuesday that the ferry pier would close for {n} weeks of repairs, "
               f"after divers found cracks in the concrete supports below the waterline." for n in range(3, 8)]


@pytest.mark.parametrize("bio", [
    "Dana Reyes is a freelance reporter who covers transport and the coast for The Harbour Post. She lives "
    "in Port Elm with two cats.",
    "Oskar Lind writes about ports, ferries and the people who run them from the Harbour Post's Elm office.",
])
def test_text_cleaner_drops_the_writers_bio_after_the_article(bio):
    article = clean_text("\n".join(["Ferry pier to close for repairs", *BIO_ARTICLE, bio]))
    assert article.text.endswith("below the waterline.")
    assert {r.text: r.reason for r in article.removed}[bio] == "author bio"


def test_a_person_introduced_inside_the_article_is_not_a_bio():
    middle = ("Ines Ruiz is a ferry engineer who inspected the pier last year, and she said the cracks had "
              "grown since then.")
    article = clean_text("\n".join(["Ferry pier to close for repairs", *BIO_ARTICLE[:2], middle, *BIO_ARTICLE[2:]]))
    assert middle in article.text  # a bio is looked for among the last paragraphs only
    assert "author bio" not in {r.reason for r in article.removed}


def test_a_closing_quote_from_an_expert_is_not_a_bio():
    closing = ("Lena Falk is a professor of marine engineering at Port Elm University, and she said the pier "
               "should have been repaired a decade ago.")
    article = clean_text("\n".join(["Ferry pier to close for repairs", *BIO_ARTICLE, closing]))
    assert article.text.endswith(closing)


@pytest.mark.parametrize("raw, names", [
    ("Written By: Tom Marsh", "Tom Marsh"), ("Posted by:Ida Crane", "Ida Crane"), ("Text by Hal Dukes", "Hal Dukes"),
    ("Written byDan Pell", "Dan Pell"), ("Byron Hale", "Byron Hale"), ("Written By:", ""),
    ("Noor Haddad, Political Correspondent", "Noor Haddad"),
])
def test_byline_labels_and_job_titles_are_not_names(raw, names):
    from onrecord.cleaning.metadata import clean_names as _clean_names
    assert _clean_names(raw) == names


def test_text_cleaner_takes_the_headline_the_page_title_repeats():
    """A scrape that starts with the page's <title> names its headline: not the nearest short line above the body."""
    scrape = ("Council approves harbour expansion plan | The Harbour Post\n\nThe Harbour Post\n\n"
              "News | Business | Sport\n\nCouncil approves harbour expansion plan\n\nBy Ana Ruiz\n\n"
              "Share on social media\n\n"
              "The city council voted on Tuesday to approve the harbour expansion plan, which officials said "
              "would cost about 40 million euros.\n\n"
              "Opponents said the expansion would harm the fishing community and asked for a new review.\n")
    article = clean_text(scrape)
    assert article.title == "Council approves harbour expansion plan"
    assert article.text.startswith("The city council voted")


def test_words_never_cost_the_article_a_quote_the_shape_model_keeps(monkeypatch):
    """On English pages the word model decides, except that a line of reported speech the shape-only model
    keeps stays: news vocabulary ("a tweet", "by email") is also the vocabulary of share buttons."""
    import numpy as np

    from onrecord.cleaning import text as cleaning

    class Fixed:
        threshold = 0.5

        def __init__(self, score):
            self.score = score

        def scores(self, lines, chrome, shapes=None):
            return np.array([self.score(line) for line in lines])

    def long_line(line):
        return 0.9 if len(line.split()) > 8 else 0.1

    shapes = Fixed(long_line)
    words = Fixed(lambda line: 0.1 if "tweet" in line else long_line(line))
    monkeypatch.setattr(cleaning, "load_line_model", lambda english=False: words if english else shapes)
    quote = "The mayor said a tweet from the harbour board was “reckless” and had frightened the ferry crews."
    prompt = "Readers can tweet this story to their friends or share it with the harbour desk by email."
    scrape = "\n".join(["Harbour board row deepens",
                        "The harbour board and the mayor clashed again on Monday over the future of the old pier.",
                        quote, prompt,
                        "The board is due to vote on the pier's future at its next meeting in the spring."])
    article = clean_text(scrape)
    assert quote in article.text
    assert prompt not in article.text


PAGES = Path(__file__).parent / "pages"  # fictional pages, each with NAME.expected.json beside it
CHROME_PAGES = sorted(p.name for p in PAGES.glob("*") if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("name", CHROME_PAGES)
def test_chrome_classes_leave_the_body_and_the_body_stays_whole(name):
    """Section labels, 'More:' lines, prompts, contact and credit lines, repeated teasers: each page's chrome
    goes with its reason, and every paragraph of the article stays, standfirst included, in order."""
    expected = json.loads((PAGES / name).with_suffix(".expected.json").read_text(encoding="utf-8"))
    article = extract_article(read_page(PAGES / name))
    assert article.title == expected["title"]
    assert article.text.split("\n\n") == expected["paragraphs"]
    removed = {(r.text, r.reason) for r in article.removed}
    for line, reason in expected["removed"].items():
        assert (line, reason) in removed
    assert (article.byline, article.wire) == (expected["byline"], expected["wire"])
    assert [[c.role, c.name] for c in article.credits] == expected["credits"]


@pytest.mark.parametrize("line,credits", [
    ("Reporting by Ana Ruiz and Li Wei in Beijing; Writing by Tom Hale; Editing by Kim Lee",
     [("reporting", "Ana Ruiz"), ("reporting", "Li Wei"), ("writing", "Tom Hale"), ("editing", "Kim Lee")]),
    ("(Reporting by Sam Ode in Perth; Additional reporting by Seoul bureau; Editing by Lou Grant)",
     [("reporting", "Sam Ode"), ("additional reporting", "Seoul bureau"), ("editing", "Lou Grant")]),
    ("SOURCE: News agencies", [("source", "News agencies")]),
    ("With AFP", [("source", "AFP")]),
    ("Photos by Dana Reyes", [("photo", "Dana Reyes")]),
    ("Associated Press writers Jo Park in Paris and Bo Lund contributed to this report.",
     [("additional reporting", "Jo Park"), ("additional reporting", "Bo Lund")])])
def test_credit_lines_are_read_as_credits(line, credits):
    from onrecord.cleaning.metadata import read_credits
    assert [(c.role, c.name) for c in read_credits(line)] == credits
    assert chrome_reason(line) == "credit line"


@pytest.mark.parametrize("line", [
    "Reporting by the council showed that the harbour had been dredged twice.",
    "Source: 2024 harbour traffic survey",  # a chart's data source, not the story's
    "With the help of volunteers, the pier reopened on Monday.",
    "Editing by hand took the team a week, the archivist said."])
def test_sentences_about_reporting_or_sources_are_not_credit_lines(line):
    from onrecord.cleaning.metadata import read_credits
    assert read_credits(line) == []
    assert chrome_reason(line) != "credit line"


def test_credits_fill_the_byline_and_wire_and_keep_the_rest():
    from onrecord.cleaning.metadata import credit_metadata
    from onrecord.records import Credit
    credits = [Credit("reporting", "Ana Ruiz"), Credit("reporting", "Li Wei"), Credit("editing", "Tom Hale"),
               Credit("source", "Reuters")]
    assert credit_metadata(credits, None, None) == ("Ana Ruiz, Li Wei", "Reuters", [Credit("editing", "Tom Hale")])
    # a byline already read keeps its names; a reporter it leaves out stays a credit, as does a second agency
    assert credit_metadata(credits, "Ana Ruiz", "AFP") == (
        "Ana Ruiz", "AFP", [Credit("reporting", "Li Wei"), Credit("editing", "Tom Hale"), Credit("source", "Reuters")])


def test_a_standfirst_opening_with_by_is_not_a_byline():
    from onrecord.cleaning.metadata import BYLINE
    assert BYLINE.match("By Saturday, the island ferries will be sailing again") is None
    assert BYLINE.match("By the end of May, the pier will reopen") is None
    assert BYLINE.match("By Lena Morris, Business Correspondent")


def test_credit_lines_are_not_attributions(analyze_text):
    """'Reporting by X' is metadata: out of the body, the attribution finder never sees it."""
    analysis = analyze_text("Ferry fares to rise in May\n\n"
                            "Ferry fares to the outer islands will rise by six percent in May, Bluewake Lines said on "
                            "Monday, blaming the cost of fuel and new safety rules.\n\n"
                            "Reporting by Lena Morris; Editing by Carla Mendes\n")
    assert "Reporting by" not in analysis.article.text
    assert all("Morris" not in (a.speaker.name or "") for a in analysis.attributions)
    assert analysis.article.byline == "Lena Morris"
    assert [(c.role, c.name) for c in analysis.article.credits] == [("editing", "Carla Mendes")]
