import Synchronization

/// A number of bytes that several ``StreamBuffer``s share: the receive memory of all the
/// connections of one listener, so that many peers together cannot make a process buffer more
/// than `limit` bytes of not-yet-decoded input.
///
/// What counts is the memory a stream buffer allocates to hold pending bytes (its current chunk,
/// whose capacity grows geometrically with the bytes that really arrived, never with a size a
/// peer announced). Frames already handed out (decoded batches a handler keeps) are the
/// application's memory and do not count, nor does memory a buffer adopts without a copy (a
/// received chunk another layer allocated). A buffer gives its share back when it moves to other
/// memory, and when the last copy of the buffer is gone.
///
/// A buffer whose growth would pass the limit throws ``FramingError`` with kind
/// ``FramingError/Kind/memoryBudgetExceeded(requested:budget:)``; the connection fails, the others
/// go on.
///
/// ```swift
/// let budget = MemoryBudget(limit: 256 << 20)
/// var buffer = StreamBuffer(budget: budget)   // or: try buffer.useBudget(budget)
/// ```
public final class MemoryBudget: Sendable {
    /// The most bytes the buffers sharing this budget may hold together.
    public let limit: Int
    private let used = Atomic<Int>(0)

    /// A budget of `limit` bytes (positive).
    public init(limit: Int) {
        precondition(limit > 0, "MemoryBudget: the limit must be positive")
        self.limit = limit
    }

    /// The bytes currently held by the buffers sharing this budget.
    public var usedBytes: Int { used.load(ordering: .relaxed) }

    /// Takes `bytes` from the budget if they fit; `false` (and nothing taken) otherwise.
    public func tryReserve(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        var current = used.load(ordering: .relaxed)
        while true {
            let (total, overflow) = current.addingReportingOverflow(bytes)
            guard !overflow, total <= limit else { return false }
            let (exchanged, original) = used.compareExchange(expected: current, desired: total, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    /// Gives back `bytes` taken with ``tryReserve(_:)``.
    public func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        used.subtract(bytes, ordering: .relaxed)
    }
}

/// The share of a ``MemoryBudget`` one stream buffer holds (shared by the buffer's copies, which
/// share its memory too); given back when the last copy is gone.
@usableFromInline
final class BudgetCharge: Sendable {
    let budget: MemoryBudget
    private let charged = Atomic<Int>(0)

    init(_ budget: MemoryBudget) { self.budget = budget }

    deinit { budget.release(charged.load(ordering: .relaxed)) }

    /// Changes the held share from what it is to `bytes`; `false` (unchanged) when the budget
    /// cannot give the difference.
    func recharge(to bytes: Int) -> Bool {
        let current = charged.load(ordering: .relaxed)
        if bytes > current {
            guard budget.tryReserve(bytes - current) else { return false }
        } else {
            budget.release(current - bytes)
        }
        charged.store(bytes, ordering: .relaxed)
        return true
    }

    var bytes: Int { charged.load(ordering: .relaxed) }
}
