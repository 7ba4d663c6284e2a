"""One options object, built and validated once at the entry point and passed down to every stage."""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path

from .errors import ConfigError


ATTRIBUTION_MODES = ("rules", "combined", "learned")


def _defaults() -> dict:
    text = resources.files("onrecord").joinpath("data/defaults.toml").read_text(encoding="utf-8")
    return _flatten(tomllib.loads(text))


def _flatten(config: dict) -> dict:
    flat = {}
    for section in config.values():
        if not isinstance(section, dict):
            raise ConfigError("configuration keys must sit under a [section]")
        flat.update(section)
    return flat


@dataclass(frozen=True)
class Options:
    """Every setting a stage may read; defaults come from the shipped data/defaults.toml."""
    max_bytes: int
    fetch_timeout: float
    allow_private: bool
    max_redirects: int
    user_agent: str
    min_body_words: int
    english_stopword_share: float
    model: str
    attribution: str
    max_speaker_distance: int
    max_analysis_chars: int
    analysis_budget: float
    tagger_threads: int
    now: str

    def __post_init__(self):
        if self.max_bytes <= 0:
            raise ConfigError(f"max_bytes must be positive, not {self.max_bytes}")
        if self.fetch_timeout <= 0:
            raise ConfigError(f"fetch_timeout must be positive, not {self.fetch_timeout}")
        if self.attribution not in ATTRIBUTION_MODES:
            raise ConfigError(f"attribution must be one of {', '.join(ATTRIBUTION_MODES)}, not {self.attribution!r}")
        if self.analysis_budget < 0:
            raise ConfigError(f"analysis_budget must be 0 (no limit) or more seconds, not {self.analysis_budget}")
        if self.tagger_threads < 0:
            raise ConfigError(f"tagger_threads must be 0 (all cores) or more, not {self.tagger_threads}")
        if not 0 <= self.english_stopword_share <= 1:
            raise ConfigError("english_stopword_share must lie between 0 and 1")
        if isinstance(self.now, dt.date):  # TOML reads an unquoted 2024-11-18 as a date
            object.__setattr__(self, "now", self.now.isoformat())
        try:
            self.today()
        except (TypeError, ValueError) as error:
            raise ConfigError(f"now must be an ISO date (2024-11-18) or empty, not {self.now!r}") from error

    @classmethod
    def load(cls, config: str | Path | None = None, **overrides) -> "Options":
        """Defaults, then a user TOML file (only the keys it sets), then explicit keyword overrides."""
        values = _defaults()
        if config is not None:
            try:
                values.update(_flatten(tomllib.loads(Path(config).read_text(encoding="utf-8"))))
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise ConfigError(f"cannot read configuration {config}: {error}") from error
        values.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(f"unknown option(s): {', '.join(unknown)}")
        return cls(**values)

    def with_(self, **changes) -> "Options":
        return replace(self, **changes)

    def today(self) -> dt.date:
        """The current day: `now` when set (so tests and reruns of old pages can freeze it), else the clock's."""
        return dt.date.fromisoformat(self.now) if self.now else dt.date.today()


DEFAULT_OPTIONS: Options | None = None


def default_options() -> Options:
    global DEFAULT_OPTIONS
    if DEFAULT_OPTIONS is None:
        DEFAULT_OPTIONS = Options.load()
    return DEFAULT_OPTIONS
