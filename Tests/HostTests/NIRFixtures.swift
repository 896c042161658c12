import Foundation

/// Where the NIR and HDF5 fixture files live (beside this file, found through `#filePath` like
/// the golden traces).
enum NIRFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("NIR").path

    static func path(_ name: String) -> String { directory + "/" + name }
}
