/// The filters applied to each chunk of a dataset, in the order they were applied when writing.
struct HDF5FilterPipeline: Equatable {
    struct Filter: Equatable {
        var identifier: Int
        var name: String
        var parameters: [Int]
    }

    var filters: [Filter]

    static let deflate = 1
    static let shuffle = 2
    static let fletcher32 = 3
    static let names = [1: "deflate", 2: "shuffle", 3: "fletcher32", 4: "szip", 5: "nbit", 6: "scaleoffset", 32000: "lzf", 32001: "blosc", 32015: "zstd"]

    static func read(_ cursor: inout HDF5Cursor) throws(HDF5Error) -> HDF5FilterPipeline {
        let version = Int(try cursor.byte())
        guard version == 1 || version == 2 else { throw cursor.unsupported("filter pipeline message version \(version)") }
        let count = Int(try cursor.byte())
        if version == 1 { try cursor.skip(6) }
        var filters: [Filter] = []
        for _ in 0..<count {
            let identifier = try cursor.uint16()
            let nameLength = version == 1 || identifier >= 256 ? try cursor.uint16() : 0
            try cursor.skip(2)  // flags (optional filter): each chunk's filter mask says which filters ran
            let valueCount = try cursor.uint16()
            var name = ""
            if nameLength > 0 {
                let raw = try cursor.take(version == 1 ? (nameLength + 7) / 8 * 8 : nameLength)
                name = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            var parameters: [Int] = []
            for _ in 0..<valueCount { parameters.append(try cursor.uint32()) }
            if version == 1, valueCount % 2 == 1 { try cursor.skip(4) }
            filters.append(Filter(identifier: identifier, name: name, parameters: parameters))
        }
        return HDF5FilterPipeline(filters: filters)
    }

    /// Undoes the filters on one stored chunk, last applied first. `mask` bit k set means filter
    /// k was skipped for this chunk. `expectedSize` bounds decompression.
    func decode(_ chunk: [UInt8], mask: Int, expectedSize: Int, elementSize: Int, cursor: HDF5Cursor) throws(HDF5Error) -> [UInt8] {
        var data = chunk
        for (index, filter) in filters.enumerated().reversed() where mask & (1 << index) == 0 {
            switch filter.identifier {
            case Self.deflate:
                do {
                    data = try Inflate.zlib(data, limit: expectedSize)
                } catch {
                    throw cursor.corrupt("deflate filter: \(error)")
                }
            case Self.shuffle:
                let size = filter.parameters.first ?? elementSize
                data = Self.unshuffle(data, elementSize: size)
            case Self.fletcher32:
                guard data.count >= 4 else { throw cursor.corrupt("fletcher32 filter: chunk of \(data.count) bytes has no checksum") }
                let end = data.count - 4
                let stored = UInt32(data[end]) | UInt32(data[end + 1]) << 8 | UInt32(data[end + 2]) << 16 | UInt32(data[end + 3]) << 24
                data.removeLast(4)
                let computed = Self.fletcher32(data)
                // Files of HDF5 1.6 and earlier store it with the bytes of each half swapped.
                let halvesSwapped = (computed & 0x00FF_00FF) << 8 | (computed & 0xFF00_FF00) >> 8
                guard stored == computed || stored == halvesSwapped else {
                    throw cursor.corrupt("fletcher32 filter: chunk checksum 0x\(String(stored, radix: 16)) does not match its contents (0x\(String(computed, radix: 16)))")
                }
            default:
                let name = Self.names[filter.identifier] ?? (filter.name.isEmpty ? "filter \(filter.identifier)" : filter.name)
                throw cursor.unsupported("\(name) compression filter (id \(filter.identifier)); only deflate (gzip), shuffle and fletcher32 are supported")
            }
        }
        return data
    }

    /// HDF5's Fletcher-32 checksum: two running sums of the data as big-endian 16-bit words (an
    /// odd last byte as the high byte of a word), each folded to 16 bits after every 360 words,
    /// so that they cannot overflow, and at the end; sum2 in the high half.
    static func fletcher32(_ data: [UInt8]) -> UInt32 {
        var sum1: UInt32 = 0
        var sum2: UInt32 = 0
        func fold(_ sum: UInt32) -> UInt32 { (sum & 0xFFFF) + (sum >> 16) }
        var index = 0
        while index + 1 < data.count {
            let words = min(360, (data.count - index) / 2)
            for _ in 0..<words {
                sum1 += UInt32(data[index]) << 8 | UInt32(data[index + 1])
                sum2 += sum1
                index += 2
            }
            sum1 = fold(sum1)
            sum2 = fold(sum2)
        }
        if index < data.count {
            sum1 += UInt32(data[index]) << 8
            sum2 += sum1
            sum1 = fold(sum1)
            sum2 = fold(sum2)
        }
        return fold(sum2) << 16 | fold(sum1)
    }

    /// Undoes the byte shuffle: the stored chunk holds byte 0 of every element, then byte 1, ….
    static func unshuffle(_ data: [UInt8], elementSize: Int) -> [UInt8] {
        guard elementSize > 1, data.count >= elementSize else { return data }
        let count = data.count / elementSize
        var output = data
        for element in 0..<count {
            for byte in 0..<elementSize { output[element * elementSize + byte] = data[byte * count + element] }
        }
        return output
    }
}
