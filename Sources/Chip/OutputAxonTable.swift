/// The output axons of a core's neurons: for each neuron, the (destination core, input axon)
/// pairs its spikes are sent to.
///
/// On random networks spread over many small cores each input axon carries about one synapse, so
/// this table costs about as much memory as the synapses themselves. Pairs are therefore stored
/// in two 16-bit halves when every core index and axon of the table is below 65,536 (any chip
/// of the shipped presets), and in two 32-bit halves otherwise.
public struct OutputAxonTable: Sendable, Equatable {
    /// Neuron n's pairs are `start[n] ..< start[n + 1]`.
    private let start: [Int32]
    /// Core, axon, core, axon, … — exactly one of the two arrays is used.
    private let narrow: [UInt16]
    private let wide: [Int32]

    /// The table of each neuron's destinations (core and input axon), in the layout that suits them.
    public init(_ destinations: [[OutputAxon]]) {
        var start: [Int32] = []
        start.reserveCapacity(destinations.count + 1)
        start.append(0)
        var total = 0
        var fitsNarrow = true
        for outputs in destinations {
            total += outputs.count
            start.append(Int32(total))
            for output in outputs where output.core > Int32(UInt16.max) || output.axon > Int32(UInt16.max) { fitsNarrow = false }
        }
        var narrow: [UInt16] = []
        var wide: [Int32] = []
        if fitsNarrow {
            narrow.reserveCapacity(2 * total)
            for outputs in destinations {
                for output in outputs {
                    narrow.append(UInt16(output.core))
                    narrow.append(UInt16(output.axon))
                }
            }
        } else {
            wide.reserveCapacity(2 * total)
            for outputs in destinations {
                for output in outputs {
                    wide.append(output.core)
                    wide.append(output.axon)
                }
            }
        }
        self.start = start
        self.narrow = narrow
        self.wide = wide
    }

    /// Output axons in the table.
    public var count: Int { Int(start.last ?? 0) }

    /// Whether every core index and axon of the table is below 65,536 (stored in 16-bit halves).
    public var isNarrow: Bool { wide.isEmpty }

    /// The entries of one neuron.
    @inline(__always)
    public func range(of neuron: Int) -> Range<Int> {
        Int(start[neuron])..<Int(start[neuron + 1])
    }

    /// Entry `index`: its destination core (an engine core index) and input axon.
    @inline(__always)
    public subscript(index: Int) -> OutputAxon {
        if wide.isEmpty {
            return OutputAxon(core: Int32(narrow[2 &* index]), axon: Int32(narrow[2 &* index &+ 1]))
        }
        return OutputAxon(core: wide[2 &* index], axon: wide[2 &* index &+ 1])
    }

    /// Bytes the table's entries take.
    public var memoryBytes: Int {
        start.count * MemoryLayout<Int32>.stride + narrow.count * MemoryLayout<UInt16>.stride + wide.count * MemoryLayout<Int32>.stride
    }
}
