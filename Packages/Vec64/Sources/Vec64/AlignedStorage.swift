/// The reference-counted storage behind a `Vec64` and behind every `Buffer` frozen from one.
///
/// It owns a 64-byte aligned allocation whose size is a multiple of 64 bytes. It is only ever
/// written through a `Vec64` that holds the sole reference (copy-on-write), so sharing it with
/// `Buffer`s on other tasks is safe.
@usableFromInline
final class AlignedStorage: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let byteCapacity: Int

    /// Allocates `byteCapacity` bytes rounded up to a multiple of 64 (at least 64).
    @usableFromInline
    init(byteCapacity requested: Int) {
        precondition(requested >= 0, "negative capacity")
        let padded = max(paddedTo64(requested), vec64Alignment)
        base = UnsafeMutableRawPointer.allocate(byteCount: padded, alignment: vec64Alignment)
        byteCapacity = padded
        AllocationCounter.allocated()
    }

    deinit {
        base.deallocate()
        AllocationCounter.deallocated()
    }
}
