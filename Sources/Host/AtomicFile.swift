import Foundation

/// Writes a file through a temporary sibling that is renamed over the target only when complete,
/// so a crash or error never leaves a half-written file under the real name.
struct AtomicFile {
    let path: String
    private let temporaryPath: String
    private let handle: FileHandle

    init(path: String) throws(OutputError) {
        self.path = path
        temporaryPath = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw .cannotWrite(file: path, reason: "cannot create \(temporaryPath) (does the directory exist and is it writable?)")
        }
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

    /// Closes the temporary file and renames it over `path`.
    func commit() throws(OutputError) {
        do {
            try handle.close()
            if rename(temporaryPath, path) != 0 {
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
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    /// Writes `text` to `path` atomically in one go.
    static func write(_ text: String, to path: String) throws(OutputError) {
        let file = try AtomicFile(path: path)
        try file.write(Array(text.utf8))
        try file.commit()
    }
}
