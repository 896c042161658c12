import Router
import Testing
@testable import Host

/// What `neuroemu bench` reports of one case, and its `--json` object (keys in docs/performance.md).
struct BenchmarkResultTests {
    /// The measures derive from the counts as documented.
    @Test func derivedMeasures() {
        let result = BenchmarkResult(
            caseName: "x", router: .ideal, threads: 1, neurons: 1_000, synapses: 50_000, steps: 2_000, stepMilliseconds: 0.5,
            cores: 4, mesh: "1x1 tiles x 4 cores", setupSeconds: 0.25, simulationSeconds: 2, synapticEvents: 4_000_000,
            spikes: 10_000, peakResidentBytes: nil, coreMemoryBytes: 400_000, energyFemtojoules: 3_000_000_000, digest: "d")
        #expect(result.neuronUpdates == 2_000_000)
        #expect(result.stepsPerSecond == 1_000)
        #expect(result.synapticEventsPerSecond == 2_000_000)
        #expect(result.nanosecondsPerSynapticEvent == 500)
        #expect(result.nanosecondsPerNeuronUpdate == 1_000)
        #expect(result.bytesPerSynapse == 8)
        #expect(result.meanRateHertz == 10)  // 10 spikes per neuron in 1 s of simulated time
    }

    /// A loop the clock could not see (0 s) gives rates of 0, not infinity: `--json` stays JSON.
    @Test func zeroSecondsGiveZeroRates() {
        let result = BenchmarkResult(
            caseName: "x", router: .ideal, threads: 1, neurons: 10, synapses: 0, steps: 1, stepMilliseconds: 1,
            cores: 1, mesh: "1x1 tiles x 1 cores", setupSeconds: 0, simulationSeconds: 0, synapticEvents: 3,
            spikes: 0, peakResidentBytes: nil, coreMemoryBytes: 0, energyFemtojoules: 0, digest: "d")
        #expect(result.stepsPerSecond == 0 && result.synapticEventsPerSecond == 0)
        #expect(result.nanosecondsPerSynapticEvent == 0 && result.nanosecondsPerNeuronUpdate == 0 && result.bytesPerSynapse == 0)
    }

    /// 1,000 neurons for 2,000 steps of 0.5 ms (1 s simulated) in 3 s of wall time, 10,000
    /// spikes, 4,000,000 synaptic events, 410,000 bytes for 50,000 synapses, 3,456,789,012 fJ.
    static let measured = BenchmarkResult(
        caseName: "cuba-4k", router: .flit, threads: 2, neurons: 1_000, synapses: 50_000, steps: 2_000, stepMilliseconds: 0.5,
        cores: 4, mesh: "2x2 tiles x 1 cores", setupSeconds: 0.12345, simulationSeconds: 3, synapticEvents: 4_000_000,
        spikes: 10_000, peakResidentBytes: 123_456_789, coreMemoryBytes: 410_000, energyFemtojoules: 3_456_789_012, digest: "08c214f63c6308c1")

    /// Every key, in the documented order, with values worked out by hand; derived measures are
    /// rounded to 3 decimals, the inputs step_ms and simulation_seconds are written as given.
    @Test func jsonHoldsEveryMeasureWithItsUnit() {
        #expect(Self.measured.json == .object([
            JSONMember(key: "case", value: .string("cuba-4k")),
            JSONMember(key: "router", value: .string("flit")),
            JSONMember(key: "threads", value: .integer(2)),
            JSONMember(key: "neurons", value: .integer(1_000)),
            JSONMember(key: "synapses", value: .integer(50_000)),
            JSONMember(key: "steps", value: .integer(2_000)),
            JSONMember(key: "step_ms", value: .number(0.5)),
            JSONMember(key: "cores", value: .integer(4)),
            JSONMember(key: "mesh", value: .string("2x2 tiles x 1 cores")),
            JSONMember(key: "setup_seconds", value: .number(0.123)),  // 0.12345 to 3 decimals
            JSONMember(key: "simulation_seconds", value: .number(3)),
            JSONMember(key: "steps_per_second", value: .number(666.667)),  // 2,000 / 3
            JSONMember(key: "synaptic_events", value: .integer(4_000_000)),
            JSONMember(key: "synaptic_events_per_second", value: .number(1_333_333.333)),  // 4,000,000 / 3
            JSONMember(key: "ns_per_synaptic_event", value: .number(750)),  // 3e9 ns / 4,000,000
            JSONMember(key: "neuron_updates", value: .integer(2_000_000)),  // 1,000 × 2,000
            JSONMember(key: "ns_per_neuron_update", value: .number(1_500)),  // 3e9 ns / 2,000,000
            JSONMember(key: "peak_rss_bytes", value: .integer(123_456_789)),
            JSONMember(key: "core_memory_bytes", value: .integer(410_000)),
            JSONMember(key: "bytes_per_synapse", value: .number(8.2)),  // 410,000 / 50,000
            JSONMember(key: "spikes", value: .integer(10_000)),
            JSONMember(key: "mean_rate_hz", value: .number(10)),  // 10,000 spikes / 1,000 neurons / 1 s
            JSONMember(key: "energy_uj", value: .number(3.457)),  // 1 µJ = 1e9 fJ: 3.456789012 µJ
            JSONMember(key: "digest", value: .string("08c214f63c6308c1")),
        ]))
    }

    /// Without a peak RSS (off Linux) the key is null, not left out; no synapses and no events
    /// give 0 bytes per synapse and 0 ns per event rather than a division by zero.
    @Test func missingMeasuresAreNullOrZero() throws {
        var result = Self.measured
        result.peakResidentBytes = nil
        result.synapses = 0
        result.synapticEvents = 0
        guard case let .object(members) = result.json else {
            Issue.record("the case is not a JSON object")
            return
        }
        func value(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }
        #expect(members.count == 24)
        #expect(value("peak_rss_bytes") == .null)
        #expect(value("bytes_per_synapse") == .number(0))
        #expect(value("ns_per_synaptic_event") == .number(0))
        #expect(value("synaptic_events_per_second") == .number(0))
    }
}
