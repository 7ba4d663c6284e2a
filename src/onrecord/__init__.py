"""onrecord puts every claim in a news page on the record: who said it, on whose word, how firmly, and
who has since confirmed or denied it.

    >>> import onrecord
    >>> analysis = onrecord.analyze("page.html")            # doctest: +SKIP
    >>> [a.stance for a in analysis.attributions]           # doctest: +SKIP
"""
from .errors import (BinaryInput, ConfigError, EmptyInput, FetchError, FetchRefused, InputTooLarge, NoArticle,
                     OnrecordError)
from .options import Options
from .records import Analysis, Article, Attribution, Claim, Entity

__version__ = "0.2.16"

__all__ = ["analyze", "analyze_text", "analyze_many", "load", "Options", "Analysis", "Article", "Attribution",
           "Claim", "Entity", "OnrecordError", "EmptyInput", "BinaryInput", "InputTooLarge", "FetchError",
           "FetchRefused", "NoArticle", "ConfigError", "Corpus"]


def __getattr__(name):
    """The pipeline and spaCy load on first use, so `import onrecord` stays fast."""
    if name in ("analyze", "analyze_text", "analyze_many"):
        from . import analysis
        return getattr(analysis, name)
    if name == "load":
        from .nlp import load
        return load
    if name == "Corpus":
        from .corpus import Corpus
        return Corpus
    raise AttributeError(f"module 'onrecord' has no attribute {name!r}")
