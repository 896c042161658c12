import Foundation
import Testing
@testable import Host

@Suite struct OutputErrorTests {
    @Test func descriptionNamesTheFile() {
        #expect(OutputError.cannotWrite(file: "out/run.trace", reason: "No space left on device").description == "out/run.trace: cannot write: No space left on device")
    }

    /// Renaming a finished file over a directory fails only after the work; the check says so first.
    @Test func checkWritableRefusesADirectoryAndLeavesNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-output-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: OutputError.cannotWrite(file: directory, reason: "it is a directory; give a file path")) { try OutputError.checkWritable(directory) }
        let parent = (directory as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix((directory as NSString).lastPathComponent + ".tmp-") }.isEmpty)
        try OutputError.checkWritable((directory as NSString).appendingPathComponent("file.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}
