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
func runNeuroemu(_ arguments: [String], keepingOutput: Bool, input: String? = nil, output given: FileHandle? = nil) throws -> (status: Int32, standardOutput: String, standardError: String) {
    guard FileManager.default.isExecutableFile(atPath: neuroemuExecutable) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: neuroemuExecutable])
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: neuroemuExecutable)
    process.arguments = arguments
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
