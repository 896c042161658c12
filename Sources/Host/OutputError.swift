/// An output file could not be written; nothing partial is left under its name.
public enum OutputError: Error, CustomStringConvertible, Equatable, Sendable {
    case cannotWrite(file: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(file, reason): "\(file): cannot write: \(reason)"
        }
    }
}
