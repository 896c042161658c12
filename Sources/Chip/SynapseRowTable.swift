/// Where each input axon's row of synapses lies in a core's synapse memory (rows are stored
/// axon after axon, so a row is a range of synapse indices).
///
/// On random networks spread over many small cores an input axon carries about one synapse, so
/// a table of 32-bit row starts would cost 4 bytes per synapse. When every row of each block of 16
/// rows starts at most 255 synapses after its block, the table keeps the start of each block (in 16 bits when the core holds
/// fewer than 65,536 synapses) and one byte per axon, its row's offset within the block: 1.125
/// bytes per axon. Otherwise (long rows, where the table is small beside the synapses) it keeps
/// 32-bit starts.
public struct SynapseRowTable: Sendable, Equatable {
    /// Rows per stored block start.
    static let blockSize = 16

    public let axonCount: Int
    /// Per axon, its row's start minus its block's start; padded to whole blocks with the end of
    /// the last row (empty with `starts`).
    private let offsets: [UInt8]
    /// Start of rows 0, 16, 32, … and the end of the last row, in 16 or 32 bits (one array used;
    /// both empty with `starts`).
    private let narrowBlockStarts: [UInt16]
    private let blockStarts: [Int32]
    /// Start of every row and the end of the last (empty with `offsets`).
    private let starts: [Int32]

    /// - Parameter rowStarts: `axonCount + 1` ascending synapse indices, the first 0.
    public init(rowStarts: [Int32]) {
        precondition(rowStarts.first == 0, "row starts begin at synapse 0")
        let axons = rowStarts.count - 1
        axonCount = axons
        let blocks = (axons + Self.blockSize - 1) / Self.blockSize
        // Block b starts at row 16·b; the entry after the last block is the end of all rows.
        let firstStarts = (0...blocks).map { rowStarts[min($0 * Self.blockSize, axons)] }
        // Each row's start within its block (and, in a partly used last block, the end of the
        // last row) must fit a byte; a full block's last row ends at the next block's start.
        let wideOffsets = (0..<(blocks * Self.blockSize)).map { axon in rowStarts[min(axon, axons)] - firstStarts[axon / Self.blockSize] }
        if wideOffsets.allSatisfy({ $0 <= Int32(UInt8.max) }) {
            offsets = wideOffsets.map { UInt8($0) }
            if Int(rowStarts[axons]) <= Int(UInt16.max) {
                narrowBlockStarts = firstStarts.map { UInt16($0) }
                blockStarts = []
            } else {
                narrowBlockStarts = []
                blockStarts = firstStarts
            }
            starts = []
        } else {
            offsets = []
            narrowBlockStarts = []
            blockStarts = []
            starts = Core.compacted(rowStarts)
        }
    }

    /// True when rows are found from per-axon offset bytes.
    public var storesOffsets: Bool { starts.isEmpty }

    /// Bytes the table holds.
    public var memoryBytes: Int {
        offsets.capacity + narrowBlockStarts.capacity * 2 + (blockStarts.capacity + starts.capacity) * 4
    }

    /// The synapses of input axon `axon`.
    public func row(_ axon: Int) -> Range<Int> {
        precondition(axon >= 0 && axon < axonCount, "input axon \(axon) outside 0..<\(axonCount)")
        return withLookup { $0.row(axon) }
    }

    /// Calls `body` with a lookup over the table's storage, for loops over many packets.
    @inline(__always)
    func withLookup<Result>(_ body: (Lookup) -> Result) -> Result {
        offsets.withUnsafeBufferPointer { offsets in
        narrowBlockStarts.withUnsafeBufferPointer { narrowBlockStarts in
        blockStarts.withUnsafeBufferPointer { blockStarts in
        starts.withUnsafeBufferPointer { starts in
            body(Lookup(offsets: offsets, narrowBlockStarts: narrowBlockStarts, blockStarts: blockStarts, starts: starts))
        }}}}
    }

    /// The table's storage, valid inside `withLookup`. Axons are not range-checked.
    struct Lookup {
        let offsets: UnsafeBufferPointer<UInt8>
        let narrowBlockStarts: UnsafeBufferPointer<UInt16>
        let blockStarts: UnsafeBufferPointer<Int32>
        let starts: UnsafeBufferPointer<Int32>

        @inline(__always)
        func row(_ axon: Int) -> Range<Int> {
            if offsets.isEmpty {
                return Int(starts[axon])..<Int(starts[axon &+ 1])
            }
            let block = axon &>> 4
            let blockStart = narrowBlockStarts.isEmpty ? Int(blockStarts[block]) : Int(narrowBlockStarts[block])
            let start = blockStart &+ Int(offsets[axon])
            // The last row of a block ends where the next block starts.
            if axon & 15 == 15 {
                return start..<(narrowBlockStarts.isEmpty ? Int(blockStarts[block &+ 1]) : Int(narrowBlockStarts[block &+ 1]))
            }
            return start..<(blockStart &+ Int(offsets[axon &+ 1]))
        }
    }
}
