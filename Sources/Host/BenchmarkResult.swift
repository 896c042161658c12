import Router

/// What one benchmark run measured (`neuroemu bench`; field meanings in docs/performance.md).
public struct BenchmarkResult: Sendable, Equatable {
    /// Name of the benchmark case.
    public var caseName: String
    /// Network model the run used.
    public var router: RouterFidelity
    /// Worker threads of the run.
    public var threads: Int
    /// Chip neurons of the network.
    public var neurons: Int
    /// Synapses of the network.
    public var synapses: Int
    /// Timesteps run.
    public var steps: Int
    /// Simulated time of one step, in milliseconds.
    public var stepMilliseconds: Double
    /// Cores loaded and the mesh they sit on (`W×H tiles × C cores`).
    public var cores: Int
    /// The mesh, as `W×H tiles × C cores` text.
    public var mesh: String
    /// Seconds to generate, parse and expand the network, map it and load the chip.
    public var setupSeconds: Double
    /// Seconds of the simulation loop alone (every step with full cycle and energy accounting).
    public var simulationSeconds: Double
    /// Synaptic events (synaptic ops) of the run.
    public var synapticEvents: UInt64
    /// Spikes of chip neurons (host input spikes not counted).
    public var spikes: Int
    /// Peak resident set size of the process during this case, in bytes (nil off Linux).
    public var peakResidentBytes: Int?
    /// Bytes the loaded cores hold (neuron state, accumulators, synapse memory, axon tables).
    public var coreMemoryBytes: Int
    /// Energy of the run on the chip, in femtojoules.
    public var energyFemtojoules: Int64
    /// Digest of the run's steps-level trace (identical on any thread count).
    public var digest: String

    /// Neuron updates of the run: neurons × steps.
    public var neuronUpdates: Int { neurons * steps }
    /// Steps per wall second of the simulation loop.
    public var stepsPerSecond: Double { simulationSeconds > 0 ? Double(steps) / simulationSeconds : 0 }
    /// Synaptic events per wall second of the simulation loop.
    public var synapticEventsPerSecond: Double { simulationSeconds > 0 ? Double(synapticEvents) / simulationSeconds : 0 }
    /// Simulation time divided by synaptic events, in ns (all the loop's time, not only synapses).
    public var nanosecondsPerSynapticEvent: Double { synapticEvents == 0 ? 0 : simulationSeconds * 1e9 / Double(synapticEvents) }
    /// Simulation time divided by neuron updates, in ns.
    public var nanosecondsPerNeuronUpdate: Double { simulationSeconds * 1e9 / Double(neuronUpdates) }
    /// Core memory per synapse, in bytes.
    public var bytesPerSynapse: Double { synapses == 0 ? 0 : Double(coreMemoryBytes) / Double(synapses) }
    /// Mean firing rate in Hz, with one step = `stepMilliseconds`.
    public var meanRateHertz: Double { Double(spikes) / Double(neurons) / (Double(steps) * stepMilliseconds / 1000) }

    /// Writes `results` as a `neuroemu-bench/1` document, atomically: the build kind
    /// (`release`/`debug`), the processors available, and every case as `json`.
    public static func write(_ results: [BenchmarkResult], isReleaseBuild: Bool, processors: Int, to path: String) throws(OutputError) {
        let document = JSONValue.object([
            JSONMember(key: "format", value: .string("neuroemu-bench/1")),
            JSONMember(key: "build", value: .string(isReleaseBuild ? "release" : "debug")),
            JSONMember(key: "processors", value: .integer(Int64(processors))),
            JSONMember(key: "cases", value: .array(results.map(\.json))),
        ])
        try AtomicFile.write(JSONWriter.text(document) + "\n", to: path)
    }

    /// The case as a JSON object (keys as in docs/performance.md).
    public var json: JSONValue {
        func number(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }
        return .object([
            JSONMember(key: "case", value: .string(caseName)),
            JSONMember(key: "router", value: .string(router.rawValue)),
            JSONMember(key: "threads", value: .integer(Int64(threads))),
            JSONMember(key: "neurons", value: .integer(Int64(neurons))),
            JSONMember(key: "synapses", value: .integer(Int64(synapses))),
            JSONMember(key: "steps", value: .integer(Int64(steps))),
            JSONMember(key: "step_ms", value: .number(stepMilliseconds)),
            JSONMember(key: "cores", value: .integer(Int64(cores))),
            JSONMember(key: "mesh", value: .string(mesh)),
            JSONMember(key: "setup_seconds", value: number(setupSeconds)),
            JSONMember(key: "simulation_seconds", value: .number(simulationSeconds)),
            JSONMember(key: "steps_per_second", value: number(stepsPerSecond)),
            JSONMember(key: "synaptic_events", value: .integer(Int64(synapticEvents))),
            JSONMember(key: "synaptic_events_per_second", value: number(synapticEventsPerSecond)),
            JSONMember(key: "ns_per_synaptic_event", value: number(nanosecondsPerSynapticEvent)),
            JSONMember(key: "neuron_updates", value: .integer(Int64(neuronUpdates))),
            JSONMember(key: "ns_per_neuron_update", value: number(nanosecondsPerNeuronUpdate)),
            JSONMember(key: "peak_rss_bytes", value: peakResidentBytes.map { .integer(Int64($0)) } ?? .null),
            JSONMember(key: "core_memory_bytes", value: .integer(Int64(coreMemoryBytes))),
            JSONMember(key: "bytes_per_synapse", value: number(bytesPerSynapse)),
            JSONMember(key: "spikes", value: .integer(Int64(spikes))),
            JSONMember(key: "mean_rate_hz", value: number(meanRateHertz)),
            JSONMember(key: "energy_uj", value: number(Double(energyFemtojoules) / 1e9)),
            JSONMember(key: "digest", value: .string(digest)),
        ])
    }
}
