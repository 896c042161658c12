import Chip
import Foundation
import Router
import Testing
@testable import Host

/// `preset` with `neurons` per core, so that populations of that size fill exactly one core each
/// (whether or not the partitioner packs small populations together).
private func resizedChip(_ preset: String, neuronsPerCore neurons: Int) throws -> ChipDescription {
    let text = ChipPresets.text(named: preset)!
    let resized = text.replacingOccurrences(of: #""neurons": 64,"#, with: #""neurons": \#(neurons),"#)
        .replacingOccurrences(of: #""neurons": 1024,"#, with: #""neurons": \#(neurons),"#)
    precondition(resized != text, "the preset text changed")
    return try ChipFile.parse(resized, file: "\(preset)-\(neurons).json")
}

/// Seven populations of 10 on seven `tiny` cores of 10 neurons, connected as a chain in the
/// order in → P0 → P6 → P1 → P5 → P2 → P4 → P3 (with a feedback P3 → P0), so file order puts
/// most chain neighbours two hops apart on the 2 × 2 mesh and the placer has much to gain.
/// Every state is probed.
private let chainText: String = {
    let order = [0, 6, 1, 5, 2, 4, 3]
    let populations = (0..<7).map { #"{ "name": "P\#($0)", "size": 10, "neuron": { "model": "loihi_lif", "du": 1024, "dv": 256, "vth": 4 } }"# }
    var projections = [#"{ "name": "in_P0", "source": "in", "target": "P0", "random": { "p": 0.5, "weight_range": [40, 120] } }"#]
    for (k, (from, to)) in zip(order, order.dropFirst()).enumerated() {
        let delay = k == 2 ? #""delay": 2, "# : ""
        projections.append(#"{ "name": "P\#(from)_P\#(to)", "source": "P\#(from)", "target": "P\#(to)", \#(delay)"random": { "p": 0.5, "weight_range": [-20, 90] } }"#)
    }
    projections.append(#"{ "name": "P3_P0", "source": "P3", "target": "P0", "random": { "p": 0.3, "weight": -30 } }"#)
    let probes = (0..<7).map { #"{ "target": "P\#($0)", "record": ["u", "v"] }"# }
    return """
        { "format": "neuroemu-network/1", "name": "chain", "steps": 30, "seed": 4,
          "inputs": [{ "name": "in", "size": 10, "poisson": { "probability": 0.3 } }],
          "populations": [\(populations.joined(separator: ",\n"))],
          "projections": [\(projections.joined(separator: ",\n"))],
          "probes": [\(probes.joined(separator: ", "))] }
        """
}()

/// `count` populations of 20 neurons, one core each (`loihi` cut to 20 neurons per core), in a ring with a skip connection,
/// driven by Poisson inputs: enough cores (4 per tile) to spread over several tiles.
private func ringText(count: Int) -> String {
    let populations = (0..<count).map { #"{ "name": "R\#($0)", "size": 20, "neuron": { "model": "loihi_lif", "du": 1024, "dv": 256, "vth": 4 } }"# }
    var projections = [#"{ "name": "drive", "source": "in", "target": "R0", "random": { "p": 0.5, "weight_range": [40, 120] } }"#,
                       #"{ "name": "drive_mid", "source": "in", "target": "R\#(count / 2)", "random": { "p": 0.2, "weight_range": [40, 120] } }"#]
    for k in 0..<count {
        projections.append(#"{ "name": "ring\#(k)", "source": "R\#(k)", "target": "R\#((k + 1) % count)", "random": { "p": 0.3, "weight_range": [10, 80] } }"#)
        projections.append(#"{ "name": "skip\#(k)", "source": "R\#(k)", "target": "R\#((k + 5) % count)", "random": { "p": 0.1, "weight_range": [-30, 60] } }"#)
    }
    return """
        { "format": "neuroemu-network/1", "name": "ring", "steps": 25, "seed": 7,
          "inputs": [{ "name": "in", "size": 30, "poisson": { "probability": 0.2 } }],
          "populations": [\(populations.joined(separator: ",\n"))],
          "projections": [\(projections.joined(separator: ",\n"))] }
        """
}

/// Runs `simulation` at `level` and returns its trace lines (without the trailing newline).
private func lines(of simulation: Simulation, level: TraceLevel, measuresRates: Bool = false) throws -> (lines: [String], result: RunResult) {
    var simulation = simulation
    var trace = try TraceWriter(level: level, path: nil, keepsLines: true)
    let result = try simulation.run(steps: simulation.network.steps, threads: 1, trace: &trace, measuresRates: measuresRates)
    return (trace.lines, result)
}

/// Flit-hops of a run: the link traffic the placer's cost predicts.
private func flitHops(_ result: RunResult) -> UInt64 { result.totals[.eastWestFlitHop] + result.totals[.northSouthFlitHop] }

/// `key=value` integer fields of a trace line.
private func fields(_ line: String) -> [String: Int] {
    var result: [String: Int] = [:]
    for part in line.split(separator: " ") {
        let pair = part.split(separator: "=", maxSplits: 1)
        if pair.count == 2, let value = Int(pair[1]) { result[String(pair[0])] = value }
    }
    return result
}

@Suite struct PlacementTests {
    @Test func optimizedPlacementChangesOnlyPacketStepAndEndLines() throws {
        let network = try NetworkFile.parse(chainText, file: "chain.json")
        let chip = try resizedChip("tiny", neuronsPerCore: 10)
        let optimized = try Simulation(network: network, chip: chip)
        let ordered = try Simulation(network: network, chip: chip, placement: .inOrder)
        // The comparison means something only if the placer moved cores.
        #expect(ordered.mapping.coreEndpoints == [0, 1, 2, 3, 4, 5, 6])
        #expect(optimized.mapping.coreEndpoints != ordered.mapping.coreEndpoints)
        #expect(optimized.placementCost.placed < optimized.placementCost.inOrder)
        #expect(optimized.mapping.slices == ordered.mapping.slices)

        let a = try lines(of: optimized, level: .packets)
        let b = try lines(of: ordered, level: .packets)
        #expect(a.lines.count == b.lines.count)
        // The headers differ only in the placement they name.
        #expect(a.lines.first?.replacingOccurrences(of: "placement=optimized", with: "placement=inorder") == b.lines.first)
        func kept(_ lines: [String]) -> [String] { lines.filter { $0.hasPrefix("spike ") || $0.hasPrefix("state ") } }
        #expect(kept(a.lines) == kept(b.lines))
        #expect(kept(a.lines).contains { $0.hasPrefix("state ") })
        #expect(a.result.populationSpikes == b.result.populationSpikes)
        #expect(a.result.neuronSpikes > 50)

        var differingPackets = 0
        for (x, y) in zip(a.lines.dropFirst(), b.lines.dropFirst()) where x != y {
            let kind = x.prefix { $0 != " " }
            #expect(["packet", "step", "end"].contains(kind), "placement changed a \(kind) line: \(x) vs \(y)")
            #expect(y.hasPrefix(kind + " "), "line kinds differ: \(x) vs \(y)")
            if kind == "packet" { differingPackets += 1 }
            if kind == "step" {
                // Same spikes, packets and synaptic ops; only cycles and energy may move.
                let (f, g) = (fields(x), fields(y))
                for key in ["spikes", "packets", "synops"] { #expect(f[key] == g[key], "\(key): \(x) vs \(y)") }
            }
        }
        #expect(differingPackets > 0)
        // Same event counts except flit-hops (and the energy they cost).
        for event in EventClass.allCases where event != .eastWestFlitHop && event != .northSouthFlitHop {
            #expect(a.result.totals[event] == b.result.totals[event], "\(event)")
        }
        #expect(flitHops(a.result) < flitHops(b.result))
    }

    @Test func placementCostWithMeasuredRatesIsTheRunsFlitHops() throws {
        // On `loihi` (1 flit per packet) a packet's flit-hops are its hops, every spike sends one
        // packet per destination core in the step it fires (the last step included), and every
        // input spike one per destination core from the host port. So weighing the traffic
        // matrix with the spike counts a run measured gives exactly the flit-hops that run made —
        // provided the rates were measured on the same placement, or on any placement, since
        // placement never changes spikes (see the test above).
        let network = try NetworkFile.parse(ringText(count: 14), file: "ring.json")
        let chip = try resizedChip("loihi", neuronsPerCore: 20)
        #expect(chip.networkTiming.flitsPerPacket == 1)

        let first = try Simulation(network: network, chip: chip, placement: .inOrder)
        #expect(first.engine.tilesUsed == 4)
        let run1 = try lines(of: first, level: .steps, measuresRates: true)
        let rates = try #require(run1.result.rates)
        #expect(rates.populations["R0"]?.reduce(0, +) ?? 0 > 0)
        #expect(flitHops(run1.result) > 0)

        // In order, weighed by the rates of the in-order run: its flit-hops, exactly.
        let ordered = try Simulation(network: network, chip: chip, placement: .inOrder, rates: rates)
        #expect(ordered.placementCost.inOrder == Double(flitHops(run1.result)))
        #expect(ordered.placementCost.placed == ordered.placementCost.inOrder)

        // Placed with those rates: the run makes the predicted flit-hops, and the same spikes.
        let placed = try Simulation(network: network, chip: chip, rates: rates)
        #expect(placed.placementCost.inOrder == Double(flitHops(run1.result)))
        let run2 = try lines(of: placed, level: .steps, measuresRates: true)
        #expect(run2.result.rates == rates)
        #expect(placed.placementCost.placed == Double(flitHops(run2.result)))
        #expect(flitHops(run2.result) <= flitHops(run1.result))

        // The flit model routes the same dimension-order paths, later but over the same links.
        var flitChip = chip
        flitChip.routerFidelity = .flit
        let flit = try lines(of: try Simulation(network: network, chip: flitChip, rates: rates), level: .steps)
        #expect(flitHops(flit.result) == flitHops(run2.result))
        #expect(flit.result.populationSpikes == run2.result.populationSpikes)
    }

    @Test func flitHopsAreCostTimesFlitsPerPacketOnTiny() throws {
        // tiny sends 2 flits per packet: the run's flit-hops are twice the rate-weighted cost.
        let network = try NetworkFile.parse(chainText, file: "chain.json")
        let chip = try resizedChip("tiny", neuronsPerCore: 10)
        #expect(chip.networkTiming.flitsPerPacket == 2)
        let run = try lines(of: try Simulation(network: network, chip: chip), level: .steps, measuresRates: true)
        let rates = try #require(run.result.rates)
        let weighed = try Simulation(network: network, chip: chip, rates: rates)
        let rerun = try lines(of: weighed, level: .steps)
        #expect(2 * weighed.placementCost.placed == Double(flitHops(rerun.result)))
    }

    @Test func theSamePlacementEveryTime() throws {
        let network = try NetworkFile.parse(ringText(count: 14), file: "ring.json")
        let chip = try resizedChip("loihi", neuronsPerCore: 20)
        let a = try Simulation(network: network, chip: chip)
        let b = try Simulation(network: network, chip: chip)
        #expect(a.mapping.coreEndpoints == b.mapping.coreEndpoints)
        #expect(a.placementCost == b.placementCost)
        #expect(Set(a.mapping.coreEndpoints).count == 14)
    }
}
