import Foundation

/// An output file could not be written; nothing partial is left under its name.
public enum OutputError: Error, CustomStringConvertible, Equatable, Sendable {
    case cannotWrite(file: String, reason: String)

    /// Throws now the error writing `path` would throw later (its directory missing or not
    /// writable), by creating and removing the temporary file the write would use: outputs
    /// written after a long run are checked first, so a wrong path loses no work.
    public static func checkWritable(_ path: String) throws(OutputError) {
        // A pipe opened and closed now would end its reader before the real write.
        guard !AtomicFile.isWrittenInPlace(path) else { return }
        // The temporary file beside a directory is created fine; only the rename over it fails.
        var status = stat()
        if stat(try AtomicFile.linkTarget(of: path), &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            throw .cannotWrite(file: path, reason: "it is a directory; give a file path")
        }
        try AtomicFile(path: path).discard()
    }

    /// The file that could not be written.
    public var file: String {
        switch self {
        case let .cannotWrite(file, _): file
        }
    }

    /// A one-line message naming the file and why it cannot be written.
    public var description: String {
        switch self {
        case let .cannotWrite(file, reason): "\(file): cannot write: \(reason)"
        }
    }
}
