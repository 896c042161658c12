"""SANA-FE's random benchmark shape, run in SANA-FE (the `sanafe` package from PyPI).

Usage: python random_sanafe.py --out result.json [--steps 1000] [--threads 2] [--seed S]

Network (the shape of NeuroEmu's `random-4k` bench case): 4,096 leaky integrate-and-fire
neurons, each receiving exactly 100 inputs from distinct random other neurons (weight 1),
mapped 32 neurons per core in order over the 128 cores of the Loihi architecture description
that ships inside the sanafe package (sanafe.load_loihi()). A seeded 6 % of the neurons
(246 of 4,096) have a bias of 128 over a threshold of 64 and fire on every step; the others
have no bias and no leak memory (leak_decay 0), and the at most ~20 unit inputs they get per
step stay far below the threshold, so activity is exactly the drivers' and about 24,600
synaptic events happen per step. Every neuron is updated every step (force_update).

It runs SANA-FE's detailed timing model. `simulation_seconds` is the wall time of
SpikingChip.sim; `setup_seconds` covers building the network and loading it onto the chip.
SANA-FE's own results are recorded beside it: simulated chip time (s), energy (J), spikes.
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
FIRING_FRACTION = 0.06
THRESHOLD = 64.0
DRIVER_BIAS = 128.0
WEIGHT = 1.0
DEFAULT_SEED = 8


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
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()

    import sanafe

    setup_started = time.perf_counter()
    rng = np.random.default_rng(arguments.seed)
    drivers = np.sort(rng.choice(NEURONS, size=int(round(FIRING_FRACTION * NEURONS)), replace=False))
    sources = random_sources(rng)
    is_driver = np.zeros(NEURONS, dtype=bool)
    is_driver[drivers] = True
    out_degree = np.bincount(sources.ravel(), minlength=NEURONS)
    # The largest drive a non-driver receives per step must stay below the threshold.
    driver_inputs = is_driver[sources].sum(axis=1)
    assert driver_inputs[~is_driver].max() * WEIGHT < THRESHOLD

    architecture = sanafe.load_loihi()
    network = sanafe.Network()
    population = network.create_neuron_group("population", NEURONS, model_attributes={
        "threshold": THRESHOLD, "reset": 0.0, "leak_decay": 0.0, "force_update": True})
    for driver in drivers:
        population.neurons[int(driver)].set_attributes(model_attributes={"bias": DRIVER_BIAS})
    pairs = list(zip(sources.ravel().tolist(), np.repeat(np.arange(NEURONS), INDEGREE).tolist()))
    population.connect_neurons_sparse(population, {"weight": [WEIGHT] * len(pairs)}, pairs)
    cores = architecture.cores()
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
        "spikes_per_neuron_per_step": spikes / NEURONS / arguments.steps,
        "expected_synaptic_events_per_step": int(out_degree[drivers].sum()),
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
