import Foundation

/// Writes a file through a temporary sibling that is renamed over the target only when complete,
/// so a crash, an error or an interrupt never leaves a half-written file under the real name.
///
/// A symbolic link is written through: the temporary file goes beside the file it points to,
/// which is replaced and the link kept. A target that exists and is not a regular file (a device
/// such as `/dev/null` or `/dev/stdout`, a named pipe) is written directly: renaming over it
/// would replace the device with a file.
struct AtomicFile {
    let path: String
    /// The file renamed over: `path`, or the file a symbolic link at `path` points to.
    private let target: String
    /// Nil when writing directly to a device or pipe.
    private let temporaryPath: String?
    private let handle: FileHandle

    init(path: String) throws(OutputError) {
        self.path = path
        var status = stat()
        let isLink = lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
        let target = isLink ? URL(fileURLWithPath: path).resolvingSymlinksInPath().path : path
        self.target = target
        if stat(target, &status) == 0, status.st_mode & S_IFMT != S_IFREG, status.st_mode & S_IFMT != S_IFDIR {
            guard let handle = FileHandle(forWritingAtPath: target) else {
                throw .cannotWrite(file: path, reason: "cannot open it for writing")
            }
            temporaryPath = nil
            self.handle = handle
            return
        }
        let temporary = target + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        TemporaryFiles.register(temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            TemporaryFiles.unregister(temporary)
            throw .cannotWrite(file: path, reason: "cannot create \(temporary) (does the directory exist and is it writable?)")
        }
        temporaryPath = temporary
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws(OutputError) {
        do {
            try handle.write(contentsOf: Data(bytes))
        } catch {
            discard()
            throw .cannotWrite(file: path, reason: "\(error.localizedDescription)")
        }
    }

    /// Closes the temporary file and renames it over the target.
    func commit() throws(OutputError) {
        do {
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
            throw .cannotWrite(file: path, reason: "\(error.localizedDescription)")
        }
    }

    /// Removes the temporary file, leaving any earlier file at `path` untouched.
    func discard() {
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
