import Foundation
import Testing
@testable import Host

/// The error thrown when parsing `text`, or nil if it parses.
private func parseError(_ text: String) -> ConfigError? {
    parseError(Array(text.utf8))
}

private func parseError(_ bytes: [UInt8]) -> ConfigError? {
    do {
        _ = try JSONParser.parse(bytes, file: "net.json")
        return nil
    } catch {
        return error
    }
}

private func syntax(_ line: Int, _ column: Int, _ message: String) -> ConfigError {
    .syntax(file: "net.json", line: line, column: column, message: message)
}

@Suite struct JSONParserTests {
    // MARK: Valid input

    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("0", .integer(0)),
        ("-0", .integer(0)),
        ("42", .integer(42)),
        ("-7", .integer(-7)),
        ("1.5", .number(1.5)),
        ("-0.25", .number(-0.25)),
        ("1.0", .number(1.0)),
        ("1e3", .number(1000)),
        ("2E-2", .number(0.02)),
        ("5e+1", .number(50)),
        // Zero written with a fraction or exponent is zero, not an underflow; 5e-324 is the
        // smallest double.
        ("0.000e-999", .number(0)),
        ("-0e5", .number(0)),
        ("5e-324", .number(.leastNonzeroMagnitude)),
        (#""abc""#, .string("abc")),
        (#""""#, .string("")),
        (" \t\r\n 5 \n", .integer(5)),
    ])
    func scalars(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text, file: "net.json") == expected)
    }

    @Test func integersWithoutFractionOrExponentStayIntegers() throws {
        let value = try JSONParser.parse("[3, 3.0, 3e0]", file: "net.json")
        #expect(value == .array([.integer(3), .number(3), .number(3)]))
    }

    @Test func largeIntegersAreExact() throws {
        let value = try JSONParser.parse("[9223372036854775807, -9223372036854775808, 9007199254740993]", file: "net.json")
        #expect(value == .array([.integer(Int64.max), .integer(Int64.min), .integer(9_007_199_254_740_993)]))
        // One beyond Int64 either way is still JSON: a number, which a key's reader refuses by range.
        let beyond = try JSONParser.parse("[9223372036854775808, -9223372036854775809, 18446744073709551616]", file: "net.json")
        // −2^63 − 1 is nearest to −2^63 as a Double.
        #expect(beyond == .array([.number(0x1p63), .number(-0x1p63), .number(0x1p64)]))
    }

    @Test func nestedStructure() throws {
        let text = #"{"a": [1, {"b": null, "c": [true, []]}], "d": {}, "e": -2.5}"#
        let expected = JSONValue.object([
            JSONMember(key: "a", value: .array([
                .integer(1),
                .object([
                    JSONMember(key: "b", value: .null),
                    JSONMember(key: "c", value: .array([.bool(true), .array([])])),
                ]),
            ])),
            JSONMember(key: "d", value: .object([])),
            JSONMember(key: "e", value: .number(-2.5)),
        ])
        #expect(try JSONParser.parse(text, file: "net.json") == expected)
    }

    @Test func objectMembersKeepFileOrder() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": 2, "m": 3, "b": 4}"#, file: "net.json")
        guard case .object(let members) = value else {
            Issue.record("expected an object, got \(value)")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m", "b"])
        #expect(members.map(\.value) == [.integer(1), .integer(2), .integer(3), .integer(4)])
    }

    @Test func simpleEscapes() throws {
        let value = try JSONParser.parse(#""q\"b\\s\/b\bf\fn\nr\rt\t""#, file: "net.json")
        #expect(value == .string("q\"b\\s/b\u{08}f\u{0C}n\nr\rt\t"))
    }

    @Test(arguments: [
        (#""\u00e9\u4E2D""#, "é中"),
        (#""\ud83d\ude00""#, "😀"),
        (#""a\uD834\uDD1Eb""#, "a𝄞b"),
        (#""\u0000""#, "\u{0}"),
        (#""x\u0041y""#, "xAy"),
    ])
    func unicodeEscapes(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text, file: "net.json") == .string(expected))
    }

    @Test func rawUTF8InStringsAndKeys() throws {
        let value = try JSONParser.parse(#"{"größe": "😀 ok"}"#, file: "net.json")
        #expect(value == .object([JSONMember(key: "größe", value: .string("😀 ok"))]))
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("[1]".utf8)
        #expect(try JSONParser.parse(bytes, file: "net.json") == .array([.integer(1)]))
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONParser.parse(text, file: "net.json")
        var levels = 1
        while case .array(let elements) = value, let first = elements.first {
            value = first
            levels += 1
        }
        #expect(levels == depth)
    }

    @Test func largeObjectsStillRejectDuplicateKeys() {
        let members = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let text = "{\(members), \"k7\": 0}"
        let column = text.utf8.count - 8 + 1  // the quote of the second "k7"
        #expect(parseError(text) == syntax(1, column, #"duplicate key "k7""#))
    }

    @Test func largeArrayParses() throws {
        let count = 100_000
        let text = "[" + (0..<count).map { "\($0).5" }.joined(separator: ",") + "]"
        guard case .array(let elements) = try JSONParser.parse(text, file: "net.json") else {
            Issue.record("expected an array")
            return
        }
        #expect(elements.count == count)
        #expect(elements.last == .number(Double(count - 1) + 0.5))
    }

    // MARK: Syntax errors

    @Test(arguments: [
        ("", 1, 1, "unexpected end of input; expected a value"),
        ("   ", 1, 4, "unexpected end of input; expected a value"),
        ("[", 1, 2, "unexpected end of input; expected a value"),
        ("{", 1, 2, "unexpected end of input; expected an object key"),
        (#"{"a""#, 1, 5, "unexpected end of input; expected ':' after object key"),
        (#"{"a":1"#, 1, 7, "unexpected end of input; expected ',' or '}' after object member"),
        ("[1", 1, 3, "unexpected end of input; expected ',' or ']' after array element"),
        ("[1,]", 1, 4, "trailing comma before ']' is not allowed"),
        (#"{"a":1,}"#, 1, 8, "trailing comma before '}' is not allowed"),
        ("[1,\n 2,\n ]", 3, 2, "trailing comma before ']' is not allowed"),
        (#"{"a":1 "b":2}"#, 1, 8, "expected ',' or '}' after object member"),
        ("[1 2]", 1, 4, "expected ',' or ']' after array element"),
        (#"{"a" 1}"#, 1, 6, "expected ':' after object key"),
        ("{a:1}", 1, 2, "expected a double-quoted object key"),
        ("{'a':1}", 1, 2, "strings must use double quotes"),
        ("['a']", 1, 2, "strings must use double quotes"),
        (#"{"a": [}"#, 1, 8, "unexpected character '}'; expected a value"),
        ("[1] // note", 1, 5, "comments are not allowed in JSON"),
        ("{\n  \"a\": 1 /* note */\n}", 2, 10, "comments are not allowed in JSON"),
        ("[/* x */ 1]", 1, 2, "comments are not allowed in JSON"),
        ("[1] 2", 1, 5, "unexpected data after the top-level value"),
        ("True", 1, 1, #"invalid literal "True"; expected true, false or null"#),
        ("[nul]", 1, 2, #"invalid literal "nul"; expected true, false or null"#),
        ("NaN", 1, 1, "NaN and Infinity are not allowed in JSON"),
        ("[1, Infinity]", 1, 5, "NaN and Infinity are not allowed in JSON"),
        ("-Infinity", 1, 1, "NaN and Infinity are not allowed in JSON"),
        ("01", 1, 2, "leading zeros are not allowed"),
        ("-012", 1, 3, "leading zeros are not allowed"),
        ("-", 1, 2, "expected a digit after '-'"),
        ("-x", 1, 2, "expected a digit after '-'"),
        ("1.", 1, 3, "expected a digit after '.'"),
        ("1.e5", 1, 3, "expected a digit after '.'"),
        ("1e", 1, 3, "expected a digit in the exponent"),
        ("1e+", 1, 4, "expected a digit in the exponent"),
        ("+1", 1, 1, "numbers must not start with '+'"),
        (".5", 1, 1, "numbers must start with a digit, as in 0.5"),
        ("1e400", 1, 1, "number out of range"),
        ("[0, 1e-400]", 1, 5, "number out of range: nonzero, but nearer 0 than the smallest double (5e-324)"),
        ("-0.000001e-399", 1, 1, "number out of range: nonzero, but nearer 0 than the smallest double (5e-324)"),
        (#""abc"#, 1, 1, "unterminated string"),
        (#"["ok", "abc\"]"#, 1, 8, "unterminated string"),
        ("\"a\tb\"", 1, 3, "control character U+0009 in string must be escaped"),
        ("\"line\nbreak\"", 1, 6, "control character U+000A in string must be escaped"),
        (#""a\x""#, 1, 3, #"invalid escape "\x"; allowed escapes are \" \\ \/ \b \f \n \r \t \uXXXX"#),
        (#""\u12G4""#, 1, 6, #"expected 4 hex digits after \u"#),
        (#""\u12"#, 1, 6, #"expected 4 hex digits after \u"#),
        (#""\ud800""#, 1, 2, #"unpaired surrogate \uD800 in string"#),
        (#""\udc00""#, 1, 2, #"unpaired surrogate \uDC00 in string"#),
        (#""x\ud800\u0041""#, 1, 3, #"unpaired surrogate \uD800 in string"#),
        (#""\ud800\n""#, 1, 2, #"unpaired surrogate \uD800 in string"#),
        (#"{"a": 1, "a": 2}"#, 1, 10, #"duplicate key "a""#),
        ("{\n  \"x\": 1,\n  \"x\": 2\n}", 3, 3, #"duplicate key "x""#),
        ("\"é\t\"", 1, 3, "control character U+0009 in string must be escaped"),
        ("[1, é]", 1, 5, "unexpected character 'é'; expected a value"),
    ])
    func syntaxErrors(text: String, line: Int, column: Int, message: String) {
        #expect(parseError(text) == syntax(line, column, message))
    }

    @Test(arguments: [
        ([0x22, 0x61, 0xFF, 0x22], 1, 3, "invalid UTF-8 byte 0xFF"),
        ([0x22, 0xC0, 0x80, 0x22], 1, 2, "invalid UTF-8 byte 0xC0"),       // overlong encoding
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1, 3, "invalid UTF-8 byte 0xA0"), // encoded surrogate
        ([0x22, 0xE2, 0x28, 0xA1, 0x22], 1, 3, "invalid UTF-8 byte 0x28"), // missing continuation
        ([0x22, 0xE2, 0x82], 1, 3, "truncated UTF-8 sequence at end of input"),
        ([0x5B, 0x80, 0x5D], 1, 2, "unexpected byte 0x80; expected a value"),
        ([0xEF, 0xBB, 0xBF, 0x5B, 0x31, 0x2C, 0x5D], 1, 4, "trailing comma before ']' is not allowed"),
    ] as [([UInt8], Int, Int, String)])
    func byteLevelErrors(bytes: [UInt8], line: Int, column: Int, message: String) {
        #expect(parseError(bytes) == syntax(line, column, message))
    }

    @Test func nestingBeyondTheLimitIsAnError() {
        let depth = JSONParser.maximumDepth + 1
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(parseError(arrays) == syntax(1, depth, "nesting deeper than 256 levels"))

        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(parseError(objects) == syntax(1, 5 * (depth - 1) + 1, "nesting deeper than 256 levels"))
    }

    @Test func veryDeepInputDoesNotOverflowTheStack() {
        let text = String(repeating: "[", count: 1_000_000)
        #expect(parseError(text) == syntax(1, 257, "nesting deeper than 256 levels"))
    }

    // MARK: Files and messages

    @Test func parsesAFileAndNamesItInErrors() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("JSONParserTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let good = directory.appendingPathComponent("good.json").path
        try Data(#"{"size": 4}"#.utf8).write(to: URL(fileURLWithPath: good))
        #expect(try JSONParser.parse(contentsOfFile: good) == .object([JSONMember(key: "size", value: .integer(4))]))

        let bad = directory.appendingPathComponent("bad.json").path
        try Data("{\n  \"size\": 4,\n}".utf8).write(to: URL(fileURLWithPath: bad))
        #expect(throws: ConfigError.syntax(file: bad, line: 3, column: 1, message: "trailing comma before '}' is not allowed")) {
            try JSONParser.parse(contentsOfFile: bad)
        }

        let missing = directory.appendingPathComponent("missing.json").path
        #expect(throws: ConfigError.unreadable(file: missing, reason: "no such file")) {
            try JSONParser.parse(contentsOfFile: missing)
        }
        #expect(throws: ConfigError.unreadable(file: directory.path, reason: "is a directory")) {
            try JSONParser.parse(contentsOfFile: directory.path)
        }
    }

    @Test(arguments: [
        (ConfigError.unreadable(file: "chip.json", reason: "no such file"), "chip.json: cannot read: no such file"),
        (.syntax(file: "net.json", line: 3, column: 7, message: "unterminated string"), "net.json:3:7: invalid JSON: unterminated string"),
        (.invalid(file: "net.json", path: "$.populations[2].neuron.du", rule: "must be a number"), "net.json: $.populations[2].neuron.du: must be a number"),
    ])
    func errorDescriptions(error: ConfigError, expected: String) {
        #expect(error.description == expected)
    }
}
