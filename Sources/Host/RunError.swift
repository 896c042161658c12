/// Why a run stopped without a result; the trace file is then discarded.
public enum RunError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The trace, a waveform or another output written during the run could not be written.
    case output(OutputError)
    /// The chip's energy outgrew what the run counts in: 64-bit femtojoules, 9.2 kJ.
    case energyOverflow(step: Int, chip: String)
    /// The run was asked for something it cannot do (no steps, a readout of a population the
    /// network lacks, steps past the network's schedule); nothing ran and no trace was written.
    case invalidRequest(String)

    /// A one-line message on why the run stopped and what to change.
    public var description: String {
        switch self {
        case let .output(error): error.description
        case let .energyOverflow(step, chip):
            "energy exceeded 9,223,372,036,854,775,807 fJ (9.2 kJ, what 64-bit femtojoules hold) at step \(step) on chip `\(chip)`: "
                + "its static power or event energies are too large for this run; lower them or run fewer steps"
        case let .invalidRequest(problem): problem
        }
    }
}
