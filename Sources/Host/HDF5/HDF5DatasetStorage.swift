/// Gathers a dataset's raw element bytes from its layout: compact bytes, one contiguous run, or
/// chunks (found through a version-1 B-tree or a single-chunk index) undone through the filter
/// pipeline and copied into place. Missing chunks read as zeros (the default fill value).
enum HDF5DatasetStorage {
    static func read(layout: HDF5DataLayout, pipeline: HDF5FilterPipeline, dataspace: HDF5Dataspace, elementSize: Int, cursor: HDF5Cursor) throws(HDF5Error) -> [UInt8] {
        let total = dataspace.count * elementSize
        // Deflate expands at most about 1032:1, so no valid dataset of this file can be larger;
        // a damaged size must not make the reader allocate gigabytes.
        let limit = max(cursor.bytes.count * 1032, 1 << 20)
        guard total <= limit else {
            throw cursor.corrupt("dataset claims \(dataspace.dimensions) elements of \(elementSize) bytes (\(total) bytes), more than a \(cursor.bytes.count)-byte file can hold")
        }
        if total == 0 { return [] }
        switch layout {
        case let .compact(start, size):
            guard size >= total else { throw cursor.corrupt("compact data of \(size) bytes is smaller than the \(total) bytes its dataspace needs") }
            var data = cursor.moved(to: start, structure: "compact data")
            return Array(try data.take(total))
        case let .contiguous(address, size):
            guard let address else { return [UInt8](repeating: 0, count: total) }
            guard size >= total else { throw cursor.corrupt("contiguous data of \(size) bytes is smaller than the \(total) bytes its dataspace needs") }
            var data = cursor.moved(to: address, structure: "contiguous data")
            return Array(try data.take(total))
        case let .singleChunk(address, chunk, filteredSize, filterMask):
            var output = [UInt8](repeating: 0, count: total)
            guard let address else { return output }
            let chunkBytes = chunk.reduce(elementSize, *)
            var data = cursor.moved(to: address, structure: "chunk")
            let stored = Array(try data.take(filteredSize ?? chunkBytes))
            let decoded = pipeline.filters.isEmpty ? stored : try pipeline.decode(stored, mask: filterMask, expectedSize: chunkBytes, elementSize: elementSize, cursor: cursor)
            try place(decoded, at: [Int](repeating: 0, count: chunk.count), chunk: chunk, into: &output, dimensions: dataspace.dimensions, elementSize: elementSize, cursor: cursor)
            return output
        case let .chunkedBTree(btree, chunk):
            var output = [UInt8](repeating: 0, count: total)
            guard let btree else { return output }
            var visited: Set<Int> = []
            try chunkTree(at: btree, chunk: chunk, pipeline: pipeline, dimensions: dataspace.dimensions, elementSize: elementSize, cursor: cursor, visited: &visited, into: &output)
            return output
        }
    }

    /// Walks a version-1 B-tree of chunks (node type 1): each key gives a chunk's stored size,
    /// filter mask and element offsets; leaf children are chunk addresses.
    static func chunkTree(at address: Int, chunk: [Int], pipeline: HDF5FilterPipeline, dimensions: [Int], elementSize: Int, cursor base: HDF5Cursor, visited: inout Set<Int>, into output: inout [UInt8]) throws(HDF5Error) {
        guard visited.insert(address).inserted else { throw base.corrupt("chunk B-tree nodes form a loop") }
        var cursor = base.moved(to: address, structure: "chunk B-tree node")
        try cursor.signature("TREE")
        let type = Int(try cursor.byte())
        guard type == 1 else { throw cursor.corrupt("chunk B-tree node has type \(type); expected 1 (raw data chunks)") }
        let level = Int(try cursor.byte())
        let entries = try cursor.uint16()
        _ = try cursor.address()
        _ = try cursor.address()
        let chunkBytes = chunk.reduce(elementSize, *)
        for _ in 0..<entries {
            let storedSize = try cursor.uint32()
            let mask = try cursor.uint32()
            var offsets: [Int] = []
            for _ in 0...chunk.count { offsets.append(Int(try cursor.unsigned(8) & 0x7fff_ffff_ffff_ffff)) }
            let child = try cursor.requiredAddress("chunk B-tree child")
            if level > 0 {
                try chunkTree(at: child, chunk: chunk, pipeline: pipeline, dimensions: dimensions, elementSize: elementSize, cursor: base, visited: &visited, into: &output)
                continue
            }
            var data = base.moved(to: child, structure: "chunk")
            let stored = Array(try data.take(storedSize))
            let decoded = pipeline.filters.isEmpty ? stored : try pipeline.decode(stored, mask: mask, expectedSize: chunkBytes, elementSize: elementSize, cursor: base)
            try place(decoded, at: Array(offsets.dropLast()), chunk: chunk, into: &output, dimensions: dimensions, elementSize: elementSize, cursor: base)
        }
    }

    /// Copies one decoded chunk whose first element sits at `origin` into the C-order output,
    /// dropping the parts of edge chunks that lie outside the dataset.
    static func place(_ data: [UInt8], at origin: [Int], chunk: [Int], into output: inout [UInt8], dimensions: [Int], elementSize: Int, cursor: HDF5Cursor) throws(HDF5Error) {
        let rank = dimensions.count
        let chunkCount = chunk.reduce(1, *)
        guard data.count >= chunkCount * elementSize else {
            throw cursor.corrupt("chunk at \(origin) decodes to \(data.count) bytes; \(chunkCount) elements of \(elementSize) bytes need \(chunkCount * elementSize)")
        }
        for axis in 0..<rank where origin[axis] >= dimensions[axis] || origin[axis] % chunk[axis] != 0 {
            throw cursor.corrupt("chunk offset \(origin) lies outside the dataset's \(dimensions) or off the chunk grid")
        }
        if rank == 0 {
            output.replaceSubrange(0..<elementSize, with: data.prefix(elementSize))
            return
        }
        // Copy row by row along the last axis.
        let rowLength = min(chunk[rank - 1], dimensions[rank - 1] - origin[rank - 1]) * elementSize
        var index = [Int](repeating: 0, count: rank - 1)
        while true {
            var inside = true
            var source = 0
            var target = 0
            for axis in 0..<rank {
                let local = axis < rank - 1 ? index[axis] : 0
                let global = origin[axis] + local
                if global >= dimensions[axis] { inside = false }
                source = source * chunk[axis] + local
                target = target * dimensions[axis] + global
            }
            if inside {
                output.replaceSubrange((target * elementSize)..<(target * elementSize + rowLength), with: data[(source * elementSize)..<(source * elementSize + rowLength)])
            }
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < chunk[axis] { break }
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }
}
