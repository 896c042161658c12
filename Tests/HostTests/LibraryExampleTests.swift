import Foundation
import Host
import Router
import Testing

/// README's "Using the library" examples, as a client of the products writes them (kept in
/// step with the README: a change to either shows here).
@Suite struct LibraryExampleTests {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func aRunAndASecondRunThatGoesOn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-library-\(UUID().uuidString).trace").path
        defer { try? FileManager.default.removeItem(atPath: path) }

        let chip = try ChipPresets.resolve("loihi")
        let network = try NetworkFile.load(path: Self.repository.appendingPathComponent("configs/networks/feedforward.network.json").path, chip: chip)
        var simulation = try Simulation(network: network, chip: chip, threads: 2)
        var trace = try TraceWriter(level: .spikes, path: path)
        let result = try simulation.run(steps: 200, threads: 2, trace: &trace)
        var more = try TraceWriter(level: .steps, path: nil)
        let second = try simulation.run(steps: 100, threads: 2, trace: &more)

        // The first 200 and the next 100 steps are those of one run of 300.
        var whole = try Simulation(network: network, chip: chip, threads: 1)
        var wholeTrace = try TraceWriter(level: .steps, path: nil)
        let all = try whole.run(steps: 300, threads: 1, trace: &wholeTrace)
        #expect(result.neuronSpikes > 0)  // (its inputs end by step 200: replayed, they would spike again)
        #expect(result.neuronSpikes + second.neuronSpikes == all.neuronSpikes)
        #expect(result.energyFemtojoules + second.energyFemtojoules == all.energyFemtojoules)
        // The trace file holds the digest the result reports.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("digest=\(result.digest)\n"))
        #expect(simulation.engine.timestep == 300)
    }

    @Test func energyPerCoreAsTheReportWritesIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-library-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let chip = try ChipPresets.resolve("loihi")
        let network = try NetworkFile.load(path: Self.repository.appendingPathComponent("configs/networks/feedforward.network.json").path, chip: chip)

        var measured = try Simulation(network: network, chip: chip)
        var recording = RunRecording(simulation: measured, steps: 100, keepsSpikes: false)
        var digestOnly = try TraceWriter(level: .spikes, path: nil)
        let run = try measured.run(steps: 100, threads: 1, trace: &digestOnly, observer: { step, engine in
            recording.record(step: step, engine: engine)
        })
        let report = EnergyReport(simulation: measured, result: run, recording: recording, traceLevel: .spikes)
        try report.write(to: path)

        // The cores' energies are the run's, less what is spent outside cores.
        let outside = report.links.reduce(0) { $0 + $1.energyFemtojoules } + report.hostEnergyFemtojoules + report.barrierEnergyFemtojoules + report.staticEnergyFemtojoules
        #expect(report.cores.reduce(0) { $0 + $1.energyFemtojoules } + outside == run.energyFemtojoules)
        #expect(report.cores.count == measured.mapping.coreEndpoints.count)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"energy_fj\": \(run.energyFemtojoules)"))
    }

    @Test func constraintsFromTheLibrary() throws {
        let chip = try ChipPresets.resolve("loihi")
        let network = try NetworkFile.load(path: Self.repository.appendingPathComponent("configs/networks/feedforward.network.json").path, chip: chip)
        var pinned = network
        pinned.populations[1].constraints = MappingConstraints(maxNeuronsPerCore: 2, tiles: [TileCoordinate(x: 7, y: 3)])
        let placed = try Simulation(network: pinned, chip: chip, maxNeuronsPerCore: 8)
        let meshCores = placed.mapping.slices(of: 1).map { placed.mapping.coreEndpoints[$0.core] }
        #expect(meshCores.count == 2 && meshCores.allSatisfy { (124...127).contains($0) })  // `out`'s 4 neurons, 2 a core, on tile (7, 3)
        #expect(placed.mapping.slices(of: 0).allSatisfy { $0.count <= 8 })  // `hidden`'s 12 in slices of at most 8
        #expect(try #require(placed.unpinnedPlacementCost()) >= 0)
    }

    @Test func theNetworkOnChipAlone() {
        let mesh = Mesh(width: 4, height: 4, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        let timing = NetworkTiming(localCycles: 2, eastWestHopCycles: 3, northSouthHopCycles: 3, flitsPerPacket: 1)
        var network = FlitNetwork(mesh: mesh, timing: timing, routing: .xy)
        var deliveries: [PacketDelivery] = []
        network.route([AERPacket(source: 0, destination: 15, axon: 0, injectCycle: 0)], into: &deliveries)
        // Three hops east and three north of 3 cycles each, plus the core interface's 2.
        #expect(deliveries == [PacketDelivery(arriveCycle: 20, hops: 6)])
        #expect(network.counters.packets == 1)
    }
}
