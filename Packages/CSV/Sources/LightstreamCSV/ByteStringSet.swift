/// A small set of byte strings (null, true and false spellings) with a membership test that
/// rejects most values by their length alone and never allocates.
struct ByteStringSet: Sendable {
    private var byLength: [Int: [[UInt8]]] = [:]
    /// Bit `k` set when some member has length `k` (lengths up to 63).
    private var lengthMask: UInt64 = 0
    private var hasLong = false
    let isEmpty: Bool

    init(_ strings: [String]) {
        for s in strings {
            let bytes = Array(s.utf8)
            byLength[bytes.count, default: []].append(bytes)
            if bytes.count < 64 { lengthMask |= 1 << UInt64(bytes.count) } else { hasLong = true }
        }
        isEmpty = strings.isEmpty
    }

    @inline(__always)
    func contains(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        if n < 64 { if lengthMask & (1 << UInt64(n)) == 0 { return false } } else if !hasLong { return false }
        guard let candidates = byLength[n] else { return false }
        if n == 0 { return true }
        for candidate in candidates where candidate.withUnsafeBytes({ $0.elementsEqual(bytes) }) { return true }
        return false
    }
}
