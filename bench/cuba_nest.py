"""CUBA network (bench/cuba_model.py) in NEST 3 with iaf_psc_exp neurons.

Usage: python cuba_nest.py --neurons 4000 --threads 1 --out result.json [--seed S]

The Brian2 form integrates synaptic variables ge, gi in mV (dv/dt = (ge + gi - (v - El)) / taum);
iaf_psc_exp integrates currents (C_m dV/dt = -C_m (V - E_L) / tau_m + I). Both are linear,
so a jump of w mV in ge equals a current jump of w * C_m / tau_m pA: with C_m = 250 pF and
tau_m = 20 ms, 1.62 mV -> 20.25 pA and -9 mV -> -112.5 pA. Connections use NEST's own
`fixed_indegree` rule (64 excitatory + 16 inhibitory inputs, no autapses, no multapses),
seeded through the kernel's rng_seed; initial potentials come from bench/cuba_model.py.
Delays are one step (0.1 ms), NEST's minimum. `simulation_seconds` is the wall time of
nest.Simulate (which includes NEST's preparation of the connection tables).
"""

import os
import time

import numpy as np

import cuba_model
import result_file

CAPACITANCE_PF = 250.0
# Listing every connection to count out-degrees (GetConnections) took 50 s and 8 GB for the
# 3.2 million synapses of 40,000 neurons; above this limit events are spikes times the mean
# out-degree (80) instead.
EXACT_EVENT_LIMIT = 400_000


def main():
    parser = cuba_model.argument_parser(__doc__.splitlines()[0])
    arguments = parser.parse_args()

    os.environ.setdefault("PYNEST_QUIET", "1")
    import nest

    if hasattr(nest, "VerbosityLevel"):
        nest.verbosity = nest.VerbosityLevel.WARNING
    else:
        nest.set_verbosity("M_WARNING")
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": cuba_model.STEP_MS,
                          "local_num_threads": arguments.threads,
                          "rng_seed": arguments.seed,
                          "print_time": False})
    excitatory_count, _ = cuba_model.population_sizes(arguments.neurons)
    current_per_mv = CAPACITANCE_PF / cuba_model.TAU_M_MS   # pA per mV of ge / gi
    neurons = nest.Create("iaf_psc_exp", arguments.neurons, params={
        "C_m": CAPACITANCE_PF,
        "tau_m": cuba_model.TAU_M_MS,
        "tau_syn_ex": cuba_model.TAU_E_MS,
        "tau_syn_in": cuba_model.TAU_I_MS,
        "t_ref": cuba_model.REFRACTORY_MS,
        "E_L": cuba_model.E_LEAK_MV,
        "V_th": cuba_model.V_THRESHOLD_MV,
        "V_reset": cuba_model.V_RESET_MV,
        "I_e": 0.0,
    })
    rng = np.random.default_rng(arguments.seed)
    neurons.V_m = list(cuba_model.initial_potentials_mv(rng, arguments.neurons))
    excitatory = neurons[:excitatory_count]
    inhibitory = neurons[excitatory_count:]
    for sources, indegree, weight_mv in (
            (excitatory, cuba_model.EXCITATORY_INDEGREE, cuba_model.WEIGHT_EXCITATORY_MV),
            (inhibitory, cuba_model.INHIBITORY_INDEGREE, cuba_model.WEIGHT_INHIBITORY_MV)):
        nest.Connect(sources, neurons,
                     {"rule": "fixed_indegree", "indegree": indegree,
                      "allow_autapses": False, "allow_multapses": False},
                     {"synapse_model": "static_synapse", "weight": weight_mv * current_per_mv,
                      "delay": cuba_model.STEP_MS})
    recorder = nest.Create("spike_recorder")
    nest.Connect(neurons, recorder)

    started = time.perf_counter()
    nest.Simulate(cuba_model.STEPS * cuba_model.STEP_MS)
    simulation_seconds = time.perf_counter() - started

    first_id = neurons[0].global_id
    senders = np.asarray(recorder.get("events", "senders"), dtype=np.int64) - first_id
    counts = np.bincount(senders, minlength=arguments.neurons)
    spikes = int(counts.sum())
    synapses = arguments.neurons * (cuba_model.EXCITATORY_INDEGREE + cuba_model.INHIBITORY_INDEGREE)
    exact = synapses <= EXACT_EVENT_LIMIT
    if exact:
        connections = nest.GetConnections(source=neurons, target=neurons)
        sources = np.asarray(connections.get("source"), dtype=np.int64) - first_id
        events = cuba_model.synaptic_events(counts, sources)
    else:
        events = spikes * (cuba_model.EXCITATORY_INDEGREE + cuba_model.INHIBITORY_INDEGREE)
    record = cuba_model.summary(
        "nest", arguments.neurons, arguments.threads, spikes, events, simulation_seconds,
        {"version": nest.__version__, "model": "iaf_psc_exp", "seed": arguments.seed,
         "synaptic_events_exact": exact})
    result_file.write_json(arguments.out, record)
    print(f"nest {arguments.neurons} neurons, {arguments.threads} thread(s): "
          f"simulate {simulation_seconds:.3f} s, {spikes} spikes, "
          f"{record['mean_rate_hz']:.3f} Hz")


if __name__ == "__main__":
    main()
