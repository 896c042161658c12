import Synchronization
import Testing
@testable import neuroemu

/// The progress line on a clock the test moves: nothing for the first two seconds, then a step
/// line at most every quarter second, the setup phase before the first step, and a clearing
/// sequence when the run ends.
@Suite struct ProgressReporterTests {
    /// The reporter's clock (nanoseconds) and what it wrote.
    final class Terminal: Sendable {
        let now = Mutex<UInt64>(1_000)
        let written = Mutex<[String]>([])

        func reporter(label: String, enabled: Bool = true) -> ProgressReporter {
            ProgressReporter(
                label: label, enabled: enabled, output: { text in self.written.withLock { $0.append(text) } },
                clock: { self.now.withLock { $0 } })
        }

        func advance(milliseconds: UInt64) { now.withLock { $0 += milliseconds * 1_000_000 } }
        var lines: [String] { written.withLock { $0 } }
    }

    static let clear = "\u{1B}[K"

    @Test func stepsAreDrawnAfterTwoSecondsAtMostEveryQuarterSecond() {
        let terminal = Terminal()
        let progress = terminal.reporter(label: "net.json")
        progress.update(step: 1, of: 40)
        terminal.advance(milliseconds: 1_900)
        progress.update(step: 2, of: 40)
        #expect(terminal.lines.isEmpty)  // a short run leaves stderr alone
        terminal.advance(milliseconds: 200)
        progress.update(step: 10, of: 40)
        terminal.advance(milliseconds: 100)
        progress.update(step: 11, of: 40)  // within a quarter second of the last line: skipped
        terminal.advance(milliseconds: 200)
        progress.update(step: 13, of: 40)
        progress.finish()
        #expect(terminal.lines == ["\rnet.json: step 10/40 (25 %)\(Self.clear)", "\rnet.json: step 13/40 (32 %)\(Self.clear)", "\r\(Self.clear)"])
    }

    @Test func thePhaseUnderWayIsDrawnUntilTheFirstStep() {
        let terminal = Terminal()
        let progress = terminal.reporter(label: "map net.json")
        progress.phase("reading the network")
        #expect(terminal.lines.isEmpty)
        terminal.advance(milliseconds: 2_500)
        progress.phase("partitioning")
        progress.update(step: 1, of: 4)
        let phases = terminal.lines.filter { $0.contains("partitioning") }
        #expect(terminal.lines.first == "\rmap net.json: partitioning…\(Self.clear)")
        #expect(!phases.isEmpty && phases.allSatisfy { $0 == "\rmap net.json: partitioning…\(Self.clear)" })
        #expect(terminal.lines.last == "\rmap net.json: step 1/4 (25 %)\(Self.clear)")
    }

    @Test func nothingIsDrawnWhenStderrIsNoTerminal() {
        let terminal = Terminal()
        let progress = terminal.reporter(label: "net.json", enabled: false)
        terminal.advance(milliseconds: 5_000)
        progress.phase("partitioning")
        progress.update(step: 3, of: 4)
        progress.finish()
        #expect(terminal.lines.isEmpty)
    }

    /// A line break or tab in the label (a file name) would break the one line: shown escaped.
    @Test func theLabelStaysOneLine() {
        let terminal = Terminal()
        let progress = terminal.reporter(label: "a\nb\tc")
        terminal.advance(milliseconds: 3_000)
        progress.update(step: 1, of: 1)
        #expect(terminal.lines == ["\ra\\nb\\tc: step 1/1 (100 %)\(Self.clear)"])
        // Finishing clears the drawn line once; the reporter then stays quiet.
        progress.finish()
        progress.finish()
        #expect(terminal.lines.last == "\r\(Self.clear)" && terminal.lines.count == 2)
    }
}
