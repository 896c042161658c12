/// Why a deflate (RFC 1951) or zlib (RFC 1950) stream could not be decompressed.
public enum InflateError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The stream ends before its final block is complete.
    case truncated
    /// The two-byte zlib header is malformed or asks for a preset dictionary.
    case badHeader(String)
    /// Block type 3, which RFC 1951 reserves.
    case reservedBlockType
    /// A stored block's length and its one's complement disagree.
    case storedLengthMismatch(length: Int, complement: Int)
    /// The code lengths of a dynamic block do not form a valid prefix code.
    case invalidCodeLengths(String)
    /// A bit pattern that no code of the block's tables has.
    case invalidCode
    /// A back-reference reaches before the start of the output.
    case distanceTooFar(distance: Int, available: Int)
    /// The Adler-32 checksum of the decompressed data does not match the stream's.
    case checksumMismatch(expected: UInt32, actual: UInt32)
    /// The output grows beyond the size the container declared.
    case outputTooLarge(limit: Int)

    /// A one-line message on what is wrong with the stream.
    public var description: String {
        switch self {
        case .truncated: return "deflate stream ends early"
        case .badHeader(let detail): return "bad zlib header: \(detail)"
        case .reservedBlockType: return "deflate block of reserved type 3"
        case let .storedLengthMismatch(length, complement): return "stored block length \(length) does not match its complement \(complement)"
        case .invalidCodeLengths(let detail): return "invalid Huffman code lengths: \(detail)"
        case .invalidCode: return "invalid Huffman code in deflate data"
        case let .distanceTooFar(distance, available): return "back-reference distance \(distance) exceeds the \(available) bytes decoded so far"
        case let .checksumMismatch(expected, actual): return "Adler-32 checksum mismatch: stream says 0x\(hexadecimal(expected, digits: 8, uppercase: false)), data gives 0x\(hexadecimal(actual, digits: 8, uppercase: false))"
        case .outputTooLarge(let limit): return "decompressed data exceeds the declared \(limit) bytes"
        }
    }
}
