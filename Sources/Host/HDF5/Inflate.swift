/// Decompression of zlib (RFC 1950) and raw deflate (RFC 1951) streams, as HDF5's gzip filter
/// writes them. Written here so that reading a NIR file needs no system library.
///
/// Decoding follows the RFC directly: a canonical Huffman code is described by how many codes
/// have each length, and a code is decoded one bit at a time by comparing it with the first code
/// of each length. That is slower than table lookup but simple to check, and NIR files are small.
public enum Inflate {
    /// Decompresses a zlib stream and checks its Adler-32 checksum. `limit` bounds the output size
    /// (a damaged stream can otherwise claim to expand without end).
    public static func zlib(_ input: [UInt8], limit: Int = Int.max) throws(InflateError) -> [UInt8] {
        guard input.count >= 2 else { throw .truncated }
        let cmf = Int(input[0])
        let flags = Int(input[1])
        guard cmf & 0x0f == 8 else { throw .badHeader("compression method \(cmf & 0x0f), expected 8 (deflate)") }
        guard cmf >> 4 <= 7 else { throw .badHeader("window size 2^\((cmf >> 4) + 8) exceeds 32 KiB") }
        guard (cmf * 256 + flags) % 31 == 0 else { throw .badHeader("header check bits are wrong") }
        guard flags & 0x20 == 0 else { throw .badHeader("a preset dictionary is required") }
        var reader = BitReader(input, start: 2)
        let output = try inflate(&reader, limit: limit)
        let end = reader.byteAlignedPosition
        guard end + 4 <= input.count else { throw .truncated }
        let expected = UInt32(input[end]) << 24 | UInt32(input[end + 1]) << 16 | UInt32(input[end + 2]) << 8 | UInt32(input[end + 3])
        let actual = adler32(output)
        guard expected == actual else { throw .checksumMismatch(expected: expected, actual: actual) }
        return output
    }

    /// Decompresses a raw deflate stream (no zlib header or checksum).
    public static func raw(_ input: [UInt8], limit: Int = Int.max) throws(InflateError) -> [UInt8] {
        var reader = BitReader(input, start: 0)
        return try inflate(&reader, limit: limit)
    }

    /// The Adler-32 checksum of RFC 1950.
    public static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var index = 0
        while index < bytes.count {
            // 5552 is the largest run for which b cannot overflow 32 bits before the modulo.
            let end = min(bytes.count, index + 5552)
            while index < end {
                a += UInt32(bytes[index])
                b += a
                index += 1
            }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }

    // MARK: Bits

    struct BitReader {
        let bytes: [UInt8]
        var position: Int
        var buffer: UInt32 = 0
        var count: UInt32 = 0

        init(_ bytes: [UInt8], start: Int) {
            self.bytes = bytes
            position = start
        }

        /// `n` bits (0…16), least significant first, as RFC 1951 packs them.
        mutating func bits(_ n: UInt32) throws(InflateError) -> Int {
            while count < n {
                guard position < bytes.count else { throw .truncated }
                buffer |= UInt32(bytes[position]) << count
                position += 1
                count += 8
            }
            let value = buffer & ((1 << n) - 1)
            buffer >>= n
            count -= n
            return Int(value)
        }

        /// Drops the bits left in the current byte (before a stored block).
        mutating func alignToByte() {
            buffer = 0
            count = 0
        }

        /// The index of the first byte not yet consumed, after dropping partial bits.
        var byteAlignedPosition: Int { position - Int(count / 8) }
    }

    // MARK: Huffman codes

    /// A canonical prefix code: `counts[n]` codes of length n, and the symbols in code order.
    struct HuffmanCode {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        init(lengths: ArraySlice<Int>) throws(InflateError) {
            for length in lengths { counts[length] += 1 }
            // Over-subscribed codes are invalid; incomplete ones are allowed (a single distance
            // code is legal) and fail only if an unused pattern is met.
            var left = 1
            for length in 1..<16 {
                left = left * 2 - counts[length]
                guard left >= 0 else { throw .invalidCodeLengths("over-subscribed at length \(length)") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in zip(0..., lengths) where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
            counts[0] = 0
        }

        func decode(_ reader: inout BitReader) throws(InflateError) -> Int {
            var code = 0
            var first = 0
            var index = 0
            for length in 1..<16 {
                code |= try reader.bits(1)
                let count = counts[length]
                if code - first < count { return symbols[index + code - first] }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw .invalidCode
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [UInt32] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [UInt32] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The order in which a dynamic block lists the code-length code's lengths.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    // MARK: Blocks

    static func inflate(_ reader: inout BitReader, limit: Int) throws(InflateError) -> [UInt8] {
        var output: [UInt8] = []
        var isLast = false
        while !isLast {
            isLast = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0: try stored(&reader, into: &output, limit: limit)
            case 1:
                let (literals, distances) = try fixedCodes()
                try codes(&reader, literals: literals, distances: distances, into: &output, limit: limit)
            case 2:
                let (literals, distances) = try dynamicCodes(&reader)
                try codes(&reader, literals: literals, distances: distances, into: &output, limit: limit)
            default: throw .reservedBlockType
            }
        }
        return output
    }

    static func stored(_ reader: inout BitReader, into output: inout [UInt8], limit: Int) throws(InflateError) {
        reader.alignToByte()
        let start = reader.position
        guard start + 4 <= reader.bytes.count else { throw .truncated }
        let length = Int(reader.bytes[start]) | Int(reader.bytes[start + 1]) << 8
        let complement = Int(reader.bytes[start + 2]) | Int(reader.bytes[start + 3]) << 8
        guard length == complement ^ 0xffff else { throw .storedLengthMismatch(length: length, complement: complement) }
        guard start + 4 + length <= reader.bytes.count else { throw .truncated }
        guard output.count + length <= limit else { throw .outputTooLarge(limit: limit) }
        output.append(contentsOf: reader.bytes[(start + 4)..<(start + 4 + length)])
        reader.position = start + 4 + length
    }

    static func fixedCodes() throws(InflateError) -> (HuffmanCode, HuffmanCode) {
        var lengths = [Int](repeating: 8, count: 288)
        for symbol in 144..<256 { lengths[symbol] = 9 }
        for symbol in 256..<280 { lengths[symbol] = 7 }
        return (try HuffmanCode(lengths: lengths[...]), try HuffmanCode(lengths: [Int](repeating: 5, count: 30)[...]))
    }

    static func dynamicCodes(_ reader: inout BitReader) throws(InflateError) -> (HuffmanCode, HuffmanCode) {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw .invalidCodeLengths("\(literalCount) literal/length codes and \(distanceCount) distance codes (at most 286 and 30)")
        }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for k in 0..<codeLengthCount { codeLengthLengths[codeLengthOrder[k]] = try reader.bits(3) }
        let codeLengthCode = try HuffmanCode(lengths: codeLengthLengths[...])
        var lengths: [Int] = []
        let total = literalCount + distanceCount
        while lengths.count < total {
            let symbol = try codeLengthCode.decode(&reader)
            switch symbol {
            case 0...15: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw .invalidCodeLengths("repeat code with no previous length") }
                lengths += repeatElement(previous, count: 3 + (try reader.bits(2)))
            case 17: lengths += repeatElement(0, count: 3 + (try reader.bits(3)))
            default: lengths += repeatElement(0, count: 11 + (try reader.bits(7)))
            }
            guard lengths.count <= total else { throw .invalidCodeLengths("code length repeats run past the \(total) codes") }
        }
        guard lengths[256] != 0 else { throw .invalidCodeLengths("the end-of-block code has no length") }
        return (try HuffmanCode(lengths: lengths[0..<literalCount]), try HuffmanCode(lengths: lengths[literalCount...]))
    }

    static func codes(_ reader: inout BitReader, literals: HuffmanCode, distances: HuffmanCode, into output: inout [UInt8], limit: Int) throws(InflateError) {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                guard output.count < limit else { throw .outputTooLarge(limit: limit) }
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < lengthBase.count else { throw .invalidCode }
            let length = lengthBase[lengthIndex] + (try reader.bits(lengthExtra[lengthIndex]))
            let distanceSymbol = try distances.decode(&reader)
            guard distanceSymbol < distanceBase.count else { throw .invalidCode }
            let distance = distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
            guard distance <= output.count else { throw .distanceTooFar(distance: distance, available: output.count) }
            guard output.count + length <= limit else { throw .outputTooLarge(limit: limit) }
            // Byte by byte: a copy may overlap the bytes it produces (distance < length).
            let start = output.count - distance
            for k in 0..<length { output.append(output[start + k]) }
        }
    }
}
