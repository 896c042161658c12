import Foundation
import Testing
@testable import Chip
@testable import Host

/// The chip file's `router.multicast` in whole runs.
@Suite struct MulticastTests {
    static func loihi(multicast: Bool, fidelity: String = "ideal") throws -> ChipDescription {
        var text = ChipPresets.text(named: "loihi") ?? ""
        text = text.replacingOccurrences(of: #""fidelity": "ideal""#, with: #""fidelity": "\#(fidelity)""#)
        text = text.replacingOccurrences(of: #""flits_per_packet": 1,"#, with: #""flits_per_packet": 1, "multicast": \#(multicast),"#)
        return try ChipFile.parse(text, file: "chip.json")
    }

    @Test func multicastSendsOnePacketPerSpikeAndChangesNoSpike() throws {
        let network = try DefaultNetwork.load()
        func run(_ chip: ChipDescription) throws -> (Simulation, RunResult) {
            var simulation = try Simulation(network: network, chip: chip)
            var trace = try TraceWriter(level: .spikes, path: nil, keepsLines: true)
            let result = try simulation.run(steps: 30, threads: 1, trace: &trace)
            return (simulation, result)
        }
        let (unicastRun, unicast) = try run(try Self.loihi(multicast: false))
        let (multicastRun, multicast) = try run(try Self.loihi(multicast: true))
        #expect(multicast.populationSpikes == unicast.populationSpikes)
        #expect(multicast.totals[.synapticOp] == unicast.totals[.synapticOp])
        // One packet per spike that has a destination (every spike does in this network).
        #expect(multicast.totals[.packet] == UInt64(multicast.neuronSpikes + multicast.inputSpikeCount))
        #expect(multicastRun.engine.totalDeliveries == unicast.totals[.packet])
        #expect(unicastRun.engine.totalDeliveries == unicast.totals[.packet])
        let hops = { (r: RunResult) in r.totals[.eastWestFlitHop] + r.totals[.northSouthFlitHop] }
        #expect(hops(multicast) < hops(unicast))
        #expect(multicast.energyFemtojoules < unicast.energyFemtojoules)
    }

    @Test func multicastNeedsTheIdealRouter() throws {
        #expect(throws: ConfigError.invalid(file: "chip.json", path: "$.router.multicast", rule: #"multicast route trees are modelled by the ideal router only; use "fidelity": "ideal""#)) {
            try Self.loihi(multicast: true, fidelity: "flit")
        }
        var chip = try Self.loihi(multicast: true)
        chip.routerFidelity = .flit
        #expect(throws: MappingError.flitRouterWithMulticast(chip: "loihi")) { try Simulation(network: try DefaultNetwork.load(), chip: chip) }
    }
}
