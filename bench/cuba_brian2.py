"""CUBA network (bench/cuba_model.py) in Brian2's C++ standalone mode.

Usage: python cuba_brian2.py --neurons 4000 --threads 1 --out result.json [--seed S]

Every call generates and compiles the C++ project in a fresh temporary directory, so the
process time (measured by bench/compare.sh) includes code generation and compilation.
`simulation_seconds` is Brian2's own measurement of its network run loop
(`device._last_run_time`, read from the run's results/last_run_info.txt);
`build_and_run_seconds` covers code generation, compilation and the binary's run.
"""

import shutil
import tempfile
import time

import cuba_model
import result_file


def main():
    parser = cuba_model.argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--keep-build", action="store_true",
                        help="keep the generated C++ project (its path is printed)")
    arguments = parser.parse_args()

    import brian2 as b2

    network = cuba_model.build(arguments.neurons, arguments.seed)
    build_directory = tempfile.mkdtemp(prefix="neuroemu-bench-brian2-")
    b2.set_device("cpp_standalone", directory=build_directory, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = arguments.threads
    b2.defaultclock.dt = cuba_model.STEP_MS * b2.ms

    namespace = {
        "taum": cuba_model.TAU_M_MS * b2.ms,
        "taue": cuba_model.TAU_E_MS * b2.ms,
        "taui": cuba_model.TAU_I_MS * b2.ms,
        "Vt": cuba_model.V_THRESHOLD_MV * b2.mV,
        "Vr": cuba_model.V_RESET_MV * b2.mV,
        "El": cuba_model.E_LEAK_MV * b2.mV,
        "we": cuba_model.WEIGHT_EXCITATORY_MV * b2.mV,
        "wi": cuba_model.WEIGHT_INHIBITORY_MV * b2.mV,
    }
    equations = """
    dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
    dge/dt = -ge / taue : volt
    dgi/dt = -gi / taui : volt
    """
    neurons = b2.NeuronGroup(arguments.neurons, equations, threshold="v > Vt", reset="v = Vr",
                             refractory=cuba_model.REFRACTORY_MS * b2.ms, method="exact",
                             namespace=namespace)
    neurons.v = network["v0_mv"] * b2.mV
    neurons.ge = 0 * b2.mV
    neurons.gi = 0 * b2.mV
    excitatory = b2.Synapses(neurons, neurons, on_pre="ge += we", namespace=namespace)
    excitatory.connect(i=network["exc_sources"], j=network["exc_targets"])
    inhibitory = b2.Synapses(neurons, neurons, on_pre="gi += wi", namespace=namespace)
    inhibitory.connect(i=network["inh_sources"], j=network["inh_targets"])
    monitor = b2.SpikeMonitor(neurons)

    b2.run(cuba_model.STEPS * cuba_model.STEP_MS * b2.ms)
    started = time.perf_counter()
    b2.device.build(directory=build_directory, compile=True, run=True)
    build_and_run_seconds = time.perf_counter() - started

    counts = monitor.count[:]
    spikes = int(counts.sum())
    sources = network["exc_sources"], network["inh_sources"]
    events = sum(cuba_model.synaptic_events(counts, s) for s in sources)
    record = cuba_model.summary(
        "brian2", arguments.neurons, arguments.threads, spikes, events,
        float(b2.device._last_run_time),
        {"version": b2.__version__, "mode": "cpp_standalone",
         "build_and_run_seconds": build_and_run_seconds, "seed": arguments.seed})
    result_file.write_json(arguments.out, record)
    print(f"brian2 {arguments.neurons} neurons, {arguments.threads} thread(s): "
          f"run {record['simulation_seconds']:.3f} s, {spikes} spikes, "
          f"{record['mean_rate_hz']:.3f} Hz")
    if arguments.keep_build:
        print(f"C++ project kept in {build_directory}")
    else:
        shutil.rmtree(build_directory, ignore_errors=True)


if __name__ == "__main__":
    main()
