"""Cleaning: a decoded page becomes an `Article` (title, body paragraphs, metadata, removed chrome).

HTML goes through trafilatura for the body and our own markup reading for the date (`html.py`); plain-text
scrapes go through the line model and the rules around it (`text.py`). Both report every line they drop with a
reason and share the chrome patterns (`chrome.py`) and the metadata readers (`metadata.py`).
"""
from __future__ import annotations

from ..options import Options, default_options
from ..reading import Page
from ..records import Article
from .chrome import chrome_reason
from .html import clean_html
from .metadata import DATELINE, detect_language, find_dateline
from .text import clean_text

__all__ = ["DATELINE", "chrome_reason", "clean_html", "clean_text", "detect_language", "extract_article",
           "find_dateline"]


def extract_article(page: Page, options: Options | None = None) -> Article:
    """The clean article of a page, by HTML or plain-text rules; NoArticle when there is none."""
    options = options or default_options()
    article = clean_html(page.content, options, url=page.url) if page.is_html else clean_text(page.content, options)
    article.source = page.source
    return article
