"""Attributions as plain character spans per role (source, cue, content): the form the learned tagger
predicts in and PolNeAR's gold comes in, kept on the runtime side so the tagger never imports evaluation.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("source", "cue", "content")

Span = tuple[int, int]


@dataclass
class Spans:
    """One attribution as character spans per role; a role may hold several spans, or none."""
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)

    def role(self, name: str) -> list[Span]:
        return getattr(self, name)


def trim(text: str, start: int, end: int) -> Span:
    """The span without leading and trailing whitespace (an all-blank span keeps its start)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def clean_spans(item: Spans, text: str) -> Spans:
    """The attribution with every span trimmed of whitespace and empty spans dropped."""
    out = Spans()
    for role in ROLES:
        for start, end in item.role(role):
            span = trim(text, start, end)
            if span[1] > span[0] and span not in out.role(role):
                out.role(role).append(span)
    return out
