/// Why an HDF5 file could not be read.
///
/// Every case names the file and, where one is known, the object (`/node/nodes/lif/tau`) whose
/// structure failed, so a user can tell a damaged file from a feature this reader lacks.
public enum HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read from disk.
    case unreadable(file: String, reason: String)
    /// The file does not start with the HDF5 signature (at offset 0, 512, 1024, …).
    case notHDF5(file: String)
    /// A structure reaches past the end of the file (a truncated or damaged file).
    case truncated(file: String, object: String, structure: String, offset: Int, length: Int, fileSize: Int)
    /// A structure holds a value that breaks the format (bad signature, checksum, impossible size).
    case corrupt(file: String, object: String, detail: String)
    /// A valid HDF5 feature this reader does not implement.
    case unsupported(file: String, object: String, feature: String)
    /// No object at this path.
    case notFound(file: String, path: String, available: [String])
    /// The object exists but is not of the kind asked for (a group where a dataset was expected).
    case wrongKind(file: String, object: String, expected: String)

    /// A one-line message naming the file, and the object where one is known.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .notHDF5(file):
            return "\(file): not an HDF5 file (no HDF5 signature at offset 0, 512, 1024, …)"
        case let .truncated(file, object, structure, offset, length, fileSize):
            return "\(file): \(object): \(structure) at byte \(offset) needs \(length) bytes but the file ends at byte \(fileSize) (truncated or damaged file)"
        case let .corrupt(file, object, detail):
            return "\(file): \(object): damaged HDF5 structure: \(detail)"
        case let .unsupported(file, object, feature):
            return "\(file): \(object): unsupported HDF5 feature: \(feature)"
        case let .notFound(file, path, available):
            return "\(file): no object \(path)" + (available.isEmpty ? "" : "; the group holds: \(available.joined(separator: ", "))")
        case let .wrongKind(file, object, expected):
            return "\(file): \(object): expected \(expected)"
        }
    }
}
