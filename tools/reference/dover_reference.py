#!/usr/bin/python3
"""DOVER-Mobile PyTorch reference tool for VQA-Mini (Java port) tests and benchmarks.

Subcommands:
  fixture      build a seeded random-weight model, run it, save weights + inputs + expected outputs
  export-onnx  export each branch (backbone + head) of a weights.pth to ONNX (opset 17)
  bench        PyTorch CPU latency of one clip and of a full video (1 aesthetic + 3 technical clips)
  evil-pth     write a malicious-pickle .pth for loader security tests (never load it!)

Needs Debian's python3-torch (1.13) and python3-numpy; export-onnx also needs python3-onnx.
"""
import argparse
import json
import os
import statistics
import sys
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dover_mobile as dm  # noqa: E402

CONFIGS = {
    "tiny": dict(model=dm.TINY, frames=4, height=64, width=96, technical_clips=2),
    "full": dict(model=dm.FULL, frames=32, height=224, width=224, technical_clips=3),
}


def randomize_(model, gen):
    """Fill every parameter with seeded random values that keep activations O(1)."""
    def randn(p, scale, offset=0.0):
        with torch.no_grad():
            p.copy_(offset + scale * torch.randn(p.shape, generator=gen))

    for _, mod in model.named_modules():
        if isinstance(mod, (nn.Conv3d, nn.Linear)):
            randn(mod.weight, mod.weight[0].numel() ** -0.5)  # N(0, 1/fan_in)
            randn(mod.bias, 0.05)
        elif isinstance(mod, (nn.LayerNorm, dm.LayerNormChannelsFirst)):
            randn(mod.weight, 0.2, 1.0)
            randn(mod.bias, 0.1)
        elif isinstance(mod, dm.GRN):  # non-zero so a wrong GRN cannot pass
            randn(mod.gamma, 0.5)
            randn(mod.beta, 0.5)


def clean_state_dict(model):
    return OrderedDict((k, v.detach().clone().contiguous().float()) for k, v in model.state_dict().items())


def load_model(weights):
    sd = torch.load(weights, map_location="cpu")
    d = [sd[f"technical_backbone.downsample_layers.{i}.{0 if i == 0 else 1}.weight"].shape[0]
         for i in range(4)]
    depths = [len({k.split(".")[3] for k in sd if k.startswith(f"technical_backbone.stages.{s}.")})
              for s in range(4)]
    model = dm.DoverMobile(d, depths, sd["technical_head.fc_hid.weight"].shape[0])
    model.load_state_dict(sd)
    return model.eval()


def cmd_fixture(a):
    cfg = CONFIGS[a.config]
    t, h, w = a.frames or cfg["frames"], a.height or cfg["height"], a.width or cfg["width"]
    n_tech = a.technical_clips or cfg["technical_clips"]
    gen = torch.Generator().manual_seed(a.seed)
    model = dm.DoverMobile(**cfg["model"]).eval()
    randomize_(model, gen)
    without, with_cls = model.param_counts()
    if a.config == "full":
        assert without == dm.FULL_PARAMS_WITHOUT_CLASSIFIER, without
        assert with_cls == without + 2 * (1000 * model.dims[-1] + 1000), with_cls
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(clean_state_dict(model), out / "weights.pth")

    inputs = {"aesthetic": torch.randn(1, 3, t, h, w, generator=gen),
              "technical": torch.randn(n_tech, 3, t, h, w, generator=gen)}
    scores = {}
    with torch.no_grad():
        for b, x in inputs.items():
            head_map, score = model.branch(b)(x)
            np.save(out / f"{b}_input.npy", x.numpy())
            np.save(out / f"{b}_head_map.npy", head_map.numpy())
            scores[b] = score.tolist()
            print(f"{b}: input {tuple(x.shape)} -> head_map {tuple(head_map.shape)}, scores {scores[b]}")
        pooled = model.aesthetic_backbone(inputs["aesthetic"]).mean(dim=(2, 3, 4))
        np.save(out / "aesthetic_pooled_features.npy", pooled.numpy())
    (out / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    config = dict(dims=model.dims, depths=model.depths, head_hidden=model.head_hidden, seed=a.seed,
                  input_shapes={b: list(x.shape) for b, x in inputs.items()},
                  params_without_classifier=without, params_with_classifier=with_cls)
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"params: {without} without classifiers, {with_cls} with; wrote {out}")


def cmd_export_onnx(a):
    model = load_model(a.weights)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for b in dm.BRANCHES:
        x = torch.randn(1, 3, a.frames, a.height, a.width)
        path = out / f"{b}.onnx"
        torch.onnx.export(model.branch(b), (x,), str(path), opset_version=17,
                          input_names=["input"], output_names=["head_map", "score"],
                          dynamic_axes={"input": {0: "batch"}, "head_map": {0: "batch"},
                                        "score": {0: "batch"}})
        print(f"wrote {path} ({path.stat().st_size} bytes)")


def cmd_bench(a):
    torch.set_num_threads(a.threads)
    model = load_model(a.weights)
    clip = torch.randn(1, 3, 32, 224, 224)
    tech = torch.randn(3, 3, 32, 224, 224)

    def per_clip():
        model.branch("technical")(clip)

    def per_video():
        model.branch("aesthetic")(clip)
        model.branch("technical")(tech)

    rows = {}
    with torch.no_grad():
        for name, fn in [("branch_1_clip", per_clip), ("video_1a_3t", per_video)]:
            fn()  # warmup
            times = []
            for _ in range(a.repeats):
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
            rows[name] = dict(median_s=statistics.median(times), min_s=min(times), runs_s=times)
    result = dict(torch=torch.__version__, threads=a.threads, repeats=a.repeats, results=rows)
    if a.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"torch {torch.__version__}, {a.threads} threads, {a.repeats} repeats (after 1 warmup)")
        print(f"{'case':<16}{'median s':>10}{'min s':>10}")
        for name, r in rows.items():
            print(f"{name:<16}{r['median_s']:>10.3f}{r['min_s']:>10.3f}")


class _Evil:
    def __reduce__(self):
        return os.system, ("touch /tmp/vqa_pwned",)


def cmd_evil_pth(a):
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save({"weight": torch.arange(4, dtype=torch.float32), "payload": _Evil()}, a.out)
    print(f"wrote {a.out} (malicious pickle: DO NOT torch.load it)")
    if a.truncate_from:
        data = Path(a.truncate_from).read_bytes()
        path = Path(a.out).with_name("truncated.pth")
        path.write_bytes(data[: int(len(data) * 0.6)])
        print(f"wrote {path} (first 60% of {a.truncate_from})")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    sub = p.add_subparsers(dest="cmd", required=True)

    f = sub.add_parser("fixture", help="seeded random model + inputs + expected outputs")
    f.add_argument("--config", choices=CONFIGS, required=True,
                   help="tiny: dims 8,16,24,32, 1x3x4x64x96 clips; full: real sizes, 32x224x224 clips")
    f.add_argument("--seed", type=int, default=0)
    f.add_argument("--out", required=True, help="output directory")
    f.add_argument("--technical-clips", type=int, help="technical clip count (tiny 2, full 3)")
    f.add_argument("--frames", type=int)
    f.add_argument("--height", type=int)
    f.add_argument("--width", type=int)
    f.set_defaults(func=cmd_fixture)

    e = sub.add_parser("export-onnx", help="write OUT/technical.onnx and OUT/aesthetic.onnx")
    e.add_argument("--weights", required=True, help="weights.pth written by `fixture`")
    e.add_argument("--out", required=True, help="output directory")
    e.add_argument("--frames", type=int, default=32, help="trace input T (batch stays dynamic)")
    e.add_argument("--height", type=int, default=224)
    e.add_argument("--width", type=int, default=224)
    e.set_defaults(func=cmd_export_onnx)

    b = sub.add_parser("bench", help="PyTorch CPU latency, 1x3x32x224x224 clips")
    b.add_argument("--weights", required=True)
    b.add_argument("--threads", type=int, default=argparse.SUPPRESS, help="same as the global --threads")
    b.add_argument("--repeats", type=int, default=3)
    b.add_argument("--json", action="store_true", help="print JSON instead of a table")
    b.set_defaults(func=cmd_bench)

    v = sub.add_parser("evil-pth", help="malicious-pickle .pth (runs `touch /tmp/vqa_pwned` if unpickled)")
    v.add_argument("--out", required=True)
    v.add_argument("--truncate-from", help="also write truncated.pth next to OUT: first 60%% of this file")
    v.set_defaults(func=cmd_evil_pth)

    a = p.parse_args()
    torch.set_num_threads(a.threads)
    a.func(a)


if __name__ == "__main__":
    main()
