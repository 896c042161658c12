/// Where a dataset's elements are stored: inside the header (compact), in one run of bytes
/// (contiguous), or in equal-sized chunks found through an index (chunked).
enum HDF5DataLayout: Equatable {
    case compact(start: Int, size: Int)
    /// `address` is nil when the dataset was never written (all fill value).
    case contiguous(address: Int?, size: Int)
    /// Chunks indexed by a version-1 B-tree (`btree`, nil when no chunk was written).
    case chunkedBTree(btree: Int?, chunk: [Int])
    /// Layout version 4's single-chunk index: one chunk covering the whole dataset; with filters,
    /// its stored size and the mask of the filters skipped for it.
    case singleChunk(address: Int?, chunk: [Int], filteredSize: Int?, filterMask: Int)

    static let chunkIndexNames = [2: "implicit", 3: "fixed array", 4: "extensible array", 5: "version 2 B-tree"]

    static func read(_ cursor: inout HDF5Cursor, rank: Int) throws(HDF5Error) -> HDF5DataLayout {
        let version = Int(try cursor.byte())
        // Version 5 (HDF5 2.0) has version 4's fields.
        guard (3...5).contains(version) else {
            throw cursor.unsupported("data layout message version \(version) (versions 3 to 5 are supported; versions 1 and 2 come from HDF5 1.4 or older)")
        }
        let layoutClass = Int(try cursor.byte())
        switch layoutClass {
        case 0:
            let size = try cursor.uint16()
            try cursor.require(size)
            return .compact(start: cursor.position, size: size)
        case 1:
            let address = try cursor.address()
            return .contiguous(address: address, size: try cursor.length())
        case 2:
            if version == 3 {
                let dimensionality = Int(try cursor.byte())
                let btree = try cursor.address()
                var chunk: [Int] = []
                for _ in 0..<dimensionality { chunk.append(try cursor.uint32()) }
                return .chunkedBTree(btree: btree, chunk: try checkedChunk(chunk, rank: rank, cursor))
            }
            let flags = Int(try cursor.byte())
            let dimensionality = Int(try cursor.byte())
            let encodedSize = Int(try cursor.byte())
            var chunk: [Int] = []
            for _ in 0..<dimensionality {
                let size = try cursor.unsigned(encodedSize)
                guard size <= UInt64(Int32.max) else { throw cursor.corrupt("chunk dimension \(size) is too large") }
                chunk.append(Int(size))
            }
            let indexType = Int(try cursor.byte())
            guard indexType == 1 else {
                throw cursor.unsupported("chunk index \"\(chunkIndexNames[indexType] ?? "type \(indexType)")\" (layout version 4); write the file with h5py's default libver, which uses a version-1 B-tree")
            }
            var filteredSize: Int?
            var filterMask = 0
            if flags & 0x02 != 0 {
                filteredSize = try cursor.length()
                filterMask = try cursor.uint32()
            }
            return .singleChunk(address: try cursor.address(), chunk: try checkedChunk(chunk, rank: rank, cursor), filteredSize: filteredSize, filterMask: filterMask)
        case 3:
            throw cursor.unsupported("virtual dataset layout")
        default:
            throw cursor.corrupt("layout class \(layoutClass) (0 to 3 exist)")
        }
    }

    /// Chunk dimensions of the dataset's rank (the stored list ends with the element size).
    static func checkedChunk(_ chunk: [Int], rank: Int, _ cursor: HDF5Cursor) throws(HDF5Error) -> [Int] {
        let dimensions = chunk.count == rank + 1 ? Array(chunk.dropLast()) : chunk
        guard dimensions.count == rank, dimensions.allSatisfy({ $0 > 0 }) else {
            throw cursor.corrupt("chunk dimensions \(chunk) do not match a dataset of rank \(rank)")
        }
        var elements = 1
        for size in dimensions {
            let product = elements.multipliedReportingOverflow(by: size)
            guard !product.overflow, product.partialValue <= HDF5Dataspace.maximumElements else {
                throw cursor.corrupt("chunk dimensions \(dimensions) exceed \(HDF5Dataspace.maximumElements) elements")
            }
            elements = product.partialValue
        }
        return dimensions
    }
}
