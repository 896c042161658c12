/// The checksum of HDF5's version-2 structures: Bob Jenkins' lookup3 `hashlittle` with seed 0,
/// written from its published description.
enum HDF5Checksum {
    static func lookup3(_ data: ArraySlice<UInt8>) -> UInt32 {
        let bytes = Array(data)
        var length = bytes.count
        var a: UInt32 = 0xdead_beef &+ UInt32(truncatingIfNeeded: length)
        var b = a
        var c = a
        func rotate(_ x: UInt32, _ k: UInt32) -> UInt32 { (x << k) | (x >> (32 - k)) }
        func word(_ offset: Int) -> UInt32 {
            var value: UInt32 = 0
            for k in 0..<4 where offset + k < bytes.count { value |= UInt32(bytes[offset + k]) << (8 * UInt32(k)) }
            return value
        }
        var offset = 0
        while length > 12 {
            a = a &+ word(offset)
            b = b &+ word(offset + 4)
            c = c &+ word(offset + 8)
            a = a &- c; a ^= rotate(c, 4); c = c &+ b
            b = b &- a; b ^= rotate(a, 6); a = a &+ c
            c = c &- b; c ^= rotate(b, 8); b = b &+ a
            a = a &- c; a ^= rotate(c, 16); c = c &+ b
            b = b &- a; b ^= rotate(a, 19); a = a &+ c
            c = c &- b; c ^= rotate(b, 4); b = b &+ a
            length -= 12
            offset += 12
        }
        if length == 0 { return c }
        // The tail (1…12 bytes up to the end): bytes past the end read as zero, as `word` reads them.
        a = a &+ word(offset)
        b = b &+ word(offset + 4)
        c = c &+ word(offset + 8)
        c ^= b; c = c &- rotate(b, 14)
        a ^= c; a = a &- rotate(c, 11)
        b ^= a; b = b &- rotate(a, 25)
        c ^= b; c = c &- rotate(b, 16)
        a ^= c; a = a &- rotate(c, 4)
        b ^= a; b = b &- rotate(a, 14)
        c ^= b; c = c &- rotate(b, 24)
        return c
    }
}
