import Foundation
import Router

/// What a trace's header and `end` line say about the run that wrote it.
public struct TraceHeader: Sendable, Equatable {
    public var network: String
    public var chip: String
    public var seed: UInt64
    public var level: TraceLevel
    /// Network model the run used (`ideal` or `flit`).
    public var router: RouterFidelity
    /// Placement the run used: `optimized`, `rates` or `inorder` (see `Simulation.placementName`).
    public var placement: String
    /// Steps, from the `end` line.
    public var steps: Int
    /// Digest, from the `end` line.
    public var digest: String
}

/// A stored trace that cannot be used for verification.
public enum TraceFileError: Error, CustomStringConvertible, Equatable, Sendable {
    case unreadable(file: String, reason: String)
    case malformed(file: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read: \(reason)"
        case let .malformed(file, line, reason): "\(file):\(line): not a complete neuroemu-trace/1 file: \(reason)"
        }
    }
}

/// The outcome of comparing a re-run with a stored trace.
public enum TraceComparison: Sendable, Equatable {
    case match
    /// First differing line (1-based), the stored and re-run lines there ("" past the end), and a
    /// few stored lines before it for context.
    case mismatch(line: Int, expected: String, actual: String, context: [String])
}

/// Reads stored traces and compares them with a re-run, line by line.
public enum TraceVerifier {
    /// Reads a trace file into lines, checking its header and `end` line.
    public static func load(path: String) throws(TraceFileError) -> (header: TraceHeader, lines: [String]) {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.bytes(atPath: path)
        } catch {
            throw .unreadable(file: path, reason: error.reason)
        }
        guard !bytes.isEmpty else { throw .malformed(file: path, line: 1, reason: "the file is empty") }
        if let carriageReturn = bytes.firstIndex(of: 13) {
            let line = bytes[..<carriageReturn].reduce(1) { $1 == 10 ? $0 + 1 : $0 }
            let endsLine = carriageReturn + 1 < bytes.count && bytes[carriageReturn + 1] == 10
            throw .malformed(file: path, line: line, reason: endsLine
                ? "the line ends in CR LF; trace lines end in LF alone (converted by an editor or a checkout? `tr -d '\\r'` undoes it)"
                : "a carriage return (CR) inside the line; trace lines hold printable text and end in LF")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformed(file: path, line: 1, reason: "the file is not UTF-8 text")
        }
        guard text.hasSuffix("\n") else {
            throw .malformed(file: path, line: text.split(separator: "\n", omittingEmptySubsequences: false).count, reason: "the last line is cut off (truncated file?)")
        }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return (try header(of: lines, file: path), lines)
    }

    /// Parses the header line and the `end` line.
    public static func header(of lines: [String], file: String) throws(TraceFileError) -> TraceHeader {
        guard let first = lines.first, first.hasPrefix("neuroemu-trace/1 ") else {
            throw .malformed(file: file, line: 1, reason: "the first line must start with \"neuroemu-trace/1\"")
        }
        let fields = keyValues(first.dropFirst("neuroemu-trace/1 ".count))
        guard let network = fields["network"], let chip = fields["chip"],
              let seed = fields["seed"].flatMap({ UInt64($0) }),
              let level = fields["level"].flatMap({ TraceLevel(rawValue: $0) }),
              let router = fields["router"].flatMap({ RouterFidelity(rawValue: $0) }),
              let placement = fields["placement"], ["optimized", "rates", "inorder"].contains(placement) else {
            throw .malformed(file: file, line: 1, reason: "the header needs network=, chip=, seed= (an integer), level= (steps, spikes or packets), router= (ideal or flit) and placement= (optimized, rates or inorder)")
        }
        guard let last = lines.last, last.hasPrefix("end ") else {
            if let end = lines.firstIndex(where: { $0.hasPrefix("end ") }) {
                throw .malformed(file: file, line: end + 1, reason: "the \"end\" line is not the last: \(lines.count - end - 1) lines follow it")
            }
            throw .malformed(file: file, line: lines.count, reason: "no \"end\" line (truncated file?)")
        }
        let end = keyValues(last.dropFirst(4))
        guard let steps = end["steps"].flatMap({ Int($0) }), steps >= 1, let digest = end["digest"] else {
            throw .malformed(file: file, line: lines.count, reason: "the end line needs steps= (a positive integer) and digest=")
        }
        // Every level writes one step line per step: a step count that disagrees is a damaged or
        // edited file, and re-running it could take as long as the count says.
        let stepLines = lines.reduce(0) { $0 + ($1.hasPrefix("step ") ? 1 : 0) }
        guard stepLines == steps else {
            throw .malformed(file: file, line: lines.count, reason: "the end line says steps=\(steps), but the trace has \(stepLines) step lines")
        }
        return TraceHeader(network: network, chip: chip, seed: seed, level: level, router: router, placement: placement, steps: steps, digest: digest)
    }

    /// Compares stored lines with re-run lines.
    public static func compare(expected: [String], actual: [String], contextLines: Int = 3) -> TraceComparison {
        let count = max(expected.count, actual.count)
        for index in 0..<count {
            let stored = index < expected.count ? expected[index] : ""
            let rerun = index < actual.count ? actual[index] : ""
            if stored != rerun || (index >= expected.count) != (index >= actual.count) {
                let context = Array(expected[max(0, index - contextLines)..<min(index, expected.count)])
                return .mismatch(line: index + 1, expected: stored, actual: rerun, context: context)
            }
        }
        return .match
    }

    static func keyValues(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for field in text.split(separator: " ") {
            guard let equals = field.firstIndex(of: "=") else { continue }
            result[String(field[..<equals])] = String(field[field.index(after: equals)...])
        }
        return result
    }
}
