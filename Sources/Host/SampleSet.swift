import Foundation

/// Labelled samples read from a CSV file: one row per sample, features (decimal numbers ≥ 0:
/// they become spike rates) and one integer label column. No header, no quoting; blank lines are
/// skipped; spaces and tabs around a value are ignored.
public struct SampleSet: Sendable, Equatable {
    /// Features, row-major: sample `s` is `features[s * featureCount ..< (s + 1) * featureCount]`.
    public var features: [Double]
    /// The label of each sample, in row order.
    public var labels: [Int]
    /// Features per sample, at least 1.
    public var featureCount: Int

    /// Samples of `featureCount` features each, one label per sample.
    public init(features: [Double], labels: [Int], featureCount: Int) {
        precondition(featureCount > 0 && features.count == labels.count * featureCount)
        self.features = features
        self.labels = labels
        self.featureCount = featureCount
    }

    /// Number of samples.
    public var count: Int { labels.count }

    /// The features of one sample.
    public func sample(_ index: Int) -> ArraySlice<Double> {
        features[(index * featureCount)..<((index + 1) * featureCount)]
    }

    /// Reads a CSV file. `labelColumn` is 0-based; nil means the last column. Errors describe the
    /// line and column, for the caller to attach to the network file's JSON path.
    public static func load(path: String, labelColumn: Int?) throws(SampleSetError) -> SampleSet {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.bytes(atPath: path)
        } catch {
            throw .unreadable(path, reason: error.reason)
        }
        return try parse(bytes, file: path, labelColumn: labelColumn)
    }

    /// Parses CSV text (see `load`).
    public static func parse(_ bytes: [UInt8], file: String, labelColumn: Int?) throws(SampleSetError) -> SampleSet {
        var features: [Double] = []
        var labels: [Int] = []
        var columns = 0
        var lineNumber = 0
        // A spreadsheet's UTF-8 byte order mark is not part of the first value.
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            var line = bytes[start..<end]
            start = end + 1
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            if columns == 0 {
                columns = fields.count
                guard columns >= 2 else { throw .malformed(file: file, line: lineNumber, rule: "needs at least one feature and a label, got \(columns) column") }
            }
            guard fields.count == columns else {
                throw .malformed(file: file, line: lineNumber, rule: "has \(fields.count) values; the first row has \(columns)")
            }
            let label = labelColumn ?? columns - 1
            guard label < columns else {
                throw .malformed(file: file, line: lineNumber, rule: "label column \(label) is beyond the \(columns) columns")
            }
            for (column, untrimmed) in fields.enumerated() {
                let field = trimmed(untrimmed)
                if column == label {
                    guard let value = Self.label(field) else {
                        throw .malformed(file: file, line: lineNumber, rule: "column \(column + 1): the label must be a non-negative integer, got \"\(Self.text(field))\"")
                    }
                    labels.append(value)
                } else {
                    guard let value = Self.decimal(field) else {
                        throw .malformed(file: file, line: lineNumber, rule: "column \(column + 1): not a decimal number: \"\(Self.text(field))\"")
                    }
                    guard value.isFinite else {
                        throw .malformed(file: file, line: lineNumber, rule: "column \(column + 1): \(Self.text(field)) is beyond the largest number a feature can hold (1.8e308)")
                    }
                    guard value >= 0 else {
                        throw .malformed(file: file, line: lineNumber, rule: "column \(column + 1): \(Self.text(field)) is negative; features are spike rates and must be ≥ 0")
                    }
                    features.append(value)
                }
            }
        }
        guard !labels.isEmpty else { throw .malformed(file: file, line: max(1, lineNumber), rule: "holds no samples") }
        return SampleSet(features: features, labels: labels, featureCount: columns - 1)
    }

    /// `field` without the spaces and tabs around it.
    private static func trimmed(_ field: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = field.startIndex
        var end = field.endIndex
        while start < end && (field[start] == 0x20 || field[start] == 0x09) { start += 1 }
        while end > start && (field[end - 1] == 0x20 || field[end - 1] == 0x09) { end -= 1 }
        return field[start..<end]
    }

    private static func text(_ field: ArraySlice<UInt8>) -> String { String(decoding: field, as: UTF8.self) }

    /// Decimal digits alone, as a non-negative integer; nil for anything else or past `Int.max`.
    static func label(_ field: ArraySlice<UInt8>) -> Int? {
        guard !field.isEmpty else { return nil }
        var value = 0
        for byte in field {
            guard (0x30...0x39).contains(byte) else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(Int(byte - 0x30))
            guard !overflow && !carry else { return nil }
            value = sum
        }
        return value
    }

    /// Powers of ten a Double holds exactly.
    private static let exactPowersOfTen: [Double] = (0...22).map { exponent in (0..<exponent).reduce(1.0) { product, _ in product * 10 } }

    /// A decimal number — an optional sign, digits with an optional point, an optional exponent
    /// (`1`, `-0.5`, `.25`, `3e-2`) — correctly rounded; nil for anything else (hexadecimal
    /// `0x10`, `inf`, `nan`, words). Digits whose integer is at most 2^53 with a power of ten
    /// within 10^±22 are converted in one multiplication or division of exact operands, which
    /// rounds correctly; the rest by the standard library.
    static func decimal(_ field: ArraySlice<UInt8>) -> Double? {
        var index = field.startIndex
        let end = field.endIndex
        var negative = false
        if index < end && (field[index] == 0x2B || field[index] == 0x2D) {  // + -
            negative = field[index] == 0x2D
            index += 1
        }
        var mantissa: UInt64 = 0
        var exponent = 0
        var digits = 0
        var exact = true
        func digit(_ byte: UInt8, fraction: Bool) {
            digits += 1
            if mantissa < 1_000_000_000_000_000_000 {
                mantissa = mantissa * 10 + UInt64(byte - 0x30)
                if fraction { exponent -= 1 }
            } else {
                exact = false  // more digits than one UInt64 holds exactly
                if !fraction { exponent += 1 }
            }
        }
        while index < end && (0x30...0x39).contains(field[index]) {
            digit(field[index], fraction: false)
            index += 1
        }
        if index < end && field[index] == 0x2E {  // .
            index += 1
            while index < end && (0x30...0x39).contains(field[index]) {
                digit(field[index], fraction: true)
                index += 1
            }
        }
        guard digits > 0 else { return nil }
        if index < end && (field[index] == 0x65 || field[index] == 0x45) {  // e E
            index += 1
            var exponentNegative = false
            if index < end && (field[index] == 0x2B || field[index] == 0x2D) {
                exponentNegative = field[index] == 0x2D
                index += 1
            }
            var written = 0
            var exponentDigits = 0
            while index < end && (0x30...0x39).contains(field[index]) {
                written = written * 10 + Int(field[index] - 0x30)
                if written > 1_000_000 {  // beyond any Double: the standard library reads it
                    written = 1_000_000
                    exact = false
                }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == end else { return nil }
        if exact && mantissa <= 1 << 53 && abs(exponent) <= 22 {
            let magnitude = exponent >= 0 ? Double(mantissa) * exactPowersOfTen[exponent] : Double(mantissa) / exactPowersOfTen[-exponent]
            return negative ? -magnitude : magnitude
        }
        return Double(text(field))  // the syntax is decimal, which the standard library reads exactly
    }
}

/// A sample file that cannot be used.
public enum SampleSetError: Error, CustomStringConvertible, Equatable, Sendable {
    case unreadable(String, reason: String)
    case malformed(file: String, line: Int, rule: String)

    /// A one-line message naming the file and, for a malformed one, the line and the rule.
    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read the sample file: \(reason)"
        case let .malformed(file, line, rule): "\(file):\(line): \(rule)"
        }
    }
}
