/// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
/// ASCII runs are checked eight bytes at a time.
@usableFromInline
func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    let n = bytes.count
    while i < n {
        if i + 8 <= n, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
            continue
        }
        let b0 = bytes[i]
        if b0 < 0x80 { i += 1; continue }
        let needed: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: needed = 1
        case 0xE0: needed = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: needed = 2
        case 0xED: needed = 2; high = 0x9F
        case 0xF0: needed = 3; low = 0x90
        case 0xF1...0xF3: needed = 3
        case 0xF4: needed = 3; high = 0x8F
        default: return false
        }
        guard i + needed < n else { return false }
        let b1 = bytes[i + 1]
        guard b1 >= low && b1 <= high else { return false }
        var k = 2
        while k <= needed {
            defer { k += 1 }
            guard bytes[i + k] & 0xC0 == 0x80 else { return false }
        }
        i += needed + 1
    }
    return true
}

extension ArrowText {
    /// Whether every value that `offsets` cut `data` into is well-formed UTF-8: the layout of an
    /// Arrow `utf8` (32-bit offsets) or `large_utf8` (64-bit offsets, `large`) array.
    ///
    /// `offsets` holds `count + 1` little-endian offsets into `data` (4 or 8 bytes each, read
    /// unaligned). The whole of `data` is checked once, then each offset must not land on a
    /// continuation byte, so no character spans two values: one pass over the bytes instead of
    /// one per value. An offset outside `0...data.count` makes the answer `false`.
    public static func isValidUTF8(data: UnsafeRawBufferPointer, offsets: UnsafeRawBufferPointer, count: Int, large: Bool) -> Bool {
        let width = large ? 8 : 4
        precondition(count >= 0 && offsets.count >= (count + 1) * width, "ArrowText.isValidUTF8: offsets hold fewer than count + 1 values")
        guard LightstreamArrow.isValidUTF8(data) else { return false }
        for i in 0...count {
            let offset = large ? Int(Int64(littleEndian: offsets.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
                : Int(Int32(littleEndian: offsets.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
            guard offset >= 0 && offset <= data.count else { return false }
            if offset < data.count && data[offset] & 0xC0 == 0x80 { return false }
        }
        return true
    }
}
