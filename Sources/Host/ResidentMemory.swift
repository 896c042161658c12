import Foundation

/// The process's resident memory as Linux reports it in `/proc/self/status` (nil elsewhere).
public enum ResidentMemory {
    /// Peak resident set size (`VmHWM`) in bytes.
    public static func peakBytes() -> Int? { statusField("VmHWM:") }

    /// Resets the peak to the current resident size (Linux ≥ 4.0: writing 5 to
    /// `/proc/self/clear_refs`), so each benchmark case reports its own peak. Returns false when
    /// the system does not allow it; the peak is then the process's since it started.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    private static func statusField(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            // "VmHWM:     71234 kB"
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}
