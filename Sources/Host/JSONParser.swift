import Foundation

/// A strict RFC 8259 JSON parser that reports errors by line and column.
///
/// Strict because a configuration typo must never be silently accepted:
/// comments, trailing commas, NaN/Infinity, leading zeros, lone surrogates,
/// raw control characters in strings and duplicate keys are all errors.
/// Numbers without fraction or exponent become `.integer`, others `.number`.
public enum JSONParser {
    /// The deepest nesting of arrays and objects accepted; deeper input is
    /// an error rather than a stack overflow.
    public static let maximumDepth = 256

    /// Parses UTF-8 `bytes` (a leading byte order mark is skipped).
    /// - Parameter file: the name used in error messages.
    public static func parse(_ bytes: [UInt8], file: String) throws(ConfigError) -> JSONValue {
        var parser = Parser(bytes: bytes, file: file)
        return try parser.parseDocument()
    }

    /// Parses JSON text.
    /// - Parameter file: the name used in error messages.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> JSONValue {
        try parse(Array(text.utf8), file: file)
    }

    /// Reads and parses the file at `path`; `path` is also the name used in error messages.
    public static func parse(contentsOfFile path: String) throws(ConfigError) -> JSONValue {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.bytes(atPath: path)
        } catch {
            throw .unreadable(file: path, reason: error.reason)
        }
        return try parse(bytes, file: path)
    }
}

/// The parsing state: the input and a read position.
///
/// Works on the byte array with an index so that large files (tens of MB)
/// parse without per-character allocations.
private struct Parser {
    let bytes: [UInt8]
    let file: String
    /// The offset of the first byte after the byte order mark, if any.
    let contentStart: Int
    var index: Int

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        let hasByteOrderMark = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        contentStart = hasByteOrderMark ? 3 : 0
        index = contentStart
    }

    mutating func parseDocument() throws(ConfigError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if index < bytes.count {
            if bytes[index] == ASCII.slash { throw commentError() }
            throw error("unexpected data after the top-level value", at: index)
        }
        return value
    }

    // MARK: Values

    /// Parses the value starting at `index`; `depth` is the number of enclosing arrays and objects.
    mutating func parseValue(depth: Int) throws(ConfigError) -> JSONValue {
        guard index < bytes.count else {
            throw error("unexpected end of input; expected a value", at: index)
        }
        switch bytes[index] {
        case ASCII.openBrace: return try parseObject(depth: depth + 1)
        case ASCII.openBracket: return try parseArray(depth: depth + 1)
        case ASCII.quote: return .string(try parseString())
        case ASCII.minus, ASCII.zero...ASCII.nine: return try parseNumber()
        default: return try parseLiteral()
        }
    }

    mutating func parseObject(depth: Int) throws(ConfigError) -> JSONValue {
        let open = index
        if depth > JSONParser.maximumDepth {
            throw error("nesting deeper than \(JSONParser.maximumDepth) levels", at: open)
        }
        index += 1
        var members: [JSONMember] = []
        // Small objects check duplicates by scanning; a Set is built only for large ones.
        var seenKeys: Set<String>? = nil
        skipWhitespace()
        if index < bytes.count && bytes[index] == ASCII.closeBrace {
            index += 1
            return .object(members)
        }
        while true {
            guard index < bytes.count else {
                throw error("unexpected end of input; expected an object key", at: index)
            }
            guard bytes[index] == ASCII.quote else {
                switch bytes[index] {
                case ASCII.closeBrace: throw error("trailing comma before '}' is not allowed", at: index)
                case ASCII.apostrophe: throw error("strings must use double quotes", at: index)
                case ASCII.slash: throw commentError()
                default: throw error("expected a double-quoted object key", at: index)
                }
            }
            let keyStart = index
            let key = try parseString()
            if seenKeys == nil && members.count >= 16 {
                seenKeys = Set(members.map(\.key))
            }
            let isDuplicate = seenKeys.map { $0.contains(key) } ?? members.contains { $0.key == key }
            if isDuplicate {
                throw error("duplicate key \(quoted(key))", at: keyStart)
            }
            seenKeys?.insert(key)

            skipWhitespace()
            guard index < bytes.count else {
                throw error("unexpected end of input; expected ':' after object key", at: index)
            }
            guard bytes[index] == ASCII.colon else {
                throw error("expected ':' after object key", at: index)
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONMember(key: key, value: value))

            skipWhitespace()
            guard index < bytes.count else {
                throw error("unexpected end of input; expected ',' or '}' after object member", at: index)
            }
            switch bytes[index] {
            case ASCII.comma:
                index += 1
                skipWhitespace()
            case ASCII.closeBrace:
                index += 1
                return .object(members)
            case ASCII.slash:
                throw commentError()
            default:
                throw error("expected ',' or '}' after object member", at: index)
            }
        }
    }

    mutating func parseArray(depth: Int) throws(ConfigError) -> JSONValue {
        let open = index
        if depth > JSONParser.maximumDepth {
            throw error("nesting deeper than \(JSONParser.maximumDepth) levels", at: open)
        }
        index += 1
        // Integers are gathered packed until the first element that is not one (JSONArray).
        var integers: [Int64] = []
        var elements: [JSONValue]?
        func array() -> JSONValue { .array(elements.map { JSONArray(mixed: $0) } ?? JSONArray(integers: integers)) }
        skipWhitespace()
        if index < bytes.count && bytes[index] == ASCII.closeBracket {
            index += 1
            return array()
        }
        while true {
            if index < bytes.count && bytes[index] == ASCII.closeBracket {
                throw error("trailing comma before ']' is not allowed", at: index)
            }
            let element = try parseValue(depth: depth)
            if elements != nil {
                elements?.append(element)
            } else if case .integer(let integer) = element {
                integers.append(integer)
            } else {
                elements = integers.map(JSONValue.integer) + [element]
                integers = []
            }
            skipWhitespace()
            guard index < bytes.count else {
                throw error("unexpected end of input; expected ',' or ']' after array element", at: index)
            }
            switch bytes[index] {
            case ASCII.comma:
                index += 1
                skipWhitespace()
            case ASCII.closeBracket:
                index += 1
                return array()
            case ASCII.slash:
                throw commentError()
            default:
                throw error("expected ',' or ']' after array element", at: index)
            }
        }
    }

    /// Parses `true`, `false` or `null`, or explains what is wrong with the word or character found.
    mutating func parseLiteral() throws(ConfigError) -> JSONValue {
        let start = index
        var end = index
        while end < bytes.count && ASCII.isLetterOrDigit(bytes[end]) { end += 1 }
        if end == start { throw unexpectedValueStart() }
        let word = String(decoding: bytes[start..<end], as: UTF8.self)
        switch word {
        case "true": index = end; return .bool(true)
        case "false": index = end; return .bool(false)
        case "null": index = end; return .null
        default:
            if Self.isNonFiniteName(word) {
                throw error("NaN and Infinity are not allowed in JSON", at: start)
            }
            throw error("invalid literal \(quoted(word, limit: 20)); expected true, false or null", at: start)
        }
    }

    /// The error for a character that cannot start a value, with a hint for common mistakes.
    func unexpectedValueStart() -> ConfigError {
        switch bytes[index] {
        case ASCII.slash: return commentError()
        case ASCII.apostrophe: return error("strings must use double quotes", at: index)
        case ASCII.plus: return error("numbers must not start with '+'", at: index)
        case ASCII.dot: return error("numbers must start with a digit, as in 0.5", at: index)
        default: return error("unexpected \(describeCharacter(at: index)); expected a value", at: index)
        }
    }

    static func isNonFiniteName(_ word: String) -> Bool {
        ["nan", "inf", "infinity"].contains(word.lowercased())
    }

    // MARK: Numbers

    mutating func parseNumber() throws(ConfigError) -> JSONValue {
        let start = index
        let isNegative = bytes[index] == ASCII.minus
        if isNegative { index += 1 }
        guard index < bytes.count, ASCII.isDigit(bytes[index]) else {
            if index < bytes.count && ASCII.isLetterOrDigit(bytes[index]) {
                var end = index
                while end < bytes.count && ASCII.isLetterOrDigit(bytes[end]) { end += 1 }
                if Self.isNonFiniteName(String(decoding: bytes[index..<end], as: UTF8.self)) {
                    throw error("NaN and Infinity are not allowed in JSON", at: start)
                }
            }
            throw error("expected a digit after '-'", at: index)
        }
        let integerStart = index
        if bytes[index] == ASCII.zero {
            index += 1
            if index < bytes.count && ASCII.isDigit(bytes[index]) {
                throw error("leading zeros are not allowed", at: index)
            }
        } else {
            skipDigits()
        }
        let integerEnd = index

        var isInteger = true
        if index < bytes.count && bytes[index] == ASCII.dot {
            isInteger = false
            index += 1
            guard index < bytes.count, ASCII.isDigit(bytes[index]) else {
                throw error("expected a digit after '.'", at: index)
            }
            skipDigits()
        }
        if index < bytes.count && (bytes[index] == ASCII.lowercaseE || bytes[index] == ASCII.uppercaseE) {
            isInteger = false
            index += 1
            if index < bytes.count && (bytes[index] == ASCII.plus || bytes[index] == ASCII.minus) {
                index += 1
            }
            guard index < bytes.count, ASCII.isDigit(bytes[index]) else {
                throw error("expected a digit in the exponent", at: index)
            }
            skipDigits()
        }

        if isInteger {
            // Accumulate negatively so that Int64.min, whose magnitude has no positive Int64, parses.
            // An integer beyond Int64 is still valid JSON: it is read as a number below, so that the
            // reader of its key can say which range it breaks.
            var value: Int64 = 0
            var fits = true
            for position in integerStart..<integerEnd {
                let digit = Int64(bytes[position] &- ASCII.zero)
                let (shifted, shiftOverflow) = value.multipliedReportingOverflow(by: 10)
                let (next, subtractOverflow) = shifted.subtractingReportingOverflow(digit)
                if shiftOverflow || subtractOverflow {
                    fits = false
                    break
                }
                value = next
            }
            if fits, !isNegative {
                fits = value != Int64.min
                if fits { value = -value }
            }
            if fits { return .integer(value) }
        }

        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("number out of range", at: start)
        }
        // A nonzero literal that underflows would otherwise read as 0 (and pass as the integer 0).
        if value == 0, bytes[start..<index].prefix(while: { $0 | 0x20 != UInt8(ascii: "e") }).contains(where: { $0 > ASCII.zero && $0 <= ASCII.zero + 9 }) {
            throw error("number out of range: nonzero, but nearer 0 than the smallest double (5e-324)", at: start)
        }
        return .number(value)
    }

    mutating func skipDigits() {
        while index < bytes.count && ASCII.isDigit(bytes[index]) { index += 1 }
    }

    // MARK: Strings

    /// Parses the string whose opening quote is at `index`.
    mutating func parseString() throws(ConfigError) -> String {
        let openingQuote = index
        index += 1
        let start = index
        // Fast path: strings without escapes are decoded straight from the input.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.quote {
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return text
            } else if byte == ASCII.backslash {
                var decoded = Array(bytes[start..<index])
                return try parseEscapedString(openingQuote: openingQuote, into: &decoded)
            } else if byte < 0x20 {
                throw controlCharacterError(at: index)
            } else if byte < 0x80 {
                index += 1
            } else {
                index += try validUTF8SequenceLength(at: index)
            }
        }
        throw error("unterminated string", at: openingQuote)
    }

    /// Continues a string at the first backslash, appending decoded UTF-8 to `decoded`.
    mutating func parseEscapedString(openingQuote: Int, into decoded: inout [UInt8]) throws(ConfigError) -> String {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.quote {
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            } else if byte == ASCII.backslash {
                try parseEscape(openingQuote: openingQuote, into: &decoded)
            } else if byte < 0x20 {
                throw controlCharacterError(at: index)
            } else if byte < 0x80 {
                decoded.append(byte)
                index += 1
            } else {
                let length = try validUTF8SequenceLength(at: index)
                decoded.append(contentsOf: bytes[index..<index + length])
                index += length
            }
        }
        throw error("unterminated string", at: openingQuote)
    }

    /// Decodes the escape sequence whose backslash is at `index`.
    mutating func parseEscape(openingQuote: Int, into decoded: inout [UInt8]) throws(ConfigError) {
        let backslash = index
        guard index + 1 < bytes.count else { throw error("unterminated string", at: openingQuote) }
        let simple: UInt8?
        switch bytes[index + 1] {
        case ASCII.quote: simple = ASCII.quote
        case ASCII.backslash: simple = ASCII.backslash
        case ASCII.slash: simple = ASCII.slash
        case ASCII.lowercaseB: simple = 0x08
        case ASCII.lowercaseF: simple = 0x0C
        case ASCII.lowercaseN: simple = 0x0A
        case ASCII.lowercaseR: simple = 0x0D
        case ASCII.lowercaseT: simple = 0x09
        case ASCII.lowercaseU: simple = nil
        default:
            let escaped = bytes[index + 1]
            let shown = ASCII.isPrintable(escaped) ? "\"\\\(Character(Unicode.Scalar(escaped)))\"" : "sequence"
            throw error(
                "invalid escape \(shown); allowed escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                at: backslash)
        }
        if let simple {
            decoded.append(simple)
            index += 2
            return
        }

        index += 2
        let first = try parseHexQuad()
        var scalarValue = first
        switch first {
        case 0xD800...0xDBFF:
            // A high surrogate is only valid when a low surrogate escape follows at once.
            guard index + 1 < bytes.count,
                  bytes[index] == ASCII.backslash, bytes[index + 1] == ASCII.lowercaseU
            else { throw unpairedSurrogateError(first, at: backslash) }
            index += 2
            let second = try parseHexQuad()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw unpairedSurrogateError(first, at: backslash)
            }
            scalarValue = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        case 0xDC00...0xDFFF:
            throw unpairedSurrogateError(first, at: backslash)
        default:
            break
        }
        // Surrogates were excluded above, so the value is always a valid scalar.
        if let scalar = Unicode.Scalar(scalarValue) {
            decoded.append(contentsOf: scalar.utf8)
        }
    }

    /// Reads the four hex digits after `\u`.
    mutating func parseHexQuad() throws(ConfigError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let digit = ASCII.hexValue(bytes[index]) else {
                throw error("expected 4 hex digits after \\u", at: index)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    func unpairedSurrogateError(_ value: UInt32, at position: Int) -> ConfigError {
        error("unpaired surrogate \\u\(hexadecimal(value, digits: 4)) in string", at: position)
    }

    func controlCharacterError(at position: Int) -> ConfigError {
        let code = hexadecimal(UInt32(bytes[position]), digits: 4)
        return error("control character U+\(code) in string must be escaped", at: position)
    }

    /// The length of the well-formed UTF-8 sequence starting at `position`,
    /// or an error naming the first byte that breaks it (overlong forms,
    /// surrogates and values beyond U+10FFFF are ill-formed).
    func validUTF8SequenceLength(at position: Int) throws(ConfigError) -> Int {
        let lead = bytes[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw invalidUTF8Error(at: position)
        }
        for offset in 1..<length {
            let current = position + offset
            guard current < bytes.count else { throw invalidUTF8Error(at: current) }
            let range = offset == 1 ? secondRange : 0x80...0xBF
            guard range.contains(bytes[current]) else { throw invalidUTF8Error(at: current) }
        }
        return length
    }

    func invalidUTF8Error(at position: Int) -> ConfigError {
        guard position < bytes.count else {
            return error("truncated UTF-8 sequence at end of input", at: position)
        }
        return error("invalid UTF-8 byte 0x\(hexadecimal(UInt32(bytes[position]), digits: 2))", at: position)
    }

    // MARK: Whitespace and errors

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case ASCII.space, ASCII.tab, ASCII.lineFeed, ASCII.carriageReturn: index += 1
            default: return
            }
        }
    }

    func commentError() -> ConfigError {
        error("comments are not allowed in JSON", at: index)
    }

    /// `'x'` for a printable character, otherwise its code, for "unexpected ..." messages.
    func describeCharacter(at position: Int) -> String {
        let byte = bytes[position]
        if ASCII.isPrintable(byte) { return "character '\(Character(Unicode.Scalar(byte)))'" }
        if byte < 0x80 { return "character U+\(hexadecimal(UInt32(byte), digits: 4))" }
        if let length = try? validUTF8SequenceLength(at: position) {
            let text = String(decoding: bytes[position..<position + length], as: UTF8.self)
            return "character '\(text)'"
        }
        return "byte 0x\(hexadecimal(UInt32(byte), digits: 2))"
    }

    /// A syntax error at byte offset `position`, located by 1-based line and column.
    ///
    /// The location is computed only when an error occurs so that parsing
    /// valid input does not pay for line tracking. Columns count characters
    /// (UTF-8 continuation bytes are skipped), as editors do.
    func error(_ message: String, at position: Int) -> ConfigError {
        let end = min(position, bytes.count)
        var line = 1
        var lineStart = contentStart
        var offset = contentStart
        while offset < end {
            if bytes[offset] == ASCII.lineFeed {
                line += 1
                lineStart = offset + 1
            }
            offset += 1
        }
        var column = 1
        for offset in lineStart..<max(lineStart, end) where bytes[offset] & 0xC0 != 0x80 {
            column += 1
        }
        return .syntax(file: file, line: line, column: column, message: message)
    }
}

/// Byte values of the ASCII characters the grammar uses.
private enum ASCII {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let apostrophe: UInt8 = 0x27
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let uppercaseE: UInt8 = 0x45
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let lowercaseB: UInt8 = 0x62
    static let lowercaseE: UInt8 = 0x65
    static let lowercaseF: UInt8 = 0x66
    static let lowercaseN: UInt8 = 0x6E
    static let lowercaseR: UInt8 = 0x72
    static let lowercaseT: UInt8 = 0x74
    static let lowercaseU: UInt8 = 0x75
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    static func isPrintable(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
