import Vec64

extension Vec64 where Element == UInt8 {
    /// Makes room for `extra` more bytes, doubling the capacity as appends do but never past
    /// `start + limit` (the caller's bytes plus its limit): `Vec64`'s own growth doubles past any
    /// limit, so decoders reserve through this before they append.
    mutating func reserveWithin(extra: Int, start: Int, limit: Int) {
        let needed = count + extra
        guard needed > capacity else { return }
        let (sum, overflow) = start.addingReportingOverflow(limit)
        let ceiling = overflow ? Int.max : sum
        reserveCapacity(Swift.min(Swift.max(needed, capacity &* 2), Swift.max(ceiling, needed)))
    }
}
