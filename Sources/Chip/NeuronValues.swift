/// One per-neuron variable of a core (its u, v or refractory steps left), read in place from the
/// core's neuron table.
public struct NeuronValues: RandomAccessCollection, Equatable, Sendable {
    private let table: [Int32]
    private let offset: Int
    /// Neurons of the core.
    public let count: Int

    init(table: [Int32], offset: Int, count: Int) {
        precondition(offset >= 0 && offset + count <= table.count)
        self.table = table
        self.offset = offset
        self.count = count
    }

    /// Index of the first neuron: 0.
    public var startIndex: Int { 0 }
    /// One past the last neuron: `count`.
    public var endIndex: Int { count }

    /// The value of neuron `neuron` (0..<count) of the core.
    public subscript(neuron: Int) -> Int32 {
        precondition(neuron >= 0 && neuron < count, "neuron \(neuron) outside 0..<\(count)")
        return table[offset + neuron]
    }

    /// Equal when they hold the same values in the same order.
    public static func == (lhs: NeuronValues, rhs: NeuronValues) -> Bool { lhs.elementsEqual(rhs) }

    /// Equal when the array holds the same values in the same order.
    public static func == (lhs: NeuronValues, rhs: [Int32]) -> Bool { lhs.elementsEqual(rhs) }
}
