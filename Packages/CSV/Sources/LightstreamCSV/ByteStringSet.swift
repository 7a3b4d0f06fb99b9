#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A small set of byte strings (null, true and false spellings) with a membership test that
/// rejects most values by their length and first byte alone, and compares short members as one
/// word: no allocation, no reference counting on the hot path.
struct ByteStringSet: Sendable {
    /// Members of up to 8 bytes (the first 32 of them), each as a zero-padded word.
    private var words = InlineArray<32, UInt64>(repeating: 0)
    private var lengths = InlineArray<32, UInt8>(repeating: 0xFF)
    private var shortCount = 0
    /// The other members.
    private var others: [[UInt8]] = []
    /// Bit `k` set when some member has length `k` (lengths up to 63).
    private var lengthMask: UInt64 = 0
    /// Bit `b & 63` of word `b >> 6` set when some non-empty member starts with byte `b`.
    private var firstBytes = InlineArray<4, UInt64>(repeating: 0)
    private var hasLong = false

    init(_ strings: [String]) {
        for s in strings {
            let bytes = Array(s.utf8)
            if bytes.count <= 8 && shortCount < 32 {
                words[shortCount] = Self.word(bytes.withUnsafeBytes { $0 })
                lengths[shortCount] = UInt8(bytes.count)
                shortCount += 1
            } else {
                others.append(bytes)
            }
            if bytes.count < 64 { lengthMask |= 1 << UInt64(bytes.count) } else { hasLong = true }
            if let b = bytes.first { firstBytes[Int(b >> 6)] |= 1 << UInt64(b & 63) }
        }
    }

    /// Up to 8 bytes as a zero-padded word.
    @inline(__always)
    private static func word(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var w: UInt64 = 0
        for k in 0..<bytes.count { w |= UInt64(bytes[k]) << UInt64(k * 8) }
        return w
    }

    @inline(__always)
    func contains(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        if n < 64 { if lengthMask & (1 << UInt64(n)) == 0 { return false } } else if !hasLong { return false }
        if n == 0 { return true }
        let b = bytes[0]
        if firstBytes[Int(b >> 6)] & (1 << UInt64(b & 63)) == 0 { return false }
        if n <= 8 {
            let w = Self.word(bytes)
            for k in 0..<shortCount where lengths[k] == UInt8(n) && words[k] == w { return true }
        }
        if others.isEmpty { return false }
        for candidate in others where candidate.count == n {
            if candidate.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, n) == 0 }) { return true }
        }
        return false
    }
}
