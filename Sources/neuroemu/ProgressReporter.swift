import Foundation

/// Shows `step t/N` on stderr for runs longer than a couple of seconds, only when stderr is a
/// terminal, so logs and pipes stay clean.
final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var drawn = false

    init(label: String) { self.label = label }

    func update(step: Int, of steps: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - start > 2_000_000_000, now - lastDraw > 250_000_000 else { return }
        lastDraw = now
        drawn = true
        FileHandle.standardError.write(Data("\r\(label): step \(step)/\(steps) (\(100 * step / max(steps, 1)) %)   ".utf8))
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
