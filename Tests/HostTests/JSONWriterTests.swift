import Foundation
import Testing
@testable import Host

@Suite struct JSONWriterTests {
    static let sample: JSONValue = .object([
        JSONMember(key: "name", value: .string("quote \" backslash \\ newline \n tab \t bell \u{07} é")),
        JSONMember(key: "count", value: .integer(-42)),
        JSONMember(key: "ratio", value: .number(0.125)),
        JSONMember(key: "tiny", value: .number(1.5e-7)),
        JSONMember(key: "flags", value: .array([.bool(true), .bool(false), .null])),
        JSONMember(key: "empty", value: .object([])),
        JSONMember(key: "list", value: .array([])),
    ])

    @Test func textParsesBackToTheSameValue() throws {
        #expect(try JSONParser.parse(JSONWriter.text(Self.sample), file: "x") == Self.sample)
    }

    @Test func stringsAreEscaped() {
        #expect(JSONWriter.compact(.string("a\"b\\c\nd\u{01}é")) == #""a\"b\\c\nd\u0001é""#)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        #expect(JSONWriter.compact(.number(.infinity)) == "null")
        #expect(JSONWriter.compact(.number(.nan)) == "null")
        #expect(JSONWriter.compact(.optionalNumber(nil)) == "null")
        #expect(JSONWriter.compact(.optionalNumber(2.5)) == "2.5")
    }

    @Test func shortValuesStayOnOneLine() {
        let value: JSONValue = .fields(["a": .integer(1), "b": .array([.integer(2), .integer(3)])])
        #expect(JSONWriter.text(value) == "{\"a\": 1, \"b\": [2, 3]}\n")
    }

    @Test func longValuesPutOneMemberPerLine() {
        let row: JSONValue = .fields(["step": .integer(1), "energy_fj": .integer(5)])
        let long: JSONValue = .fields(["format": .string("x"), "steps": .array(Array(repeating: row, count: 40))])
        let lines = JSONWriter.text(long).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "{")
        #expect(lines[1] == "  \"format\": \"x\",")
        #expect(lines[2] == "  \"steps\": [")
        #expect(lines[3] == "    {\"step\": 1, \"energy_fj\": 5},")
        #expect(lines[42] == "    {\"step\": 1, \"energy_fj\": 5}")
        #expect(lines[43] == "  ]")
        #expect(lines[44] == "}")
        #expect(lines.count == 46 && lines[45].isEmpty)
        #expect(lines.allSatisfy { $0.count <= JSONWriter.lineLimit })
    }

    @Test func countsAreIntegers() {
        #expect(JSONValue.count(UInt64(7)) == .integer(7))
        #expect(JSONValue.count(UInt64.max) == .integer(Int64.max))
        #expect(JSONValue.count(3) == .integer(3))
    }
}
