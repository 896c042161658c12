/// The links of a group, however the file stores them: an old-style symbol table (a version-1
/// B-tree of symbol nodes whose names live in a local heap) or new-style link messages.
enum HDF5Group {
    /// Child name → object header address, sorted by name.
    static func links(of header: HDF5ObjectHeader, base: HDF5Cursor, object: String) throws(HDF5Error) -> [(name: String, address: Int)] {
        var links: [(name: String, address: Int)] = []
        if let table = header.first(HDF5Message.symbolTable) {
            var cursor = base.moved(to: table.start, structure: "symbol table message", object: object)
            let btree = try cursor.requiredAddress("group B-tree")
            let heap = try cursor.requiredAddress("group local heap")
            let names = try localHeap(at: heap, base: cursor)
            var visited: Set<Int> = []
            try symbolTree(at: btree, names: names, base: cursor, visited: &visited, into: &links)
        }
        if let info = header.first(HDF5Message.linkInfo) {
            var cursor = base.moved(to: info.start, structure: "link info message", object: object)
            try cursor.skip(1)
            let flags = Int(try cursor.byte())
            if flags & 0x01 != 0 { try cursor.skip(8) }
            if try cursor.address() != nil {
                throw cursor.unsupported("dense link storage (fractal heap) in a group with many links; h5py's default libver writes symbol tables instead")
            }
        }
        for message in header.all(HDF5Message.link) {
            var cursor = base.moved(to: message.start, structure: "link message", object: object)
            let version = Int(try cursor.byte())
            guard version == 1 else { throw cursor.unsupported("link message version \(version)") }
            let flags = Int(try cursor.byte())
            let type = flags & 0x08 != 0 ? Int(try cursor.byte()) : 0
            if flags & 0x04 != 0 { try cursor.skip(8) }
            if flags & 0x10 != 0 { try cursor.skip(1) }
            let nameLength = try cursor.byteCount(1 << (flags & 0x03), of: "link name")
            let name = String(decoding: try cursor.take(nameLength), as: UTF8.self)
            switch type {
            case 0: links.append((name, try cursor.requiredAddress("hard link")))
            case 1: throw cursor.unsupported("soft link \"\(name)\"")
            case 64: throw cursor.unsupported("external link \"\(name)\"")
            default: throw cursor.unsupported("link type \(type) of \"\(name)\"")
            }
        }
        return links.sorted { $0.name < $1.name }
    }

    /// The data segment of a local heap (`HEAP`), where a symbol table keeps its names.
    static func localHeap(at address: Int, base: HDF5Cursor) throws(HDF5Error) -> HDF5Cursor {
        var cursor = base.moved(to: address, structure: "local heap")
        try cursor.signature("HEAP")
        let version = Int(try cursor.byte())
        guard version == 0 else { throw cursor.unsupported("local heap version \(version)") }
        try cursor.skip(3)
        let size = try cursor.length()
        _ = try cursor.length()  // free list head
        let data = try cursor.requiredAddress("local heap data segment")
        let segment = cursor.moved(to: data, structure: "local heap data segment")
        try segment.require(size)
        return segment
    }

    static func symbolTree(at address: Int, names: HDF5Cursor, base: HDF5Cursor, visited: inout Set<Int>, into links: inout [(name: String, address: Int)]) throws(HDF5Error) {
        guard visited.insert(address).inserted else { throw base.corrupt("group B-tree nodes form a loop") }
        var cursor = base.moved(to: address, structure: "group B-tree node")
        try cursor.signature("TREE")
        let type = Int(try cursor.byte())
        guard type == 0 else { throw cursor.corrupt("group B-tree node has type \(type); expected 0 (group nodes)") }
        let level = Int(try cursor.byte())
        let entries = try cursor.uint16()
        _ = try cursor.address()  // left sibling
        _ = try cursor.address()  // right sibling
        for _ in 0..<entries {
            try cursor.skip(cursor.lengthSize)  // key: heap offset of the largest name below
            let child = try cursor.requiredAddress("group B-tree child")
            if level > 0 {
                try symbolTree(at: child, names: names, base: base, visited: &visited, into: &links)
            } else {
                try symbolNode(at: child, names: names, base: base, into: &links)
            }
        }
    }

    /// A symbol table node (`SNOD`): entries naming children by local-heap offset.
    static func symbolNode(at address: Int, names: HDF5Cursor, base: HDF5Cursor, into links: inout [(name: String, address: Int)]) throws(HDF5Error) {
        var cursor = base.moved(to: address, structure: "symbol table node")
        try cursor.signature("SNOD")
        let version = Int(try cursor.byte())
        guard version == 1 else { throw cursor.unsupported("symbol table node version \(version)") }
        try cursor.skip(1)
        let count = try cursor.uint16()
        for _ in 0..<count {
            let nameOffset = Int(try cursor.unsigned(cursor.offsetSize) & 0x7fff_ffff_ffff_ffff)
            let header = try cursor.requiredAddress("symbol table entry object header")
            try cursor.skip(4 + 4 + 16)  // cache type, reserved, scratch pad
            var nameCursor = names
            try nameCursor.skip(nameOffset)
            links.append((try nameCursor.nullTerminatedString(), header))
        }
    }
}

/// Groups whose link tables were decoded, by object-header address, for one reader of many
/// paths: resolving each path from the root re-lists every group on the way, and listing a group
/// decodes and sorts all its members' names, so a graph of N nodes would cost N² otherwise. Keyed
/// by address, a group reached through several hard links is decoded once.
struct HDF5GroupCache {
    struct Group {
        var header: HDF5ObjectHeader
        /// Child name → object header address, sorted by name.
        var links: [(name: String, address: Int)]
        /// Where each name first appears in `links`.
        var firstIndex: [String: Int]

        /// The first link of that name, as `links.first { $0.name == name }` would find it.
        func link(named name: String) -> (name: String, address: Int)? {
            firstIndex[name].map { links[$0] }
        }
    }

    private(set) var groups: [Int: Group] = [:]
    /// Link tables decoded so far (tests count them).
    private(set) var decodes = 0
    /// Links the cache holds. Past `maximumLinks` further groups are decoded at every use, as
    /// without a cache (what is held stays, so nothing is decoded twice that was held), so that
    /// a damaged file of many group headers sharing one large table cannot hold a copy for each.
    private var links = 0
    static let maximumLinks = 1 << 20

    func cached(at address: Int) -> Group? { groups[address] }

    /// The group whose object header is at `address`, read and decoded on first use.
    mutating func group(at address: Int, base: HDF5Cursor, object: String) throws(HDF5Error) -> Group {
        if let group = groups[address] { return group }
        let header = try HDF5ObjectHeader.read(at: address, base: base, object: object)
        let links = try HDF5Group.links(of: header, base: base, object: object)
        decodes += 1
        var firstIndex: [String: Int] = [:]
        firstIndex.reserveCapacity(links.count)
        for (index, link) in links.enumerated() where firstIndex[link.name] == nil { firstIndex[link.name] = index }
        let group = Group(header: header, links: links, firstIndex: firstIndex)
        guard self.links + links.count <= Self.maximumLinks else { return group }
        groups[address] = group
        self.links += links.count
        return group
    }
}
