"""The CUBA benchmark network shared by the Brian2 and NEST runs of bench/compare.sh.

Vogels & Abbott (2005) current-based network as used by the NeuroEmu `cuba-*` bench cases:
N leaky integrate-and-fire neurons, 80 % excitatory, each neuron receiving exactly 64
excitatory and 16 inhibitory inputs (connection probability 0.02 at N = 4,000) drawn without
repetition and without self-connections, dt 0.1 ms, 10,000 steps (1 s of model time).

Connectivity and initial membrane potentials are drawn here with NumPy from one seed, so
both peers can be given the same network where their APIs allow it.
"""

import argparse

import numpy as np

# Model constants (units in the names: ms, mV).
TAU_M_MS = 20.0
TAU_E_MS = 5.0
TAU_I_MS = 10.0
V_THRESHOLD_MV = -50.0
V_RESET_MV = -60.0
E_LEAK_MV = -49.0
REFRACTORY_MS = 5.0
# Jumps of the synaptic variables ge, gi (mV) per presynaptic spike.
WEIGHT_EXCITATORY_MV = 60.0 * 0.27 / 10.0   # 1.62 mV
WEIGHT_INHIBITORY_MV = -20.0 * 4.5 / 10.0   # -9 mV
EXCITATORY_FRACTION = 0.8
EXCITATORY_INDEGREE = 64
INHIBITORY_INDEGREE = 16
STEP_MS = 0.1
STEPS = 10_000
DEFAULT_SEED = 8


def population_sizes(neurons):
    """Returns (excitatory, inhibitory) neuron counts for a network of `neurons`."""
    excitatory = int(round(neurons * EXCITATORY_FRACTION))
    return excitatory, neurons - excitatory


def initial_potentials_mv(rng, neurons):
    """Membrane potentials uniform in [V_reset, V_threshold) (mV)."""
    return V_RESET_MV + rng.random(neurons) * (V_THRESHOLD_MV - V_RESET_MV)


def fixed_indegree_sources(rng, targets, source_start, source_count, indegree):
    """For each target 0..targets-1, `indegree` distinct sources in
    [source_start, source_start + source_count), never the target itself.

    Returns an int64 array of shape (targets, indegree). Rows are drawn in bulk and only
    rows that contain a repeated source are drawn again, so large networks stay fast.
    """
    target_ids = np.arange(targets, dtype=np.int64)
    # A target that lies in the source range has one candidate fewer (itself).
    own_offset = target_ids - source_start
    is_own_source = (own_offset >= 0) & (own_offset < source_count)
    if source_count - 1 < indegree:
        raise ValueError(
            f"fixed in-degree {indegree} needs at least {indegree + 1} sources, got {source_count}")
    candidates = np.where(is_own_source, source_count - 1, source_count)
    draws = np.empty((targets, indegree), dtype=np.int64)
    pending = target_ids
    while pending.size:
        rows = (rng.random((pending.size, indegree)) * candidates[pending, None]).astype(np.int64)
        rows.sort(axis=1)
        repeated = np.any(rows[:, 1:] == rows[:, :-1], axis=1)
        draws[pending[~repeated]] = rows[~repeated]
        pending = pending[repeated]
    # Skip over the target itself: offsets at or above its own move up by one.
    skip = is_own_source[:, None] & (draws >= own_offset[:, None])
    return draws + skip + source_start


def build(neurons, seed):
    """The whole network as arrays: sources/targets of both projections and v0 (mV)."""
    rng = np.random.default_rng(seed)
    excitatory, inhibitory = population_sizes(neurons)
    v0 = initial_potentials_mv(rng, neurons)
    exc = fixed_indegree_sources(rng, neurons, 0, excitatory, EXCITATORY_INDEGREE)
    inh = fixed_indegree_sources(rng, neurons, excitatory, inhibitory, INHIBITORY_INDEGREE)
    targets = np.arange(neurons, dtype=np.int64)
    return {
        "v0_mv": v0,
        "exc_sources": exc.ravel(),
        "exc_targets": np.repeat(targets, EXCITATORY_INDEGREE),
        "inh_sources": inh.ravel(),
        "inh_targets": np.repeat(targets, INHIBITORY_INDEGREE),
    }


def synaptic_events(spike_counts, sources):
    """Spikes times out-degree, summed over neurons: the synaptic events a run delivered."""
    out_degree = np.bincount(sources, minlength=len(spike_counts))
    return int(np.dot(np.asarray(spike_counts, dtype=np.int64), out_degree.astype(np.int64)))


def summary(simulator, neurons, threads, spikes, events, simulation_seconds, extra=None):
    """The per-run record every peer script writes (seconds, Hz)."""
    model_seconds = STEPS * STEP_MS / 1000.0
    record = {
        "simulator": simulator,
        "case": case_name(neurons),
        "threads": threads,
        "neurons": neurons,
        "synapses": neurons * (EXCITATORY_INDEGREE + INHIBITORY_INDEGREE),
        "steps": STEPS,
        "step_ms": STEP_MS,
        "simulation_seconds": simulation_seconds,
        "spikes": int(spikes),
        "mean_rate_hz": spikes / neurons / model_seconds,
        "synaptic_events": int(events),
        "synaptic_events_per_second": events / simulation_seconds if simulation_seconds > 0 else None,
    }
    record.update(extra or {})
    return record


def case_name(neurons):
    """The NeuroEmu bench case of the same size, e.g. 4000 -> cuba-4k."""
    if neurons % 1000:
        raise ValueError(f"CUBA size {neurons} is not a whole number of thousands")
    return f"cuba-{neurons // 1000}k"


def argument_parser(description):
    """The options every CUBA peer script takes: --neurons, --threads, --seed, --out."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--neurons", type=int, default=4000, help="network size (default 4000)")
    parser.add_argument("--threads", type=int, default=1, help="worker threads (default 1)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="network seed")
    parser.add_argument("--out", required=True, help="result file (JSON, written atomically)")
    return parser
