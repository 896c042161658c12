#!/usr/bin/env python3
"""Network-level differential fixture for convolutional connectivity: spike inputs on an
(X, Y, C) = (8, 8, 2) grid drive a loihi_lif population A through Lava's fixed-point Conv, A
inhibits itself through a second Conv and drives population B through a third, strided one; run
in Lava's fixed-point models (PyConvModelFixed + PyLifModelBitAcc,
Loihi1SimCfg(select_tag='fixed_pt')), plus the equivalent NeuroEmu network file
(neuroemu-network/1) with `conv2d` projections.

Conventions matched (each checked by experiment: one input spike through a 3x2 kernel):
- Lava's Conv shapes are (X, Y, C) = (W, H, C), flattened C-order: index (x·Y + y)·C + c.
  NeuroEmu's conv2d input is [C, H, W], numbered (c·H + y)·W + x. Every per-neuron quantity
  (drive spike times, bias_mant/bias_exp, Lava's recorded spikes/u/v) is permuted with
  lava_to_ne / ne_to_lava below, so the fixture is in NeuroEmu's numbering.
- Lava's kernel is weight[c_out, kx, ky, c_in] and Lava computes a true convolution
  (scipy.signal.convolve2d, kernel flipped): out[xo, yo, o] = Σ in_pad[xo·sx + a, yo·sy + b, c]
  · weight[o, Kx-1-a, Ky-1-b, c]. NeuroEmu's conv2d is a correlation with kernel[o][c][ky][kx],
  so kernel[o][c][ky][kx] = weight[o, Kx-1-kx, Ky-1-ky, c].
- Lava's stride/padding tuples are (x, y); NeuroEmu's are [y, x].
- Conv sends at step t+1 what it computed from the spikes of step t (like Dense): delay 1.
- PyConvModelFixed uses the raw integer weights: weight_exp and num_weight_bits are stored as
  Vars but never applied (no clipping, no truncation, no shift), and the sum is only wrapped to
  signed 24 bits. The LIF then shifts a_in by 6 as for Dense. NeuroEmu is therefore given
  weight_exp 0 and num_weight_bits 8 with weights its sign mode stores exactly: excitatory
  1…255, inhibitory −255…−1, and mixed weights even (8-bit mixed mode drops one bit).
- Lava's RingBuffer sends column t-1 at step t; NeuroEmu's input spike_times are the 1-based
  steps t at which that column holds a 1.

Outputs (in --out, default this directory): lava_conv_network_fixture.json (Lava traces) and
lava_conv_network.network.json (NeuroEmu).
"""
import argparse
import json
import os

import numpy as np

from lava.proc.conv.models import PyConvModelFixed
from lava.proc.conv.process import Conv
from lava.proc.io.source import RingBuffer
from lava.proc.lif.process import LIF

from lava_record import LAVA_VERSION, run_and_record

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 80
SEED = 9001

# Lava shapes (X, Y, C)
SHAPES = {"drive": (8, 8, 2), "A": (8, 8, 3), "B": (3, 9, 4)}
MODE_RANGE = {"excitatory": (1, 255), "inhibitory": (-255, -1), "mixed": (-256, 254)}


def lava_to_ne(a):
    """Lava (X, Y, C, ...) array -> NeuroEmu-numbered (C·Y·X, ...) array."""
    a = np.asarray(a)
    rest = a.shape[3:]
    return a.transpose(2, 1, 0, *range(3, a.ndim)).reshape(-1, *rest)


def ne_to_lava(a, shape):
    """NeuroEmu-numbered (C·Y·X, ...) array -> Lava (X, Y, C, ...) array."""
    a = np.asarray(a)
    x, y, c = shape
    rest = a.shape[1:]
    return a.reshape(c, y, x, *rest).transpose(2, 1, 0, *range(3, a.ndim + 2))


def size(name):
    x, y, c = SHAPES[name]
    return x * y * c


def build():
    rng = np.random.default_rng(SEED)
    # drive in NeuroEmu numbering, (neurons, steps)
    drive_ne = (rng.random((size("drive"), STEPS)) < 0.12).astype(np.int32)
    pops = {
        "A": dict(du=1200, dv=400, vth=1200,
                  bias_mant=rng.integers(-30, 60, size("A")), bias_exp=rng.integers(0, 3, size("A"))),
        "B": dict(du=2000, dv=250, vth=1800,
                  bias_mant=rng.integers(-40, 80, size("B")), bias_exp=rng.integers(0, 3, size("B"))),
    }

    def kernel(c_out, kx, ky, c_in, mode, p):
        lo, hi = MODE_RANGE[mode]
        w = rng.integers(lo, hi + 1, (c_out, kx, ky, c_in))
        if mode == "mixed":
            w = w & ~1  # even: stored exactly by 8-bit mixed mode
        return np.where(rng.random(w.shape) < p, w, 0).astype(np.int64)

    # Lava parameters: weight[c_out, kx, ky, c_in], padding/stride as (x, y)
    projs = [
        dict(name="drive_A", source="drive", target="A", sign_mode="excitatory",
             weight=kernel(3, 3, 3, 2, "excitatory", 0.6), padding=(1, 1), stride=(1, 1)),
        dict(name="A_A", source="A", target="A", sign_mode="inhibitory",
             weight=kernel(3, 3, 3, 3, "inhibitory", 0.35), padding=(1, 1), stride=(1, 1)),
        # non-square 3x2 kernel, stride 2 in x only, padding in y only: (8,8,3) -> (3,9,4)
        dict(name="A_B", source="A", target="B", sign_mode="mixed",
             weight=kernel(4, 3, 2, 3, "mixed", 0.7),
             padding=(0, 1), stride=(2, 1)),
    ]
    for p in projs:
        lo, hi = MODE_RANGE[p["sign_mode"]]
        nz = p["weight"][p["weight"] != 0]
        assert lo <= nz.min() and nz.max() <= hi, p["name"]
    check_int16_bound(projs)
    return drive_ne, pops, projs


def check_int16_bound(projs):
    """Lava's LIF receives a_in as int16: keep every possible per-step input within it."""
    for tgt in ("A", "B"):
        pos = sum(int(np.where(p["weight"] > 0, p["weight"], 0).sum(axis=(1, 2, 3)).max())
                  for p in projs if p["target"] == tgt)
        neg = sum(int(np.where(p["weight"] < 0, p["weight"], 0).sum(axis=(1, 2, 3)).min())
                  for p in projs if p["target"] == tgt)
        assert pos <= 32767 and neg >= -32768, (tgt, pos, neg)


def ne_kernel(w):
    """Lava weight[o, kx, ky, c] (convolution) -> NeuroEmu kernel[o][c][ky][kx] (correlation)."""
    return w[:, ::-1, ::-1, :].transpose(0, 3, 2, 1)


def run_lava(drive_ne, pops, projs):
    src = RingBuffer(data=ne_to_lava(drive_ne, SHAPES["drive"]))
    lifs = {}
    for name, p in pops.items():
        shp = SHAPES[name]
        lifs[name] = LIF(shape=shp, du=p["du"], dv=p["dv"], vth=p["vth"],
                         bias_mant=ne_to_lava(p["bias_mant"], shp),
                         bias_exp=ne_to_lava(p["bias_exp"], shp), name=name)
    outs = {"drive": src.s_out, **{k: v.s_out for k, v in lifs.items()}}
    convs = []
    for p in projs:
        c = Conv(weight=p["weight"], input_shape=SHAPES[p["source"]], padding=p["padding"],
                 stride=p["stride"], weight_exp=0, num_weight_bits=8, name=p["name"])
        assert tuple(c.output_shape) == SHAPES[p["target"]], (p["name"], c.output_shape)
        outs[p["source"]].connect(c.s_in)
        c.a_out.connect(lifs[p["target"]].a_in)
        convs.append(c)
    recorded = run_and_record(lifs, [(c, PyConvModelFixed) for c in convs], STEPS)
    res = {}
    for name, trio in recorded.items():
        # Monitor data: (steps, X, Y, C) -> (X, Y, C, steps) -> NeuroEmu (neurons, steps)
        for d in trio:
            assert d.shape == (STEPS, *SHAPES[name]), d.shape
        res[name] = tuple(lava_to_ne(np.moveaxis(d.astype(np.int64), 0, -1)) for d in trio)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()
    drive_ne, pops, projs = build()
    res = run_lava(drive_ne, pops, projs)
    drive_times = [[int(t) + 1 for t in np.nonzero(row)[0]] for row in drive_ne]
    shape_ne = {k: [c, y, x] for k, (x, y, c) in SHAPES.items()}
    fixture = {
        "generator": "make_lava_conv_network_fixture.py",
        "lava_nc_version": LAVA_VERSION,
        "steps": STEPS,
        "numbering": "NeuroEmu: (c*H + y)*W + x; Lava shapes (X, Y, C) = "
                     + json.dumps({k: list(v) for k, v in SHAPES.items()}),
        "drive_spike_times": drive_times,
        "populations": {k: {"size": size(k), "lava_shape_xyc": list(SHAPES[k]),
                            "neuroemu_shape_chw": shape_ne[k],
                            "du": v["du"], "dv": v["dv"], "vth": v["vth"],
                            "bias_mant": [int(x) for x in v["bias_mant"]],
                            "bias_exp": [int(x) for x in v["bias_exp"]]} for k, v in pops.items()},
        "projections": [{"name": p["name"], "lava_process": "Conv",
                         "source": p["source"], "target": p["target"],
                         "sign_mode": p["sign_mode"],
                         "weight_exp": 0, "num_weight_bits": 8,
                         "lava_weight_okkc": p["weight"].tolist(),
                         "lava_padding_xy": list(p["padding"]),
                         "lava_stride_xy": list(p["stride"])} for p in projs],
        "lava": {k: {"spike_times": [[int(t) + 1 for t in np.nonzero(row)[0]] for row in s],
                     "u": u.tolist(), "v": v.tolist()} for k, (s, u, v) in res.items()},
    }
    with open(os.path.join(args.out, "lava_conv_network_fixture.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    net_projs = []
    for p in projs:
        net_projs.append({
            "name": p["name"], "source": p["source"], "target": p["target"],
            "conv2d": {"input_shape": shape_ne[p["source"]],
                       "kernel": ne_kernel(p["weight"]).tolist(),
                       "stride": [p["stride"][1], p["stride"][0]],
                       "padding": [p["padding"][1], p["padding"][0]]},
            "weight_exp": 0, "num_weight_bits": 8, "sign_mode": p["sign_mode"], "delay": 1})
    net = {
        "format": "neuroemu-network/1",
        "name": "lava_conv_network",
        "description": "Equivalent of make_lava_conv_network_fixture.py's Lava network "
                       "(Lava Conv = conv2d with the kernel flipped and transposed, delay 1)",
        "steps": STEPS,
        "seed": 1,
        "inputs": [{"name": "drive", "size": size("drive"), "spike_times": drive_times}],
        "populations": [{"name": k, "size": size(k), "neuron": {
            "model": "loihi_lif", "du": v["du"], "dv": v["dv"], "vth": v["vth"],
            "bias_mant": [int(x) for x in v["bias_mant"]],
            "bias_exp": [int(x) for x in v["bias_exp"]]}} for k, v in pops.items()],
        "projections": net_projs,
        "probes": [{"target": k, "record": ["spikes", "u", "v"]} for k in pops],
    }
    with open(os.path.join(args.out, "lava_conv_network.network.json"), "w") as f:
        json.dump(net, f, separators=(",", ": "))
        f.write("\n")
    print(f"drive: {int(drive_ne.sum())} spikes")
    for k, (s, u, v) in res.items():
        print(f"{k}: {int(s.sum())} spikes over {STEPS} steps "
              f"({int((s.sum(axis=1) > 0).sum())}/{len(s)} neurons spiked)")


if __name__ == "__main__":
    main()
