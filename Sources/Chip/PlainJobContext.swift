/// The context of a plain job (`WorkerPool.run(context:_:)`) kept from job to job: a value in
/// memory of its own that `update` rewrites only in the 8-byte words that changed. A store
/// dirties its cache line even when it writes what is there, and each helper would then fetch
/// the line again before it could start its part.
///
/// Unchecked `Sendable`: its owner writes it only between jobs, when no part reads it, and an
/// engine copied with it makes a context of its own before writing (`isKnownUniquelyReferenced`).
final class PlainJobContext<Value: BitwiseCopyable>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Value>

    init(_ value: Value) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: value)
    }

    deinit {
        pointer.deallocate()
    }

    /// Makes the context at `pointer` (a context's `pointer`) `value`, writing only the words
    /// that differ. Static, so that a caller writes it without holding (retaining) the object.
    static func update(_ pointer: UnsafeMutablePointer<Value>, to value: Value) {
        withUnsafeBytes(of: value) { new in
            let old = UnsafeMutableRawPointer(pointer)
            var offset = 0
            while offset &+ 8 <= new.count {
                let word = new.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                if old.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != word { old.storeBytes(of: word, toByteOffset: offset, as: UInt64.self) }
                offset &+= 8
            }
            while offset < new.count {
                if old.load(fromByteOffset: offset, as: UInt8.self) != new[offset] { old.storeBytes(of: new[offset], toByteOffset: offset, as: UInt8.self) }
                offset &+= 1
            }
        }
    }
}
