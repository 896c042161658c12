#!/usr/bin/env python3
"""Network-level differential fixture with synaptic delays and sparse connectivity: three
recurrently connected loihi_lif populations driven by spike inputs, run in Lava's bit-accurate
mode (PyLifModelBitAcc with PyDelayDenseModelBitAcc, PySparseModelBitAcc,
PyDelaySparseModelBitAcc and PyDenseModelBitAcc; Loihi1SimCfg(select_tag='fixed_pt')), plus the
equivalent NeuroEmu network file (neuroemu-network/1).

Conventions matched (each checked by experiment: one input spike through delays 0…5):
- Lava's RingBuffer sends column t-1 at step t; NeuroEmu's input spike_times are the 1-based
  steps t at which that column holds a 1.
- Lava's Dense and Sparse send at step t+1 what they accumulated from the spikes of step t:
  NeuroEmu delay 1.
- Lava's DelayDense / DelaySparse synapse with delay k (k >= 0) sends at step t+1+k: NeuroEmu
  per-synapse delay k+1 (so Lava's delay 0 is NeuroEmu's 1, the same as Dense).
- Weight storage (clip + truncation of low bits, mixed mode drops one more bit, inhibitory
  truncates toward zero) and weight_exp are given to both as the same raw parameters; sign modes
  are given explicitly to both.
- Every NeuroEmu projection uses `sparse` connectivity: one synapse per non-zero raw weight,
  with a per-synapse `delay` list for the delayed projections.

Usage: make_lava_delay_network_fixture.py [--variant main|negdelay] [--out DIR]
  main      (default) lava_delay_network_fixture.json + lava_delay_network.network.json
  negdelay  same network, but the delayed projections A_A and C_C get weight_exp -2 and -3
            (num_weight_bits 8): a negative weight_exp on projections with several delays,
            where Lava floors each (source step, delay) sum separately
            (files lava_delay_negexp_fixture.json + lava_delay_negexp.network.json)
"""
import argparse
import json
import os

import numpy as np
import scipy.sparse as sps

from lava.proc.dense.models import PyDelayDenseModelBitAcc, PyDenseModelBitAcc
from lava.proc.dense.process import DelayDense, Dense
from lava.proc.io.source import RingBuffer
from lava.proc.lif.process import LIF
from lava.proc.sparse.models import PyDelaySparseModelBitAcc, PySparseModelBitAcc
from lava.proc.sparse.process import DelaySparse, Sparse
from lava.utils.weightutils import SignMode

from lava_record import LAVA_VERSION, run_and_record

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 120
SEED = 4711
N_IN, N_A, N_B, N_C = 10, 20, 16, 12
SIZES = {"drive": N_IN, "A": N_A, "B": N_B, "C": N_C}
LAVA_MODE = {"excitatory": SignMode.EXCITATORY, "inhibitory": SignMode.INHIBITORY,
             "mixed": SignMode.MIXED}
MODE_RANGE = {"excitatory": (0, 255), "inhibitory": (-255, 0), "mixed": (-256, 255)}
KIND_MODEL = {"Dense": PyDenseModelBitAcc, "DelayDense": PyDelayDenseModelBitAcc,
              "Sparse": PySparseModelBitAcc, "DelaySparse": PyDelaySparseModelBitAcc}


def build(variant):
    rng = np.random.default_rng(SEED)
    drive = (rng.random((N_IN, STEPS)) < 0.25).astype(np.int32)
    pops = {
        "A": dict(size=N_A, du=800, dv=300, vth=4500,
                  bias_mant=rng.integers(-40, 100, N_A), bias_exp=rng.integers(0, 3, N_A)),
        "B": dict(size=N_B, du=2500, dv=150, vth=500,
                  bias_mant=rng.integers(-80, 120, N_B), bias_exp=rng.integers(0, 3, N_B)),
        "C": dict(size=N_C, du=400, dv=1200, vth=5000,
                  bias_mant=rng.integers(0, 60, N_C), bias_exp=rng.integers(0, 2, N_C)),
    }

    def rand_w(src, tgt, lo, hi, p):
        rows, cols = SIZES[tgt], SIZES[src]
        w = rng.integers(lo, hi + 1, (rows, cols))
        w = np.where(rng.random((rows, cols)) < p, w, 0).astype(np.int64)
        if src == tgt:
            np.fill_diagonal(w, 0)
        return w

    def rand_d(src, tgt, lo, hi):
        return rng.integers(lo, hi + 1, (SIZES[tgt], SIZES[src])).astype(np.int64)

    # kind: the Lava process; delays in Lava's convention (0 = next step); None = no delays.
    projs = [
        dict(name="drive_A", kind="DelayDense", source="drive", target="A", sign_mode="excitatory",
             weights=rand_w("drive", "A", 1, 255, 0.5), delays=rand_d("drive", "A", 0, 5),
             weight_exp=0, num_weight_bits=8),
        dict(name="A_A", kind="DelayDense", source="A", target="A", sign_mode="mixed",
             weights=rand_w("A", "A", -200, 180, 0.3), delays=rand_d("A", "A", 0, 5),
             weight_exp=0, num_weight_bits=7),
        dict(name="A_B", kind="Sparse", source="A", target="B", sign_mode="mixed",
             weights=rand_w("A", "B", -128, 200, 0.4), delays=None,
             weight_exp=1, num_weight_bits=6),
        dict(name="B_A", kind="DelaySparse", source="B", target="A", sign_mode="inhibitory",
             weights=rand_w("B", "A", -255, -1, 0.3), delays=rand_d("B", "A", 0, 4),
             weight_exp=0, num_weight_bits=5),
        dict(name="B_C", kind="DelayDense", source="B", target="C", sign_mode="excitatory",
             weights=rand_w("B", "C", 1, 255, 0.35), delays=rand_d("B", "C", 1, 3),
             weight_exp=2, num_weight_bits=6),
        dict(name="C_B", kind="Sparse", source="C", target="B", sign_mode="inhibitory",
             weights=rand_w("C", "B", -255, -1, 0.4), delays=None,
             weight_exp=-2, num_weight_bits=7),
        # explicit mixed mode on non-negative weights: one more bit is dropped than inferred
        # (excitatory) mode would drop
        dict(name="drive_C", kind="Sparse", source="drive", target="C", sign_mode="mixed",
             weights=rand_w("drive", "C", 1, 255, 0.5), delays=None,
             weight_exp=-2, num_weight_bits=8),
        dict(name="C_C", kind="DelaySparse", source="C", target="C", sign_mode="mixed",
             weights=rand_w("C", "C", -255, 255, 0.4), delays=rand_d("C", "C", 0, 5),
             weight_exp=0, num_weight_bits=4),
        dict(name="C_A", kind="Dense", source="C", target="A", sign_mode="excitatory",
             weights=rand_w("C", "A", 1, 120, 0.3), delays=None,
             weight_exp=1, num_weight_bits=8),
    ]
    if variant == "negdelay":
        for p in projs:
            if p["name"] == "A_A":
                p["weight_exp"], p["num_weight_bits"] = -2, 8
            if p["name"] == "C_C":
                p["weight_exp"], p["num_weight_bits"] = -3, 8
    for p in projs:
        lo, hi = MODE_RANGE[p["sign_mode"]]
        assert lo <= p["weights"].min() and p["weights"].max() <= hi, p["name"]
    check_int16_bound(projs)
    return drive, pops, projs


def stored(w, mode, bits):
    """Lava's clip_weights + truncate_weights on a dense int matrix."""
    w = w.astype(np.int64)
    if mode == "inhibitory":
        w = -w
    lo, hi = (-256, 255) if mode == "mixed" else (0, 255)
    w = np.clip(w, lo, hi)
    k = 8 - bits + (mode == "mixed")
    w = (w >> k) << k
    return -w if mode == "inhibitory" else w


def check_int16_bound(projs):
    """Lava's LIF receives a_in as int16: keep every possible per-step input within it."""
    for tgt in ("A", "B", "C"):
        pos = np.zeros(SIZES[tgt], np.int64)
        neg = np.zeros(SIZES[tgt], np.int64)
        for p in projs:
            if p["target"] != tgt:
                continue
            w = stored(p["weights"], p["sign_mode"], p["num_weight_bits"])
            # with delays, one arrival step can hold spikes of several source steps: bound by
            # (max delay + 1) times the whole row
            reps = 1 if p["delays"] is None else int(p["delays"].max()) + 1
            e = p["weight_exp"]
            scale = (lambda x: x << e) if e >= 0 else (lambda x: x >> -e)
            pos += reps * scale(np.where(w > 0, w, 0).sum(axis=1))
            neg += reps * scale(np.where(w < 0, w, 0).sum(axis=1))
        assert pos.max() <= 32767 and neg.min() >= -32768, (tgt, pos.max(), neg.min())


def run_lava(drive, pops, projs):
    src = RingBuffer(data=drive)
    lifs = {}
    for name, p in pops.items():
        lifs[name] = LIF(shape=(p["size"],), du=p["du"], dv=p["dv"], vth=p["vth"],
                         bias_mant=p["bias_mant"], bias_exp=p["bias_exp"], name=name)
    outs = {"drive": src.s_out, **{k: v.s_out for k, v in lifs.items()}}
    conns = []
    for p in projs:
        common = dict(weight_exp=p["weight_exp"], num_weight_bits=p["num_weight_bits"],
                      sign_mode=LAVA_MODE[p["sign_mode"]], name=p["name"])
        w = p["weights"]
        if p["kind"] == "Dense":
            c = Dense(weights=w, **common)
        elif p["kind"] == "DelayDense":
            c = DelayDense(weights=w, delays=p["delays"], **common)
        elif p["kind"] == "Sparse":
            c = Sparse(weights=sps.csr_matrix(w), **common)
        elif p["kind"] == "DelaySparse":
            # delays only where a synapse exists; an absent entry is delay 0
            d = np.where(w != 0, p["delays"], 0)
            c = DelaySparse(weights=sps.csr_matrix(w), delays=sps.csr_matrix(d),
                            max_delay=int(d.max()), **common)
        else:
            raise ValueError(p["kind"])
        outs[p["source"]].connect(c.s_in)
        c.a_out.connect(lifs[p["target"]].a_in)
        conns.append((p, c))
    recorded = run_and_record(lifs, [(c, KIND_MODEL[p["kind"]]) for p, c in conns], STEPS)
    return {name: tuple(x.T.astype(np.int64) for x in trio) for name, trio in recorded.items()}


def synapse_list(p):
    """Target-major list of the non-zero raw weights; delays in NeuroEmu's convention."""
    tgt, src = np.nonzero(p["weights"])
    out = {"source": src.tolist(), "target": tgt.tolist(),
           "weight": p["weights"][tgt, src].tolist()}
    if p["delays"] is not None:
        out["delay"] = (p["delays"][tgt, src] + 1).tolist()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", choices=["main", "negdelay"], default="main")
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()
    stem = {"main": "lava_delay_network", "negdelay": "lava_delay_negexp"}[args.variant]
    fixture_name = {"main": "lava_delay_network_fixture.json",
                    "negdelay": "lava_delay_negexp_fixture.json"}[args.variant]

    drive, pops, projs = build(args.variant)
    res = run_lava(drive, pops, projs)
    drive_times = [[int(t) + 1 for t in np.nonzero(drive[i])[0]] for i in range(N_IN)]
    fixture = {
        "generator": "make_lava_delay_network_fixture.py" + (
            "" if args.variant == "main" else f" --variant {args.variant}"),
        "lava_nc_version": LAVA_VERSION,
        "steps": STEPS,
        "drive_spike_times": drive_times,
        "populations": {k: {"size": v["size"], "du": v["du"], "dv": v["dv"], "vth": v["vth"],
                            "bias_mant": [int(x) for x in v["bias_mant"]],
                            "bias_exp": [int(x) for x in v["bias_exp"]]} for k, v in pops.items()},
        "projections": [{"name": p["name"], "lava_process": p["kind"],
                         "source": p["source"], "target": p["target"],
                         "sign_mode": p["sign_mode"],
                         "weight_exp": p["weight_exp"], "num_weight_bits": p["num_weight_bits"],
                         "weights": p["weights"].tolist(),
                         # Lava's convention (0 = next step); NeuroEmu's delay is this + 1
                         "delays": None if p["delays"] is None
                         else np.where(p["weights"] != 0, p["delays"], 0).tolist()}
                        for p in projs],
        "lava": {k: {"spike_times": [[int(t) + 1 for t in np.nonzero(s[i])[0]]
                                     for i in range(len(s))],
                     "u": u.tolist(), "v": v.tolist()} for k, (s, u, v) in res.items()},
    }
    with open(os.path.join(args.out, fixture_name), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    net_projs = []
    for p in projs:
        q = {"name": p["name"], "source": p["source"], "target": p["target"],
             "sparse": synapse_list(p), "weight_exp": p["weight_exp"],
             "num_weight_bits": p["num_weight_bits"], "sign_mode": p["sign_mode"]}
        net_projs.append(q)
    net = {
        "format": "neuroemu-network/1",
        "name": stem,
        "description": "Equivalent of make_lava_delay_network_fixture.py's Lava network "
                       "(DelayDense/DelaySparse delay k = NeuroEmu delay k+1; Dense/Sparse = delay 1)",
        "steps": STEPS,
        "seed": 1,
        "inputs": [{"name": "drive", "size": N_IN, "spike_times": drive_times}],
        "populations": [{"name": k, "size": v["size"], "neuron": {
            "model": "loihi_lif", "du": v["du"], "dv": v["dv"], "vth": v["vth"],
            "bias_mant": [int(x) for x in v["bias_mant"]],
            "bias_exp": [int(x) for x in v["bias_exp"]]}} for k, v in pops.items()],
        "projections": net_projs,
        "probes": [{"target": k, "record": ["spikes", "u", "v"]} for k in pops],
    }
    with open(os.path.join(args.out, stem + ".network.json"), "w") as f:
        json.dump(net, f, separators=(",", ": "))
        f.write("\n")
    for k, (s, u, v) in res.items():
        print(f"{k}: {int(s.sum())} spikes over {STEPS} steps "
              f"({int((s.sum(axis=1) > 0).sum())}/{len(s)} neurons spiked)")


if __name__ == "__main__":
    main()
