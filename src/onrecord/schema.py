"""The JSON Schema of the analysis, generated from the dataclasses in records.py so it cannot drift."""
from __future__ import annotations

import dataclasses
import types
import typing

from . import records

PRIMITIVES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) for `onrecord analyze --format json`."""
    definitions: dict[str, dict] = {}
    root = _schema_of(records.Analysis, definitions)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": records.SCHEMA_VERSION,
            "title": "onrecord analysis", **root, "$defs": definitions}


def _schema_of(annotation, definitions: dict) -> dict:
    origin = typing.get_origin(annotation)
    if annotation in PRIMITIVES:
        return {"type": PRIMITIVES[annotation]}
    if annotation is type(None):
        return {"type": "null"}
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(annotation))}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_schema_of(arg, definitions) for arg in typing.get_args(annotation)]}
    if origin is list:
        return {"type": "array", "items": _schema_of(typing.get_args(annotation)[0], definitions)}
    if dataclasses.is_dataclass(annotation):
        name = annotation.__name__
        if name not in definitions and annotation is not records.Analysis:
            definitions[name] = {}
            definitions[name] = _object(annotation, definitions)
        return _object(annotation, definitions) if annotation is records.Analysis else {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema mapping for {annotation!r}")


def _object(cls, definitions: dict) -> dict:
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    return {"type": "object", "description": (cls.__doc__ or "").strip(),
            "properties": {f.name: _schema_of(hints[f.name], definitions) for f in fields},
            "required": [f.name for f in fields], "additionalProperties": False}
