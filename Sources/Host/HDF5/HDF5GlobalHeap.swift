/// A global heap collection: where variable-length strings keep their bytes.
struct HDF5GlobalHeap {
    /// Object index → bytes.
    var objects: [Int: ArraySlice<UInt8>]

    static func read(at address: Int, base: HDF5Cursor) throws(HDF5Error) -> HDF5GlobalHeap {
        var cursor = base.moved(to: address, structure: "global heap collection")
        try cursor.signature("GCOL")
        let version = Int(try cursor.byte())
        guard version == 1 else { throw cursor.unsupported("global heap version \(version)") }
        try cursor.skip(3)
        let size = try cursor.length()
        guard size >= 16 else { throw cursor.corrupt("global heap collection of \(size) bytes is too small") }
        try cursor.moved(to: address, structure: "global heap collection").require(size)
        let end = address + size
        var objects: [Int: ArraySlice<UInt8>] = [:]
        // Each object: index (2), reference count (2), reserved (4), size, data padded to 8 bytes.
        while end - cursor.position >= 8 + cursor.lengthSize {
            let index = try cursor.uint16()
            try cursor.skip(6)
            let length = try cursor.length()
            if index == 0 { break }  // free space runs to the end of the collection
            guard length <= end - cursor.position else { throw cursor.corrupt("global heap object \(index) of \(length) bytes overruns its collection") }
            objects[index] = try cursor.take(length)
            cursor.position += (8 - length % 8) % 8
        }
        return HDF5GlobalHeap(objects: objects)
    }
}
