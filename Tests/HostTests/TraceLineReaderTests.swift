import Foundation
import Testing
@testable import Host

@Suite struct TraceLineReaderTests {
    private func lines(of contents: [UInt8], bufferBytes: Int) throws -> [(String, Bool)] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-lines-\(UUID().uuidString)").path
        try Data(contents).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try TraceLineReader(path: path, bufferBytes: bufferBytes)
        var result: [(String, Bool)] = []
        while let (bytes, terminated) = try reader.nextLine() { result.append((String(decoding: bytes, as: UTF8.self), terminated)) }
        #expect(try reader.nextLine() == nil, "stays at the end")
        return result
    }

    /// Lines across buffer boundaries, longer than the buffer, empty, and a last line without
    /// its LF come out the same whatever the buffer's size.
    @Test(arguments: [1, 2, 3, 5, 8, 64, 1 << 20])
    func linesComeOutWholeWhateverTheBuffer(bufferBytes: Int) throws {
        let text = "first line\n\n\(String(repeating: "x", count: 37))\nab\nlast without LF"
        let read = try lines(of: Array(text.utf8), bufferBytes: bufferBytes)
        #expect(read.map(\.0) == ["first line", "", String(repeating: "x", count: 37), "ab", "last without LF"])
        #expect(read.map(\.1) == [true, true, true, true, false])
    }

    @Test func aFileEndingInLFHasNoEmptyLastLine() throws {
        let read = try lines(of: Array("a\nb\n".utf8), bufferBytes: 3)
        #expect(read.map(\.0) == ["a", "b"])
        #expect(read.map(\.1) == [true, true])
        #expect(try lines(of: [], bufferBytes: 4).isEmpty)
        #expect(try lines(of: [10], bufferBytes: 4).map(\.0) == [""])
    }

    @Test func missingFilesAndDirectoriesAreUnreadable() {
        let path = "/nonexistent-\(UUID().uuidString)/t.trace"
        #expect(throws: TraceFileError.unreadable(file: path, reason: "no such file")) { try TraceLineReader(path: path) }
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: TraceFileError.unreadable(file: directory, reason: "is a directory")) { try TraceLineReader(path: directory) }
    }
}
