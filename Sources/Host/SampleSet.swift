import Foundation

/// Labelled samples read from a CSV file: one row per sample, numeric features and one integer
/// label column. No header, no quoting; blank lines are skipped.
public struct SampleSet: Sendable, Equatable {
    /// Features, row-major: sample `s` is `features[s * featureCount ..< (s + 1) * featureCount]`.
    public var features: [Double]
    public var labels: [Int]
    public var featureCount: Int

    public init(features: [Double], labels: [Int], featureCount: Int) {
        precondition(featureCount > 0 && features.count == labels.count * featureCount)
        self.features = features
        self.labels = labels
        self.featureCount = featureCount
    }

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
            for (column, field) in fields.enumerated() {
                let text = String(decoding: field, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                if column == label {
                    guard let value = Int(text), value >= 0 else {
                        throw .malformed(file: file, line: lineNumber, rule: "column \(column + 1): the label must be a non-negative integer, got \"\(text)\"")
                    }
                    labels.append(value)
                } else {
                    guard let value = Double(text), value.isFinite else {
                        throw .malformed(file: file, line: lineNumber, rule: "column \(column + 1): not a number: \"\(text)\"")
                    }
                    features.append(value)
                }
            }
        }
        guard !labels.isEmpty else { throw .malformed(file: file, line: max(1, lineNumber), rule: "holds no samples") }
        return SampleSet(features: features, labels: labels, featureCount: columns - 1)
    }
}

/// A sample file that cannot be used.
public enum SampleSetError: Error, CustomStringConvertible, Equatable, Sendable {
    case unreadable(String, reason: String)
    case malformed(file: String, line: Int, rule: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read the sample file: \(reason)"
        case let .malformed(file, line, rule): "\(file):\(line): \(rule)"
        }
    }
}
