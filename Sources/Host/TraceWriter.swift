/// Builds the canonical text trace of a run (`neuroemu-trace/1`), hashing every byte with 64-bit
/// FNV-1a, and optionally streaming it to a file.
///
/// The digest covers every byte before the `end` line, so a run without a trace file still
/// prints the digest its trace would have.
public struct TraceWriter {
    public let level: TraceLevel
    private var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    private var buffer: [UInt8] = []
    private let file: AtomicFile?
    private let keepsLines: Bool
    /// Every line written, including the `end` line, when created with `keepsLines` (for `verify`).
    public private(set) var lines: [String] = []

    /// - Parameters:
    ///   - path: file to write, or nil to only compute the digest.
    ///   - keepsLines: also keep the lines in memory.
    public init(level: TraceLevel, path: String?, keepsLines: Bool = false) throws(OutputError) {
        self.level = level
        self.keepsLines = keepsLines
        file = try path.map { (path: String) throws(OutputError) -> AtomicFile in try AtomicFile(path: path) }
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends one line (without its newline).
    public mutating func line(_ text: String) throws(OutputError) {
        var text = text
        // A native string's UTF-8 is contiguous: hash it as a buffer, without the view's
        // per-byte iterator (the step line is hashed every step).
        text.makeContiguousUTF8()
        let hashed: UInt64? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var hash = self.hash
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return hash
        }
        var hash = hashed ?? self.hash
        if hashed == nil { for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 } }
        hash = (hash ^ 0x0A) &* 0x0000_0100_0000_01B3
        self.hash = hash
        if keepsLines { lines.append(text) }
        if let file {
            buffer.append(contentsOf: text.utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try file.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// The FNV-1a digest of everything written so far, as 16 hex digits.
    public var digest: String { hexadecimal(hash, digits: 16, uppercase: false) }

    /// Writes the `end` line and, if writing a file, renames it into place. Returns the digest.
    @discardableResult
    public mutating func finish(steps: Int, spikes: Int, energyFemtojoules: Int64) throws(OutputError) -> String {
        let digest = self.digest
        let end = "end steps=\(steps) spikes=\(spikes) energy_fj=\(energyFemtojoules) digest=\(digest)\n"
        if keepsLines { lines.append(String(end.dropLast())) }
        if let file {
            buffer.append(contentsOf: Array(end.utf8))
            try file.write(buffer)
            buffer.removeAll()
            try file.commit()
        }
        return digest
    }

    /// Abandons the trace: a partial file never appears under the trace's name.
    public func discard() { file?.discard() }
}
