/// The decoded contents of an HDF5 dataset or attribute: a shape and its elements in C order.
public struct HDF5Array: Sendable, Equatable {
    /// Elements of one type, in C order.
    public enum Values: Sendable, Equatable {
        /// Integers of any width and signedness (unsigned values above Int64.max are rejected).
        case integers([Int64])
        /// Floats of any width, widened to Double.
        case floats([Double])
        /// Fixed- or variable-length strings, decoded as UTF-8 with padding removed.
        case strings([String])
    }

    /// Dimensions; empty for a scalar.
    public var shape: [Int]
    /// The elements, in C order.
    public var values: Values

    /// An array of `shape` holding `values`.
    public init(shape: [Int], values: Values) {
        self.shape = shape
        self.values = values
    }

    /// Number of elements.
    public var count: Int {
        switch values {
        case .integers(let v): v.count
        case .floats(let v): v.count
        case .strings(let v): v.count
        }
    }

    /// The elements as Doubles (integers converted); nil for strings.
    public var doubles: [Double]? {
        switch values {
        case .integers(let v): v.map(Double.init)
        case .floats(let v): v
        case .strings: nil
        }
    }

    /// The elements as strings; nil for numbers.
    public var strings: [String]? {
        if case .strings(let v) = values { return v }
        return nil
    }
}
