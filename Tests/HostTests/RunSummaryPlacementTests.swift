import Chip
import Router
import Testing
@testable import Host

/// `tiny` with 2 neurons per core: each population of 2 below fills one core, so in-order
/// placement puts population k on mesh core k (tile k / 2; tiles (0,0), (1,0), (0,1), (1,1)).
private func twoNeuronTiny() throws -> ChipDescription {
    try ChipFile.parse(ChipPresets.text(named: "tiny")!.replacingOccurrences(of: #""neurons": 64"#, with: #""neurons": 2"#), file: "tiny2.json")
}

/// A neuron that spikes exactly in the step after an input of weight ≥ 2 arrives: u holds only the
/// current input (du 4095) and v forgets all but 1/4096 (dv 4095), threshold 1 · 2^6.
private let echo = #""model": "loihi_lif", "du": 4095, "dv": 4095, "vth": 1"#

private func population(_ name: String) -> String { #"{ "name": "\#(name)", "size": 2, "neuron": { \#(echo) } }"# }

/// The summary row labelled `label` and the unlabelled rows that continue it.
private func rows(_ text: String, _ label: String) -> [String] {
    let lines = text.components(separatedBy: "\n")
    let blank = String(repeating: " ", count: 16)
    guard let first = lines.firstIndex(where: { $0.hasPrefix(label.padding(toLength: 16, withPad: " ", startingAt: 0)) }) else { return [] }
    return [lines[first]] + lines[(first + 1)...].prefix { $0.hasPrefix(blank) }
}

private func render(_ network: NetworkDescription, on chip: ChipDescription, placement: Simulation.Placement) throws -> (String, Simulation, RunResult) {
    var simulation = try Simulation(network: network, chip: chip, placement: placement)
    var trace = try TraceWriter(level: .steps, path: nil)
    let result = try simulation.run(steps: network.steps, threads: 1, trace: &trace)
    return (RunSummary(simulation: simulation, result: result, threads: 1).render(), simulation, result)
}

@Suite struct RunSummaryPlacementTests {
    @Test func placementRowReportsTheSaving() throws {
        // in → A (host traffic 1), A → C (2 packets per round of A spikes); B is idle. In order,
        // C sits on tile (1, 0), one hop from A: cost 2. The placer puts C beside A: cost 0.
        let network = try NetworkFile.parse("""
            { "format": "neuroemu-network/1", "name": "saving", "steps": 3,
              "inputs": [{ "name": "in", "size": 1, "spike_times": [[1]] }],
              "populations": [\(population("A")), \(population("B")), \(population("C"))],
              "projections": [{ "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 10 } },
                              { "name": "A_C", "source": "A", "target": "C", "all_to_all": { "weight": 10 } }] }
            """, file: "saving.json")
        let chip = try twoNeuronTiny()
        let (optimized, simulation, _) = try render(network, on: chip, placement: .optimized)
        #expect(simulation.mapping.coreEndpoints == [0, 2, 1])
        #expect(rows(optimized, "placement") == ["placement       traffic × hops 0 (in-order placement 2, 100.0 % less)"])
        let (ordered, _, _) = try render(network, on: chip, placement: .inOrder)
        #expect(rows(ordered, "placement") == ["placement       traffic × hops 2 (in-order placement 2, 0.0 % less)"])
        // No traffic at all: no saving to divide by.
        let idle = try NetworkFile.parse(#"{ "format": "neuroemu-network/1", "name": "idle", "steps": 1, "populations": [\#(population("A"))] }"#, file: "idle.json")
        #expect(rows(try render(idle, on: chip, placement: .optimized).0, "placement") == ["placement       traffic × hops 0 (in-order placement 0, 0.0 % less)"])
    }

    @Test func quantizedRowsOnePerFloatProjection() throws {
        let network = try NetworkFile.parse("""
            { "format": "neuroemu-network/1", "name": "floaty", "steps": 4,
              "inputs": [{ "name": "in", "size": 2, "spike_times": [[1], [2]] }],
              "populations": [
                { "name": "I", "size": 2, "neuron": { "model": "loihi_lif", "vth": 10 } },
                { "name": "F", "size": 2, "neuron": { "model": "lif", "tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1.0 } }
              ],
              "projections": [
                { "name": "in_I", "source": "in", "target": "I", "one_to_one": { "weight": 20 } },
                { "name": "in_F", "source": "in", "target": "F", "weights": [[0.5, -0.25], [0, 0.125]] },
                { "name": "I_F", "source": "I", "target": "F", "one_to_one": { "weight": 0.5 } }
              ] }
            """, file: "floaty.json")
        let (text, _, _) = try render(network, on: try ChipPresets.resolve("tiny"), placement: .optimized)
        // vth 65280: in_F realises 254, −128, 64 · 2^7 / 65280 against 0.5, −0.25, 0.125 — a
        // relative RMS error of 1/255 = 0.392 %; I_F's 0.5 is exactly 255 · 2^7 / 65280.
        let quantized = text.components(separatedBy: "\n").filter { $0.hasPrefix("quantized ") }
        #expect(quantized == [
            "quantized       in_F: weight_exp 7, mixed, relative RMS weight error 0.392 %",
            "quantized       I_F: weight_exp 7, excitatory, relative RMS weight error 0.000 %",
        ])
        // Between the cores row and the placement row.
        let lines = text.components(separatedBy: "\n")
        let first = try #require(lines.firstIndex { $0.hasPrefix("quantized ") })
        #expect(lines[first - 1].hasPrefix("cores used "))
        #expect(lines[first + 2].hasPrefix("placement "))
    }

    @Test func integerNetworksHaveNoQuantizedRows() throws {
        let (simulation, result) = try GoldenNetwork.run()
        #expect(!RunSummary(simulation: simulation, result: result, threads: 1).render().contains("quantized"))
    }

    @Test func busiestLinksAreTheTopThreeByFlits() throws {
        // In order on tiny (2 flits per packet, host on (0,0)):
        //   in  → A (core 0, tile (0,0)): no links.
        //   A   → C (core 2, tile (1,0)): link (0,0)E.     A → E (core 4, tile (0,1)): link (0,0)N.
        //   C   → E: XY route west over (1,0)W, then north over (0,0)N.
        //   cue → G (core 6, tile (1,1)): east over (0,0)E, then north over (1,0)N.
        // A's two neurons spike at steps 2, 3, 4 (6 spikes), and so do C's at 3, 4, 5: 6 packets
        // each way, so (0,0)N carries 24 flits, (0,0)E 12 + 2 (cue), (1,0)W 12, (1,0)N 2.
        let network = try NetworkFile.parse("""
            { "format": "neuroemu-network/1", "name": "links", "steps": 8,
              "inputs": [{ "name": "in", "size": 1, "spike_times": [[1, 2, 3]] },
                         { "name": "cue", "size": 1, "spike_times": [[5]] }],
              "populations": [\(["A", "B", "C", "D", "E", "F", "G"].map(population).joined(separator: ", "))],
              "projections": [{ "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 10 } },
                              { "name": "A_C", "source": "A", "target": "C", "all_to_all": { "weight": 10 } },
                              { "name": "A_E", "source": "A", "target": "E", "all_to_all": { "weight": 10 } },
                              { "name": "C_E", "source": "C", "target": "E", "all_to_all": { "weight": 10 } },
                              { "name": "cue_G", "source": "cue", "target": "G", "all_to_all": { "weight": 10 } }] }
            """, file: "links.json")
        let (text, simulation, result) = try render(network, on: try twoNeuronTiny(), placement: .inOrder)
        #expect(simulation.mapping.coreEndpoints == [0, 1, 2, 3, 4, 5, 6])
        #expect(result.populationSpikes[0] == 6 && result.populationSpikes[2] == 6)
        #expect(result.totals[.eastWestFlitHop] == 12 + 12 + 2)
        #expect(result.totals[.northSouthFlitHop] == 24 + 2)
        #expect(rows(text, "busiest links") == [
            "busiest links   (0, 0)N: 24 flits, busy 24 cycles, stalled 0 cycles, max queue 0 flits",
            // A tie of 12 would go to the lower link index; here (0,0)E has the cue's 2 more.
            "                (0, 0)E: 14 flits, busy 14 cycles, stalled 0 cycles, max queue 0 flits",
            "                (1, 0)W: 12 flits, busy 12 cycles, stalled 0 cycles, max queue 0 flits",
        ])
        // The rows sit between flit-hops and cycles/step.
        let lines = text.components(separatedBy: "\n")
        let first = try #require(lines.firstIndex { $0.hasPrefix("busiest links") })
        #expect(lines[first - 1] == "flit-hops       52 (east–west 26, north–south 26)")
        #expect(lines[first + 3].hasPrefix("cycles/step "))
    }

    @Test func noBusiestLinksRowWhenNothingCrossesALink() throws {
        // One core on the host tile: every packet stays on tile (0, 0).
        let network = try NetworkFile.parse("""
            { "format": "neuroemu-network/1", "name": "local", "steps": 3,
              "inputs": [{ "name": "in", "size": 1, "spike_times": [[1]] }],
              "populations": [\(population("A"))],
              "projections": [{ "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 10 } }] }
            """, file: "local.json")
        let (text, _, result) = try render(network, on: try twoNeuronTiny(), placement: .optimized)
        #expect(result.totals[.packet] == 1)
        #expect(!text.contains("busiest links"))
        #expect(text.contains("flit-hops       0 (east–west 0, north–south 0)\ncycles/step "))
    }

    @Test func flitRouterFillsStallAndQueueColumns() throws {
        // Under the flit model the same rows carry the measured queue depth (never more than the
        // input buffer). The host's packets leave one flit per cycle through the shared injection
        // port, so they queue downstream but never stall a link here.
        var chip = try twoNeuronTiny()
        chip.routerFidelity = .flit
        let network = try NetworkFile.parse(chainlessText, file: "burst.json")
        let (text, simulation, _) = try render(network, on: chip, placement: .inOrder)
        let links = simulation.engine.networkCounters
        let busiest = try #require(links.linkFlits.indices.max { links.linkFlits[$0] < links.linkFlits[$1] || (links.linkFlits[$0] == links.linkFlits[$1] && $0 > $1) })
        let tile = chip.mesh.coordinate(ofTile: busiest / 4)
        let letter = try #require(LinkDirection(rawValue: busiest % 4)).letter
        #expect(rows(text, "busiest links").first
            == "busiest links   \(tile)\(letter): \(links.linkFlits[busiest]) flits, busy \(links.linkBusyCycles[busiest]) cycles, stalled \(links.linkStallCycles[busiest]) cycles, max queue \(links.linkMaxQueueDepth[busiest]) flits")
        #expect(links.linkFlits[busiest] == 32)  // 16 host packets of 2 flits cross (0,0)E
        let buffer = UInt32(try #require(chip.routerBufferFlits))
        #expect(links.linkMaxQueueDepth[busiest] > 0 && links.linkMaxQueueDepth[busiest] <= buffer)
        #expect(links.linkStallCycles[busiest] == 0)
    }
}

/// Eight inputs firing together at step 1 into C, E and G (cores 2, 4, 6): 24 host packets leave
/// tile (0,0) at once, 16 of them east (to C, and to G via (1,0)), so packets contend.
private let chainlessText = """
    { "format": "neuroemu-network/1", "name": "burst", "steps": 4,
      "inputs": [{ "name": "in", "size": 8, "spike_times": [[1], [1], [1], [1], [1], [1], [1], [1]] }],
      "populations": [\(["A", "B", "C", "D", "E", "F", "G"].map(population).joined(separator: ", "))],
      "projections": [{ "name": "in_G", "source": "in", "target": "G", "all_to_all": { "weight": 10 } },
                      { "name": "in_E", "source": "in", "target": "E", "all_to_all": { "weight": 10 } },
                      { "name": "in_C", "source": "in", "target": "C", "all_to_all": { "weight": 10 } }] }
    """
