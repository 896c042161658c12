"""SANA-FE's random benchmark shape, run in SANA-FE (the `sanafe` package from PyPI).

Usage: python random_sanafe.py --out result.json [--activity phases|drivers] [--steps 1000]
                               [--threads 2] [--seed S]

Network (the shape of NeuroEmu's `random-4k` bench case): 4,096 leaky integrate-and-fire
neurons, each receiving exactly 100 inputs from distinct random other neurons, mapped 32 neurons
per core in order over the 128 cores of the Loihi architecture description that ships inside
the sanafe package (sanafe.load_loihi()); every neuron is updated every step (force_update).
About 6 % of the neurons fire per step, driven one of two ways:

- `phases` (default; NeuroEmu's random-4k in SANA-FE's units, where Loihi's 6-bit weight
  shift is already divided out): threshold 256, bias 1025/64 per step so a neuron alone
  reaches the threshold in 16 steps, no leak (leak_decay 1), input current gone after one step
  (input_decay 1/4096, Loihi's du 4095), initial potentials uniform on the 1/64 grid in
  [0, 256), integer weights uniform in [-8, 8]. Every neuron fires about once per 16 steps.
- `drivers`: a seeded 6 % (246) of the neurons have a bias of 128 over a threshold of 64 and
  fire on every step; the others have no bias and no memory (leak_decay 0) and their unit-weight
  inputs stay far below the threshold, so the same 246 neurons fire on every step.

It runs SANA-FE's detailed timing model. `simulation_seconds` is the wall time of
SpikingChip.sim; `setup_seconds` covers building the network and loading it onto the chip.
SANA-FE's own results are recorded beside it: simulated chip time (s), energy (J), neurons fired
(`spikes`) and spikes delivered to synapses (`synaptic_events`).
"""

import argparse
import importlib.metadata
import time

import numpy as np

import result_file

NEURONS = 4096
INDEGREE = 100
CORES = 128
NEURONS_PER_CORE = 32
DEFAULT_SEED = 8
# `drivers` activity.
FIRING_FRACTION = 0.06
DRIVER_THRESHOLD = 64.0
DRIVER_BIAS = 128.0
DRIVER_WEIGHT = 1.0
# `phases` activity: NeuroEmu's loihi_lif numbers (vth 256, bias_mant 1025, du 4095, dv 0,
# weights -8...8) with Loihi's 6-bit shift of weights and threshold divided out.
PHASE_THRESHOLD = 256.0
PHASE_BIAS = 1025.0 / 64.0
PHASE_INPUT_DECAY = 1.0 / 4096.0
PHASE_WEIGHT_LIMIT = 8


def random_sources(rng):
    """INDEGREE distinct sources per target, never the target itself: shape (NEURONS, INDEGREE)."""
    sources = np.empty((NEURONS, INDEGREE), dtype=np.int64)
    for target in range(NEURONS):
        picks = rng.choice(NEURONS - 1, size=INDEGREE, replace=False)
        sources[target] = picks + (picks >= target)
    return sources


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2,
                        help="SANA-FE processing threads (default 2)")
    parser.add_argument("--timing-model", default="detailed",
                        choices=("simple", "detailed", "cycle"))
    parser.add_argument("--activity", default="phases", choices=("phases", "drivers"),
                        help="how about 6 %% of the neurons fire per step (default phases)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()

    import sanafe

    setup_started = time.perf_counter()
    rng = np.random.default_rng(arguments.seed)
    # The drivers are drawn before the connectivity (the order of the measured runs).
    drivers = None
    if arguments.activity == "drivers":
        drivers = np.sort(rng.choice(NEURONS, size=int(round(FIRING_FRACTION * NEURONS)), replace=False))
    sources = random_sources(rng)
    architecture = sanafe.load_loihi()
    network = sanafe.Network()
    if arguments.activity == "phases":
        population = network.create_neuron_group("population", NEURONS, model_attributes={
            "threshold": PHASE_THRESHOLD, "reset": 0.0, "bias": PHASE_BIAS, "leak_decay": 1.0,
            "input_decay": PHASE_INPUT_DECAY, "force_update": True})
        potentials = rng.integers(0, int(PHASE_THRESHOLD * 64), size=NEURONS) / 64.0
        for neuron, potential in zip(population.neurons, potentials.tolist()):
            neuron.set_attributes(model_attributes={"potential": potential})
        weights = rng.integers(-PHASE_WEIGHT_LIMIT, PHASE_WEIGHT_LIMIT + 1,
                               size=sources.size).astype(float).tolist()
    else:
        is_driver = np.zeros(NEURONS, dtype=bool)
        is_driver[drivers] = True
        # The largest drive a non-driver receives per step must stay below the threshold.
        largest_drive = is_driver[sources].sum(axis=1)[~is_driver].max() * DRIVER_WEIGHT
        if largest_drive >= DRIVER_THRESHOLD:
            raise SystemExit(f"seed {arguments.seed}: a non-driver gets {largest_drive} per step, "
                             f"not below the threshold {DRIVER_THRESHOLD}; choose another --seed")
        population = network.create_neuron_group("population", NEURONS, model_attributes={
            "threshold": DRIVER_THRESHOLD, "reset": 0.0, "leak_decay": 0.0, "force_update": True})
        for driver in drivers.tolist():
            population.neurons[driver].set_attributes(model_attributes={"bias": DRIVER_BIAS})
        weights = [DRIVER_WEIGHT] * sources.size
    pairs = list(zip(sources.ravel().tolist(), np.repeat(np.arange(NEURONS), INDEGREE).tolist()))
    population.connect_neurons_sparse(population, {"weight": weights}, pairs)
    cores = architecture.cores()
    if len(cores) != CORES:
        raise SystemExit(f"SANA-FE's Loihi preset has {len(cores)} cores, not {CORES}")
    for index, neuron in enumerate(population.neurons):
        neuron.map_to_core(cores[index // NEURONS_PER_CORE])
    chip = sanafe.SpikingChip(architecture)
    chip.load(network)
    setup_seconds = time.perf_counter() - setup_started

    started = time.perf_counter()
    results = chip.sim(arguments.steps, timing_model=arguments.timing_model,
                       processing_threads=arguments.threads)
    simulation_seconds = time.perf_counter() - started

    # SANA-FE's "spikes" counts spikes delivered to synapses (synaptic events);
    # "neurons_fired" counts neurons that fired.
    spikes = int(results["neurons_fired"])
    events = int(results["spikes"])
    record = {
        "simulator": "sanafe",
        "case": "random-4k",
        "threads": arguments.threads,
        "neurons": NEURONS,
        "synapses": NEURONS * INDEGREE,
        "steps": arguments.steps,
        "timing_model": arguments.timing_model,
        "version": importlib.metadata.version("sanafe"),
        "seed": arguments.seed,
        "setup_seconds": setup_seconds,
        "simulation_seconds": simulation_seconds,
        "spikes": spikes,
        "activity": arguments.activity,
        "spikes_per_neuron_per_step": spikes / NEURONS / arguments.steps,
        "synaptic_events": events,
        "synaptic_events_per_second": events / simulation_seconds,
        "chip_seconds": float(results["sim_time"]),
        "energy_joules": float(results["energy"]["total"]),
        "energy_breakdown_joules": {key: float(value) for key, value in results["energy"].items()},
        "packets": int(results.get("packets_sent", 0)),
        "neurons_updated": int(results.get("neurons_updated", 0)),
    }
    result_file.write_json(arguments.out, record)
    print(f"sanafe random-4k, {arguments.steps} steps, {arguments.timing_model} timing: "
          f"sim {simulation_seconds:.2f} s, {spikes} spikes, chip time {record['chip_seconds']:.4g} s, "
          f"energy {record['energy_joules']:.4g} J")


if __name__ == "__main__":
    main()
