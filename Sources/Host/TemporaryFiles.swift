import Dispatch
import Foundation

/// The temporary files being written, removed if the process is interrupted (SIGINT, SIGTERM,
/// SIGHUP) so that a stopped run leaves no `.tmp-PID` file beside its outputs.
enum TemporaryFiles {
    private final class Registry: @unchecked Sendable {
        let lock = NSLock()
        var paths: Set<String> = []
        var sources: [any DispatchSourceSignal] = []
    }

    private static let registry = Registry()

    /// Notes `path` as a temporary file to remove on an interrupt.
    static func register(_ path: String) {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        registry.paths.insert(path)
        guard registry.sources.isEmpty else { return }
        // The signals are handled on a dispatch queue, not in a signal handler, so the registry
        // can be read under its lock.
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                removeAll()
                // End as the signal would have: its default action, raised on this thread with the
                // signal unblocked (dispatch threads, and a process started from one, block it).
                signal(signalNumber, SIG_DFL)
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, signalNumber)
                pthread_sigmask(SIG_UNBLOCK, &set, nil)
                raise(signalNumber)
                _exit(128 + signalNumber)
            }
            source.resume()
            registry.sources.append(source)
        }
    }

    /// Forgets `path` (renamed into place or removed).
    static func unregister(_ path: String) {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        registry.paths.remove(path)
    }

    private static func removeAll() {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        for path in registry.paths { unlink(path) }
        registry.paths.removeAll()
    }
}
