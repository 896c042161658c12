/// Dimension-order routing: which axis a packet travels first.
///
/// Dimension-order routing on a mesh is deadlock-free without virtual channels, which is why
/// Loihi, SpiNNaker's mesh mode and most textbook NoCs use it.
public enum RoutingOrder: String, Sendable, CaseIterable {
    /// Travel along x (east–west) first, then along y (north–south).
    case xy
    /// Travel along y first, then along x.
    case yx
}
