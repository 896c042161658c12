/// The four output ports of a mesh router that lead to neighbouring routers.
///
/// North is toward larger y, east toward larger x.
public enum LinkDirection: Int, Sendable, CaseIterable {
    case east = 0
    case west = 1
    case north = 2
    case south = 3

    /// True for the east–west links, whose latency and energy may differ from north–south ones.
    public var isEastWest: Bool { self == .east || self == .west }

    /// Short name used in reports (`E`, `W`, `N`, `S`).
    public var letter: String {
        switch self {
        case .east: "E"
        case .west: "W"
        case .north: "N"
        case .south: "S"
        }
    }
}
