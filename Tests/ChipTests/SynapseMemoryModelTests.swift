import Testing
@testable import Chip

@Suite struct SynapseMemoryModelTests {
    static func limits(neurons: Int, delaySlots: Int) -> CoreLimits {
        CoreLimits(neurons: neurons, inputAxons: 4096, outputAxons: 4096, synapseMemoryBits: 1 << 20, weightBits: 8, delaySlots: delaySlots)
    }

    @Test(arguments: [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (8, 3), (9, 4), (256, 8), (1023, 10), (1024, 10), (1025, 11)])
    func bitsToCount(count: Int, bits: Int) {
        #expect(SynapseMemoryModel.bitsToCount(count) == bits)
    }

    @Test func fieldWidthsFromLimits() {
        let model = SynapseMemoryModel(limits: Self.limits(neurons: 1024, delaySlots: 16))
        #expect(model.indexBits == 10)
        #expect(model.delayBits == 4)
        let small = SynapseMemoryModel(limits: Self.limits(neurons: 1, delaySlots: 2))
        #expect(small.indexBits == 1 && small.delayBits == 1)
    }

    @Test(arguments: [
        (8, SignMode.excitatory, false, 18), (8, .inhibitory, false, 18), (8, .mixed, false, 19),
        (8, .excitatory, true, 22), (8, .mixed, true, 23), (1, .excitatory, false, 11), (4, .mixed, true, 19),
    ] as [(Int, SignMode, Bool, Int)])
    func synapseBits(weightBits: Int, mode: SignMode, usesDelays: Bool, expected: Int) {
        let model = SynapseMemoryModel(limits: Self.limits(neurons: 1024, delaySlots: 16))
        #expect(model.synapseBits(numWeightBits: weightBits, signMode: mode, usesDelays: usesDelays) == expected)
    }

    @Test(arguments: [(0, 64), (1, 128), (64, 128), (65, 192), (128, 192), (129, 256), (18 * 100, 1920)])
    func rowBitsPadToWords(synapseBits: Int, expected: Int) {
        #expect(SynapseMemoryModel.rowBits(synapseBits: synapseBits) == expected)
    }

    @Test func rowBitsAreWholeWordsWithRoomForHeaderAndSynapses() {
        for bits in 0...1000 {
            let row = SynapseMemoryModel.rowBits(synapseBits: bits)
            #expect(row % SynapseMemoryModel.wordBits == 0)
            #expect(row >= SynapseMemoryModel.rowHeaderBits + bits)
            #expect(row < SynapseMemoryModel.rowHeaderBits + bits + SynapseMemoryModel.wordBits)
        }
    }
}
