import Testing
@testable import Host

/// Arrays of integers are kept packed; every other array holds its values. Either way an array
/// reads, compares and writes as the elements it holds.
struct JSONArrayTests {
    @Test func integersArePackedAndReadAsIntegers() {
        let array = JSONArray([.integer(3), .integer(-7), .integer(Int64.max)])
        #expect(array.integers == [3, -7, Int64.max])
        #expect(Array(array) == [.integer(3), .integer(-7), .integer(Int64.max)])
        #expect(JSONArray([]).integers == [])
        // One element of another kind keeps the values as they are.
        let mixed = JSONArray([.integer(1), .number(2.5), .string("x")])
        #expect(mixed.integers == nil && mixed.count == 3 && mixed[1] == .number(2.5))
    }

    /// Equal elements compare equal however the array was made: parsed, listed or packed.
    @Test func equalElementsMakeEqualArrays() throws {
        let parsed = try JSONParser.parse(Array("[1, 2, 3]".utf8), file: "a.json")
        #expect(parsed == .array([.integer(1), .integer(2), .integer(3)]))
        #expect(parsed == .array(JSONArray(integers: [1, 2, 3])))
        #expect(parsed != .array([.integer(1), .integer(2), .number(3)]))
        // An integer prefix followed by another kind is kept in order.
        let switched = try JSONParser.parse(Array("[1, 2, \"three\", 4]".utf8), file: "a.json")
        #expect(switched == .array([.integer(1), .integer(2), .string("three"), .integer(4)]))
        guard case .array(let elements) = switched else { Issue.record("not an array"); return }
        #expect(elements.integers == nil)
        // Nested rows of a weight matrix are packed each.
        guard case .array(let rows) = try JSONParser.parse(Array("[[1, 2], [], [3]]".utf8), file: "a.json") else { Issue.record("not an array"); return }
        let packed: [[Int64]?] = rows.map { row in
            guard case .array(let inner) = row else { return nil }
            return inner.integers
        }
        #expect(packed == [[1, 2], [], [3]])
    }

    /// A packed array read as integers gives the same values and, for an element out of range,
    /// the same error at the same path as element-by-element reading.
    @Test func packedIntegerArraysKeepTheirRangeErrors() throws {
        let node = JSONNode(value: try JSONParser.parse(Array("[0, 5, 300]".utf8), file: "w.json"), path: "$.weights", file: "w.json")
        #expect(try node.intArray() == [0, 5, 300])
        #expect(try node.intArray(in: 0...300) == [0, 5, 300])
        #expect(throws: ConfigError.invalid(file: "w.json", path: "$.weights[2]", rule: "must be an integer in 0…255, got 300")) {
            try node.intArray(in: 0...255)
        }
    }
}
