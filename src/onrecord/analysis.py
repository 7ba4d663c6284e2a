"""The pipeline on one page: read, clean, parse, find attributions, resolve speakers, classify stance,
roll claims up. `analyze()` is the public entry point; `analyze_many()` streams pages through spaCy's
batching and turns any failure on a page into that page's error result instead of stopping.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .attribution import text_of
from .claims import group_claims, lineage
from .cleaning import extract_article
from .dates import find_times
from .errors import OnrecordError
from .nlp import load
from .options import Options, default_options
from .reading import Page, read_bytes, read_page
from .records import Analysis, Article, Attribution, ChainLink, Speaker, TextSpan
from .speakers import Referent, SpeakerResolver, countries
from .stance import classify_stance, content_terms, link_answers, negates, points_at_report, speaker_terms


def analyze(page: str | Path | bytes | Page, options: Options | None = None, nlp: Language | None = None) -> Analysis:
    """Analyses one page: a path, an http(s) URL, '-' for stdin, raw bytes, or a read `Page`."""
    options = options or default_options()
    page = _as_page(page, options)
    deadline = budget_deadline(options)  # the budget counts cleaning too
    analysis = analyze_article(extract_article(page, options), options, nlp, deadline)
    analysis.warnings[:0] = page.warnings
    return analysis


def analyze_text(text: str, options: Options | None = None, nlp: Language | None = None) -> Analysis:
    """Analyses a page given as a string (HTML or plain text)."""
    return analyze(text.encode("utf-8"), options, nlp)


def analyze_article(article: Article, options: Options | None = None, nlp: Language | None = None,
                    deadline: float | None = None) -> Analysis:
    """Analyses an already cleaned article within the time budget: `deadline` (a `time.monotonic()` value,
    from `budget_deadline` when the caller's clock started earlier), else `options.analysis_budget` seconds
    from now. The body is first cut to `max_analysis_chars`; when the parse would still run past the
    deadline, the analysis covers the paragraphs parsed by then, with a warning."""
    options = options or default_options()
    deadline = deadline if deadline is not None else budget_deadline(options)
    skipped = _prepare(article)
    if skipped:
        return skipped
    nlp = nlp or load(options.model, options.attribution, options.tagger_threads)
    text, warnings = analysable_text(article, options)
    doc = parse_within(nlp, text, deadline)
    if len(doc.text) < len(text):
        warnings.append(f"the analysis ran out of its time budget ({options.analysis_budget:g} s, analysis_budget): "
                        f"attributions were analysed in the first {len(doc.text):,} of {len(text):,} characters")
    analysis = analysis_from_doc(article, doc, options)
    analysis.warnings.extend(warnings)
    return analysis


def budget_deadline(options: Options) -> float | None:
    """When an analysis starting now must end (`time.monotonic()`), or None without a budget."""
    return time.monotonic() + options.analysis_budget if options.analysis_budget else None


PARSE_BATCH_CHARS = 100_000  # longer texts are parsed in batches of whole paragraphs of about this size
FINISH_SHARE = 0.3  # the attribution finders and the analysis after the parse take up to this share of its time
DOCUMENT_COMPONENTS = ("onrecord_attributions", "onrecord_learned_attributions")  # these read the whole text


def parse_within(nlp: Language, text: str, deadline: float | None = None) -> Doc:
    """The text through the pipeline. A text over `PARSE_BATCH_CHARS` is parsed in batches of whole paragraphs,
    so that spaCy's memory is that of one batch (a megabyte parsed at once takes gigabytes) and the deadline
    can be kept: no batch starts when it and the work after the parse (`FINISH_SHARE`) would end past the
    deadline, estimated from the batches before it. The batches are joined into one Doc (shorter than the
    text when batches were left out), and the components that read the whole document run once, on it."""
    if len(text) <= PARSE_BATCH_CHARS:
        return nlp(text)
    split = next((i for i, name in enumerate(nlp.pipe_names) if name in DOCUMENT_COMPONENTS), len(nlp.pipe_names))
    docs: list[Doc] = []
    started, parsed = time.monotonic(), 0
    for batch in _paragraph_batches(text, PARSE_BATCH_CHARS):
        if docs and deadline is not None:
            seconds_per_char = (time.monotonic() - started) / parsed
            if time.monotonic() + seconds_per_char * (len(batch) + FINISH_SHARE * (parsed + len(batch))) > deadline:
                break
        doc = nlp.make_doc(batch)
        for _, component in nlp.pipeline[:split]:
            doc = component(doc)
        docs.append(doc)
        parsed += len(batch)
    doc = Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor", "user_data"]) if len(docs) > 1 else docs[0]
    for _, component in nlp.pipeline[split:]:
        doc = component(doc)
    return doc


def _paragraph_batches(text: str, size: int) -> Iterator[str]:
    """The text in consecutive pieces of about `size` characters, each ending after the blank lines that close
    a paragraph, else after a line or a word (a word longer than `size` alone is cut)."""
    start = 0
    while start < len(text):
        end = start + size
        if end < len(text):
            cut = text.rfind("\n\n", start + 1, end)
            if cut < 0:
                cut = max(text.rfind("\n", start + 1, end), text.rfind(" ", start + 1, end))
            end = cut if cut > start else end
            while end < len(text) and text[end].isspace():
                end += 1
        yield text[start:end]
        start = end


def analysable_text(article: Article, options: Options) -> tuple[str, list[str]]:
    """The body, or its first paragraphs when it is longer than the parser should take in one go;
    the article keeps its whole text either way."""
    limit = options.max_analysis_chars
    if len(article.text) <= limit:
        return article.text, []
    cut = article.text.rfind("\n\n", 0, limit)
    cut = cut if cut > 0 else limit
    return article.text[:cut], [f"the body has {len(article.text):,} characters: attributions were analysed in the "
                                f"first {cut:,} only (max_analysis_chars)"]


@dataclass
class BatchResult:
    """One document of a batch: its analysis, or the error that stopped it. `internal` marks an error that
    is not an OnrecordError, that is a bug rather than a page onrecord refuses on purpose."""
    source: str
    analysis: Analysis | None = None
    error: str | None = None
    error_type: str | None = None
    internal: bool = False

    @classmethod
    def failed(cls, source: str, error: Exception) -> "BatchResult":
        return cls(source, error=str(error) or repr(error), error_type=type(error).__name__,
                   internal=not isinstance(error, OnrecordError))


def analyze_many(pages: Iterable[str | Path | bytes | Page], options: Options | None = None,
                 nlp: Language | None = None, batch_size: int = 16) -> Iterator[BatchResult]:
    """Analyses many pages through spaCy's batching: one result per page, in input order. Any exception on a
    page becomes that page's error result and the run goes on."""
    options = options or default_options()
    nlp = nlp or load(options.model, options.attribution, options.tagger_threads)
    pages = iter(pages)
    while group := list(islice(pages, batch_size)):
        yield from _analyze_group(group, options, nlp)


def _analyze_group(pages: list[str | Path | bytes | Page], options: Options, nlp: Language) -> list[BatchResult]:
    results: list[BatchResult] = []
    waiting: list[tuple[int, Article, str, list[str]]] = []  # (result index, article, text, warnings) to parse
    for page in pages:
        source = page.source if isinstance(page, Page) else str(page)[:200]
        deadline = budget_deadline(options)
        try:
            read = _as_page(page, options)
            article = extract_article(read, options)
            skipped = _prepare(article)
        except Exception as error:  # one page's failure, whatever it is, must not end a batch of thousands
            results.append(BatchResult.failed(source, error))
            continue
        if skipped:
            skipped.warnings[:0] = read.warnings
            results.append(BatchResult(source, analysis=skipped))
            continue
        text, warnings = analysable_text(article, options)
        if len(text) > PARSE_BATCH_CHARS:  # a long page takes the single-page path: batched parse, time budget
            results.append(_analyze_long(source, read, article, options, nlp, deadline))
            continue
        results.append(BatchResult(source))
        waiting.append((len(results) - 1, article, text, read.warnings + warnings))
    docs = _parse([text for _, _, text, _ in waiting], nlp)
    for (index, article, _, warnings), doc in zip(waiting, docs):
        if isinstance(doc, Exception):
            results[index] = BatchResult.failed(results[index].source, doc)
            continue
        try:
            analysis = analysis_from_doc(article, doc, options)
            analysis.warnings[:0] = warnings
            results[index].analysis = analysis
        except Exception as error:
            results[index] = BatchResult.failed(results[index].source, error)
    return results


def _analyze_long(source: str, page: Page, article: Article, options: Options, nlp: Language,
                  deadline: float | None) -> BatchResult:
    try:
        analysis = analyze_article(article, options, nlp, deadline)
    except Exception as error:
        return BatchResult.failed(source, error)
    analysis.warnings[:0] = page.warnings
    return BatchResult(source, analysis=analysis)


def _parse(texts: list[str], nlp: Language) -> list[Doc | Exception]:
    """The texts parsed as one spaCy batch; should the batch fail, each text alone, so that a text spaCy
    cannot take costs only itself."""
    try:
        return list(nlp.pipe(texts, batch_size=max(1, len(texts))))
    except Exception:
        docs: list[Doc | Exception] = []
        for text in texts:
            try:
                docs.append(nlp(text))
            except Exception as error:
                docs.append(error)
        return docs


def _as_page(page: str | Path | bytes | Page, options: Options) -> Page:
    if isinstance(page, Page):
        return page
    if isinstance(page, bytes):
        return read_bytes(page, options=options)
    return read_page(page, options)


def _prepare(article: Article) -> Analysis | None:
    """Adds relative times; returns the finished analysis when the text is not English."""
    article.times = find_times(article.text, article.published.date)
    if article.language and article.language != "en":
        return Analysis(article, warnings=[f"the text is in language {article.language!r}, not English: "
                                           "attributions were not analysed"])
    return None


def analysis_from_doc(article: Article, doc: Doc, options: Options) -> Analysis:
    """The analysis of an article from its parsed Doc (the one place the stages meet)."""
    found = doc._.attributions or []
    resolver = SpeakerResolver(doc, options.max_speaker_distance)
    resolved = resolver.resolve_all(found)
    entities = resolver.entities()
    outlet = (article.outlet or "").lower()
    attributions = []
    for number, (item, (speaker, cited)) in enumerate(zip(found, resolved), 1):
        speaker_record = _speaker(speaker.referent, speaker.mention, doc)
        chain = [_link(speaker_record)]
        for source in cited:  # neither the page's own outlet nor the speaker itself is a further hop
            if source.referent is None or source.referent.name.lower() == outlet or source.referent is speaker.referent:
                continue
            link = _link(_speaker(source.referent, source.mention, doc))
            if link.name != chain[-1].name:
                chain.append(link)
        attributions.append(Attribution(
            id=f"a{number}",
            cue=TextSpan(text_of(doc)[item.cue_start:item.cue_end], item.cue_start, item.cue_end),
            speaker=speaker_record, chain=chain,
            content=TextSpan(text_of(doc)[item.content_start:item.content_end], item.content_start, item.content_end),
            direct=item.direct, stance=classify_stance(item, doc), confidence=_confidence(item, speaker.referent)))
    country_of = lambda word: countries().get(word.lower())  # noqa: E731
    terms = [content_terms(doc, a.content.start, a.content.end, country_of) for a in attributions]
    stances = [a.stance for a in attributions]
    negations = [negates(item, doc) for item in found]
    links = link_answers(stances, terms, [lineage(a) for a in attributions], negations,
                         speakers=[speaker_terms(a.speaker.name) for a in attributions],
                         points_back=[points_at_report(doc, a.content.start, a.content.end) for a in attributions])
    for attribution, stance, link in zip(attributions, stances, links):
        attribution.stance = stance
        attribution.addresses = attributions[link].id if link is not None else None
    return Analysis(article=article, entities=entities, attributions=attributions,
                    claims=group_claims(attributions, terms))


def _speaker(referent: Referent | None, mention, doc: Doc) -> Speaker:
    mention_span = TextSpan(mention.text, mention.start_char, mention.end_char) if mention is not None else None
    if referent is None:
        return Speaker(name=None, type="unknown", entity=None, mention=mention_span)
    return Speaker(name=referent.name, type=referent.type, entity=referent.id or None, mention=mention_span)


def _link(speaker: Speaker) -> ChainLink:
    return ChainLink(name=speaker.name or "unattributed", type=speaker.type, entity=speaker.entity)


def _confidence(item, referent: Referent | None) -> float:
    """A rough prior: explicit named speakers with a parsed complement score highest."""
    score = 0.9 if item.direct else 0.8
    if referent is None:
        score -= 0.3
    elif not referent.named:
        score -= 0.1
    if item.cue.frame in ("noun", "passive"):
        score -= 0.1
    return round(score, 2)
