/// A cursor into a parsed JSON document that knows its JSON path and file,
/// so that every check can report exactly where the user must look.
///
/// Accessors are strict: a value of the wrong type is an error, never a
/// silent conversion (except that an exactly integral number such as `3.0`
/// is accepted where an integer is expected, since Python writes those).
public struct JSONNode: Sendable {
    /// The value the cursor points at.
    public let value: JSONValue
    /// The JSON path of this value, `"$"` for the root.
    public let path: String
    /// The file name used in error messages.
    public let file: String

    /// A cursor at `value`, found at `path` of `file`.
    public init(value: JSONValue, path: String = "$", file: String) {
        self.value = value
        self.path = path
        self.file = file
    }

    /// An error about this value: `.invalid(file, path, rule)`.
    public func error(_ rule: String) -> ConfigError {
        .invalid(file: file, path: path, rule: rule)
    }

    /// This value as an object whose keys must all be among `allowedKeys`.
    ///
    /// The first unknown key in file order is reported at its own path,
    /// with the nearest allowed key as a suggestion when one is close.
    public func object(allowedKeys: [String]) throws(ConfigError) -> JSONObjectReader {
        let members = try objectMembers()
        for member in members where !allowedKeys.contains(member.key) {
            let child = JSONNode(value: member.value, path: Self.childPath(path, key: member.key), file: file)
            throw child.error(Self.unknownKeyRule(member.key, allowedKeys: allowedKeys))
        }
        return JSONObjectReader(node: self, members: members)
    }

    /// A file's top-level object: its `format` string is checked before its keys, so that a file
    /// of another kind (a chip file given as a network) is named as such, not by the first key
    /// this kind lacks.
    public func fileObject(format: String, allowedKeys: [String]) throws(ConfigError) -> JSONObjectReader {
        let formatNode = try JSONObjectReader(node: self, members: objectMembers()).required("format")
        let found = try formatNode.string()
        guard found == format else { throw formatNode.error("must be \"\(format)\", got \"\(found)\"") }
        return try object(allowedKeys: allowedKeys)
    }

    /// The members of an object whose keys are free-form names (a map), in file order.
    public func members() throws(ConfigError) -> [(key: String, node: JSONNode)] {
        try objectMembers().map { member in
            (key: member.key, node: JSONNode(value: member.value, path: Self.childPath(path, key: member.key), file: file))
        }
    }

    /// The elements of this array, with paths `path[0]`, `path[1]`, ...
    public func array() throws(ConfigError) -> [JSONNode] {
        guard case .array(let elements) = value else { throw typeError("an array") }
        var nodes: [JSONNode] = []
        nodes.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            nodes.append(JSONNode(value: element, path: "\(path)[\(position)]", file: file))
        }
        return nodes
    }

    /// This value as an integer, optionally required to lie in `range`.
    public func int(in range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int {
        let result: Int
        switch value {
        case .integer(let integer):
            guard let exact = Int(exactly: integer) else { throw typeError("an integer") }
            result = exact
        case .number(let number):
            // Int(exactly:) rejects fractions and values beyond Int's range alike; a whole number
            // beyond the range breaks the range rule, not the type rule.
            guard let exact = Int(exactly: number) else {
                if let range, number.isFinite, number == number.rounded() {
                    // Both bounds, even an unlimited one: the value broke the one Int sets.
                    throw error("must be an integer in \(range.lowerBound)…\(range.upperBound), got \(value.numberText ?? "\(number)")")
                }
                throw typeError("an integer")
            }
            result = exact
        default:
            throw typeError("an integer")
        }
        if let range, !range.contains(result) {
            throw error("must be an integer \(Self.describe(range)), got \(value.numberText ?? "\(result)")")
        }
        return result
    }

    /// This value as a number (integers are accepted), optionally required to lie in `range`.
    public func double(in range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double {
        let result: Double
        switch value {
        case .integer(let integer): result = Double(integer)
        case .number(let number): result = number
        default: throw typeError("a number")
        }
        if let range, !range.contains(result) {
            throw error("must be a number \(Self.describe(range)), got \(value.numberText ?? "\(result)")")
        }
        return result
    }

    /// This value as a string.
    public func string() throws(ConfigError) -> String {
        guard case .string(let text) = value else { throw typeError("a string") }
        return text
    }

    /// This value as a string that must be one of `choices`.
    public func string(oneOf choices: [String]) throws(ConfigError) -> String {
        let text = try string()
        guard choices.contains(text) else {
            let listed = choices.map { quoted($0) }.joined(separator: ", ")
            throw error("must be one of \(listed); got \(quoted(text, limit: 40))")
        }
        return text
    }

    /// This value as a boolean.
    public func bool() throws(ConfigError) -> Bool {
        guard case .bool(let flag) = value else { throw typeError("a boolean") }
        return flag
    }

    /// This value as an array of integers, each optionally required to lie in `range`;
    /// a bad element is reported at its own path.
    public func intArray(in range: ClosedRange<Int>? = nil) throws(ConfigError) -> [Int] {
        guard case .array(let values) = value else { throw typeError("an array") }
        // A packed array in range is converted whole; anything else is checked element by element.
        if let integers = values.integers, range.map({ range in integers.allSatisfy { range.contains(Int($0)) } }) ?? true {
            return integers.map { Int($0) }
        }
        var result: [Int] = []
        result.reserveCapacity(values.count)
        // Paths are built only for a bad element: large weight matrices stay fast to read.
        for (position, element) in values.enumerated() {
            if case .integer(let integer) = element, let exact = Int(exactly: integer), range?.contains(exact) ?? true {
                result.append(exact)
            } else {
                result.append(try JSONNode(value: element, path: "\(path)[\(position)]", file: file).int(in: range))
            }
        }
        return result
    }

    /// This value as an array of numbers, each optionally required to lie in `range`;
    /// a bad element is reported at its own path.
    public func doubleArray(in range: ClosedRange<Double>? = nil) throws(ConfigError) -> [Double] {
        let elements = try array()
        var result: [Double] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            result.append(try element.double(in: range))
        }
        return result
    }

    // MARK: Helpers

    func objectMembers() throws(ConfigError) -> [JSONMember] {
        guard case .object(let members) = value else { throw typeError("an object") }
        return members
    }

    /// `must be an integer, got string "abc"`; `expected` includes its article.
    func typeError(_ expected: String) -> ConfigError {
        error("must be \(expected), got \(value.summary)")
    }

    /// The path of member `key` under `parent`: `$.name` for identifier-like keys, else `$["odd key"]`.
    static func childPath(_ parent: String, key: String) -> String {
        isIdentifier(key) ? "\(parent).\(key)" : "\(parent)[\(quoted(key))]"
    }

    static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
                || (0x61...0x7A).contains(byte) || byte == 0x5F
        }
    }

    /// The rule for an unknown key: a "did you mean" suggestion when an allowed key is
    /// close, otherwise the list of allowed keys.
    static func unknownKeyRule(_ key: String, allowedKeys: [String]) -> String {
        let threshold = max(2, key.count / 3)
        var best: (key: String, distance: Int)? = nil
        for candidate in allowedKeys {
            let distance = editDistance(key, candidate)
            // Replacing every character is no resemblance, so short keys need a real overlap.
            guard distance <= threshold, distance < max(key.count, candidate.count) else { continue }
            if distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        if let best {
            return "unknown key \(quoted(key)); did you mean \(quoted(best.key))?"
        }
        if allowedKeys.isEmpty {
            return "unknown key \(quoted(key)); no keys are allowed here"
        }
        let listed = allowedKeys.map { quoted($0) }.joined(separator: ", ")
        return "unknown key \(quoted(key)); allowed keys: \(listed)"
    }

    /// `in 0…4095`, or `≥ 0` / `≤ 0` when one bound is unlimited.
    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "≥ \(range.lowerBound)" }
        if range.lowerBound == Int.min { return "≤ \(range.upperBound)" }
        return "in \(range.lowerBound)…\(range.upperBound)"
    }

    /// `in 0.0…1.0`, or `≥ 0.0` / `≤ 0.0` when one bound is infinite.
    static func describe(_ range: ClosedRange<Double>) -> String {
        if range.upperBound == .infinity { return "≥ \(range.lowerBound)" }
        if range.lowerBound == -.infinity { return "≤ \(range.upperBound)" }
        return "in \(range.lowerBound)…\(range.upperBound)"
    }
}

/// Reads the members of one JSON object whose keys have already been checked
/// against the allowed set.
public struct JSONObjectReader: Sendable {
    /// The object itself, for errors about the object as a whole.
    public let node: JSONNode
    let members: [JSONMember]

    init(node: JSONNode, members: [JSONMember]) {
        self.node = node
        self.members = members
    }

    /// The keys present, in file order.
    public var keys: [String] { members.map(\.key) }

    /// Whether `key` is present.
    public func has(_ key: String) -> Bool {
        members.contains { $0.key == key }
    }

    /// The member `key`, or an error at the object's path: `missing required key "size"`.
    public func required(_ key: String) throws(ConfigError) -> JSONNode {
        guard let child = optional(key) else { throw missing(key) }
        return child
    }

    /// The member `key`, or nil when absent.
    public func optional(_ key: String) -> JSONNode? {
        guard let member = members.first(where: { $0.key == key }) else { return nil }
        return JSONNode(value: member.value, path: JSONNode.childPath(node.path, key: key), file: node.file)
    }

    /// The integer `key`; required when `default` is nil, else `default` when absent.
    public func int(_ key: String, in range: ClosedRange<Int>? = nil, default defaultValue: Int? = nil) throws(ConfigError) -> Int {
        if let child = optional(key) { return try child.int(in: range) }
        if let defaultValue { return defaultValue }
        throw missing(key)
    }

    /// The number `key`; required when `default` is nil, else `default` when absent.
    public func double(_ key: String, in range: ClosedRange<Double>? = nil, default defaultValue: Double? = nil) throws(ConfigError) -> Double {
        if let child = optional(key) { return try child.double(in: range) }
        if let defaultValue { return defaultValue }
        throw missing(key)
    }

    /// The string `key`, optionally one of `oneOf`; required when `default` is nil, else `default` when absent.
    public func string(_ key: String, oneOf choices: [String]? = nil, default defaultValue: String? = nil) throws(ConfigError) -> String {
        if let child = optional(key) {
            if let choices { return try child.string(oneOf: choices) }
            return try child.string()
        }
        if let defaultValue { return defaultValue }
        throw missing(key)
    }

    /// The boolean `key`; required when `default` is nil, else `default` when absent.
    public func bool(_ key: String, default defaultValue: Bool? = nil) throws(ConfigError) -> Bool {
        if let child = optional(key) { return try child.bool() }
        if let defaultValue { return defaultValue }
        throw missing(key)
    }

    func missing(_ key: String) -> ConfigError {
        node.error("missing required key \(quoted(key))")
    }
}
