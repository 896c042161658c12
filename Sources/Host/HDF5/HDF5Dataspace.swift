/// The shape of a dataset or attribute: scalar (no dimensions), simple (the listed dimensions) or
/// null (no elements).
struct HDF5Dataspace: Equatable {
    var dimensions: [Int]
    var isNull = false

    /// Number of elements; 1 for a scalar.
    var count: Int { isNull ? 0 : dimensions.reduce(1, *) }

    /// Largest element count this reader accepts (a damaged size cannot ask for terabytes).
    static let maximumElements = 1 << 31

    static func read(_ cursor: inout HDF5Cursor) throws(HDF5Error) -> HDF5Dataspace {
        let version = Int(try cursor.byte())
        let rank = Int(try cursor.byte())
        try cursor.skip(1)  // flags: maximum dimensions follow the dimensions, and are not needed
        var isNull = false
        switch version {
        case 1: try cursor.skip(5)
        case 2: isNull = try cursor.byte() == 2
        default: throw cursor.unsupported("dataspace message version \(version)")
        }
        guard rank <= 32 else { throw cursor.corrupt("dataspace of rank \(rank) (HDF5 allows at most 32)") }
        var dimensions: [Int] = []
        var total = 1
        for _ in 0..<rank {
            let size = try cursor.length()
            let product = total.multipliedReportingOverflow(by: size)
            guard !product.overflow, product.partialValue <= maximumElements else {
                throw cursor.unsupported("datasets of more than \(maximumElements) elements")
            }
            total = product.partialValue
            dimensions.append(size)
        }
        return HDF5Dataspace(dimensions: dimensions, isNull: isNull)
    }
}
