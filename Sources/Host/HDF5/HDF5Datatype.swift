/// An element type of a dataset or attribute: the subset h5py writes for numbers and strings.
indirect enum HDF5Datatype: Equatable {
    /// Two's-complement or unsigned integer of `size` bytes (1, 2, 4 or 8).
    case integer(size: Int, signed: Bool, bigEndian: Bool)
    /// IEEE-style binary float of `size` bytes with the given bit layout.
    case float(size: Int, bigEndian: Bool, layout: FloatLayout)
    /// Fixed-length string of `size` bytes, padded with nulls or spaces.
    case fixedString(size: Int)
    /// Variable-length string: each element refers to the global heap.
    case variableString

    struct FloatLayout: Equatable {
        var signBit: Int
        var exponentBit: Int
        var exponentSize: Int
        var mantissaBit: Int
        var mantissaSize: Int
        var exponentBias: Int
    }

    /// Bytes one element takes in the dataset's storage (16 for a variable-length reference
    /// with 8-byte addresses).
    func storageSize(offsetSize: Int) -> Int {
        switch self {
        case .integer(let size, _, _), .float(let size, _, _), .fixedString(let size): return size
        case .variableString: return 4 + offsetSize + 4
        }
    }

    static let classNames = ["fixed-point", "floating-point", "time", "string", "bitfield", "opaque", "compound", "reference", "enumerated", "variable-length", "array", "complex"]

    /// Reads a datatype message body.
    static func read(_ cursor: inout HDF5Cursor) throws(HDF5Error) -> HDF5Datatype {
        let classAndVersion = Int(try cursor.byte())
        let typeClass = classAndVersion & 0x0f
        let bits = Int(try cursor.unsigned(3))
        let size = try cursor.uint32()
        switch typeClass {
        case 0:
            guard [1, 2, 4, 8].contains(size) else { throw cursor.unsupported("\(size)-byte integers (1, 2, 4 or 8 bytes are supported)") }
            try cursor.skip(4)  // bit offset, precision
            return .integer(size: size, signed: bits & 0x08 != 0, bigEndian: bits & 0x01 != 0)
        case 1:
            guard [2, 4, 8].contains(size) else { throw cursor.unsupported("\(size)-byte floats (2, 4 or 8 bytes are supported)") }
            guard bits & 0x40 == 0 else { throw cursor.unsupported("VAX byte order for floats") }
            guard (bits >> 4) & 0x03 == 2 else { throw cursor.unsupported("floats without an implied leading mantissa bit") }
            _ = try cursor.uint16()  // bit offset
            _ = try cursor.uint16()  // precision
            let layout = FloatLayout(
                signBit: (bits >> 8) & 0xff,
                exponentBit: Int(try cursor.byte()), exponentSize: Int(try cursor.byte()),
                mantissaBit: Int(try cursor.byte()), mantissaSize: Int(try cursor.byte()),
                exponentBias: try cursor.uint32())
            guard layout.exponentSize > 0, layout.exponentSize <= 16, layout.mantissaSize <= 63,
                  layout.signBit < size * 8, layout.exponentBit + layout.exponentSize <= size * 8,
                  layout.mantissaBit + layout.mantissaSize <= size * 8 else {
                throw cursor.corrupt("float bit layout does not fit its \(size) bytes")
            }
            return .float(size: size, bigEndian: bits & 0x01 != 0, layout: layout)
        case 3:
            guard size >= 1, size <= 1 << 20 else { throw cursor.unsupported("fixed-length strings of \(size) bytes (1 byte to 1 MiB are supported)") }
            return .fixedString(size: size)
        case 9:
            guard bits & 0x0f == 1 else { throw cursor.unsupported("variable-length sequences (only variable-length strings are supported)") }
            return .variableString
        default:
            let name = typeClass < classNames.count ? classNames[typeClass] : "class \(typeClass)"
            throw cursor.unsupported("\(name) datatype")
        }
    }

    /// The `size` bytes at `offset` as one unsigned word, in the file's byte order.
    static func rawBits(_ bytes: [UInt8], at offset: Int, size: Int, bigEndian: Bool) -> UInt64 {
        var raw: UInt64 = 0
        for k in 0..<size { raw |= UInt64(bytes[offset + (bigEndian ? size - 1 - k : k)]) << (8 * UInt64(k)) }
        return raw
    }

    /// The element at `offset` as an integer (for integer types).
    static func integer(_ bytes: [UInt8], at offset: Int, size: Int, signed: Bool, bigEndian: Bool) -> (value: Int64, overflow: Bool) {
        let raw = rawBits(bytes, at: offset, size: size, bigEndian: bigEndian)
        if signed {
            let shift = UInt64(64 - 8 * size)
            return (Int64(bitPattern: raw << shift) >> Int64(shift), false)
        }
        return raw > UInt64(Int64.max) ? (0, true) : (Int64(raw), false)
    }

    /// The element at `offset` as a Double, decoded from its declared bit layout.
    static func float(_ bytes: [UInt8], at offset: Int, size: Int, bigEndian: Bool, layout: FloatLayout) -> Double {
        let raw = rawBits(bytes, at: offset, size: size, bigEndian: bigEndian)
        if size == 8, layout == FloatLayout(signBit: 63, exponentBit: 52, exponentSize: 11, mantissaBit: 0, mantissaSize: 52, exponentBias: 1023) {
            return Double(bitPattern: raw)
        }
        if size == 4, layout == FloatLayout(signBit: 31, exponentBit: 23, exponentSize: 8, mantissaBit: 0, mantissaSize: 23, exponentBias: 127) {
            return Double(Float(bitPattern: UInt32(raw)))
        }
        let negative = (raw >> UInt64(layout.signBit)) & 1 == 1
        let exponent = Int((raw >> UInt64(layout.exponentBit)) & ((1 << UInt64(layout.exponentSize)) - 1))
        let mantissa = Double((raw >> UInt64(layout.mantissaBit)) & ((1 << UInt64(layout.mantissaSize)) - 1))
        let fraction = mantissa / Double(sign: .plus, exponent: layout.mantissaSize, significand: 1)
        let magnitude: Double
        if exponent == (1 << layout.exponentSize) - 1 {
            magnitude = mantissa == 0 ? .infinity : .nan
        } else if exponent == 0 {
            magnitude = Double(sign: .plus, exponent: 1 - layout.exponentBias, significand: fraction)
        } else {
            magnitude = Double(sign: .plus, exponent: exponent - layout.exponentBias, significand: 1 + fraction)
        }
        return negative ? -magnitude : magnitude
    }
}
