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
