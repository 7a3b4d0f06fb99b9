/// Binary values spelled as text: raw, hexadecimal or base64 (RFC 4648, padded).
enum BinaryText {
    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in base64Alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Decodes `text` in `encoding`, handing out each byte; `false` when the text is not valid.
    @inline(__always)
    static func decode(_ text: UnsafeRawBufferPointer, _ encoding: BinaryTextEncoding, _ emit: (UInt8) -> Void) -> Bool {
        switch encoding {
        case .raw:
            for b in text { emit(b) }
            return true
        case .hex:
            guard text.count % 2 == 0 else { return false }
            var i = 0
            while i < text.count {
                guard let hi = TextParsing.hexDigit(text[i]), let lo = TextParsing.hexDigit(text[i + 1]) else { return false }
                emit(hi << 4 | lo)
                i += 2
            }
            return true
        case .base64:
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
                    let v = base64Values[Int(c)]
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
    }

    /// Encodes `bytes` in `encoding` (raw: unchanged) onto `out`.
    static func encode(_ bytes: UnsafeRawBufferPointer, _ encoding: BinaryTextEncoding, into out: inout some TextOutput) {
        switch encoding {
        case .raw:
            out.append(contentsOf: bytes)
        case .hex:
            for b in bytes {
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 15)])
            }
        case .base64:
            var i = 0
            while i < bytes.count {
                let remaining = bytes.count - i
                let b0 = UInt32(bytes[i]), b1 = remaining > 1 ? UInt32(bytes[i + 1]) : 0, b2 = remaining > 2 ? UInt32(bytes[i + 2]) : 0
                let triple = b0 << 16 | b1 << 8 | b2
                out.append(base64Alphabet[Int(triple >> 18 & 63)])
                out.append(base64Alphabet[Int(triple >> 12 & 63)])
                out.append(remaining > 1 ? base64Alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
                out.append(remaining > 2 ? base64Alphabet[Int(triple & 63)] : UInt8(ascii: "="))
                i += 3
            }
        }
    }
}
