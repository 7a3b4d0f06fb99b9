/// The 32-bit xxHash checksum (XXH32), as used by the LZ4 frame format for its header,
/// block and content checksums.
///
/// ```swift
/// let digest = [UInt8]("abc".utf8).withUnsafeBytes { XXHash32.hash($0) }
/// ```
public enum XXHash32 {
    static var prime1: UInt32 { 2_654_435_761 }
    static var prime2: UInt32 { 2_246_822_519 }
    static var prime3: UInt32 { 3_266_489_917 }
    static var prime4: UInt32 { 668_265_263 }
    static var prime5: UInt32 { 374_761_393 }

    /// The XXH32 digest of `bytes` with `seed`.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        let count = bytes.count
        guard let base = bytes.baseAddress, count > 0 else { return finish(seed &+ prime5, length: 0) }
        var position = 0
        var h: UInt32
        if count >= 16 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            let stripesEnd = count - 16
            while position <= stripesEnd {
                v1 = round(v1, lane(base, position))
                v2 = round(v2, lane(base, position + 4))
                v3 = round(v3, lane(base, position + 8))
                v4 = round(v4, lane(base, position + 12))
                position += 16
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
        } else {
            h = seed &+ prime5
        }
        h = h &+ UInt32(truncatingIfNeeded: count)
        while position + 4 <= count {
            h = rotl(h &+ lane(base, position) &* prime3, 17) &* prime4
            position += 4
        }
        while position < count {
            let byte = UInt32(base.load(fromByteOffset: position, as: UInt8.self))
            h = rotl(h &+ byte &* prime5, 11) &* prime1
            position += 1
        }
        return avalanche(h)
    }

    /// The XXH32 digest of `bytes` with `seed`.
    public static func hash(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    @inline(__always)
    static func lane(_ base: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    static func round(_ accumulator: UInt32, _ input: UInt32) -> UInt32 {
        rotl(accumulator &+ input &* prime2, 13) &* prime1
    }

    @inline(__always)
    static func finish(_ h: UInt32, length: Int) -> UInt32 {
        avalanche(h &+ UInt32(truncatingIfNeeded: length))
    }

    @inline(__always)
    static func rotl(_ value: UInt32, _ bits: UInt32) -> UInt32 {
        (value << bits) | (value >> (32 - bits))
    }

    @inline(__always)
    static func avalanche(_ value: UInt32) -> UInt32 {
        var h = value
        h ^= h >> 15
        h = h &* prime2
        h ^= h >> 13
        h = h &* prime3
        h ^= h >> 16
        return h
    }
}
