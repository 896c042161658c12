/// A NIR graph converted to a chip network, with what is needed to read its outputs in NIR units.
public struct NIRImport: Sendable {
    public var network: NetworkDescription
    /// Populations that feed a top-level Output node, in graph order.
    public var outputs: [String]
    /// Chip voltage units per NIR voltage unit, per population: for a neuron of population P,
    /// `v_NIR = v_leak + v_chip / voltageScale[P]` (LI readouts read `last_v` or `mean_v` so).
    public var voltageScale: [String: Double]
}
