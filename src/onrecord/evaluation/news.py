"""Real news, annotated by careful reading: onrecord scored on articles nobody here wrote.

The gold files (`eval/news/{dev,test}/*.json`) hold offsets and labels only, anchored to texts in
`../shared/data` that may not be redistributed (each file names its text and the text's SHA-256); the texts
are read at evaluation time. Annotators work on drafts that quote the text (`scripts/news_gold.py` makes a
draft from PolNeAR's spans and anchors a finished draft into a gold file); drafts stay out of the repo.
Scoring is the seed's (`evaluation/gold.py`, as `../shared/seed/compare.py`), with 95% bootstrap intervals
over articles. docs/annotation.md holds the guidelines.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import click

from . import DATA_DIR_OPTION
from .gold import Score, score_analysis

SPLITS = ("dev", "test")
GOLD_DIR = Path(__file__).resolve().parents[3] / "eval" / "news"
MEASURES = ("f1", "recall", "precision", "speaker", "canonical", "stance", "chains", "claim_status")
STANCES = {"assert", "hedge", "allege", "deny", "confirm", "unconfirmed", "opinion", "directive", "commit"}
SPEAKER_TYPES = {"person", "organization", "outlet", "anonymous", "unnamed_official", "document", "unknown"}
STATUSES = {"asserted", "single_source", "corroborated", "confirmed", "unconfirmed", "denied", "disputed"}


class AnchorError(ValueError):
    """A draft's quoted text is not in the source text where the draft says."""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pattern(quote: str) -> re.Pattern:
    """The quote as a pattern that forgives whitespace and the form of quotes and apostrophes."""
    parts = []
    for char in quote.strip():
        if char.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif char in "\"“”":
            parts.append("[\"“”]")
        elif char in "'‘’`":
            parts.append("['‘’`]")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts))


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _pattern(quote).finditer(text)] if quote and quote.strip() else []


def _nearest(spans: list[tuple[int, int]], point: int) -> tuple[int, int] | None:
    return min(spans, key=lambda s: abs(s[0] - point)) if spans else None


def anchor(draft: dict, text: str) -> dict:
    """A gold record from a draft: every quoted piece becomes offsets into `text` (AnchorError when a quote
    is missing). A draft item's `at` offsets (from PolNeAR) are used when they still hold its quote; otherwise
    the content is looked for near `near` (a snippet of its sentence), else after the previous item's content."""
    out, previous = [], 0
    for number, item in enumerate(draft["attributions"]):
        at = item.get("at") or {}
        content = _place(text, item.get("content"), at.get("content"), item.get("near"), previous, "content", number)
        if content is None:
            raise AnchorError(f"attribution {number}: no content")
        previous = content[0]
        cue = _place(text, item.get("cue"), at.get("cue"), None, content[0], "cue", number, window=600)
        mention_point = cue[0] if cue else content[0]
        mention = _place(text, item.get("mention"), at.get("source"), None, mention_point, "mention", number,
                         window=600)
        _check_labels(item, number)
        out.append({"cue": list(cue) if cue else None, "content": list(content),
                    "mention": list(mention) if mention else None, "speaker": item.get("speaker"),
                    "speaker_type": item["speaker_type"], "chain": item.get("chain") or [item.get("speaker")],
                    "direct": bool(item.get("direct")), "stance": item["stance"],
                    "addresses": item.get("addresses")})
    claims = []
    for claim in draft.get("claims", []):
        if claim["status"] not in STATUSES or any(not 0 <= i < len(out) for i in claim["attributions"]):
            raise AnchorError(f"claim {claim.get('summary', '')[:40]!r}: bad status or attribution index")
        claims.append({"summary": claim["summary"], "attributions": claim["attributions"], "status": claim["status"]})
    return {"id": draft["id"], "source": draft["source"], "sha256": sha256(text), "split": draft["split"],
            "outlet": draft.get("outlet"), "annotator": draft.get("annotator"), "attributions": out, "claims": claims}


def _place(text, quote, offsets, near, point, role, number, window=None):
    if not quote:
        return None
    if offsets and _pattern(quote).fullmatch(text[offsets[0]:offsets[1]].strip()):
        start = offsets[0] + len(text[offsets[0]:offsets[1]]) - len(text[offsets[0]:offsets[1]].lstrip())
        return start, start + len(text[offsets[0]:offsets[1]].strip())
    spans = _occurrences(text, quote)
    if near:
        hints = _occurrences(text, near)
        if not hints:
            raise AnchorError(f"attribution {number}: 'near' snippet {near[:40]!r} is not in the text")
        point = hints[0][0]
    if window is not None:
        spans = [s for s in spans if abs(s[0] - point) <= window]
    elif not near:
        spans = [s for s in spans if s[0] >= point - 400] or spans
    found = _nearest(spans, point)
    if found is None:
        raise AnchorError(f"attribution {number}: {role} {quote[:50]!r} is not in the text"
                          + (" near its content" if window else ""))
    return found


def _check_labels(item: dict, number: int) -> None:
    if item.get("stance") not in STANCES:
        raise AnchorError(f"attribution {number}: stance {item.get('stance')!r} is not one of the spec's classes")
    if item.get("speaker_type") not in SPEAKER_TYPES:
        raise AnchorError(f"attribution {number}: speaker_type {item.get('speaker_type')!r} is not a spec type")


def as_scorable(gold: dict, text: str) -> dict:
    """The gold record with its quoted texts read back from the source text (the form gold.py scores)."""
    def quote(span):
        return text[span[0]:span[1]] if span else ""
    return {"attributions": [{**a, "cue": quote(a["cue"]), "content": quote(a["content"])}
                             for a in gold["attributions"]], "claims": gold["claims"]}


def load_gold(split: str, gold_dir: Path | None = None) -> list[dict]:
    if split not in SPLITS:
        raise click.BadParameter(f"news splits are {', '.join(SPLITS)}, not {split!r}")
    paths = sorted((Path(gold_dir or GOLD_DIR) / split).glob("*.json"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def source_text(source: str, data_dir: Path) -> str:
    """The text a source names: a text file's path under the data folder, or `FILE.json#KEY` for the article
    body of one record of a JSON dataset (NAEB's articles.json, Zyte's ground-truth.json)."""
    path, _, key = source.partition("#")
    path = Path(data_dir) / path
    if not path.exists():
        raise FileNotFoundError(f"the text {path} is absent (../shared/data holds it)")
    if not key:
        return path.read_text(encoding="utf-8")
    record = json.loads(path.read_text(encoding="utf-8"))[key]
    return record.get("articleBody") or record["text"]


def read_source(gold: dict, data_dir: Path) -> str:
    text = source_text(gold["source"], data_dir)
    if sha256(text) != gold["sha256"]:
        raise ValueError(f"{gold['id']}: {gold['source']} is not the text the gold was anchored to (SHA-256 differs)")
    return text


def ratios(score: Score) -> dict:
    out = score.ratios()
    out["canonical"] = round(score.canonical_ok / score.matched, 3) if score.matched else None
    return out


def bootstrap(scores: list[Score], samples: int = 1000, seed: int = 13) -> dict:
    """95% intervals of each measure over articles resampled with replacement."""
    rng = random.Random(seed)
    values = {m: [] for m in MEASURES}
    for _ in range(samples):
        total = Score()
        for score in rng.choices(scores, k=len(scores)):
            total.add(score)
        for measure, value in ratios(total).items():
            if measure in values and value is not None:
                values[measure].append(value)
    out = {}
    for measure, series in values.items():
        series.sort()
        out[measure] = [series[int(0.025 * len(series))], series[int(0.975 * len(series)) - 1]] if series else None
    return out


def evaluate_news(split: str = "dev", data_dir: Path | None = None, gold_dir: Path | None = None,
                  options=None, nlp=None) -> dict:
    """Scores onrecord on the split's gold articles: totals, 95% intervals and each article's counts."""
    from ..analysis import analyze_text
    from .extraction import default_data_dir

    data_dir = Path(data_dir or default_data_dir())
    golds = load_gold(split, gold_dir)
    if not golds:
        raise FileNotFoundError(f"no gold files for the {split} split under {gold_dir or GOLD_DIR}")
    total, per_article, articles = Score(), [], []
    for gold in golds:
        text = read_source(gold, data_dir)
        analysis = analyze_text(text, options, nlp=nlp).to_dict()
        score = score_analysis(as_scorable(gold, text), analysis, gold["id"])
        total.add(score)
        per_article.append(score)
        articles.append({"id": gold["id"], "gold": score.gold, "matched": score.matched, "all_right": score.all_ok,
                         "claims": score.claims, "claims_right": score.claims_ok})
    return {"split": split, "articles": articles, "totals": ratios(total), "intervals": bootstrap(per_article),
            "counts": {"articles": len(golds), "attributions": total.gold, "claims": total.claims,
                       "chains": total.chains}, "problems": total.problems}


def render(result: dict) -> str:
    counts = result["counts"]
    lines = [f"news {result['split']}: {counts['articles']} articles, {counts['attributions']} attributions, "
             f"{counts['claims']} claims, {counts['chains']} chains",
             f"{'measure':14} {'score':>6}  95% interval"]
    for measure in MEASURES:
        value, interval = result["totals"].get(measure), result["intervals"].get(measure)
        shown = f"[{interval[0]:.3f}, {interval[1]:.3f}]" if interval else "-"
        lines.append(f"{measure:14} {value if value is not None else '-':>6}  {shown}")
    return "\n".join(lines)


@click.command("news")
@click.option("--split", type=click.Choice(SPLITS), default="dev", show_default=True,
              help="dev (tune on it) or test (held out: run once per version and log it).")
@DATA_DIR_OPTION
@click.option("--attribution", type=click.Choice(["rules", "combined", "learned"]), default=None,
              help="Attribution finder to score (default: the configured one).")
@click.option("--problems", is_flag=True, help="List every missed or wrong attribution and claim.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
def news_command(split, data_dir, attribution, problems, as_json):
    """Score attributions, speakers, stance, chains and claim status on real news articles annotated by
    careful reading (eval/news), scored as ../shared/seed/compare.py scores, with 95% bootstrap intervals."""
    from ..options import Options

    options = Options.load(attribution=attribution)
    try:
        result = evaluate_news(split, data_dir, options=options)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(result, indent=1) if as_json else render(result))
    if problems and not as_json:
        click.echo("\n".join(result["problems"]))
