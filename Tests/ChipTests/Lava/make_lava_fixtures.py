#!/usr/bin/env python3
"""Generate differential fixtures for NeuroEmu's `loihi_lif` neuron by running Lava's
bit-accurate LIF model (PyLifModelBitAcc, selected with Loihi1SimCfg(select_tag='fixed_pt')).

Lava is used only as a library. Wiring per neuron group:

    RingBuffer(data[n, T]) --s_out--> LIF.a_in

The fixed-point RingBuffer model (PySendModelFixed, int32) sends column (t-1) at time step t
(t = 1..T), and the LIF receives it in the same time step, so the LIF's a_in at step t is
exactly data[:, t-1]: no Dense weight scaling and no one-step Dense delay are involved.
(Verified by this script: it checks that step 1's u equals dec(u_init) + a[0] << 6.)

In Lava, du, dv and vth are per-process scalars, while bias_mant, bias_exp, u and v (initial)
are per neuron, so each "group" below is one LIF process with its own du/dv/vth. The fixture
lists parameters per neuron in NeuroEmu's terms.

Output: lava_lif_fixture.json (its schema: README.md beside this script).
"""
import json
import os
import sys
import time

import numpy as np

import lava
from lava.magma.core.run_conditions import RunSteps
from lava.magma.core.run_configs import Loihi1SimCfg
from lava.proc.io.source import RingBuffer
from lava.proc.lif.models import PyLifModelBitAcc
from lava.proc.lif.process import LIF
from lava.proc.monitor.process import Monitor

try:
    from importlib.metadata import version as _pkg_version
    LAVA_VERSION = _pkg_version("lava-nc")
except Exception:  # pragma: no cover
    LAVA_VERSION = "unknown"

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lava_lif_fixture.json")


# --------------------------------------------------------------------------------------
# Running one case in Lava
# --------------------------------------------------------------------------------------
def run_case(groups, steps):
    """groups: list of dicts with scalar du, dv, vth and per-neuron lists bias_mant, bias_exp,
    u_init, v_init, and input a (shape n x steps). Returns per group arrays u, v, s (n x steps).
    Each group is an unconnected sub-network, so each is compiled and run on its own."""
    return [run_group(g, steps) for g in groups]


def run_group(g, steps):
    n = len(g["bias_mant"])
    a = np.asarray(g["a"], dtype=np.int64)
    assert a.shape == (n, steps)
    src = RingBuffer(data=a.astype(np.int32))
    lif = LIF(shape=(n,), du=g["du"], dv=g["dv"], vth=g["vth"],
              bias_mant=np.asarray(g["bias_mant"]), bias_exp=np.asarray(g["bias_exp"]),
              u=np.asarray(g["u_init"]), v=np.asarray(g["v_init"]))
    src.s_out.connect(lif.a_in)
    mu, mv, ms = Monitor(), Monitor(), Monitor()
    mu.probe(lif.u, steps)
    mv.probe(lif.v, steps)
    ms.probe(lif.s_out, steps)
    cfg = Loihi1SimCfg(select_tag="fixed_pt")
    lif.run(condition=RunSteps(num_steps=steps), run_cfg=cfg)
    try:
        assert lif.model_class is PyLifModelBitAcc, lif.model_class
        name = lif.name
        u = np.asarray(mu.get_data()[name]["u"])  # (steps, n), float64 holding exact ints
        v = np.asarray(mv.get_data()[name]["v"])
        s = np.asarray(ms.get_data()[name]["s_out"])
        for arr in (u, v, s):
            assert arr.shape == (steps, n)
            assert np.all(arr == np.round(arr)) and np.all(np.abs(arr) < 2**52)
        return u.T.astype(np.int64), v.T.astype(np.int64), s.T.astype(np.int64)
    finally:
        lif.stop()


# --------------------------------------------------------------------------------------
# Case construction
# --------------------------------------------------------------------------------------
def sparse_inputs(rng, n, steps, lo, hi, density):
    a = rng.integers(lo, hi + 1, size=(n, steps))
    mask = rng.random((n, steps)) < density
    return np.where(mask, a, 0)


def group(du, dv, vth, bias_mant, bias_exp, a, u_init=None, v_init=None):
    n = len(bias_mant)
    # No input at step 1 (a[:, 0] = 0), so that every fixture can be replayed as a network whose
    # inputs arrive through delay-1 synapses (nothing can arrive at step 1 there).
    a = np.array(a, dtype=np.int64)
    a[:, 0] = 0
    return dict(du=int(du), dv=int(dv), vth=int(vth),
                bias_mant=[int(x) for x in bias_mant], bias_exp=[int(x) for x in bias_exp],
                u_init=[int(x) for x in (u_init if u_init is not None else [0] * n)],
                v_init=[int(x) for x in (v_init if v_init is not None else [0] * n)],
                a=np.asarray(a, dtype=np.int64))


def build_cases():
    cases = []
    S = 100

    # 1. Random moderate parameters, random sparse inputs (typical operating range).
    rng = np.random.default_rng(101)
    gs = []
    for _ in range(4):
        n = 4
        gs.append(group(rng.integers(0, 4096), rng.integers(0, 4096), rng.integers(1, 2000),
                        rng.integers(-200, 201, n), rng.integers(0, 4, n),
                        sparse_inputs(rng, n, S, -300, 300, 0.4)))
    cases.append(("random_moderate", "random du, dv, vth in typical ranges, random sparse inputs "
                  "in -300..300, small biases", S, gs))

    # 2. Edge decay constants: du, dv in {0, 1, 2048, 4094, 4095}.
    rng = np.random.default_rng(202)
    gs = []
    for du, dv in [(0, 0), (4095, 0), (0, 4095), (4095, 4095), (1, 1), (4094, 4094), (2048, 1)]:
        n = 2
        gs.append(group(du, dv, rng.integers(50, 400), [0, 37], [0, 2],
                        sparse_inputs(rng, n, S, -150, 250, 0.5)))
    cases.append(("edge_decays", "du, dv at 0, 1, 2048, 4094, 4095 (non-leaky IF, memoryless u, "
                  "instant v leak); dec() truncation toward zero", S, gs))

    # 3. u wrap: inputs around +-2^17 (a << 6 = +-2^23), vth high so v rarely resets.
    rng = np.random.default_rng(303)
    gs = []
    big = [2**17, -(2**17), 2**17 - 1, -(2**17) + 1, 2**16, -(2**16), 131000, -131000]
    for du, dv, vth in [(0, 0, 131071), (100, 4095, 131071), (4095, 2000, 65536), (7, 30, 131071)]:
        n = 4
        a = np.zeros((n, S), dtype=np.int64)
        for i in range(n):
            m = rng.random(S) < 0.6
            a[i] = np.where(m, rng.choice(big, size=S), rng.integers(-500, 501, S))
        gs.append(group(du, dv, vth, rng.integers(-4096, 4096, n), rng.integers(0, 8, n), a))
    cases.append(("u_wrap", "large inputs |a| up to 2^17 so that u wraps at the 24-bit window "
                  "(-2^23, 2^23] (including exactly +-2^23)", S, gs))

    # 4. v saturation: v driven to +-(2^23 - 1); vth = 131071 (theta = 2^23 - 64) and vth = 0.
    rng = np.random.default_rng(404)
    gs = []
    for du, dv, vth in [(0, 0, 131071), (4095, 0, 131071), (0, 0, 0), (3000, 10, 131071)]:
        n = 4
        a = np.zeros((n, S), dtype=np.int64)
        # bursts of large negative input (saturates v low, no reset there) and positive input
        for i in range(n):
            sign = -1 if i % 2 == 0 else 1
            amp = rng.integers(40000, 131072)
            phase = rng.integers(0, 20)
            for t in range(S):
                if (t + phase) % 25 < 6:
                    a[i, t] = sign * amp
                elif (t + phase) % 25 < 9:
                    a[i, t] = -sign * amp // 3
        gs.append(group(du, dv, vth, [4095, -4096, 1000, -1000], [7, 7, 7, 7], a))
    cases.append(("v_saturation", "large same-sign inputs and extreme biases drive v to "
                  "+-(2^23 - 1); vth = 131071 (theta = 8388544) and vth = 0", S, gs))

    # 5. Bias-only spiking: no input at all.
    gs = []
    rng = np.random.default_rng(505)
    for du, dv, vth in [(0, 0, 100), (0, 256, 1000), (0, 4095, 10), (0, 17, 131071)]:
        n = 4
        gs.append(group(du, dv, vth, rng.integers(-4096, 4096, n), rng.integers(0, 8, n),
                        np.zeros((n, S), dtype=np.int64)))
    gs.append(group(0, 0, 5, [1, 320, 321, -7], [0, 0, 0, 3], np.zeros((4, S), dtype=np.int64)))
    cases.append(("bias_only", "no input; spiking (or negative drift) from bias_mant << bias_exp "
                  "alone, incl. bias exactly at / one above threshold", S, gs))

    # 6. Negative inputs and negative voltages: odd values exercise truncation toward zero.
    rng = np.random.default_rng(606)
    gs = []
    for du, dv, vth in [(1000, 1000, 50), (3, 4000, 10), (4000, 3, 200), (2049, 2047, 1)]:
        n = 4
        a = sparse_inputs(rng, n, S, -2000, 200, 0.6)
        gs.append(group(du, dv, vth, rng.integers(-3000, 500, n), rng.integers(0, 5, n), a))
    cases.append(("negative_inputs", "mostly negative inputs and biases; negative u and v decay "
                  "with truncation toward zero", S, gs))

    # 7. Non-zero initial state, incl. the extremes of the windows.
    rng = np.random.default_rng(707)
    gs = []
    u0 = [2**23, -(2**23) + 1, 12345, -54321]
    v0 = [2**23 - 1, -(2**23) + 1, -1, 777]
    for du, dv, vth in [(0, 0, 131071), (700, 300, 500), (4095, 4095, 131071), (12, 12, 90000)]:
        n = 4
        gs.append(group(du, dv, vth, rng.integers(-100, 100, n), rng.integers(0, 3, n),
                        sparse_inputs(rng, n, S, -100, 100, 0.2), u_init=u0, v_init=v0))
    cases.append(("initial_state", "non-zero u_init / v_init including +2^23, -(2^23 - 1), "
                  "2^23 - 1", S, gs))

    # 8. Very large inputs, 2^18 < |a| < 2^23: after the single wrap u lies outside the 24-bit
    #    window (NeuroEmu's scalar path). Both Lava and NeuroEmu's spec wrap only once.
    rng = np.random.default_rng(808)
    gs = []
    for du, dv, vth in [(0, 0, 131071), (2048, 2048, 131071), (4095, 0, 1000)]:
        n = 4
        a = np.zeros((n, S), dtype=np.int64)
        for i in range(n):
            mags = rng.integers(2**18, 2**22, S)
            signs = rng.choice([-1, 1], S)
            m = rng.random(S) < 0.3
            a[i] = np.where(m, mags * signs, rng.integers(-1000, 1000, S))
        gs.append(group(du, dv, vth, rng.integers(-4096, 4096, n), rng.integers(0, 8, n), a))
    cases.append(("huge_inputs", "2^18 <= |a| < 2^22: u exceeds one 24-bit wrap (single wrap "
                  "leaves u outside (-2^23, 2^23]); |a << 6| stays below 2^28", S, gs))

    # 9. Fully random parameters over NeuroEmu's whole ranges.
    rng = np.random.default_rng(909)
    gs = []
    for _ in range(4):
        n = 4
        vth = int(rng.choice([rng.integers(0, 64), rng.integers(0, 4096), rng.integers(0, 131072)]))
        amp = int(rng.choice([100, 3000, 60000]))
        gs.append(group(rng.integers(0, 4096), rng.integers(0, 4096), vth,
                        rng.integers(-4096, 4096, n), rng.integers(0, 8, n),
                        sparse_inputs(rng, n, S, -amp, amp, rng.random()),
                        u_init=rng.integers(-(2**23) + 1, 2**23 + 1, n),
                        v_init=rng.integers(-(2**23) + 1, 2**23, n)))
    cases.append(("random_full", "random du, dv, vth, bias, u_init, v_init over the full "
                  "parameter ranges; random input amplitudes", S, gs))

    # 10. Inputs where Lava's 32-bit sum of u wraps: |a| from 2^24 to 2^26 (a << 6 leaves int32
    #     from 2^25), on states at the window's edges. (The voltage sum cannot leave int32 with v
    #     inside its window: after its one wrap |u| < 2^31 - 2^23 - 2^19, and |bias| <= 2^19.)
    rng = np.random.default_rng(1010)
    gs = []
    for du, dv, vth in [(0, 0, 131071), (4095, 0, 131071), (2048, 4095, 1000), (0, 0, 0)]:
        n = 4
        a = np.zeros((n, S), dtype=np.int64)
        for i in range(n):
            mags = rng.integers(2**24, 2**26, S)
            signs = rng.choice([-1, 1], S)
            m = rng.random(S) < 0.4
            a[i] = np.where(m, mags * signs, rng.integers(-2**20, 2**20, S))
        gs.append(group(du, dv, vth, rng.integers(-4096, 4096, n), rng.integers(0, 8, n), a,
                        u_init=[2**23, -(2**23) + 1, 2**22, -(2**22)],
                        v_init=[2**23 - 1, -(2**23) + 1, 2**23 - 1, 0]))
    # u's sum at the edges of int32: a << 6 = 2^31 - 64 and -(2^31 - 64) on a memoryless u
    # (du = 4095), 2^31 - 64 + 2^31 - 64 wrapping, a << 6 = -2^31 exactly; v near its limits.
    a = np.zeros((4, S), dtype=np.int64)
    a[:, 1::2] = (2**31 - 64) >> 6
    a[1, 1::4] = -((2**31 - 64) >> 6)
    a[2, 1::3] = 2**25 - 1
    a[3, 1::5] = -(2**25)
    gs.append(group(4095, 0, 131071, [4095, 4095, -4096, 4095], [7, 7, 7, 0], a,
                    v_init=[2**23 - 1, -(2**23) + 1, 2**23 - 1, 2**23 - 1]))
    cases.append(("int32_wrap", "2^24 <= |a| < 2^26 and a << 6 near +-2^31: Lava's 32-bit sum "
                  "of u wraps modulo 2^32 before u's one 24-bit wrap", S, gs))
    return cases


def first_u(u0, du, a0):
    prod = u0 * (4095 - du)
    dec = (abs(prod) >> 12) * (1 if prod >= 0 else -1)
    x = ((dec + (a0 << 6) + 2**31) % 2**32) - 2**31  # Lava's int32 arrays wrap
    if x > 2**23:
        x -= 2**24
    elif x <= -(2**23):
        x += 2**24
    return x


def main():
    t0 = time.time()
    fixture = {
        "generator": "make_lava_fixtures.py",
        "lava_nc_version": LAVA_VERSION,
        "lava_model": "lava.proc.lif.models.PyLifModelBitAcc via Loihi1SimCfg(select_tag='fixed_pt')",
        "wiring": "RingBuffer (PySendModelFixed, int32) -> LIF.a_in directly; a[t] is the exact "
                  "a_in the LIF received at step t+1 (no Dense, no weight scaling, no delay); "
                  "a[0] is always 0 so a case can be replayed through delay-1 synapses",
        "semantics": "steps are 1-based in Lava; index k of every list is Lava time step k+1. "
                     "u, v are the values after the step's update (v after reset); spiked is "
                     "1 when s_out was 1 at that step",
        "cases": [],
    }
    for name, desc, steps, gs in build_cases():
        res = run_case(gs, steps)
        neurons = []
        for gi, (g, (u, v, s)) in enumerate(zip(gs, res)):
            n = len(g["bias_mant"])
            for i in range(n):
                # Sanity: step 1's u shows that a[0] is the a_in the LIF received at step 1.
                assert int(u[i][0]) == first_u(g["u_init"][i], g["du"], int(g["a"][i][0]))
                neurons.append({
                    "group": gi,
                    "du": g["du"], "dv": g["dv"], "vth": g["vth"],
                    "bias_mant": g["bias_mant"][i], "bias_exp": g["bias_exp"][i],
                    "u_init": g["u_init"][i], "v_init": g["v_init"][i],
                    "a": [int(x) for x in g["a"][i]],
                    "u": [int(x) for x in u[i]],
                    "v": [int(x) for x in v[i]],
                    "spiked": [int(x) for x in s[i]],
                })
        fixture["cases"].append({"name": name, "description": desc, "steps": steps,
                                 "neurons": neurons})
        print(f"{name}: {len(neurons)} neurons x {steps} steps, "
              f"{sum(sum(nr['spiked']) for nr in neurons)} spikes", flush=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes) in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    sys.exit(main())
