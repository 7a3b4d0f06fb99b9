import LightstreamArrow
import Vec64

/// Renders values as text bytes without a `String` per value: integers, dates, times,
/// timestamps and decimals digit by digit; floating point through the standard library's
/// shortest round-trip form (`1.0`, `0.1`, `1e-05`, `inf`, `nan`).
enum TextFormatting {
    @inline(__always)
    static func appendInteger(_ value: Int64, into out: inout some TextOutput) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendUnsigned(value.magnitude, into: &out)
        } else {
            appendUnsigned(UInt64(value), into: &out)
        }
    }

    @inline(__always)
    static func appendUnsigned(_ value: UInt64, into out: inout some TextOutput) {
        if value < 10 { out.append(UInt8(truncatingIfNeeded: value) + 0x30); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes, enough for 20 digits
        var v = value
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while v > 0 {
                buffer[23 - n] = UInt8(truncatingIfNeeded: v % 10) + 0x30
                v /= 10
                n += 1
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - n)...]))
        }
    }

    /// `value` as `width` digits, zero-padded.
    @inline(__always)
    static func appendPadded(_ value: Int, width: Int, into out: inout some TextOutput) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        if v >= divisor * 10 { appendInteger(Int64(v), into: &out); return }
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: v / divisor) + 0x30)
            v %= divisor
            divisor /= 10
        }
    }

    static func appendDouble(_ value: Double, into out: inout some TextOutput) {
        var text = value.description
        text.withUTF8 { out.append(contentsOf: UnsafeRawBufferPointer($0)) }
    }

    static func appendFloat(_ value: Float, into out: inout some TextOutput) {
        var text = value.description
        text.withUTF8 { out.append(contentsOf: UnsafeRawBufferPointer($0)) }
    }

    /// `YYYY-MM-DD` (a year past 9999 or before 0 is written with its sign and all its digits).
    static func appendDate(daysSinceEpoch days: Int, into out: inout some TextOutput) {
        let (year, month, day) = ArrowCalendar.date(daysSinceEpoch: days)
        if year < 0 { out.append(UInt8(ascii: "-")) }
        appendPadded(abs(year), width: 4, into: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(month, width: 2, into: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(day, width: 2, into: &out)
    }

    /// `hh:mm:ss` and, for units below a second, a fraction of the unit's digits.
    static func appendTimeOfDay(_ value: Int64, unit: TimeUnit, into out: inout some TextOutput) {
        let (perSecond, digits) = TextParsing.scale(unit)
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 { fraction += perSecond; seconds -= 1 }
        appendPadded(Int(seconds / 3600), width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(Int(seconds / 60 % 60), width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(Int(seconds % 60), width: 2, into: &out)
        if digits > 0 {
            out.append(UInt8(ascii: "."))
            appendPadded(Int(fraction), width: digits, into: &out)
        }
    }

    /// `YYYY-MM-DD hh:mm:ss[.f]`, with `Z` after it when the timestamp has a zone (the instant
    /// is written in UTC, whatever the zone's name).
    static func appendTimestamp(_ value: Int64, unit: TimeUnit, zoned: Bool, separator: UInt8 = UInt8(ascii: " "), into out: inout some TextOutput) {
        let (perSecond, _) = TextParsing.scale(unit)
        let perDay = perSecond * 86_400
        var days = value / perDay
        var rest = value % perDay
        if rest < 0 { rest += perDay; days -= 1 }
        appendDate(daysSinceEpoch: Int(days), into: &out)
        out.append(separator)
        appendTimeOfDay(rest, unit: unit, into: &out)
        if zoned { out.append(UInt8(ascii: "Z")) }
    }

    /// A decimal from its two's-complement little-endian words with `scale` digits after the point.
    static func appendDecimal(words: [UInt64], scale: Int, into out: inout some TextOutput) {
        var magnitude = words
        let negative = (words.last ?? 0) >> 63 == 1
        if negative {
            var carry: UInt64 = 1
            for k in magnitude.indices {
                let (sum, overflow) = (~magnitude[k]).addingReportingOverflow(carry)
                magnitude[k] = sum
                carry = overflow ? 1 : 0
            }
        }
        // Divide by 10^19 repeatedly; collect the digit groups.
        var groups: [UInt64] = []
        let chunk: UInt64 = 10_000_000_000_000_000_000
        while magnitude.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for k in magnitude.indices.reversed() {
                let (q, r) = chunk.dividingFullWidth((remainder, magnitude[k]))
                magnitude[k] = q
                remainder = r
            }
            groups.append(remainder)
        }
        var digits: [UInt8] = []
        for (k, group) in groups.reversed().enumerated() {
            var text: [UInt8] = []
            appendUnsigned(group, into: &text)
            if k > 0 { digits.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 19 - text.count)) }
            digits.append(contentsOf: text)
        }
        if digits.isEmpty { digits = [UInt8(ascii: "0")] }
        if negative { out.append(UInt8(ascii: "-")) }
        if scale <= 0 {
            out.append(bytes: digits)
            out.append(repeating: UInt8(ascii: "0"), count: -scale)
            return
        }
        if digits.count <= scale { digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale - digits.count + 1), at: 0) }
        out.append(bytes: Array(digits[..<(digits.count - scale)]))
        out.append(UInt8(ascii: "."))
        out.append(bytes: Array(digits[(digits.count - scale)...]))
    }

    /// The words of decimal slot `i` (already offset) of `values` with `byteWidth` bytes per value.
    static func decimalWords(_ values: Buffer, slot i: Int, byteWidth: Int) -> [UInt64] {
        switch byteWidth {
        case 4: let v = Int64(values.load(Int32.self, at: i)); return [UInt64(bitPattern: v)]
        case 8: return [values.load(UInt64.self, at: i)]
        default:
            let words = byteWidth / 8
            return (0..<words).map { values.load(UInt64.self, at: i * words + $0) }
        }
    }
}
