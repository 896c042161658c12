#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Compares a re-run with a stored trace as the re-run writes it, reading the stored file as it
/// goes: memory stays the same however long the trace (`verify` of a 200-step
/// packet-level `random-4k` trace, 67 MB, held 372 MB when both traces were kept as lines).
///
/// `TraceWriter` hands it every line it writes, a megabyte of lines at a time and the rest when
/// it finishes (`TraceWriter(level:path:matching:)`); after the writer's `finish`, this
/// `finish()` gives the first difference, if any. A class: it reads its stored file as it
/// goes, and a copy sharing that position would compare the wrong lines.
public final class TraceMatcher {
    private enum StoredLines {
        case file(TraceLineReader)
        case memory([String], next: Int)
    }

    private var stored: StoredLines
    /// Stored lines shown before a difference.
    public let contextLines: Int
    /// Re-run lines compared so far (after `finish`, every line of a matching trace).
    public private(set) var linesCompared = 0
    /// The last `contextLines` stored lines, oldest at `contextNext` once the ring is full.
    private var context: [[UInt8]] = []
    private var contextNext = 0
    private var mismatch: TraceComparison?
    private var readFailure: TraceFileError?

    /// A matcher reading the stored trace at `path` from its first line, unchecked
    /// (`TraceVerifier.open(path:)` checks a trace and returns a matcher on the same descriptor).
    public convenience init(path: String, contextLines: Int = 3) throws(TraceFileError) {
        self.init(reader: try TraceLineReader(path: path), contextLines: contextLines)
    }

    init(reader: TraceLineReader, contextLines: Int = 3) {
        stored = .file(reader)
        self.contextLines = contextLines
    }

    /// A matcher against stored lines already in memory.
    init(expected: [String], contextLines: Int = 3) {
        stored = .memory(expected, next: 0)
        self.contextLines = contextLines
    }

    /// Calls `body` with the stored trace's next line (nil past its end), in place.
    private func withNextStoredLine<Result>(_ body: (UnsafeBufferPointer<UInt8>?) -> Result) throws(TraceFileError) -> Result {
        switch stored {
        case .file(let reader):
            return body(try reader.nextLine()?.bytes)
        case .memory(let lines, let next):
            guard next < lines.count else { return body(nil) }
            stored = .memory(lines, next: next + 1)
            var line = lines[next]
            return line.withUTF8 { body($0) }
        }
    }

    /// Compares the re-run's next line (without its LF) with the stored trace's next line. After
    /// the first difference, or a failure to read the stored file, it only waits for `finish`.
    public func match(_ line: UnsafeBufferPointer<UInt8>) {
        guard mismatch == nil, readFailure == nil else { return }
        linesCompared += 1
        do {
            try withNextStoredLine { expected in
                guard let expected else {
                    mismatch = difference(expected: "", actual: String(decoding: line, as: UTF8.self))
                    return
                }
                guard expected.count == line.count, line.isEmpty || memcmp(expected.baseAddress!, line.baseAddress!, line.count) == 0 else {
                    mismatch = difference(expected: String(decoding: expected, as: UTF8.self), actual: String(decoding: line, as: UTF8.self))
                    return
                }
                remember(expected)
            }
        } catch {
            readFailure = error
        }
    }

    /// Compares the re-run's next lines, `lines`, each ended by its LF, with the stored trace's.
    /// Stretches of whole lines are compared in bulk, one `memcmp` for as many lines as the
    /// stored file's buffer holds; from the first stretch that differs (or a line longer than
    /// what is buffered) the rest goes line by line, so a difference is reported as `match`
    /// reports it. Per line, `verify` of a packet-level trace spent more time comparing than
    /// the re-run took.
    public func match(lines: UnsafeBufferPointer<UInt8>) {
        guard mismatch == nil, readFailure == nil else { return }
        var rest = lines
        if case .file(let reader) = stored {
            // A read that fails here is left to the lines one by one, which report a
            // difference in the lines already buffered before the failure.
            while !rest.isEmpty, let buffered = try? reader.unreadBytes(wanting: rest.count) {
                guard let length = Self.wholeLines(of: rest, within: buffered.count),
                    memcmp(buffered.baseAddress!, rest.baseAddress!, length) == 0 else { break }
                reader.consume(length)
                let agreed = UnsafeBufferPointer(rebasing: rest[..<length])
                linesCompared += Self.lineEnds(in: agreed)
                rememberLastLines(of: agreed)
                rest = UnsafeBufferPointer(rebasing: rest[length...])
            }
        }
        var start = 0
        for index in rest.indices where rest[index] == 0x0A {
            match(UnsafeBufferPointer(rebasing: rest[start..<index]))
            start = index + 1
        }
        if start < rest.count { match(UnsafeBufferPointer(rebasing: rest[start...])) }
    }

    /// Bytes of the whole lines of `lines` within its first `limit` bytes (through the last LF
    /// there), or nil when that holds no whole line.
    private static func wholeLines(of lines: UnsafeBufferPointer<UInt8>, within limit: Int) -> Int? {
        var index = min(limit, lines.count)
        while index > 0 {
            if lines[index - 1] == 0x0A { return index }
            index -= 1
        }
        return nil
    }

    private static func lineEnds(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes { count &+= byte == 0x0A ? 1 : 0 }
        return count
    }

    /// Remembers the last `contextLines` lines of `lines` (whole lines, each ended by its LF),
    /// oldest first, as if each had been compared on its own.
    private func rememberLastLines(of lines: UnsafeBufferPointer<UInt8>) {
        var found: [Range<Int>] = []  // newest first
        var end = lines.count - 1  // the LF that ends the line
        while found.count < contextLines && end >= 0 {
            var start = end
            while start > 0 && lines[start - 1] != 0x0A { start -= 1 }
            found.append(start..<end)
            end = start - 1
        }
        for line in found.reversed() { remember(UnsafeBufferPointer(rebasing: lines[line])) }
    }

    /// The outcome once the re-run has written its last line: its first difference with the
    /// stored trace (a stored line left over is one), or a match.
    public func finish() throws(TraceFileError) -> TraceComparison {
        if let readFailure { throw readFailure }
        if let mismatch { return mismatch }
        let extra = try withNextStoredLine { $0.map { String(decoding: $0, as: UTF8.self) } }
        guard let extra else { return .match }
        linesCompared += 1
        let outcome = difference(expected: extra, actual: "")
        mismatch = outcome
        return outcome
    }

    private func remember(_ line: UnsafeBufferPointer<UInt8>) {
        guard contextLines > 0 else { return }
        if context.count < contextLines {
            context.append(Array(line))
        } else {
            context[contextNext].removeAll(keepingCapacity: true)
            context[contextNext].append(contentsOf: line)
            contextNext = contextNext + 1 == contextLines ? 0 : contextNext + 1
        }
    }

    private func difference(expected: String, actual: String) -> TraceComparison {
        let ordered = context[contextNext...] + context[..<contextNext]
        return .mismatch(line: linesCompared, expected: expected, actual: actual, context: ordered.map { String(decoding: $0, as: UTF8.self) })
    }
}
