/// The superblock: where an HDF5 file says how wide its addresses are and where its root group is.
///
/// Versions 0 and 1 (the default of h5py and HDF5 1.8+) point at the root group through a symbol
/// table entry; versions 2 and 3 (`libver="latest"`) point at the root object header directly.
struct HDF5Superblock: Equatable {
    var version: Int
    /// Offset of the superblock in the file (0, 512, 1024, …: a user block may precede it).
    var start: Int
    /// Address every file address is relative to.
    var baseAddress: Int
    var offsetSize: Int
    var lengthSize: Int
    var rootObjectHeader: Int

    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]

    /// Where the signature sits: at 0, or after a user block at any power of two from 512;
    /// nil when it is at none of them.
    static func signatureOffset(in bytes: [UInt8]) -> Int? {
        var start = 0
        while start + 8 <= bytes.count {
            if bytes[start..<(start + 8)].elementsEqual(signature) { return start }
            start = start == 0 ? 512 : start * 2
        }
        return nil
    }

    /// Finds and reads the superblock (see `signatureOffset(in:)`).
    static func read(_ bytes: [UInt8], file: String) throws(HDF5Error) -> HDF5Superblock {
        guard let start = signatureOffset(in: bytes) else { throw .notHDF5(file: file) }
        var cursor = HDF5Cursor(bytes: bytes, at: start + 8, file: file, object: "/", structure: "superblock")
        let version = Int(try cursor.byte())
        switch version {
        case 0, 1:
            try cursor.skip(4)  // free-space, root symbol table and shared header versions, reserved
            let offsetSize = Int(try cursor.byte())
            let lengthSize = Int(try cursor.byte())
            try checkSizes(offsetSize, lengthSize, cursor)
            try cursor.skip(1 + 2 + 2 + 4)  // reserved, group leaf and internal K, consistency flags
            if version == 1 { try cursor.skip(4) }  // indexed storage K, reserved
            var wide = HDF5Cursor(bytes: bytes, at: cursor.position, file: file, object: "/", structure: "superblock", offsetSize: offsetSize, lengthSize: lengthSize)
            let base = try wide.address() ?? 0
            _ = try wide.address()  // free-space info
            _ = try wide.address()  // end of file
            _ = try wide.address()  // driver information
            // Root group symbol table entry: link name offset, then the object header address.
            _ = try wide.address()
            let root = try wide.requiredAddress("root group object header")
            return HDF5Superblock(version: version, start: start, baseAddress: base, offsetSize: offsetSize, lengthSize: lengthSize, rootObjectHeader: root)
        case 2, 3:
            let offsetSize = Int(try cursor.byte())
            let lengthSize = Int(try cursor.byte())
            try checkSizes(offsetSize, lengthSize, cursor)
            try cursor.skip(1)  // file consistency flags
            var wide = HDF5Cursor(bytes: bytes, at: cursor.position, file: file, object: "/", structure: "superblock", offsetSize: offsetSize, lengthSize: lengthSize)
            let base = try wide.address() ?? 0
            _ = try wide.address()  // superblock extension
            _ = try wide.address()  // end of file
            let root = try wide.requiredAddress("root group object header")
            let checksumEnd = wide.position
            let stored = UInt32(try wide.unsigned(4))
            let computed = HDF5Checksum.lookup3(bytes[start..<checksumEnd])
            guard stored == computed else {
                throw HDF5Error.corrupt(file: file, object: "/", detail: "superblock checksum \(stored) does not match its contents (\(computed))")
            }
            return HDF5Superblock(version: version, start: start, baseAddress: base, offsetSize: offsetSize, lengthSize: lengthSize, rootObjectHeader: root)
        default:
            throw cursor.unsupported("superblock version \(version) (this reader knows versions 0 to 3)")
        }
    }

    static func checkSizes(_ offsetSize: Int, _ lengthSize: Int, _ cursor: HDF5Cursor) throws(HDF5Error) {
        guard [2, 4, 8].contains(offsetSize), [2, 4, 8].contains(lengthSize) else {
            throw cursor.corrupt("superblock gives \(offsetSize)-byte addresses and \(lengthSize)-byte lengths (must be 2, 4 or 8)")
        }
    }
}
