import Foundation

/// A read-only HDF5 file, parsed in pure Swift: the subset h5py writes for small files (NIR
/// graphs) — superblocks 0 to 3, object headers 1 and 2, symbol-table and compact link groups,
/// compact, contiguous and chunked datasets (deflate, shuffle, fletcher32), integers, floats and
/// strings, and attributes.
///
/// Objects are addressed by absolute paths such as `/node/nodes/lif/tau`. Every failure is an
/// `HDF5Error` naming the file and the object; a damaged file never crashes the reader.
public struct HDF5File: Sendable {
    /// What an object is.
    public enum Kind: Sendable, Equatable {
        case group, dataset
    }

    /// Name used in error messages.
    public let name: String
    /// The file from its base address on, where every address points (after a user block, the
    /// user block is left out).
    let bytes: [UInt8]
    /// The superblock as seen from there: its base address is 0.
    let superblock: HDF5Superblock

    /// Largest file this reader loads into memory.
    public static let maximumFileSize = 1 << 30

    /// Reads the file at `path`.
    public init(path: String) throws(HDF5Error) {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.bytes(atPath: path)
        } catch {
            throw .unreadable(file: path, reason: error.reason)
        }
        try self.init(bytes: bytes, name: path)
    }

    /// Parses HDF5 bytes held in memory; `name` appears in error messages.
    public init(bytes: [UInt8], name: String) throws(HDF5Error) {
        guard bytes.count <= Self.maximumFileSize else { throw .unsupported(file: name, object: "/", feature: "files larger than \(Self.maximumFileSize) bytes") }
        self.name = name
        var superblock = try HDF5Superblock.read(bytes, file: name)
        // Every address is relative to the base address (the superblock's own, after a user
        // block): the bytes from there on are the file every structure is read from.
        let base = superblock.baseAddress
        guard base < bytes.count else {
            throw .corrupt(file: name, object: "/", detail: "base address \(base) is past the end of the file (\(bytes.count) bytes)")
        }
        self.bytes = base == 0 ? bytes : Array(bytes[base...])
        superblock.start -= base
        superblock.baseAddress = 0
        self.superblock = superblock
    }

    /// True when `bytes` hold the HDF5 signature where this reader looks for it: at byte 0, or
    /// after a user block at byte 512, 1024, 2048, …
    public static func hasSignature(_ bytes: [UInt8]) -> Bool {
        HDF5Superblock.signatureOffset(in: bytes) != nil
    }

    var rootCursor: HDF5Cursor {
        HDF5Cursor(bytes: bytes, at: 0, file: name, object: "/", structure: "file", offsetSize: superblock.offsetSize, lengthSize: superblock.lengthSize)
    }

    /// The object header at a path, after following each link from the root.
    func header(at path: String) throws(HDF5Error) -> (header: HDF5ObjectHeader, cursor: HDF5Cursor) {
        var groups = HDF5GroupCache()
        return try header(at: path, groups: &groups)
    }

    /// The same, with the groups on the way taken from `groups` or decoded into it: a reader of
    /// many paths lists each group once, not once per path below it.
    func header(at path: String, groups: inout HDF5GroupCache) throws(HDF5Error) -> (header: HDF5ObjectHeader, cursor: HDF5Cursor) {
        let base = rootCursor
        var address = superblock.rootObjectHeader
        var current = ""
        for component in path.split(separator: "/") {
            let group = try groups.group(at: address, base: base, object: current.isEmpty ? "/" : current)
            let next = current + "/" + component
            guard let link = group.link(named: String(component)) else {
                throw .notFound(file: name, path: next, available: group.links.map(\.name))
            }
            address = link.address
            current = next
        }
        let object = current.isEmpty ? "/" : current
        let header: HDF5ObjectHeader
        if let group = groups.cached(at: address) {
            header = group.header
        } else {
            header = try HDF5ObjectHeader.read(at: address, base: base, object: object)
        }
        return (header, base.moved(to: 0, structure: "object", object: object))
    }

    /// Whether the object at `path` is a group or a dataset.
    public func kind(at path: String) throws(HDF5Error) -> Kind {
        let (header, _) = try header(at: path)
        return header.first(HDF5Message.layout) != nil ? .dataset : .group
    }

    /// Names of the members of the group at `path`, sorted.
    public func children(of path: String) throws(HDF5Error) -> [String] {
        var groups = HDF5GroupCache()
        return try children(of: path, groups: &groups)
    }

    /// The same, reusing and filling `groups`.
    func children(of path: String, groups: inout HDF5GroupCache) throws(HDF5Error) -> [String] {
        let (header, cursor) = try header(at: path, groups: &groups)
        guard header.first(HDF5Message.layout) == nil else { throw .wrongKind(file: name, object: cursor.object, expected: "a group, found a dataset") }
        return try groups.group(at: header.address, base: cursor, object: cursor.object).links.map(\.name)
    }

    /// The elements of the dataset at `path`.
    public func read(_ path: String) throws(HDF5Error) -> HDF5Array {
        var groups = HDF5GroupCache()
        return try read(path, groups: &groups)
    }

    /// The same, reusing and filling `groups`.
    func read(_ path: String, groups: inout HDF5GroupCache) throws(HDF5Error) -> HDF5Array {
        let (header, cursor) = try header(at: path, groups: &groups)
        guard let layoutMessage = header.first(HDF5Message.layout) else {
            throw .wrongKind(file: name, object: cursor.object, expected: "a dataset, found a group")
        }
        let (datatype, dataspace) = try typeAndSpace(header, cursor)
        var layoutCursor = cursor.moved(to: layoutMessage.start, structure: "data layout message")
        let layout = try HDF5DataLayout.read(&layoutCursor, rank: dataspace.dimensions.count)
        var pipeline = HDF5FilterPipeline(filters: [])
        if let filters = header.first(HDF5Message.filterPipeline) {
            var filterCursor = cursor.moved(to: filters.start, structure: "filter pipeline message")
            pipeline = try HDF5FilterPipeline.read(&filterCursor)
        }
        let raw = try HDF5DatasetStorage.read(layout: layout, pipeline: pipeline, dataspace: dataspace, elementSize: datatype.storageSize(offsetSize: superblock.offsetSize), cursor: cursor)
        return try decode(raw, datatype: datatype, dataspace: dataspace, cursor: cursor)
    }

    /// The attributes of the object at `path`, by name.
    public func attributes(of path: String) throws(HDF5Error) -> [String: HDF5Array] {
        let (header, cursor) = try header(at: path)
        if let info = header.first(HDF5Message.attributeInfo) {
            var reader = cursor.moved(to: info.start, structure: "attribute info message")
            try reader.skip(1)
            let flags = Int(try reader.byte())
            if flags & 0x01 != 0 { try reader.skip(2) }
            if try reader.address() != nil { throw reader.unsupported("dense attribute storage (fractal heap)") }
        }
        var result: [String: HDF5Array] = [:]
        for message in header.all(HDF5Message.attribute) {
            let (name, value) = try attribute(message, cursor)
            result[name] = value
        }
        return result
    }

    func typeAndSpace(_ header: HDF5ObjectHeader, _ cursor: HDF5Cursor) throws(HDF5Error) -> (HDF5Datatype, HDF5Dataspace) {
        guard let typeMessage = header.first(HDF5Message.datatype), let spaceMessage = header.first(HDF5Message.dataspace) else {
            throw cursor.corrupt("dataset has no datatype or dataspace message")
        }
        guard typeMessage.flags & 0x02 == 0 else { throw cursor.unsupported("shared (committed) datatype") }
        var typeCursor = cursor.moved(to: typeMessage.start, structure: "datatype message")
        var spaceCursor = cursor.moved(to: spaceMessage.start, structure: "dataspace message")
        return (try HDF5Datatype.read(&typeCursor), try HDF5Dataspace.read(&spaceCursor))
    }

    func attribute(_ message: HDF5Message, _ base: HDF5Cursor) throws(HDF5Error) -> (String, HDF5Array) {
        var cursor = base.moved(to: message.start, structure: "attribute message")
        let version = Int(try cursor.byte())
        guard (1...3).contains(version) else { throw cursor.unsupported("attribute message version \(version)") }
        let flags = Int(try cursor.byte())
        guard flags & 0x03 == 0 else { throw cursor.unsupported("attribute with a shared datatype or dataspace") }
        let nameSize = try cursor.uint16()
        let typeSize = try cursor.uint16()
        let spaceSize = try cursor.uint16()
        if version == 3 { try cursor.skip(1) }  // name character set
        func padded(_ size: Int) -> Int { version == 1 ? (size + 7) / 8 * 8 : size }
        let nameBytes = try cursor.take(padded(nameSize))
        let name = String(decoding: nameBytes.prefix(nameSize).prefix { $0 != 0 }, as: UTF8.self)
        let attributeCursor = cursor.moved(to: cursor.position, structure: "attribute \"\(name)\"", object: "\(base.object) attribute \"\(name)\"")
        var typeCursor = attributeCursor
        let datatype = try HDF5Datatype.read(&typeCursor)
        cursor.position += padded(typeSize)
        var spaceCursor = attributeCursor.moved(to: cursor.position, structure: "attribute dataspace")
        let dataspace = try HDF5Dataspace.read(&spaceCursor)
        cursor.position += padded(spaceSize)
        let size = dataspace.count * datatype.storageSize(offsetSize: superblock.offsetSize)
        let data = Array(try cursor.take(size))
        return (name, try decode(data, datatype: datatype, dataspace: dataspace, cursor: attributeCursor))
    }

    /// Converts raw element bytes into numbers or strings.
    func decode(_ raw: [UInt8], datatype: HDF5Datatype, dataspace: HDF5Dataspace, cursor: HDF5Cursor) throws(HDF5Error) -> HDF5Array {
        let count = dataspace.count
        let size = datatype.storageSize(offsetSize: superblock.offsetSize)
        guard raw.count >= count * size else { throw cursor.corrupt("data holds \(raw.count) bytes; \(count) elements of \(size) bytes need \(count * size)") }
        switch datatype {
        case let .integer(size, signed, bigEndian):
            var values: [Int64] = []
            values.reserveCapacity(count)
            for k in 0..<count {
                let (value, overflow) = HDF5Datatype.integer(raw, at: k * size, size: size, signed: signed, bigEndian: bigEndian)
                guard !overflow else { throw cursor.unsupported("unsigned 64-bit value above 2^63 − 1 at element \(k)") }
                values.append(value)
            }
            return HDF5Array(shape: dataspace.dimensions, values: .integers(values))
        case let .float(size, bigEndian, layout):
            let values = (0..<count).map { HDF5Datatype.float(raw, at: $0 * size, size: size, bigEndian: bigEndian, layout: layout) }
            return HDF5Array(shape: dataspace.dimensions, values: .floats(values))
        case .fixedString(let size):
            let values = (0..<count).map { k in
                let bytes = raw[(k * size)..<((k + 1) * size)]
                // Up to the first NUL, trailing spaces (space padding) dropped: bytes, not a
                // regular expression per element (millions of elements come from small files).
                var text = bytes.prefix { $0 != 0 }
                while text.last == 0x20 { text = text.dropLast() }
                return String(decoding: text, as: UTF8.self)
            }
            return HDF5Array(shape: dataspace.dimensions, values: .strings(values))
        case .variableString:
            var heaps: [Int: HDF5GlobalHeap] = [:]
            var values: [String] = []
            for k in 0..<count {
                var element = HDF5Cursor(bytes: raw, at: k * size, file: name, object: cursor.object, structure: "variable-length string reference", offsetSize: superblock.offsetSize, lengthSize: superblock.lengthSize)
                let length = try element.uint32()
                let address = try element.address()
                let index = try element.uint32()
                guard let address, length > 0 else {
                    values.append("")
                    continue
                }
                if heaps[address] == nil { heaps[address] = try HDF5GlobalHeap.read(at: address, base: cursor) }
                guard let object = heaps[address]?.objects[index], object.count >= length else {
                    throw cursor.corrupt("variable-length string \(k) refers to global heap object \(index) at byte \(address), which is missing or shorter than \(length) bytes")
                }
                values.append(String(decoding: object.prefix(length), as: UTF8.self))
            }
            return HDF5Array(shape: dataspace.dimensions, values: .strings(values))
        }
    }
}
