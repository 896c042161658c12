import Testing
@testable import Host

@Suite struct SampleSetTests {
    static func parse(_ text: String, labelColumn: Int? = nil) throws(SampleSetError) -> SampleSet {
        try SampleSet.parse(Array(text.utf8), file: "s.csv", labelColumn: labelColumn)
    }

    @Test func rowsBecomeFeaturesAndLabels() throws {
        let set = try Self.parse("0,1.5,2\n\n3,4,0\r\n")
        #expect(set.count == 2)
        #expect(set.featureCount == 2)
        #expect(set.labels == [2, 0])
        #expect(Array(set.sample(1)) == [3, 4])
    }

    @Test func aByteOrderMarkIsNotPartOfTheFirstValue() throws {
        let set = try Self.parse("\u{FEFF}0,1.5,2\n3,4,0\n")
        #expect(set.features == [0, 1.5, 3, 4] && set.labels == [2, 0])
    }

    @Test func labelColumnMayBeAnyColumn() throws {
        let set = try Self.parse("7,1,2\n8,3,4\n", labelColumn: 0)
        #expect(set.labels == [7, 8])
        #expect(set.features == [1, 2, 3, 4])
    }

    @Test func errorsNameTheLineAndTheRule() {
        let cases: [(String, Int?, String)] = [
            ("1,2,0\n1,2\n", nil, "s.csv:2: has 2 values; the first row has 3"),
            ("1,x,0\n", nil, "s.csv:1: column 2: not a number: \"x\""),
            ("1,2,-1\n", nil, "s.csv:1: column 3: the label must be a non-negative integer, got \"-1\""),
            ("1,2,0.5\n", nil, "s.csv:1: column 3: the label must be a non-negative integer, got \"0.5\""),
            ("1,2,3\n", 5, "s.csv:1: label column 5 is beyond the 3 columns"),
            ("5\n", nil, "s.csv:1: needs at least one feature and a label, got 1 column"),
            ("\n\n", nil, "s.csv:2: holds no samples"),
        ]
        for (text, column, message) in cases {
            #expect(throws: SampleSetError.self) { try Self.parse(text, labelColumn: column) }
            do {
                _ = try Self.parse(text, labelColumn: column)
            } catch {
                #expect(error.description == message)
            }
        }
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: SampleSetError.unreadable("/nonexistent/samples.csv", reason: "no such file")) {
            try SampleSet.load(path: "/nonexistent/samples.csv", labelColumn: nil)
        }
    }
}
