/// The priority-queue clock: a binary min-heap of packed `EventKey`s.
///
/// Storing bare `UInt64`s keeps comparisons to one integer compare; the event's payload is
/// found through the key's rank, so the heap moves no structs.
public struct EventQueue: Sendable {
    private var heap: [UInt64] = []

    public init(reservingCapacity capacity: Int = 0) {
        heap.reserveCapacity(capacity)
    }

    public var isEmpty: Bool { heap.isEmpty }
    public var count: Int { heap.count }

    /// The earliest event, if any, without removing it.
    public var first: EventKey? { heap.first.map(EventKey.init(rawValue:)) }

    public mutating func removeAll() { heap.removeAll(keepingCapacity: true) }

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
