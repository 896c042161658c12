#!/usr/bin/env python3
"""Network-level differential fixture: two recurrently connected loihi_lif populations driven by
spike inputs through Dense projections, run in Lava's bit-accurate mode (PyLifModelBitAcc +
PyDenseModelBitAcc, Loihi1SimCfg(select_tag='fixed_pt')), plus the equivalent NeuroEmu
network file (neuroemu-network/1).

Conventions matched:
- Lava's RingBuffer sends column t-1 at step t; NeuroEmu's input spike_times are the 1-based
  steps t at which that column holds a 1.
- Lava's Dense sends at step t+1 what it accumulated from the spikes of step t: NeuroEmu delay 1.
- Weight storage (clip + truncation of low bits, mixed mode drops one more bit) and weight_exp
  (shift of the sum, flooring) are given to both as the same raw parameters.

Outputs: lava_network_fixture.json (Lava traces) and lava_network.network.json (NeuroEmu).
"""
import json
import os

import numpy as np

from lava.proc.dense.models import PyDenseModelBitAcc
from lava.proc.dense.process import Dense
from lava.proc.io.source import RingBuffer
from lava.proc.lif.process import LIF

from lava_record import LAVA_VERSION, run_and_record

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 100
rng = np.random.default_rng(2024)

N_IN, N_A, N_B = 8, 16, 16
drive = (rng.random((N_IN, STEPS)) < 0.2).astype(np.int32)

pops = {
    "A": dict(size=N_A, du=1024, dv=256, vth=900,
              bias_mant=rng.integers(-60, 120, N_A), bias_exp=rng.integers(0, 3, N_A)),
    "B": dict(size=N_B, du=3000, dv=100, vth=700,
              bias_mant=rng.integers(-100, 150, N_B), bias_exp=rng.integers(0, 3, N_B)),
}


def rand_w(rows, cols, lo, hi, p):
    w = rng.integers(lo, hi + 1, (rows, cols))
    return np.where(rng.random((rows, cols)) < p, w, 0).astype(np.int64)


projs = [
    dict(name="drive_A", source="drive", target="A", weights=rand_w(N_A, N_IN, 0, 255, 0.5),
         weight_exp=0, num_weight_bits=8),
    dict(name="A_A", source="A", target="A", weights=rand_w(N_A, N_A, -128, 127, 0.4),
         weight_exp=0, num_weight_bits=8),
    dict(name="A_B", source="A", target="B", weights=rand_w(N_B, N_A, -128, 127, 0.5),
         weight_exp=2, num_weight_bits=7),
    dict(name="B_A", source="B", target="A", weights=rand_w(N_A, N_B, -128, 127, 0.4),
         weight_exp=-1, num_weight_bits=8),
    dict(name="B_B", source="B", target="B", weights=rand_w(N_B, N_B, -255, 0, 0.3),
         weight_exp=0, num_weight_bits=6),
]
for p in projs:
    np.fill_diagonal(p["weights"], 0) if p["source"] == p["target"] else None


def run_lava():
    src = RingBuffer(data=drive)
    lifs = {}
    for name, p in pops.items():
        lifs[name] = LIF(shape=(p["size"],), du=p["du"], dv=p["dv"], vth=p["vth"],
                         bias_mant=p["bias_mant"], bias_exp=p["bias_exp"], name=name)
    outs = {"drive": src.s_out, "A": lifs["A"].s_out, "B": lifs["B"].s_out}
    denses = []
    for p in projs:
        d = Dense(weights=p["weights"], weight_exp=p["weight_exp"],
                  num_weight_bits=p["num_weight_bits"], name=p["name"])
        outs[p["source"]].connect(d.s_in)
        d.a_out.connect(lifs[p["target"]].a_in)
        denses.append(d)
    recorded = run_and_record(lifs, [(d, PyDenseModelBitAcc) for d in denses], STEPS)
    return {name: tuple(x.T.astype(np.int64) for x in trio) for name, trio in recorded.items()}


def main():
    res = run_lava()
    fixture = {
        "generator": "make_lava_network_fixture.py",
        "lava_nc_version": LAVA_VERSION,
        "steps": STEPS,
        "drive_spike_times": [[int(t) + 1 for t in np.nonzero(drive[i])[0]] for i in range(N_IN)],
        "populations": {k: {"du": v["du"], "dv": v["dv"], "vth": v["vth"],
                            "bias_mant": [int(x) for x in v["bias_mant"]],
                            "bias_exp": [int(x) for x in v["bias_exp"]]} for k, v in pops.items()},
        "projections": [{"name": p["name"], "source": p["source"], "target": p["target"],
                         "weight_exp": p["weight_exp"], "num_weight_bits": p["num_weight_bits"],
                         "weights": p["weights"].tolist()} for p in projs],
        "lava": {k: {"spike_times": [[int(t) + 1 for t in np.nonzero(s[i])[0]] for i in range(len(s))],
                     "u": u.tolist(), "v": v.tolist()} for k, (s, u, v) in res.items()},
    }
    with open(os.path.join(HERE, "lava_network_fixture.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    net = {
        "format": "neuroemu-network/1",
        "name": "lava_network",
        "description": "Equivalent of make_lava_network_fixture.py's Lava network",
        "steps": STEPS,
        "seed": 1,
        "inputs": [{"name": "drive", "size": N_IN, "spike_times": fixture["drive_spike_times"]}],
        "populations": [{"name": k, "size": v["size"], "neuron": {
            "model": "loihi_lif", "du": v["du"], "dv": v["dv"], "vth": v["vth"],
            "bias_mant": [int(x) for x in v["bias_mant"]], "bias_exp": [int(x) for x in v["bias_exp"]]}}
            for k, v in pops.items()],
        "projections": [{"name": p["name"], "source": p["source"], "target": p["target"],
                         "weights": p["weights"].tolist(), "weight_exp": p["weight_exp"],
                         "num_weight_bits": p["num_weight_bits"], "delay": 1} for p in projs],
        "probes": [{"target": k, "record": ["spikes", "u", "v"]} for k in pops],
    }
    with open(os.path.join(HERE, "lava_network.network.json"), "w") as f:
        json.dump(net, f, separators=(",", ": "))
        f.write("\n")
    for k, (s, u, v) in res.items():
        print(f"{k}: {int(s.sum())} spikes over {STEPS} steps")


if __name__ == "__main__":
    main()
