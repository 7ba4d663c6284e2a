"""Sweep the attribution tagger's training settings on a GPU machine, in one short call.

A GPU session has minutes, not hours, and a device machine sees only the repository (no ../shared, no
PyPI): so everything a sweep needs is bundled here first, the sweep runs every setting in CONFIGS side
by side there (each run selects its best epoch on PolNeAR dev), and only the best run's weights come
back, as fp16 parts small enough for the device tool's file limits::

    python scripts/sweep_attribution.py bundle --data-dir ../shared/data --out gpu   # here (gpu/ git-ignored)
    python3 scripts/sweep_attribution.py run --bundle gpu --minutes 6.5             # there, with $OUT set
    python scripts/sweep_attribution.py unpack --parts DIR --work runs/attr         # here: best.pt
    python scripts/train_attribution.py --work runs/attr --layers 6 --export-only --export DIR

The bundle holds the base encoder in fp16 (45 MB), the encoded train windows and the dev split with its
CofeNet units: about 54 MB. With the shipped model.onnx (44 MB) the working tree would pass the device
tool's 64 MiB, so move that file out of the tree for the call and back after it.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIGS = {  # name: extra arguments of train_attribution.py (all: 6 layers, windows of 256 with 48 context)
    "a": ["--lr", "1e-4", "--epochs", "5"],
    "b": ["--lr", "2e-4", "--epochs", "5"],
    "c": ["--lr", "3e-4", "--epochs", "5"],
    "d": ["--lr", "2e-4", "--epochs", "8"],
    "e": ["--lr", "5e-5", "--epochs", "8"],
    "f": ["--lr", "3e-4", "--epochs", "6", "--batch", "32"],
    "g": ["--lr", "2e-4", "--epochs", "5", "--seed", "7"],
    "h": ["--lr", "2e-4", "--epochs", "5", "--span-weight", "2"],
}
PART_BYTES = 15 * 2**20  # the device tool returns files of at most 16 MiB


def bundle(args) -> None:
    """Base encoder (fp16), encoded train windows and PolNeAR dev with its units, in one folder."""
    import torch
    from safetensors.torch import load_file, save_file

    sys.path.insert(0, str(HERE))
    import train_attribution as ta

    out = Path(args.out)
    (out / "base").mkdir(parents=True, exist_ok=True)
    base = ta.base_model_dir()
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(base / name, out / "base" / name)
    weights = load_file(str(base / "model.safetensors"))
    save_file({k: v.half().contiguous() for k, v in weights.items() if v.is_floating_point()},
              str(out / "base" / "model.safetensors"))
    torch.save(ta.encode_split("train", args.data_dir, 256, 48), out / "train-256-48.pt")
    polnear = Path(args.data_dir) / "polnear"
    shutil.copytree(polnear / "data" / "dev", out / "data" / "polnear" / "data" / "dev", dirs_exist_ok=True)
    (out / "data" / "polnear" / "cofenet-units").mkdir(parents=True, exist_ok=True)
    for name in ("valid.txt", "tag.txt"):
        shutil.copy(polnear / "cofenet-units" / name, out / "data" / "polnear" / "cofenet-units" / name)
    print(f"bundle in {out}")


def run(args) -> None:
    """Every config side by side on the GPU; the best by dev mean F1 goes to $OUT in parts."""
    bundle_dir, work, out = Path(args.bundle).resolve(), Path(args.work), Path(os.environ["OUT"])
    env = dict(os.environ, ONRECORD_BASE_MODEL=str(bundle_dir / "base"), PYTHONUNBUFFERED="1",
               PYTHONPATH=str(HERE.parent / "src"), OMP_NUM_THREADS="2")
    processes = {}
    for name, extra in CONFIGS.items():
        (work / name).mkdir(parents=True, exist_ok=True)
        shutil.copy(bundle_dir / "train-256-48.pt", work / name)
        command = [sys.executable, str(HERE / "train_attribution.py"), "--device", args.device,
                   "--data-dir", str(bundle_dir / "data"), "--work", str(work / name), "--layers", "6",
                   "--threads", "2", "--select-from", "2", "--checkpoint-every", "100000",
                   "--max-minutes", str(args.minutes), *extra, *args.extra.split()]
        processes[name] = subprocess.Popen(command, env=env, stdout=(work / f"{name}.out").open("w"),
                                           stderr=subprocess.STDOUT)
    while any(p.poll() is None for p in processes.values()):
        time.sleep(15)
        write_summary(work, out)
    best = write_summary(work, out)
    if best:
        write_parts(work / best / "best.pt", out)


def write_summary(work: Path, out: Path) -> str | None:
    """Each run's dev scores so far, and which run is best, to $OUT/summary.json."""
    summary = {}
    for name in CONFIGS:
        log = work / name / "log.jsonl"
        rows = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
        devs = [r for r in rows if r["event"] == "dev"]
        summary[name] = {"args": CONFIGS[name], "dev": devs, "last": rows[-1] if rows else None,
                         "best": max((r["mean_f1"] for r in devs), default=None)}
    done = [n for n in summary if summary[n]["best"] is not None and (work / n / "best.pt").exists()]
    best = max(done, key=lambda n: summary[n]["best"], default=None)
    (out / "summary.json").write_text(json.dumps({"best": best, "runs": summary}, indent=1))
    return best


def write_parts(weights: Path, out: Path) -> None:
    """The state dict in fp16, tensors over half a part split by rows, in files under PART_BYTES."""
    import torch

    pieces = []
    for name, tensor in sorted(torch.load(weights, map_location="cpu").items()):
        tensor = tensor.half() if tensor.is_floating_point() else tensor
        if tensor.numel() * tensor.element_size() > PART_BYTES // 2:
            pieces += [(f"{name}#{k}", chunk.clone()) for k, chunk in enumerate(tensor.chunk(2))]
        else:
            pieces.append((name, tensor))
    parts, size = [{}], 0
    for name, tensor in pieces:
        bytes_ = tensor.numel() * tensor.element_size()
        if parts[-1] and size + bytes_ > PART_BYTES:
            parts.append({})
            size = 0
        parts[-1][name] = tensor
        size += bytes_
    for i, part in enumerate(parts):
        torch.save(part, out / f"best-{i}.pt")


def unpack(args) -> None:
    """The parts back into one fp32 best.pt that train_attribution.py --export-only reads."""
    import torch

    pieces = {}
    for path in sorted(Path(args.parts).glob("best-*.pt")):
        pieces.update(torch.load(path))
    state: dict = {}
    for name in sorted(pieces):
        state.setdefault(name.split("#")[0], []).append(pieces[name])
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    torch.save({k: torch.cat(v).float() if len(v) > 1 else v[0].float() for k, v in state.items()}, work / "best.pt")
    print(f"wrote {work / 'best.pt'}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("bundle", help="here: everything the sweep needs, in one folder")
    b.add_argument("--data-dir", default=os.environ.get("ONRECORD_DATA", "../shared/data"))
    b.add_argument("--out", default="gpu")
    r = commands.add_parser("run", help="on the GPU machine: every config, best weights to $OUT")
    r.add_argument("--bundle", default="gpu")
    r.add_argument("--work", default="/tmp/sweep")
    r.add_argument("--device", default="cuda")
    r.add_argument("--minutes", type=float, default=6.5, help="each run stops (after a dev score) by then")
    r.add_argument("--extra", default="", help="more train_attribution.py arguments for every run "
                                                "(a smoke test's --train-fraction 0.005 --dev-limit 2)")
    u = commands.add_parser("unpack", help="here: the returned parts into best.pt")
    u.add_argument("--parts", required=True)
    u.add_argument("--work", required=True)
    args = parser.parse_args(argv)
    {"bundle": bundle, "run": run, "unpack": unpack}[args.command](args)


if __name__ == "__main__":
    main()
