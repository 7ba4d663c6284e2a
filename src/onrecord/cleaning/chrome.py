"""Page chrome: the patterns that mark a line or block as an ad, share buttons, a link list, a prompt, a credit
or a writer's bio. The plain-text and HTML cleaners share them, so a chrome line is caught whichever way the
page arrived; the prose-shape helpers at the end are how both cleaners tell running text from labels.
"""
from __future__ import annotations

import re

from .metadata import read_credits

SENTENCE_END = re.compile(r"""[.!?…。！？؟।]["'”’」)\]]*$|[.!?]["'”’]?\s*\(?[A-Z]{2,}\)?$""")

# "Read also", "More on this" in the languages of the pages we meet most (Spanish, Portuguese, French, German,
# Italian, Polish): a link-list heading alone, or a label before a linked headline ("LEA TAMBIÉN: ...")
OTHER_LANGUAGE_RELATED = (
    r"(?:lea|lee|vea|ver|mira|mire) (?:también|además|más)|puedes ver|(?:también )?(?:te|le) puede(?:n)? interesar|"
    r"(?:notas|noticias|artículos) relacionad[oa]s|contenido relacionado|(?:leia|veja) (?:também|mais)|"
    r"(?:à |a )?lire aussi|voir aussi|sur le même sujet|lesen sie (?:auch|mehr)|mehr zum thema|auch interessant|"
    r"schon gelesen\??|zum weiterlesen|das könnte sie (?:auch )?interessieren|leggi anche|potrebbe interessarti|"
    r"czytaj (?:też|także|również|więcej)|zobacz (?:też|także|również)")

# (pattern, reason): a line matching is page chrome. Shared by the text cleaner and the HTML path.
CHROME_PATTERNS = [(re.compile(p, re.I), reason) for p, reason in [
    (r"^[-–—_*•\s]*(?:advertisement|advertisements|advertising|sponsored(?: content)?|ad|ads|paid content|promoted|"
     r"story continues below(?: advertisement)?|continue reading(?: below)?|scroll to continue|skip ad)[-–—_*•:\s]*$",
     "advertisement marker"),
    (r"^[a-z]+(?:_[a-z0-9]+)+$", "image or widget placeholder"),
    (r"^(?:image|photo|picture|video|img|gallery|thumbnail)(?:\s*\d+)?(?:\s*(?:of|/)\s*\d+)?$", "image or widget placeholder"),
    (r"^[-+]?\d{1,3}(?:[.,]\d)?\s*°?\s*[cf]?$|^\d{1,3}(?:[.,]\d)?\s*°\s*[cf]?\b.{0,30}$", "weather widget"),
    (r"^(?:latest news|latest|popular articles|popular|related(?: stories| articles| news| content| posts| coverage)?|"
     r"most read|most popular|most viewed|trending(?: now| stories)?|read more|more from [\w ]+|recommended(?: for you)?|"
     r"you may also like|you might also like|editor'?s picks|top stories|more stories|also read|see also|read next|"
     r"more on this story|in other news|what to read next|don'?t miss|explore more|more news|watch more|see more|"
     r"more (?:coverage|videos?)|related (?:videos?|reading)|" + OTHER_LANGUAGE_RELATED + r")\W*$",
     "related-links block"),
    (r"^(?:(?:read|watch|see|view) (?:more|also|next)|also (?:read|watch|see)|more (?:on this|coverage|from us)|"
     r"read|watch|listen|related|recommended|more|previously|further reading|" + OTHER_LANGUAGE_RELATED +
     r"|lea|lee|vea|mira|mire|ver|leia|veja|lire|voir|lesen sie|leggi|czytaj|zobacz)\s*[:|>»]\s*.+$",
     "related-article teaser"),
    (r"^(?:share(?: this(?: article| story)?)?|tweet|email|print|facebook|twitter|x|whatsapp|linkedin|telegram|"
     r"copy link|pinterest|reddit|messenger)(?:\s*[|/·•,]\s*(?:share|tweet|email|print|facebook|twitter|x|whatsapp|"
     r"linkedin|telegram|copy link|pinterest|reddit|messenger))*\s*:?\s*$|\(opens in (?:a )?new window\)", "share buttons"),
    (r"\b(?:cookies?|privacy policy|terms of (?:use|service))\b.*\b(?:accept|agree|consent|use|policy|settings)\b|"
     r"^(?:accept(?: all)?(?: cookies)?|reject all|manage (?:cookies|preferences))$", "cookie or legal notice"),
    (r"\b(?:sign up|subscribe|newsletter|get our|delivered to your inbox|register now|log ?in|sign in|create an account|"
     r"already a subscriber|support our journalism|become a member|download (?:our|the) app)\b", "subscription prompt"),
    (r"^(?:photo|image|picture|file photo|credit|photograph|illustration|caption)\s*[:|/]|"
     r"(?:getty images|afp photo|ap photo|reuters/|/reuters|shutterstock|epa-efe|/epa|\bafp via\b|photo credit)|"
     r"(?:^|[\s(])(?:photo|picture|image|credit|photograph|file photo)\s*:\s*[^.]{2,60}\)?$",
     "photo credit or caption"),
    (r"^(?:home|menu|search|skip to (?:main )?content|navigation|toggle navigation|back to top|top|on this page:?|"
     r"(?:pdf|print) version|download (?:the )?pdf)$",
     "navigation"),
    (r"^\d+\s+(?:comments?(?::?$| on\b)|responses? to\b|thoughts on\b|repl(?:y|ies)(?: to\b|$)|reactions$)|"
     r"^[|/•·\s]*(?:comments?(?:\s*\(\d+\))?|leave a (?:comment|reply)(?: cancel reply)?|post a comment|"
     r"join the conversation|show comments|view comments|reader comments|reply)\W*$", "comments"),
    (r"^(?:tags?|tagged|topics?|filed under|categories|category)\s*:", "tags"),
    (r"^(?:©|\(c\)|copyright)\b|all rights reserved", "copyright notice"),
    (r"^(?:click here|tap here|follow us|follow (?:him|her) on)\b|^(?:click|tap) (?:to|for)\b|"
     r"^listen to (?:this|the) (?:article|story|report)\b|^listen (?:now|live)\W*$|"
     r"^(?:follow|read|watch) (?:our|the) live (?:coverage|updates|blog)\b", "call to action"),
    (r"^(?:to )?(?:contact|email|e-mail|reach|follow)\b.{0,80}(?:@|\bat\b).{0,80}$", "author contact"),
    (r"^(?:have|got) (?:a|any) (?:news )?(?:tip|story idea)s?\b|^(?:send|share) (?:us )?(?:your )?(?:news )?tips\b",
     "newsroom contact"),
    (r"\b(?:is not a substitute for|for information(?:al)? purposes only|does not constitute (?:medical|legal|"
     r"financial) advice|for information only)\b", "disclaimer"),
    (r"^(?:get|download|install) (?:the|our) (?:free |new )?[\w.'’&-]+(?: [\w.'’&-]+){0,4} app\b|"
     r"\b(?:download|available) on the app store\b|\bget it on google play\b", "app promotion"),
]]
# One pass first: anchored alternatives are tried at the line's start only (re.match), the rest anywhere
def _top_level_alternatives(pattern: str) -> list[str]:
    """'^a|b(c|d)' -> ['^a', 'b(c|d)']: the branches of a regex's outermost alternation."""
    branches, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += 1 if pattern[i + 1:i + 2] in ("]", "^") else 0
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    return branches + [pattern[start:]]


_ALTERNATIVES = [a for pattern, _ in CHROME_PATTERNS for a in _top_level_alternatives(pattern.pattern)]
ANCHORED_CHROME = re.compile("|".join(f"(?:{a})" for a in _ALTERNATIVES if a.startswith("^")), re.I)
FLOATING_CHROME = re.compile("|".join(f"(?:{a})" for a in _ALTERNATIVES if not a.startswith("^")), re.I)
INLINE_CHROME = {"advertisement marker", "image or widget placeholder", "share buttons", "photo credit or caption"}
NAV_SEPARATORS = re.compile(r"\s[|•·›»/]\s")

def chrome_reason(line: str) -> str | None:
    """Why a line is page chrome, or None when it may be content."""
    stripped = line.strip()
    words = stripped.split()
    if read_credits(stripped):
        return "credit line"
    if not (ANCHORED_CHROME.match(stripped) or FLOATING_CHROME.search(stripped)):
        return "navigation" if _is_navigation(stripped) else None
    for pattern, reason in CHROME_PATTERNS:
        if pattern.search(stripped):
            if reason in ("subscription prompt", "cookie or legal notice", "photo credit or caption") and len(words) > 30:
                continue
            if reason in ("subscription prompt", "call to action", "app promotion") and is_prose(stripped) \
                    and len(words) > 14:
                continue
            return reason
    return "navigation" if _is_navigation(stripped) else None


def _is_navigation(line: str) -> bool:
    """'Home | World | Business': a menu flattened into one line."""
    return len(NAV_SEPARATORS.findall(line)) >= 2 and not SENTENCE_END.search(line)


def is_prose(line: str) -> bool:
    return bool(SENTENCE_END.search(line)) and len(line.split()) >= 3


def cut_short_teasers(texts: list[str]) -> list[int]:
    """Positions of texts cut short with an ellipsis ("Ferries will run again from Saturday after…") that a
    later text within `TEASER_REACH` texts goes on with (after its dateline, if any): a teaser printed above the
    paragraph it comes from. The reach keeps a transcript full of trailing ellipses linear."""
    keys = [" ".join(text.casefold().split()) for text in texts]
    return [i for i, key in enumerate(keys) if key.endswith(("…", "...")) and len(key.split()) >= TEASER_WORDS
            and any(key.rstrip(".… ") in later for later in keys[i + 1:i + 1 + TEASER_REACH])]


TEASER_WORDS = 6  # shorter repeats (a "Reply" button, a label) are not teasers
TEASER_REACH = 200  # texts below a teaser where its paragraph is sought (a long page's header and menus fit)


def is_label(line: str) -> bool:
    """'Business', 'WORLD NEWS': one to three capitalised words, no sentence; a section label or kicker when it
    sits above an article's first paragraphs."""
    words = line.split()
    return 1 <= len(words) <= 3 and not SENTENCE_END.search(line) and not line.endswith((":", ",")) \
        and all(w[:1].isupper() for w in words if w[:1].isalpha()) and not any(c.isdigit() for c in line)

AUTHOR_BIO = re.compile(  # a name, then a verb of who they are, then a trade
    r"^(?!(?:The|This|That|It|Here|Below|There|What|Our|We|His|Her|Their)\b)(?:Dr\.\s+)?[A-Z][\w'’.-]+"
    r"(?:\s+[A-Z][\w'’.-]*){0,2}\s+(?:writes (?:about|for)\b|(?:is|was|has (?:worked|been)|covers|reports)\b.{0,120}?"
    r"\b(?i:writer|reporter|journalist|editor|correspondent|contributor|columnist|author|co-?founder|founder|"
    r"professor|freelance\w*|photographer|producer|analyst|consultant|developer|expert|content creator)s?\b)")
BIO_TAIL_LINES = 2  # a bio is among the last kept paragraphs
REPORTED_SPEECH = re.compile(r"\b(?:said|says|told|according to)\b|[\"“”]")  # an article's closing quote, not a bio


def author_bios(paragraphs: list[str]) -> list[int]:
    """Positions of the last paragraphs that introduce a person ("Dana Reyes is a reporter who covers..."):
    the writer's bio, which markup sets apart and a scrape runs on from the last paragraph. A closing
    paragraph that reports what someone said is the article's, whoever it introduces."""
    if len(paragraphs) <= BIO_TAIL_LINES:
        return []
    return [i for i in range(len(paragraphs) - BIO_TAIL_LINES, len(paragraphs))
            if AUTHOR_BIO.match(paragraphs[i]) and not REPORTED_SPEECH.search(paragraphs[i])]

# Boilerplate that reads like prose, so it survives inside the text an extractor or the line model keeps
# (found in trafilatura's HTML output on WCXB dev and trafilatura's set): (pattern, reason), checked on
# blocks and kept lines of at most BOILERPLATE_WORDS words, after the shared CHROME_PATTERNS.
BOILERPLATE_PATTERNS = [(re.compile(p, re.I), reason) for p, reason in [
    (r"\bas an amazon associate\b|\baffiliate (?:links?|marketer|commissions?)\b|"
     r"\bwe (?:may )?(?:earn|receive|get) (?:a )?(?:small )?(?:commission|compensation)\b|earn from qualifying purchases|"
     r"\bproducts (?:are|were) (?:chosen|selected) independently\b|\bwe independently (?:evaluate|review|select|research)\b|"
     r"\bthis (?:post|article|page) (?:contains|may contain|includes) (?:affiliate|references to products)\b|"
     r"\bsupported by commissions\b|\bwe buy all the products we test\b|\bwe recommend the best products\b|"
     r"^advertis(?:ing|er) disclosure\W*$",
     "affiliate disclosure"),
    (r"\bcomments? (?:are|is|may be) (?:moderated|reviewed|republished)\b|\bemail address(?:es)? will not be published\b|"
     r"\bwe ask that comments\b|"
     r"\bnot responsible for the (?:opinions|content|comments)\b.{0,80}\b(?:contributors|readers|users|commenters)\b",
     "comment policy"),
    (r"\bsign up (?:for|to) (?:our|the|get)\b|\bsubscribe to (?:our|the)\b|\b(?:right )?(?:into|to|in) your inbox\b|"
     r"\bjoin (?:medium|our (?:mailing|email) list|our community)\b|\breceive notifications about new posts\b|"
     r"\b(?:is|are) (?:exclusive|available) (?:only )?(?:to|for) [\w+ ]{0,30}subscribers\b|"
     r"\bto (?:view|read|continue reading) the full (?:story|article)\b|\balready a subscriber\b|"
     r"\bthis (?:story|journalism|work) is funded by readers\b|\benter your email(?: address)? (?:below|here|to)\b|"
     r"\b(?:first )?(?:appeared|published|ran) in (?:our|the) [\w'’ .-]{0,40}newsletter\b",
     "subscription prompt"),
    (r"\bdownload (?:the|our) [\w ]{0,30}apps?\b|"
     r"\bfollow (?:us|the [\w ]{1,30}|@\w+) on (?:twitter|facebook|instagram|x|linkedin|tiktok|youtube|threads)\b|"
     r"\bjoin the facebook group\b|\bwe want to hear what you think\b|\bsubmit your letter to the editor\b|"
     r"\bleave a (?:star )?rating\b|\bshare your story\b|\bbook a (?:free )?demo\b|\bget (?:a free quote|started) today\b|"
     r"\bget (?:the latest|breaking) (?:news|updates|headlines)\b.{0,60}"
     r"\b(?:(?:straight|directly|right) to your (?:phone|inbox|device)|with (?:the|our) [\w.' ]{1,30} app)\b",
     "call to action"),
    (r"copyrighted property of|written permission must be obtained|\bmay not be (?:published|reproduced|republished|"
     r"broadcast|rewritten|redistributed)\b|\btrust principles\b",
     "copyright notice"),
    (r"^\d+\s*(?:min(?:ute)?s?|mins?)\.?\s+read\W*$", "reading time"),
    (r"^(?:back to (?:blogs?|news|articles?|top|home|all posts)|table of contents|contents|"
     r"jump to (?:the )?(?:list|recipe|section|content|comments)|browse related articles|you might (?:also )?like|"
     r"you may (?:also )?(?:like|be interested in)\b.{0,60}|pin (?:it )?for later|print recipe|more (?:articles|posts) "
     r"(?:like this|from [\w ]{1,30})|search (?:for )?(?:articles|topics|stories)\b.{0,40}|"
     r"discover (?:our|more) (?:latest )?[\w ]{0,20}(?:picks|stories|articles))\W*$",
     "navigation"),
    (r"^(?:written by|posted by|reviewed by|fact[- ]checked by|medically reviewed by|edited by|words by)\s+"
     r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,4}\b.{0,50}$",
     "byline"),
    (r"^(?=.{0,90}$)(?:last )?(?:updated|modified|published|posted)(?: on)?\s*:?.{0,40}\b(?:19|20)\d{2}\b.{0,30}$",
     "date line"),
    (r"\((?:photo|image|picture|foto|credit)s?\s*(?:by|:|courtesy)[^)]*\)\s*$|\bphoto(?:graph)?s? (?:by|courtesy of)\b|"
     r"\bimages? via\b|\bfeature(?:d)? image by\b|"
     r"\((?:far |second |third )?(?:left|right|centre|center)(?: to right)?\)",
     "photo credit or caption"),
]]
BOILERPLATE_WORDS = 40


def boilerplate_reason(block: str) -> str | None:
    """Why a short block or line of article text is boilerplate, by the patterns above, or None."""
    if len(block.split()) > BOILERPLATE_WORDS:
        return None
    for pattern, reason in BOILERPLATE_PATTERNS:
        if pattern.search(block):
            return reason
    return None

def reads_as_prose(block: str) -> bool:
    """A block that reads as running text (a sentence, or mostly lower-case words), not a list of labels;
    in scripts without letter case (Chinese, Japanese, Arabic, Bengali...) any block of some length."""
    if len(block) < 40:
        return False
    return caseless_script(block) or bool(SENTENCE_END.search(block)) or lowercase_share(block.split()) > 0.4


def caseless_script(text: str) -> bool:
    """Most letters are of a script without letter case (Chinese, Japanese, Arabic, Bengali...), where the
    share of lower-case words says nothing about prose."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if c.islower() or c.isupper()) < len(letters) / 2


def word_count(text: str) -> int:
    """Words, counting two CJK characters as one word (those scripts put no spaces between words)."""
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text))
    return len(text.split()) + cjk // 2

def lowercase_share(words: list[str]) -> float:
    alpha = [w for w in words if w[:1].isalpha()]
    return sum(1 for w in alpha if w[0].islower()) / len(alpha) if alpha else 0.0
