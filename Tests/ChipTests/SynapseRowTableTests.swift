import Testing
@testable import Chip

@Suite struct SynapseRowTableTests {
    /// Row starts from row lengths (axon after axon).
    static func rowStarts(_ lengths: [Int]) -> [Int32] {
        var starts: [Int32] = [0]
        for length in lengths { starts.append(starts.last! + Int32(length)) }
        return starts
    }

    /// Every row comes back exactly, in each storage: blocks with 16-bit starts, blocks with
    /// 32-bit starts (≥ 65,536 synapses), and 32-bit row starts (a block of 14 rows holding more
    /// than 255 synapses). Lengths include empty rows, rows ending a block, and a last block that
    /// is only partly used.
    @Test(arguments: [
        (maximumLength: 3, axons: 37, storesOffsets: true),
        (maximumLength: 3, axons: 28, storesOffsets: true),  // whole blocks: the last axon reads the end record
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

    /// The block records byte for byte: a 16-bit start, then 14 offset bytes (the last block
    /// padded with the end of the last row), then a record holding the end of all rows. A row
    /// is found from its own record alone, one cache line.
    @Test func blocksKeepTheirStartBesideTheirOffsets() {
        let lengths = Array(repeating: 1, count: 13) + [2, 3, 4]  // 16 axons: a full block and two more
        let table = SynapseRowTable(rowStarts: Self.rowStarts(lengths))
        #expect(table.layout == .blocks(wideStarts: false))
        let first: [UInt8] = [0, 0] + (0...13).map { UInt8($0) }
        let second: [UInt8] = [15, 0] + [0, 3] + Array(repeating: 7, count: 12)
        let end: [UInt8] = [22, 0] + Array(repeating: 0, count: 14)
        #expect(table.bytes == first + second + end)
        #expect(table.row(13) == 13..<15)
        #expect(table.row(14) == 15..<18)
        #expect(table.row(15) == 18..<22)
        // Records start 16-byte aligned, so none crosses a cache line.
        #expect(table.bytes.withUnsafeBytes { Int(bitPattern: $0.baseAddress) % SynapseRowTable.blockBytes } == 0)
    }

    /// Offsets are bytes: a row may start 255 synapses after its block but not 256; the last row
    /// of a full block may be long (it ends at the next block's start), while in the last,
    /// partly used block the end of the last row is an offset too.
    @Test func offsetsHoldRowStartsUpTo255IntoABlock() {
        let longLastRow = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 19, count: 13) + [255, 1]))
        let fits = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 15, count: 14) + [255, 0]))
        let startsTooLate = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 20, count: 12) + [16, 1]))
        let startsAt255 = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 20, count: 12) + [15, 1]))
        let endsTooLate = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 15, count: 14) + [255, 1]))
        #expect(longLastRow.storesOffsets && fits.storesOffsets && startsAt255.storesOffsets)
        #expect(startsAt255.row(13) == 255..<256)
        #expect(!startsTooLate.storesOffsets && !endsTooLate.storesOffsets)
        #expect(longLastRow.row(13) == 247..<502)
        #expect(longLastRow.row(14) == 502..<503)
        #expect(fits.row(14) == 210..<465)
        #expect(fits.row(15) == 465..<465)
        #expect(endsTooLate.row(15) == 465..<466)
    }

    /// One synapse per axon over 72,000 axons: the block starts need 32 bits (12 axons a
    /// record, 6,000 whole records), and the rows still come back exactly.
    @Test func largeCoresUseThirtyTwoBitBlockStarts() {
        let axons = 72_000
        let table = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 1, count: axons)))
        #expect(table.layout == .blocks(wideStarts: true))
        #expect(table.row(0) == 0..<1)
        #expect(table.row(11) == 11..<12)
        #expect(table.row(12) == 12..<13)
        #expect(table.row(65_535) == 65_535..<65_536)
        #expect(table.row(axons - 1) == (axons - 1)..<axons)
        // 16 bytes per 12 axons and one record for the end (plus the allocator's rounding).
        let records = (axons + 11) / 12 + 1
        #expect(table.memoryBytes >= 16 * records)
        #expect(table.memoryBytes < 16 * records + 128)
    }

    /// 1,600 axons of one synapse: 16 bytes per 14 axons, 1.16 bytes per axon with the end
    /// record (a 32-bit start per axon would cost 4).
    @Test func sparseRowsCostAboutOneByteEach() {
        let table = SynapseRowTable(rowStarts: Self.rowStarts(Array(repeating: 1, count: 1_600)))
        #expect(table.memoryBytes >= 16 * 116)
        #expect(table.memoryBytes < 16 * 116 + 128)
    }
}
