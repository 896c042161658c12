import Testing
@testable import Host

@Suite struct OutputErrorTests {
    @Test func descriptionNamesTheFile() {
        #expect(OutputError.cannotWrite(file: "out/run.trace", reason: "No space left on device").description == "out/run.trace: cannot write: No space left on device")
    }
}
