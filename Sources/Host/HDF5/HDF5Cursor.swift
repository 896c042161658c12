/// A bounds-checked little-endian reader over the bytes of an HDF5 file.
///
/// Every read checks the end of the buffer and throws `HDF5Error.truncated` naming the object and
/// structure being read, so a damaged file can never make the reader index out of bounds.
struct HDF5Cursor {
    let bytes: [UInt8]
    var position: Int
    /// File name and object path, for error messages.
    let file: String
    let object: String
    /// What is being read, for error messages (`"object header"`, `"B-tree node"`).
    let structure: String
    /// Sizes of file addresses and lengths, from the superblock (2, 4 or 8 bytes).
    let offsetSize: Int
    let lengthSize: Int

    init(bytes: [UInt8], at position: Int, file: String, object: String, structure: String, offsetSize: Int = 8, lengthSize: Int = 8) {
        self.bytes = bytes
        self.position = position
        self.file = file
        self.object = object
        self.structure = structure
        self.offsetSize = offsetSize
        self.lengthSize = lengthSize
    }

    /// A cursor for another structure of the same file.
    func moved(to position: Int, structure: String, object: String? = nil) -> HDF5Cursor {
        HDF5Cursor(bytes: bytes, at: position, file: file, object: object ?? self.object, structure: structure, offsetSize: offsetSize, lengthSize: lengthSize)
    }

    func truncated(_ length: Int) -> HDF5Error {
        .truncated(file: file, object: object, structure: structure, offset: position, length: length, fileSize: bytes.count)
    }

    func corrupt(_ detail: String) -> HDF5Error { .corrupt(file: file, object: object, detail: detail) }
    func unsupported(_ feature: String) -> HDF5Error { .unsupported(file: file, object: object, feature: feature) }

    /// Throws unless `length` bytes are available from the current position.
    func require(_ length: Int) throws(HDF5Error) {
        guard length >= 0, position >= 0, position <= bytes.count, length <= bytes.count - position else { throw truncated(length) }
    }

    mutating func skip(_ length: Int) throws(HDF5Error) {
        try require(length)
        position += length
    }

    mutating func byte() throws(HDF5Error) -> UInt8 {
        try require(1)
        defer { position += 1 }
        return bytes[position]
    }

    /// An unsigned little-endian integer of `size` bytes (1…8).
    mutating func unsigned(_ size: Int) throws(HDF5Error) -> UInt64 {
        guard (1...8).contains(size) else { throw corrupt("field size \(size) bytes (must be 1 to 8)") }
        try require(size)
        var value: UInt64 = 0
        for k in 0..<size { value |= UInt64(bytes[position + k]) << (8 * UInt64(k)) }
        position += size
        return value
    }

    /// A count of bytes within the file (a chunk's or a name's size) in a field of `size` bytes:
    /// larger than the whole file is damage, and no larger value reaches an `Int`.
    mutating func byteCount(_ size: Int, of what: String) throws(HDF5Error) -> Int {
        let value = try unsigned(size)
        guard value <= UInt64(bytes.count) else { throw corrupt("\(what) of \(value) bytes is larger than the file (\(bytes.count) bytes)") }
        return Int(value)
    }

    mutating func uint16() throws(HDF5Error) -> Int { Int(try unsigned(2)) }
    mutating func uint32() throws(HDF5Error) -> Int { Int(try unsigned(4)) }

    /// A length field, checked to fit an `Int`.
    mutating func length() throws(HDF5Error) -> Int {
        let value = try unsigned(lengthSize)
        guard value <= UInt64(Int.max) else { throw corrupt("length \(value) is too large") }
        return Int(value)
    }

    /// A file address; nil for the undefined address (all bits set).
    mutating func address() throws(HDF5Error) -> Int? {
        let value = try unsigned(offsetSize)
        let undefined: UInt64 = offsetSize == 8 ? .max : (UInt64(1) << UInt64(8 * offsetSize)) - 1
        if value == undefined { return nil }
        guard value <= UInt64(Int.max) else { throw corrupt("address \(value) is too large") }
        return Int(value)
    }

    /// A file address that must be defined.
    mutating func requiredAddress(_ what: String) throws(HDF5Error) -> Int {
        guard let address = try address() else { throw corrupt("\(what) address is undefined") }
        return address
    }

    mutating func take(_ length: Int) throws(HDF5Error) -> ArraySlice<UInt8> {
        try require(length)
        defer { position += length }
        return bytes[position..<(position + length)]
    }

    /// Checks a 4-byte ASCII signature such as `TREE` or `HEAP`.
    mutating func signature(_ expected: String) throws(HDF5Error) {
        let found = try take(expected.utf8.count)
        guard found.elementsEqual(expected.utf8) else {
            let text = String(decoding: found.map { (32...126).contains($0) ? $0 : 63 }, as: UTF8.self)
            throw corrupt("\(structure) at byte \(position - expected.utf8.count) should start with \"\(expected)\", found \"\(text)\"")
        }
    }

    /// A null-terminated string starting at the current position.
    mutating func nullTerminatedString() throws(HDF5Error) -> String {
        var end = position
        while end < bytes.count, bytes[end] != 0 { end += 1 }
        guard end < bytes.count else { throw truncated(end - position + 1) }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return text
    }
}
