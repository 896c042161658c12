/// Where each input axon's row of synapses lies in a core's synapse memory (rows are stored
/// axon after axon, so a row is a range of synapse indices).
///
/// On random networks spread over many small cores an input axon carries about one synapse, so
/// a table of 32-bit row starts would cost 4 bytes per synapse. When every row of each block of
/// axons starts at most 255 synapses after its block, the table keeps blocks of 16 bytes: the
/// block's first synapse in 16 bits and one byte per axon for 14 axons (its row's offset within
/// the block), or in 32 bits and 12 axons when the core holds 65,536 synapses or more — 1.14 or
/// 1.33 bytes per axon. A block start and its offsets share one 16-byte record, so finding a
/// row reads one cache line (two only for the last axon of a block, whose row ends at the next
/// block's start, when that block lies on the next line): on large networks each packet's row
/// lookup is a cache miss, and offsets and starts kept apart made it two. Otherwise (long rows,
/// where the table is small beside the synapses) it keeps 32-bit starts.
///
/// Everything is one byte array, so delivering a step's packets retains one array, not three.
public struct SynapseRowTable: Sendable, Equatable {
    /// Bytes per block record: a start and the offsets of `axonsPerBlock` axons. Records stay
    /// within one cache line where the array's elements are 16-byte aligned (they are with the
    /// system allocator; a record across two lines would cost speed, never a result).
    static let blockBytes = 16

    /// How `bytes` is laid out.
    enum Layout: Sendable, Equatable {
        /// Records of `blockBytes`: the block's first synapse (16 or 32 bits) and then each of
        /// its axons' offset byte (row start minus block start; the last block padded with the
        /// end of the last row), and after the last block a record whose start is the end of
        /// all rows.
        case blocks(wideStarts: Bool)
        /// 32-bit row starts, one per axon plus the end.
        case starts
    }

    /// Input axons the table holds rows for.
    public let axonCount: Int
    let layout: Layout
    /// The table's storage (`Layout`).
    let bytes: [UInt8]

    /// Axons per block record: 14 with 16-bit starts, 12 with 32-bit starts.
    @inline(__always)
    static func axonsPerBlock(wideStarts: Bool) -> Int { wideStarts ? blockBytes - 4 : blockBytes - 2 }

    /// The block holding axon `axon` (not negative): a division by a constant in each branch,
    /// which compiles to a multiply and a shift.
    @inline(__always)
    static func block(of axon: Int, wideStarts: Bool) -> Int {
        let axon = UInt(bitPattern: axon)
        return Int(bitPattern: wideStarts ? axon / UInt(axonsPerBlock(wideStarts: true)) : axon / UInt(axonsPerBlock(wideStarts: false)))
    }

    /// - Parameter rowStarts: `axonCount + 1` ascending synapse indices, the first 0.
    public init(rowStarts: [Int32]) {
        precondition(rowStarts.first == 0, "row starts begin at synapse 0")
        let axons = rowStarts.count - 1
        axonCount = axons
        let wide = Int(rowStarts[axons]) > Int(UInt16.max)
        let perBlock = Self.axonsPerBlock(wideStarts: wide)
        let blocks = (axons + perBlock - 1) / perBlock
        // Block b starts at row perBlock·b; the record after the last block holds the end of all rows.
        let firstStarts = (0...blocks).map { rowStarts[min($0 * perBlock, axons)] }
        // Each row's start within its block (and, in a partly used last block, the end of the
        // last row) must fit a byte; a full block's last row ends at the next block's start.
        let offsets = (0..<(blocks * perBlock)).map { axon in rowStarts[min(axon, axons)] - firstStarts[axon / perBlock] }
        var bytes: [UInt8] = []
        if offsets.allSatisfy({ $0 <= Int32(UInt8.max) }) {
            layout = .blocks(wideStarts: wide)
            bytes.reserveCapacity((blocks + 1) * Self.blockBytes)
            for (block, start) in firstStarts.enumerated() {
                if wide { Self.append(UInt32(start), to: &bytes) } else { Self.append(UInt16(start), to: &bytes) }
                if block < blocks {
                    bytes.append(contentsOf: offsets[(block * perBlock)..<((block + 1) * perBlock)].lazy.map { UInt8($0) })
                } else {
                    bytes.append(contentsOf: repeatElement(0, count: perBlock))
                }
            }
        } else {
            layout = .starts
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
    public var memoryBytes: Int { bytes.count }

    /// The synapses of input axon `axon`.
    public func row(_ axon: Int) -> Range<Int> {
        precondition(axon >= 0 && axon < axonCount, "input axon \(axon) outside 0..<\(axonCount)")
        return withLookup { $0.row(axon) }
    }

    /// Calls `body` with a lookup over the table's storage, for loops over many packets.
    @inline(__always)
    func withLookup<Result>(_ body: (Lookup) -> Result) -> Result {
        bytes.withUnsafeBytes { bytes in
            body(Lookup(bytes: bytes, layout: layout))
        }
    }

    /// The table's storage, valid inside `withLookup`. Axons are not range-checked.
    struct Lookup {
        let bytes: UnsafeRawBufferPointer
        let layout: Layout

        @inline(__always)
        func row(_ axon: Int) -> Range<Int> {
            switch layout {
            case .starts:
                return Int(load(UInt32.self, axon &* 4))..<Int(load(UInt32.self, (axon &+ 1) &* 4))
            case .blocks(let wideStarts):
                let block = SynapseRowTable.block(of: axon, wideStarts: wideStarts)
                let perBlock = SynapseRowTable.axonsPerBlock(wideStarts: wideStarts)
                let record = block &* SynapseRowTable.blockBytes
                let inBlock = axon &- block &* perBlock
                @inline(__always) func start(ofRecord record: Int) -> Int {
                    wideStarts ? Int(load(UInt32.self, record)) : Int(load(UInt16.self, record))
                }
                let offsets = record &+ (wideStarts ? 4 : 2) &+ inBlock
                let first = start(ofRecord: record)
                let rowStart = first &+ Int(bytes[offsets])
                // The last row of a block ends where the next block starts.
                let end = inBlock == perBlock &- 1 ? start(ofRecord: record &+ SynapseRowTable.blockBytes) : first &+ Int(bytes[offsets &+ 1])
                return rowStart..<end
            }
        }

        /// Asks for the cache line `row(axon)` reads first (`prefetch`).
        @inline(__always)
        func prefetchRow(_ axon: Int) {
            guard let base = bytes.baseAddress else { return }
            switch layout {
            case .starts:
                prefetch(base + axon &* 4)
            case .blocks(let wideStarts):
                prefetch(base + SynapseRowTable.block(of: axon, wideStarts: wideStarts) &* SynapseRowTable.blockBytes)
            }
        }

        @inline(__always)
        private func load<Integer: FixedWidthInteger>(_ type: Integer.Type, _ offset: Int) -> Integer {
            Integer(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self))
        }
    }
}
