import Chip
import Foundation
import Router
import Testing
@testable import Host

/// Runs of small networks on the `tiny` chip with a waveform and a packet-level trace side by
/// side, the trace being the reference the waveform is checked against.
private enum VCDFixture {
    /// Three inputs drive population A (6 neurons; du 4095 so u is this step's input, dv 0 so v
    /// never leaks; A0 starts at v = −300, A1 at u = 5); A and the inputs drive B (3 neurons).
    /// On `chip()` A fills core 0 and half of core 1 on tile (0, 0); B0–B1 share core 1 with A
    /// (populations pack), B2 sits on core 2 of tile (1, 0), and the host port is on tile (0, 1):
    /// packets cross three different links.
    static let networkText = """
        { "format": "neuroemu-network/1", "name": "vcd-small", "steps": 12, "seed": 3,
          "inputs": [{ "name": "in", "size": 3, "spike_times": [[1, 2, 3, 4, 5, 6, 7, 8], [2, 4, 6, 8, 10], [1, 5, 9, 11]] }],
          "populations": [
            { "name": "A", "size": 6, "neuron": { "model": "loihi_lif", "du": 4095, "dv": 0, "vth": 2,
                                                  "v_init": [-300, 0, 0, 0, 0, 0], "u_init": [0, 5, 0, 0, 0, 0] } },
            { "name": "B", "size": 3, "neuron": { "model": "loihi_lif", "du": 4095, "dv": 0, "vth": 1 } }
          ],
          "projections": [
            { "name": "in_A", "source": "in", "target": "A",
              "weights": [[3, 0, 0], [0, 3, 0], [0, 0, 3], [2, 2, 0], [0, 2, 2], [2, 0, 2]] },
            { "name": "A_B", "source": "A", "target": "B",
              "weights": [[1, 1, 0, 0, 0, 0], [0, 1, 1, 1, 0, 0], [0, 0, 0, 1, 1, 1]] },
            { "name": "in_B", "source": "in", "target": "B", "weights": [[2, 0, 0], [0, 2, 0], [0, 0, 2]] }
          ],
          "probes": [{ "target": "A", "record": ["u", "v"] }, { "target": "B", "record": ["spikes"], "indices": [0, 2] }] }
        """

    static func network() throws -> NetworkDescription { try NetworkFile.parse(networkText, file: "vcd-small.json") }

    /// `tiny` with 4 neurons per core (so A splits) and the host port at (0, 1).
    static func chip(clockHertz: Int64 = 100_000_000) throws -> ChipDescription {
        let text = try #require(ChipPresets.text(named: "tiny"))
            .replacingOccurrences(of: #""neurons": 64"#, with: #""neurons": 4"#)
            .replacingOccurrences(of: #""host_port": { "x": 0, "y": 0 }"#, with: #""host_port": { "x": 0, "y": 1 }"#)
            .replacingOccurrences(of: #""clock_hz": 100000000,"#, with: "\"clock_hz\": \(clockHertz),")
        return try ChipFile.parse(text, file: "tiny-vcd.json")
    }

    /// A network file of `configs/networks/`.
    static func configNetwork(_ name: String) throws -> NetworkDescription {
        try NetworkFile.load(path: repositoryRoot.appendingPathComponent("configs/networks/\(name).network.json").path)
    }

    struct Run {
        var bytes: [UInt8]
        var document: VCDDocument
        var trace: ReferenceTrace
        var simulation: Simulation
    }

    static func run(_ network: NetworkDescription, on chip: ChipDescription, steps: Int? = nil, threads: Int = 1) throws -> Run {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-vcd-\(UUID().uuidString).vcd").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var simulation = try Simulation(network: network, chip: chip, placement: .inOrder)  // the expectations below name cores in order
        var trace = try TraceWriter(level: .packets, path: nil, keepsLines: true)
        var waveform = try VCDWriter(path: path, simulation: simulation)
        _ = try simulation.run(steps: steps ?? network.steps, threads: threads, trace: &trace, observer: { step, engine throws(OutputError) in
            try waveform.record(step: step, engine: engine)
        })
        try waveform.finish()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        return Run(bytes: bytes, document: try VCDDocument(parsing: String(decoding: bytes, as: UTF8.self)), trace: try ReferenceTrace(trace.lines), simulation: simulation)
    }
}

/// The records of a canonical trace that the waveform must agree with.
private struct ReferenceTrace {
    struct Packet {
        var step: Int, source: Int, destination: Int, inject: UInt64, arrive: UInt64
    }

    /// Per step (index t − 1): its first and one-past-last absolute cycle.
    var windows: [(start: UInt64, end: UInt64)] = []
    var spikes: [(step: Int, population: String, index: Int)] = []
    var states: [(step: Int, population: String, index: Int, u: Int64, v: Int64)] = []
    var packets: [Packet] = []

    init(_ lines: [String]) throws {
        var elapsed: UInt64 = 0
        for line in lines {
            let fields = line.split(separator: " ").map(String.init)
            func number(_ field: Int, after prefix: String = "") throws -> Int64 {
                try #require(Int64(fields[field].dropFirst(prefix.count)), "\(line)")
            }
            switch fields.first {
            case "spike": spikes.append((Int(try number(1)), fields[2], Int(try number(3))))
            case "state": states.append((Int(try number(1)), fields[2], Int(try number(3)), try number(4, after: "u="), try number(5, after: "v=")))
            case "packet":
                packets.append(Packet(step: Int(try number(1)), source: Int(try number(2)), destination: Int(try number(3)),
                                      inject: UInt64(try number(4, after: "inject=")), arrive: UInt64(try number(5, after: "arrive="))))
            case "step":
                let cycles = UInt64(try number(2, after: "cycles="))
                windows.append((elapsed, elapsed + cycles))
                elapsed += cycles
            default: break
            }
        }
    }

    var totalCycles: UInt64 { windows.last?.end ?? 0 }
}

/// The scope of a mesh core in the waveform.
private func coreScope(_ endpoint: Int, _ chip: ChipDescription) -> String {
    "\(chip.name).core\(endpoint)_tile\(chip.mesh.tileIndex(ofEndpoint: endpoint))"
}

/// The scope holding neuron `index` of population `population`, from the mapping.
private func scope(ofNeuron index: Int, population: Int, in simulation: Simulation) throws -> String {
    let slice = try #require(simulation.mapping.slices(of: population).first { index >= $0.start && index < $0.start + $0.count })
    return coreScope(Int(simulation.mapping.coreEndpoints[slice.core]), simulation.chip)
}

@Suite struct VCDWriterTests {
    // MARK: Header

    @Test func headerHasAFixedVersionTheCycleTimescaleAndNoDate() throws {
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        let document = run.document
        #expect(document.section("date") == nil)
        #expect(document.section("version") == "NeuroEmu VCD writer 1")
        #expect(document.section("timescale") == "10 ns")
        let comment = try #require(document.section("comment"))
        #expect(comment.contains("network=vcd-small chip=tiny seed=3"))
        #expect(comment.contains("One time unit is one chip cycle"))
        #expect(document.sawEndDefinitions)
        let text = String(decoding: run.bytes, as: UTF8.self)
        #expect(text.hasPrefix("$version NeuroEmu VCD writer 1 $end\n$comment\n"))
        #expect(text.contains("$enddefinitions $end\n#0\n$dumpvars\n"))
    }

    @Test func scopesAreOnePerLoadedCorePlusTheNetwork() throws {
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        // A: cores 0 and 1 (tile 0); B: B0–B1 beside A on core 1, B2 on core 2 (tile 1).
        #expect(run.simulation.mapping.coreEndpoints == [0, 1, 2])
        #expect(run.document.scopes == ["tiny", "tiny.core0_tile0", "tiny.core1_tile0", "tiny.core2_tile1", "tiny.noc"])
    }

    @Test func variablesAreDeclaredWithTheirTypesAndWidths() throws {
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        let declared = run.document.variables.map { "\($0.type) \($0.width) \($0.path)" }
        var expected: [String] = ["integer 32 tiny.step"]
        expected += ["wire 1 tiny.core0_tile0.busy", "integer 32 tiny.core0_tile0.inbound"]
        for i in 0..<4 {
            expected += ["wire 1 tiny.core0_tile0.A_\(i)_spike", "reg 24 tiny.core0_tile0.A_\(i)_u", "reg 24 tiny.core0_tile0.A_\(i)_v"]
        }
        expected += ["wire 1 tiny.core1_tile0.busy", "integer 32 tiny.core1_tile0.inbound"]
        for i in 4..<6 {
            expected += ["wire 1 tiny.core1_tile0.A_\(i)_spike", "reg 24 tiny.core1_tile0.A_\(i)_u", "reg 24 tiny.core1_tile0.A_\(i)_v"]
        }
        // B records spikes only, of neurons 0 and 2: B0 shares core 1 with A4–A5, B2 is on core 2.
        // Names are by population and neuron, so a core holding two populations needs nothing more.
        expected += ["wire 1 tiny.core1_tile0.B_0_spike"]
        expected += ["wire 1 tiny.core2_tile1.busy", "integer 32 tiny.core2_tile1.inbound"]
        expected += ["wire 1 tiny.core2_tile1.B_2_spike"]
        // Host (0, 1) → tile (0, 0): south; host → tile (1, 0): east then south (XY);
        // tile (0, 0) → tile (1, 0): east. Links in (tile, direction) order.
        expected += ["integer 32 tiny.noc.in_flight"]
        expected += ["integer 32 tiny.noc.x0y0_east", "integer 32 tiny.noc.x0y1_east", "integer 32 tiny.noc.x0y1_south", "integer 32 tiny.noc.x1y1_south"]
        #expect(declared == expected)
        // Codes are short, printable and distinct.
        #expect(Set(run.document.variables.map(\.code)).count == run.document.variables.count)
        #expect(run.document.variables.allSatisfy { $0.code.utf8.allSatisfy { (33...126).contains($0) } })
    }

    @Test func dumpvarsGivesEveryVariableOnceWithItsValueAtTimeZero() throws {
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        let document = run.document
        #expect(document.dumpTime == 0)
        #expect(document.initialCodes == document.variables.map(\.code))
        // Step 1 starts at 0 and every core's neuron unit is busy from cycle 0.
        #expect(document.unsigned("tiny.step", at: 0) == 1)
        for endpoint in 0..<3 {
            #expect(document.bits(of: "\(coreScope(endpoint, run.simulation.chip)).busy", at: 0) == "1")
        }
        // Registers hold the initial state until step 1 ends: v = −300 in 24-bit two's complement.
        let firstEnd = run.trace.windows[0].end
        #expect(document.bits(of: "tiny.core0_tile0.A_0_v", at: 0) == "111111111111111011010100")
        #expect(document.signed("tiny.core0_tile0.A_0_v", at: firstEnd - 1) == -300)
        #expect(document.signed("tiny.core0_tile0.A_1_u", at: firstEnd - 1) == 5)
        #expect(document.signed("tiny.core0_tile0.A_2_u", at: 0) == 0)
        // Host packets of step 1 leave at cycle 0, so they are in flight at time 0.
        let hostAtZero = run.trace.packets.filter { $0.step == 1 && $0.inject == 0 && $0.arrive > 0 }.count
        #expect(hostAtZero > 0)
        #expect(document.unsigned("tiny.noc.in_flight", at: 0) == UInt64(hostAtZero))
    }

    // MARK: Time axis

    @Test func changesAreInTimeOrderOncePerSignalAndEndAtTheLastCycle() throws {
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        let document = run.document
        #expect(!document.timestamps.isEmpty)
        #expect(zip(document.timestamps, document.timestamps.dropFirst()).allSatisfy { $0 < $1 })
        #expect(document.timestamps.first.map { $0 > 0 } == true)
        #expect(document.timestamps.last == run.trace.totalCycles)
        // Within one time stamp each variable changes at most once, and only to a new value.
        var seen = Set<String>()
        var lastTime: UInt64?
        for entry in document.changeLog {
            if entry.time != lastTime { seen.removeAll() }
            lastTime = entry.time
            #expect(seen.insert(entry.code).inserted, "\(entry.code) changes twice at \(entry.time)")
        }
        for variable in document.variables {
            let changes = document.changes[variable.code] ?? []
            #expect(changes.count == document.edges(of: variable.path).count, "\(variable.path) has a change that repeats its value")
        }
    }

    @Test func stepRegisterChangesAtTheCumulativeStepCycles() throws {
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        let step = try #require(run.document.variable("tiny.step"))
        let changes = try #require(run.document.changes[step.code])
        #expect(run.trace.windows.count == 12)
        #expect(run.document.initialValues[step.code] == "1")
        #expect(changes.map(\.time) == run.trace.windows.dropFirst().map(\.start))
        #expect(changes.map { UInt64($0.value, radix: 2) } == (2...12).map { UInt64($0) })
        // Windows are contiguous: step t starts where step t − 1 ended.
        #expect(zip(run.trace.windows, run.trace.windows.dropFirst()).allSatisfy { $0.end == $1.start })
    }

    @Test func aCycleOfSeveralUnitsScalesEveryTimeAndSaysSo() throws {
        let slow = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        let fast = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip(clockHertz: 4_000_000_000))
        #expect(fast.document.section("timescale") == "10 ps")
        #expect(try #require(fast.document.section("comment")).contains("is 25 x 10 ps: times are cycles x 25"))
        // The clock changes no cycle count, so every time is the 100 MHz time × 25.
        #expect(fast.trace.totalCycles == slow.trace.totalCycles)
        #expect(fast.document.timestamps == slow.document.timestamps.map { $0 * 25 })
    }

    // MARK: Against the trace

    @Test func everyTraceSpikeOfAProbedNeuronIsOneOneCyclePulseInItsStep() throws {
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        let network = run.simulation.network
        var checked = 0
        for (p, population) in network.populations.enumerated() {
            for index in 0..<population.size {
                let wire = try "\(scope(ofNeuron: index, population: p, in: run.simulation)).\(population.name)_\(index)_spike"
                let traceSteps = run.trace.spikes.filter { $0.population == population.name && $0.index == index }.map(\.step)
                guard run.document.variable(wire) != nil else {
                    // Only B1 is unprobed; it spikes, but has no wire.
                    #expect(population.name == "B" && index == 1)
                    #expect(!traceSteps.isEmpty)
                    continue
                }
                let rises = run.document.risingEdges(of: wire)
                for step in traceSteps {
                    let window = run.trace.windows[step - 1]
                    #expect(rises.filter { $0 >= window.start && $0 < window.end }.count == 1, "\(wire) at step \(step)")
                }
                #expect(rises.count == traceSteps.count, "\(wire): \(rises.count) pulses for \(traceSteps.count) spikes")
                #expect(run.document.fallingEdges(of: wire) == rises.map { $0 + 1 }, "\(wire) pulses last one cycle")
                checked += traceSteps.count
            }
        }
        #expect(checked >= 20)
    }

    @Test func spikePulsesSitAtTheCycleTheNeuronUpdateCompletes() throws {
        // A0 is the first neuron of core 0, and a neuron that spikes made an active update (2
        // cycles on `tiny`), so its pulses rise 2 cycles into the step.
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        let rises = run.document.risingEdges(of: "tiny.core0_tile0.A_0_spike")
        let steps = run.trace.spikes.filter { $0.population == "A" && $0.index == 0 }.map(\.step)
        #expect(!steps.isEmpty)
        #expect(rises == steps.map { run.trace.windows[$0 - 1].start + 2 })
    }

    @Test func stateRegistersEqualTheTraceStateAtTheEndOfEachStep() throws {
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        #expect(run.trace.states.count == 12 * 6)
        #expect(run.trace.states.contains { $0.v < 0 })
        for state in run.trace.states {
            let prefix = try "\(scope(ofNeuron: state.index, population: 0, in: run.simulation)).\(state.population)_\(state.index)"
            let end = run.trace.windows[state.step - 1].end
            #expect(run.document.signed(prefix + "_u", at: end) == state.u, "u of \(prefix) at step \(state.step)")
            #expect(run.document.signed(prefix + "_v", at: end) == state.v, "v of \(prefix) at step \(state.step)")
        }
        // Registers change only at step ends.
        let ends = Set(run.trace.windows.map(\.end))
        for variable in run.document.variables where variable.width == 24 {
            #expect(run.document.edges(of: variable.path).allSatisfy { ends.contains($0.time) }, "\(variable.path)")
        }
    }

    @Test func packetCountsEqualTheTracePacketsInFlightAtEveryCycle() throws {
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        try checkPacketCounts(run)
    }

    @Test func packetCountsOfTheMechanismsNetworkOnFourTiles() throws {
        // Four neurons per core give each of its eight small populations a core of its own, on
        // all four tiles (on plain `tiny` they pack into three cores on two tiles).
        var chip = try ChipPresets.resolve("tiny")
        chip.coreLimits.neurons = 4
        let run = try VCDFixture.run(VCDFixture.configNetwork("mechanisms"), on: chip, steps: 25)
        #expect(run.simulation.engine.tilesUsed == 4)
        try checkPacketCounts(run)
    }

    private func checkPacketCounts(_ run: VCDFixture.Run) throws {
        let chip = run.simulation.chip
        let mesh = chip.mesh
        var linkNames: [Int: String] = [:]
        for link in 0..<mesh.linkSlotCount {
            let tile = mesh.coordinate(ofTile: link / 4)
            linkNames[link] = "\(chip.name).noc.x\(tile.x)y\(tile.y)_\(try #require(LinkDirection(rawValue: link % 4)))"
        }
        let routes = run.trace.packets.map { packet in
            var links: [Int] = []
            mesh.forEachLink(from: packet.source, to: packet.destination, order: chip.routing) { link, _ in links.append(link) }
            return links
        }
        let used = Set(routes.joined())
        #expect(!used.isEmpty)
        for link in used { #expect(run.document.variable(linkNames[link] ?? "") != nil, "\(linkNames[link] ?? "") carries traffic") }
        let linkVariables = run.document.variables.filter { $0.path.hasPrefix("\(chip.name).noc.x") }
        let coreEndpoints = run.simulation.mapping.coreEndpoints.map(Int.init)
        var checkedNonzero = 0
        for (t, window) in run.trace.windows.enumerated() {
            let packets = run.trace.packets.indices.filter { run.trace.packets[$0].step == t + 1 }
            for cycle in 0..<(window.end - window.start) {
                let time = window.start + cycle
                let flying = packets.filter { run.trace.packets[$0].inject <= cycle && cycle < run.trace.packets[$0].arrive }
                #expect(run.document.unsigned("\(chip.name).noc.in_flight", at: time) == UInt64(flying.count), "in flight at \(time)")
                if !flying.isEmpty { checkedNonzero += 1 }
                for endpoint in coreEndpoints {
                    let toward = flying.filter { run.trace.packets[$0].destination == endpoint }.count
                    #expect(run.document.unsigned("\(coreScope(endpoint, chip)).inbound", at: time) == UInt64(toward), "inbound of core \(endpoint) at \(time)")
                }
                for variable in linkVariables {
                    let onLink = flying.filter { routes[$0].contains { linkNames[$0] == variable.path } }.count
                    #expect(run.document.unsigned(variable.path, at: time) == UInt64(onLink), "\(variable.path) at \(time)")
                }
            }
        }
        #expect(checkedNonzero > 0)
        #expect(run.document.unsigned("\(chip.name).noc.in_flight", at: run.trace.totalCycles) == 0)
    }

    // MARK: Busy bits

    @Test(arguments: ["inline", "stdp", "mechanisms"])
    func busyBitsEndWhereTheBarrierBegins(network name: String) throws {
        let network = try name == "inline" ? VCDFixture.network() : VCDFixture.configNetwork(name)
        let chip = try name == "inline" ? VCDFixture.chip() : ChipPresets.resolve("tiny")
        let run = try VCDFixture.run(network, on: chip, steps: 30)
        let barrier = UInt64(chip.barrier.cycles(tiles: run.simulation.engine.tilesUsed))
        let busy = run.simulation.mapping.coreEndpoints.map { "\(coreScope(Int($0), chip)).busy" }
        for (t, window) in run.trace.windows.enumerated() {
            let idleFrom = window.end - barrier
            // Every core starts its neuron phase at the step's first cycle.
            for wire in busy { #expect(run.document.bits(of: wire, at: window.start) == "1", "\(wire) at step \(t + 1)") }
            // Some unit is busy until the cycle the engine's barrier starts, none after it.
            #expect(busy.contains { run.document.bits(of: $0, at: idleFrom - 1) == "1" }, "step \(t + 1) busy until \(idleFrom)")
            for time in idleFrom..<window.end {
                for wire in busy { #expect(run.document.bits(of: wire, at: time) == "0", "\(wire) idle in the barrier at \(time)") }
            }
        }
        if name == "stdp" {
            #expect(run.simulation.engine.totals[.stdpUpdate] > 0)
        }
    }

    @Test func aCoreIsBusyWhenEachOfItsPacketsArrives() throws {
        // Every packet carries at least one synapse, so the synapse unit works at its arrival.
        let run = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip())
        #expect(run.trace.packets.count > 20)
        for packet in run.trace.packets {
            let time = run.trace.windows[packet.step - 1].start + packet.arrive
            #expect(run.document.bits(of: "\(coreScope(packet.destination, run.simulation.chip)).busy", at: time) == "1")
        }
    }

    // MARK: Routes

    /// From the layout of `VCDFixture`: A0–A3 on core 0 feed B0–B1 (core 1) and B2 (core 2),
    /// A4–A5 on core 1 feed B2, B sends nothing, and the inputs reach A and B on all three.
    @Test func routedDestinationsAreOnlyThePairsTheMappingConnects() throws {
        let simulation = try Simulation(network: VCDFixture.network(), chip: VCDFixture.chip(), placement: .inOrder)
        #expect(simulation.engine.cores.count == 3)
        #expect(VCDWriter.routedDestinations(of: simulation) == [[1, 2], [2], [], [0, 1, 2]])
    }

    @Test func everyTracePacketTravelsBetweenARoutedPair() throws {
        let run = try VCDFixture.run(VCDFixture.configNetwork("mechanisms"), on: ChipPresets.resolve("tiny"), steps: 40)
        let engine = run.simulation.engine
        let table = VCDWriter.routedDestinations(of: run.simulation)
        #expect(table.count == engine.cores.count + 1)
        #expect(table.allSatisfy { zip($0, $0.dropFirst()).allSatisfy { $0 < $1 } }, "ascending and distinct")
        #expect(run.trace.packets.count > 20)
        for packet in run.trace.packets {
            let source = packet.source == run.simulation.chip.mesh.hostEndpoint
                ? engine.cores.count : try #require(engine.coreEndpoints.firstIndex(of: numericCast(packet.source)))
            let destination = try #require(engine.coreEndpoints.firstIndex(of: numericCast(packet.destination)))
            #expect(table[source].contains(Int32(destination)), "\(packet.source) → \(packet.destination)")
        }
    }

    // MARK: Determinism and files

    @Test func bytesAreIdenticalForOneAndTwoThreadsAndRepeatedRuns() throws {
        let one = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip(), threads: 1)
        let two = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip(), threads: 2)
        let again = try VCDFixture.run(VCDFixture.network(), on: VCDFixture.chip(), threads: 2)
        #expect(one.bytes.count > 1000)
        #expect(one.bytes == two.bytes)
        #expect(two.bytes == again.bytes)
        let mechanisms1 = try VCDFixture.run(VCDFixture.configNetwork("mechanisms"), on: ChipPresets.resolve("tiny"), steps: 40, threads: 1)
        let mechanisms2 = try VCDFixture.run(VCDFixture.configNetwork("mechanisms"), on: ChipPresets.resolve("tiny"), steps: 40, threads: 2)
        #expect(mechanisms1.bytes == mechanisms2.bytes)
    }

    /// At 3 Hz a cycle is 333,333,333,333,333 fs: a step of 30,000 cycles ends past 2^63 fs,
    /// which viewers would read as a negative time (it fits 64 unsigned bits): an output error.
    @Test func timesBeyondSignedSixtyFourBitsAreAnOutputError() throws {
        var chip = try VCDFixture.chip(clockHertz: 3)
        chip.barrier = BarrierModel(oneTileCycles: 30_000, referenceCycles: 30_000, referenceTiles: 1)
        #expect(VCDTimescale(clockHertz: 3).unitsPerCycle == 333_333_333_333_333)
        let error = #expect(throws: OutputError.self) { _ = try VCDFixture.run(VCDFixture.network(), on: chip, steps: 1) }
        #expect(error?.description.contains("exceeds the largest VCD time, 2^63 − 1") == true, "\(String(describing: error))")
    }

    @Test func anUnwritableDirectoryIsAnOutputError() throws {
        let simulation = try Simulation(network: VCDFixture.network(), chip: VCDFixture.chip(), placement: .inOrder)
        let path = "/nonexistent-\(UUID().uuidString)/run.vcd"
        let error = #expect(throws: OutputError.self) { _ = try VCDWriter(path: path, simulation: simulation) }
        #expect(error?.description.hasPrefix("\(path): cannot write: ") == true, "\(String(describing: error))")
    }

    @Test func nothingAppearsUnderTheNameUntilFinishAndDiscardLeavesNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-vcd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("run.vcd").path
        var simulation = try Simulation(network: VCDFixture.network(), chip: VCDFixture.chip(), placement: .inOrder)
        var waveform = try VCDWriter(path: path, simulation: simulation)
        var trace = try TraceWriter(level: .steps, path: nil)
        _ = try simulation.run(steps: 3, threads: 1, trace: &trace, observer: { step, engine throws(OutputError) in
            try waveform.record(step: step, engine: engine)
        })
        #expect(!FileManager.default.fileExists(atPath: path))
        waveform.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func namesBecomeUniqueIdentifiers() {
        #expect(VCDWriter.identifiers(["exc", "a-b", "a_b", "n.m", "_x"]) == ["exc", "a_b", "a_b_2", "n_m", "_x"])
        #expect(VCDWriter.identifiers(["9lives"]) == ["_9lives"])
    }

    @Test func identifierCodesAreDistinctAndPrintable() {
        let codes = (0..<20_000).map { String(decoding: VCDWriter.code($0), as: UTF8.self) }
        #expect(Set(codes).count == codes.count)
        #expect(codes[0] == "!" && codes[93] == "~" && codes[94] == "!!")
        #expect(codes.allSatisfy { $0.utf8.allSatisfy { (33...126).contains($0) } })
    }
}

@Suite struct VCDChangeOrderTests {
    /// Positions in (time, signal, position) order, written the obvious way.
    private func reference(_ changes: [VCDWriter.Change]) -> [Int32] {
        changes.indices.sorted { a, b in
            (changes[a].time, changes[a].signal, a) < (changes[b].time, changes[b].signal, b)
        }.map { Int32($0) }
    }

    /// Narrow times take the counting sorts, times spread far apart the comparison sort; both
    /// give the obvious order, ties in position order.
    @Test(arguments: [UInt64(0), 1_000, 1 << 40])
    func changesSortByTimeThenSignalThenPosition(spread: UInt64) {
        var generator = SeededGenerator(seed: 7)
        let changes = (0..<2_000).map { order in
            VCDWriter.Change(time: 5_000 + UInt64.random(in: 0...40, using: &generator) * max(1, spread / 40),
                             signal: UInt32.random(in: 0..<30, using: &generator), value: Int32(order))
        }
        #expect(VCDWriter.sortedPositions(changes, signalCount: 30) == reference(changes))
        #expect(VCDWriter.sortedPositions([], signalCount: 30).isEmpty)
    }
}
