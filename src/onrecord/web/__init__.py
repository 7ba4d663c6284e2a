"""The web UI: server-rendered HTML pages over the corpus (search, stories with claim timelines, claim records,
articles with their attributions highlighted), no JavaScript and no external resources.

    >>> from fastapi import FastAPI
    >>> from onrecord.web import router
    >>> app = FastAPI()
    >>> app.include_router(router(lambda: corpus))     # doctest: +SKIP

`article_html(analysis_dict)` is the same article page, standalone (`onrecord analyze --format html`)."""
from .article import article_html
from .routes import router

__all__ = ["article_html", "router"]
