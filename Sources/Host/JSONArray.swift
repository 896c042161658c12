/// The elements of a JSON array. An array whose elements are all integers — a weight matrix's
/// row, a sparse list's sources, targets and weights — is kept packed, 8 bytes an element
/// instead of a `JSONValue`'s 24, so a network file of millions of synapses takes a third of the
/// memory while it is read.
public struct JSONArray: RandomAccessCollection, Equatable, Sendable, ExpressibleByArrayLiteral {
    /// Packed whenever every element is an integer (the empty array too), so that equal arrays
    /// have equal storage.
    private enum Storage: Equatable, Sendable {
        case integers([Int64])
        case values([JSONValue])
    }

    private let storage: Storage

    /// An array of `elements`.
    public init(_ elements: [JSONValue]) {
        let integers = elements.compactMap { element -> Int64? in
            if case .integer(let value) = element { return value }
            return nil
        }
        storage = integers.count == elements.count ? .integers(integers) : .values(elements)
    }

    /// An array of `elements`, of which at least one is not an integer (the parser knows).
    init(mixed elements: [JSONValue]) {
        assert(elements.contains { if case .integer = $0 { false } else { true } })
        storage = .values(elements)
    }

    /// An array of integers.
    public init(integers: [Int64]) { storage = .integers(integers) }

    public init(arrayLiteral elements: JSONValue...) { self.init(elements) }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .integers(let integers): integers.count
        case .values(let values): values.count
        }
    }

    public subscript(position: Int) -> JSONValue {
        switch storage {
        case .integers(let integers): .integer(integers[position])
        case .values(let values): values[position]
        }
    }

    /// The elements when every one is an integer, else nil: integer arrays are read without a
    /// `JSONValue` per element.
    public var integers: [Int64]? {
        if case .integers(let integers) = storage { return integers }
        return nil
    }
}
