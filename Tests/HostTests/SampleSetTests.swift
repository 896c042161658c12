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
            ("1,x,0\n", nil, "s.csv:1: column 2: not a decimal number: \"x\""),
            // Hexadecimal, infinities and NaN are numbers to Swift, not decimals in a CSV file.
            ("0x10,0,0\n", nil, "s.csv:1: column 1: not a decimal number: \"0x10\""),
            ("1,0x1p2,0\n", nil, "s.csv:1: column 2: not a decimal number: \"0x1p2\""),
            ("inf,1,0\n", nil, "s.csv:1: column 1: not a decimal number: \"inf\""),
            ("1,nan,0\n", nil, "s.csv:1: column 2: not a decimal number: \"nan\""),
            ("1,1e,0\n", nil, "s.csv:1: column 2: not a decimal number: \"1e\""),
            ("1,.,0\n", nil, "s.csv:1: column 2: not a decimal number: \".\""),
            ("1,1e400,0\n", nil, "s.csv:1: column 2: 1e400 is beyond the largest number a feature can hold (1.8e308)"),
            // A negative feature names its line and column, blank lines and the label's place counted.
            ("1,0,0\n\n0,-2,1\n", nil, "s.csv:3: column 2: -2 is negative; features are spike rates and must be ≥ 0"),
            ("0,1,-1\n", 0, "s.csv:1: column 3: -1 is negative; features are spike rates and must be ≥ 0"),
            ("1,2,+1\n", nil, "s.csv:1: column 3: the label must be a non-negative integer, got \"+1\""),
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

    /// Decimals convert correctly rounded, the exact fast path and the standard library's alike.
    @Test(arguments: [
        "0", "-0", "16", "0.5", ".25", "3.", "+2.5", "1e3", "2.5E-3", "123456789012345678", "1234567890123456789012",
        "0.1000000000000000055511151231257827", "9007199254740993", "1e22", "1e23", "4.9e-324", "1e-400", "179769313486231570000000000000000000000e270",
    ])
    func decimalsMatchTheStandardLibrary(text: String) {
        let parsed = SampleSet.decimal(ArraySlice(Array(text.utf8)))
        #expect(parsed?.bitPattern == Double(text)?.bitPattern, "\(text)")
    }

    /// An exponent written past a million digits' worth goes to the standard library, which
    /// weighs it against the fraction's zeros (capped, it read 0.0…01e1000020 as 1e-10).
    @Test func aHugeWrittenExponentIsReadWhole() {
        let text = "0." + String(repeating: "0", count: 1_000_009) + "1e1000020"
        #expect(SampleSet.decimal(ArraySlice(Array(text.utf8))) == Double(text))
        #expect(Double(text) == 1e10)
    }

    /// Spaces and tabs around a value are the parser's to ignore.
    @Test func spacesAndTabsAroundValuesAreIgnored() throws {
        let set = try Self.parse(" 7 ,\t0.1\t, 2 \n")
        #expect(set.features == [7, 0.1] && set.labels == [2])
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: SampleSetError.unreadable("/nonexistent/samples.csv", reason: "no such file")) {
            try SampleSet.load(path: "/nonexistent/samples.csv", labelColumn: nil)
        }
    }
}
