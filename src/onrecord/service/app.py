"""The REST API: FastAPI routes kept thin over the library (`Corpus`, `analyze`), with one JSON error shape, one
pagination form (offset and limit, with the total) and the security rules of `ServiceSettings`.

    >>> app = create_app(ServiceSettings(db="news.db"))          # doctest: +SKIP
    >>> uvicorn.run(app, host="127.0.0.1", port=8000)            # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, FastAPI, File, Path as PathParameter, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..corpus import Corpus, NotInStore
from ..errors import FetchError, FetchRefused, InputTooLarge, OnrecordError
from ..options import Options, default_options
from .jobs import Jobs

API_VERSION = "onrecord.api/1"
MAX_LIMIT = 200


@dataclass(frozen=True)
class ServiceSettings:
    """How the service runs. `host` is where it listens: beyond loopback every route needs `token` (read from
    the ONRECORD_TOKEN environment variable by `onrecord serve`, never a flag), unless `public_read` opens the
    GET routes. Writing routes always check Host and Origin. `max_body`: bytes a request body may carry;
    `analysis_workers` analyses run at once and `analysis_queue` more may wait before the API answers 429."""
    db: str | Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    public_read: bool = False
    max_body: int = 20_000_000
    analysis_workers: int = 2
    analysis_queue: int = 4
    options: Options = field(default_factory=default_options)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def check(self) -> None:
        """Refuses to serve beyond loopback with nothing guarding it."""
        if not self.loopback and not self.token:
            raise OnrecordError(f"serving on {self.host} needs a token: set ONRECORD_TOKEN (reads can be opened "
                                "with --public-read, writes never)")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ServiceError(Exception):
    """A refusal with an HTTP status and the error shape's type."""

    def __init__(self, status: int, kind: str, message: str):
        super().__init__(message)
        self.status, self.kind = status, kind


class ErrorBody(BaseModel):
    type: str = Field(examples=["NotInStore"])
    message: str = Field(examples=["no claim 42 in the store"])


class ErrorResponse(BaseModel):
    """Every failure: {"error": {"type", "message"}}."""
    error: ErrorBody


class AnalyzeRequest(BaseModel):
    """A page to analyse: its HTML or text, or a public http(s) URL to fetch."""
    html: str | None = Field(None, description="the page's HTML")
    text: str | None = Field(None, description="the page as plain text")
    url: str | None = Field(None, description="a public http(s) URL to fetch (private addresses are refused)")
    store: bool = Field(False, description="store the page and link it to the corpus")
    model_config = {"json_schema_extra": {"examples": [
        {"text": "Harbour flooded\n\nThe harbour flooded on Tuesday, the mayor said.", "store": False}]}}


ERRORS = {400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
          404: {"model": ErrorResponse}, 413: {"model": ErrorResponse}, 422: {"model": ErrorResponse},
          429: {"model": ErrorResponse}}
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="how many items per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="how many items to skip")]
Day = Annotated[date | None, Query(description="a day, YYYY-MM-DD")]
LARGEST_ID = 2**63 - 1  # what SQLite and PostgreSQL integers hold
StoryFilter = Annotated[int | None, Query(ge=1, le=LARGEST_ID, description="a story id")]


def identifier(what: str):
    return Annotated[int, PathParameter(ge=1, le=LARGEST_ID, description=f"the {what}'s id")]


def page(total: int, limit: int, offset: int, items: list) -> dict:
    """The one pagination form: offset and limit, with the total and the items as JSON."""
    return {"schema": API_VERSION, "total": total, "limit": limit, "offset": offset,
            "items": [item.to_dict() if hasattr(item, "to_dict") else item for item in items]}


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """The application: the JSON API under /api and the web UI's pages at /. Routes answer with JSONResponse
    themselves: the library's records are JSON already, and FastAPI's own encoder walked a page's whole
    analysis in Python on every request."""
    settings = settings or ServiceSettings()
    settings.check()
    corpus = Corpus(settings.db)
    analysis_pool = ThreadPoolExecutor(settings.analysis_workers, thread_name_prefix="onrecord-analysis")
    slots = threading.BoundedSemaphore(settings.analysis_workers + settings.analysis_queue)
    jobs = Jobs(corpus, settings.options)
    @asynccontextmanager
    async def lifespan(_app):
        yield
        analysis_pool.shutdown(wait=False, cancel_futures=True)
        jobs.shutdown()
        corpus.close()

    app = FastAPI(title="onrecord", version=API_VERSION, responses=ERRORS, lifespan=lifespan,
                  description="Claims in the news on the record: articles, stories, claims across outlets.")
    app.state.settings, app.state.corpus, app.state.jobs = settings, corpus, jobs

    @app.middleware("http")
    async def guard(request: Request, call_next):
        try:
            _authorise(request, settings)
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                _check_origin(request, settings)
                length = request.headers.get("content-length")
                if length is not None and (not length.isdigit() or int(length) > settings.max_body):
                    raise ServiceError(413, "TooLarge", f"request bodies are limited to {settings.max_body} bytes")
        except ServiceError as error:
            return _error(error.status, error.kind, str(error))
        return await call_next(request)

    @app.exception_handler(ServiceError)
    async def refused(_request, error: ServiceError):
        return _error(error.status, error.kind, str(error))

    for error_class, status in ERROR_STATUS.items():
        app.add_exception_handler(error_class, _handler(status))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request, error: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
        return _error(422, "InvalidRequest", problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request, error: StarletteHTTPException):
        return _error(error.status_code, "HTTPError", str(error.detail))

    @app.exception_handler(Exception)
    async def internal(_request, error: Exception):
        return _error(500, "InternalError", f"the server failed on this request ({type(error).__name__}); "
                                            "nothing was changed")

    @app.get("/api/articles", summary="Search and list stored articles")
    def articles(q: Annotated[str | None, Query(max_length=500, description="full-text query")] = None,
                 outlet: str | None = None, since: Day = None, until: Day = None, story: StoryFilter = None,
                 language: str | None = None, limit: Limit = 20, offset: Offset = 0) -> dict:
        """The latest version of each article: full-text matches best first with `q`, else the newest first."""
        total, items = corpus.articles(q, outlet, since, until, story, language, limit, offset)
        return JSONResponse(page(total, limit, offset, items))

    @app.get("/api/articles/{article_id}", summary="One stored article with its analysis")
    def article(article_id: identifier("article")) -> dict:
        stored, analysis = corpus.article(article_id)
        return JSONResponse({"schema": API_VERSION, "article": stored.to_dict(), "analysis": analysis})

    @app.get("/api/stories", summary="List stories, the most recently seen first")
    def stories(min_size: Annotated[int, Query(ge=1, le=LARGEST_ID)] = 1, limit: Limit = 20, offset: Offset = 0) -> dict:
        found = corpus.stories(limit + offset, min_size)
        return JSONResponse(page(corpus.count_stories(min_size), limit, offset, found[offset:]))

    @app.get("/api/stories/{story_id}", summary="One story: its articles and its claims with their timelines")
    def story(story_id: identifier("story"), as_of: Day = None) -> dict:
        records = corpus.claims(story=story_id, as_of=as_of)
        return JSONResponse({"schema": API_VERSION, "story": corpus.story(story_id).to_dict(),
                             "claims": [record.to_dict() for record in records]})

    @app.get("/api/claims", summary="Search claims across articles, or list the most recently active")
    def claims(q: Annotated[str | None, Query(max_length=500, description="a claim, in any words")] = None,
               story: StoryFilter = None, as_of: Day = None, limit: Limit = 10, offset: Offset = 0) -> dict:
        if q is not None and story is not None:
            raise ServiceError(400, "BadRequest", "give q or story, not both")
        found = corpus.claims(search=q, story=story, as_of=as_of, limit=limit + offset)
        total = len(found) if q is not None or story is not None else corpus.count_claims()
        return JSONResponse(page(total, limit, offset, found[offset:offset + limit]))

    @app.get("/api/claims/{claim_id}", summary="One claim: status, originators, events and status history")
    def claim(claim_id: identifier("claim"), as_of: Day = None) -> dict:
        return JSONResponse(corpus.claim(claim_id, as_of=as_of).to_dict())

    @app.post("/api/analyze", summary="Analyse one page; store it when asked")
    def analyze_page(request: Annotated[AnalyzeRequest, Body()]) -> dict:
        given = [value for value in (request.html, request.text, request.url) if value]
        if len(given) != 1:
            raise ServiceError(400, "BadRequest", "give exactly one of html, text or url")
        if not slots.acquire(blocking=False):
            raise ServiceError(429, "Busy", "every analysis worker is busy: try again shortly")
        try:
            return JSONResponse(analysis_pool.submit(_analyse, corpus, settings, request).result())
        finally:
            slots.release()

    @app.post("/api/ingest", summary="Ingest uploaded pages, a JSONL or a WARC file, as a background job",
              status_code=202)
    async def ingest(file: Annotated[UploadFile, File(description="HTML, text, JSONL or WARC (.gz too)")]) -> dict:
        name = Path(file.filename or "upload").name or "upload"
        folder = Path(tempfile.mkdtemp(prefix="onrecord-upload-"))
        target, size = folder / name, 0
        with target.open("wb") as handle:
            while chunk := await file.read(1 << 20):
                size += len(chunk)
                if size > settings.max_body:
                    raise ServiceError(413, "TooLarge", f"uploads are limited to {settings.max_body} bytes")
                handle.write(chunk)
        return JSONResponse(jobs.start(target).to_dict(), status_code=202)

    @app.get("/api/jobs/{job_id}", summary="An ingest job's progress and result")
    def job(job_id: str) -> dict:
        return JSONResponse(jobs.get(job_id).to_dict())

    _mount_web(app, corpus)
    return app


def _analyse(corpus: Corpus, settings: ServiceSettings, request: AnalyzeRequest) -> dict:
    """Analyses (no private addresses, whatever the configuration says), or ingests and reads back the stored
    analysis when asked to store."""
    from ..analysis import analyze
    options = settings.options.with_(allow_private=False)
    if request.store:
        record: dict[str, Any] = {"url": request.url} if request.url else {
            "url": "upload:" + _digest(request.html or request.text or ""), ("html" if request.html else "text"):
            request.html or request.text}
        with tempfile.TemporaryDirectory() as folder:
            feed = Path(folder) / "page.jsonl"
            feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
            summary = corpus.ingest([feed], options=options)
        if summary.errors:
            raise OnrecordError(f"the page was not stored: {', '.join(summary.errors)}")
        stored, analysis = corpus.article(_article_at(corpus, record["url"]))
        return {"schema": API_VERSION, "article": stored.to_dict(), "analysis": analysis,
                "stored": dict(summary.outcomes)}
    page_input = request.url if request.url else (request.html or request.text).encode("utf-8")
    return {"schema": API_VERSION, "article": None, "analysis": analyze(page_input, options).to_dict(),
            "stored": None}


def _article_at(corpus: Corpus, url: str) -> int:
    from sqlalchemy import select

    from ..corpus.store import articles
    with corpus.engine.connect() as connection:
        found = connection.execute(select(articles.c.id).where(articles.c.url == url, articles.c.is_latest)).first()
    if found is None:
        raise OnrecordError("the page was not stored")
    return found.id


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _authorise(request: Request, settings: ServiceSettings) -> None:
    if settings.loopback:
        return
    if settings.public_read and request.method in ("GET", "HEAD"):
        return
    supplied = request.headers.get("authorization", "")
    if not (settings.token and hmac.compare_digest(supplied, f"Bearer {settings.token}")):
        raise ServiceError(401, "Unauthorized", "this route needs the token: Authorization: Bearer <token>")


def _check_origin(request: Request, settings: ServiceSettings) -> None:
    """No cross-site posts and no DNS rebinding: Host must name this server, Origin (when sent) must match it."""
    host = request.headers.get("host", "")
    allowed = {settings.host, "localhost", "127.0.0.1", "[::1]", "testserver"} if settings.loopback else {settings.host}
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if name not in allowed:
        raise ServiceError(403, "BadHost", f"requests must be addressed to this server, not {host or 'no host'}")
    origin = request.headers.get("origin")
    if origin is not None and origin.split("://", 1)[-1] != host:
        raise ServiceError(403, "CrossOrigin", f"cross-site request from {origin} refused")


ERROR_STATUS = {NotInStore: 404, FetchRefused: 403, InputTooLarge: 413, FetchError: 502, OnrecordError: 422,
                ValueError: 400}  # the library's errors as answers; the most specific class wins


def _handler(status: int):
    async def answer(_request, error: Exception) -> JSONResponse:
        kind = "BadRequest" if type(error) is ValueError else type(error).__name__
        return _error(status, kind, str(error))
    return answer


def _error(status: int, kind: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status)


def _mount_web(app: FastAPI, corpus: Corpus) -> None:
    """The web UI's pages at /."""
    from ..web import router
    app.include_router(router(lambda: corpus))

