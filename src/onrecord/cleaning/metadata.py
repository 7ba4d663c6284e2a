"""Page metadata: title, byline, outlet, wire credit, credit lines, dateline and language, read from a page's markup or
from the lines around a scrape's body, and the assembly of an `Article` from kept paragraphs.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..errors import NoArticle
from ..options import Options, default_options
from ..records import Article, Credit, Offsets, Removed

WIRE_NAMES = {"reuters": "Reuters", "ap": "AP", "associated press": "AP", "afp": "AFP",
              "agence france-presse": "AFP", "agence france presse": "AFP", "bloomberg": "Bloomberg",
              "dpa": "dpa", "xinhua": "Xinhua", "yonhap": "Yonhap", "kyodo": "Kyodo", "efe": "EFE",
              "ansa": "ANSA", "pa": "PA", "upi": "UPI", "tass": "TASS", "anadolu": "Anadolu"}
WIRE_ALTERNATION = "|".join(sorted((re.escape(w) for w in WIRE_NAMES), key=len, reverse=True))
WIRE_AT_END = re.compile(rf"(?:^|[\s(—–-])({WIRE_ALTERNATION})\)?\s*$", re.I)

DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}[A-Z.]|[A-Z][a-zA-Z.'’\- ]{1,30}?(?=\s*\())"
    r"(?:,\s*[A-Z][A-Za-z.'’ ]{1,25}?)?(?:,?\s+(?:\w{3,9}\.?\s+\d{1,2}|\d{1,2}\s+\w{3,9}))?"
    r"\s*(?:\((?P<wire>[^)]{1,30})\))?\s*[-—–]+\s+")

# names and organisation start with capitals, so a standfirst ("By the end of May, the ferries will run") is no byline
BYLINE = re.compile(r"^(?:by|written by|words by|reporting by)\s+"
                    r"(?P<names>(?-i:[A-Z])[\w.'’-]+(?:[ ,]+(?:and\s+)?(?-i:[A-Z])[\w.'’-]+){0,7})"
                    r"(?:\s*[,|/—–-]\s*(?P<org>(?-i:[A-Z0-9])[\w .&'-]{1,39}|(?:[\w&'-]+ ){0,3}(?:staff|writer|"
                    r"reporter|correspondent|editor|contributor|columnist)s?))?\s*$", re.I)
COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<owner>[^.|]{2,60}?)"
                       r"(?:[.|,]|\s+all rights reserved|$)", re.I)
PUBLISHED_LINE = re.compile(r"^(?:published|posted|first published|updated|last updated|modified)\b", re.I)

# Credit lines: "(Reporting by Ana Ruiz in Perth; Additional reporting by Li Wei; Editing by Tom Hale)", "Photos:
# Dana Reyes", "SOURCE: News agencies", "With AFP", "Jon Berg in Oslo contributed to this report." A line is a credit
# line only when every clause is a role and names, so a sentence that starts "Reporting by the council..." is not one.
CREDIT_ROLES = {"reporting": "reporting", "reported": "reporting", "additional reporting": "additional reporting",
                "further reporting": "additional reporting", "writing": "writing", "written": "writing",
                "editing": "editing", "edited": "editing", "compiled": "compiling", "compiling": "compiling",
                "research": "research", "researched": "research", "translation": "translation",
                "translated": "translation", "fact-checking": "fact-checking", "fact-checked": "fact-checking",
                "photos": "photo", "photo": "photo", "photographs": "photo", "photography": "photo",
                "pictures": "photo", "video": "video", "graphics": "graphics", "illustration": "illustration",
                "illustrations": "illustration", "production": "production", "produced": "production",
                "source": "source", "sources": "source"}
_ROLE = "|".join(sorted((re.escape(r) for r in CREDIT_ROLES), key=len, reverse=True))
CREDIT_CLAUSE = re.compile(rf"^(?P<role>{_ROLE})\s*(?:(?:by|from)\s+|:\s*)(?P<names>.+)$", re.I)
CLAUSE_BREAK = re.compile(rf"\s*;\s*|\s*[.,|]\s+(?=(?:{_ROLE})\s*(?:by|from|:))", re.I)
WITH_CREDIT = re.compile(r"^with\s+(?P<reporting>(?:additional\s+)?reporting\s+(?:by|from)\s+)?(?P<names>.+)$", re.I)
CONTRIBUTED = re.compile(r"^(?:(?:the\s+)?(?:[A-Z][\w.]*\s+){0,3}(?:staff\s+)?(?:writers?|reporters?|"
                         r"correspondents?|journalists?)\s+)?(?P<names>.+?)\s+contributed\s+(?:(?:additional\s+)?"
                         r"reporting\s+)?(?:to|for)\s+this\s+(?:report|story|article)$", re.I)
CREDIT_START = re.compile(rf"^(?:{_ROLE}|with)\b|\bcontributed\b", re.I)
NAME_PARTICLES = {"de", "da", "das", "do", "dos", "du", "van", "von", "der", "den", "del", "della", "la", "le", "al",
                  "el", "bin", "ben", "di", "y", "the"}
GROUP_WORDS = {"staff", "bureau", "desk", "team", "newsroom", "correspondents", "reporters", "writers", "agency",
               "agencies", "news", "wire", "wires", "newswires", "service", "services"}
AGENCY_WORDS = re.compile(r"\b(?:agency|agencies|wires?|newswires?|wire services?|news services?|staff)\b", re.I)
AGENCY_NAME = re.compile(r"^(?:[A-Z][\w.&'’-]*\s+){1,4}(?:press\s+)?(?:agency|wire(?:\s+service)?|news\s+service|"
                         r"newswire|press(?:\s+association)?)$", re.I)
IN_PLACE = re.compile(r"\s+in\s+(?:[A-Z][\w.'’-]*\s*)+$")


def read_credits(line: str) -> list[Credit]:
    """The credits of a credit line, one per person or body named; empty when the line is anything else."""
    text = re.sub(r"^[-–—•*\s]+", "", line.strip())
    if text[:1] in "([" and text[-1:] in ")]":
        text = text[1:-1].strip()
    if not CREDIT_START.search(text) or len(text.split()) > CREDIT_LINE_WORDS:
        return []
    text = text.rstrip(" .")
    contributed = CONTRIBUTED.match(text)
    if contributed:
        names = _credit_names(contributed.group("names"))
        return [Credit("additional reporting", n) for n in names] if names else []
    with_credit = WITH_CREDIT.match(text)
    if with_credit:
        names = _credit_names(with_credit.group("names"))
        if with_credit.group("reporting"):
            return [Credit("additional reporting", n) for n in names] if names else []
        return [Credit("source", n) for n in names] if names and all(_is_agency(n) for n in names) else []
    credits = []
    for clause in CLAUSE_BREAK.split(text):
        match = CREDIT_CLAUSE.match(clause.strip())
        names = _credit_names(match.group("names")) if match else None
        if not names:
            return []
        role = CREDIT_ROLES[match.group("role").lower()]
        if role == "source" and not all(_is_agency(n) for n in names):
            return []  # "Source: 2023 census": a chart's data source, not the story's
        credits.extend(Credit(role, n) for n in names)
    return credits


CREDIT_LINE_WORDS = 60  # a longer line is prose, whatever it starts with


def _credit_names(text: str) -> list[str] | None:
    """'Ana Ruiz in Perth and Li Wei' -> ['Ana Ruiz', 'Li Wei']; None when a part is not a name."""
    names = []
    for part in re.split(r"\s*[,/]\s*(?:and\s+)?|\s+(?:and|&)\s+", text.strip(" .")):
        part = IN_PLACE.sub("", part).strip()
        words = part.split()
        if not 1 <= len(words) <= 5 or not all(w[:1].isupper() or w.lower() in NAME_PARTICLES | GROUP_WORDS
                                               for w in words):
            return None
        if all(w.lower() in NAME_PARTICLES for w in words):
            return None
        names.append(part)
    return names or None


def _is_agency(name: str) -> bool:
    return name.casefold() in WIRE_NAMES or bool(AGENCY_WORDS.search(name))


def credit_metadata(credits: list[Credit], byline: str | None,
                    wire: str | None) -> tuple[str | None, str | None, list[Credit]]:
    """(byline, wire, credits) after reading the credit lines: a news agency is the wire, the reporters (else the
    writers) the byline when the page names none; editors, sources and the reporters a byline leaves out stay
    credits."""
    rest = []
    for credit in credits:
        agency = WIRE_NAMES.get(credit.name.casefold())
        if agency and credit.role in ("reporting", "writing", "source") and wire in (None, agency):
            wire = agency
        elif credit not in rest:
            rest.append(credit)
    if not byline:
        writers = [c for c in rest if c.role == "reporting"] or [c for c in rest if c.role == "writing"]
        byline = ", ".join(dict.fromkeys(c.name for c in writers)) or None
        rest = [c for c in rest if c not in writers]
    else:
        named = byline.casefold()
        rest = [c for c in rest if not (c.role in ("reporting", "writing") and c.name.casefold() in named)]
    return byline, wire, rest

def owner_name(owner: str) -> str | None:
    """'The Midland Observer Ltd 2025' -> 'The Midland Observer': a copyright holder as the outlet's name."""
    words = owner.strip(" .,").split()
    while words and (re.fullmatch(r"\d{4}|ltd\.?|limited|inc\.?|llc|plc|co\.?|corp\.?|group|media|publishing|"
                                  r"holdings|company|newspapers|publications", words[-1], re.I)):
        words.pop()
    return " ".join(words) or None

def clean_names(names: str) -> str:
    """Author names without labels or job titles: 'Written by: Noor Haddad, Political Correspondent' ->
    'Noor Haddad'; empty when nothing but a label ('Posted by:') was there."""
    names = BYLINE_LABEL.sub("", re.sub(r"\s+", " ", names).strip())
    parts = [p.strip() for p in re.split(r"[,;|]", names) if p.strip() and not p.strip().endswith(":")]
    kept = [p for p in parts if not JOB_TITLE.search(p)]
    return ", ".join(kept or parts[:1]).strip(" ,")


BYLINE_LABEL = re.compile(r"^(?:(?:written|posted|text|words|reporting|story|article|published)\s*)?"
                          r"by(?:\s*:\s*|\s+|(?-i:(?=[A-Z])))|^authors?\s*:\s*|^(?:von|par|por)\s+", re.I)


JOB_TITLE = re.compile(r"\b(?:correspondent|reporter|editor|writer|columnist|staff|bureau|chief|contributor|"
                       r"journalist|producer|analyst|desk|news|press|agency)\b", re.I)

def assemble(title: str | None, paragraphs: list[str], removed: list[Removed], options: Options) -> Article:
    paragraphs = [p for p in (re.sub(r"\s+", " ", p).strip() for p in paragraphs) if p]
    if not paragraphs:
        raise NoArticle("no article body found")
    text, offsets = "", []
    for paragraph in paragraphs:
        if text:
            text += "\n\n"
        offsets.append(Offsets(len(text), len(text) + len(paragraph)))
        text += paragraph
    article = Article(title=title, text=text, paragraphs=offsets, removed=removed)
    article.dateline, article.wire = find_dateline(paragraphs[0])
    if not article.wire:
        article.wire = wire_at_end(paragraphs[-1])
    article.language = detect_language(text, options)
    return article


def find_dateline(first_paragraph: str) -> tuple[str | None, str | None]:
    """The dateline place ('SEOUL', 'Geneva') and any wire credit inside it: a known agency ('(Reuters)') or a
    name that says it is one ('(Northgate Press Agency)', '(Ostland Wire Service)')."""
    match = DATELINE.match(first_paragraph)
    if not match:
        return None, None
    credited = " ".join((match.group("wire") or "").split())
    wire = WIRE_NAMES.get(credited.lower()) or (credited if AGENCY_NAME.search(credited) else None)
    place = match.group("place").strip()
    if not wire and not place.isupper():
        return None, None
    return place, wire


def wire_at_end(last_paragraph: str) -> str | None:
    tail = last_paragraph[-40:]
    match = WIRE_AT_END.search(tail)
    if match and (tail.strip().startswith(("—", "–", "-", "(")) or len(last_paragraph.split()) <= 3
                  or re.search(r"[—–(-]\s*" + re.escape(match.group(1)) + r"\)?\s*$", tail)):
        return WIRE_NAMES.get(match.group(1).lower())
    return None


ENGLISH_FUNCTION_WORDS = frozenset("""the a an of to in and or but is are was were be been has have had it its on for
with as at by from that this which who said says not he she they we you i his her their our will would""".split())


def detect_language(text: str, options: Options | None = None) -> str:
    """ISO 639-1 code; English is recognised cheaply by its function words, others by py3langid."""
    options = options or default_options()
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    if not words:
        return "und"
    share = sum(1 for w in words if w in ENGLISH_FUNCTION_WORDS) / len(words)
    if share >= options.english_stopword_share:
        return "en"
    return _langid().classify(text[:20000])[0]


@lru_cache(maxsize=1)
def _langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model  # 0.4 / 0.3
    return load(MODEL_FILE, norm_probs=False)

def page_metadata(tree):
    """Title, author and site name from the page's meta tags, JSON-LD and markup, by trafilatura's metadata
    readers, without its date search (onrecord finds the date itself, with evidence) or its slow scan of the
    markup for an author (a byline line in the body is used instead)."""
    from trafilatura import metadata as meta
    document = meta.Document()
    try:
        document = meta.examine_meta(tree)
        if document.author and " " not in document.author:
            document.author = None
        document = meta.extract_meta_json(tree, document)
        document.title = document.title or meta.extract_title(tree)
        document.sitename = document.sitename or meta.extract_sitename(tree)
        if document.sitename:
            document.sitename = document.sitename.lstrip("@")
    except Exception:  # metadata is optional: a page with odd markup still yields its body
        pass
    return document


def headline(tree, page_title: str | None, site: str | None = None) -> str | None:
    """The headline as the page shows it. The page's meta title often carries the site's name ("... | Site")
    or an SEO variant of the headline, so the first <h1> sharing more than half its words with the title
    less its site name wins (a logo <h1> holding the site's name does not); without one, that title."""
    page_title = " ".join((page_title or "").split()) or None
    if not page_title:
        return None
    title = without_site_name(page_title, site)
    title_words = set(words_of(title))
    for h1 in tree.xpath("//h1")[:HEADLINE_CANDIDATES]:
        text = " ".join(h1.text_content().split())
        words = words_of(text)
        if HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1] and \
                sum(w in title_words for w in words) > len(words) / 2:
            return text
    return title


HEADLINE_CANDIDATES = 5      # <h1> elements looked at, in page order
HEADLINE_WORDS = (2, 40)     # a one-word <h1> is a logo or a section name; a very long one is not a headline
TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*\|\s*|\s+::\s+")


def without_site_name(title: str, site: str | None = None) -> str:
    """'Budget Talks Stall | The Harbour Post' -> 'Budget Talks Stall'. The site's name, when known, goes from
    either end ('The Harbour Post | Budget Talks Stall'); otherwise the part after the last separator goes
    when it is short (a site name) and shorter than what stays, a headline of three words or more."""
    separators = list(TITLE_SEPARATOR.finditer(title))
    if not separators:
        return title
    first, last = separators[0], separators[-1]
    head, tail = title[:last.start()].strip(), title[last.end():].strip()
    if site:
        name = words_of(site)
        if words_of(tail) == name:
            return head
        if words_of(title[:first.start()]) == name:
            return title[first.end():].strip()
    short_tail = len(tail.split()) <= SITE_NAME_WORDS and len(tail.split()) < len(head.split())
    return head if len(head.split()) >= 3 and short_tail else title


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


SITE_NAME_WORDS = 5


BYLINE_XPATH = ('//*[@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "author")'
                ' or contains(@class, "Byline") or contains(@class, "Author")]')


def byline_in_markup(tree) -> str | None:
    """Author names from the first byline-like element of the page ('By Yuki Tanaka, Transportation Reporter')."""
    for element in tree.xpath(BYLINE_XPATH)[:5]:
        text = re.sub(r"\s+", " ", element.text_content()).strip()
        if not text or len(text.split()) > 14:
            continue
        text = BYLINE_LABEL.sub("", text)
        names = [part.strip() for part in re.split(r"\s*[,|/—–]\s*|\s+and\s+", text)
                 if part.strip() and not ROLE_WORDS.search(part) and part.strip()[:1].isupper()
                 and not re.search(r"\d", part) and part.strip().casefold() not in NOT_NAMES]
        if names and all(len(n.split()) <= 4 for n in names):
            return clean_names(", ".join(names))
    return None


NOT_NAMES = {"by", "author", "the author", "authors", "posted by", "written by"}
ROLE_WORDS = re.compile(r"\b(?:reporter|correspondent|editor|writer|staff|contributor|columnist|journalist|"
                        r"producer|analyst|intern|photographer)s?\b", re.I)


def byline_names(author: str | None) -> str | None:
    """Author names without job titles ('Yuki Tanaka; Transportation Reporter' -> 'Yuki Tanaka')."""
    if not author:
        return None
    names = [part.strip() for part in author.split(";") if part.strip() and not ROLE_WORDS.search(part)]
    return clean_names("; ".join(names)) if names else None
