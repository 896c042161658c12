/// Packets between engine cores (never negative), as compressed rows: each source core's
/// destination cores in ascending order with the packets to each, zeros left out.
///
/// Its memory grows with the pairs of cores that exchange packets, not with the square of the
/// cores: as a dense matrix, `cuba-400k`'s 10,197 cores took 0.8 GB of setup's memory, and a
/// network of a million neurons would have needed 5 GB.
public struct TrafficMatrix: Sendable, Equatable, ExpressibleByArrayLiteral {
    /// Cores: rows and columns.
    public let count: Int
    /// Row i's entries are `columns[rowStart[i]..<rowStart[i + 1]]`, and `values` alike.
    private let rowStart: [Int]
    private let columns: [Int32]
    private let values: [Double]

    /// Builds a matrix row after row: `add` to the current row, in any column order and as
    /// often as needed (each entry sums its additions in the order made, so it equals a dense
    /// row summed the same way), then `endRow()`; `matrix` once every row has ended.
    public struct Builder {
        /// Cores: rows and columns of the matrix being built.
        public let count: Int
        private var rowStart = [0]
        private var columns: [Int32] = []
        private var values: [Double] = []
        /// The current row, dense, and a bit per column it touched: ending a row reads 64
        /// columns per word and visits only the touched ones, in ascending order.
        private var sums: [Double]
        private var touched: [UInt64]

        /// - Parameter entryCapacity: entries to reserve room for (an upper bound on the
        ///   nonzero entries, if known): `cuba-400k`'s 27 million entries otherwise grow the
        ///   arrays by doubling, copying and faulting in about three times their final memory.
        public init(count: Int, entryCapacity: Int = 0) {
            self.count = count
            sums = Array(repeating: 0, count: count)
            touched = Array(repeating: 0, count: (count + 63) / 64)
            columns.reserveCapacity(entryCapacity)
            values.reserveCapacity(entryCapacity)
        }

        /// Adds `packets` to `column` of the current row.
        public mutating func add(column: Int, packets: Double) {
            add(columns: CollectionOfOne(column), packets: packets)
        }

        /// Adds `packets` to each of `columns` (a column listed twice gets them twice): one
        /// call per neuron's destinations, through buffer pointers, as `cuba-400k` adds 32
        /// million times.
        @inline(__always)
        public mutating func add<Columns: Sequence<Int>>(columns: Columns, packets: Double) {
            // Packets are counts or measured rates: the placer's neighbour lists rely on two
            // directions never cancelling.
            precondition(packets >= 0, "traffic is never negative")
            let count = self.count
            sums.withUnsafeMutableBufferPointer { sums in
                touched.withUnsafeMutableBufferPointer { touched in
                    for column in columns {
                        precondition(column >= 0 && column < count, "column \(column) outside 0..<\(count)")
                        touched[column &>> 6] |= 1 &<< UInt64(column & 63)
                        sums[column] += packets
                    }
                }
            }
        }

        /// Ends the current row; the next `add` goes to the row after it.
        public mutating func endRow() {
            precondition(rowStart.count <= count, "more rows than the matrix has")
            // The entries are moved out while the row drains into them (appended in place,
            // without a copy per row), so that the closure touches no other part of `self`.
            var rowColumns = columns
            var rowValues = values
            columns = []
            values = []
            sums.withUnsafeMutableBufferPointer { sums in
                touched.withUnsafeMutableBufferPointer { touched in
                    touched.drainSetBits { column in
                        if sums[column] != 0 {
                            rowColumns.append(Int32(truncatingIfNeeded: column))
                            rowValues.append(sums[column])
                        }
                        sums[column] = 0
                    }
                }
            }
            columns = rowColumns
            values = rowValues
            rowStart.append(columns.count)
        }

        /// The matrix; every row must have ended.
        public var matrix: TrafficMatrix {
            precondition(rowStart.count == count + 1, "rows left to end")
            return TrafficMatrix(count: count, rowStart: rowStart, columns: columns, values: values)
        }
    }

    private init(count: Int, rowStart: [Int], columns: [Int32], values: [Double]) {
        self.count = count
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
    }

    /// The matrix of dense rows (each as long as there are rows).
    public init(rows: [[Double]]) {
        precondition(rows.allSatisfy { $0.count == rows.count }, "a traffic matrix is square")
        var builder = Builder(count: rows.count)
        for row in rows {
            for (column, packets) in row.enumerated() where packets != 0 { builder.add(column: column, packets: packets) }
            builder.endRow()
        }
        self = builder.matrix
    }

    /// The matrix of dense rows written as an array literal (each as long as there are rows).
    public init(arrayLiteral rows: [Double]...) {
        self.init(rows: rows)
    }

    /// Packets from core `row` to core `column`.
    public subscript(row: Int, column: Int) -> Double {
        let entries = columns[rowStart[row]..<rowStart[row + 1]]
        var low = entries.startIndex, high = entries.endIndex
        while low < high {
            let middle = (low + high) / 2
            if Int(columns[middle]) < column { low = middle + 1 } else { high = middle }
        }
        return low < entries.endIndex && Int(columns[low]) == column ? values[low] : 0
    }

    /// Calls `body(column, packets)` for each nonzero entry of `row`, in ascending column order.
    @inline(__always)
    public func forEachEntry(inRow row: Int, _ body: (_ column: Int, _ packets: Double) -> Void) {
        columns.withUnsafeBufferPointer { columns in
            values.withUnsafeBufferPointer { values in
                for k in rowStart[row]..<rowStart[row + 1] { body(Int(columns[k]), values[k]) }
            }
        }
    }

    /// Nonzero entries off the diagonal: ordered pairs of distinct cores, the first sending to
    /// the second.
    public var offDiagonalCount: Int {
        var diagonal = 0
        for row in 0..<count where self[row, row] != 0 { diagonal += 1 }
        return columns.count - diagonal
    }

    /// The transpose: row i lists the cores sending to core i, in ascending order.
    public func transposed() -> TrafficMatrix {
        var starts = Array(repeating: 0, count: count + 1)
        for column in columns { starts[Int(column) + 1] += 1 }
        for row in 0..<count { starts[row + 1] += starts[row] }
        var cursor = starts
        var sources = Array(repeating: Int32(0), count: columns.count)
        var packets = Array(repeating: 0.0, count: columns.count)
        for row in 0..<count {
            for k in rowStart[row]..<rowStart[row + 1] {
                let column = Int(columns[k])
                sources[cursor[column]] = Int32(row)
                packets[cursor[column]] = values[k]
                cursor[column] += 1
            }
        }
        return TrafficMatrix(count: count, rowStart: starts, columns: sources, values: packets)
    }
}
