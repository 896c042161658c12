import Foundation
import Router

/// What a trace's header and `end` line say about the run that wrote it.
public struct TraceHeader: Sendable, Equatable {
    /// Name of the network that ran.
    public var network: String
    /// Name of the chip it ran on.
    public var chip: String
    /// Seed of the run.
    public var seed: UInt64
    /// Detail of the trace: steps, spikes or packets.
    public var level: TraceLevel
    /// Network model the run used (`ideal` or `flit`).
    public var router: RouterFidelity
    /// Placement the run used: `optimized`, `rates` or `inorder` (see `Simulation.placementName`).
    public var placement: String
    /// Steps, from the `end` line.
    public var steps: Int
    /// Digest, from the `end` line.
    public var digest: String
    /// Whether populations shared cores: `.packed` (the default, and what a header without the
    /// key means) or `.onePopulationPerCore` (`packing=population`, `--packing population`).
    public var packing: Partitioner.Packing = .packed
    /// `--max-neurons-per-core` of the recording (`max_neurons_per_core=`), nil without it.
    public var maxNeuronsPerCore: Int? = nil
    /// A NIR file's conversion (`dt_s=`, `inputs=`); nil for a network file's trace and for a
    /// NIR file's written before the header held it.
    public var nir: NIRTraceFields? = nil
}

/// A stored trace that cannot be used for verification.
public enum TraceFileError: Error, CustomStringConvertible, Equatable, Sendable {
    case unreadable(file: String, reason: String)
    case malformed(file: String, line: Int, reason: String)

    /// A one-line message naming the file and, for a malformed one, the line.
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
    /// Reads a stored trace's header and `end` line, checking the whole file on the way (LF line
    /// ends, UTF-8, an `end` line last, one step line per step) in one pass of constant memory.
    public static func header(path: String) throws(TraceFileError) -> TraceHeader {
        try header(of: TraceLineReader(path: path, requiredPrefix: headerPrefix))
    }

    /// Checks a stored trace (`header(path:)`) and returns its header with a matcher that
    /// compares a re-run with it, both reading the file through one descriptor: a pipe is
    /// read once, and a file replaced on disk after the check is not the one compared.
    public static func open(path: String) throws(TraceFileError) -> (header: TraceHeader, matcher: TraceMatcher) {
        let reader = try TraceLineReader(path: path, requiredPrefix: headerPrefix)
        let header = try header(of: reader)
        try reader.rewind()
        return (header, TraceMatcher(reader: reader))
    }

    private static func header(of reader: TraceLineReader) throws(TraceFileError) -> TraceHeader {
        let path = reader.path
        var lineCount = 0
        var first: String?
        // The last line only matters if it is an end line: copied then, since the reader's
        // bytes last only until its next line.
        var lastEndLine: [UInt8]?
        var lastTerminated = true
        var firstEndLine: Int?
        var stepLines = 0
        var firstCarriageReturn: (line: Int, endsLine: Bool)?
        var firstNonUTF8Line: Int?
        while let (bytes, terminated) = try reader.nextLine() {
            lineCount += 1
            // Trace lines are printable ASCII: one scan finds the rare line that needs a closer look.
            if bytes.contains(where: { $0 == 13 || $0 >= 0x80 }) {
                if firstCarriageReturn == nil, let index = bytes.firstIndex(of: 13) {
                    firstCarriageReturn = (lineCount, terminated && index == bytes.count - 1)
                }
                // A UTF-8 sequence never holds an LF, so checking line by line checks the file.
                if firstNonUTF8Line == nil, String(validating: bytes, as: UTF8.self) == nil { firstNonUTF8Line = lineCount }
            }
            if lineCount == 1 { first = String(decoding: bytes, as: UTF8.self) }
            if bytes.starts(with: stepPrefix) { stepLines += 1 }
            let isEndLine = bytes.starts(with: endPrefix)
            if firstEndLine == nil, isEndLine { firstEndLine = lineCount }
            lastEndLine = isEndLine ? Array(bytes) : nil
            lastTerminated = terminated
        }
        // The checks in the order a reader of the file would want them named.
        guard lineCount > 0 else { throw .malformed(file: path, line: 1, reason: "the file is empty") }
        // Not a trace at all comes first (a pipe that is not one was read only this far).
        guard let first, first.utf8.starts(with: headerPrefix) else {
            throw .malformed(file: path, line: 1, reason: "the first line must start with \"neuroemu-trace/1\"")
        }
        if let (line, endsLine) = firstCarriageReturn {
            throw .malformed(file: path, line: line, reason: endsLine
                ? "the line ends in CR LF; trace lines end in LF alone (converted by an editor or a checkout? `tr -d '\\r'` undoes it)"
                : "a carriage return (CR) inside the line; trace lines hold printable text and end in LF")
        }
        if let line = firstNonUTF8Line { throw .malformed(file: path, line: line, reason: "the line is not UTF-8 text") }
        guard lastTerminated else { throw .malformed(file: path, line: lineCount, reason: "the last line is cut off (truncated file?)") }
        let (fields, headerProblem) = keyValues(first.dropFirst(headerPrefix.count), keys: headerKeys)
        if let headerProblem { throw .malformed(file: path, line: 1, reason: "the header: \(headerProblem)") }
        guard let network = fields["network"], let chip = fields["chip"],
              let seed = fields["seed"].flatMap({ UInt64($0) }),
              let level = fields["level"].flatMap({ TraceLevel(rawValue: $0) }),
              let router = fields["router"].flatMap({ RouterFidelity(rawValue: $0) }),
              let placement = fields["placement"], ["optimized", "rates", "inorder"].contains(placement) else {
            throw .malformed(file: path, line: 1, reason: "the header needs network=, chip=, seed= (an integer), level= (steps, spikes or packets), router= (ideal or flit) and placement= (optimized, rates or inorder)")
        }
        let packingName = fields["packing"] ?? Partitioner.Packing.packed.name
        guard let packing = Partitioner.Packing(name: packingName) else {
            throw .malformed(file: path, line: 1, reason: "the header's packing= must be packed or population, got \"\(packingName)\"")
        }
        var maxNeuronsPerCore: Int?
        if let text = fields["max_neurons_per_core"] {
            guard let cap = Int(text), cap >= 1 else {
                throw .malformed(file: path, line: 1, reason: "the header's max_neurons_per_core= must be a positive integer, got \"\(text)\"")
            }
            maxNeuronsPerCore = cap
        }
        let (nir, nirProblem) = NIRTraceFields.read(fields)
        if let nirProblem { throw .malformed(file: path, line: 1, reason: nirProblem) }
        guard let lastEndLine else {
            if let end = firstEndLine {
                throw .malformed(file: path, line: end, reason: "the \"end\" line is not the last: \(lineCount - end) lines follow it")
            }
            throw .malformed(file: path, line: lineCount, reason: "no \"end\" line (truncated file?)")
        }
        let (end, endProblem) = keyValues(String(decoding: lastEndLine, as: UTF8.self).dropFirst(endPrefix.count), keys: endKeys)
        if let endProblem { throw .malformed(file: path, line: lineCount, reason: "the end line: \(endProblem)") }
        guard let steps = end["steps"].flatMap({ Int($0) }), steps >= 1, let digest = end["digest"] else {
            throw .malformed(file: path, line: lineCount, reason: "the end line needs steps= (a positive integer) and digest=")
        }
        // Every level writes one step line per step: a step count that disagrees is a damaged or
        // edited file, and re-running it could take as long as the count says.
        guard stepLines == steps else {
            throw .malformed(file: path, line: lineCount, reason: "the end line says steps=\(steps), but the trace has \(stepLines) step lines")
        }
        guard digest.utf8.count == 16, digest.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw .malformed(file: path, line: lineCount, reason: "the end line's digest= must be 16 hexadecimal digits (0-9, a-f), got \"\(digest)\"")
        }
        return TraceHeader(network: network, chip: chip, seed: seed, level: level, router: router, placement: placement, steps: steps, digest: digest,
                           packing: packing, maxNeuronsPerCore: maxNeuronsPerCore, nir: nir)
    }

    /// Whether two `step` lines differ only in what the chip's prices and timing decide
    /// (`cycles=`, `energy_fj=`), their spike, packet and synaptic-op counts equal: the mark of
    /// a re-run on another chip of the same name.
    public static func differsInChipCostsOnly(_ stored: String, _ rerun: String) -> Bool {
        func counts(_ line: String) -> [Substring] {
            line.split(separator: " ").filter { !$0.hasPrefix("cycles=") && !$0.hasPrefix("energy_fj=") }
        }
        return stored.hasPrefix("step ") && rerun.hasPrefix("step ") && stored != rerun && counts(stored) == counts(rerun)
    }

    private static let headerKeys = ["network", "chip", "seed", "level", "router", "placement", "packing", "max_neurons_per_core"] + NIRTraceFields.keys
    private static let endKeys = ["steps", "spikes", "energy_fj", "digest"]

    private static let headerPrefix = Array("neuroemu-trace/1 ".utf8)
    private static let stepPrefix = Array("step ".utf8)
    private static let endPrefix = Array("end ".utf8)

    /// Compares stored lines with re-run lines held in memory (`TraceMatcher` compares a re-run
    /// with a stored file as it is written).
    public static func compare(expected: [String], actual: [String], contextLines: Int = 3) -> TraceComparison {
        let matcher = TraceMatcher(expected: expected, contextLines: contextLines)
        for line in actual {
            var line = line
            line.withUTF8 { matcher.match($0) }
        }
        do {
            return try matcher.finish()
        } catch {
            preconditionFailure("lines held in memory are read without failing")
        }
    }

    /// The `key=value` fields of a header or end line, each key one of `keys` and given once;
    /// `problem` names the first field that is not.
    static func keyValues(_ text: Substring, keys: [String]) -> (fields: [String: String], problem: String?) {
        var result: [String: String] = [:]
        for field in text.split(separator: " ") {
            // A field the writer never writes, or one written twice, is an edited file: re-running
            // with one of two seeds would report a difference that is not the run's.
            guard let equals = field.firstIndex(of: "=") else { return (result, "\"\(field)\" is not a key=value field") }
            let key = String(field[..<equals])
            guard keys.contains(key) else { return (result, "unknown field \"\(field)\"; the fields are \(keys.map { $0 + "=" }.joined(separator: ", "))") }
            guard result.updateValue(String(field[field.index(after: equals)...]), forKey: key) == nil else { return (result, "\(key)= is given twice") }
        }
        return (result, nil)
    }
}
