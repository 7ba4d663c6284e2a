"""Alembic migrations of the corpus store, run on open: the store records its schema version in
`alembic_version`, and opening it applies every revision it lacks."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Engine

HERE = Path(__file__).parent


def config() -> Config:
    settings = Config()
    settings.set_main_option("script_location", str(HERE))
    return settings


def upgrade(engine: Engine) -> None:
    """Brings the store to the newest revision in one transaction (PostgreSQL rolls back a failed one)."""
    from ..store import StoreError

    settings = config()
    with engine.begin() as connection:
        settings.attributes["connection"] = connection
        try:
            command.upgrade(settings, "head")
        except CommandError as error:
            raise StoreError(f"{engine.url.render_as_string(hide_password=True)} has a schema this onrecord does "
                             f"not know (made by a newer version?): {error}") from error


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()
