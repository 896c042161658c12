import Testing
@testable import Host

@Suite struct TrafficMatrixTests {
    private let dense: [[Double]] = [
        [0, 2, 0, 0.5],
        [0, 0, 0, 0],
        [3, 0, 7, 0],
        [0, 1, 4, 0],
    ]

    @Test func readsBackEveryEntryOfADenseMatrix() {
        let matrix = TrafficMatrix(rows: dense)
        #expect(matrix.count == 4)
        for i in 0..<4 {
            for j in 0..<4 { #expect(matrix[i, j] == dense[i][j], "entry (\(i), \(j))") }
        }
        // Six nonzeros, one of them on the diagonal (core 2 to itself).
        #expect(matrix.offDiagonalCount == 5)
    }

    @Test func entriesOfARowComeInAscendingColumnOrderWithoutZeros() {
        let matrix = TrafficMatrix(rows: dense)
        var row2: [(Int, Double)] = []
        matrix.forEachEntry(inRow: 2) { row2.append(($0, $1)) }
        #expect(row2.map(\.0) == [0, 2])
        #expect(row2.map(\.1) == [3, 7])
        var row1 = 0
        matrix.forEachEntry(inRow: 1) { _, _ in row1 += 1 }
        #expect(row1 == 0)
    }

    @Test func additionsInAnyColumnOrderSumLikeADenseRow() {
        // Column 3 gets 0.1, 0.2, 0.3 in that order: the sum a dense row would hold, bit for
        // bit (floating-point addition is not associative); column 0 only a zero, left out.
        var builder = TrafficMatrix.Builder(count: 4)
        builder.endRow()
        builder.add(column: 3, packets: 0.1)
        builder.add(column: 2, packets: 5)
        builder.add(column: 3, packets: 0.2)
        builder.add(column: 0, packets: 0)
        builder.add(column: 3, packets: 0.3)
        builder.endRow()
        builder.endRow()
        builder.endRow()
        let matrix = builder.matrix
        #expect(matrix[1, 3] == (0.1 + 0.2) + 0.3)
        #expect(matrix[1, 3] != 0.1 + (0.2 + 0.3))
        #expect(matrix[1, 2] == 5)
        #expect(matrix == [[0, 0, 0, 0], [0, 0, 5, (0.1 + 0.2) + 0.3], [0, 0, 0, 0], [0, 0, 0, 0]])
        #expect(matrix.offDiagonalCount == 2)
    }

    @Test func transposeSwapsRowsAndColumns() {
        let matrix = TrafficMatrix(rows: dense)
        let transpose = matrix.transposed()
        for i in 0..<4 {
            for j in 0..<4 { #expect(transpose[j, i] == dense[i][j], "entry (\(i), \(j))") }
        }
        #expect(transpose.transposed() == matrix)
        var senders: [Int] = []
        transpose.forEachEntry(inRow: 2) { column, _ in senders.append(column) }
        #expect(senders == [2, 3])
    }

    @Test func equalMatricesCompareEqualHoweverBuilt() {
        let fromRows = TrafficMatrix(rows: dense)
        var builder = TrafficMatrix.Builder(count: 4)
        for row in dense {
            for column in (0..<4).reversed() { builder.add(column: column, packets: row[column]) }
            builder.endRow()
        }
        let fromAdditions = builder.matrix
        #expect(fromRows == fromAdditions)
        // Room reserved up front (too little, just enough, more) changes nothing.
        for capacity in [1, 6, 100] {
            var reserved = TrafficMatrix.Builder(count: 4, entryCapacity: capacity)
            for row in dense {
                for column in 0..<4 { reserved.add(column: column, packets: row[column]) }
                reserved.endRow()
            }
            #expect(reserved.matrix == fromRows, "capacity \(capacity)")
        }
        #expect(fromRows != TrafficMatrix(rows: [[0, 2, 0, 0.5], [0, 0, 0, 0], [3, 0, 7, 0], [0, 1, 4, 1]]))
    }
}
