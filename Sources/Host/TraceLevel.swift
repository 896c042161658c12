/// How much a trace records. Levels nest: `steps` ⊂ `spikes` ⊂ `packets`; `state` lines of
/// probed populations appear at every level.
public enum TraceLevel: String, Sendable, CaseIterable, Comparable {
    case steps, spikes, packets

    private var rank: Int {
        switch self {
        case .steps: 0
        case .spikes: 1
        case .packets: 2
        }
    }

    /// Less detailed: `steps` < `spikes` < `packets`.
    public static func < (lhs: TraceLevel, rhs: TraceLevel) -> Bool { lhs.rank < rhs.rank }
}
