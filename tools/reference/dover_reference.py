#!/usr/bin/python3
"""DOVER-Mobile PyTorch reference tool for VQA-Mini (Java port) tests and benchmarks.

Subcommands:
  fixture      build a seeded random-weight model, run it, save weights + inputs + expected outputs
  export-onnx  export each branch (backbone + head) of a weights.pth to ONNX (opset 17)
  bench        PyTorch CPU latency of one clip and of a full video (1 aesthetic + 3 technical clips)
  evil-pth     write a malicious-pickle .pth for loader security tests (never load it!)
  views        upstream DOVER view sampling (centre offsets) on frames decoded by the ffmpeg CLI
  view-fixtures
               encode the small fixture videos and write their expected views
  decode-diff  mean |difference| between the tag-honouring decode and one through an extra filter

Needs Debian's python3-torch (1.13) and python3-numpy; export-onnx also needs python3-onnx; views,
view-fixtures and decode-diff need the ffmpeg and ffprobe command-line tools.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as tf

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


# ---------------------------------------------------------------------------------------------------------------
# Views: upstream DOVER's view sampling, re-implemented from its description, with "centre" offsets (every offset
# that upstream draws uniformly from [0, r) is r // 2 here, 0 when r <= 0), on frames decoded by the ffmpeg CLI.

VIEW_SIZE, GRID, PATCH, CLIP_LEN = 224, 7, 32, 32
# UnifiedFrameSampler(fsize_t, fragments_t, frame_interval, num_clips) as upstream's test-time config builds it
TECHNICAL_SAMPLER = (32, 3, 2, 1)  # no t_frag: 3 segments of F // 3 frames, 32 frames each -> 3 clips of 32
AESTHETIC_SAMPLER = (1, 32, 2, 1)  # t_frag 32: one frame from each of 32 segments -> 1 clip of 32
TECHNICAL_CLIPS, AESTHETIC_CLIPS = 3, 1


def centre(r):
    """The "centre" stand-in for upstream's uniform draw from [0, r)."""
    return r // 2 if r > 0 else 0


def unified_frame_sampler(total, fsize_t, fragments_t, interval, num_clips):
    """Frame indices (int array, num_clips * fragments_t * fsize_t of them), all modulo total."""
    length = total // fragments_t
    inds = []
    for _ in range(num_clips):
        for i in range(fragments_t):
            start = i * length + centre(length - fsize_t * interval)
            inds += [start + k * interval for k in range(fsize_t)]
    return np.mod(np.array(inds, dtype=np.int64), total)


def ffprobe_video(path):
    """Frame count (decord's len(): packets of the first video stream), size and colour tags."""
    packets = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                              "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", str(path)],
                             check=True, capture_output=True, text=True).stdout.strip()
    meta = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-of", "json", "-show_entries",
         "stream=width,height,pix_fmt,color_space,color_range,color_primaries,color_transfer", str(path)],
        check=True, capture_output=True, text=True).stdout)["streams"][0]
    meta["frames"] = int(packets.split(",")[0])
    return meta


_FPS_MODE = None


def passthrough_args():
    """-fps_mode passthrough (ffmpeg >= 5.0), else the older spelling -vsync passthrough."""
    global _FPS_MODE
    if _FPS_MODE is None:
        opts = subprocess.run(["ffmpeg", "-hide_banner", "-h", "full"], capture_output=True, text=True).stdout
        _FPS_MODE = ["-fps_mode", "passthrough"] if "-fps_mode" in opts else ["-vsync", "passthrough"]
    return _FPS_MODE


def iter_rgb(path, width, height, vf=None):
    """Yields every frame of the first video stream as an H x W x 3 uint8 array, decoded to RGB24 by the ffmpeg
    CLI (its scale filter honours each frame's colour matrix and range tags)."""
    cmd = ["ffmpeg", "-v", "error", "-noautorotate", "-i", str(path), "-map", "0:v:0", *passthrough_args()]
    if vf:
        cmd += ["-vf", vf]
    cmd += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    size = width * height * 3
    with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:
        n = 0
        while True:
            buf = proc.stdout.read(size)
            if len(buf) < size:
                if buf:
                    print(f"warning: {len(buf)} trailing bytes after frame {n} ignored", file=sys.stderr)
                break
            yield np.frombuffer(buf, dtype=np.uint8).reshape(height, width, 3)
            n += 1
    if proc.returncode != 0:
        raise SystemExit(f"ffmpeg failed ({proc.returncode}): {shlex.join(cmd)}")


def decode_rgb(path, width, height, on_frame, vf=None):
    """Calls on_frame(index, frame) for every decoded frame; returns how many there were."""
    n = 0
    for n, frame in enumerate(iter_rgb(path, width, height, vf), 1):
        on_frame(n - 1, frame)
    return n


class TechnicalCutter:
    """get_spatial_fragments for one frame size, centre offsets (one layout serves every clip)."""

    def __init__(self, height, width):
        if height < PATCH or width < PATCH:
            raise SystemExit(f"{width}x{height}: frames under {PATCH} px are not supported (upstream fails too)")
        self.ratio = min(height / VIEW_SIZE, width / VIEW_SIZE)
        # upstream quirk kept: the grid uses the sizes before upscaling
        hl, wl = height // GRID, width // GRID
        oh = centre(hl - PATCH) if hl > PATCH else 0
        ow = centre(wl - PATCH) if wl > PATCH else 0
        self.ys = [min(hl * i, height - PATCH) + oh for i in range(GRID)]
        self.xs = [min(wl * j, width - PATCH) + ow for j in range(GRID)]
        self.upscaled_size = None

    def __call__(self, frame):
        """H x W x 3 uint8 -> 3 x 224 x 224 uint8."""
        # upstream layout C x T x H x W (T = 1 here; every (c, t) plane is interpolated on its own)
        v = torch.from_numpy(frame.copy()).permute(2, 0, 1).unsqueeze(1)
        if self.ratio < 1:
            up = tf.interpolate(v / 255.0, scale_factor=1 / self.ratio, mode="bilinear", align_corners=False)
            v = (up * 255.0).type_as(v)  # float -> uint8 truncates
            self.upscaled_size = list(v.shape[-2:])
        out = torch.empty(3, VIEW_SIZE, VIEW_SIZE, dtype=torch.uint8)
        for i, y in enumerate(self.ys):
            for j, x in enumerate(self.xs):
                out[:, i * PATCH:(i + 1) * PATCH, j * PATCH:(j + 1) * PATCH] = v[:, 0, y:y + PATCH, x:x + PATCH]
        return out.numpy()


def aesthetic_resize(frame):
    """torchvision Resize((224, 224)) on a uint8 tensor: float32 bilinear, align_corners=False, no antialias,
    rounded half-to-even back to uint8."""
    x = torch.from_numpy(frame.copy()).permute(2, 0, 1).unsqueeze(0).float()
    y = tf.interpolate(x, size=(VIEW_SIZE, VIEW_SIZE), mode="bilinear", align_corners=False)
    return y.round().clamp(0, 255).to(torch.uint8)[0].numpy()


def dover_views(path, sampled_t=None, vf=None):
    """Both views of a video, restricted to clip positions sampled_t (default all 32).
    Returns (info, technical clips x 3 x K x 224 x 224, aesthetic 1 x 3 x K x 224 x 224)."""
    info = ffprobe_video(path)
    total, h, w = info["frames"], info["height"], info["width"]
    if total < 1:
        raise SystemExit(f"{path}: no video packets")
    ts = list(range(CLIP_LEN)) if sampled_t is None else list(sampled_t)
    tech_inds = unified_frame_sampler(total, *TECHNICAL_SAMPLER).reshape(TECHNICAL_CLIPS, CLIP_LEN)
    aes_inds = unified_frame_sampler(total, *AESTHETIC_SAMPLER).reshape(AESTHETIC_CLIPS, CLIP_LEN)
    views = {"technical": np.zeros((TECHNICAL_CLIPS, 3, len(ts), VIEW_SIZE, VIEW_SIZE), np.uint8),
             "aesthetic": np.zeros((AESTHETIC_CLIPS, 3, len(ts), VIEW_SIZE, VIEW_SIZE), np.uint8)}
    wanted = {}  # frame index -> [(view, clip, k)]
    for name, inds in (("technical", tech_inds), ("aesthetic", aes_inds)):
        for c in range(inds.shape[0]):
            for k, t in enumerate(ts):
                wanted.setdefault(int(inds[c, t]), []).append((name, c, k))
    cut = TechnicalCutter(h, w)

    def fill(todo):
        def on_frame(i, frame):
            targets = todo.pop(i, None)
            if targets:
                tech = aes = None
                for name, c, k in targets:
                    if name == "technical":
                        tech = cut(frame) if tech is None else tech
                        views[name][c, :, k] = tech
                    else:
                        aes = aesthetic_resize(frame) if aes is None else aes
                        views[name][c, :, k] = aes
        return on_frame

    todo = dict(wanted)
    decoded = decode_rgb(path, w, h, fill(todo), vf)
    if decoded != total:
        print(f"warning: {path}: ffmpeg decoded {decoded} frames, ffprobe counts {total} packets; "
              f"indexing frames modulo {decoded}", file=sys.stderr)
    if todo:  # indices past what ffmpeg gave: wrap modulo the decoded count, second pass
        if decoded == 0:
            raise SystemExit(f"{path}: ffmpeg decoded no frames")
        wrapped = {}
        for i, targets in todo.items():
            wrapped.setdefault(i % decoded, []).extend(targets)
        decode_rgb(path, w, h, fill(wrapped), vf)
    info.update(decoded_frames=decoded, technical_frames=tech_inds.tolist(), aesthetic_frames=aes_inds.tolist(),
                technical_upscaled_size=cut.upscaled_size)
    return info, views["technical"], views["aesthetic"]


def cmd_views(a):
    info, tech, aes = dover_views(a.video, vf=a.vf)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "technical.npy", tech)
    np.save(out / "aesthetic.npy", aes)
    meta = {k: info[k] for k in ("technical_frames", "aesthetic_frames", "frames", "width", "height")}
    (out / "views.json").write_text(json.dumps(meta) + "\n")
    colour = f"{info.get('color_space', 'unknown')}/{info.get('color_range', 'unknown')}"
    print(f"{a.video}: {info['width']}x{info['height']}, {info['frames']} frames "
          f"({info['decoded_frames']} decoded), colour {colour}")
    print(f"wrote {out}/technical.npy {tech.shape}, aesthetic.npy {aes.shape}, views.json")


def cmd_decode_diff(a):
    info = ffprobe_video(a.video)
    w, h = info["width"], info["height"]
    n, total, per_channel, worst = 0, 0.0, np.zeros(3), 0
    for ref, alt in zip(iter_rgb(a.video, w, h), iter_rgb(a.video, w, h, a.vf)):
        d = np.abs(alt.astype(np.int16) - ref.astype(np.int16))
        n += 1
        total += float(d.mean())
        per_channel += d.reshape(-1, 3).mean(axis=0)
        worst = max(worst, int(d.max()))
    n = max(n, 1)
    print(f"{a.video} ({info.get('color_space', 'unknown')}/{info.get('color_range', 'unknown')}), {n} frames: "
          f"mean |default - [{a.vf}]| = {total / n:.3f} levels "
          f"(R,G,B {', '.join(f'{v:.3f}' for v in per_channel / n)}), max {worst}")


# Fixture videos: deterministic lavfi sources (not `gradients`: it is random even with a seed) encoded by the ffmpeg
# CLI (libx264, one thread: byte-identical for one ffmpeg/x264 build).
# The RGB source is converted by a scale filter with the matrix/range the tags state, so the tags are true.
_X264 = ["-c:v", "libx264", "-preset", "medium", "-threads", "1", "-g", "30",
         "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact"]
_BT709 = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv"]
_BT470BG_PC = ["-colorspace", "bt470bg", "-color_primaries", "bt470bg", "-color_trc", "smpte170m",
               "-color_range", "pc"]
FIXTURE_VIDEOS = {
    # 720p BT.709 limited: colourful moving test pattern + light temporal noise (a wrong matrix shifts colours)
    "bt709_720p": dict(src="testsrc2=size=1280x720:rate=30", frames=120, crf=34, tags=_BT709,
                       vf="format=rgb24,noise=alls=4:allf=t,scale=out_color_matrix=bt709:out_range=tv,"
                          "format=yuv420p"),
    # 480p untagged (BT.601 limited): scrolling colour pattern with rotating hue, 300 frames
    "untagged_480p": dict(src="testsrc=size=854x480:rate=30", frames=300, crf=28, tags=[],
                          vf="hue=H=2*PI*t/10,format=yuv420p"),
    # smaller than 224 px: the technical view upscales
    "small_160x120": dict(src="testsrc=size=160x120:rate=30", frames=90, crf=23, tags=[], vf="format=yuv420p"),
    # 40 frames < 64: technical offsets are 0 and indices wrap around
    "short_40f": dict(src="testsrc2=size=320x240:rate=25", frames=40, crf=23, tags=[],
                      vf="hue=H=2*PI*t/2,format=yuv420p"),
    # portrait, full range (yuvj420p), BT.601 matrix tagged bt470bg; black and white bars reach the range ends
    "fullrange_portrait": dict(src="testsrc2=size=360x640:rate=30", frames=100, crf=28, tags=_BT470BG_PC,
                               vf="format=rgb24,hue=H=2*PI*t/3.3,format=rgb24,"
                                  "drawbox=x=0:y=0:w=48:h=640:color=black:t=fill,"
                                  "drawbox=x=312:y=0:w=48:h=640:color=white:t=fill,noise=alls=6:allf=t,"
                                  "scale=out_color_matrix=bt470bg:out_range=pc,format=yuvj420p"),
}


def encode_fixture_video(spec, path):
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", spec["src"], "-frames:v", str(spec["frames"]),
           "-vf", spec["vf"], *_X264, "-crf", str(spec["crf"]), *spec["tags"], str(path)]
    subprocess.run(cmd, check=True)
    return cmd


def write_npy_gz(path, array):
    buf = io.BytesIO()
    np.save(buf, array)
    with open(path, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
        g.write(buf.getvalue())


def cmd_view_fixtures(a):
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    sampled_t = [int(t) for t in a.sampled_t.split(",")]
    names = a.only or list(FIXTURE_VIDEOS)
    for name in names:
        video = out / f"{name}.mp4"
        if a.keep_videos and video.exists():
            print(f"{video}: kept")
        else:
            print(f"{video}: {shlex.join(encode_fixture_video(FIXTURE_VIDEOS[name], video))}")
        info, tech, aes = dover_views(video, sampled_t=sampled_t)
        meta = dict(frames=info["frames"], decoded_frames=info["decoded_frames"], width=info["width"],
                    height=info["height"], technical_frames=info["technical_frames"],
                    aesthetic_frames=info["aesthetic_frames"], sampled_t=sampled_t,
                    color_space=info.get("color_space", "unknown"), color_range=info.get("color_range", "unknown"),
                    color_primaries=info.get("color_primaries", "unknown"),
                    color_transfer=info.get("color_transfer", "unknown"),
                    pix_fmt=info.get("pix_fmt"), offsets="centre",
                    technical_upscaled_size=info["technical_upscaled_size"],
                    video_sha256=hashlib.sha256(video.read_bytes()).hexdigest())
        (out / f"{name}.json").write_text(json.dumps(meta, indent=1) + "\n")
        write_npy_gz(out / f"{name}.technical.npy.gz", tech)
        write_npy_gz(out / f"{name}.aesthetic.npy.gz", aes)
        sizes = {p.name: p.stat().st_size for p in sorted(out.glob(f"{name}.*"))}
        print(f"  {info['width']}x{info['height']} F={info['frames']} decoded={info['decoded_frames']} "
              f"{info.get('pix_fmt')} {meta['color_space']}/{meta['color_range']}: {sizes}")
    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"{out}: {total} bytes in all")



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

    w = sub.add_parser("views", help="DOVER views (centre offsets) of a video decoded by the ffmpeg CLI",
                       description="Writes OUT/technical.npy (3x3x32x224x224 uint8), OUT/aesthetic.npy "
                                   "(1x3x32x224x224 uint8, RGB) and OUT/views.json (technical_frames, "
                                   "aesthetic_frames, frames, width, height).")
    w.add_argument("video")
    w.add_argument("--out", required=True, help="output directory")
    w.add_argument("--vf", help="extra ffmpeg filter before the RGB24 conversion (experiments only)")
    w.set_defaults(func=cmd_views)

    x = sub.add_parser("view-fixtures", help="encode the fixture videos and write their expected views",
                       description="For each fixture video NAME: NAME.mp4, NAME.json, NAME.technical.npy.gz "
                                   "(3x3xKx224x224 uint8) and NAME.aesthetic.npy.gz (1x3xKx224x224), "
                                   "K = len(--sampled-t).")
    x.add_argument("--out", required=True, help="output directory")
    x.add_argument("--sampled-t", default="0,13,31", help="clip positions stored (default 0,13,31)")
    x.add_argument("--keep-videos", action="store_true",
                   help="reuse existing NAME.mp4 files (recompute expectations only)")
    x.add_argument("--only", nargs="+", choices=FIXTURE_VIDEOS, help="just these videos")
    x.set_defaults(func=cmd_view_fixtures)

    d = sub.add_parser("decode-diff", help="mean |default decode - decode through --vf| over all frames")
    d.add_argument("video")
    d.add_argument("--vf", default="scale=in_color_matrix=bt601",
                   help="filter for the second decode (default scale=in_color_matrix=bt601)")
    d.set_defaults(func=cmd_decode_diff)

    a = p.parse_args()
    torch.set_num_threads(a.threads)
    a.func(a)


if __name__ == "__main__":
    main()
