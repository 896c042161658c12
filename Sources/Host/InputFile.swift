#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole input file, failing with the operating system's own reason ("no such file",
/// "is a directory", "permission denied"), which Foundation's messages blur.
enum InputFile {
    /// Why a file could not be read, in words for an error message.
    struct Unreadable: Error, Equatable {
        var reason: String
    }

    /// The file's bytes.
    static func bytes(atPath path: String) throws(Unreadable) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Unreadable(reason: reason(errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Unreadable(reason: reason(errno)) }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw Unreadable(reason: "is a directory") }
        var bytes: [UInt8] = []
        if status.st_mode & S_IFMT == S_IFREG { bytes.reserveCapacity(Int(status.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            guard count > 0 else {
                if errno == EINTR { continue }
                throw Unreadable(reason: reason(errno))
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// `strerror`'s text with a lower-case first letter, as the rest of an error message reads.
    private static func reason(_ code: Int32) -> String {
        if code == ENOENT { return "no such file" }
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
