import Chip
import Testing
@testable import Host

@Suite struct RunSummaryTests {
    // MARK: Ratios

    @Test func energyPerSpikeIsTotalEnergyOverNeuronSpikesInPicojoules() throws {
        let (simulation, result) = try GoldenNetwork.run()
        let summary = RunSummary(simulation: simulation, result: result, threads: 1)
        // 1,767,000 fJ over 5 neuron spikes (the 3 input spikes are host events, not counted).
        #expect(summary.energyPerSpikePicojoules == 1_767_000.0 / 1000 / 5)
        #expect(summary.energyPerSpikePicojoules == 353.4)
        // 1,767,000 fJ over 10 synaptic ops.
        #expect(summary.energyPerSynapticOpPicojoules == 176.7)
    }

    @Test func ratiosAreNilWithoutEvents() throws {
        let (simulation, _) = try GoldenNetwork.run(steps: 1)
        var result = RunResult(populationSpikes: [0, 0], inputSpikes: [0])
        result.energyFemtojoules = 5_000
        let summary = RunSummary(simulation: simulation, result: result, threads: 1)
        #expect(summary.energyPerSpikePicojoules == nil)
        #expect(summary.energyPerSynapticOpPicojoules == nil)
        let text = summary.render()
        #expect(text.contains("energy/spike    n/a (no spikes)"))
        #expect(text.contains("energy/synop    n/a (no synaptic ops)"))
    }

    // MARK: Rendering

    @Test func renderOfTheGoldenRun() throws {
        let (simulation, result) = try GoldenNetwork.run()
        let lines = RunSummary(simulation: simulation, result: result, threads: 2, wallSeconds: 0.5).render().components(separatedBy: "\n")
        let expectedPrefix = [
            "network         golden: 4 neurons in 2 populations, 2 input neurons, 7 synapses",
            "chip            tiny: 2×2 mesh, 2 cores per tile, clock 100 MHz, router ideal xy",
            "cores used      3 of 8 on 2 tiles (most on a core: 2 neurons, 3 input axons, 384 synapse-memory bits)",
            // In order, on purpose (the hand-worked golden placement): cost 2 + 2 host packets × 1 hop, 3 A→B × 1 hop.
            "placement       traffic × hops 7 (in-order placement 7, 0.0 % less)",
            "steps           5",
            "spikes          5 neuron spikes (0.25000 per neuron per step), 3 input spikes",
            "  A             4 spikes, 0.26667 per neuron per step",
            "  B             1 spikes, 0.20000 per neuron per step",
            "synaptic ops    10",
            "neuron updates  13 active, 7 inactive",
            "packets         10",
            "flit-hops       20 (east–west 8, north–south 12)",
            "busiest links   (0, 1)S: 12 flits, busy 12 cycles, stalled 0 cycles, max queue 0 flits",
            "                (0, 0)E: 8 flits, busy 8 cycles, stalled 0 cycles, max queue 0 flits",
            "cycles/step     mean 19.8, max 23",
            "chip time       990.0 ns at the chip clock (198.0 ns per step)",
            "energy          1.767 nJ (dynamic 777.000 pJ, static 990.000 pJ)",
            "energy/spike    353.400 pJ",
            "energy/synop    176.700 pJ",
            "energy by event:",
        ]
        #expect(Array(lines.prefix(expectedPrefix.count)) == expectedPrefix)
        // One line per event class but the inter-chip hops (one chip): count × price = energy,
        // share of the total.
        let eventLines = EventClass.allCases.count - 1
        #expect(lines[expectedPrefix.count] == "  synaptic_op" + String(repeating: " ", count: 13) + "          10  ×    10.000 pJ =    100.000 pJ    5.7 %")
        #expect(lines[expectedPrefix.count + EventClass.barrier.rawValue] == "  barrier" + String(repeating: " ", count: 17) + "           5  ×    50.000 pJ =    250.000 pJ   14.1 %")
        #expect(!lines.contains { $0.hasPrefix("  flit_hop_inter_chip") })
        // Then static power's share, the rest of the energy (990 of 1,767 pJ): the shares add up.
        #expect(lines[expectedPrefix.count + eventLines] == "  static                                       at 1 mW =    990.000 pJ   56.0 %")
        #expect(lines[expectedPrefix.count + eventLines + 1] == "digest          \(result.digest)")
        #expect(lines.last == "wall time       0.500 s on 2 threads (0.00 M synaptic events/s)")
        #expect(lines.count == expectedPrefix.count + eventLines + 3)
    }

    /// A price of 100,000 pJ or more still has its space after the ×; smaller ones line up as before.
    @Test func largePricesKeepTheirSpace() throws {
        let (simulation, result) = try GoldenNetwork.run()
        var chip = simulation.chip
        chip.costs[.synapticOp] = EventCost(cycles: 1, energyFemtojoules: 123_456_789_000)
        let expensive = try Simulation(network: simulation.network, chip: chip, placement: .inOrder)
        let line = RunSummary(simulation: expensive, result: result, threads: 1).render().components(separatedBy: "\n").first { $0.hasPrefix("  synaptic_op") }
        #expect(line?.contains("  × 123456789.000 pJ =") == true, "\(line ?? "")")
    }

    @Test func renderWithoutWallTimeHasNoVolatileLine() throws {
        let (simulation, result) = try GoldenNetwork.run()
        let text = RunSummary(simulation: simulation, result: result, threads: 1).render()
        #expect(!text.contains("wall time"))
        #expect(text.hasSuffix("digest          \(result.digest)"))
        // The same run renders the same text.
        let (simulation2, result2) = try GoldenNetwork.run()
        #expect(RunSummary(simulation: simulation2, result: result2, threads: 1).render() == text)
    }

    /// Population names longer than the label column stay whole, apart from their counts: cut,
    /// `hidden_layer_1`'s 9 spikes read "hidden_layer_19 spikes".
    @Test func longPopulationNamesAreNotCut() throws {
        let bias = #""neuron": { "model": "loihi_lif", "vth": 1, "bias_mant": 100, "bias_exp": 6 }"#
        let network = try NetworkFile.parse(#"""
            { "format": "neuroemu-network/1", "name": "long", "steps": 9,
              "populations": [{ "name": "hidden_layer_1", "size": 1, \#(bias) },
                              { "name": "hidden_layer_10", "size": 1, "neuron": { "model": "loihi_lif", "vth": 100 } },
                              { "name": "h", "size": 1, "neuron": { "model": "loihi_lif", "vth": 100 } }] }
            """#, file: "long.json")
        var simulation = try Simulation(network: network, chip: ChipPresets.resolve("tiny"))
        var trace = try TraceWriter(level: .steps, path: nil)
        let result = try simulation.run(steps: 9, threads: 1, trace: &trace)
        let lines = RunSummary(simulation: simulation, result: result, threads: 1).render().split(separator: "\n")
        #expect(lines.contains("  hidden_layer_1  9 spikes, 1.00000 per neuron per step"))
        #expect(lines.contains("  hidden_layer_10  0 spikes, 0.00000 per neuron per step"))
        #expect(lines.contains("  h             0 spikes, 0.00000 per neuron per step"))
    }

    @Test func wallTimeLineUsesSingularForOneThread() throws {
        let (simulation, result) = try GoldenNetwork.run()
        let text = RunSummary(simulation: simulation, result: result, threads: 1, wallSeconds: 2e-6).render()
        // 10 synaptic ops in 2 µs = 5 M/s.
        #expect(text.hasSuffix("wall time       0.000 s on 1 thread (5.00 M synaptic events/s)"))
    }

    // MARK: Number formatting

    @Test(arguments: [
        (2.5, 0, "3"),
        (23.6, 3, "23.600"),
        (0.25, 5, "0.25000"),
        (1234.5678, 2, "1234.57"),
        (0.9996, 3, "1.000"),
        (-1.25, 1, "-1.3"),
        (-0.0001, 3, "0.000"),
        (0, 2, "0.00"),
        (19.8, 1, "19.8"),
        (100, 0, "100"),
        (1e15, 1, "1000000000000000.0"),
    ])
    func fixedPointFormatting(value: Double, decimals: Int, text: String) {
        #expect(RunSummary.fixed(value, decimals) == text)
    }

    /// Placement costs (traffic × hops) print all their digits on either side of 10^15, as
    /// counts do; `fixed(_, 0)` printed "1649795400000000.0" there, and "1.6e+16" above 2^53.
    @Test(arguments: [
        (0.0, "0"),
        (7, "7"),
        (217_513.4, "217513"),
        (2.5, "3"),
        (-0.4, "0"),
        (-2.5, "-3"),
        (999_999_999_999_999, "999999999999999"),
        (1_649_795_400_000_000, "1649795400000000"),
        (1e16, "10000000000000000"),
        (9.3e18, "9300000000000000000"),
        (18_446_744_073_709_549_568, "18446744073709549568"),  // the largest Double below 2^64
        (1e25, "1e+25"),
        (.infinity, "inf"),
        (.nan, "nan"),
    ])
    func wholeNumbers(value: Double, text: String) {
        #expect(RunSummary.whole(value) == text)
    }

    @Test func fixedPassesNonFiniteValuesThrough() {
        #expect(RunSummary.fixed(.infinity, 2) == "inf")
        // Beyond Int's range (a quantization error of a weight near 10^25) no conversion traps.
        #expect(RunSummary.fixed(1e25, 3) == "1e+25" && RunSummary.fixed(-9.3e18, 2) == "-9.3e+18")
        #expect(RunSummary.fixed(-.infinity, 2) == "-inf")
        #expect(RunSummary.fixed(.nan, 2) == "nan")
    }

    @Test(arguments: [
        (Int64(0), "0 fJ"),
        (999, "999 fJ"),
        (1000, "1.000 pJ"),
        (23_600, "23.600 pJ"),
        (1_767_000, "1.767 nJ"),
        (7_730_000_000, "7.730 µJ"),
        (2_000_000_000_000, "2.000 mJ"),
        (1_668_000_000_000_000, "1.668 J"),
        (Int64.max, "9223.372 J"),
        (-5_000, "-5.000 pJ"),
        // The unit follows the printed number: 999,999.6 pJ prints as 1.000 µJ, not 1000.000 nJ.
        (999_999_600, "1.000 µJ"),
        (999_400_000, "999.400 nJ"),
        (-999_999_600, "-1.000 µJ"),
    ])
    func energyFormatting(femtojoules: Int64, text: String) {
        #expect(RunSummary.energy(femtojoules) == text)
    }

    @Test(arguments: [
        (2.5, "2.500 s"),
        (0.0125, "12.500 ms"),
        (25.632e-6, "25.632 µs"),
        (9.9e-7, "990.0 ns"),
        (1e-9, "1.0 ns"),
        (39.6e-12, "39.6 ps"),  // a step of a chip clocked at 1 THz
        (0, "0.0 ns"),
        (0.9999995e-3, "1.000 ms"),
        (0.99999e-9, "1.0 ns"),
    ])
    func durationFormatting(seconds: Double, text: String) {
        #expect(RunSummary.duration(seconds) == text)
    }

    @Test(arguments: [
        (Int64(10_000_000_000), "10 GHz"),
        (2_500_000_000, "2.5 GHz"),
        (100_000_000, "100 MHz"),
        (1_500, "1.5 kHz"),
        (999, "999 Hz"),
        (999_999_999, "1 GHz"),
    ])
    func frequencyFormatting(hertz: Int64, text: String) {
        #expect(RunSummary.frequency(hertz) == text)
    }

    @Test func stringHelpers() {
        #expect("7".leftPadded(4) == "   7")
        #expect("12345".leftPadded(3) == "12345")
        #expect("10.000".trimmingZeros == "10")
        #expect("2.500".trimmingZeros == "2.5")
        #expect("100".trimmingZeros == "100")
        #expect("0.000000".trimmingZeros == "0")
    }
}
