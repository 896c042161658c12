import Foundation
import Testing
@testable import Host

@Suite struct InputFileTests {
    @Test func readsEveryByteAcrossChunks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-input-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 2.5 chunks of 1 MiB, bytes counting up so that a lost or repeated chunk shows.
        let written = (0..<(5 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 12) }
        try Data(written).write(to: URL(fileURLWithPath: path))
        #expect(try InputFile.bytes(atPath: path) == written)
    }

    @Test func failsWithTheSystemsReason() {
        #expect(throws: InputFile.Unreadable(reason: "no such file")) { try InputFile.bytes(atPath: "/nonexistent/network.json") }
        #expect(throws: InputFile.Unreadable(reason: "is a directory")) { try InputFile.bytes(atPath: FileManager.default.temporaryDirectory.path) }
        #expect(throws: InputFile.Unreadable(reason: "not a directory")) { try InputFile.bytes(atPath: "/dev/null/network.json") }
    }

    /// A device reads as what it holds: /dev/null is empty, so a network file there is an empty
    /// JSON document, not a permission problem.
    @Test func aDeviceIsReadLikeAFile() throws {
        #expect(try InputFile.bytes(atPath: "/dev/null") == [])
        #expect(throws: ConfigError.syntax(file: "/dev/null", line: 1, column: 1, message: "unexpected end of input; expected a value")) {
            try JSONParser.parse(contentsOfFile: "/dev/null")
        }
    }

    /// A pipe or a device is refused once it gives more than the maximum (so `/dev/zero` cannot
    /// take all memory); a regular file is read whatever its size.
    @Test func refusesMoreThanTheMaximumFromAStream() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-input-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 65, count: 3_000).write(to: URL(fileURLWithPath: path))
        #expect(try InputFile.bytes(atPath: path, maximumStream: 2_999).count == 3_000)
        #expect(throws: InputFile.Unreadable(reason: "it is a pipe or a device that gave more than 3,000,000 bytes, the most read from one")) {
            try InputFile.bytes(atPath: "/dev/zero", maximumStream: 3_000_000)
        }
        #expect(InputFile.maximumStreamBytes == 1 << 31)
    }
}
