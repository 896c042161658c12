import Testing
@testable import Chip

@Suite struct SynapseRowTableTests {
    /// Row starts from row lengths (axon after axon).
    static func rowStarts(_ lengths: [Int]) -> [Int32] {
        var starts: [Int32] = [0]
        for length in lengths { starts.append(starts.last! + Int32(length)) }
        return starts
    }

    /// Every row comes back exactly, in each storage: offsets with 16-bit block starts, offsets
    /// with 32-bit block starts (≥ 65,536 synapses), and 32-bit row starts (a block of 16 rows
    /// holding more than 255 synapses). Lengths include empty rows, rows ending a block, and a
    /// last block that is only partly used.
    @Test(arguments: [
        (maximumLength: 3, axons: 37, storesOffsets: true),
        (maximumLength: 15, axons: 16, storesOffsets: true),
        (maximumLength: 40, axons: 100, storesOffsets: false),
        (maximumLength: 80, axons: 3, storesOffsets: true),
    ])
    func rowsComeBackExactly(maximumLength: Int, axons: Int, storesOffsets: Bool) {
        var generator = SeededGenerator(seed: UInt64(maximumLength), stream: 3)
        let lengths = (0..<axons).map { axon in axon % 5 == 4 ? 0 : Int.random(in: 0...maximumLength, using: &generator) }
        let starts = Self.rowStarts(lengths)
        let table = SynapseRowTable(rowStarts: starts)
        #expect(table.axonCount == axons)
        #expect(table.storesOffsets == storesOffsets)
        for axon in 0..<axons {
            #expect(table.row(axon) == Int(starts[axon])..<Int(starts[axon + 1]), "axon \(axon)")
        }
    }

    /// Offsets are bytes: a row may start 255 synapses after its block but not 256; the last row
    /// of a full block may be long (it ends at the next block's start), while in the last,
    /// partly used block the end of the last row is an offset too.
    @Test func offsetsHoldRowStartsUpTo255IntoABlock() {
        let longLastRow = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 16, count: 15) + [255, 1]))
        let fits = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 15, count: 16) + [255, 0]))
        let startsTooLate = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 18, count: 16)))
        let endsTooLate = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 15, count: 16) + [255, 1]))
        #expect(longLastRow.storesOffsets && fits.storesOffsets)
        #expect(!startsTooLate.storesOffsets && !endsTooLate.storesOffsets)
        #expect(longLastRow.row(15) == 240..<495)
        #expect(longLastRow.row(16) == 495..<496)
        #expect(fits.row(16) == 240..<495)
        #expect(fits.row(17) == 495..<495)
        #expect(endsTooLate.row(17) == 495..<496)
    }

    /// One synapse per axon over 70,000 axons: the block starts need 32 bits, and the rows still
    /// come back exactly.
    @Test func largeCoresUseThirtyTwoBitBlockStarts() {
        let axons = 70_000
        let table = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 1, count: axons)))
        #expect(table.storesOffsets)
        #expect(table.row(0) == 0..<1)
        #expect(table.row(65_535) == 65_535..<65_536)
        #expect(table.row(axons - 1) == (axons - 1)..<axons)
        // One byte per axon and 4 per block of 16 (plus the allocator's rounding).
        #expect(table.memoryBytes >= axons + 4 * (axons / 16 + 1))
        #expect(table.memoryBytes < axons + 4 * (axons / 16 + 1) + 128)
    }

    /// 1,600 axons of one synapse: 1 byte per axon and 2 per block start, 1.125 bytes per axon
    /// (a 32-bit start per axon would cost 4).
    @Test func sparseRowsCostAboutOneByteEach() {
        let table = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 1, count: 1_600)))
        #expect(table.memoryBytes >= 1_600 + 2 * 101)
        #expect(table.memoryBytes < 1_600 + 2 * 101 + 128)
    }
}
