/// One message of an object header: its type and where its body lies in the file.
struct HDF5Message: Equatable {
    var type: Int
    var flags: Int
    /// Offset of the message body in the file, and its size in bytes.
    var start: Int
    var size: Int

    static let dataspace = 0x01
    static let linkInfo = 0x02
    static let datatype = 0x03
    static let layout = 0x08
    static let link = 0x06
    static let filterPipeline = 0x0b
    static let attribute = 0x0c
    static let continuation = 0x10
    static let symbolTable = 0x11
    static let attributeInfo = 0x15
}

/// An object header (version 1 or 2): the list of messages that describe a group or dataset,
/// gathered across continuation blocks.
struct HDF5ObjectHeader {
    var address: Int
    var messages: [HDF5Message]

    /// Most continuation blocks one header may chain (a loop in a damaged file must end).
    static let maximumBlocks = 4096

    func first(_ type: Int) -> HDF5Message? { messages.first { $0.type == type } }
    func all(_ type: Int) -> [HDF5Message] { messages.filter { $0.type == type } }

    static func read(at address: Int, base: HDF5Cursor, object: String) throws(HDF5Error) -> HDF5ObjectHeader {
        var cursor = base.moved(to: address, structure: "object header", object: object)
        try cursor.require(4)
        if cursor.bytes[address..<(address + 4)].elementsEqual("OHDR".utf8) {
            return try readVersion2(cursor)
        }
        let version = Int(try cursor.byte())
        guard version == 1 else {
            throw cursor.corrupt("object header at byte \(address) has version \(version); expected 1, or the signature \"OHDR\" of version 2")
        }
        try cursor.skip(1 + 2 + 4)  // reserved, message count, reference count
        let size = try cursor.uint32()
        try cursor.skip(4)  // alignment of the first message to 8 bytes
        var messages: [HDF5Message] = []
        var blocks = [(start: cursor.position, size: size)]
        var visited: Set<Int> = []
        while let block = blocks.popLast() {
            guard visited.insert(block.start).inserted, visited.count <= maximumBlocks else {
                throw cursor.corrupt("object header continuation blocks form a loop")
            }
            var reader = cursor.moved(to: block.start, structure: "object header message")
            try reader.require(block.size)
            let end = block.start + block.size
            while end - reader.position >= 8 {
                let type = try reader.uint16()
                let length = try reader.uint16()
                let flags = Int(try reader.byte())
                try reader.skip(3)
                guard length <= end - reader.position else {
                    throw reader.corrupt("message of type \(type) claims \(length) bytes but its header block has \(end - reader.position) left")
                }
                let message = HDF5Message(type: type, flags: flags, start: reader.position, size: length)
                if type == HDF5Message.continuation {
                    var body = reader
                    let blockAddress = try body.requiredAddress("continuation block")
                    blocks.insert((blockAddress, try body.length()), at: 0)
                } else {
                    messages.append(message)
                }
                try reader.skip(length)
            }
        }
        return HDF5ObjectHeader(address: address, messages: messages)
    }

    static func readVersion2(_ start: HDF5Cursor) throws(HDF5Error) -> HDF5ObjectHeader {
        var cursor = start
        try cursor.skip(4)
        let version = Int(try cursor.byte())
        guard version == 2 else { throw cursor.unsupported("object header version \(version) (after signature OHDR)") }
        let flags = Int(try cursor.byte())
        if flags & 0x20 != 0 { try cursor.skip(16) }  // access, modification, change, birth times
        if flags & 0x10 != 0 { try cursor.skip(4) }  // attribute storage phase change values
        let chunkSize = try cursor.byteCount(1 << (flags & 0x03), of: "object header chunk")
        let tracksOrder = flags & 0x04 != 0
        var messages: [HDF5Message] = []
        // The first chunk's messages follow here; continuation chunks start with "OCHK".
        var blocks = [(start: cursor.position, size: chunkSize, headerStart: start.position)]
        var visited: Set<Int> = []
        while let block = blocks.popLast() {
            guard visited.insert(block.start).inserted, visited.count <= maximumBlocks else {
                throw cursor.corrupt("object header continuation chunks form a loop")
            }
            var reader = cursor.moved(to: block.start, structure: "object header chunk")
            try reader.require(block.size + 4)
            let end = block.start + block.size
            var checksumReader = reader.moved(to: end, structure: "object header checksum")
            let stored = UInt32(try checksumReader.unsigned(4))
            let computed = HDF5Checksum.lookup3(reader.bytes[block.headerStart..<end])
            guard stored == computed else {
                throw reader.corrupt("object header chunk at byte \(block.headerStart) fails its checksum")
            }
            let messageHeader = tracksOrder ? 6 : 4
            while end - reader.position >= messageHeader {
                let type = Int(try reader.byte())
                let length = try reader.uint16()
                let messageFlags = Int(try reader.byte())
                if tracksOrder { try reader.skip(2) }
                guard length <= end - reader.position else {
                    throw reader.corrupt("message of type \(type) claims \(length) bytes but its chunk has \(end - reader.position) left")
                }
                if type == HDF5Message.continuation {
                    var body = reader
                    let address = try body.requiredAddress("continuation chunk")
                    let size = try body.length()
                    var check = reader.moved(to: address, structure: "object header continuation chunk")
                    try check.signature("OCHK")
                    guard size >= 8 else { throw reader.corrupt("continuation chunk of \(size) bytes is too small") }
                    blocks.insert((address + 4, size - 8, address), at: 0)
                } else {
                    messages.append(HDF5Message(type: type, flags: messageFlags, start: reader.position, size: length))
                }
                try reader.skip(length)
            }
        }
        return HDF5ObjectHeader(address: start.position, messages: messages)
    }
}
