/// A NIR-only option given with a network file. The file is fine: the command line is wrong, so
/// the tool exits 64 (usage), not 65. Which kind the file is shows only once it is read.
public enum NIROptionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `--input FILE` with a network file.
    case inputForNetworkFile(file: String)
    /// `--dt MS` with a network file.
    case dtForNetworkFile(file: String)

    /// A one-line message naming the file and the option that does not apply.
    public var description: String {
        switch self {
        case .inputForNetworkFile(let file): "\(file): --input applies to NIR files; a network file lists its own inputs"
        case .dtForNetworkFile(let file): "\(file): --dt applies to NIR files; a network file is already in timesteps"
        }
    }
}
