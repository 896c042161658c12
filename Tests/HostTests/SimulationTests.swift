import Chip
import Foundation
import Router
import Testing
@testable import Host

/// A mid-sized network that exercises every trace record: Poisson and spike-time inputs, a
/// population split over two cores, recurrent and mixed-sign projections, delays, and probes.
private let mixedNetworkText = """
    { "format": "neuroemu-network/1", "name": "mixed", "steps": 30, "seed": 3,
      "inputs": [{ "name": "noise", "size": 24, "poisson": { "probability": 0.3 } },
                 { "name": "cue", "size": 2, "spike_times": [[1, 2, 3, 10], [5, 6]] }],
      "populations": [
        { "name": "E", "size": 80, "neuron": { "model": "loihi_lif", "du": 1024, "dv": 256, "vth": 6 } },
        { "name": "I", "size": 20, "neuron": { "model": "loihi_lif", "du": 1024, "dv": 256, "vth": 5 } }
      ],
      "projections": [
        { "name": "noise_E", "source": "noise", "target": "E", "random": { "p": 0.3, "weight_range": [20, 60] } },
        { "name": "cue_I", "source": "cue", "target": "I", "all_to_all": { "weight": 100 } },
        { "name": "E_E", "source": "E", "target": "E", "delay": 2, "random": { "p": 0.05, "weight_range": [-10, 30] } },
        { "name": "E_I", "source": "E", "target": "I", "random": { "p": 0.2, "weight": 20 } },
        { "name": "I_E", "source": "I", "target": "E", "weight_exp": -1, "random": { "p": 0.3, "weight": -60 } }
      ],
      "probes": [{ "target": "E", "record": ["v"], "indices": [0, 63, 64, 79] },
                 { "target": "E", "record": ["u"], "indices": [1, 63] },
                 { "target": "I", "record": ["spikes"] }] }
    """

private func mixedNetwork(seed: UInt64? = nil) throws -> NetworkDescription {
    try NetworkFile.parse(mixedNetworkText, file: "mixed.json", seed: seed)
}

private func tiny() throws -> ChipDescription { try ChipPresets.resolve("tiny") }

/// A network with more neurons (2,500) than `ChipEngine.parallelWorkThreshold`, on `loihi`: on
/// two threads `Simulation` runs its steps as one batch (`ChipEngine.runPulledSteps`).
private func batchedNetwork(steps: Int = 12) throws -> (network: NetworkDescription, chip: ChipDescription) {
    (try BenchmarkCase.cuba(neurons: 2_500, steps: steps).networkDescription(), try ChipPresets.resolve("loihi"))
}

/// `key=value` fields of a trace line.
private func fields(_ line: Substring) -> [String: Int] {
    var result: [String: Int] = [:]
    for part in line.split(separator: " ") {
        let pair = part.split(separator: "=", maxSplits: 1)
        if pair.count == 2, let value = Int(pair[1]) { result[String(pair[0])] = value }
    }
    return result
}

/// Checks the rules of DESIGN §8 on a whole trace; returns a list of violations.
private func violations(of text: String, network: NetworkDescription, chip: ChipDescription, level: TraceLevel) -> [String] {
    var problems: [String] = []
    func fail(_ message: String) { problems.append(message) }
    guard text.hasSuffix("\n") else { return ["the trace does not end with a newline"] }
    let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
    guard let endLine = lines.last, endLine.hasPrefix("end ") else { return ["no end line"] }
    if lines.first != "neuroemu-trace/1 network=\(network.name) chip=\(chip.name) seed=\(network.seed) level=\(level.rawValue) router=\(chip.routerFidelity.rawValue) placement=optimized" && lines.first != "neuroemu-trace/1 network=\(network.name) chip=\(chip.name) seed=\(network.seed) level=\(level.rawValue) router=\(chip.routerFidelity.rawValue) placement=inorder" {
        fail("header: \(lines.first ?? "")")
    }
    // Digest: FNV-1a of every byte before the end line.
    let endOffset = text.utf8.count - endLine.utf8.count - 1
    let end = fields(endLine)
    if !endLine.hasSuffix("digest=\(referenceFNV1a(text.utf8.prefix(endOffset)))") { fail("digest of \(endLine)") }

    let groupNames = network.inputs.map(\.name) + network.populations.map(\.name)
    let statePopulations = network.populations.indices.filter { p in network.probes.contains { $0.population == p && $0.recordsState } }
    let stateIndices = statePopulations.map { p in Set(network.probes.filter { $0.population == p && $0.recordsState }.flatMap(\.indices)).sorted() }
    let timing = chip.networkTiming
    var step = 1
    var kindRank = 0  // 0 spike, 1 packet, 2 state
    var lastSpike: (Int, Int)? = nil
    var lastPacket: (Int, Int, Int)? = nil
    var states: [String] = []
    var spikeCount = 0
    var packetCount = 0
    var totalSpikes = 0
    var totalEnergy = 0
    for line in lines.dropFirst().dropLast() {
        let parts = line.split(separator: " ")
        guard parts.count >= 2, Int(parts[1]) == step else { fail("line out of step \(step): \(line)"); continue }
        switch parts[0] {
        case "spike":
            if level == .steps { fail("spike line at level steps") }
            if kindRank > 0 { fail("spike after packet or state: \(line)") }
            guard parts.count == 4, let group = groupNames.firstIndex(of: String(parts[2])), let index = Int(parts[3]) else { fail("spike line: \(line)"); continue }
            if let last = lastSpike, !(last < (group, index)) { fail("spike order: \(line)") }
            lastSpike = (group, index)
            spikeCount += 1
        case "packet":
            if level != .packets { fail("packet line below level packets") }
            if kindRank > 1 { fail("packet after state: \(line)") }
            kindRank = 1
            let f = fields(line)
            guard parts.count == 7, let source = Int(parts[2]), let destination = Int(parts[3]),
                  let inject = f["inject"], let arrive = f["arrive"], let hops = f["hops"] else { fail("packet line: \(line)"); continue }
            let key = (inject, source, destination)
            if let last = lastPacket, last > key { fail("packet order: \(line)") }
            lastPacket = key
            let (eastWest, northSouth) = chip.mesh.hops(from: source, to: destination)
            if hops != eastWest + northSouth { fail("hops of \(line)") }
            let expected = Int(timing.localCycles) + eastWest * Int(timing.eastWestHopCycles) + northSouth * Int(timing.northSouthHopCycles) + timing.flitsPerPacket - 1
            if arrive - inject != expected { fail("latency of \(line): expected \(expected)") }
            if destination >= chip.mesh.coreCount { fail("packet to the host: \(line)") }
            packetCount += 1
        case "state":
            kindRank = 2
            guard parts.count == 6, parts[4].hasPrefix("u="), parts[5].hasPrefix("v=") else { fail("state line: \(line)"); continue }
            states.append("\(parts[2]) \(parts[3])")
        case "step":
            let f = fields(line)
            if f["spikes"] != (level == .steps ? f["spikes"] : spikeCount) { fail("spike count of \(line)") }
            if level == .packets && f["packets"] != packetCount { fail("packet count of \(line)") }
            let expectedStates = zip(statePopulations, stateIndices).flatMap { p, indices in indices.map { "\(network.populations[p].name) \($0)" } }
            if states != expectedStates { fail("state lines of step \(step): \(states)") }
            for key in ["cycles", "spikes", "packets", "synops", "energy_fj"] where f[key] == nil { fail("\(key) missing: \(line)") }
            totalSpikes += f["spikes"] ?? 0
            totalEnergy += f["energy_fj"] ?? 0
            step += 1
            (kindRank, lastSpike, lastPacket, states, spikeCount, packetCount) = (0, nil, nil, [], 0, 0)
        default:
            fail("unknown record: \(line)")
        }
    }
    if end["steps"] != step - 1 { fail("end steps: \(endLine)") }
    if end["spikes"] != totalSpikes { fail("end spikes \(end["spikes"] ?? -1) ≠ Σ step spikes \(totalSpikes)") }
    if end["energy_fj"] != totalEnergy { fail("end energy \(end["energy_fj"] ?? -1) ≠ Σ step energies \(totalEnergy)") }
    return problems
}

@Suite struct SimulationTests {
    // MARK: Golden trace

    /// The trace of `GoldenNetwork`, worked out by hand from DESIGN §2, §3 and §8 and the golden
    /// chip's prices (tiny: synaptic op 1 cycle/10 pJ, active update 2/20, inactive 1/5, spike out
    /// 1/2, packet 2/5, east–west hop 2/3, north–south hop 3/4, 2 flits per packet, barrier
    /// 10 + (16 − 10)·(tiles − 1)/3 cycles and 50 pJ, static 10 pJ per cycle).
    ///
    /// Neurons (du 4095, dv 0): u = 64·input, v += u; spike iff v > 64·vth. An input spike at step
    /// t reaches A at t + 1 (delay 1). Mapping: A0, A1 on core 0, A2 on core 1, B on core 2;
    /// host port = endpoint 8 on tile (0, 1).
    /// - Host → core 0/1: one north–south hop, latency 2 + 3 + 1 = 6.
    /// - Core 0/1 → core 2: one east–west hop, latency 2 + 2 + 1 = 5; inject = the cycle the
    ///   spiking neuron's update ends (active 2, inactive 1 cycle, in index order) + 1 (spike out).
    /// - Synapse units process 1 synapse per packet, 1 cycle each, serially per core.
    /// - Step cycles = max(last neuron update, last synapse op) + barrier (2 tiles: 12 cycles).
    ///
    /// step 1: no neuron input (4 inactive updates, 2 on core 0). in0 → cores 0 and 1, arriving at
    ///   6, done at 7. cycles 7 + 12 = 19. energy: 2 synops 20,000 + 4 inactive 20,000 + 2 packets
    ///   10,000 + 4 NS flit-hops 16,000 + barrier 50,000 + static 190,000 = 306,000 fJ.
    /// step 2: A0 gets 3 → u 192, v 192 > 128: spike (update ends at cycle 2, inject 3, arrive 8).
    ///   A2 gets 2 → u 128, v 128 ≤ 192. in1 → cores 0, 1 (arrive 6). Synapse ops end at 7, 7 and
    ///   9 (core 2). cycles 9 + 12 = 21. energy: 3 synops 30,000 + 2 active 40,000 + 2 inactive
    ///   10,000 + 1 spike 2,000 + 3 packets 15,000 + 2 EW 6,000 + 4 NS 16,000 + 50,000 + 210,000
    ///   = 379,000.
    /// step 3: A0 u 0 v 0 (active, old u ≠ 0); A1 gets 3 → spike at cycle 4 (inject 5, arrive 10);
    ///   A2 gets 2 → v 256 > 192: spike at cycle 2 of core 1 (inject 3, arrive 8); B gets 1 →
    ///   u 64, v 64, not > 64. in0 → cores 0, 1. Core 2 synapse unit: 8→9, then 10→11.
    ///   cycles 11 + 12 = 23. energy: 4 synops 40,000 + 4 active 80,000 + 2 spikes 4,000 +
    ///   4 packets 20,000 + 4 EW 12,000 + 4 NS 16,000 + 50,000 + 230,000 = 452,000.
    /// step 4: A0 gets 3 → spike at cycle 2 (inject 3, arrive 8); A1 u 0 v 0; A2 gets 2 → v 128;
    ///   B gets 2 → u 128, v 192 > 64: spike (B projects nowhere: no packet). cycles 9 + 12 = 21.
    ///   energy: 10,000 + 4 active 80,000 + 2 spikes 4,000 + 5,000 + 2 EW 6,000 + 50,000 +
    ///   210,000 = 365,000.
    /// step 5: A0 u 0 v 0; A1 inactive; A2 u 0 v 128; B gets 1 → u 64, v 64. No spikes, no
    ///   packets. Neuron phase: core 0 takes 2 + 1 = 3 cycles. cycles 3 + 12 = 15. energy: 3 active
    ///   60,000 + 1 inactive 5,000 + 50,000 + 150,000 = 265,000.
    /// end: 5 neuron spikes + 3 input spikes = 8; energy 1,767,000.
    static let goldenBody = """
        neuroemu-trace/1 network=golden chip=tiny seed=1 level=packets router=ideal placement=inorder
        spike 1 in 0
        packet 1 8 0 inject=0 arrive=6 hops=1
        packet 1 8 1 inject=0 arrive=6 hops=1
        state 1 A 0 u=0 v=0
        state 1 A 1 u=0 v=0
        state 1 A 2 u=0 v=0
        step 1 cycles=19 spikes=1 packets=2 synops=2 energy_fj=306000
        spike 2 in 1
        spike 2 A 0
        packet 2 8 0 inject=0 arrive=6 hops=1
        packet 2 8 1 inject=0 arrive=6 hops=1
        packet 2 0 2 inject=3 arrive=8 hops=1
        state 2 A 0 u=192 v=0
        state 2 A 1 u=0 v=0
        state 2 A 2 u=128 v=128
        step 2 cycles=21 spikes=2 packets=3 synops=3 energy_fj=379000
        spike 3 in 0
        spike 3 A 1
        spike 3 A 2
        packet 3 8 0 inject=0 arrive=6 hops=1
        packet 3 8 1 inject=0 arrive=6 hops=1
        packet 3 1 2 inject=3 arrive=8 hops=1
        packet 3 0 2 inject=5 arrive=10 hops=1
        state 3 A 0 u=0 v=0
        state 3 A 1 u=192 v=0
        state 3 A 2 u=128 v=0
        step 3 cycles=23 spikes=3 packets=4 synops=4 energy_fj=452000
        spike 4 A 0
        spike 4 B 0
        packet 4 0 2 inject=3 arrive=8 hops=1
        state 4 A 0 u=192 v=0
        state 4 A 1 u=0 v=0
        state 4 A 2 u=128 v=128
        step 4 cycles=21 spikes=2 packets=1 synops=1 energy_fj=365000
        state 5 A 0 u=0 v=0
        state 5 A 1 u=0 v=0
        state 5 A 2 u=0 v=128
        step 5 cycles=15 spikes=0 packets=0 synops=0 energy_fj=265000

        """

    /// Networks of recurrent `loihi_lif` populations under spike inputs run spike for spike and
    /// u and v for u and v as in Lava's bit-accurate models (`Tests/HostTests/Lava`):
    /// `lava_network`, Dense projections of every sign mode, weight exponents −1, 0 and
    /// 2 and 6, 7 and 8 weight bits (Lava's Dense is `delay: 1`); `lava_delay_network`, Lava's
    /// DelayDense, Sparse and DelaySparse with delays 1…6; `lava_delay_negexp`, the same with
    /// negative weight exponents on projections of several delays (each step's sum per delay
    /// shifted on its own); `lava_conv_network`, Lava's fixed-point Conv (a convolution with
    /// (X, Y, C) shapes: flipped kernels, transposed numbering) as three `conv2d` projections. (Networks this small run on one worker whatever the thread count;
    /// the engine's tests hold the same arithmetic on several, `ChipEngineTests`.)
    @Test(arguments: ["lava_network", "lava_delay_network", "lava_delay_negexp", "lava_conv_network"])
    func networkFollowsLavasBitAccurateRun(name: String) throws {
        struct Record: Decodable {
            let spikeTimes: [[Int]]
            let u: [[Int32]]
            let v: [[Int32]]
        }
        struct Fixture: Decodable {
            let steps: Int
            let lava: [String: Record]
        }
        let folder = repositoryRoot.appendingPathComponent("Tests/HostTests/Lava")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let fixture = try decoder.decode(Fixture.self, from: Data(contentsOf: folder.appendingPathComponent("\(name)_fixture.json")))
        let network = try NetworkFile.load(path: folder.appendingPathComponent("\(name).network.json").path)
        #expect(network.steps == fixture.steps)
        let (text, _) = try traceOfRun(network, on: try ChipPresets.resolve("loihi"), level: .spikes)
        var spikes: [String: Set<[Int]>] = [:]
        var states: [String: [Int32]] = [:]  // "population neuron step" → [u, v]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            if fields[0] == "spike" {
                spikes[fields[2], default: []].insert([Int(fields[3])!, Int(fields[1])!])
            } else if fields[0] == "state" {
                let (neuron, step) = (Int(fields[3])!, Int(fields[1])!)
                let key = "\(fields[2]) \(neuron) \(step)"
                states[key] = [Int32(fields[4].dropFirst(2))!, Int32(fields[5].dropFirst(2))!]
            }
        }
        #expect(Set(fixture.lava.keys) == Set(network.populations.map(\.name)) && fixture.lava.count >= 2)
        for (population, record) in fixture.lava.sorted(by: { $0.key < $1.key }) {
            let lavaSpikes = Set(record.spikeTimes.enumerated().flatMap { neuron, times in times.map { [neuron, $0] } })
            #expect(lavaSpikes.count > 100, "\(population) fires")
            #expect(spikes[population] == lavaSpikes, "spikes of \(population)")
            for neuron in record.u.indices {
                for step in 1...fixture.steps {
                    let state = states["\(population) \(neuron) \(step)"]
                    guard state == [record.u[neuron][step - 1], record.v[neuron][step - 1]] else {
                        Issue.record("\(population)[\(neuron)] at step \(step): Lava u=\(record.u[neuron][step - 1]) v=\(record.v[neuron][step - 1]), NeuroEmu \(String(describing: state))")
                        return
                    }
                }
            }
        }
    }

    @Test func goldenTraceMatchesTheHandWorkedTrace() throws {
        let network = try GoldenNetwork.network()
        let chip = try GoldenNetwork.chip()
        let (text, result) = try traceOfRun(network, on: chip, level: .packets, placement: .inOrder)
        let digest = referenceFNV1a(Self.goldenBody.utf8)
        let expected = Self.goldenBody + "end steps=5 spikes=8 energy_fj=1767000 digest=\(digest)\n"
        let actualLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, (actual, wanted)) in zip(actualLines, expectedLines).enumerated() where actual != wanted {
            Issue.record("line \(index + 1): got \"\(actual)\", expected \"\(wanted)\"")
            break
        }
        #expect(actualLines.count == expectedLines.count)
        #expect(result.digest == digest)
        #expect(result.populationSpikes == [4, 1])
        #expect(result.inputSpikes == [3])
        #expect(result.energyFemtojoules == 1_767_000)
        #expect(result.staticEnergyFemtojoules == 990_000)
        #expect(result.totalCycles == 99)
        #expect(result.maximumStepCycles == 23)
        #expect(result.totals[.synapticOp] == 10)
        #expect(result.totals[.packet] == 10)
        #expect(result.totals[.neuronUpdateActive] == 13)
        #expect(result.totals[.neuronUpdateInactive] == 7)
        #expect(result.totals[.spikeOut] == 5)
        #expect(result.totals[.eastWestFlitHop] == 8)
        #expect(result.totals[.northSouthFlitHop] == 12)
        #expect(result.totals[.barrier] == 5)
        #expect(violations(of: text, network: network, chip: chip, level: .packets) == [])
    }

    /// A library caller's impossible request is an error it can catch, thrown before anything
    /// runs: the trace's temporary file is removed and the simulation can still run.
    @Test func impossibleRequestsThrowBeforeRunning() throws {
        var simulation = try Simulation(network: GoldenNetwork.network(), chip: GoldenNetwork.chip())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-request-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("run.trace").path
        let populations = simulation.network.populations.count
        let cases: [(steps: Int, readouts: [Readout], message: String)] = [
            (0, [], "a run has at least one step; got 0"),
            (5, [Readout(population: populations, mode: .counts)],
             "a readout of population \(populations); network `\(simulation.network.name)` has \(populations) (0…\(populations - 1))"),
        ]
        for (steps, readouts, message) in cases {
            var trace = try TraceWriter(level: .spikes, path: path)
            #expect(throws: RunError.invalidRequest(message)) { try simulation.run(steps: steps, threads: 1, trace: &trace, readouts: readouts) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
        var trace = try TraceWriter(level: .steps, path: nil)
        #expect(try simulation.run(steps: 5, threads: 1, trace: &trace).steps == 5)
    }

    /// The parts of the setup are announced in order (the CLI shows them on a terminal); a
    /// partition given in advance is not announced.
    @Test func setupAnnouncesItsPhasesInOrder() throws {
        var phases: [String] = []
        let simulation = try Simulation(network: GoldenNetwork.network(), chip: GoldenNetwork.chip(), phases: { phases.append($0) })
        #expect(phases == ["partitioning", "loading cores", "placing cores"])
        phases = []
        _ = try Simulation(network: GoldenNetwork.network(), chip: GoldenNetwork.chip(), partition: simulation.mapping, phases: { phases.append($0) })
        #expect(phases == ["loading cores", "placing cores"])
    }

    @Test func goldenMappingIsTheOneTheTraceAssumes() throws {
        let simulation = try Simulation(network: GoldenNetwork.network(), chip: GoldenNetwork.chip(), placement: .inOrder)
        #expect(simulation.mapping.coreEndpoints == [0, 1, 2])
        #expect(simulation.mapping.slices == [
            Slice(population: 0, start: 0, count: 2, core: 0),
            Slice(population: 0, start: 2, count: 1, core: 1),
            Slice(population: 1, start: 0, count: 1, core: 2),
        ])
        #expect(simulation.chip.mesh.hostEndpoint == 8)
        #expect(simulation.chip.mesh.coordinate(ofEndpoint: 8) == TileCoordinate(x: 0, y: 1))
        #expect(simulation.engine.tilesUsed == 2)
        #expect(simulation.chip.barrier.cycles(tiles: 2) == 12)
    }

    // MARK: Trace format and invariants

    @Test(arguments: TraceLevel.allCases)
    func traceFollowsTheFormatRules(level: TraceLevel) throws {
        let network = try mixedNetwork()
        let chip = try tiny()
        let (text, result) = try traceOfRun(network, on: chip, level: level)
        #expect(violations(of: text, network: network, chip: chip, level: level) == [])
        #expect(result.steps == 30)
        #expect(text.hasSuffix("digest=\(result.digest)\n"))
        // The run is big enough to exercise the rules.
        #expect(result.neuronSpikes > 20)
        #expect(result.totals[.packet] > 20)
    }

    @Test func mixedNetworkSpansSeveralCores() throws {
        // E splits after 64 neurons; I (20) packs beside E's last 16 on the second core, which
        // was [64, 16, 20] on three cores before populations shared cores.
        let simulation = try Simulation(network: mixedNetwork(), chip: tiny())
        #expect(simulation.mapping.coreNeuronCounts == [64, 36])
        #expect(simulation.mapping.slices.map(\.coreOffset) == [0, 0, 16])
        #expect(Set(simulation.mapping.coreEndpoints).count == 2)
        #expect(simulation.mapping.coreEndpoints.allSatisfy { (0..<8).contains($0) })
    }

    /// A partition done beforehand (as `neuroemu bench` does to size a mesh) gives the same
    /// mapping and run as partitioning here; a mesh too small for it is refused.
    @Test func partitionDoneBeforehandGivesTheSameRun() throws {
        let network = try mixedNetwork()
        let chip = try tiny()
        var large = chip
        large.mesh = Mesh(width: 8, height: 8, coresPerTile: chip.mesh.coresPerTile, hostTile: TileCoordinate(x: 0, y: 0))
        let partition = try Partitioner.partition(network, on: large)
        var given = try Simulation(network: network, chip: chip, partition: partition)
        var own = try Simulation(network: network, chip: chip)
        #expect(given.mapping == own.mapping)
        var givenTrace = try TraceWriter(level: .spikes, path: nil)
        var ownTrace = try TraceWriter(level: .spikes, path: nil)
        let givenRun = try given.run(steps: 20, threads: 1, trace: &givenTrace)
        let ownRun = try own.run(steps: 20, threads: 1, trace: &ownTrace)
        #expect(givenRun.digest == ownRun.digest)
        #expect(givenRun.neuronSpikes > 0)

        var small = chip
        small.mesh = Mesh(width: 1, height: 1, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        #expect(throws: MappingError.outOfCores(population: "I", neuron: 19, chip: chip.name, cores: 1)) {
            try Simulation(network: network, chip: small, partition: partition)
        }
    }

    @Test func placementChangesTimeAndEnergyButNeverSpikesOrState() throws {
        // DESIGN §2: NoC latency changes time and energy, never which spikes happen.
        let network = try GoldenNetwork.network()
        let chip = try GoldenNetwork.chip()
        let inOrder = try traceOfRun(network, on: chip, level: .packets, placement: .inOrder)
        let placed = try traceOfRun(network, on: chip, level: .packets, placement: .optimized)
        func neuronRecords(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { $0.hasPrefix("spike ") || $0.hasPrefix("state ") }
        }
        #expect(neuronRecords(placed.text) == neuronRecords(inOrder.text))
        #expect(placed.result.populationSpikes == inOrder.result.populationSpikes)
        #expect(placed.result.totals[.synapticOp] == inOrder.result.totals[.synapticOp])
        #expect(placed.result.totals[.packet] == inOrder.result.totals[.packet])
        #expect(violations(of: placed.text, network: network, chip: chip, level: .packets) == [])
        // The placer moves the cores next to the host port: fewer flit-hops than in order.
        let simulation = try Simulation(network: network, chip: chip)
        #expect(simulation.placementCost.inOrder == 7)
        #expect(simulation.placementCost.placed < simulation.placementCost.inOrder)
        #expect(placed.result.totals[.eastWestFlitHop] + placed.result.totals[.northSouthFlitHop]
            < inOrder.result.totals[.eastWestFlitHop] + inOrder.result.totals[.northSouthFlitHop])
    }

    /// On two threads the golden network's chip pipelines its steps (`ChipEngine.stepPipelined`):
    /// each step's lines are written two steps later, while the chip runs, and the last two
    /// around `finishPipeline`. Every run length, from one step (nothing lags) on, gives the
    /// trace and the result of one thread, with spikes and probed state.
    @Test(arguments: [1, 2, 3, 5])
    func pipelinedStepsWriteTheTraceOfOneThread(steps: Int) throws {
        let network = try GoldenNetwork.network()
        let chip = try GoldenNetwork.chip()
        let one = try traceOfRun(network, on: chip, level: .spikes, threads: 1, steps: steps, placement: .inOrder)
        let two = try traceOfRun(network, on: chip, level: .spikes, threads: 2, steps: steps, placement: .inOrder)
        #expect(one.text == two.text)
        #expect(one.text.components(separatedBy: "\n").filter { $0.hasPrefix("step ") }.count == steps)
        #expect(one.text.contains("state \(steps) A "))
        #expect(one.result.digest == two.result.digest && one.result.maximumStepCycles == two.result.maximumStepCycles)
        #expect(one.result.totals == two.result.totals)
    }

    @Test func sameDigestForOneAndTwoThreadsAndAcrossRuns() throws {
        let network = try mixedNetwork()
        let chip = try tiny()
        let one = try traceOfRun(network, on: chip, level: .packets, threads: 1)
        let two = try traceOfRun(network, on: chip, level: .packets, threads: 2)
        let again = try traceOfRun(network, on: chip, level: .packets, threads: 2)
        #expect(one.text == two.text)
        #expect(two.text == again.text)
        #expect(one.result.digest == two.result.digest)
        #expect(one.result.energyFemtojoules == two.result.energyFemtojoules)
        #expect(one.result.totals == again.result.totals)
    }

    /// On the flit router, runs on several threads time the networks of several steps at once
    /// (`ChipEngine.timesNetworksInBatches`); the trace — spikes, packets with their arrival
    /// cycles, probed state, step lines — and every total and network counter stay the same.
    @Test func flitRouterRunsInBatchesWithTheSameTraceAndCounters() throws {
        let network = try mixedNetwork()
        var chip = try tiny()
        chip.routerFidelity = .flit
        func run(threads: Int) throws -> (text: String, result: RunResult, counters: NetworkCounters) {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-batch-\(UUID().uuidString).trace").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            var simulation = try Simulation(network: network, chip: chip)
            #expect(simulation.engine.timesNetworksInBatches)
            var trace = try TraceWriter(level: .packets, path: path)
            let result = try simulation.run(steps: network.steps, threads: threads, trace: &trace)
            return (try String(contentsOfFile: path, encoding: .utf8), result, simulation.engine.networkCounters)
        }
        let one = try run(threads: 1)
        for threads in [2, 3] {
            let many = try run(threads: threads)
            #expect(many.text == one.text)
            #expect(many.result.digest == one.result.digest && many.result.totals == one.result.totals)
            #expect(many.result.energyFemtojoules == one.result.energyFemtojoules && many.result.totalCycles == one.result.totalCycles)
            #expect(many.counters == one.counters)
        }
        #expect(one.text.contains("\nstate ") && one.text.contains("\npacket ") && one.text.contains("\nspike "))
        #expect(one.counters.routerMaxSourceQueueFlits.reduce(0, max) > 2)  // packets queued, so timing mattered
    }

    #if os(Linux)
    /// A trace write that fails mid-run, on each of the ways a run goes through its steps: the
    /// error names the file, nothing is left on disk, and the simulation stays as a run of the
    /// steps it advanced leaves it — every step completed, the network models back — so that a
    /// following run gives what it gives after a clean run of as many steps. The trace file's
    /// descriptor is pointed at /dev/full, so its first flush (at a megabyte) fails with ENOSPC.
    @Test(arguments: [
        ("flit batches timed in the background", RouterFidelity.flit, TraceLevel.packets, 1_024, 300, 2),
        ("pipelined steps", .ideal, .spikes, 1_024, 1_200, 2),
        ("a pulled batch", .ideal, .spikes, 2_048, 600, 2),
        ("step by step", .ideal, .spikes, 1_024, 1_200, 1),
    ])
    func traceWriteFailingMidRunLosesNothing(name: String, router: RouterFidelity, level: TraceLevel, neurons: Int, steps: Int, threads: Int) throws {
        let network = try BenchmarkCase.random(neurons: neurons, inputs: 100, steps: steps).networkDescription()
        var chip = try ChipPresets.resolve("loihi")
        chip.routerFidelity = router
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.trace"
        var simulation = try Simulation(network: network, chip: chip)
        var trace = try TraceWriter(level: level, path: path)
        try redirectToFullDevice(path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            _ = try simulation.run(steps: steps, threads: threads, trace: &trace)
            Issue.record("\(name): a trace on a full device must fail")
        } catch {
            switch error {
            case let .output(.cannotWrite(file, reason)):
                #expect(file == path)
                #expect(reason.localizedCaseInsensitiveContains("space"), "\(name): \(reason)")
            case .energyOverflow, .invalidRequest:
                Issue.record("\(name): \(error)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty, "\(name): neither the trace nor its temporary")
        let advanced = simulation.engine.completedSteps
        #expect(advanced == simulation.engine.timestep && advanced > 0 && advanced <= steps, "\(name): \(advanced) steps")

        func digestWithoutFile(_ simulation: inout Simulation, steps: Int) throws -> String {
            var trace = try TraceWriter(level: .spikes, path: nil)
            return try simulation.run(steps: steps, threads: threads, trace: &trace).digest
        }
        var clean = try Simulation(network: network, chip: chip)
        _ = try digestWithoutFile(&clean, steps: advanced)
        #expect(try digestWithoutFile(&simulation, steps: 10) == digestWithoutFile(&clean, steps: 10), "\(name)")
        #expect(simulation.engine.totals == clean.engine.totals, "\(name)")
    }

    /// Points the open descriptor of `file` (found in /proc/self/fd) at /dev/full: writes then
    /// fail with ENOSPC. `dup2` replaces the descriptor in one call, so its number is never free
    /// for a file another test opens meanwhile.
    private func redirectToFullDevice(_ file: String) throws {
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap(Int32.init)
        let descriptor = try #require(descriptors.first { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == file })
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0)
        defer { close(full) }
        try #require(dup2(full, descriptor) == descriptor)
    }
    #endif

    @Test func digestWithoutAFileEqualsTheFilesDigest() throws {
        let network = try mixedNetwork()
        let (text, result) = try traceOfRun(network, on: tiny(), level: .spikes)
        var simulation = try Simulation(network: network, chip: tiny())
        var trace = try TraceWriter(level: .spikes, path: nil)
        let withoutFile = try simulation.run(steps: 30, threads: 1, trace: &trace)
        #expect(withoutFile.digest == result.digest)
        let body = text.utf8.prefix(text.utf8.count - (text.split(separator: "\n").last!.utf8.count + 1))
        #expect(referenceFNV1a(body) == withoutFile.digest)
    }

    @Test func levelsNest() throws {
        let network = try mixedNetwork()
        let chip = try tiny()
        func body(_ level: TraceLevel) throws -> (lines: [Substring], end: Substring) {
            let lines = try traceOfRun(network, on: chip, level: level).text.split(separator: "\n")
            return (Array(lines.dropFirst().dropLast()), lines.last!)
        }
        let steps = try body(.steps)
        let spikes = try body(.spikes)
        let packets = try body(.packets)
        // A lower level is exactly the higher level without the records it leaves out.
        #expect(spikes.lines == packets.lines.filter { !$0.hasPrefix("packet ") })
        #expect(steps.lines == spikes.lines.filter { !$0.hasPrefix("spike ") })
        #expect(steps.lines.contains { $0.hasPrefix("state ") })
        #expect(packets.lines.count > spikes.lines.count && spikes.lines.count > steps.lines.count)
        // Totals do not depend on the level; only the digest does.
        func totals(_ end: Substring) -> Substring { end[..<end.range(of: " digest=")!.lowerBound] }
        #expect(totals(steps.end) == totals(spikes.end) && totals(spikes.end) == totals(packets.end))
        #expect(steps.end != spikes.end && spikes.end != packets.end)
    }

    @Test func endEnergyIsTheSumOfStepEnergiesAndTheResultsTotal() throws {
        let (text, result) = try traceOfRun(mixedNetwork(), on: tiny(), level: .steps)
        let lines = text.split(separator: "\n")
        let stepEnergies = lines.filter { $0.hasPrefix("step ") }.map { fields($0)["energy_fj"]! }
        let stepCycles = lines.filter { $0.hasPrefix("step ") }.map { fields($0)["cycles"]! }
        #expect(stepEnergies.count == 30)
        #expect(Int64(stepEnergies.reduce(0, +)) == result.energyFemtojoules)
        #expect(fields(lines.last!)["energy_fj"] == stepEnergies.reduce(0, +))
        #expect(UInt64(stepCycles.reduce(0, +)) == result.totalCycles)
        #expect(UInt32(stepCycles.max()!) == result.maximumStepCycles)
        // Dynamic + static; static is 10 pJ per cycle on tiny.
        #expect(result.staticEnergyFemtojoules == Int64(result.totalCycles) * 10_000)
        #expect(result.energyFemtojoules - result.staticEnergyFemtojoules == result.totals.dynamicEnergyFemtojoules(try tiny().costs))
    }

    /// Every readout of every population, on one to three threads (two and more pipeline the
    /// steps, where the cores' threads sum the voltages): the same values, and mean voltages
    /// equal to v read from the engine after every step.
    @Test(arguments: [false, true])
    func readoutsAreTheSameOnEveryThreadCountAndMatchTheStepsVoltages(batched: Bool) throws {
        let (network, chip) = batched ? try batchedNetwork() : (try mixedNetwork(), try tiny())
        let readouts = network.populations.indices.flatMap { population in Readout.Mode.allCases.map { Readout(population: population, mode: $0) } }
        func readoutValues(threads: Int) throws -> [[Int64]] {
            var simulation = try Simulation(network: network, chip: chip)
            var trace = try TraceWriter(level: .steps, path: nil)
            return try simulation.run(steps: network.steps, threads: threads, trace: &trace, readouts: readouts).readouts.map(\.values)
        }
        let one = try readoutValues(threads: 1)
        #expect(try readoutValues(threads: 2) == one)
        #expect(try readoutValues(threads: 3) == one)

        var simulation = try Simulation(network: network, chip: chip)
        var trace = try TraceWriter(level: .steps, path: nil)
        let mapping = simulation.mapping
        var sums = network.populations.map { Array(repeating: Int64(0), count: $0.size) }
        _ = try simulation.run(steps: network.steps, threads: 1, trace: &trace) { _, engine in
            for population in network.populations.indices {
                for slice in mapping.slices(of: population) {
                    for k in 0..<slice.count { sums[population][slice.start + k] += Int64(engine.cores[slice.core].v[slice.coreOffset + k]) }
                }
            }
        }
        let steps = Int64(network.steps)
        for (index, readout) in readouts.enumerated() where readout.mode == .meanV {
            #expect(one[index] == sums[readout.population].map { $0 >= 0 ? $0 / steps : -((-$0 + steps - 1) / steps) })
        }
        #expect(sums.joined().contains { $0 != 0 })
    }

    @Test func spikeLinesAgreeWithTheCounts() throws {
        let network = try mixedNetwork()
        let (text, result) = try traceOfRun(network, on: tiny(), level: .spikes)
        let spikeLines = text.split(separator: "\n").filter { $0.hasPrefix("spike ") }.map { $0.split(separator: " ") }
        for (index, input) in network.inputs.enumerated() {
            #expect(spikeLines.filter { $0[2] == input.name }.count == result.inputSpikes[index])
        }
        for (index, population) in network.populations.enumerated() {
            #expect(spikeLines.filter { $0[2] == population.name }.count == result.populationSpikes[index])
        }
        // The cue input spikes exactly at its listed times.
        let cue = spikeLines.filter { $0[2] == "cue" }.map { "\($0[1]):\($0[3])" }
        #expect(cue == ["1:0", "2:0", "3:0", "5:1", "6:1", "10:0"])
    }

    @Test func poissonInputCountsAreDeterministicPerSeed() throws {
        let chip = try tiny()
        func inputCounts(seed: UInt64) throws -> [Int] {
            var simulation = try Simulation(network: mixedNetwork(seed: seed), chip: chip)
            var trace = try TraceWriter(level: .steps, path: nil)
            return try simulation.run(steps: 30, threads: 1, trace: &trace).inputSpikes
        }
        let first = try inputCounts(seed: 11)
        #expect(try inputCounts(seed: 11) == first)
        // The counts are the InputDriver's draws for that seed.
        var driver = InputDriver(network: try mixedNetwork(seed: 11), steps: 30)
        let drawn = (1...30).flatMap { driver.spikes(at: $0) }.filter { $0 < 24 }.count
        #expect(first[0] == drawn)
        // 24 neurons × 30 steps × 0.3 = 216 expected; σ ≈ 12.7.
        #expect(abs(first[0] - 216) < 80)
        #expect(first[1] == 6)
    }

    @Test func ternaryAndGradedSpikesCarryTheirValue() throws {
        // Every neuron is driven by its bias alone (du 4095, dv 0, threshold 1 << 6 = 64):
        // G: v = 100 > 64, a graded spike of max(1, 100 >> 4) = 6 every step.
        // T: v = −100 < −64, a ternary spike of −1 every step.
        // P: v = 100, a plain spike (no value printed).
        // R receives G × 2 + T × 3 one step later: input 2·6 + 3·(−1) = 9, u = 9 << 6 = 576,
        //   v grows by 576 a step (vth 100 = 6400 is never reached in 3 steps).
        let network = try NetworkFile.parse("""
            { "format": "neuroemu-network/1", "name": "values", "steps": 3,
              "populations": [
                { "name": "G", "size": 1, "neuron": { "model": "neuroemu_lif", "du": 4095, "vth": 1, "bias_mant": 100, "spike": "graded", "graded_shift": 4 } },
                { "name": "T", "size": 1, "neuron": { "model": "neuroemu_lif", "du": 4095, "vth": 1, "bias_mant": -100, "spike": "ternary" } },
                { "name": "P", "size": 1, "neuron": { "model": "loihi_lif", "du": 4095, "vth": 1, "bias_mant": 100 } },
                { "name": "R", "size": 1, "neuron": { "model": "loihi_lif", "du": 4095, "vth": 100 } }
              ],
              "projections": [
                { "name": "GR", "source": "G", "target": "R", "all_to_all": { "weight": 2 } },
                { "name": "TR", "source": "T", "target": "R", "all_to_all": { "weight": 3 } }
              ],
              "probes": [{ "target": "R", "record": ["u", "v"] }] }
            """, file: "values.json")
        let text = try traceOfRun(network, on: tiny(), level: .spikes).text
        // On 2 threads the steps are pipelined and their spikes counted from what the engine
        // hands over (`StepSpikes`): the values come through the same.
        #expect(try traceOfRun(network, on: tiny(), level: .spikes, threads: 2).text == text)
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("step ") }
        #expect(Array(lines.dropFirst().dropLast()) == [
            "spike 1 G 0 6", "spike 1 T 0 -1", "spike 1 P 0", "state 1 R 0 u=0 v=0",
            "spike 2 G 0 6", "spike 2 T 0 -1", "spike 2 P 0", "state 2 R 0 u=576 v=576",
            "spike 3 G 0 6", "spike 3 T 0 -1", "spike 3 P 0", "state 3 R 0 u=576 v=1152",
        ])
    }

    /// Probed state on two and three threads, where the steps run as one batch and the workers
    /// leave the probed neurons' u and v for the host: the trace of one thread.
    @Test func probedStateInABatchIsTheTraceOfOneThread() throws {
        var (network, chip) = try batchedNetwork()
        network.probes = [
            ProbeDescription(population: 1, variables: [.u, .v], indices: [0, 7, 199]),
            ProbeDescription(population: 0, variables: [.v], indices: [3, 1_999]),
        ]
        let one = try traceOfRun(network, on: chip, level: .spikes, threads: 1)
        #expect(one.text.components(separatedBy: "\n").filter { $0.hasPrefix("state ") }.count == 5 * network.steps)
        #expect(one.text.contains("state 12 inh 199 u="))
        #expect(try traceOfRun(network, on: chip, level: .spikes, threads: 2).text == one.text)
        #expect(try traceOfRun(network, on: chip, level: .steps, threads: 3).text == traceOfRun(network, on: chip, level: .steps, threads: 1).text)
    }

    /// A second `run` goes on from where the first stopped; on two threads as on one.
    @Test(arguments: [false, true])
    func aSecondRunGoesOnWhereTheFirstStopped(batched: Bool) throws {
        let (network, chip) = batched ? try batchedNetwork() : (try mixedNetwork(), try tiny())
        func twoRuns(threads: Int) throws -> [String] {
            var simulation = try Simulation(network: network, chip: chip)
            var texts: [String] = []
            for steps in [7, 5] {
                var trace = try TraceWriter(level: .spikes, path: nil, keepsLines: true)
                let result = try simulation.run(steps: steps, threads: threads, trace: &trace)
                texts.append(trace.lines.joined(separator: "\n") + " \(result.populationSpikes)")
            }
            #expect(simulation.engine.timestep == 12)
            return texts
        }
        let one = try twoRuns(threads: 1)
        #expect(try twoRuns(threads: 2) == one)

        // Two runs are one run cut in two: the inputs go on (spike times, random draws), the
        // trace lines are the same with the second run's steps numbered from 1, and each run's
        // totals are its own, adding up to the whole's.
        func body(_ lines: [String], after offset: Int) -> [String] {
            lines.filter { !$0.hasPrefix("neuroemu-trace/1 ") && !$0.hasPrefix("end ") }.map { line in
                var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                if words.count > 1, let step = Int(words[1]) { words[1] = String(step + offset) }
                return words.joined(separator: " ")
            }
        }
        var whole = try Simulation(network: network, chip: chip)
        var wholeTrace = try TraceWriter(level: .spikes, path: nil, keepsLines: true)
        let wholeResult = try whole.run(steps: 12, threads: 2, trace: &wholeTrace)
        var cut = try Simulation(network: network, chip: chip)
        var lines: [String] = []
        var results: [RunResult] = []
        for (steps, offset) in [(7, 0), (5, 7)] {
            var trace = try TraceWriter(level: .spikes, path: nil, keepsLines: true)
            results.append(try cut.run(steps: steps, threads: 2, trace: &trace))
            lines += body(trace.lines, after: offset)
            // The end line's energy is this run's: the sum of its step lines'.
            func energy(_ line: String) -> Int { line.split(separator: " ").first { $0.hasPrefix("energy_fj=") }.flatMap { Int($0.dropFirst(10)) } ?? -1 }
            #expect(trace.lines.filter { $0.hasPrefix("step ") }.map(energy).reduce(0, +) == energy(trace.lines.last ?? ""))
        }
        #expect(lines == body(wholeTrace.lines, after: 0))
        #expect(zip(results[0].populationSpikes, results[1].populationSpikes).map(+) == wholeResult.populationSpikes)
        #expect(zip(results[0].inputSpikes, results[1].inputSpikes).map(+) == wholeResult.inputSpikes)
        #expect(results[0].energyFemtojoules + results[1].energyFemtojoules == wholeResult.energyFemtojoules)
        #expect(results[0].totalCycles + results[1].totalCycles == wholeResult.totalCycles)
        var totals = results[0].totals
        totals += results[1].totals
        #expect(totals == wholeResult.totals)
        #expect(results[1].staticEnergyFemtojoules == results[1].energyFemtojoules - results[1].totals.dynamicEnergyFemtojoules(chip.costs))
    }

    @Test func observerSeesEveryStepAndCanStopTheRun() throws {
        var simulation = try Simulation(network: GoldenNetwork.network(), chip: GoldenNetwork.chip(), placement: .inOrder)
        var trace = try TraceWriter(level: .steps, path: nil, keepsLines: true)
        final class Log: @unchecked Sendable { var steps: [String] = [] }
        let log = Log()
        _ = try simulation.run(steps: 5, threads: 1, trace: &trace, observer: { step, engine throws(OutputError) in
            log.steps.append("\(step):\(engine.timestep):\(engine.lastStep.cycles)")
        })
        #expect(log.steps == ["1:1:19", "2:2:21", "3:3:23", "4:4:21", "5:5:15"])

        var failing = try Simulation(network: GoldenNetwork.network(), chip: GoldenNetwork.chip(), placement: .inOrder)
        var failingTrace = try TraceWriter(level: .steps, path: nil)
        let stop = OutputError.cannotWrite(file: "waves.vcd", reason: "disk full")
        #expect(throws: RunError.output(stop)) {
            try failing.run(steps: 5, threads: 1, trace: &failingTrace, observer: { step, _ throws(OutputError) in
                if step == 2 { throw stop }
            })
        }
        #expect(failing.engine.timestep == 2)
    }

    /// Energies are 64-bit femtojoules: a run that outgrows them stops with the step where it
    /// did and leaves no trace, instead of a wrapped (negative) or trapped total.
    @Test func energyBeyondInt64FemtojoulesStopsTheRunNamingTheStep() throws {
        // The golden steps take 19, 21, 23, 21 and 15 cycles (above). At 1 kW and 10 Hz a cycle is
        // 10¹⁷ fJ: the total passes 9.22 × 10¹⁸ fJ in step 5 (9.9 × 10¹⁸); at 1 Hz step 1 alone does.
        for (hertz, step) in [(Int64(10), 5), (1, 1)] {
            var chip = try GoldenNetwork.chip()
            chip.staticPowerNanowatts = 1_000_000_000_000
            chip.clockHertz = hertz
            var simulation = try Simulation(network: GoldenNetwork.network(), chip: chip, placement: .inOrder)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-energy-\(UUID().uuidString).trace").path
            var trace = try TraceWriter(level: .steps, path: path)
            #expect(throws: RunError.energyOverflow(step: step, chip: chip.name)) {
                try simulation.run(steps: 5, threads: 1, trace: &trace)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(simulation.engine.energyOverflowStep == step)
        }
        // Dynamic energy past Int64 (event prices of 2^61 fJ): the same error, not a trap.
        var pricey = try GoldenNetwork.chip()
        for event in EventClass.allCases { pricey.costs[event].energyFemtojoules = 1 << 61 }
        var dear = try Simulation(network: GoldenNetwork.network(), chip: pricey, placement: .inOrder)
        var dearTrace = try TraceWriter(level: .steps, path: nil)
        #expect(throws: RunError.energyOverflow(step: 1, chip: pricey.name)) {
            try dear.run(steps: 5, threads: 1, trace: &dearTrace)
        }
        // At 100 Hz the same five steps fit (9.9 × 10¹⁷ fJ of static energy).
        var chip = try GoldenNetwork.chip()
        chip.staticPowerNanowatts = 1_000_000_000_000
        chip.clockHertz = 100
        var simulation = try Simulation(network: GoldenNetwork.network(), chip: chip, placement: .inOrder)
        var trace = try TraceWriter(level: .steps, path: nil)
        let result = try simulation.run(steps: 5, threads: 1, trace: &trace)
        #expect(result.staticEnergyFemtojoules == 99 * 10_000_000_000_000_000)
        #expect(simulation.engine.energyOverflowStep == nil)
        #expect(RunError.energyOverflow(step: 5, chip: "tiny").description.hasPrefix("energy exceeded 9,223,372,036,854,775,807 fJ (9.2 kJ, what 64-bit femtojoules hold) at step 5 on chip `tiny`"))
    }

    @Test func aRunMayBeShorterOrLongerThanTheFilesSteps() throws {
        let network = try GoldenNetwork.network()
        let short = try traceOfRun(network, on: GoldenNetwork.chip(), level: .steps, steps: 2, placement: .inOrder)
        #expect(short.result.steps == 2)
        #expect(short.text.split(separator: "\n").last?.hasPrefix("end steps=2 spikes=3 energy_fj=685000 ") == true)
        let long = try traceOfRun(network, on: GoldenNetwork.chip(), level: .steps, steps: 7)
        #expect(long.result.steps == 7)
        #expect(long.result.inputSpikes == [3])
    }

    @Test func progressIsReportedAfterEveryStep() throws {
        var simulation = try Simulation(network: GoldenNetwork.network(), chip: GoldenNetwork.chip())
        var trace = try TraceWriter(level: .steps, path: nil)
        final class Log: @unchecked Sendable { var calls: [[Int]] = [] }
        let log = Log()
        _ = try simulation.run(steps: 3, threads: 1, trace: &trace, progress: { log.calls.append([$0, $1]) })
        #expect(log.calls == [[1, 3], [2, 3], [3, 3]])
    }

    @Test func mappingErrorsSurfaceFromTheInitializer() throws {
        // Eight 64-neuron populations fill tiny's eight cores; the ninth finds none. (Nine
        // one-neuron populations, as this test once used, now share a single core.)
        let populations = (0..<9).map { #"{ "name": "p\#($0)", "size": \#($0 < 8 ? 64 : 1), "neuron": { "model": "loihi_lif", "vth": 1 } }"# }.joined(separator: ", ")
        let network = try NetworkFile.parse(#"{ "format": "neuroemu-network/1", "name": "n", "steps": 1, "populations": [\#(populations)] }"#, file: "n.json")
        var closings = CoreClosings(limits: try tiny().coreLimits)
        closings.neuronLimit = 8
        #expect(throws: MappingError.outOfCores(population: "p8", neuron: 0, chip: "tiny", cores: 8, closings: closings)) {
            try Simulation(network: network, chip: tiny())
        }
    }
}
