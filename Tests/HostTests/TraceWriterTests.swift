import Foundation
import Testing
@testable import Host

/// A fresh temporary directory, removed by the caller.
private func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-trace-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

@Suite struct TraceWriterTests {
    // MARK: FNV-1a

    @Test(arguments: [
        ("", "cbf29ce484222325"),
        ("a", "af63dc4c8601ec8c"),
        ("foobar", "85944171f73967e8"),
    ])
    func referenceHashMatchesPublishedVectors(text: String, digest: String) {
        // Published FNV-1a 64 test vectors (Fowler/Noll/Vo reference set), checking the
        // reference implementation the other tests use.
        #expect(referenceFNV1a(text.utf8) == digest)
    }

    @Test func emptyTraceHasTheOffsetBasisAsDigest() throws {
        let trace = try TraceWriter(level: .spikes, path: nil)
        #expect(trace.digest == "cbf29ce484222325")
    }

    @Test func digestCoversEveryLineAndItsNewline() throws {
        var trace = try TraceWriter(level: .spikes, path: nil)
        try trace.line("a")
        #expect(trace.digest == referenceFNV1a("a\n".utf8))
        try trace.line("foo")
        try trace.line("bar")
        #expect(trace.digest == referenceFNV1a("a\nfoo\nbar\n".utf8))
        // Lines are hashed as bytes: "ab" + "" differs from "a" + "b".
        var split = try TraceWriter(level: .spikes, path: nil)
        try split.line("ab")
        try split.line("")
        var other = try TraceWriter(level: .spikes, path: nil)
        try other.line("a")
        try other.line("b")
        #expect(split.digest != other.digest)
    }

    @Test func digestKeepsLeadingZeros() throws {
        // FNV-1a("step 768\n") = 00fc888a604c8b5e: a hash with leading zero nibbles must still
        // print as 16 digits.
        #expect(referenceFNV1a("step 768\n".utf8) == "00fc888a604c8b5e")
        var trace = try TraceWriter(level: .steps, path: nil)
        try trace.line("step 768")
        #expect(trace.digest == "00fc888a604c8b5e")
    }

    @Test func digestIsSixteenLowercaseHexDigits() throws {
        for n in 0..<50 {
            var trace = try TraceWriter(level: .steps, path: nil)
            try trace.line("x\(n)")
            #expect(trace.digest.count == 16)
            #expect(trace.digest.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(trace.digest == referenceFNV1a("x\(n)\n".utf8))
        }
    }

    @Test func finishReturnsTheDigestOfEverythingBeforeTheEndLine() throws {
        var trace = try TraceWriter(level: .steps, path: nil, keepsLines: true)
        try trace.line("neuroemu-trace/1 network=n chip=c seed=1 level=steps")
        try trace.line("step 1 cycles=3 spikes=0 packets=0 synops=0 energy_fj=7")
        let expected = referenceFNV1a("neuroemu-trace/1 network=n chip=c seed=1 level=steps\nstep 1 cycles=3 spikes=0 packets=0 synops=0 energy_fj=7\n".utf8)
        #expect(try trace.finish(steps: 1, spikes: 0, energyFemtojoules: 7) == expected)
        #expect(trace.lines == [
            "neuroemu-trace/1 network=n chip=c seed=1 level=steps",
            "step 1 cycles=3 spikes=0 packets=0 synops=0 energy_fj=7",
            "end steps=1 spikes=0 energy_fj=7 digest=\(expected)",
        ])
    }

    @Test func linesAreKeptOnlyWhenAsked() throws {
        var trace = try TraceWriter(level: .steps, path: nil)
        try trace.line("x")
        _ = try trace.finish(steps: 1, spikes: 0, energyFemtojoules: 0)
        #expect(trace.lines.isEmpty)
    }

    // MARK: Step lines

    @Test(arguments: [
        (1, UInt32(0), 0, UInt64(0), UInt64(0), Int64(0)),
        (30, UInt32(23_066), 191, UInt64(6_435), UInt64(18_893), Int64(828_443_300)),
        (9, UInt32(10), 99, UInt64(100), UInt64(999), Int64(-1_000)),
        (Int.max, UInt32.max, Int.min, UInt64.max, UInt64.max, Int64.min),
    ])
    func stepLineIsTheInterpolatedTextByteForByte(
        step: Int, cycles: UInt32, spikes: Int, packets: UInt64, synapticOps: UInt64, energy: Int64
    ) throws {
        let text = "step \(step) cycles=\(cycles) spikes=\(spikes) packets=\(packets) synops=\(synapticOps) energy_fj=\(energy)"
        var bytes = try TraceWriter(level: .steps, path: nil, keepsLines: true)
        try bytes.line("before")
        try bytes.stepLine(step: step, cycles: cycles, spikes: spikes, packets: packets, synapticOps: synapticOps, energyFemtojoules: energy)
        var interpolated = try TraceWriter(level: .steps, path: nil)
        try interpolated.line("before")
        try interpolated.line(text)
        #expect(bytes.digest == interpolated.digest)
        #expect(bytes.digest == referenceFNV1a("before\n\(text)\n".utf8))
        #expect(bytes.lines == ["before", text])
    }

    @Test(arguments: [
        (1, Int32(0), Int32(0), UInt32(0), UInt32(0), UInt16(0)),
        (69, Int32(41), Int32(66), UInt32(588), UInt32(756), UInt16(3)),
        (7, Int32(-1), Int32(127), UInt32(10), UInt32(9_999_999), UInt16(40)),
        (Int.max, Int32.min, Int32.max, UInt32.max, UInt32.max, UInt16.max),
    ])
    func packetLineIsTheInterpolatedTextByteForByte(
        step: Int, source: Int32, destination: Int32, inject: UInt32, arrive: UInt32, hops: UInt16
    ) throws {
        let text = "packet \(step) \(source) \(destination) inject=\(inject) arrive=\(arrive) hops=\(hops)"
        var bytes = try TraceWriter(level: .packets, path: nil, keepsLines: true)
        try bytes.packetLine(step: step, source: source, destination: destination, injectCycle: inject, arriveCycle: arrive, hops: hops)
        #expect(bytes.digest == referenceFNV1a("\(text)\n".utf8))
        #expect(bytes.lines == [text])
    }

    @Test func stepLinesReachTheFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("steps.trace").path
        var trace = try TraceWriter(level: .steps, path: path)
        try trace.stepLine(step: 7, cycles: 120, spikes: 3, packets: 4, synapticOps: 12, energyFemtojoules: 5_600)
        try trace.finish(steps: 7, spikes: 3, energyFemtojoules: 5_600)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "step 7 cycles=120 spikes=3 packets=4 synops=12 energy_fj=5600")
    }

    // MARK: Files

    @Test func fileAppearsOnlyAfterFinish() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("run.trace").path
        var trace = try TraceWriter(level: .spikes, path: path)
        try trace.line("neuroemu-trace/1 network=n chip=c seed=1 level=spikes")
        try trace.line("spike 1 in 0")
        #expect(!FileManager.default.fileExists(atPath: path))
        let digest = try trace.finish(steps: 1, spikes: 1, energyFemtojoules: 42)
        #expect(FileManager.default.fileExists(atPath: path))
        let body = "neuroemu-trace/1 network=n chip=c seed=1 level=spikes\nspike 1 in 0\n"
        #expect(try String(contentsOfFile: path, encoding: .utf8) == body + "end steps=1 spikes=1 energy_fj=42 digest=\(referenceFNV1a(body.utf8))\n")
        #expect(digest == referenceFNV1a(body.utf8))
        // Only the trace is left: the temporary sibling was renamed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["run.trace"])
    }

    @Test func finishReplacesAnEarlierFileAtomically() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("run.trace").path
        try "old contents\n".write(toFile: path, atomically: false, encoding: .utf8)
        var trace = try TraceWriter(level: .steps, path: path)
        try trace.line("new")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old contents\n")
        try trace.finish(steps: 1, spikes: 0, energyFemtojoules: 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("new\nend steps=1 "))
    }

    @Test func discardLeavesNothingBehind() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("run.trace").path
        var trace = try TraceWriter(level: .steps, path: path)
        try trace.line("partial")
        trace.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func largeTracesStreamThroughTheBufferIntact() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.trace").path
        var trace = try TraceWriter(level: .spikes, path: path)
        var expected = ""
        let line = String(repeating: "s", count: 99)
        for _ in 0..<15_000 {  // 1.5 MB: more than the 1 MiB buffer
            try trace.line(line)
            expected += line + "\n"
        }
        let digest = try trace.finish(steps: 1, spikes: 0, energyFemtojoules: 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == expected + "end steps=1 spikes=0 energy_fj=0 digest=\(digest)\n")
        #expect(digest == referenceFNV1a(expected.utf8))
    }

    /// A matcher sees every line of a trace longer than the writer's megabyte, through the flushes
    /// on the way and the one at `finish`: the same lines match, with every line counted, and a
    /// line changed past the first megabyte is named by its number, with the lines before it.
    @Test(arguments: [nil, 12_000] as [Int?])
    func aMatcherSeesEveryLineThroughTheFlushes(changedLine: Int?) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("stored.trace").path
        func write(_ trace: inout TraceWriter, changing changed: Int?) throws -> String {
            for k in 1...15_000 {  // 1.5 MB: more than the 1 MiB buffer
                try trace.line(k == changed ? "changed" : "line \(k) " + String(repeating: "s", count: 90))
            }
            return try trace.finish(steps: 1, spikes: 0, energyFemtojoules: 0)
        }
        var stored = try TraceWriter(level: .spikes, path: path)
        _ = try write(&stored, changing: nil)
        let matcher = try TraceMatcher(path: path)
        var rerun = try TraceWriter(level: .spikes, path: nil, matching: matcher)
        _ = try write(&rerun, changing: changedLine)
        if let changedLine {
            let before = (changedLine - 3)..<changedLine
            #expect(try matcher.finish() == .mismatch(
                line: changedLine, expected: "line \(changedLine) " + String(repeating: "s", count: 90), actual: "changed",
                context: before.map { "line \($0) " + String(repeating: "s", count: 90) }))
            #expect(matcher.linesCompared == changedLine)
        } else {
            #expect(try matcher.finish() == .match)
            #expect(matcher.linesCompared == 15_001)
        }
    }

    @Test func missingDirectoryIsAnOutputErrorNamingTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-missing-\(UUID().uuidString)/run.trace").path
        do {
            _ = try TraceWriter(level: .spikes, path: path)
            Issue.record("creating a trace in a missing directory must fail")
        } catch {
            switch error {
            case let .cannotWrite(file, reason):
                #expect(file == path)
                #expect(reason.contains("does the directory exist"))
            }
            #expect(error.description.hasPrefix("\(path): cannot write: "))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

@Suite struct TraceLinesTests {
    /// Spike lines formatted as bytes are the interpolated text, and a writer hashes a block of
    /// them as it hashes the same lines one by one, with or without keeping them.
    @Test func spikeLinesAreTheInterpolatedTextAndHashLikeSingleLines() throws {
        var lines = TraceLines()
        lines.spike(step: 3, name: Array("exc".utf8), index: 0)
        lines.spike(step: 3, name: Array("größe".utf8), index: 4_095, value: -7)
        lines.spike(step: Int.max, name: [], index: Int.max, value: Int32.min)
        let texts = ["spike 3 exc 0", "spike 3 größe 4095 -7", "spike \(Int.max)  \(Int.max) \(Int32.min)"]
        #expect(String(decoding: lines.bytes, as: UTF8.self) == texts.map { $0 + "\n" }.joined())

        var block = try TraceWriter(level: .spikes, path: nil)
        try block.append(lines)
        var kept = try TraceWriter(level: .spikes, path: nil, keepsLines: true)
        try kept.append(lines)
        var single = try TraceWriter(level: .spikes, path: nil)
        for text in texts { try single.line(text) }
        #expect(block.digest == single.digest)
        #expect(kept.digest == single.digest)
        #expect(kept.lines == texts)
        #expect(single.digest == referenceFNV1a(texts.map { $0 + "\n" }.joined().utf8))
    }
}
