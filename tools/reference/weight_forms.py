#!/usr/bin/python3
"""Writes a tiny DOVER-Mobile state_dict in each form users' checkpoints come in (developer tool).

Every file is made by torch.save straight from model.state_dict(), never from a cleaned copy, so the
Java reader is tested on what torch really writes (OrderedDict with _metadata -> pickle BUILD, shared
storages, legacy format, half precision):

  plain.pth           a plain dict of contiguous float32 copies: the reference every other form must equal
  state_dict.pth      torch.save(model.state_dict())                  (zip, OrderedDict + _metadata)
  wrapped.pth         {"state_dict": sd, "epoch": 12, "best": {...}, "lr": ..., "tags": [...]}
  legacy.pth          torch.save(sd, _use_new_zipfile_serialization=False)  (pre-1.6 format)
  legacy_wrapped.pth  the wrapped checkpoint in the legacy format
  shared_storage.pth  every tensor a view into ONE storage at its own offset; 2-D weights non-contiguous
  float16.pth         sd in float16; float16_ref.pth holds the same values widened to float32
  bfloat16.pth        sd in bfloat16; bfloat16_ref.pth likewise

Needs Debian's python3-torch (1.13). Usage: /usr/bin/python3 weight_forms.py --out DIR [--seed 1]
"""
import argparse
import sys
from collections import OrderedDict
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dover_mobile as dm  # noqa: E402

MICRO = dict(dims=(4, 8, 8, 8), depths=(2, 2, 6, 2), head_hidden=4)


def plain(sd):
    return {k: v.detach().clone().contiguous().float() for k, v in sd.items()}


def shared_storage(sd):
    """Same values, but all tensors view one flat storage; 2-D weights are transposed views of a transpose."""
    parts = []
    for v in sd.values():
        parts.append((v.t().contiguous() if v.dim() == 2 else v).flatten())
    flat = torch.cat(parts)
    out = OrderedDict()
    offset = 0
    for (k, v), p in zip(sd.items(), parts):
        view = flat[offset:offset + p.numel()]
        out[k] = view.view(v.shape[1], v.shape[0]).t() if v.dim() == 2 else view.view(v.shape)
        offset += p.numel()
    out._metadata = sd._metadata
    return out


def cast(sd, dtype):
    out = OrderedDict((k, v.to(dtype)) for k, v in sd.items())
    out._metadata = sd._metadata
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path, help="folder to write the .pth files to")
    ap.add_argument("--seed", type=int, default=1, help="seed of the random weights")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    model = dm.DoverMobile(**MICRO)
    for p in model.parameters():  # not the init values: every tensor distinct and non-trivial
        with torch.no_grad():
            p.copy_(torch.randn(p.shape) * 0.5)
    sd = model.state_dict()
    assert hasattr(sd, "_metadata"), "a real state_dict carries _metadata"
    a.out.mkdir(parents=True, exist_ok=True)
    wrapped = {"state_dict": sd, "epoch": 12, "best": {"srcc": 0.8713, "epoch": 9}, "lr": 1e-4,
               "tags": ["dover", "mobile", 3]}
    torch.save(plain(sd), a.out / "plain.pth")
    torch.save(sd, a.out / "state_dict.pth")
    torch.save(wrapped, a.out / "wrapped.pth")
    torch.save(sd, a.out / "legacy.pth", _use_new_zipfile_serialization=False)
    torch.save(wrapped, a.out / "legacy_wrapped.pth", _use_new_zipfile_serialization=False)
    torch.save(shared_storage(sd), a.out / "shared_storage.pth")
    for name, dtype in (("float16", torch.float16), ("bfloat16", torch.bfloat16)):
        low = cast(sd, dtype)
        torch.save(low, a.out / f"{name}.pth")
        torch.save(plain(low), a.out / f"{name}_ref.pth")
    for f in sorted(a.out.glob("*.pth")):
        back = torch.load(f, map_location="cpu")  # every form loads in torch itself
        back = back.get("state_dict", back)
        assert set(back) == set(sd), f
        print(f"{f.name}: {f.stat().st_size} bytes, {len(back)} tensors")


if __name__ == "__main__":
    main()
