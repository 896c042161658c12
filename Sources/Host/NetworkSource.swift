import Chip
import Foundation

/// Loads the network a command names: a `neuroemu-network/1` JSON file, or a NIR graph (by the
/// `.nir` extension or the HDF5 signature), converted with the NIR options.
public enum NetworkSource {
    /// True when the file is a NIR (HDF5) file rather than network JSON.
    public static func isNIR(path: String) -> Bool {
        if path.lowercased().hasSuffix(".nir") { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return HDF5File.hasSignature((try? handle.read(upToCount: 8)) ?? Data())
    }

    /// Loads `path`. For a NIR file, `inputPath` (`--input`) gives the input spikes, `dt` the
    /// step length in seconds and `steps` the run length (default 100).
    /// With `chip`, a network file whose populations cannot fit it is refused before its synapses
    /// are expanded (`NetworkFile.load`).
    ///
    /// The file is read once, and its first bytes tell NIR from JSON: a pipe (`<(…)`,
    /// `/dev/stdin`) cannot be read a second time.
    public static func load(path: String, seed: UInt64?, steps: Int?, dt: Double?, inputPath: String?, threads: Int = 1, chip: ChipDescription? = nil) throws -> NetworkDescription {
        let namedNIR = path.lowercased().hasSuffix(".nir")
        let bytes: [UInt8]
        do {
            bytes = try InputFile.bytes(atPath: path)
        } catch {
            if namedNIR { throw NIRError.hdf5(.unreadable(file: path, reason: error.reason)) }
            throw ConfigError.unreadable(file: path, reason: error.reason)
        }
        guard namedNIR || HDF5File.hasSignature(bytes) else {
            if inputPath != nil { throw NIRError.invalidInput(file: path, detail: "--input applies to NIR files; a network file lists its own inputs") }
            if dt != nil { throw NIRError.invalidInput(file: path, detail: "--dt applies to NIR files; a network file is already in timesteps") }
            return try NetworkFile.load(bytes: bytes, file: path, seed: seed, threads: threads, chip: chip)
        }
        var options = NIRImportOptions(seed: seed ?? 1)
        if let steps { options.steps = steps }
        if let dt { options.dt = dt }
        // Spike times after the run's last step are allowed (and ignored), so one input file
        // serves runs of any length.
        if let inputPath {
            options.inputs = try NIRInputFile.load(path: inputPath, steps: NetworkFile.maximumSteps)
            options.inputsFile = inputPath
        }
        return try NIRImporter.load(bytes: bytes, path: path, options: options).network
    }
}
