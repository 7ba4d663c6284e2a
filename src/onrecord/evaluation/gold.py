"""Scoring an analysis against a hand-written gold file (the seed's expected.json and examples/pages).

Matching follows the seed's reference comparison: a gold attribution matches the prediction whose cue
is compatible (one contains the other, or they share a first word) and whose content covers at least
half of the gold content's words; speakers match on their significant words, a bare pronoun never.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

WORD = re.compile(r"\w+", re.UNICODE)
STOP = set("the a an of s its his her their and in at to for on with by from mr mrs ms dr".split())
GENERIC = set("""ministry source sources agency news daily newspaper paper government official officials spokesman
spokeswoman spokesperson report reports department office company firm group party anonymous unnamed senior
familiar close affairs people person""".split())
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}
UNNAMED_TYPES = {"anonymous", "unnamed_official", "unknown", "document"}


def words(text: str | None) -> list[str]:
    return [w.lower() for w in WORD.findall(text or "")]


def significant(text: str | None) -> set[str]:
    return set(words(text)) - STOP


def is_unnamed(name: str | None, speaker_type: str | None = None) -> bool:
    w = words(name)
    return speaker_type in UNNAMED_TYPES or bool(w and w[0] in ("a", "an", "some")) or bool(
        set(w) & {"source", "sources", "official", "officials", "spokesman", "spokeswoman"})


def same_speaker(gold: str | None, predicted: str | None, speaker_type: str | None = None) -> bool:
    """Named speakers share a significant word; unnamed ones share any word; null matches null."""
    if not gold:
        return not predicted
    if not predicted or predicted.strip().lower() in PRONOUNS:
        return False
    g, p = significant(gold), significant(predicted)
    if g - GENERIC and not is_unnamed(gold, speaker_type):
        return bool((g - GENERIC) & (p - GENERIC))
    return bool(g & p)


def canonical_speaker(gold: str | None, predicted: str | None, speaker_type: str | None = None) -> bool:
    """Strict: a named speaker's every significant word is in the prediction ("Yoshihide Suga", not "Suga")."""
    if not same_speaker(gold, predicted, speaker_type):
        return False
    return is_unnamed(gold, speaker_type) or (significant(gold) - GENERIC) <= significant(predicted)


def cue_compatible(gold: str | None, predicted: str | None) -> bool:
    g, p = (gold or "").lower(), (predicted or "").lower()
    if not g:
        return True  # a quote with no cue word of its own (a continued quote): its content decides
    if not p:
        return False
    gw, pw = words(g), words(p)
    return g in p or p in g or bool(gw and pw and (gw[0] in pw or pw[0] in gw))


def coverage(gold: str, predicted: str) -> float:
    """Share of the gold text's words that the prediction holds."""
    g, p = Counter(words(gold)), Counter(words(predicted))
    return sum((g & p).values()) / sum(g.values()) if g else 0.0


@dataclass
class Score:
    """Counts from comparing one or more analyses with gold files."""
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_ok: int = 0
    canonical_ok: int = 0
    stance_ok: int = 0
    direct_ok: int = 0
    all_ok: int = 0
    chains: int = 0
    chains_ok: int = 0
    claims: int = 0
    claims_ok: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in ("gold", "predicted", "matched", "speaker_ok", "canonical_ok", "stance_ok", "direct_ok", "all_ok",
                     "chains", "chains_ok", "claims", "claims_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems.extend(other.problems)

    def ratios(self) -> dict:
        def r(a, b):
            return round(a / b, 3) if b else None
        recall, precision = r(self.matched, self.gold), r(self.matched, self.predicted)
        f1 = round(2 * recall * precision / (recall + precision), 3) if recall and precision else 0.0
        return {"recall": recall, "precision": precision, "f1": f1, "speaker": r(self.speaker_ok, self.matched),
                "stance": r(self.stance_ok, self.matched), "direct": r(self.direct_ok, self.matched),
                "all_right_of_gold": r(self.all_ok, self.gold), "chains": r(self.chains_ok, self.chains),
                "claim_status": r(self.claims_ok, self.claims)}


def _gold_attributions(gold: dict) -> list[dict]:
    out = []
    for a in gold.get("attributions", []):
        cue = a["cue"]["text"] if isinstance(a["cue"], dict) else a["cue"]
        content = a["content"]["text"] if isinstance(a["content"], dict) else a["content"]
        out.append({"cue": cue, "content": content, "speaker": a.get("speaker"), "type": a.get("speaker_type"),
                    "chain": a.get("chain") or [a.get("speaker")], "direct": bool(a.get("direct")),
                    "stance": a.get("stance")})
    return out


def match_attributions(golds: list[dict], predictions: list[dict], threshold: float = 0.5) -> dict[int, int]:
    """Gold index -> prediction index, best content coverage first, each used once."""
    pairs = sorted(((coverage(g["content"], p["content"]["text"]), i, j)
                    for i, g in enumerate(golds) for j, p in enumerate(predictions)
                    if cue_compatible(g["cue"], p["cue"]["text"])), reverse=True)
    used_g, used_p, matches = set(), set(), {}
    for score, i, j in pairs:
        if score >= threshold and i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            matches[i] = j
    return matches


def score_analysis(gold: dict, analysis: dict, name: str = "") -> Score:
    """Compares one analysis (as JSON) with one gold file."""
    golds = _gold_attributions(gold)
    predictions = analysis.get("attributions", [])
    matches = match_attributions(golds, predictions)
    score = Score(gold=len(golds), predicted=len(predictions), matched=len(matches))
    for i, g in enumerate(golds):
        if i not in matches:
            score.problems.append(f"{name}: missed {g['speaker']!r} {g['cue']!r} {g['content'][:60]!r}")
            continue
        p = predictions[matches[i]]
        speaker = same_speaker(g["speaker"], p["speaker"]["name"], g["type"])
        stance = g["stance"] == p["stance"]
        direct = g["direct"] == bool(p["direct"])
        score.speaker_ok += speaker
        score.canonical_ok += canonical_speaker(g["speaker"], p["speaker"]["name"], g["type"])
        score.stance_ok += stance
        score.direct_ok += direct
        score.all_ok += speaker and stance and direct
        if len(g["chain"]) > 1:
            score.chains += 1
            chain = [link["name"] for link in p["chain"]]
            score.chains_ok += len(chain) >= 2 and same_speaker(g["chain"][-1], chain[-1])
        if not (speaker and stance and direct):
            score.problems.append(
                f"{name}: {g['cue']!r} {g['content'][:40]!r}: gold {g['speaker']!r}/{g['stance']}/{g['direct']}, "
                f"got {p['speaker']['name']!r}/{p['stance']}/{p['direct']}")
    ids = {i: predictions[j]["id"] for i, j in matches.items()}
    for claim in gold.get("claims", []):
        score.claims += 1
        wanted = {ids[i] for i in claim["attributions"] if i in ids}
        best = max(analysis.get("claims", []), key=lambda c: len(wanted & set(c["attributions"])), default=None)
        ok = best is not None and bool(wanted & set(best["attributions"])) and best["status"] == claim["status"]
        score.claims_ok += ok
        if not ok:
            score.problems.append(f"{name}: claim {claim.get('summary', '')[:50]!r}: gold {claim['status']}, "
                                  f"got {best['status'] if best else None}")
    return score


def load_gold(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def evaluate_examples(directory: str | Path, nlp=None) -> dict:
    """Scores every NAME.expected.json in a directory against onrecord's analysis of its page."""
    from ..analysis import analyze
    from ..errors import NoArticle

    total, pages = Score(), []
    for gold_path in sorted(Path(directory).glob("*.expected.json")):
        gold = load_gold(gold_path)
        name = gold_path.name.replace(".expected.json", "")
        if gold.get("no_article"):
            try:
                analyze(gold_path.parent / gold["page"], nlp=nlp)
                pages.append({"page": name, "no_article": True, "ok": False})
            except NoArticle:
                pages.append({"page": name, "no_article": True, "ok": True})
            continue
        score = score_analysis(gold, analyze(gold_path.parent / gold["page"], nlp=nlp).to_dict(), name)
        total.add(score)
        pages.append({"page": name, "gold": score.gold, "matched": score.matched, "all_right": score.all_ok,
                      "claims_right": score.claims_ok, "claims": score.claims})
    if not pages:
        raise FileNotFoundError(f"no *.expected.json files in {directory}")
    return {"directory": str(directory), "pages": pages, "totals": total.ratios(), "problems": total.problems}


def render_examples(result: dict) -> str:
    lines = [f"{'page':44} {'gold':>4} {'found':>5} {'right':>5} {'claims':>7}"]
    for page in result["pages"]:
        if page.get("no_article"):
            lines.append(f"{page['page'][:44]:44} {'no article: ' + ('ok' if page['ok'] else 'MISSED'):>24}")
        else:
            lines.append(f"{page['page'][:44]:44} {page['gold']:>4} {page['matched']:>5} {page['all_right']:>5} "
                         f"{page['claims_right']:>3}/{page['claims']:<3}")
    totals = result["totals"]
    lines.append(", ".join(f"{key} {value}" for key, value in totals.items()))
    return "\n".join(lines)
