import Testing
@testable import Host

/// The root node of `text` parsed as file "net.json".
private func root(_ text: String) throws -> JSONNode {
    JSONNode(value: try JSONParser.parse(text, file: "net.json"), file: "net.json")
}

/// The error thrown by `body`, or nil if it succeeds.
private func thrownError<Result>(_ body: () throws(ConfigError) -> Result) -> ConfigError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

private func invalid(_ path: String, _ rule: String) -> ConfigError {
    .invalid(file: "net.json", path: path, rule: rule)
}

/// The accessor a type-error test calls.
enum Accessor: String, Sendable, CaseIterable {
    case int, double, string, bool, array, object

    func read(_ node: JSONNode) throws(ConfigError) {
        switch self {
        case .int: _ = try node.int()
        case .double: _ = try node.double()
        case .string: _ = try node.string()
        case .bool: _ = try node.bool()
        case .array: _ = try node.array()
        case .object: _ = try node.object(allowedKeys: [])
        }
    }
}

@Suite struct JSONNodeTests {
    // MARK: Types

    @Test(arguments: [
        (#""abc""#, Accessor.int, #"must be an integer, got string "abc""#),
        ("1.5", .int, "must be an integer, got number 1.5"),
        ("1e30", .int, "must be an integer, got number 1e+30"),
        ("true", .double, "must be a number, got boolean true"),
        (#""1""#, .double, #"must be a number, got string "1""#),
        ("3", .string, "must be a string, got integer 3"),
        ("null", .bool, "must be a boolean, got null"),
        (#""true""#, .bool, #"must be a boolean, got string "true""#),
        ("{}", .array, "must be an array, got object"),
        ("[1, 2, 3]", .object, "must be an object, got array of 3"),
        (#""\"quoted\"""#, .int, #"must be an integer, got string "\"quoted\"""#),
        ("\"" + String(repeating: "x", count: 50) + "\"", .int,
         "must be an integer, got string \"" + String(repeating: "x", count: 40) + "…\""),
    ])
    func typeErrors(text: String, accessor: Accessor, rule: String) throws {
        let node = try root(text)
        #expect(thrownError { () throws(ConfigError) in try accessor.read(node) } == invalid("$", rule))
    }

    @Test func valuesOfTheRightType() throws {
        #expect(try root("42").int() == 42)
        #expect(try root("-1.25").double() == -1.25)
        #expect(try root("7").double() == 7.0)
        #expect(try root(#""xy""#).string() == "xy")
        #expect(try root("false").bool() == false)
        #expect(try root("[true, null]").array().map(\.value) == [.bool(true), .null])
    }

    @Test(arguments: [("3.0", 3), ("1e3", 1000), ("-0.0", 0), ("-2.0", -2)])
    func integralNumberIsAcceptedAsInt(text: String, expected: Int) throws {
        #expect(try root(text).int() == expected)
    }

    // MARK: Ranges

    @Test(arguments: [
        ("5000", 0...4095, "must be an integer in 0…4095, got 5000"),
        ("-1", 0...4095, "must be an integer in 0…4095, got -1"),
        ("5000.0", 0...4095, "must be an integer in 0…4095, got 5000.0"),
        ("0", 1...Int.max, "must be an integer ≥ 1, got 0"),
        ("3", Int.min...2, "must be an integer ≤ 2, got 3"),
        // Whole numbers beyond Int64 break the range, not the type.
        ("1e30", 1...100_000_000, "must be an integer in 1…100000000, got 1e+30"),
        ("18446744073709551615", 0...Int.max, "must be an integer in 0…9223372036854775807, got 1.8446744073709552e+19"),
    ])
    func intRangeErrors(text: String, range: ClosedRange<Int>, rule: String) throws {
        let node = try root(text)
        #expect(thrownError { () throws(ConfigError) in try node.int(in: range) } == invalid("$", rule))
    }

    @Test(arguments: [
        ("1.5", 0.0...1.0, "must be a number in 0.0…1.0, got 1.5"),
        ("2", 0.0...1.0, "must be a number in 0.0…1.0, got 2"),
        ("-0.5", 0.0...Double.infinity, "must be a number ≥ 0.0, got -0.5"),
        ("1e3", -Double.infinity...10.0, "must be a number ≤ 10.0, got 1000.0"),
    ])
    func doubleRangeErrors(text: String, range: ClosedRange<Double>, rule: String) throws {
        let node = try root(text)
        #expect(thrownError { () throws(ConfigError) in try node.double(in: range) } == invalid("$", rule))
    }

    @Test func boundsAreInclusive() throws {
        #expect(try root("4095").int(in: 0...4095) == 4095)
        #expect(try root("0").int(in: 0...4095) == 0)
        #expect(try root("1").double(in: 0.0...1.0) == 1.0)
        #expect(try root("0.0").double(in: 0.0...1.0) == 0.0)
    }

    @Test func stringOneOf() throws {
        #expect(try root(#""yx""#).string(oneOf: ["xy", "yx"]) == "yx")
        let node = try root(#""zz""#)
        #expect(thrownError { () throws(ConfigError) in try node.string(oneOf: ["xy", "yx"]) }
            == invalid("$", #"must be one of "xy", "yx"; got "zz""#))
        let number = try root("1")
        #expect(thrownError { () throws(ConfigError) in try number.string(oneOf: ["xy", "yx"]) }
            == invalid("$", "must be a string, got integer 1"))
    }

    // MARK: Objects and keys

    @Test func unknownKeySuggestsTheNearestAllowedKey() throws {
        let node = try root(#"{"populations": [{"neuron": {"vth": 1, "vht": 2}}]}"#)
        let neuron = try node.object(allowedKeys: ["populations"]).required("populations").array()[0]
            .object(allowedKeys: ["neuron"]).required("neuron")
        #expect(thrownError { () throws(ConfigError) in try neuron.object(allowedKeys: ["du", "dv", "vth"]) }
            == invalid("$.populations[0].neuron.vht", #"unknown key "vht"; did you mean "vth"?"#))
    }

    @Test func unknownKeyWithoutCloseMatchListsAllowedKeys() throws {
        let node = try root(#"{"a": 1, "zzz": 2}"#)
        #expect(thrownError { () throws(ConfigError) in try node.object(allowedKeys: ["a", "b", "c"]) }
            == invalid("$.zzz", #"unknown key "zzz"; allowed keys: "a", "b", "c""#))
    }

    @Test(arguments: [
        // The nearest key wins over an earlier but farther one.
        ("sizes", ["sise", "size"], #"unknown key "sizes"; did you mean "size"?"#),
        // Equal distances: the first in allowedKeys wins.
        ("ab", ["ax", "ay"], #"unknown key "ab"; did you mean "ax"?"#),
        ("ab", ["ay", "ax"], #"unknown key "ab"; did you mean "ay"?"#),
        // Long keys tolerate more edits: distance 3 ≤ 18 / 3.
        ("population_sizes_x", ["populationSizes"], #"unknown key "population_sizes_x"; did you mean "populationSizes"?"#),
        ("Size", ["size"], #"unknown key "Size"; did you mean "size"?"#),
        // Replacing every character is no resemblance.
        ("zz", ["du", "dv"], #"unknown key "zz"; allowed keys: "du", "dv""#),
        ("x", ["y"], #"unknown key "x"; allowed keys: "y""#),
        ("q", [], #"unknown key "q"; no keys are allowed here"#),
    ])
    func unknownKeyRules(key: String, allowedKeys: [String], rule: String) {
        #expect(JSONNode.unknownKeyRule(key, allowedKeys: allowedKeys) == rule)
    }

    @Test func firstUnknownKeyInFileOrderIsReported() throws {
        let node = try root(#"{"a": 1, "qqq": 2, "ppp": 3}"#)
        #expect(thrownError { () throws(ConfigError) in try node.object(allowedKeys: ["a"]) }
            == invalid("$.qqq", #"unknown key "qqq"; allowed keys: "a""#))
    }

    @Test func missingRequiredKeyIsReportedAtTheObject() throws {
        let node = try root(#"{"core": {"neurons": 4}}"#)
        let core = try node.object(allowedKeys: ["core"]).required("core").object(allowedKeys: ["size", "neurons"])
        #expect(thrownError { () throws(ConfigError) in try core.required("size") }
            == invalid("$.core", #"missing required key "size""#))
        #expect(thrownError { () throws(ConfigError) in try core.int("size") }
            == invalid("$.core", #"missing required key "size""#))
        #expect(try core.int("neurons") == 4)
    }

    @Test func readerKeysAndPresence() throws {
        let reader = try root(#"{"b": 1, "a": 2}"#).object(allowedKeys: ["a", "b", "c"])
        #expect(reader.keys == ["b", "a"])
        #expect(reader.has("a"))
        #expect(!reader.has("c"))
        #expect(reader.optional("c") == nil)
        #expect(reader.optional("a")?.path == "$.a")
        #expect(reader.node.path == "$")
    }

    @Test func readerConveniencesAndDefaults() throws {
        let reader = try root(#"{"n": 3, "x": 0.5, "mode": "yx", "on": true}"#)
            .object(allowedKeys: ["n", "x", "mode", "on", "absent"])
        #expect(try reader.int("n", in: 0...10) == 3)
        #expect(try reader.int("absent", default: 9) == 9)
        #expect(try reader.int("n", default: 9) == 3)
        #expect(try reader.double("x", in: 0.0...1.0) == 0.5)
        #expect(try reader.double("absent", default: 1.5) == 1.5)
        #expect(try reader.string("mode", oneOf: ["xy", "yx"]) == "yx")
        #expect(try reader.string("absent", default: "xy") == "xy")
        #expect(try reader.bool("on") == true)
        #expect(try reader.bool("absent", default: false) == false)
        // A default never hides a value of the wrong type.
        #expect(thrownError { () throws(ConfigError) in try reader.int("mode", default: 1) }
            == invalid("$.mode", #"must be an integer, got string "yx""#))
        #expect(thrownError { () throws(ConfigError) in try reader.int("n", in: 5...10, default: 6) }
            == invalid("$.n", "must be an integer in 5…10, got 3"))
        #expect(thrownError { () throws(ConfigError) in try reader.string("mode", oneOf: ["a"], default: "a") }
            == invalid("$.mode", #"must be one of "a"; got "yx""#))
    }

    // MARK: Paths

    @Test func nestedChildPaths() throws {
        let node = try root(#"{"a": [0, 1, {"b": "x"}]}"#)
        let element = try node.object(allowedKeys: ["a"]).required("a").array()[2]
        #expect(element.path == "$.a[2]")
        let b = try element.object(allowedKeys: ["b"]).required("b")
        #expect(b.path == "$.a[2].b")
        #expect(b.file == "net.json")
        #expect(thrownError { () throws(ConfigError) in try b.int() }
            == invalid("$.a[2].b", #"must be an integer, got string "x""#))
        #expect(b.error("custom rule").description == "net.json: $.a[2].b: custom rule")
    }

    @Test(arguments: [
        ("odd key", #"$["odd key"]"#),
        ("2d", #"$["2d"]"#),
        ("", #"$[""]"#),
        ("a-b", #"$["a-b"]"#),
        (#"say "hi""#, #"$["say \"hi\""]"#),
        ("größe", #"$["größe"]"#),
        ("_private9", "$._private9"),
        ("tile_x", "$.tile_x"),
    ])
    func childPathQuotesNonIdentifierKeys(key: String, path: String) throws {
        let node = JSONNode(value: .object([JSONMember(key: key, value: .integer(1))]), file: "net.json")
        #expect(try node.object(allowedKeys: [key]).required(key).path == path)
    }

    @Test func arrayHelpersReportTheBadElement() throws {
        #expect(try root("[1, 2.0, 3]").intArray(in: 0...5) == [1, 2, 3])
        #expect(try root("[0, 0.5, 1]").doubleArray(in: 0.0...1.0) == [0, 0.5, 1])
        let node = try root(#"{"weights": [1, "x"]}"#).object(allowedKeys: ["weights"]).required("weights")
        #expect(thrownError { () throws(ConfigError) in try node.intArray() }
            == invalid("$.weights[1]", #"must be an integer, got string "x""#))
        let doubles = try root("[0.5, 1.5]")
        #expect(thrownError { () throws(ConfigError) in try doubles.doubleArray(in: 0.0...1.0) }
            == invalid("$[1]", "must be a number in 0.0…1.0, got 1.5"))
        let notArray = try root("7")
        #expect(thrownError { () throws(ConfigError) in try notArray.intArray() }
            == invalid("$", "must be an array, got integer 7"))
    }

    @Test func membersOfAMapKeepOrderAndPaths() throws {
        let members = try root(#"{"zeta": 1, "alpha beta": 2}"#).members()
        #expect(members.map(\.key) == ["zeta", "alpha beta"])
        #expect(members.map(\.node.path) == ["$.zeta", #"$["alpha beta"]"#])
        #expect(members.map(\.node.value) == [.integer(1), .integer(2)])
    }

    // MARK: Values and helpers

    @Test(arguments: [
        (JSONValue.null, "null", "null"),
        (.bool(true), "boolean", "boolean true"),
        (.integer(5000), "integer", "integer 5000"),
        (.number(1.5), "number", "number 1.5"),
        (.string("abc"), "string", #"string "abc""#),
        (.string("a\nb"), "string", #"string "a\nb""#),
        (.array([.null, .null, .null]), "array", "array of 3"),
        (.object([]), "object", "object"),
    ])
    func typeNamesAndSummaries(value: JSONValue, typeName: String, summary: String) {
        #expect(value.typeName == typeName)
        #expect(value.summary == summary)
    }
}
