#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file one line at a time through a buffer of a megabyte, so that `verify` checks
/// and compares a stored trace of any length in constant memory (only a line is held whole,
/// however long it is). A class: it owns the open file, which it closes when released.
final class TraceLineReader {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8]
    /// The unread bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var reachedEndOfFile = false

    /// Opens `path`; fails with the system's reason as `TraceFileError.unreadable`.
    init(path: String, bufferBytes: Int = 1 << 20) throws(TraceFileError) {
        self.path = path
        do {
            descriptor = try InputFile.open(path).descriptor
        } catch {
            throw .unreadable(file: path, reason: error.reason)
        }
        buffer = [UInt8](repeating: 0, count: max(1, bufferBytes))
    }

    deinit { close(descriptor) }

    /// The next line without its LF, and whether an LF ended it (only the file's last line may
    /// lack one); nil after the last line.
    func nextLine() throws(TraceFileError) -> (bytes: ArraySlice<UInt8>, terminated: Bool)? {
        var searched = start  // bytes before this hold no LF
        while true {
            let newline = buffer.withUnsafeBufferPointer { bytes -> Int? in
                guard searched < end, let found = memchr(bytes.baseAddress! + searched, 10, end - searched) else { return nil }
                return bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            if let newline {
                defer { start = newline + 1 }
                return (buffer[start..<newline], true)
            }
            searched = end
            if reachedEndOfFile {
                guard start < end else { return nil }
                defer { start = end }
                return (buffer[start..<end], false)
            }
            // Keep the unfinished line at the front, grow only for a line longer than the buffer,
            // and read more after it.
            if start > 0 {
                let kept = end - start
                buffer.withUnsafeMutableBufferPointer { bytes in
                    guard kept > 0 else { return }
                    _ = memmove(bytes.baseAddress!, bytes.baseAddress! + start, kept)
                }
                searched -= start
                end = kept
                start = 0
            }
            if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBufferPointer { bytes throws(InputFile.Unreadable) in
                    try InputFile.read(descriptor, into: UnsafeMutableBufferPointer(rebasing: bytes[end...]))
                }
            } catch {
                throw .unreadable(file: path, reason: error.reason)
            }
            if count == 0 { reachedEndOfFile = true } else { end += count }
        }
    }
}
