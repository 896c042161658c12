import Foundation
import Chip
import Testing
@testable import Host

@Suite struct TraceMatcherTests {
    private func withStored<T>(_ lines: [String], _ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-match-\(UUID().uuidString).trace").path
        try (lines.map { $0 + "\n" }.joined()).write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// The stored file read through a two-byte buffer, so that every line crosses a boundary.
    private func compare(stored: [String], rerun: [String], contextLines: Int = 3) throws -> (TraceComparison, Int) {
        try withStored(stored) { path in
            let matcher = TraceMatcher(reader: try TraceLineReader(path: path, bufferBytes: 2), contextLines: contextLines)
            for line in rerun {
                var line = line
                line.withUTF8 { matcher.match($0) }
            }
            return (try matcher.finish(), matcher.linesCompared)
        }
    }

    @Test func aFileMatchesTheSameLinesAndCountsThem() throws {
        let stored = ["h", "a", "", "long line \(String(repeating: "z", count: 20))", "end"]
        #expect(try compare(stored: stored, rerun: stored) == (.match, 5))
    }

    @Test func theFirstDifferenceComesWithTheStoredLinesBeforeIt() throws {
        let stored = ["h", "a", "b", "c", "d", "e"]
        var rerun = stored
        rerun[4] = "D"
        rerun[5] = "E"
        #expect(try compare(stored: stored, rerun: rerun) == (.mismatch(line: 5, expected: "d", actual: "D", context: ["a", "b", "c"]), 5))
        #expect(try compare(stored: stored, rerun: rerun, contextLines: 1).0 == .mismatch(line: 5, expected: "d", actual: "D", context: ["c"]))
        #expect(try compare(stored: stored, rerun: rerun, contextLines: 0).0 == .mismatch(line: 5, expected: "d", actual: "D", context: []))
        // The same outcome from lines held in memory.
        #expect(TraceVerifier.compare(expected: stored, actual: rerun) == .mismatch(line: 5, expected: "d", actual: "D", context: ["a", "b", "c"]))
    }

    @Test func aStoredFileLongerOrShorterDiffersAtItsFirstUnmatchedLine() throws {
        #expect(try compare(stored: ["h", "a", "b"], rerun: ["h"]).0 == .mismatch(line: 2, expected: "a", actual: "", context: ["h"]))
        #expect(try compare(stored: ["h", "a"], rerun: ["h", "a", "extra"]).0 == .mismatch(line: 3, expected: "", actual: "extra", context: ["h", "a"]))
        #expect(try compare(stored: ["h"], rerun: ["h", ""]).0 == .mismatch(line: 2, expected: "", actual: "", context: ["h"]))
    }

    /// `TraceVerifier.open` checks the file and hands back a matcher at its first line.
    @Test func openChecksTheTraceAndMatchesFromItsFirstLine() throws {
        let (text, result) = try traceOfRun(GoldenNetwork.network(), on: GoldenNetwork.chip(), level: .spikes)
        let stored = text.split(separator: "\n").map(String.init)
        try withStored(stored) { path in
            let (header, matcher) = try TraceVerifier.open(path: path)
            #expect(header.digest == result.digest && header.level == .spikes)
            for line in stored {
                var line = line
                line.withUTF8 { matcher.match($0) }
            }
            #expect(try matcher.finish() == .match)
            #expect(matcher.linesCompared == stored.count)
        }
    }

    /// The re-run's lines handed over in blocks (`match(lines:)`, as `TraceWriter` does) give
    /// what the lines one by one give — the outcome, the line, the context and the count —
    /// whatever the stored file's buffer, the blocks' sizes and where the difference lies: a
    /// changed line, a line more or less, a missing LF (`aLastStoredLineWithoutItsLFMatchesInBlocks`
    /// has a stored file without its last LF).
    @Test(arguments: [2, 7, 64, 1 << 20])
    func linesInBlocksMatchAsLinesOneByOne(bufferBytes: Int) throws {
        var generator = SeededGenerator(seed: UInt64(bufferBytes), stream: 5)
        for trial in 0..<60 {
            let stored = (0..<Int.random(in: 1...30, using: &generator)).map { k in
                k % 7 == 3 ? "" : String(repeating: "abcdefgh", count: Int.random(in: 0...5, using: &generator)) + "\(k)"
            }
            var rerun = stored
            switch trial % 5 {
            case 0: break
            case 1: rerun[Int.random(in: 0..<rerun.count, using: &generator)] += "x"
            case 2: rerun.remove(at: Int.random(in: 0..<rerun.count, using: &generator))
            case 3: rerun.insert("extra", at: Int.random(in: 0...rerun.count, using: &generator))
            default:  // two lines joined: an LF missing
                let k = Int.random(in: 0..<rerun.count, using: &generator)
                if k + 1 < rerun.count { rerun[k] += rerun.remove(at: k + 1) } else { rerun[k] += "z" }
            }
            let contextLines = trial % 4
            let oneByOne = try compare(stored: stored, rerun: rerun, contextLines: contextLines)
            let blockLines = Int.random(in: 1...8, using: &generator)
            let inBlocks = try withStored(stored) { path in
                let matcher = TraceMatcher(reader: try TraceLineReader(path: path, bufferBytes: bufferBytes), contextLines: contextLines)
                for first in stride(from: 0, to: rerun.count, by: blockLines) {
                    let block = Array(rerun[first..<min(first + blockLines, rerun.count)].map { $0 + "\n" }.joined().utf8)
                    block.withUnsafeBufferPointer { matcher.match(lines: $0) }
                }
                return (try matcher.finish(), matcher.linesCompared)
            }
            #expect(inBlocks == oneByOne, "trial \(trial), blocks of \(blockLines) lines")
        }
    }

    /// A stored file whose last line lacks its LF matches in blocks too (that line is compared
    /// on its own).
    @Test func aLastStoredLineWithoutItsLFMatchesInBlocks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-match-\(UUID().uuidString).trace").path
        try "h\na\nend".write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let matcher = TraceMatcher(reader: try TraceLineReader(path: path, bufferBytes: 64))
        Array("h\na\nend\n".utf8).withUnsafeBufferPointer { matcher.match(lines: $0) }
        #expect(try matcher.finish() == .match)
        #expect(matcher.linesCompared == 3)
    }

    /// `verify`'s path: a trace written to a file, then the same run written through a matcher.
    @Test func aWriterMatchingItsOwnStoredTraceMatches() throws {
        let steps = try GoldenNetwork.network().steps
        let (text, result) = try traceOfRun(GoldenNetwork.network(), on: GoldenNetwork.chip(), level: .packets)
        let stored = text.split(separator: "\n").map(String.init)
        try withStored(stored) { path in
            var simulation = try Simulation(network: GoldenNetwork.network(), chip: GoldenNetwork.chip(), placement: .optimized)
            var trace = try TraceWriter(level: .packets, path: nil, matching: try TraceMatcher(path: path))
            let rerun = try simulation.run(steps: steps, threads: 1, trace: &trace)
            let matcher = try #require(trace.matcher)
            #expect(try matcher.finish() == .match)
            #expect(matcher.linesCompared == stored.count)
            #expect(rerun.digest == result.digest)
        }
        // One step fewer in the re-run: its end line stands where the stored last step begins.
        try withStored(stored) { path in
            var simulation = try Simulation(network: GoldenNetwork.network(), chip: GoldenNetwork.chip(), placement: .optimized)
            var trace = try TraceWriter(level: .packets, path: nil, matching: try TraceMatcher(path: path))
            _ = try simulation.run(steps: steps - 1, threads: 1, trace: &trace)
            let matcher = try #require(trace.matcher)
            guard case .mismatch(let line, let expected, let actual, _) = try matcher.finish() else {
                Issue.record("a shorter run matched")
                return
            }
            #expect(expected == stored[line - 1])
            #expect(!expected.hasPrefix("end "))
            #expect(actual.hasPrefix("end steps=\(steps - 1) "))
        }
    }
}
