#if canImport(Glibc)
import Glibc
#endif

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
        if padded >= AlignedStorage.hugePageThreshold {
            // Large buffers start on a 2 MiB boundary and ask for transparent huge pages, which
            // cuts the page faults of first touch by 512x (numpy does the same).
            base = UnsafeMutableRawPointer.allocate(byteCount: padded, alignment: 2 << 20)
            #if os(Linux)
            _ = madvise(base, padded, MADV_HUGEPAGE)
            #endif
        } else {
            base = UnsafeMutableRawPointer.allocate(byteCount: padded, alignment: vec64Alignment)
        }
        byteCapacity = padded
        AllocationCounter.allocated()
    }

    /// Allocations of at least this many bytes are huge-page aligned and advised.
    @usableFromInline static let hugePageThreshold = 4 << 20

    deinit {
        base.deallocate()
        AllocationCounter.deallocated()
    }
}
