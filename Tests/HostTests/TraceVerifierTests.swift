import Foundation
import Testing
@testable import Host

private let header = "neuroemu-trace/1 network=golden chip=tiny seed=1 level=packets router=ideal placement=optimized"
private let end = "end steps=2 spikes=1 energy_fj=10 digest=0123456789abcdef"

@Suite struct TraceVerifierTests {
    @discardableResult
    private func withFile<T>(_ contents: Data, _ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-verify-\(UUID().uuidString).trace").path
        try contents.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    @Test func headerReadsTheFirstAndEndLines() throws {
        let steps = ["step 1 cycles=3 spikes=1 packets=0 synops=0 energy_fj=5", "step 2 cycles=3 spikes=0 packets=0 synops=0 energy_fj=5"]
        let text = ([header] + steps + [end]).joined(separator: "\n") + "\n"
        let loadedHeader = try withFile(Data(text.utf8)) { path in try TraceVerifier.header(path: path) }
        #expect(loadedHeader == TraceHeader(network: "golden", chip: "tiny", seed: 1, level: .packets, router: .ideal, placement: "optimized", steps: 2, digest: "0123456789abcdef"))
    }

    @Test func headerReadsARealTrace() throws {
        let (text, result) = try traceOfRun(GoldenNetwork.network(), on: GoldenNetwork.chip(), level: .spikes)
        let loadedHeader = try withFile(Data(text.utf8)) { path in try TraceVerifier.header(path: path) }
        #expect(loadedHeader == TraceHeader(network: "golden", chip: "tiny", seed: 1, level: .spikes, router: .ideal, placement: "optimized", steps: 5, digest: result.digest))
    }

    /// `--max-neurons-per-core` is recorded after the packing; a header without it has none.
    @Test func headerReadsANeuronCap() throws {
        let steps = "step 1 cycles=9 spikes=0 packets=0 synops=0 energy_fj=5\nstep 2 cycles=9 spikes=1 packets=0 synops=0 energy_fj=5\n"
        let capped = try withFile(Data((header + " packing=population max_neurons_per_core=12\n" + steps + end + "\n").utf8)) { path in try TraceVerifier.header(path: path) }
        #expect(capped.maxNeuronsPerCore == 12 && capped.packing == .onePopulationPerCore)
        let plain = try withFile(Data((header + "\n" + steps + end + "\n").utf8)) { path in try TraceVerifier.header(path: path) }
        #expect(plain.maxNeuronsPerCore == nil)
    }

    /// A NIR file's trace ends its header with the conversion, which `verify` re-runs with.
    @Test func headerReadsANIRConversion() throws {
        let steps = "step 1 cycles=9 spikes=0 packets=0 synops=0 energy_fj=5\nstep 2 cycles=9 spikes=1 packets=0 synops=0 energy_fj=5\n"
        let text = header + " dt_s=0.0001 inputs=poisson\n" + steps + end + "\n"
        let loaded = try withFile(Data(text.utf8)) { path in try TraceVerifier.header(path: path) }
        #expect(loaded.nir == NIRTraceFields(dtSeconds: 0.0001, inputsFromFile: false))
        let plain = try withFile(Data((header + "\n" + steps + end + "\n").utf8)) { path in try TraceVerifier.header(path: path) }
        #expect(plain.nir == nil)
    }

    @Test func missingFileIsUnreadable() {
        let path = "/nonexistent-\(UUID().uuidString)/t.trace"
        #expect(throws: TraceFileError.unreadable(file: path, reason: "no such file")) { try TraceVerifier.header(path: path) }
        #expect(TraceFileError.unreadable(file: "t", reason: "no such file").description == "t: cannot read: no such file")
    }

    @Test(arguments: [
        ("cut-off last line", Data((header + "\n" + end).utf8), 2, "the last line is cut off (truncated file?)"),
        ("not UTF-8", Data(header.utf8) + Data([0x6E, 0xFF, 0xFE, 0x0A]) + Data((end + "\n").utf8), 1, "the line is not UTF-8 text"),
        // What does not start as a trace is named so first, whatever else is wrong with it.
        ("neither a trace nor UTF-8", Data([0x6E, 0xFF, 0xFE, 0x0A]), 1, #"the first line must start with "neuroemu-trace/1""#),
        ("not UTF-8 on the third line", Data((header + "\nstep 1 cycles=1 spikes=0 packets=0 synops=0 energy_fj=0\n").utf8) + Data([0x6E, 0xC3, 0x0A]) + Data((end + "\n").utf8), 3, "the line is not UTF-8 text"),
        ("empty", Data(), 1, "the file is empty"),
        ("CR LF line ends", Data((header + "\r\n" + end + "\r\n").utf8), 1, "the line ends in CR LF; trace lines end in LF alone (converted by an editor or a checkout? `tr -d '\\r'` undoes it)"),
        ("CR LF from the second line", Data((header + "\n" + end + "\r\n").utf8), 2, "the line ends in CR LF; trace lines end in LF alone (converted by an editor or a checkout? `tr -d '\\r'` undoes it)"),
        ("a lone CR inside a line", Data((header + "\n" + "step 1 cycles=5\rx\n" + end + "\n").utf8), 2, "a carriage return (CR) inside the line; trace lines hold printable text and end in LF"),
        ("a line after the end line", Data((header + "\n" + end + "\nstep 2 cycles=1 spikes=0 packets=0 synops=0 energy_fj=0\n").utf8), 2, #"the "end" line is not the last: 1 lines follow it"#),
        ("wrong first line", Data(("neuroemu-trace/2 network=a chip=b seed=1 level=steps\n" + end + "\n").utf8), 1, #"the first line must start with "neuroemu-trace/1""#),
        ("header without seed", Data(("neuroemu-trace/1 network=a chip=b level=steps\n" + end + "\n").utf8), 1,
         "the header needs network=, chip=, seed= (an integer), level= (steps, spikes or packets), router= (ideal or flit) and placement= (optimized, rates or inorder)"),
        ("header with a bad level", Data(("neuroemu-trace/1 network=a chip=b seed=1 level=all\n" + end + "\n").utf8), 1,
         "the header needs network=, chip=, seed= (an integer), level= (steps, spikes or packets), router= (ideal or flit) and placement= (optimized, rates or inorder)"),
        ("no end line", Data((header + "\nstep 1 cycles=1 spikes=0 packets=0 synops=0 energy_fj=0\n").utf8), 2, #"no "end" line (truncated file?)"#),
        ("end line without digest", Data((header + "\nend steps=2 spikes=0 energy_fj=0\n").utf8), 2, "the end line needs steps= (a positive integer) and digest="),
        ("header with a seed twice", Data(("neuroemu-trace/1 network=a chip=b seed=1 seed=2 level=steps router=ideal placement=optimized\n" + end + "\n").utf8), 1,
         "the header: seed= is given twice"),
        ("header with an unknown field", Data((header + " extra=1\n" + end + "\n").utf8), 1,
         #"the header: unknown field "extra=1"; the fields are network=, chip=, seed=, level=, router=, placement=, packing=, max_neurons_per_core=, dt_s=, inputs="#),
        ("header with an unknown packing", Data((header + " packing=loose\n" + end + "\n").utf8), 1,
         #"the header's packing= must be packed or population, got "loose""#),
        ("header with a cap of no neurons", Data((header + " max_neurons_per_core=0\n" + end + "\n").utf8), 1,
         #"the header's max_neurons_per_core= must be a positive integer, got "0""#),
        ("NIR header with dt_s alone", Data((header + " dt_s=0.001\n" + end + "\n").utf8), 1,
         "a NIR file's header ends with dt_s= (a positive number of seconds) and inputs= (file or poisson), both or neither"),
        ("NIR header with a zero step", Data((header + " dt_s=0 inputs=file\n" + end + "\n").utf8), 1,
         "a NIR file's header ends with dt_s= (a positive number of seconds) and inputs= (file or poisson), both or neither"),
        ("NIR header with unknown inputs", Data((header + " dt_s=0.001 inputs=camera\n" + end + "\n").utf8), 1,
         "a NIR file's header ends with dt_s= (a positive number of seconds) and inputs= (file or poisson), both or neither"),
        ("end line with an unknown field", Data((header + "\n" + end + " note=x\n").utf8), 2,
         #"the end line: unknown field "note=x"; the fields are steps=, spikes=, energy_fj=, digest="#),
        ("digest not hexadecimal", Data((header + "\nstep 1 cycles=1 spikes=0 packets=0 synops=0 energy_fj=0\nend steps=1 spikes=0 energy_fj=0 digest=zzzz\n").utf8), 3,
         #"the end line's digest= must be 16 hexadecimal digits (0-9, a-f), got "zzzz""#),
        ("end line with zero steps", Data((header + "\nend steps=0 spikes=0 energy_fj=0 digest=00\n").utf8), 2, "the end line needs steps= (a positive integer) and digest="),
        ("end line with more steps than step lines", Data((header + "\nstep 1 cycles=1 spikes=0 packets=0 synops=0 energy_fj=0\nend steps=1000000000 spikes=0 energy_fj=0 digest=00\n").utf8), 3,
         "the end line says steps=1000000000, but the trace has 1 step lines"),
    ])
    func malformedTraces(label: String, contents: Data, line: Int, reason: String) throws {
        try withFile(contents) { path in
            #expect(throws: TraceFileError.malformed(file: path, line: line, reason: reason), "\(label)") { try TraceVerifier.header(path: path) }
        }
    }

    /// An endless device is read no further than its first chunk: it is not a trace, and copying
    /// all of it would fill the disk.
    @Test func anEndlessDeviceIsRefusedAtItsFirstLine() {
        #expect(throws: TraceFileError.malformed(file: "/dev/zero", line: 1, reason: #"the first line must start with "neuroemu-trace/1""#)) {
            try TraceVerifier.header(path: "/dev/zero")
        }
    }

    @Test func malformedDescriptionNamesFileAndLine() {
        #expect(TraceFileError.malformed(file: "g.trace", line: 3, reason: "r").description == "g.trace:3: not a complete neuroemu-trace/1 file: r")
    }

    @Test func compareFindsTheFirstDifferenceWithContext() {
        let stored = ["h", "a", "b", "c", "d", "e"]
        #expect(TraceVerifier.compare(expected: stored, actual: stored) == .match)
        var rerun = stored
        rerun[4] = "D"
        rerun[5] = "E"
        #expect(TraceVerifier.compare(expected: stored, actual: rerun) == .mismatch(line: 5, expected: "d", actual: "D", context: ["a", "b", "c"]))
        #expect(TraceVerifier.compare(expected: stored, actual: rerun, contextLines: 1) == .mismatch(line: 5, expected: "d", actual: "D", context: ["c"]))
        rerun = stored
        rerun[0] = "H"
        #expect(TraceVerifier.compare(expected: stored, actual: rerun) == .mismatch(line: 1, expected: "h", actual: "H", context: []))
    }

    @Test func compareReportsALengthDifferenceAtTheFirstMissingLine() {
        #expect(TraceVerifier.compare(expected: ["h", "a"], actual: ["h", "a", "extra"]) == .mismatch(line: 3, expected: "", actual: "extra", context: ["h", "a"]))
        #expect(TraceVerifier.compare(expected: ["h", "a", "b"], actual: ["h"]) == .mismatch(line: 2, expected: "a", actual: "", context: ["h"]))
        // An empty line past the end still counts as a difference.
        #expect(TraceVerifier.compare(expected: ["h"], actual: ["h", ""]) == .mismatch(line: 2, expected: "", actual: "", context: ["h"]))
        #expect(TraceVerifier.compare(expected: [], actual: []) == .match)
    }

    @Test func keyValuesTakesEachKnownKeyOnce() {
        let keys = ["a", "b"]
        #expect(TraceVerifier.keyValues("a=1 b=x=y", keys: keys).fields == ["a": "1", "b": "x=y"])
        #expect(TraceVerifier.keyValues("a=1 b=x=y", keys: keys).problem == nil)
        #expect(TraceVerifier.keyValues("a=1 word", keys: keys).problem == #""word" is not a key=value field"#)
        #expect(TraceVerifier.keyValues("a=1 c=2", keys: keys).problem == #"unknown field "c=2"; the fields are a=, b="#)
        #expect(TraceVerifier.keyValues("a=1 b=2 a=1", keys: keys).problem == "a= is given twice")
    }

    /// verify's note on a chip file named like a preset comes only when a step line's counts
    /// agree and its cycles or energy do not.
    @Test func aStepLineDiffersInChipCostsOnlyWhenItsCountsAgree() {
        let stored = "step 3 cycles=42 spikes=2 packets=2 synops=19 energy_fj=990000"
        #expect(TraceVerifier.differsInChipCostsOnly(stored, "step 3 cycles=40 spikes=2 packets=2 synops=19 energy_fj=980000"))
        #expect(TraceVerifier.differsInChipCostsOnly(stored, "step 3 cycles=42 spikes=2 packets=2 synops=19 energy_fj=980000"))
        #expect(!TraceVerifier.differsInChipCostsOnly(stored, "step 3 cycles=42 spikes=3 packets=2 synops=19 energy_fj=990000"))
        #expect(!TraceVerifier.differsInChipCostsOnly(stored, "step 3 cycles=40 spikes=2 packets=2 synops=20 energy_fj=980000"))
        #expect(!TraceVerifier.differsInChipCostsOnly(stored, stored))
        #expect(!TraceVerifier.differsInChipCostsOnly("spike 3 in 2", "spike 3 in 4"))
    }
}
