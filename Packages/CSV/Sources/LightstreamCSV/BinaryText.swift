import LightstreamArrow

/// Binary values spelled as text: raw, hexadecimal or base64 (RFC 4648, padded).
enum BinaryText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

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
            return ArrowBase64.decode(text, emit)
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
            ArrowBase64.encode(bytes) { out.append($0) }
        }
    }
}
