import Foundation
import Testing
@testable import Chip
@testable import Host

/// The golden suite: every `Golden/NAME.network.json` has a stored trace `Golden/NAME.trace`
/// whose header names the chip, seed and level and whose end line names the steps. Each case is
/// re-run and must match byte for byte. To re-record on purpose after a deliberate change, run
/// `NEUROEMU_UPDATE_GOLDEN=1 swift test --filter GoldenTraceTests` (or `neuroemu record`) and
/// explain the change in the commit.
struct GoldenTraceTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    static let cases: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".network.json") }.map { String($0.dropLast(".network.json".count)) }.sorted()
    }()
    static var updating: Bool { ProcessInfo.processInfo.environment["NEUROEMU_UPDATE_GOLDEN"] == "1" }

    static func paths(_ name: String) -> (network: String, trace: String) {
        ("\(directory)/\(name).network.json", "\(directory)/\(name).trace")
    }

    /// A chip that is not a preset lives beside the cases as `CHIP.chip.json` (the board case).
    static func chipFile(_ name: String) -> String? {
        let path = "\(directory)/\(name).chip.json"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Runs a case as its stored trace describes it; returns the stored and re-run lines.
    static func replay(_ name: String, threads: Int = 1, skipsQuietNeurons: Bool = true, mutateNetwork: (inout NetworkDescription) -> Void = { _ in }, mutateChip: (inout ChipDescription) -> Void = { _ in }) throws -> (stored: [String], rerun: [String]) {
        let (networkPath, tracePath) = paths(name)
        let header = try TraceVerifier.header(path: tracePath)
        let stored = try storedLines(tracePath)
        var network = try NetworkFile.load(path: networkPath, seed: header.seed)
        mutateNetwork(&network)
        var chip = try ChipPresets.resolve(chipFile(header.chip) ?? header.chip)
        chip.routerFidelity = header.router
        mutateChip(&chip)
        var simulation = try Simulation(network: network, chip: chip, placement: header.placement == "inorder" ? .inOrder : .optimized)
        simulation.setQuietNeuronSkipping(skipsQuietNeurons)
        var trace = try TraceWriter(level: header.level, path: nil, keepsLines: true)
        _ = try simulation.run(steps: header.steps, threads: threads, trace: &trace)
        return (stored, trace.lines)
    }

    @Test func suiteCoversTheRequiredCases() {
        #expect(Self.cases.count >= 12)
        for required in ["default", "delays", "two-chips", "multicore-flit", "stdp", "multicore-packets", "refractory", "subtractive-reset", "adaptive-threshold", "dynamic-threshold", "ternary", "graded", "loihi-lif", "conv2d", "mechanisms"] {
            #expect(Self.cases.contains(required), "missing golden case \(required)")
        }
    }

    @Test(arguments: cases)
    func goldenTraceMatches(name: String) throws {
        let (stored, rerun) = try Self.replay(name)
        if Self.updating {
            try AtomicFile.write(rerun.joined(separator: "\n") + "\n", to: Self.paths(name).trace)
            return
        }
        #expect(TraceVerifier.compare(expected: stored, actual: rerun) == .match)
    }

    @Test(arguments: cases)
    func twoThreadsAndRepeatedRunsGiveTheSameTrace(name: String) throws {
        let first = try Self.replay(name, threads: 2)
        let second = try Self.replay(name, threads: 2)
        #expect(first.rerun == second.rerun)
        if !Self.updating { #expect(first.rerun == first.stored) }
    }

    /// Skipping the kernel of cores at rest is an optimization only: without it every trace is
    /// the same (and some cases do skip: see `CoreTests.quietCoreSkipsItsKernelBitExactly`).
    @Test(arguments: cases)
    func quietNeuronSkippingOffGivesTheSameTrace(name: String) throws {
        let (stored, rerun) = try Self.replay(name, skipsQuietNeurons: false)
        if !Self.updating { #expect(rerun == stored) }
    }

    /// A separate process (the built `neuroemu verify`) reproduces every golden digest.
    @Test func separateProcessVerifiesEveryCase() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("neuroemu").path
        try #require(FileManager.default.isExecutableFile(atPath: executable), "neuroemu is built beside the test bundle")
        for name in Self.cases where !Self.updating {
            let (network, trace) = Self.paths(name)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            let header = try TraceVerifier.header(path: trace)
            process.arguments = ["verify", network, trace, "--threads", "2"] + (Self.chipFile(header.chip).map { ["--chip", $0] } ?? [])
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(name): \(text)")
            #expect(text.hasPrefix("verify: match"), "\(name): \(text)")
        }
    }

    // MARK: Mutations: a change to one input makes the comparison fail at the predicted line.

    /// Line number (1-based) of the first stored line satisfying `predicate`.
    static func lineNumber(_ lines: [String], _ predicate: (String) -> Bool) -> Int? {
        lines.firstIndex(where: predicate).map { $0 + 1 }
    }

    static func mismatchLine(_ stored: [String], _ rerun: [String]) -> Int? {
        if case .mismatch(let line, _, _, _) = TraceVerifier.compare(expected: stored, actual: rerun) { return line }
        return nil
    }

    @Test func energyPriceChangeFailsAtTheFirstStepLine() throws {
        let (stored, rerun) = try Self.replay("loihi-lif", mutateChip: { $0.costs[.synapticOp].energyFemtojoules += 1 })
        let expected = try #require(Self.lineNumber(stored) { $0.hasPrefix("step ") && !$0.contains("synops=0 ") })
        #expect(Self.mismatchLine(stored, rerun) == expected)
    }

    @Test func barrierLatencyChangeFailsAtTheFirstStepLine() throws {
        let (stored, rerun) = try Self.replay("delays", mutateChip: { $0.barrier.oneTileCycles += 1 })
        let expected = try #require(Self.lineNumber(stored) { $0.hasPrefix("step ") })
        #expect(Self.mismatchLine(stored, rerun) == expected)
    }

    @Test func hopLatencyChangeFailsAtTheFirstPacketThatHops() throws {
        let (stored, rerun) = try Self.replay("multicore-packets", mutateChip: { $0.costs[.eastWestFlitHop].cycles += 1 })
        let expected = try #require(Self.lineNumber(stored) { $0.hasPrefix("packet ") && !$0.hasSuffix("hops=0") })
        #expect(Self.mismatchLine(stored, rerun) == expected)
    }

    @Test func initialCurrentChangeFailsAtTheNeuronsFirstStateLine() throws {
        let (stored, rerun) = try Self.replay("loihi-lif", mutateNetwork: { $0.populations[0].initialU[1] += 10 })  // +1 would vanish in the decay (101·2048/4096 = 50 = 100·2048/4096)
        let expected = try #require(Self.lineNumber(stored) { $0.hasPrefix("state 1 n 1 ") })
        #expect(Self.mismatchLine(stored, rerun) == expected)
    }

    @Test func currentDecayChangeFailsWhereTheCurrentFirstDecays() throws {
        // Neuron 2 has du = 4095; with du = 4094 its current keeps 1/4096 of itself, visible
        // from the first state line after its current becomes non-zero.
        let (stored, rerun) = try Self.replay("loihi-lif", mutateNetwork: { $0.populations[0].neurons[2].du = 4094 })
        let firstNonZero = try #require(stored.firstIndex { $0.hasPrefix("state ") && $0.contains(" n 2 ") && !$0.contains(" u=0 ") })
        let next = try #require(stored[(firstNonZero + 1)...].firstIndex { $0.hasPrefix("state ") && $0.contains(" n 2 ") })
        #expect(Self.mismatchLine(stored, rerun) == next + 1)
    }

    @Test func delayChangeFailsAtTheFirstDelayedSpike() throws {
        let (stored, rerun) = try Self.replay("delays", mutateNetwork: { $0.projections[0].synapses[5].delay = 7 })
        let expected = try #require(Self.lineNumber(stored) { $0 == "spike 7 n 5" })
        #expect(Self.mismatchLine(stored, rerun) == expected)
    }
}
