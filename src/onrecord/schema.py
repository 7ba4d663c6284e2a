"""The JSON Schema of the analysis, generated from the dataclasses in records.py so it cannot drift."""
from __future__ import annotations

import dataclasses
import types
import typing

from . import records

PRIMITIVES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def json_schema(document: str = "analysis") -> dict:
    """JSON Schema (draft 2020-12) of one of the JSON documents onrecord writes: "analysis" (`onrecord analyze
    --format json`), "story", "copy-link" or "claim" (the corpus')."""
    from .corpus import records as corpus_records
    roots = {"analysis": (records.Analysis, records.SCHEMA_VERSION),
             "story": (corpus_records.Story, corpus_records.CORPUS_SCHEMA_VERSION),
             "copy-link": (corpus_records.CopyLink, corpus_records.CORPUS_SCHEMA_VERSION),
             "claim": (corpus_records.ClaimRecord, corpus_records.CORPUS_SCHEMA_VERSION)}
    if document not in roots:
        raise ValueError(f"no JSON document named {document!r}: choose one of {', '.join(roots)}")
    root_class, version = roots[document]
    definitions: dict[str, dict] = {}
    root = _object(root_class, definitions)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{version}/{document}"
              if document != "analysis" else version, "title": f"onrecord {document}", **root}
    return {**schema, "$defs": definitions} if definitions else schema


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
        if name not in definitions:
            definitions[name] = {}
            definitions[name] = _object(annotation, definitions)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema mapping for {annotation!r}")


def _object(cls, definitions: dict) -> dict:
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    return {"type": "object", "description": (cls.__doc__ or "").strip(),
            "properties": {f.name: _schema_of(hints[f.name], definitions) for f in fields},
            "required": [f.name for f in fields], "additionalProperties": False}
