import Foundation

/// Shows progress on stderr for runs longer than a couple of seconds, only when stderr is a
/// terminal, so logs and pipes stay clean: the part of the setup under way (`phase`), then
/// `step t/N` (`update`). Callable from any thread (a pipelined run reports steps from a helper,
/// a timer draws the setup phases): every mutable property is read and written under `lock`.
final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    /// Where the line goes (stderr) and the clock it keeps (nanoseconds): fixed for a run, given
    /// by tests.
    private let output: @Sendable (String) -> Void
    private let clock: @Sendable () -> UInt64
    private let start: UInt64
    private let lock = NSLock()
    private var lastDraw: UInt64 = 0
    private var drawn = false
    private var phaseName: String?
    private var timer: DispatchSourceTimer?

    /// - Parameters:
    ///   - label: what the line starts with (escape file names first); a line break or tab in it
    ///     is shown escaped, so that the line stays one line.
    ///   - enabled: whether to draw at all (by default: when stderr is a terminal).
    ///   - output: where the line goes instead of stderr; such a reporter is not the one an
    ///     error message clears (`clearLine`).
    init(
        label: String, enabled: Bool = isatty(STDERR_FILENO) == 1, output: (@Sendable (String) -> Void)? = nil,
        clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) {
        self.label = label.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        self.enabled = enabled
        self.output = output ?? { StandardError.write($0) }
        self.clock = clock
        start = clock()
        if enabled && output == nil { Self.registry.withLock { Self.current = self } }
    }

    deinit { timer?.cancel() }

    /// The reporter that may have a line drawn, so that an error message clears it first.
    private static let registry = NSLock()
    nonisolated(unsafe) private static weak var current: ProgressReporter?

    /// Clears the progress line, if one is drawn, before other text goes to stderr; the
    /// reporter stops drawing.
    static func clearLine() {
        let reporter = registry.withLock { current }
        reporter?.finish()
    }

    /// Names the part of the setup now under way ("reading the network", "partitioning", …).
    /// A phase calls nothing while it works, so a timer draws it once the run has taken two
    /// seconds, and again every quarter second.
    func phase(_ name: String) {
        guard enabled else { return }
        lock.withLock {
            phaseName = name
            if timer == nil {
                let timer = DispatchSource.makeTimerSource(queue: .global())
                timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
                timer.setEventHandler { [weak self] in self?.drawPhase() }
                timer.resume()
                self.timer = timer
            }
        }
        drawPhase()
    }

    private func drawPhase() {
        lock.withLock {
            guard let phaseName, clock() - start > 2_000_000_000 else { return }
            draw("\(label): \(phaseName)…")
        }
    }

    func update(step: Int, of steps: Int) {
        guard enabled else { return }
        lock.withLock {
            endPhases()
            let now = clock()
            guard now - start > 2_000_000_000, now - lastDraw > 250_000_000 else { return }
            lastDraw = now
            draw("\(label): step \(step)/\(steps) (\(100 * step / max(steps, 1)) %)")
        }
    }

    func finish() {
        lock.withLock {
            endPhases()
            if drawn { output("\r\u{1B}[K") }
            drawn = false
        }
    }

    /// Stops drawing setup phases (the steps draw themselves); call with the lock held.
    private func endPhases() {
        timer?.cancel()
        timer = nil
        phaseName = nil
    }

    /// Overwrites the line with `text`, clearing what a longer text left; call with the lock held.
    private func draw(_ text: String) {
        drawn = true
        output("\r\(text)\u{1B}[K")
    }
}
