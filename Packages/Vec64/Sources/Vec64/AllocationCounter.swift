import Synchronization

/// Counts the aligned allocations Lightstream makes, so tests and benchmarks can check that an
/// operation did not allocate (or copy) behind their back.
public enum AllocationCounter {
    private static let liveCount = Atomic<Int>(0)
    private static let totalCount = Atomic<Int>(0)

    /// The number of aligned allocations alive now.
    public static var live: Int { liveCount.load(ordering: .relaxed) }
    /// The number of aligned allocations made since the process started.
    public static var total: Int { totalCount.load(ordering: .relaxed) }

    @usableFromInline
    static func allocated() {
        liveCount.add(1, ordering: .relaxed)
        totalCount.add(1, ordering: .relaxed)
    }

    @usableFromInline
    static func deallocated() {
        liveCount.subtract(1, ordering: .relaxed)
    }
}
