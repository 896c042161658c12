/// The priority-queue clock: a binary min-heap of packed `EventKey`s.
///
/// Storing bare `UInt64`s keeps comparisons to one integer compare; the event's payload is
/// found through the key's rank, so the heap moves no structs.
public struct EventQueue: Sendable {
    private var heap: [UInt64] = []

    /// An empty clock with room for `capacity` events.
    public init(reservingCapacity capacity: Int = 0) {
        heap.reserveCapacity(capacity)
    }

    /// True when no event is waiting.
    public var isEmpty: Bool { heap.isEmpty }
    /// Events waiting.
    public var count: Int { heap.count }

    /// The earliest event, if any, without removing it.
    public var first: EventKey? { heap.first.map(EventKey.init(rawValue:)) }

    /// Drops every event, keeping the storage for the next timestep.
    public mutating func removeAll() { heap.removeAll(keepingCapacity: true) }

    /// Schedules an event.
    public mutating func insert(_ key: EventKey) {
        heap.append(key.rawValue)
        var child = heap.count - 1
        let value = key.rawValue
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent] <= value { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = value
    }

    /// Removes and returns the earliest event.
    public mutating func popFirst() -> EventKey? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            var parent = 0
            let count = heap.count
            while true {
                let left = 2 * parent + 1
                if left >= count { break }
                let right = left + 1
                let smaller = right < count && heap[right] < heap[left] ? right : left
                if heap[smaller] >= last { break }
                heap[parent] = heap[smaller]
                parent = smaller
            }
            heap[parent] = last
        }
        return EventKey(rawValue: top)
    }
}
