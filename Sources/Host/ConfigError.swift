/// An error in a user's configuration file (network or chip file).
///
/// Every case names the file so that a message printed on its own still tells
/// the user where to look.
public enum ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read at all.
    case unreadable(file: String, reason: String)
    /// The file is not valid JSON; line and column are 1-based.
    case syntax(file: String, line: Int, column: Int, message: String)
    /// The JSON is well-formed but breaks a rule; `path` is a JSON path like `$.populations[2].neuron.du`.
    case invalid(file: String, path: String, rule: String)

    /// A one-line message in the `file:line:column:` style that editors and terminals recognise.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .syntax(file, line, column, message):
            return "\(file):\(line):\(column): invalid JSON: \(message)"
        case let .invalid(file, path, rule):
            return "\(file): \(path): \(rule)"
        }
    }
}
