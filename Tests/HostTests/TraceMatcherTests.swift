import Foundation
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
