/// Where each input axon's row of synapses lies in a core's synapse memory (rows are stored
/// axon after axon, so a row is a range of synapse indices).
///
/// On random networks spread over many small cores an input axon carries about one synapse, so
/// a table of 32-bit row starts would cost 4 bytes per synapse. When every row of each block of
/// 16 rows starts at most 255 synapses after its block, the table keeps the start of each block
/// (in 16 bits when the core holds fewer than 65,536 synapses) and one byte per axon, its row's
/// offset within the block: 1.125 bytes per axon. Otherwise (long rows, where the table is small
/// beside the synapses) it keeps 32-bit starts.
///
/// Everything is one byte array (offsets, then block starts; or the row starts), so delivering a
/// step's packets retains one array, not three.
public struct SynapseRowTable: Sendable, Equatable {
    /// Rows per stored block start: 2^blockShift.
    static let blockShift = 4
    static let blockSize = 1 << blockShift

    /// How `bytes` is laid out.
    enum Layout: Sendable, Equatable {
        /// Per axon an offset byte (row start minus block start; padded to whole blocks with the
        /// end of the last row), then per block its start and after them the end of all rows,
        /// in 16 or 32 bits, from `blockStartsOffset` on.
        case offsets(wideBlockStarts: Bool)
        /// 32-bit row starts, one per axon plus the end.
        case starts
    }

    public let axonCount: Int
    let layout: Layout
    private let blockStartsOffset: Int
    private let bytes: [UInt8]

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
        let offsets = (0..<(blocks * Self.blockSize)).map { axon in rowStarts[min(axon, axons)] - firstStarts[axon / Self.blockSize] }
        var bytes: [UInt8] = []
        if offsets.allSatisfy({ $0 <= Int32(UInt8.max) }) {
            let wide = Int(rowStarts[axons]) > Int(UInt16.max)
            layout = .offsets(wideBlockStarts: wide)
            bytes.reserveCapacity(offsets.count + firstStarts.count * (wide ? 4 : 2))
            bytes.append(contentsOf: offsets.lazy.map { UInt8($0) })
            blockStartsOffset = bytes.count
            for start in firstStarts {
                if wide { Self.append(UInt32(start), to: &bytes) } else { Self.append(UInt16(start), to: &bytes) }
            }
        } else {
            layout = .starts
            blockStartsOffset = 0
            bytes.reserveCapacity(rowStarts.count * 4)
            for start in rowStarts { Self.append(UInt32(start), to: &bytes) }
        }
        self.bytes = bytes
    }

    private static func append<Integer: FixedWidthInteger>(_ value: Integer, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// True when rows are found from per-axon offset bytes.
    public var storesOffsets: Bool { layout != .starts }

    /// Bytes the table holds.
    public var memoryBytes: Int { bytes.capacity }

    /// The synapses of input axon `axon`.
    public func row(_ axon: Int) -> Range<Int> {
        precondition(axon >= 0 && axon < axonCount, "input axon \(axon) outside 0..<\(axonCount)")
        return withLookup { $0.row(axon) }
    }

    /// Calls `body` with a lookup over the table's storage, for loops over many packets.
    @inline(__always)
    func withLookup<Result>(_ body: (Lookup) -> Result) -> Result {
        bytes.withUnsafeBytes { bytes in
            body(Lookup(bytes: bytes, layout: layout, blockStartsOffset: blockStartsOffset))
        }
    }

    /// The table's storage, valid inside `withLookup`. Axons are not range-checked.
    struct Lookup {
        let bytes: UnsafeRawBufferPointer
        let layout: Layout
        let blockStartsOffset: Int

        @inline(__always)
        func row(_ axon: Int) -> Range<Int> {
            switch layout {
            case .starts:
                return Int(load(UInt32.self, axon &* 4))..<Int(load(UInt32.self, (axon &+ 1) &* 4))
            case .offsets(let wideBlockStarts):
                @inline(__always) func blockStart(_ block: Int) -> Int {
                    wideBlockStarts
                        ? Int(load(UInt32.self, blockStartsOffset &+ block &* 4))
                        : Int(load(UInt16.self, blockStartsOffset &+ block &* 2))
                }
                let block = axon &>> SynapseRowTable.blockShift
                let first = blockStart(block)
                let start = first &+ Int(bytes[axon])
                // The last row of a block ends where the next block starts.
                let end = axon & (SynapseRowTable.blockSize &- 1) == SynapseRowTable.blockSize &- 1 ? blockStart(block &+ 1) : first &+ Int(bytes[axon &+ 1])
                return start..<end
            }
        }

        /// Asks for the cache lines `row(axon)` reads first (`prefetch`).
        @inline(__always)
        func prefetchRow(_ axon: Int) {
            guard let base = bytes.baseAddress else { return }
            switch layout {
            case .starts:
                prefetch(base + axon &* 4)
            case .offsets(let wideBlockStarts):
                prefetch(base + axon)
                prefetch(base + (blockStartsOffset &+ (axon &>> SynapseRowTable.blockShift) &* (wideBlockStarts ? 4 : 2)))
            }
        }

        @inline(__always)
        private func load<Integer: FixedWidthInteger>(_ type: Integer.Type, _ offset: Int) -> Integer {
            Integer(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self))
        }
    }
}
