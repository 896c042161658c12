import Testing
@testable import Chip

@Suite struct OutputAxonTableTests {
    /// Small indices are stored in 16-bit halves, a core or axon beyond 65,535 switches the
    /// whole table to 32-bit halves; both give back exactly the pairs they were built from.
    @Test(arguments: [Int32(70), Int32(65_535), Int32(65_536), Int32(1 << 20)])
    func entriesComeBackInNeuronOrder(largest: Int32) {
        let destinations: [[OutputAxon]] = [
            [OutputAxon(core: 1, axon: 4), OutputAxon(core: largest, axon: 0)],
            [],
            [OutputAxon(core: 0, axon: largest), OutputAxon(core: 3, axon: 2), OutputAxon(core: 2, axon: 9)],
        ]
        let table = OutputAxonTable(destinations)
        #expect(table.count == 5)
        #expect(table.range(of: 0) == 0..<2)
        #expect(table.range(of: 1) == 2..<2)
        #expect(table.range(of: 2) == 2..<5)
        #expect((0..<3).map { neuron in table.range(of: neuron).map { table[$0] } } == destinations)
    }

    /// 4 bytes per neuron start; 4 bytes per pair in 16-bit halves, 8 in 32-bit halves (plus the
    /// allocator's rounding of each array).
    @Test(arguments: [Int32(1_000), Int32(100_000)])
    func pairsTakeFourBytesWhenTheyFitSixteenBits(largest: Int32) {
        let destinations = (0..<1_000).map { neuron in
            [OutputAxon(core: Int32(neuron % 7), axon: neuron == 0 ? largest : Int32(neuron))]
        }
        let table = OutputAxonTable(destinations)
        let exact = 4 * 1_001 + (largest > 65_535 ? 8 : 4) * 1_000
        #expect(table.memoryBytes >= exact)
        #expect(table.memoryBytes < exact + 128)
    }
}
