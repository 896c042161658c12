import Testing
@testable import Chip

@Suite struct SynapseMemoryTests {
    /// Delivers `axon` into a fresh accumulator array and returns it with the synapse count.
    static func delivered(_ memory: SynapseMemory, axon: Int, payload: Int32, current: Int, slots: Int, accumulators: Int) -> (sums: [Int32], synapses: Int) {
        var sums = [Int32](repeating: 0, count: slots * accumulators)
        let synapses = memory.withDelivery { delivery in
            sums.withUnsafeMutableBufferPointer { delivery.deliver(axon: axon, payload: payload, current: current, slots: slots, slotStride: accumulators, into: $0) }
        }
        return (sums, synapses)
    }

    /// The reference: each synapse adds weight × payload at slot (current + delay) mod slots.
    static func expected(_ synapses: ArraySlice<Synapse>, neurons: Int, payload: Int32, current: Int, slots: Int, accumulators: Int) -> [Int32] {
        var sums = [Int32](repeating: 0, count: slots * accumulators)
        for synapse in synapses {
            let slot = (current + Int(synapse.delay)) % slots
            sums[slot * accumulators + Int(synapse.group) * neurons + Int(synapse.target)] += synapse.weight * payload
        }
        return sums
    }

    /// The layout is the smallest that fits, and every layout delivers the same sums:
    /// a 2-byte word with a palette (static, few weights), a 2-byte word with a weight per
    /// synapse (many distinct weights, or plastic; 6,000 accumulators and delays below 8 fill 16
    /// bits exactly), and a 4-byte word when the accumulator and delay fields need more than 16
    /// bits (20,000 accumulators), with a palette or a weight per synapse.
    @Test(arguments: [
        (neurons: 50, distinctWeights: 2, plastic: false, wordBytes: 2, palette: true),
        (neurons: 50, distinctWeights: 8, plastic: false, wordBytes: 2, palette: true),
        (neurons: 50, distinctWeights: 9, plastic: false, wordBytes: 2, palette: true),
        (neurons: 50, distinctWeights: 30, plastic: false, wordBytes: 2, palette: true),
        (neurons: 50, distinctWeights: 400, plastic: false, wordBytes: 2, palette: false),
        (neurons: 50, distinctWeights: 2, plastic: true, wordBytes: 2, palette: false),
        (neurons: 3_000, distinctWeights: 400, plastic: false, wordBytes: 2, palette: false),
        (neurons: 10_000, distinctWeights: 2, plastic: false, wordBytes: 4, palette: true),
        (neurons: 10_000, distinctWeights: 2, plastic: true, wordBytes: 4, palette: false),
    ])
    func layoutsDeliverTheSameSums(neurons: Int, distinctWeights: Int, plastic: Bool, wordBytes: Int, palette: Bool) {
        var generator = SeededGenerator(seed: UInt64(neurons + distinctWeights), stream: 5)
        let groups = 2
        let slots = 6
        let axons = 40
        let weightValues = (0..<distinctWeights).map { Int32($0 * 7 % 30_000) - 15_000 }
        var synapses: [Synapse] = []
        var rowStarts: [Int32] = [0]
        for _ in 0..<axons {
            for _ in 0..<Int.random(in: 0...30, using: &generator) {
                synapses.append(Synapse(
                    target: Int32.random(in: 0..<Int32(neurons), using: &generator), group: Int32.random(in: 0..<Int32(groups), using: &generator),
                    weight: weightValues.randomElement(using: &generator)!, delay: Int32.random(in: 1..<Int32(slots), using: &generator),
                    learningRule: plastic ? 0 : -1))
            }
            rowStarts.append(Int32(synapses.count))
        }
        let memory = SynapseMemory(synapses: synapses, rowStarts: rowStarts, neuronCount: neurons, accumulatorCount: groups * neurons, delaySlots: slots)
        #expect(memory.wordBytes == wordBytes)
        #expect(memory.usesPalette == palette)
        // Palettes of up to 8 weights are kept in the memory's own value, larger ones in an array.
        #expect(memory.usesInlinePalette == (palette && Set(synapses.map(\.weight)).count <= SynapseMemory.inlinePaletteSize))
        #expect(memory.count == synapses.count)
        for axon in 0..<axons {
            let current = axon % slots
            let result = Self.delivered(memory, axon: axon, payload: 3, current: current, slots: slots, accumulators: groups * neurons)
            let row = Int(rowStarts[axon])..<Int(rowStarts[axon + 1])
            #expect(result.synapses == row.count)
            #expect(result.sums == Self.expected(synapses[row], neurons: neurons, payload: 3, current: current, slots: slots, accumulators: groups * neurons), "axon \(axon)")
        }
        // What the synapse units' prefetches compute: the accumulator each synapse adds into.
        let misplaced = memory.withDelivery { delivery in
            synapses.indices.filter { s in
                let current = s % slots
                let synapse = synapses[s]
                let accumulator = (current + Int(synapse.delay)) % slots * groups * neurons + Int(synapse.group) * neurons + Int(synapse.target)
                return delivery.target(ofSynapse: s, current: current, slots: slots, slotStride: groups * neurons) != accumulator
            }
        }
        #expect(misplaced.isEmpty, "synapses \(misplaced.prefix(5)) of \(synapses.count)")
    }

    /// A single weight value still gets a one-bit palette field; a palette of the two CUBA
    /// weights costs 2 bytes per synapse, the wide layout with weights 6.
    @Test func paletteSynapsesCostTwoBytes() {
        let synapses = (0..<4_000).map { Synapse(target: Int32($0 % 51), weight: $0 % 5 == 0 ? -90 : 18) }
        let rowStarts = (0...4_000).map { Int32($0) }
        let memory = SynapseMemory(synapses: synapses, rowStarts: rowStarts, neuronCount: 51, accumulatorCount: 51, delaySlots: 2)
        #expect(memory.usesPalette && memory.wordBytes == 2)
        #expect(memory.memoryBytes - memory.rows.memoryBytes < 2 * 4_000 + 128)
        let single = SynapseMemory(synapses: [Synapse(target: 0, weight: 5)], rowStarts: [0, 1], neuronCount: 1, accumulatorCount: 1, delaySlots: 2)
        #expect(single.usesPalette)
        #expect(Self.delivered(single, axon: 0, payload: 2, current: 1, slots: 2, accumulators: 1).sums == [10, 0])
    }

    /// 32-bit words with a weight each: 6 bytes per synapse, allocated exactly (the cores keep
    /// their memory for the whole run, so spare capacity from appending would be memory lost).
    @Test func wideSynapsesCostSixBytesExactly() {
        let synapses = (0..<5_000).map { Synapse(target: Int32($0 * 19 % 100_000), weight: Int32($0 % 300), learningRule: 0) }
        let rowStarts = (0...5_000).map { Int32($0) }
        let memory = SynapseMemory(synapses: synapses, rowStarts: rowStarts, neuronCount: 100_000, accumulatorCount: 100_000, delaySlots: 2)
        #expect(!memory.usesPalette && memory.wordBytes == 4)
        let synapseBytes = memory.memoryBytes - memory.rows.memoryBytes
        #expect(synapseBytes >= 6 * 5_000)
        #expect(synapseBytes < 6 * 5_000 + 64)
    }
}
