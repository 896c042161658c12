/// Writes a trace line's text and integers into a buffer with room for them: the text string
/// interpolation would give, without building a string. A value with mutating methods, not
/// nested functions around a local end index: the functions captured it in a box whose every
/// access was checked for exclusivity at run time (with the hashing, a line cost about 40 % more).
struct LineBuilder {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    /// Bytes written so far.
    private(set) var end = 0

    init(buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    /// The bytes written so far.
    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[0..<end]) }

    mutating func text(_ literal: StaticString) {
        literal.withUTF8Buffer { for byte in $0 { buffer[end] = byte; end &+= 1 } }
    }

    mutating func text(_ bytes: [UInt8]) {
        for byte in bytes { buffer[end] = byte; end &+= 1 }
    }

    mutating func number(_ value: Int64) {
        if value < 0 { buffer[end] = UInt8(ascii: "-"); end &+= 1 }
        number(value.magnitude)
    }

    mutating func number(_ value: UInt64) {
        var digits = 1
        var rest = value / 10
        while rest > 0 { digits &+= 1; rest /= 10 }
        var remaining = value
        for position in stride(from: end &+ digits &- 1, through: end, by: -1) {
            buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
        end &+= digits
    }
}
