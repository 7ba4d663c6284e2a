"""PolNeAR (Newell et al., LREC 2018): onrecord's source/cue/content spans scored against the gold.

Two units of scoring, reported side by side because they measure different things:

- ``document``: character offsets over whole articles. Source, Cue and Content spans are scored exact
  (identical offsets after trimming whitespace) and by overlap (at least one shared character), each
  prediction matched to at most one gold span; whole attributions match when cue, source and content all
  overlap (a role absent on both sides counts as matched). Discontinuous gold spans count by their full
  extent; one annotator file per article, the first by name.
- ``cofenet``: predicted spans projected onto the tokens of CofeNet's sentence units
  (``polnear/cofenet-units``) and scored as exact BIO chunks the way CofeNet's ``evaluate_extraction``
  does (a chunk starts at ``B-X`` and runs over the following ``I-X``; a discontinuous content is several
  chunks). This is the like-for-like comparison with the published CofeNet numbers.

A predictor is any callable taking a list of raw article texts and returning, for each, a list of
:class:`Spans` with character offsets into that raw text. The default runs onrecord's analysis.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import OnrecordError
from ..spans import ROLES, Span, Spans, clean_spans, trim

SPLITS = ("train", "dev", "test")
UNITS = ("document", "cofenet")
COFENET_FILES = {"dev": "valid.txt", "test": "test.txt"}
_ROLE_OF_TYPE = {"Source": "source", "Cue": "cue", "Content": "content", "Content2": "content"}



@dataclass
class Document:
    """One PolNeAR article: its raw text and the gold attributions of one annotator."""
    name: str
    text: str
    attributions: list[Spans]
    annotation: str = ""


Predictor = Callable[[Sequence[str]], list[list[Spans]]]


class PolnearDataMissing(OnrecordError, FileNotFoundError):
    """The PolNeAR copy (or the CofeNet units) is not where the data directory says."""


# ---------------------------------------------------------------------------------------------- reading

def default_data_dir() -> Path:
    """``$ONRECORD_DATA`` or ``../shared/data`` (relative to the working directory)."""
    return Path(os.environ.get("ONRECORD_DATA", "../shared/data"))


def polnear_dir(data_dir: str | Path | None = None) -> Path:
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    return root / "polnear" if (root / "polnear").is_dir() else root



def read_ann(ann: str, text: str, pieces: bool = False) -> list[Spans]:
    """The attributions of a brat standoff file's content, spans trimmed against `text`.

    Lines are parsed by their tab-separated fields: a span's text may contain a newline, so lines that
    do not start a new annotation are continuations and are skipped. Discontinuous spans
    (``start end;start end``) count by their full extent, or with `pieces` as one span per fragment
    (CofeNet's reading, and the one a token tagger learns).
    """
    spans: dict[str, tuple[str, list[Span]]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in ann.split("\n"):
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0] or fields[0][0] not in "TE":
            continue
        key, body = fields[0], fields[1].strip()
        if key[0] == "T" and key[1:].isdigit():
            kind, _, offsets = body.partition(" ")
            numbers = [int(n) for n in re.findall(r"\d+", offsets)]
            if kind in _ROLE_OF_TYPE and numbers:
                extents = list(zip(numbers[::2], numbers[1::2])) if pieces else [(min(numbers), max(numbers))]
                spans[key] = (_ROLE_OF_TYPE[kind], [trim(text, s, e) for s, e in extents])
        elif key[0] == "E" and key[1:].isdigit():
            events.append([tuple(arg.split(":", 1)) for arg in body.split() if ":" in arg])
    attributions = []
    for arguments in events:
        item = Spans()
        for _, target in arguments:
            if target in spans:
                role, extents = spans[target]
                for span in extents:
                    if span[1] > span[0] and span not in item.role(role):
                        item.role(role).append(span)
        if item.cue or item.content or item.source:
            attributions.append(item)
    return attributions


def load_documents(split: str, data_dir: str | Path | None = None, limit: int | None = None) -> list[Document]:
    """The articles of a split, sorted by name, each with its first annotator file by name."""
    if split not in SPLITS:
        raise ValueError(f"unknown PolNeAR split {split!r}: use one of {', '.join(SPLITS)}")
    base = polnear_dir(data_dir) / "data" / split
    if not (base / "text").is_dir():
        raise PolnearDataMissing(f"no PolNeAR texts at {base / 'text'}: set --data-dir or ONRECORD_DATA")
    annotations: dict[str, Path] = {}
    for path in sorted((base / "attributions").glob("*.ann")):
        article = path.stem.rsplit("_", 1)[0]
        annotations.setdefault(article, path)
    documents = []
    for path in sorted((base / "text").glob("*.txt")):
        if path.stem not in annotations:
            continue
        text = path.read_text(encoding="utf-8")
        ann = annotations[path.stem]
        documents.append(Document(path.stem, text, read_ann(ann.read_text(encoding="utf-8"), text), ann.stem))
        if limit is not None and len(documents) >= limit:
            break
    return documents


# ------------------------------------------------------------------------------------ document scoring

def _prf(true_positive_p: int, predicted: int, true_positive_r: int, gold: int) -> dict:
    precision = true_positive_p / predicted if predicted else 0.0
    recall = true_positive_r / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(100 * precision, 2), "r": round(100 * recall, 2), "f1": round(100 * f1, 2),
            "tp": true_positive_r, "predicted": predicted, "gold": gold}


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _match_one_to_one(gold: list, predicted: list, score: Callable) -> int:
    """Greedy one-to-one matching by descending score; returns how many pairs matched (score > 0)."""
    pairs = sorted(((score(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted)),
                   reverse=True)
    used_gold, used_pred, matched = set(), set(), 0
    for value, i, j in pairs:
        if value <= 0:
            break
        if i in used_gold or j in used_pred:
            continue
        used_gold.add(i)
        used_pred.add(j)
        matched += 1
    return matched


def _unique_spans(attributions: list[Spans], role: str) -> list[Span]:
    seen: dict[Span, None] = {}
    for item in attributions:
        for span in item.role(role):
            seen.setdefault(span)
    return list(seen)


def _extent(spans: list[Span]) -> Span | None:
    return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None


def _attribution_match(gold: Spans, predicted: Spans) -> int:
    """Overlapping characters summed over the roles, or 0 when some role fails to match."""
    total = 0
    for role in ROLES:
        g, p = gold.role(role), predicted.role(role)
        if not g and not p:
            total += 1
            continue
        best = max((_overlap(a, b) for a in g for b in p), default=0)
        if best == 0:
            return 0
        total += best
    return total


def score_documents(gold: Sequence[list[Spans]], predicted: Sequence[list[Spans]]) -> dict:
    """P/R/F1 of spans (exact and overlap, per role) and whole attributions, summed over documents."""
    counts = {f"{role}_{kind}": [0, 0, 0] for role in ROLES for kind in ("exact", "overlap")}
    counts["attribution_overlap"] = [0, 0, 0]
    for gold_doc, predicted_doc in zip(gold, predicted, strict=True):
        for role in ROLES:
            g, p = _unique_spans(gold_doc, role), _unique_spans(predicted_doc, role)
            exact = len(set(g) & set(p))
            overlap = _match_one_to_one(g, p, _overlap)
            for kind, matched in (("exact", exact), ("overlap", overlap)):
                row = counts[f"{role}_{kind}"]
                row[0] += matched
                row[1] += len(p)
                row[2] += len(g)
        matched = _match_one_to_one(gold_doc, predicted_doc, _attribution_match)
        row = counts["attribution_overlap"]
        row[0] += matched
        row[1] += len(predicted_doc)
        row[2] += len(gold_doc)
    return {key: _prf(tp, n_pred, tp, n_gold) for key, (tp, n_pred, n_gold) in counts.items()}




# -------------------------------------------------------------------------------------- cofenet scoring

@dataclass
class Unit:
    """One CofeNet unit: a sentence or paragraph of one annotator's copy of an article."""
    id: str
    tokens: list[str]
    labels: list[str]
    offsets: list[Span | None] = field(default_factory=list)


def load_units(split: str, data_dir: str | Path | None = None) -> list[Unit]:
    if split not in COFENET_FILES:
        raise ValueError(f"CofeNet units exist for dev and test only, not {split!r}")
    path = polnear_dir(data_dir) / "cofenet-units" / COFENET_FILES[split]
    if not path.is_file():
        raise PolnearDataMissing(f"no CofeNet units at {path}")
    units = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                units.append(Unit(row["id"], row["tokens"], row["labels"]))
    return units


_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "`": "'"}
_TOKEN_FORMS = {"``": ['"', "''", "'"], "''": ['"', "''", "'"], "`": ["'"], "-LRB-": ["("], "-RRB-": [")"],
                "-LSB-": ["["], "-RSB-": ["]"], "-LCB-": ["{"], "-RCB-": ["}"], "--": ["--", "\u2014", "\u2013", "-"],
                "...": ["...", "\u2026", ". . ."]}


@lru_cache(maxsize=256)
def _normalise(text: str) -> str:
    """Length-preserving: curly quotes and backticks become straight ones (cached: every unit of an
    article normalises the same text)."""
    return "".join(_QUOTES.get(c, c) for c in text)


def align_tokens(tokens: Sequence[str], text: str, start: int = 0) -> tuple[list[Span | None], int]:
    """Character offsets of CoreNLP tokens in `text`, searched in order from `start`.

    A token is looked for at the current position (after whitespace), then a few characters on; failing
    that, the token and its next two are searched together further on (CoreNLP adds tokens, such as a
    sentence-final period after "Del.", that are not in the text, and units may skip text). Returns the
    offsets (None for a token not found) and the position after the last one found.
    """
    norm = _normalise(text)
    position = start
    offsets: list[Span | None] = []
    patterns = [_token_pattern(token) for token in tokens]
    for i, token in enumerate(tokens):
        while position < len(norm) and norm[position].isspace():
            position += 1
        match = patterns[i].match(norm, position) or patterns[i].search(norm, position, position + 8)
        if match is None:
            context = r"\s*".join(p.pattern for p in patterns[i:i + 3])
            match = re.compile(context).search(norm, position, position + 5000)
            if match is not None:
                match = patterns[i].match(norm, match.start())
        if match is None or match.end() == match.start():
            offsets.append(None)
            continue
        offsets.append((match.start(), match.end()))
        position = match.end()
    return offsets, position


@lru_cache(maxsize=None)
def _token_pattern(token: str) -> re.Pattern:
    forms = [_normalise(token)] + _TOKEN_FORMS.get(token, [])
    return re.compile("(?:" + "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True)) + ")")


def align_units(units: list[Unit], texts: dict[str, str]) -> int:
    """Fills each unit's token offsets against its article's raw text; returns the unaligned count.

    Each unit is anchored where its first tokens occur after the previous unit, or else anywhere in the
    text (a unit out of order), before its tokens are aligned one by one.
    """
    cursor: dict[str, int] = {}
    missing = 0
    for unit in units:
        text = _normalise(texts[unit.id])
        start = cursor.get(unit.id, 0)
        head = r"\s*".join(_token_pattern(t).pattern for t in unit.tokens[:6])
        if head:
            found = re.compile(head).search(text, start) or re.compile(head).search(text)
            if found is not None:
                start = found.start()
        unit.offsets, end = align_tokens(unit.tokens, text, start)
        cursor[unit.id] = max(end, cursor.get(unit.id, 0)) if end > start else cursor.get(unit.id, 0)
        missing += sum(o is None for o in unit.offsets)
    return missing


def project(attributions: Sequence[Spans], offsets: Sequence[Span | None]) -> list[str]:
    """BIO labels of tokens from character spans: a token takes the role of a span it overlaps; a new
    chunk begins where the span changes."""
    owner: list[tuple[str, int] | None] = [None] * len(offsets)
    placed = [(i, off) for i, off in enumerate(offsets) if off is not None]
    low = min((off[0] for _, off in placed), default=0)
    high = max((off[1] for _, off in placed), default=0)
    number = 0
    for item in attributions:
        for role in ROLES:
            for start, end in item.role(role):
                number += 1
                if end <= low or start >= high:  # most of an article's spans lie outside this unit
                    continue
                for i, off in placed:
                    if owner[i] is None and off[0] < end and start < off[1]:
                        owner[i] = (role, number)
    labels = []
    for i, tag in enumerate(owner):
        if tag is None:
            labels.append("O")
        elif i > 0 and owner[i - 1] == tag:
            labels.append(f"I-{tag[0]}")
        else:
            labels.append(f"B-{tag[0]}")
    return labels


def bio_chunks(labels: Sequence[str]) -> dict[str, list[Span]]:
    """Chunks as CofeNet's ``get_element`` reads them: ``B-X`` starts one, ``I-X`` continues it, anything
    else ends it (an ``I-X`` with no open ``X`` chunk starts nothing)."""
    chunks: dict[str, list[Span]] = {role: [] for role in ROLES}
    open_role, open_start = None, -1
    for i, label in enumerate(labels):
        if label.startswith("B-"):
            if open_role:
                chunks.setdefault(open_role, []).append((open_start, i))
            open_role, open_start = label[2:], i
        elif label.startswith("I-") and open_role == label[2:]:
            continue
        else:
            if open_role:
                chunks.setdefault(open_role, []).append((open_start, i))
            open_role = None
    if open_role:
        chunks.setdefault(open_role, []).append((open_start, len(labels)))
    return chunks


def score_bio(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict:
    """Exact chunk P/R/F1 per role over units, as CofeNet's ``exact_match``."""
    counts = {role: [0, 0, 0] for role in ROLES}
    for gold_labels, predicted_labels in zip(gold, predicted, strict=True):
        g, p = bio_chunks(gold_labels), bio_chunks(predicted_labels)
        for role in ROLES:
            gold_set, pred_set = g.get(role, []), p.get(role, [])
            counts[role][0] += sum(1 for chunk in gold_set if chunk in pred_set)
            counts[role][1] += len(pred_set)
            counts[role][2] += len(gold_set)
    return {f"{role}_exact": _prf(tp, n_pred, tp, n_gold) for role, (tp, n_pred, n_gold) in counts.items()}


# -------------------------------------------------------------------------------------------- predictors

def rules_predictor(texts: Sequence[str]) -> list[list[Spans]]:
    """onrecord's analysis (the rules) over raw texts, with spans mapped back to raw-text offsets."""
    from ..analysis import analyze_many

    results = []
    for text, result in zip(texts, analyze_many([t.encode("utf-8") for t in texts]), strict=True):
        if result.analysis is None:
            results.append([])
            continue
        results.append(spans_from_analysis(result.analysis, text))
    return results


def combined_predictor(texts: Sequence[str]) -> list[list[Spans]]:
    """onrecord's analysis with `onrecord_learned_attributions` after the rules (a pipeline of its own)."""
    from ..analysis import analyze_many
    from ..learned import load_tagger
    from ..nlp import load

    load_tagger()  # fail early, with ModelMissing, when the model is absent
    base = load()
    from ..nlp import _load_spacy

    nlp = _load_spacy("")
    for name in base.pipe_names:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, before="parser" if name == "onrecord_paragraphs" else None)
    nlp.add_pipe("onrecord_learned_attributions", last=True)
    results = []
    for text, result in zip(texts, analyze_many([t.encode("utf-8") for t in texts], nlp=nlp), strict=True):
        results.append(spans_from_analysis(result.analysis, text) if result.analysis is not None else [])
    return results


def spans_from_analysis(analysis, raw: str) -> list[Spans]:
    """The attributions of an Analysis as Spans over the raw text it was made from."""
    mapping = offset_map(analysis.article.text, raw, [(p.start, p.end) for p in analysis.article.paragraphs])
    out = []
    for attribution in analysis.attributions:
        item = Spans()
        mention = attribution.speaker.mention
        for role, span in (("source", mention), ("cue", attribution.cue), ("content", attribution.content)):
            if span is None or span.end <= span.start:
                continue
            start, end = mapping[span.start], mapping[span.end - 1]
            if start is not None and end is not None and end >= start:
                item.role(role).append((start, end + 1))
        out.append(clean_spans(item, raw))
    return out


def offset_map(clean: str, raw: str, paragraphs: Sequence[Span] = ()) -> list[int | None]:
    """For each character of `clean`, its offset in `raw` (None where it has no counterpart).

    Each paragraph is located in the raw text, then walked character by character, skipping whitespace
    that the cleaner added or collapsed.
    """
    mapping: list[int | None] = [None] * len(clean)
    paragraphs = list(paragraphs) or [(0, len(clean))]
    cursor = 0
    for start, end in paragraphs:
        piece = clean[start:end]
        at = raw.find(piece, cursor)
        if at >= 0:
            for k in range(len(piece)):
                mapping[start + k] = at + k
            cursor = at + len(piece)
            continue
        # whitespace-insensitive walk from the first non-space character of the paragraph
        words = piece.split()
        at = raw.find(words[0], cursor) if words else -1
        j = at if at >= 0 else cursor
        for k in range(start, end):
            c = clean[k]
            if c.isspace():
                mapping[k] = j if j < len(raw) else None
                continue
            while j < len(raw) and raw[j].isspace():
                j += 1
            if j < len(raw) and raw[j] != c:  # a character the cleaner changed or dropped: look a little on
                ahead = raw.find(c, j, j + 8)
                if ahead < 0:
                    continue
                j = ahead
            if j < len(raw):
                mapping[k] = j
                j += 1
        cursor = j
    return mapping


# -------------------------------------------------------------------------------------------- evaluation

PREDICTORS = ("rules", "learned", "combined")


def named_predictor(name: str, units: str) -> Predictor:
    """``rules`` (onrecord's analysis), ``learned`` (the shipped tagger alone; contents as pieces for
    CofeNet units, by full extent for document units) or ``combined`` (the analysis with the tagger's
    component merged into the rules, as `onrecord analyze` would run it)."""
    if name == "rules":
        return rules_predictor
    if name == "combined":
        return combined_predictor
    if name == "learned":
        from ..learned import load_tagger

        tagger = load_tagger()
        return tagger.predict_pieces if units == "cofenet" else tagger.predict_spans
    raise ValueError(f"unknown predictor {name!r}: use one of {', '.join(PREDICTORS)}")


def evaluate_polnear(split: str = "dev", units: str = "document", data_dir: str | Path | None = None,
                     limit: int | None = None, predictor: Predictor | str | None = None) -> dict:
    """Scores a predictor (a callable, or a name from PREDICTORS; default: onrecord's rules) on a PolNeAR
    split in the given units."""
    if units not in UNITS:
        raise ValueError(f"unknown units {units!r}: use one of {', '.join(UNITS)}")
    if predictor is None or isinstance(predictor, str):
        predictor = named_predictor(predictor or "rules", units)
    documents = load_documents(split, data_dir, limit=None if units == "cofenet" else limit)
    if units == "document":
        predicted = predictor([d.text for d in documents])
        scores = score_documents([d.attributions for d in documents], predicted)
        return {"split": split, "units": units, "documents": len(documents), "scores": scores}
    unit_list = load_units(split, data_dir)
    article_of = {}
    for unit in unit_list:
        article_of.setdefault(unit.id, unit.id.rsplit("_", 1)[0])
    wanted = list(dict.fromkeys(article_of.values()))
    if limit is not None:
        wanted = wanted[:limit]
    by_name = {d.name: d for d in documents}
    missing_text = [a for a in wanted if a not in by_name]
    if missing_text:
        raise PolnearDataMissing(f"CofeNet units name articles with no PolNeAR text: {missing_text[:3]}")
    unit_list = [u for u in unit_list if article_of[u.id] in set(wanted)]
    predicted = dict(zip(wanted, predictor([by_name[a].text for a in wanted]), strict=True))
    unaligned = align_units(unit_list, {u.id: by_name[article_of[u.id]].text for u in unit_list})
    gold_labels = [u.labels for u in unit_list]
    predicted_labels = [project(predicted[article_of[u.id]], u.offsets) for u in unit_list]
    scores = score_bio(gold_labels, predicted_labels)
    return {"split": split, "units": units, "documents": len(wanted), "units_scored": len(unit_list),
            "tokens": sum(len(u.tokens) for u in unit_list), "unaligned_tokens": unaligned, "scores": scores}


def render(result: dict) -> str:
    """The scores as a small text table."""
    lines = [f"PolNeAR {result['split']}, {result['units']} units, {result['documents']} documents"
             + (f", predictor {result['predictor']}" if "predictor" in result else "")
             + (f", {result['units_scored']} units" if "units_scored" in result else ""),
             f"{'measure':<22}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'pred':>8}"]
    for key, row in result["scores"].items():
        lines.append(f"{key:<22}{row['p']:>8.1f}{row['r']:>8.1f}{row['f1']:>8.1f}{row['gold']:>8}{row['predicted']:>8}")
    return "\n".join(lines)


def _polnear_click():
    import click

    @click.command("polnear")
    @click.option("--split", type=click.Choice(["dev", "test"]), default="dev", show_default=True,
                  help="PolNeAR split (score test once per model version and log it in docs/polnear-runs.md).")
    @click.option("--units", type=click.Choice(list(UNITS)), default="document", show_default=True,
                  help="document: character offsets over articles; cofenet: exact BIO chunks over CofeNet's units.")
    @click.option("--limit", type=int, help="Score only the first N articles.")
    @click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
    @click.option("--data-dir", type=click.Path(file_okay=False), default=None,
                  help="Folder holding polnear/ (default: $ONRECORD_DATA or ../shared/data).")
    @click.option("--predictor", type=click.Choice(list(PREDICTORS)), default="rules", show_default=True,
                  help="rules: onrecord's analysis; learned: the shipped tagger alone; combined: the analysis "
                       "with the tagger merged into the rules.")
    def polnear_command(split, units, limit, as_json, data_dir, predictor):
        """Score attribution spans on PolNeAR (source, cue, content; whole attributions)."""
        try:
            result = evaluate_polnear(split, units, data_dir, limit=limit, predictor=predictor)
            result["predictor"] = predictor
        except (ValueError, OnrecordError) as error:
            raise click.ClickException(str(error)) from error
        click.echo(json.dumps(result, indent=1) if as_json else render(result))

    return polnear_command


polnear_command = _polnear_click()
