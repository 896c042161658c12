import Foundation

/// Writes to stderr for messages and progress. A stderr that cannot take them (closed, `2>&-`;
/// full, `2>/dev/full`; a pipe whose reader left) drops them, so the command still ends with its
/// own exit code; `FileHandle.standardError.write(_:)` would stop the process instead.
enum StandardError {
    static func write(_ text: String) {
        Array(text.utf8).withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // closed, full or gone: the message is dropped
                }
            }
        }
    }
}
