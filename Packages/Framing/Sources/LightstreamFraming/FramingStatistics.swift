import Synchronization

/// Counters a stream buffer keeps about the memory work it did, so copies are visible, not silent.
public final class FramingStatistics: Sendable {
    private let realigned = Atomic<Int>(0)
    private let realignedByteCount = Atomic<Int>(0)
    private let compactions = Atomic<Int>(0)
    private let compactedByteCount = Atomic<Int>(0)

    /// Counters starting at zero.
    public init() {}

    /// Frame bodies copied because they arrived misaligned for what the decoder asked.
    public var realignedBodies: Int { realigned.load(ordering: .relaxed) }
    /// The bytes of those copies.
    public var realignedBytes: Int { realignedByteCount.load(ordering: .relaxed) }
    /// Times pending bytes were moved to fresh memory to make room.
    public var compactionCount: Int { compactions.load(ordering: .relaxed) }
    /// The bytes moved by compactions.
    public var compactedBytes: Int { compactedByteCount.load(ordering: .relaxed) }

    @usableFromInline
    func countRealignment(bytes: Int) {
        realigned.add(1, ordering: .relaxed)
        realignedByteCount.add(bytes, ordering: .relaxed)
    }

    func countCompaction(bytes: Int) {
        compactions.add(1, ordering: .relaxed)
        compactedByteCount.add(bytes, ordering: .relaxed)
    }
}
