"""Annotators' tool for the real-news gold set (docs/annotation.md).

    python scripts/news_gold.py draft polnear/data/test/text/NAME.txt --split test --annotator A -o out/news-drafts/NAME.A.json
        a draft holding the text's paragraphs and PolNeAR's spans (cue, source, content) to complete by reading
    python scripts/news_gold.py anchor out/news-drafts/NAME.A.json [-o eval/news/test/NAME.json]
        checks a finished draft and writes its gold file: offsets and labels only, no article text
    python scripts/news_gold.py agree eval/news/agreement/NAME.A.json eval/news/agreement/NAME.B.json ...
        agreement of two annotators on the same articles (attribution F1, speaker, stance kappa, claim status)

Paths of texts are relative to the data folder ($ONRECORD_DATA or ../shared/data). Drafts quote the text, so they
stay out of the repo (out/ is git-ignored).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from onrecord.evaluation.extraction import default_data_dir
from onrecord.evaluation.gold import Score, score_analysis
from onrecord.evaluation.news import anchor, as_scorable, ratios, read_source, sha256, source_text
from onrecord.evaluation.polnear import read_ann


def draft(source: str, split: str, annotator: str, data_dir: Path) -> dict:
    """A draft from PolNeAR's spans: each attribution's quoted cue, source and content with their offsets,
    and the labels left for the annotator to fill in."""
    text = source_text(source, data_dir)
    path = data_dir / source.partition("#")[0]
    anns = [] if "#" in source else sorted((path.parent.parent / "attributions").glob(f"{path.stem}_*.ann"))
    items = []
    for spans in (read_ann(anns[0].read_text(encoding="utf-8"), text) if anns else []):
        def extent(role):
            pieces = spans.role(role)
            return [min(s for s, _ in pieces), max(e for _, e in pieces)] if pieces else None
        cue, content, mention = extent("cue"), extent("content"), extent("source")
        items.append({"cue": text[cue[0]:cue[1]] if cue else None, "content": text[content[0]:content[1]] if content
                      else None, "mention": text[mention[0]:mention[1]] if mention else None,
                      "at": {"cue": cue, "content": content, "source": mention},
                      "speaker": None, "speaker_type": None, "chain": None, "direct": None, "stance": None,
                      "addresses": None})
    items.sort(key=lambda a: (a["at"]["content"] or a["at"]["cue"] or [0])[0])
    name = f"{path.parent.name}-{source.partition('#')[2]}" if "#" in source else path.stem
    return {"id": name, "source": source, "split": split, "annotator": annotator,
            "outlet": None if "#" in source else path.stem.split("_")[0], "sha256": sha256(text),
            "paragraphs": [p for p in text.split("\n") if p.strip()], "attributions": items, "claims": []}


def agreement(pairs: list[tuple[dict, dict]], data_dir: Path) -> dict:
    """B scored against A as if A were gold (F1 is symmetric), with Cohen's kappa on matched stances."""
    total, stance_pairs = Score(), []
    for a, b in pairs:
        text = read_source(a, data_dir)
        gold, other = as_scorable(a, text), as_scorable(b, text)
        predicted = {"attributions": [{"id": f"b{i}", "cue": {"text": x["cue"]}, "content": {"text": x["content"]},
                                       "speaker": {"name": x["speaker"]}, "chain": [{"name": n} for n in x["chain"]],
                                       "direct": x["direct"], "stance": x["stance"]}
                                      for i, x in enumerate(other["attributions"])],
                     "claims": [{"attributions": [f"b{i}" for i in c["attributions"]], "status": c["status"]}
                                for c in other["claims"]]}
        score = score_analysis(gold, predicted)
        total.add(score)
        from onrecord.evaluation.gold import match_attributions, _gold_attributions
        matches = match_attributions(_gold_attributions(gold), predicted["attributions"])
        stance_pairs += [(gold["attributions"][i]["stance"], predicted["attributions"][j]["stance"])
                         for i, j in matches.items()]
    out = ratios(total)
    out["stance_kappa"] = round(_kappa(stance_pairs), 3) if stance_pairs else None
    out["articles"] = len(pairs)
    return out


def _kappa(pairs: list[tuple[str, str]]) -> float:
    observed = sum(a == b for a, b in pairs) / len(pairs)
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[k] * right[k] for k in left) / len(pairs) ** 2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=None)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("draft")
    make.add_argument("source")
    make.add_argument("--split", choices=("dev", "test"), required=True)
    make.add_argument("--annotator", default="A")
    make.add_argument("-o", "--output", type=Path, required=True)
    fix = commands.add_parser("anchor")
    fix.add_argument("draft", type=Path)
    fix.add_argument("-o", "--output", type=Path)
    agree = commands.add_parser("agree")
    agree.add_argument("files", type=Path, nargs="+", help="pairs: NAME.A.json NAME.B.json ...")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir or default_data_dir())
    if args.command == "draft":
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(draft(args.source, args.split, args.annotator, data_dir), indent=1,
                                          ensure_ascii=False) + "\n", encoding="utf-8")
    elif args.command == "anchor":
        document = json.loads(args.draft.read_text(encoding="utf-8"))
        text = source_text(document["source"], data_dir)
        gold = anchor(document, text)
        output = args.output or Path("eval/news") / gold["split"] / f"{gold['id']}.json"
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{output}: {len(gold['attributions'])} attributions, {len(gold['claims'])} claims, "
              f"{sum(len(a['chain']) > 1 for a in gold['attributions'])} chains")
    else:
        files = [json.loads(p.read_text(encoding="utf-8")) for p in args.files]
        print(json.dumps(agreement(list(zip(files[::2], files[1::2])), data_dir), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
