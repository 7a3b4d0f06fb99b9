/// The standard CRC-32 (ISO-HDLC, IEEE 802.3): the checksum of gzip members, PNG chunks, zip
/// entries and Parquet page headers.
///
/// The polynomial is 0x04C11DB7 in its reflected form 0xEDB88320; bits are processed least
/// significant first, the register starts at 0xFFFFFFFF and the result is inverted, so the
/// checksum of the nine bytes `"123456789"` is `0xCBF43926`. Bytes are consumed sixteen at a
/// time through sixteen 256-entry tables (slicing-by-16).
///
/// ```swift
/// let whole = CRC32.checksum(bytes)          // one call
/// var crc = CRC32()                           // or piece by piece
/// crc.update(firstHalf)
/// crc.update(secondHalf)
/// assert(crc.value == whole)
/// ```
public struct CRC32: Sendable, Hashable {
    /// The checksum of the bytes given so far (0 for none).
    public private(set) var value: UInt32

    /// A checksum of no bytes yet.
    public init() { value = 0 }

    /// Continues the checksum `value` of earlier bytes (e.g. one read from a file).
    public init(continuing value: UInt32) { self.value = value }

    /// Adds `bytes` to the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        value = Self.update(value, bytes)
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        if let value = bytes.withContiguousStorageIfAvailable({ update(0, UnsafeRawBufferPointer($0)) }) { return value }
        return Array(bytes).withUnsafeBytes { update(0, $0) }
    }

    /// The checksum of the bytes that gave `crc`, followed by `bytes`.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return tables.withUnsafeBufferPointer { t in
            let t = t.baseAddress!
            var c = ~crc
            var p = 0
            let n = bytes.count
            while n - p >= 16 {
                let a = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt32.self)) ^ c
                let b = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p + 4, as: UInt32.self))
                let d = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p + 8, as: UInt32.self))
                let e = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p + 12, as: UInt32.self))
                c = t[15 * 256 + Int(a & 0xFF)] ^ t[14 * 256 + Int((a >> 8) & 0xFF)]
                    ^ t[13 * 256 + Int((a >> 16) & 0xFF)] ^ t[12 * 256 + Int(a >> 24)]
                    ^ t[11 * 256 + Int(b & 0xFF)] ^ t[10 * 256 + Int((b >> 8) & 0xFF)]
                    ^ t[9 * 256 + Int((b >> 16) & 0xFF)] ^ t[8 * 256 + Int(b >> 24)]
                    ^ t[7 * 256 + Int(d & 0xFF)] ^ t[6 * 256 + Int((d >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((d >> 16) & 0xFF)] ^ t[4 * 256 + Int(d >> 24)]
                    ^ t[3 * 256 + Int(e & 0xFF)] ^ t[2 * 256 + Int((e >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((e >> 16) & 0xFF)] ^ t[Int(e >> 24)]
                p += 16
            }
            while p < n {
                c = t[Int((c ^ UInt32(base.load(fromByteOffset: p, as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1
            }
            return ~c
        }
    }

    /// Table k maps a byte to the register change it causes when k more zero bytes follow it.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 16 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
            t[i] = c
        }
        for k in 1..<16 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()
}
