import Dispatch
import Foundation
import Synchronization

/// The temporary files being written, removed if a signal stops the process (SIGINT, SIGTERM,
/// SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, or a SIGPIPE another process sends) so that a
/// stopped run leaves no `.tmp-PID` file beside its outputs. The process then ends as the signal
/// would have ended it, after `beforeEnding` (the command-line tool clears its progress line and
/// flushes what it printed).
///
/// SIGXFSZ (a file-size limit, `ulimit -f`) is ignored, so that a write past the limit fails with
/// EFBIG and is reported like a full disk, its temporary file removed, instead of ending the
/// process with the file left behind.
///
/// A SIGPIPE the process raises itself, by writing to a pipe whose reader has gone (`neuroemu
/// run … | true`), does not end it: the write fails with EPIPE and its caller reports the
/// error (standard output: exit 74; an output file: its temporary file is removed and the run
/// fails), so the error is said rather than the process vanishing. A signal the process was
/// started ignoring (SIGHUP under `nohup`, SIGINT in a background job, SIGPIPE from a parent
/// that ignores it) stays ignored. So `installSignalHandling` is also what makes a closed
/// standard output an error to report; a command-line tool calls it as it starts.
public enum TemporaryFiles {
    private final class Registry: @unchecked Sendable {
        let lock = NSLock()
        var paths: Set<String> = []
        var isHandlingSignals = false
        var sources: [any DispatchSourceProtocol] = []
        var beforeEnding: (@Sendable () -> Void)?
    }

    /// The signals that end the process by default and are handled here.
    static let endingSignals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM]

    private static let registry = Registry()

    /// The write end of the pipe on which the SIGPIPE handler passes a SIGPIPE sent by another
    /// process to a dispatch queue (a signal handler may not take the registry's lock); -1 until
    /// the handler is installed.
    private static let pipeSignalRelay = Atomic<Int32>(-1)

    /// Installs the handling of the signals now rather than when the first temporary file is
    /// registered. A command-line tool calls it as it starts, so that a write to a closed pipe
    /// fails and is reported in the same way whether or not an output file is being written;
    /// a library that never writes an output leaves the process's signals alone.
    public static func installSignalHandling() {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        installSignalHandlingLocked()
    }

    /// Sets what runs when a signal ends the process, after the temporary files are removed (on
    /// a dispatch queue, not in a signal handler, so it may print and take locks).
    public static func setBeforeEnding(_ action: @escaping @Sendable () -> Void) {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        registry.beforeEnding = action
    }

    /// Notes `path` as a temporary file to remove if a signal stops the process.
    static func register(_ path: String) {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        registry.paths.insert(path)
        installSignalHandlingLocked()
    }

    /// Forgets `path` (renamed into place or removed).
    static func unregister(_ path: String) {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        registry.paths.remove(path)
    }

    private static func installSignalHandlingLocked() {
        guard !registry.isHandlingSignals else { return }
        registry.isHandlingSignals = true
        // These are handled on a dispatch queue, not in a signal handler, so the registry can be
        // read under its lock.
        for signalNumber in endingSignals where !isIgnored(signalNumber) {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { removeAllAndEnd(by: signalNumber) }
            source.resume()
            registry.sources.append(source)
        }
        signal(SIGXFSZ, SIG_IGN)
        if !isIgnored(SIGPIPE) { installPipeSignalHandler() }
    }

    /// SIGPIPE needs a handler of its own that tells who sent it, which a dispatch signal source
    /// cannot: the kernel raises it at the thread whose write found the pipe closed, as sent
    /// by the process itself, while `kill -PIPE` comes from another process. (On Linux a dispatch
    /// source for SIGPIPE also misses `kill -PIPE` once one of the process's own writes has
    /// raised SIGPIPE: that one stays pending on a dispatch thread, and later ones merge into
    /// it.) The handler ignores the process's own SIGPIPE, so the write fails with EPIPE for its
    /// caller to report, and passes another process's over a pipe to a dispatch queue, which
    /// removes the files and ends the process by SIGPIPE.
    private static func installPipeSignalHandler() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }  // no descriptors left: SIGPIPE keeps its default
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // A full pipe (a storm of signals) must not block the handler; one byte is enough.
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        let source = DispatchSource.makeReadSource(fileDescriptor: ends[0], queue: .global())
        source.setEventHandler { removeAllAndEnd(by: SIGPIPE) }
        source.resume()
        registry.sources.append(source)
        pipeSignalRelay.store(ends[1], ordering: .releasing)

        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO | SA_RESTART
        let handler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { _, info, _ in
            // Only async-signal-safe calls here: getpid, write, errno.
            if let info, info.pointee.si_code == SI_USER, TemporaryFiles.sender(of: info) == getpid() { return }
            let savedError = errno
            var byte: UInt8 = 1
            _ = write(TemporaryFiles.pipeSignalRelay.load(ordering: .acquiring), &byte, 1)
            errno = savedError
        }
        #if canImport(Glibc)
        action.__sigaction_handler.sa_sigaction = handler
        #else
        action.__sigaction_u.__sa_sigaction = handler
        #endif
        sigaction(SIGPIPE, &action, nil)
    }

    /// The process that sent a signal (for a SIGPIPE of a write to a closed pipe, this process).
    private static func sender(of info: UnsafeMutablePointer<siginfo_t>) -> pid_t {
        #if canImport(Glibc)
        info.pointee._sifields._kill.si_pid
        #else
        info.pointee.si_pid
        #endif
    }

    /// Whether `signalNumber` is ignored, as a process started under `nohup` ignores SIGHUP.
    private static func isIgnored(_ signalNumber: Int32) -> Bool {
        var current = sigaction()
        sigaction(signalNumber, nil, &current)
        #if canImport(Glibc)
        let handler = current.__sigaction_handler.sa_handler
        #else
        let handler = current.__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Removes every temporary file, then ends the process as `signalNumber` would have: its
    /// default action, raised on this thread with the signal unblocked (dispatch threads, and a
    /// process started from one, block it).
    private static func removeAllAndEnd(by signalNumber: Int32) -> Never {
        registry.lock.lock()
        for path in registry.paths { unlink(path) }
        registry.paths.removeAll()
        let beforeEnding = registry.beforeEnding
        registry.lock.unlock()
        if let beforeEnding {
            // On a thread of its own, waited for at most half a second: a flush of standard
            // output blocks while the main thread writes to a pipe nobody reads, and the signal
            // must end the process all the same.
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                beforeEnding()
                done.signal()
            }
            _ = done.wait(timeout: .now() + .milliseconds(500))
            // A temporary file the main thread registered meanwhile goes too.
            registry.lock.lock()
            for path in registry.paths { unlink(path) }
            registry.lock.unlock()
        }
        signal(signalNumber, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signalNumber)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(signalNumber)
        _exit(128 + signalNumber)
    }
}
