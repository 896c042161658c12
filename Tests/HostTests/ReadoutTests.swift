import Testing
@testable import Host

@Suite struct ReadoutTests {
    @Test func parseNamesAPopulationAndAMode() throws {
        let network = try GoldenNetwork.network()
        #expect(try Readout.parse("A:counts", network: network) == Readout(population: 0, mode: .counts))
        #expect(try Readout.parse("B:mean_v", network: network) == Readout(population: 1, mode: .meanV))
        #expect(try Readout.parse("A:last_v", network: network) == Readout(population: 0, mode: .lastV))
        #expect(try Readout.parse("B:argmax", network: network) == Readout(population: 1, mode: .argmax))
    }

    @Test(arguments: [
        ("A", ReadoutError.malformed("A")),
        ("A:", .malformed("A:")),
        (":counts", .malformed(":counts")),
        ("in:counts", .unknownPopulation("in", known: ["A", "B"])),
        ("C:counts", .unknownPopulation("C", known: ["A", "B"])),
        ("A:median", .unknownMode("median")),
        ("A:counts:x", .unknownMode("counts:x")),
    ])
    func parseErrors(text: String, error: ReadoutError) throws {
        let network = try GoldenNetwork.network()
        #expect(throws: error) { try Readout.parse(text, network: network) }
    }

    @Test func errorDescriptions() {
        #expect(ReadoutError.malformed("A").description == "--readout takes POP:MODE, got 'A'")
        #expect(ReadoutError.unknownPopulation("C", known: ["A", "B"]).description == "--readout: no population named 'C'; populations: A, B")
        #expect(ReadoutError.unknownMode("median").description == "--readout: unknown mode 'median'; modes: counts, mean_v, last_v, argmax")
    }

    /// Voltages of a population with NIR units print in them; counts, argmax and populations
    /// without units print integers.
    @Test func linesPrintVoltagesInNIRUnitsWhenGiven() throws {
        let network = try GoldenNetwork.network()
        let units = NIRVoltageUnits(rest: [0, -1, 0.5], chipUnitsPerNIRUnit: [64, 64, 1000])
        #expect(Readout(population: 0, mode: .lastV).line([32, -64, 250], network: network) == "readout A:last_v 32 -64 250")
        #expect(Readout(population: 0, mode: .lastV).line([32, -64, 250], network: network, units: units) == "readout A:last_v 0.50 -2.00 0.750")
        #expect(Readout(population: 1, mode: .meanV).line([0, 0, -1], network: network, units: units) == "readout B:mean_v 0.00 -1.00 0.499")
        #expect(Readout(population: 0, mode: .counts).line([3, 0, 7], network: network, units: units) == "readout A:counts 3 0 7")
        #expect(Readout(population: 0, mode: .argmax).line([2], network: network, units: units) == "readout A:argmax 2")
        // No values (argmax before any test sample has finished): no trailing space.
        #expect(Readout(population: 0, mode: .argmax).line([], network: network) == "readout A:argmax")
    }

    @Test func valuesOfEachMode() {
        let counts: [Int64] = [2, 5, 5, 0]
        let sums: [Int64] = [10, -10, -9, 0]
        let last: [Int64] = [1, -2, 3, 4]
        func values(_ mode: Readout.Mode) -> [Int64] { Readout(population: 0, mode: mode).values(counts: counts, voltageSums: sums, lastV: last, steps: 4) }
        #expect(values(.counts) == [2, 5, 5, 0])
        // Mean over 4 steps, floored: 2.5 → 2, −2.5 → −3, −2.25 → −3.
        #expect(values(.meanV) == [2, -3, -3, 0])
        #expect(values(.lastV) == [1, -2, 3, 4])
        // The most spikes; the lowest index wins a tie.
        #expect(values(.argmax) == [1])
    }

    /// On any thread count: on two and more the chip runs the steps as one batch (mean voltages
    /// summed by the cores' threads).
    @Test(arguments: [1, 2, 3])
    func readoutsOfTheGoldenRun(threads: Int) throws {
        // From the hand-worked golden trace (SimulationTests): A0 spikes at steps 2 and 4, A1 and
        // A2 at step 3, B at step 4; A2's v is 0, 128, 0, 128, 128 and B's v is 0, 0, 64, 0, 64.
        var simulation = try Simulation(network: GoldenNetwork.network(), chip: GoldenNetwork.chip())
        var trace = try TraceWriter(level: .steps, path: nil)
        let readouts = [
            Readout(population: 0, mode: .counts), Readout(population: 0, mode: .argmax), Readout(population: 0, mode: .lastV),
            Readout(population: 0, mode: .meanV), Readout(population: 1, mode: .meanV), Readout(population: 1, mode: .counts),
        ]
        let result = try simulation.run(steps: 5, threads: threads, trace: &trace, readouts: readouts)
        #expect(result.readouts.map(\.readout) == readouts)
        #expect(result.readouts.map(\.values) == [[2, 1, 1], [0], [0, 0, 128], [0, 0, 76], [25], [1]])
    }
}
