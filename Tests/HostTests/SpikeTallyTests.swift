@testable import Chip
import Testing
@testable import Host

@Suite struct SpikeTallyTests {
    /// A split over cores 1 and 0 (so core order is not the trace's order), B beside A's last
    /// neuron on core 0.
    static let populationSlices = [
        [Slice(population: 0, start: 0, count: 2, core: 1, coreOffset: 0), Slice(population: 0, start: 2, count: 1, core: 0, coreOffset: 1)],
        [Slice(population: 1, start: 0, count: 1, core: 0, coreOffset: 0)],
    ]

    /// Runs `body` with these spikes as a pipelined call hands them over (core, neuron, value).
    static func withHanded(_ spikes: [ExportedSpike], _ body: (StepSpikes) -> Void) {
        var count = spikes.count
        spikes.withUnsafeBufferPointer { buffer in
            withUnsafePointer(to: &count) { count in
                body(StepSpikes(timestep: 7, list: buffer.baseAddress, count: count))
            }
        }
    }

    static let spikes = [(0, 0), (0, 1), (1, 1), (1, 0)].map { ExportedSpike(core: Int32($0.0), neuron: Int32($0.1), injectCycle: 0, payload: 1) }

    @Test func linesComeInPopulationThenSliceThenSpikeOrder() throws {
        let network = try GoldenNetwork.network()
        var tally = SpikeTally(network: network, populationSlices: Self.populationSlices, coreCount: 2, measured: { _ in true }, classifier: 0, writesLines: true)
        var lines = TraceLines()
        Self.withHanded(Self.spikes) { tally.add($0, step: 7, lines: &lines) }
        #expect(String(decoding: lines.bytes, as: UTF8.self) == "spike 7 A 1\nspike 7 A 0\nspike 7 A 2\nspike 7 B 0\n")
        #expect(tally.populationSpikes == [3, 1])
        #expect(tally.neuronSpikes == [[1, 1, 1], [1]])
        #expect(tally.classifiedSpikes == [1, 1, 1])
    }

    /// Without lines each spike is counted as it comes; the counts are the same, step after step.
    @Test func countsWithoutLinesMatchCountsWithThem() throws {
        let network = try GoldenNetwork.network()
        var withLines = SpikeTally(network: network, populationSlices: Self.populationSlices, coreCount: 2, measured: { $0 == 0 }, classifier: nil, writesLines: true)
        var without = SpikeTally(network: network, populationSlices: Self.populationSlices, coreCount: 2, measured: { $0 == 0 }, classifier: nil, writesLines: false)
        var lines = TraceLines()
        var none = TraceLines()
        for step in 1...3 {
            let spikes = Array(Self.spikes.prefix(step + 1))
            Self.withHanded(spikes) { handed in
                withLines.add(handed, step: step, lines: &lines)
                without.add(handed, step: step, lines: &none)
            }
        }
        #expect(none.isEmpty && lines.bytes.count { $0 == 0x0A } == 2 + 3 + 4)
        #expect(without.populationSpikes == withLines.populationSpikes && without.populationSpikes == [6, 3])
        #expect(without.neuronSpikes == withLines.neuronSpikes && without.neuronSpikes == [[1, 2, 3], []])
    }
}
