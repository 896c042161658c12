import Foundation

/// Writes a file through a temporary sibling that is renamed over the target only when complete,
/// so a crash, an error or an interrupt never leaves a half-written file under the real name.
///
/// A symbolic link is written through: the temporary file goes beside the file it points to,
/// which is replaced and the link kept. A device, a named pipe and any /dev or /proc path
/// (`isWrittenInPlace`) are written directly: renaming over them would replace the device, or a
/// file the process was handed, with a new file.
struct AtomicFile {
    let path: String
    /// The file renamed over: `path`, or the file a symbolic link at `path` points to.
    private let target: String
    /// Nil when writing directly to a device or pipe.
    private let temporaryPath: String?
    private let handle: FileHandle

    init(path: String) throws(OutputError) {
        self.path = path
        let target = try Self.linkTarget(of: path)
        self.target = target
        if Self.isWrittenInPlace(path) {
            // The process's own streams keep their position (and a shell's `>>` append).
            if Self.isProcessStream(path) {
                temporaryPath = nil
                handle = path == "/dev/stdout" ? .standardOutput : .standardError
                return
            }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw .cannotWrite(file: path, reason: "cannot open it for writing")
            }
            temporaryPath = nil
            self.handle = handle
            return
        }
        let temporary = target + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        TemporaryFiles.register(temporary)
        // A file replaced keeps its permissions (a private trace stays private); a new one gets
        // 0666 less the umask, as any new file.
        var replaced = stat()
        let replacesFile = stat(target, &replaced) == 0 && replaced.st_mode & S_IFMT == S_IFREG
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, replacesFile ? replaced.st_mode & 0o7777 : 0o666)
        guard descriptor >= 0 else {
            let number = errno
            TemporaryFiles.unregister(temporary)
            throw .cannotWrite(file: path, reason: "cannot create \(temporary): \(String(cString: strerror(number)))\(Self.hint(number))")
        }
        if replacesFile { _ = fchmod(descriptor, replaced.st_mode & 0o7777) }  // exactly, not less the umask
        temporaryPath = temporary
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// What to check when a file cannot be created, for the errors whose text leaves it open.
    private static func hint(_ number: Int32) -> String {
        switch number {
        case ENOENT, ENOTDIR: " (does the directory exist?)"
        case EACCES, EPERM, EROFS: " (is the directory writable?)"
        default: ""
        }
    }

    /// `/dev/stdout` or `/dev/stderr`: written through the process's own stream, never closed.
    private static func isProcessStream(_ path: String) -> Bool { path == "/dev/stdout" || path == "/dev/stderr" }

    /// The most links followed, as Linux's kernel follows (ELOOP beyond).
    static let maximumLinks = 40

    /// The file a chain of symbolic links at `path` ends at (which need not exist yet), or `path`.
    /// A chain longer than `maximumLinks` (a loop) is an error: renaming over where it stops would
    /// replace a link with a regular file.
    static func linkTarget(of path: String) throws(OutputError) -> String {
        var current = path
        for _ in 0...maximumLinks {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = destination.hasPrefix("/") ? destination : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
        }
        throw .cannotWrite(file: path, reason: "too many levels of symbolic links (more than \(maximumLinks); is there a loop?)")
    }

    /// Whether `path` is an output written in place rather than through a temporary file: a
    /// device or a pipe, or any /dev or /proc path (/dev/stdout, /proc/self/fd/N), which may lead
    /// to a regular file the process was given and must not be renamed over.
    static func isWrittenInPlace(_ path: String) -> Bool {
        if path.hasPrefix("/dev/") || path.hasPrefix("/proc/") { return true }
        // A chain of links too long to follow is no device; opening it fails with its own error.
        guard let target = try? linkTarget(of: path) else { return false }
        var status = stat()
        return stat(target, &status) == 0 && status.st_mode & S_IFMT != S_IFREG && status.st_mode & S_IFMT != S_IFDIR
    }

    func write(_ bytes: [UInt8]) throws(OutputError) {
        do {
            try handle.write(contentsOf: Data(bytes))
        } catch {
            discard()
            throw .cannotWrite(file: path, reason: Self.reason(error))
        }
    }

    /// Why a write or close failed, as the system says it ("Broken pipe", "No space left on
    /// device"): Foundation wraps the system's error in one of its own whose text may say only
    /// "The operation could not be completed".
    static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }

    /// Closes the temporary file and renames it over the target.
    func commit() throws(OutputError) {
        do {
            guard !Self.isProcessStream(path) else { return }
            try handle.close()
            guard let temporaryPath else { return }
            defer { TemporaryFiles.unregister(temporaryPath) }
            if rename(temporaryPath, target) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(atPath: temporaryPath)
                throw OutputError.cannotWrite(file: path, reason: reason)
            }
        } catch let error as OutputError {
            throw error
        } catch {
            discard()
            throw .cannotWrite(file: path, reason: Self.reason(error))
        }
    }

    /// Removes the temporary file, leaving any earlier file at `path` untouched.
    func discard() {
        if Self.isProcessStream(path) { return }
        try? handle.close()
        guard let temporaryPath else { return }
        try? FileManager.default.removeItem(atPath: temporaryPath)
        TemporaryFiles.unregister(temporaryPath)
    }

    /// Writes `text` to `path` atomically in one go.
    static func write(_ text: String, to path: String) throws(OutputError) {
        let file = try AtomicFile(path: path)
        try file.write(Array(text.utf8))
        try file.commit()
    }
}
