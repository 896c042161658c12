import Chip
import Foundation
import Testing
@testable import Host

@Suite struct ChipComparisonTests {
    static func pair() throws -> NetworkDescription { try PairNetwork.network() }

    @Test func oneRowPerChipWithTheHandComputedEnergy() throws {
        let comparison = try ChipComparison(network: Self.pair(), chips: ChipPresets.names, steps: 10)
        #expect(comparison.rows.map(\.chip) == ChipPresets.names)
        for (row, expected) in zip(comparison.rows, EnergyReportTests.sharedCoreExpectations) {
            guard case .ran(let m) = row.outcome else {
                Issue.record("\(row.chip) did not run")
                continue
            }
            #expect(m.spikes == 2 && m.synapticOps == 2, "\(row.chip)")
            #expect(m.coresUsed == 1 && m.tilesUsed == 1, "\(row.chip)")
            #expect(m.energyFemtojoules == expected.energyFemtojoules, "\(row.chip)")
            #expect(m.energyPerSpikePicojoules == Double(expected.energyFemtojoules) / 2000, "\(row.chip)")
            #expect(m.energyPerSynapticOpPicojoules == Double(expected.energyFemtojoules) / 2000, "\(row.chip)")
            #expect(m.meanCyclesPerStep == Double(expected.cycles) / 10, "\(row.chip)")
        }
    }

    /// A board under --router flit fits the network: its row says the router is the reason.
    @Test func aBoardUnderTheFlitRouterGetsARowSayingItCannotRun() throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let board = workspace.appendingPathComponent("board.json").path
        try BoardTests.boardText().write(toFile: board, atomically: false, encoding: .utf8)
        let comparison = try ChipComparison(network: Self.pair(), chips: ["tiny", board], steps: 2, router: .flit)
        let reason = MappingError.flitRouterOnBoard(chip: "tiny-board", chips: 2).description
        #expect(comparison.rows[1].outcome == .cannotRunWithFlitRouter(reason: reason))
        #expect(comparison.render().components(separatedBy: "\n")[4] == "tiny-board  cannot run with the flit router: " + reason)
    }

    @Test func aChipTheNetworkDoesNotFitGetsARowSayingWhy() throws {
        let network = try DefaultNetwork.load()
        let comparison = try ChipComparison(network: network, chips: ["tiny", "loihi"], steps: 2)
        guard case .doesNotFit(let reason) = comparison.rows[0].outcome else {
            Issue.record("the default network must not fit on tiny")
            return
        }
        #expect(reason.hasPrefix("the network does not fit on chip `tiny`: all 8 cores are full"))
        guard case .ran(let m) = comparison.rows[1].outcome else {
            Issue.record("the default network must run on loihi")
            return
        }
        let mapped = try Simulation(network: network, chip: ChipPresets.resolve("loihi"))
        #expect(m.cores == 128 && m.coresUsed == mapped.mapping.coreEndpoints.count)
        let lines = comparison.render().components(separatedBy: "\n")
        #expect(lines[0] == "network balanced-ei-4k: 4000 neurons, 400 input neurons, 479587 synapses; 2 steps, seed 7")
        #expect(lines[2].hasPrefix("chip   cores used  energy/spike"))
        #expect(lines[3] == "tiny   does not fit: " + reason)
        #expect(lines[4].hasPrefix("loihi  \(m.coresUsed) of 128 "))
        #expect(lines.last == "every chip that ran had the same \(m.spikes) spikes and \(m.synapticOps) synaptic ops; only time and energy differ")
    }

    /// A row that did not run keeps its whole chip name, however long.
    @Test func aLongNameOfAChipThatDidNotRunIsNotCut() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-a-copy-of-tiny-with-a-long-name-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #require(ChipPresets.text(named: "tiny")).write(toFile: path, atomically: false, encoding: .utf8)
        let comparison = try ChipComparison(network: DefaultNetwork.load(), chips: [path, "tiny", "loihi"], steps: 1)
        let lines = comparison.render().components(separatedBy: "\n")
        #expect(lines[3].hasPrefix("tiny (\(path))  does not fit: "))
        #expect(lines[4].hasPrefix("tiny (tiny)" + String(repeating: " ", count: path.count - 4) + "  does not fit: "))
    }

    /// A chip file that keeps the name of the preset it was copied from gets a row of its own.
    @Test func chipsOfOneNameAreToldApartByWhereTheyCameFrom() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-chip-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #require(ChipPresets.text(named: "tiny")).replacingOccurrences(of: #""static_power_mw": 1,"#, with: #""static_power_mw": 2,"#)
            .write(toFile: path, atomically: false, encoding: .utf8)
        let comparison = try ChipComparison(network: Self.pair(), chips: ["tiny", path, "loihi"], steps: 2)
        #expect(comparison.rows.map(\.chip) == ["tiny (tiny)", "tiny (\(path))", "loihi"])
        guard case .ran(let preset) = comparison.rows[0].outcome, case .ran(let copy) = comparison.rows[1].outcome else {
            Issue.record("both tiny rows must run")
            return
        }
        #expect(copy.energyFemtojoules > preset.energyFemtojoules, "the copy has twice the static power")
    }

    @Test func aRunWhoseEnergyOutgrowsItsCountGetsAStoppedRow() throws {
        var chip = try ChipPresets.resolve("tiny")
        chip.clockHertz = 1
        chip.staticPowerNanowatts = 1_000_000_000_000
        let outcome = ChipComparison.measure(try Self.pair(), on: chip, steps: 3, threads: 1)
        #expect(outcome == .stopped(reason: RunError.energyOverflow(step: 1, chip: "tiny").description))
    }

    @Test func measurementEqualsADirectRun() throws {
        let network = try DefaultNetwork.load()
        let comparison = try ChipComparison(network: network, chips: ["loihi"], steps: 3, threads: 2)
        var simulation = try Simulation(network: network, chip: ChipPresets.resolve("loihi"))
        var trace = try TraceWriter(level: .steps, path: nil)
        let result = try simulation.run(steps: 3, threads: 1, trace: &trace)
        guard case .ran(let m) = comparison.rows[0].outcome else {
            Issue.record("loihi did not run")
            return
        }
        #expect(m.energyFemtojoules == result.energyFemtojoules)
        #expect(m.spikes == result.neuronSpikes && m.synapticOps == result.totals[.synapticOp])
        #expect(m.secondsPerStep == Double(result.totalCycles) / 1e10 / 3)
        #expect(m.digest == result.digest)
    }

    @Test func renderOfThePairOnEveryPreset() throws {
        let text = try ChipComparison(network: Self.pair(), chips: ChipPresets.names, steps: 10).render()
        #expect(text == """
            network pair: 2 neurons, 0 input neurons, 1 synapses; 10 steps, seed 1

            chip        cores used  energy/spike  energy/synop  time/step     energy
            loihi       1 of 128      719.300 pJ    719.300 pJ   127.4 ns   1.439 nJ
            truenorth   1 of 4096      26.000 pJ     26.000 pJ   1.000 ms  52.000 pJ
            spinnaker2  1 of 144    22350.000 pJ  22350.000 pJ   400.0 ns  44.700 nJ
            tiny        1 of 8       1107.000 pJ   1107.000 pJ   140.0 ns   2.214 nJ

            every chip ran the same 2 spikes and 2 synaptic ops; only time and energy differ
            """)
    }

    @Test func anUnknownChipIsAnError() throws {
        let error = #expect(throws: ConfigError.self) { try ChipComparison(network: Self.pair(), chips: ["loihi", "nochip"], steps: 1) }
        #expect(error?.description.hasPrefix("nochip: cannot read: no chip preset of this name") == true, "\(String(describing: error))")
    }

    @Test func progressIsReportedPerChipAndStep() throws {
        var seen: [String] = []
        _ = try ChipComparison(network: Self.pair(), chips: ["tiny", "loihi"], steps: 3) { chip, step, steps in seen.append("\(chip) \(step)/\(steps)") }
        #expect(seen == ["tiny 1/3", "tiny 2/3", "tiny 3/3", "loihi 1/3", "loihi 2/3", "loihi 3/3"])
    }
}
