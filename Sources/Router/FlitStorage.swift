/// Owner of a `FlitEngine`'s memory: frees its buffers when the last reference goes.
///
/// The engine keeps only scratch state (every run starts from an empty mesh), so holders copy on
/// write by making a fresh storage when theirs is shared (`FlitSimulator.run`).
final class FlitStorage: @unchecked Sendable {  // mutated only through a uniquely referenced holder
    var engine: FlitEngine

    init(engine: FlitEngine) { self.engine = engine }

    deinit { engine.deallocate() }
}
