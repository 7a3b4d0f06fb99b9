/// The alignment, in bytes, of every allocation Lightstream makes.
///
/// Arrow recommends 64-byte alignment so that SIMD kernels can load whole cache lines; every
/// `Vec64` base address is a multiple of this value and every capacity is padded to it.
public let vec64Alignment = 64

/// Rounds `byteCount` up to the next multiple of ``vec64Alignment``; traps when the result does
/// not fit in `Int` (callers check sizes that come from input before padding them).
@inlinable
public func paddedTo64(_ byteCount: Int) -> Int {
    let (sum, overflow) = byteCount.addingReportingOverflow(63)
    precondition(!overflow, "paddedTo64: \(byteCount) bytes cannot be padded to 64")
    return sum & ~63
}

/// The largest power of two (at most 4096) that divides `address`.
@usableFromInline
func alignmentOf(address: UInt) -> Int {
    if address == 0 { return 4096 }
    return min(1 << address.trailingZeroBitCount, 4096)
}
