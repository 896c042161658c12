import Foundation
@testable import neuroemu

/// A temporary directory holding the files of one test, removed at the end.
struct Workspace: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = path(name)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
}

/// The usage error `Invocation.parse` throws for `arguments`, or nil when they parse.
func parseError(_ arguments: [String]) -> UsageError? {
    do {
        _ = try Invocation.parse(arguments)
        return nil
    } catch {
        return error
    }
}

/// Run options with the given changes applied to the defaults.
func runOptions(_ change: (inout RunOptions) -> Void) -> RunOptions {
    var options = RunOptions()
    change(&options)
    return options
}

/// The `neuroemu` built beside the test bundle.
let neuroemuExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("neuroemu").path

/// Runs the `neuroemu` built beside the test bundle with `arguments`; returns its exit status
/// and what it wrote to standard error (standard output is discarded).
func runNeuroemu(_ arguments: [String]) throws -> (status: Int32, standardError: String) {
    let run = try runNeuroemu(arguments, keepingOutput: false)
    return (run.status, run.standardError)
}

/// Runs the built `neuroemu`; returns its exit status, standard output (when kept) and standard
/// error. `input` is a file whose bytes reach standard input through a pipe. Standard output is
/// read to its end before standard error, so the error text must stay within a pipe's buffer
/// (64 KB), as error messages do.
///
/// `output`, when given, is the child's standard output instead (e.g. /dev/full); nothing is kept.
/// `environment` adds to or replaces variables of the test process's environment.
func runNeuroemu(
    _ arguments: [String], keepingOutput: Bool, input: String? = nil, output given: FileHandle? = nil, environment: [String: String] = [:]
) throws -> (status: Int32, standardOutput: String, standardError: String) {
    guard FileManager.default.isExecutableFile(atPath: neuroemuExecutable) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: neuroemuExecutable])
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: neuroemuExecutable)
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let output = Pipe()
    process.standardOutput = given ?? (keepingOutput ? output : FileHandle.nullDevice)
    let errors = Pipe()
    process.standardError = errors
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    let bytes = try input.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    signal(SIGPIPE, SIG_IGN)  // a child that exits unread makes the write fail, not the tests die
    try process.run()
    if let bytes {
        // Written beside the reads below: a child that prints before it reads cannot block it.
        let writer = stdin.fileHandleForWriting
        DispatchQueue.global().async {
            try? writer.write(contentsOf: bytes)
            try? writer.close()
        }
    }
    let printed = keepingOutput && given == nil ? String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) : ""
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, printed, text)
}

/// How a process ended.
enum Termination: Equatable {
    case exited(Int32)
    case signalled(Int32)
}

/// A `neuroemu` started as a shell starts one: every signal at its default action and none
/// blocked (`Process` hands on the test process's ignored SIGPIPE and a dispatch thread's
/// blocked signals), except the signals named in `ignoring` (e.g. "HUP", as under `nohup`),
/// under the `ulimit` options in `limits` (e.g. "-f 1": files of at most 1,024 bytes).
/// A run still going when the value is released is killed, so no run is left behind.
final class SpawnedNeuroemu {
    let pid: pid_t
    private var ended: Termination?

    /// - Parameters:
    ///   - standardOutput: a descriptor for the child's standard output (nil: /dev/null).
    ///   - standardError: the file the child's standard error is written to.
    ///   - closingStandardError: start the child with standard error closed (`2>&-`) instead.
    init(
        _ arguments: [String], standardOutput: Int32? = nil, standardError: String = "/dev/null", ignoring ignored: [String] = [], limits: [String] = [],
        closingStandardError: Bool = false
    ) throws {
        // A shell that ignores the signals hands them on ignored to the process it becomes, and
        // its limits too.
        let prelude = (ignored.isEmpty ? [] : ["trap '' \(ignored.joined(separator: " "))"]) + limits.map { "ulimit \($0)" }
        let argv = prelude.isEmpty ? [neuroemuExecutable] + arguments
            : ["/bin/sh", "-c", prelude.joined(separator: "; ") + "; exec \"$0\" \"$@\"", neuroemuExecutable] + arguments
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t?
        var actions: posix_spawn_file_actions_t?
        #else
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let standardOutput {
            posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        if closingStandardError {
            posix_spawn_file_actions_addclose(&actions, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        self.pid = pid
    }

    deinit {
        guard ended == nil else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// How the process ended, waiting up to `seconds` for it; nil while it runs.
    func termination(within seconds: Double) -> Termination? {
        if let ended { return ended }
        var status: Int32 = 0
        let polls = Int(seconds * 20)
        for poll in 0...polls {
            if waitpid(pid, &status, WNOHANG) == pid {
                ended = Self.termination(status)
                return ended
            }
            if poll < polls { usleep(50_000) }
        }
        return nil
    }

    /// The status waitpid reports, decoded (the W… macros are not imported).
    private static func termination(_ status: Int32) -> Termination {
        status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signalled(status & 0x7F)
    }
}

/// A pipe whose reading end is closed: a write to the other end fails (or raises SIGPIPE).
/// Returns the writing end, close-on-exec so that no other child holds it.
func pipeWithoutReader() throws -> Int32 {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }  // a child started by another test must not hold the reading end
    close(ends[0])
    return ends[1]
}
