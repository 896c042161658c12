/// A small reader of Value Change Dumps (IEEE 1364-2005 §18), enough to check `VCDWriter`'s
/// output independently of it: header sections, scopes, variables, `$dumpvars` and the timed
/// value changes of scalars and binary vectors.
struct VCDDocument {
    struct Variable: Equatable {
        var type: String
        var width: Int
        var code: String
        /// Scope names from the top, then the variable's name, joined by `.`.
        var path: String
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Texts of the header sections by keyword (`version`, `comment`, `timescale`, `date`), in order.
    private(set) var sections: [(keyword: String, text: String)] = []
    /// Every scope, as its path, in order of appearance.
    private(set) var scopes: [String] = []
    private(set) var variables: [Variable] = []
    private(set) var sawEndDefinitions = false
    /// `$dumpvars` values by code, as written (bits of vectors without the `b`).
    private(set) var initialValues: [String: String] = [:]
    /// Codes listed in `$dumpvars`, in order (to detect repeats).
    private(set) var initialCodes: [String] = []
    /// Time stamps after `$dumpvars`, in file order (`#0` of `$dumpvars` excluded).
    private(set) var timestamps: [UInt64] = []
    /// The time of `$dumpvars`.
    private(set) var dumpTime: UInt64?
    /// Value changes after `$dumpvars` by code, in file order.
    private(set) var changes: [String: [(time: UInt64, value: String)]] = [:]
    /// Every (time, code) of a change, in file order.
    private(set) var changeLog: [(time: UInt64, code: String)] = []

    init(parsing text: String) throws {
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).map(String.init)[...]
        var scopeStack: [String] = []
        func sectionBody() throws -> [String] {
            var body: [String] = []
            while let token = tokens.popFirst() {
                if token == "$end" { return body }
                body.append(token)
            }
            throw ParseError(description: "a section is missing its $end")
        }
        // Header.
        while !sawEndDefinitions, let token = tokens.popFirst() {
            switch token {
            case "$date", "$version", "$comment", "$timescale":
                sections.append((String(token.dropFirst()), try sectionBody().joined(separator: " ")))
            case "$scope":
                let body = try sectionBody()
                guard body.count == 2 else { throw ParseError(description: "$scope needs a type and a name: \(body)") }
                scopeStack.append(body[1])
                scopes.append(scopeStack.joined(separator: "."))
            case "$upscope":
                guard try sectionBody().isEmpty, scopeStack.popLast() != nil else { throw ParseError(description: "unbalanced $upscope") }
            case "$var":
                let body = try sectionBody()
                guard body.count == 4, let width = Int(body[1]), width >= 1 else { throw ParseError(description: "bad $var: \(body)") }
                guard !scopeStack.isEmpty else { throw ParseError(description: "$var \(body[3]) outside any scope") }
                guard !variables.contains(where: { $0.code == body[2] }) else { throw ParseError(description: "code \(body[2]) declared twice") }
                variables.append(Variable(type: body[0], width: width, code: body[2], path: (scopeStack + [body[3]]).joined(separator: ".")))
            case "$enddefinitions":
                guard try sectionBody().isEmpty, scopeStack.isEmpty else { throw ParseError(description: "$enddefinitions inside a scope") }
                sawEndDefinitions = true
            default:
                throw ParseError(description: "unexpected header token \(token)")
            }
        }
        guard sawEndDefinitions else { throw ParseError(description: "no $enddefinitions") }
        let widths = Dictionary(uniqueKeysWithValues: variables.map { ($0.code, $0.width) })

        // Body.
        var time: UInt64?
        var inDump = false
        func value(_ token: String) throws -> (code: String, value: String) {
            guard let first = token.first else { throw ParseError(description: "empty token") }
            if first == "b" || first == "B" {
                let bits = String(token.dropFirst())
                guard let code = tokens.popFirst(), !bits.isEmpty, bits.allSatisfy({ "01xXzZ".contains($0) }) else {
                    throw ParseError(description: "bad vector change \(token)")
                }
                guard let width = widths[code], bits.count <= width else { throw ParseError(description: "vector \(bits) for \(code) is wider than declared or undeclared") }
                return (code, bits)
            }
            guard "01xXzZ".contains(first) else { throw ParseError(description: "unexpected token \(token)") }
            let code = String(token.dropFirst())
            guard widths[code] == 1 else { throw ParseError(description: "scalar change of \(code), which is not a declared 1-bit variable") }
            return (code, String(first))
        }
        while let token = tokens.popFirst() {
            if token.hasPrefix("#") {
                guard let stamp = UInt64(token.dropFirst()), !inDump else { throw ParseError(description: "bad time stamp \(token)") }
                if dumpTime != nil { timestamps.append(stamp) }
                time = stamp
            } else if token == "$dumpvars" {
                guard let time, dumpTime == nil else { throw ParseError(description: "$dumpvars without a time, or twice") }
                dumpTime = time
                inDump = true
            } else if token == "$end" {
                guard inDump else { throw ParseError(description: "stray $end") }
                inDump = false
            } else {
                let (code, bits) = try value(token)
                if inDump {
                    initialCodes.append(code)
                    initialValues[code] = bits
                } else {
                    guard let time, dumpTime != nil else { throw ParseError(description: "a value change before $dumpvars") }
                    changes[code, default: []].append((time, bits))
                    changeLog.append((time, code))
                }
            }
        }
    }

    func section(_ keyword: String) -> String? { sections.first { $0.keyword == keyword }?.text }

    func variable(_ path: String) -> Variable? { variables.first { $0.path == path } }

    /// Bits of `path` after every change at or before `time`, left-extended to its width.
    func bits(of path: String, at time: UInt64) -> String? {
        guard let variable = variable(path), var bits = initialValues[variable.code] else { return nil }
        for change in changes[variable.code] ?? [] where change.time <= time { bits = change.value }
        let pad: Character = bits.first == "x" || bits.first == "z" ? bits.first ?? "0" : "0"
        return String(repeating: pad, count: variable.width - bits.count) + bits
    }

    /// The value of `path` at `time` as an unsigned integer.
    func unsigned(_ path: String, at time: UInt64) -> UInt64? {
        bits(of: path, at: time).flatMap { UInt64($0, radix: 2) }
    }

    /// The value of `path` at `time` read as two's complement of its width.
    func signed(_ path: String, at time: UInt64) -> Int64? {
        guard let variable = variable(path), let raw = unsigned(path, at: time) else { return nil }
        let sign = UInt64(1) << UInt64(variable.width - 1)
        return raw & sign == 0 ? Int64(raw) : Int64(raw) - Int64(sign << 1)
    }

    /// Times at which a 1-bit `path` goes from 0 to 1 (after `$dumpvars`).
    func risingEdges(of path: String) -> [UInt64] {
        edges(of: path).filter { $0.value == "1" }.map(\.time)
    }

    /// Times at which a 1-bit `path` goes from 1 to 0 (after `$dumpvars`).
    func fallingEdges(of path: String) -> [UInt64] {
        edges(of: path).filter { $0.value == "0" }.map(\.time)
    }

    /// Changes of `path` that actually change its value.
    func edges(of path: String) -> [(time: UInt64, value: String)] {
        guard let variable = variable(path), var current = initialValues[variable.code] else { return [] }
        var result: [(time: UInt64, value: String)] = []
        for change in changes[variable.code] ?? [] where change.value != current {
            result.append(change)
            current = change.value
        }
        return result
    }
}
