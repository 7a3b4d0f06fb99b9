/// Base64 as RFC 4648 section 4 spells it (standard alphabet, `=` padding, no line breaks): how
/// CSV and JSON Lines write binary values and how Parquet files store the `ARROW:schema` key.
public enum ArrowBase64 {
    @usableFromInline
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The value of each byte as a base64 digit, 0xFF for bytes that are not one.
    @usableFromInline
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Decodes `text`, handing out each byte; `false` when `text` is not padded base64 (its
    /// length is not a multiple of 4, it holds a byte outside the alphabet, or `=` stands other
    /// than as the last one or two bytes). Bytes handed out before a failure are not taken back.
    @inlinable @inline(__always)
    public static func decode(_ text: UnsafeRawBufferPointer, _ emit: (UInt8) -> Void) -> Bool {
        guard text.count % 4 == 0 else { return false }
        var i = 0
        while i < text.count {
            let last = i + 4 == text.count
            var quad: UInt32 = 0
            var padding = 0
            for k in 0..<4 {
                let c = text[i + k]
                if c == UInt8(ascii: "="), last, k >= 2 {
                    padding += 1
                    quad <<= 6
                    continue
                }
                guard padding == 0 else { return false }
                let v = values[Int(c)]
                guard v != 0xFF else { return false }
                quad = quad << 6 | UInt32(v)
            }
            emit(UInt8(truncatingIfNeeded: quad >> 16))
            if padding < 2 { emit(UInt8(truncatingIfNeeded: quad >> 8)) }
            if padding < 1 { emit(UInt8(truncatingIfNeeded: quad)) }
            i += 4
        }
        return true
    }

    /// The bytes `text` spells, or `nil` when it is not padded base64 (see ``decode(_:_:)``).
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { utf8 in
            var out: [UInt8] = []
            out.reserveCapacity(utf8.count / 4 * 3)
            return decode(UnsafeRawBufferPointer(utf8)) { out.append($0) } ? out : nil
        }
    }

    /// Encodes `bytes`, handing out each byte of the text (padded with `=` to a multiple of 4).
    @inlinable
    public static func encode(_ bytes: UnsafeRawBufferPointer, _ emit: (UInt8) -> Void) {
        var i = 0
        while i < bytes.count {
            let remaining = bytes.count - i
            let b0 = UInt32(bytes[i]), b1 = remaining > 1 ? UInt32(bytes[i + 1]) : 0, b2 = remaining > 2 ? UInt32(bytes[i + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            emit(alphabet[Int(triple >> 18 & 63)])
            emit(alphabet[Int(triple >> 12 & 63)])
            emit(remaining > 1 ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            emit(remaining > 2 ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            i += 3
        }
    }

    /// `bytes` as padded base64 text.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let array = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((array.count + 2) / 3 * 4)
        array.withUnsafeBytes { encode($0) { out.append($0) } }
        return String(decoding: out, as: UTF8.self)
    }
}
