/// A NIR graph converted to a chip network, with what is needed to read its outputs in NIR units.
public struct NIRImport: Sendable {
    /// The runnable network.
    public var network: NetworkDescription
    /// Populations that feed a top-level Output node, in graph order.
    public var outputs: [String]
    /// By population name: how its chip voltages (`last_v`, `mean_v`) read in NIR units.
    public var voltageUnits: [String: NIRVoltageUnits]
}
