import Chip
import Foundation

/// Loads the network a command names: a `neuroemu-network/1` JSON file, or a NIR graph (by the
/// `.nir` extension or the HDF5 signature), converted with the NIR options.
public enum NetworkSource {
    /// A loaded network and, for a NIR file, how its populations' voltages read in NIR units.
    public struct Loaded: Sendable {
        /// The network, ready to map.
        public var network: NetworkDescription
        /// By population name, for the populations of a NIR file; empty for a network file.
        public var voltageUnits: [String: NIRVoltageUnits]
        /// A NIR file's conversion, for its trace's header (`TraceWriter.nir`); nil for a network file.
        public var nir: NIRTraceFields?

        /// A loaded network; `voltageUnits` and `nir` only for a NIR file.
        public init(network: NetworkDescription, voltageUnits: [String: NIRVoltageUnits] = [:], nir: NIRTraceFields? = nil) {
            self.network = network
            self.voltageUnits = voltageUnits
            self.nir = nir
        }
    }

    /// Loads `path` (see `open`).
    public static func load(path: String, seed: UInt64?, steps: Int?, dt: Double?, inputPath: String?, threads: Int = 1, chip: ChipDescription? = nil) throws -> NetworkDescription {
        try open(path: path, seed: seed, steps: steps, dt: dt, inputPath: inputPath, threads: threads, chip: chip).network
    }

    /// Loads `path`. For a NIR file, `inputPath` (`--input`) gives the input spikes, `dt` the
    /// step length in seconds (else `recordedDt`, a trace's, else 1 ms) and `steps` the run
    /// length (default 100); a network file ignores `recordedDt`.
    /// With `chip`, a network file whose populations cannot fit it is refused before its synapses
    /// are expanded (`NetworkFile.load`).
    ///
    /// The file is read once, and its first bytes tell NIR from JSON: a pipe (`<(…)`,
    /// `/dev/stdin`) cannot be read a second time.
    public static func open(
        path: String, seed: UInt64?, steps: Int?, dt: Double?, inputPath: String?, threads: Int = 1, chip: ChipDescription? = nil, recordedDt: Double? = nil
    ) throws -> Loaded {
        let namedNIR = path.lowercased().hasSuffix(".nir")
        var bytes: [UInt8]
        do {
            bytes = try InputFile.bytes(atPath: path)
        } catch {
            if namedNIR { throw NIRError.hdf5(.unreadable(file: path, reason: error.reason)) }
            throw ConfigError.unreadable(file: path, reason: error.reason)
        }
        guard namedNIR || HDF5File.hasSignature(bytes) else {
            if inputPath != nil { throw NIROptionError.inputForNetworkFile(file: path) }
            if dt != nil { throw NIROptionError.dtForNetworkFile(file: path) }
            // The bytes go once parsed: the network built from them may be far larger.
            let value = try JSONParser.parse(bytes, file: path)
            bytes = []
            return Loaded(network: try NetworkFile.read(JSONNode(value: value, file: path), seed: seed, threads: threads, chip: chip))
        }
        var options = NIRImportOptions(seed: seed ?? 1)
        options.chip = chip
        if let steps { options.steps = steps }
        if let dt = dt ?? recordedDt { options.dt = dt }
        // Spike times after the run's last step are allowed (and ignored), so one input file
        // serves runs of any length.
        if let inputPath {
            options.inputs = try NIRInputFile.load(path: inputPath, steps: NetworkFile.maximumSteps)
            options.inputsFile = inputPath
        }
        let graph = try NIRFile.read(bytes: bytes, name: path)
        bytes = []
        let imported = try NIRImporter.convert(graph, namedAfter: path, options: options)
        return Loaded(network: imported.network, voltageUnits: imported.voltageUnits, nir: NIRTraceFields(dtSeconds: options.dt, inputsFromFile: inputPath != nil))
    }
}
