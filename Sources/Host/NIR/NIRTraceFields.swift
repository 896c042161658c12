/// What a NIR file's trace records of its conversion, which the network's name and seed do not
/// show: the header's `dt_s=` and `inputs=` fields (docs/traces.md). `verify` re-runs with the
/// recorded step and asks for the input file when the recording had one.
public struct NIRTraceFields: Sendable, Equatable {
    /// The step, in seconds, exactly as the conversion used it.
    public var dtSeconds: Double
    /// Whether the input spikes came from a file (`--input`) rather than Poisson streams.
    public var inputsFromFile: Bool

    /// The fields of a conversion with step `dtSeconds`.
    public init(dtSeconds: Double, inputsFromFile: Bool) {
        self.dtSeconds = dtSeconds
        self.inputsFromFile = inputsFromFile
    }

    /// The header's text, ` dt_s=… inputs=…`: the step as the shortest decimal that reads back
    /// as the same Double, so a re-run converts with exactly it.
    var headerText: String { " dt_s=\(dtSeconds) inputs=\(inputsFromFile ? "file" : "poisson")" }

    /// The fields' keys, after those every header has.
    static let keys = ["dt_s", "inputs"]

    /// The fields in a header's `fields`: nil when neither is there (a network file's trace);
    /// `problem` when one is missing or malformed.
    static func read(_ fields: [String: String]) -> (fields: NIRTraceFields?, problem: String?) {
        let problem = "a NIR file's header ends with dt_s= (a positive number of seconds) and inputs= (file or poisson), both or neither"
        switch (fields["dt_s"], fields["inputs"]) {
        case (nil, nil):
            return (nil, nil)
        case let (dt?, inputs?):
            guard let seconds = Double(dt), seconds.isFinite, seconds > 0, inputs == "file" || inputs == "poisson" else { return (nil, problem) }
            return (NIRTraceFields(dtSeconds: seconds, inputsFromFile: inputs == "file"), nil)
        default:
            return (nil, problem)
        }
    }
}
