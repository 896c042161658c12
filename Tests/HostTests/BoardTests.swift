import Foundation
import Testing
@testable import Chip
@testable import Host
@testable import Router

/// Chip files with a `board`: several chips mapped as one system, inter-chip hops charged.
@Suite struct BoardTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    static func boardText(_ replacements: [(String, String)] = []) throws -> String {
        var text = try String(contentsOfFile: "\(directory)/tiny-board.chip.json", encoding: .utf8)
        for (old, new) in replacements {
            #expect(text.components(separatedBy: old).count == 2, "\(old) must occur once")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }

    @Test func boardMultipliesTheMeshAndStaticPower() throws {
        let board = try ChipFile.parse(Self.boardText(), file: "board.json")
        let chip = try ChipPresets.resolve("tiny")
        #expect(board.mesh.width == 2 * chip.mesh.width && board.mesh.height == chip.mesh.height)
        #expect(board.mesh.chipCount == 2 && board.mesh.coreCount == 2 * chip.mesh.coreCount)
        #expect(board.costs[.interChipFlitHop] == EventCost(cycles: 20, energyFemtojoules: 50_000))
        #expect(board.staticPowerNanowatts == 2 * chip.staticPowerNanowatts)
        #expect(board.networkTiming.interChipHopCycles == 20)
    }

    @Test(arguments: [
        ((#""chips_x": 2"#, #""chips_x": 0"#), "$.board.chips_x", "must be an integer in 1…64, got 0"),
        ((#""cycles": 20"#, #""cycles": 0"#), "$.board.link.cycles", "must be an integer in 1…1000000, got 0"),
        ((#""chips_y": 1,"#, #""chips_y": 1, "chips_z": 1,"#), "$.board.chips_z", #"unknown key "chips_z"; did you mean "chips_x"?"#),
        ((#""fidelity": "ideal""#, #""fidelity": "flit""#), "$.board", "a board of several chips runs with the ideal router; the flit model times one chip"),
    ])
    func badBoards(replacement: (String, String), path: String, rule: String) throws {
        let text = try Self.boardText([replacement])
        #expect(throws: ConfigError.invalid(file: "board.json", path: path, rule: rule)) { try ChipFile.parse(text, file: "board.json") }
    }

    @Test func flitRouterIsRefusedOnABoard() throws {
        var board = try ChipFile.parse(Self.boardText(), file: "board.json")
        board.routerFidelity = .flit
        let network = try NetworkFile.load(path: "\(Self.directory)/two-chips.network.json")
        #expect(throws: MappingError.flitRouterOnBoard(chip: "tiny-board", chips: 2)) { try Simulation(network: network, chip: board) }
    }

    /// A chip whose routers' packet records would not fit in memory is refused for the flit
    /// router before anything is allocated (a 256 × 256 mesh of 65,536-flit buffers asked for
    /// 43 GB and aborted); the ideal router runs it.
    @Test func flitRouterIsRefusedWhereItsRecordsWouldNotFit() throws {
        var chip = try ChipPresets.resolve("tiny")
        chip.mesh = Mesh(width: 256, height: 256, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        chip.routerBufferFlits = 65_536
        chip.routerFidelity = .flit
        guard case let .flitRouterCannotTime(name, reason) = Simulation.routerProblem(chip) else {
            Issue.record("an 86 GB flit model was accepted")
            return
        }
        #expect(name == "tiny" && reason.hasPrefix("65,536 routers with 65,536-flit buffers (32,768 packets per input) need 85,900,656,640 bytes"), "\(reason)")
        chip.routerFidelity = .ideal
        #expect(Simulation.routerProblem(chip) == nil)
    }

    /// The two-chip network needs 10 of the board's 16 cores (8 per chip); its inter-chip hops are
    /// counted, charged at the link price, and the placer keeps crossings below in-order placement.
    @Test func networkLargerThanOneChipMapsAcrossTheBoard() throws {
        let board = try ChipFile.parse(Self.boardText(), file: "board.json")
        let network = try NetworkFile.load(path: "\(Self.directory)/two-chips.network.json")
        func run(_ placement: Simulation.Placement) throws -> (Simulation, RunResult) {
            var simulation = try Simulation(network: network, chip: board, placement: placement)
            var trace = try TraceWriter(level: .steps, path: nil)
            let result = try simulation.run(steps: 20, threads: 1, trace: &trace)
            return (simulation, result)
        }
        let (placed, result) = try run(.optimized)
        #expect(placed.mapping.coreEndpoints.count == 10)
        let chips = Set(placed.mapping.coreEndpoints.map { board.mesh.coordinate(ofEndpoint: Int($0)).x / board.mesh.chipWidth })
        #expect(chips == [0, 1])
        let interChip = result.totals[.interChipFlitHop]
        #expect(interChip > 0)
        #expect(result.totals.dynamicEnergyFemtojoules(board.costs) + result.staticEnergyFemtojoules == result.energyFemtojoules)
        let (_, inOrder) = try run(.inOrder)
        #expect(inOrder.totals[.interChipFlitHop] > interChip, "placement should keep traffic on its chip")
        #expect(inOrder.neuronSpikes == result.neuronSpikes)  // the mapping never changes spikes
    }

    @Test func interChipWeightIsTheEnergyRatio() throws {
        let board = try ChipFile.parse(Self.boardText(), file: "board.json")
        // 50 pJ per inter-chip hop against (3 + 4) / 2 pJ per on-chip hop.
        #expect(Simulation.interChipWeight(board) == 14)
        #expect(Simulation.interChipWeight(try ChipPresets.resolve("tiny")) == 1)
        // The placement cost the summary and `map` print is weighted so: they say by how much.
        let network = try NetworkFile.load(path: "\(Self.directory)/two-chips.network.json")
        let simulation = try Simulation(network: network, chip: board)
        #expect(simulation.placementCostNote == "; a chip crossing counts as 14 hops")
        #expect(MappingReport(simulation: simulation).render().contains("% less; a chip crossing counts as 14 hops)"))
        #expect(try Simulation(network: network, chip: ChipPresets.resolve("loihi")).placementCostNote == "")
        var even = board
        even.costs[.interChipFlitHop].energyFemtojoules = 3_500  // the mean on-chip hop: a weight of 1
        #expect(try Simulation(network: network, chip: even).placementCostNote == "; a chip crossing counts as 1 hop")
    }
}
