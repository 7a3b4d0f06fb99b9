import LightstreamArrow
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsers of values from raw text bytes, with pyarrow's rules: integers, floats, decimals and
/// dates/times may be padded with spaces or tabs; booleans and timestamps may not. None of them
/// allocates.
enum TextParsing {
    typealias Bytes = UnsafeRawBufferPointer

    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// `bytes` without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ bytes: Bytes) -> Bytes {
        var lo = 0, hi = bytes.count
        while lo < hi && isBlank(bytes[lo]) { lo += 1 }
        while hi > lo && isBlank(bytes[hi - 1]) { hi -= 1 }
        return Bytes(rebasing: bytes[lo..<hi])
    }

    @inline(__always)
    static func digit(_ b: UInt8) -> Int? {
        let d = b &- 0x30
        return d < 10 ? Int(d) : nil
    }

    /// The value of a hexadecimal digit (either case).
    @inline(__always)
    static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }

    // MARK: Integers

    /// A signed or unsigned integer: an optional `-`, then decimal digits, or `0x`/`0X` and up to
    /// 16 hexadecimal digits (the bit pattern, as pyarrow reads it). Returns the sign and magnitude.
    @inline(__always)
    static func integer(_ raw: Bytes) -> (negative: Bool, magnitude: UInt64, hex: Bool)? {
        let bytes = trimmed(raw)
        let n = bytes.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        guard i < n else { return nil }
        if !negative, n > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] | 0x20 == UInt8(ascii: "x") {
            guard n - 2 <= 16 else { return nil }
            var value: UInt64 = 0
            for k in 2..<n {
                guard let d = hexDigit(bytes[k]) else { return nil }
                value = value << 4 | UInt64(d)
            }
            return (false, value, true)
        }
        var value: UInt64 = 0
        while i < n {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            value = s
            i += 1
        }
        return (negative, value, false)
    }

    /// An `Int64`, or `nil` when the text is not one or does not fit.
    @inline(__always)
    static func int64(_ bytes: Bytes) -> Int64? {
        guard let (negative, magnitude, hex) = integer(bytes) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        if hex { return Int64(bitPattern: magnitude) }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// An integer of type `T`, range-checked.
    @inline(__always)
    static func fixedWidth<T: FixedWidthInteger>(_ bytes: Bytes, as: T.Type) -> T? {
        guard let (negative, magnitude, hex) = integer(bytes) else { return nil }
        if hex { return T(exactly: magnitude) ?? (T.isSigned && T.bitWidth == 64 ? T(truncatingIfNeeded: magnitude) : nil) }
        if negative {
            guard T.isSigned, magnitude <= UInt64(T.max) + 1 else { return magnitude == 0 ? 0 : nil }
            return T(truncatingIfNeeded: 0 &- magnitude)
        }
        return T(exactly: magnitude)
    }

    // MARK: Floating point

    private static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A `Double`: `[+-]digits[.digits][(e|E)[+-]digits]`, `.5`, `5.`, `inf`, `infinity` and
    /// `nan` in any case. Correctly rounded (Clinger's fast path, else `strtod`).
    static func double(_ raw: Bytes) -> Double? {
        let bytes = trimmed(raw)
        let n = bytes.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { negative = bytes[0] == UInt8(ascii: "-"); i = 1 }
        guard i < n else { return nil }
        if let special = specialFloat(Bytes(rebasing: bytes[i...])) { return negative ? -special : special }
        var mantissa: UInt64 = 0
        var significant = 0          // digits folded into the mantissa
        var dropped = false          // digits beyond 19 (the fast path no longer applies)
        var exponent = 0
        var digits = 0
        while i < n, let d = digit(bytes[i]) {
            if significant < 19 { if mantissa != 0 || d != 0 { significant += 1 }; mantissa = mantissa * 10 + UInt64(d) } else { exponent += 1; dropped = dropped || d != 0 }
            digits += 1; i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, let d = digit(bytes[i]) {
                if significant < 19 { if mantissa != 0 || d != 0 { significant += 1 }; mantissa = mantissa * 10 + UInt64(d); exponent -= 1 } else { dropped = dropped || d != 0 }
                digits += 1; i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { expNegative = bytes[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0, expDigits = 0
            while i < n, let d = digit(bytes[i]) { if e < 100_000 { e = e * 10 + d }; expDigits += 1; i += 1 }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        if !dropped && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / exactPowers[-exponent] : value * exactPowers[exponent]
            return negative ? -value : value
        }
        if mantissa == 0 && !dropped { return negative ? -0.0 : 0.0 }
        return slowDouble(bytes)
    }

    /// A `Float`, correctly rounded from the text (not through a `Double`, which could round
    /// twice).
    static func float(_ raw: Bytes) -> Float? {
        guard let wide = double(raw) else { return nil }
        if !wide.isFinite || wide == 0 { return Float(wide) }
        let bytes = trimmed(raw)
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text in
            for k in 0..<bytes.count { text[k] = CChar(bitPattern: bytes[k]) }
            text[bytes.count] = 0
            return strtof(text.baseAddress!, nil)
        }
    }

    private static func specialFloat(_ bytes: Bytes) -> Double? {
        func matches(_ word: StaticString) -> Bool {
            guard bytes.count == word.utf8CodeUnitCount else { return false }
            for k in 0..<bytes.count where bytes[k] | 0x20 != word.utf8Start[k] { return false }
            return true
        }
        if matches("inf") || matches("infinity") { return .infinity }
        if matches("nan") { return .nan }
        return nil
    }

    /// `strtod` on a NUL-terminated copy (the syntax is already checked).
    private static func slowDouble(_ bytes: Bytes) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text in
            for k in 0..<bytes.count { text[k] = CChar(bitPattern: bytes[k]) }
            text[bytes.count] = 0
            return strtod(text.baseAddress!, nil)
        }
    }

    // MARK: Decimals

    /// A decimal with `scale` digits after the point as an unscaled 256-bit integer (four
    /// little-endian 64-bit words), or `nil` when the text is not a number, has more than
    /// `precision` digits, or would lose non-zero digits.
    static func decimal(_ raw: Bytes, precision: Int, scale: Int) -> (UInt64, UInt64, UInt64, UInt64)? {
        let bytes = trimmed(raw)
        let n = bytes.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { negative = bytes[0] == UInt8(ascii: "-"); i = 1 }
        var digitStart = i
        var integerDigits: [Int] = []
        var fractionDigits: [Int] = []
        while i < n, let d = digit(bytes[i]) { integerDigits.append(d); i += 1 }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, let d = digit(bytes[i]) { fractionDigits.append(d); i += 1 }
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else { return nil }
        var exponent = 0
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { expNegative = bytes[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0, expDigits = 0
            while i < n, let d = digit(bytes[i]) { if e < 10_000 { e = e * 10 + d }; expDigits += 1; i += 1 }
            guard expDigits > 0 else { return nil }
            exponent = expNegative ? -e : e
        }
        guard i == n else { return nil }
        digitStart = 0
        // All digits, and where the point falls after applying the exponent and the scale.
        var all = integerDigits + fractionDigits
        let pointShift = fractionDigits.count - exponent - scale   // digits to drop (>0) or zeros to add (<0)
        if pointShift > 0 {
            guard pointShift <= all.count else { return all.allSatisfy { $0 == 0 } ? (0, 0, 0, 0) : nil }
            guard all.suffix(pointShift).allSatisfy({ $0 == 0 }) else { return nil }
            all.removeLast(pointShift)
        } else if pointShift < 0 {
            guard -pointShift <= 80 else { return nil }
            all.append(contentsOf: repeatElement(0, count: -pointShift))
        }
        while digitStart < all.count - 1, all[digitStart] == 0 { digitStart += 1 }
        let significant = all.count - digitStart
        guard significant <= precision || all.allSatisfy({ $0 == 0 }) else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for d in all[digitStart...] { words = multiplyAdd(words, 10, UInt64(d)) }
        return negative ? negate(words) : words
    }

    static func multiplyAdd(_ w: (UInt64, UInt64, UInt64, UInt64), _ m: UInt64, _ a: UInt64) -> (UInt64, UInt64, UInt64, UInt64) {
        var carry = a
        var out = [w.0, w.1, w.2, w.3]
        for k in 0..<4 {
            let (hi, lo) = out[k].multipliedFullWidth(by: m)
            let (sum, overflow) = lo.addingReportingOverflow(carry)
            out[k] = sum
            carry = hi &+ (overflow ? 1 : 0)
        }
        return (out[0], out[1], out[2], out[3])
    }

    static func negate(_ w: (UInt64, UInt64, UInt64, UInt64)) -> (UInt64, UInt64, UInt64, UInt64) {
        var out = [~w.0, ~w.1, ~w.2, ~w.3]
        var carry: UInt64 = 1
        for k in 0..<4 {
            let (sum, overflow) = out[k].addingReportingOverflow(carry)
            out[k] = sum
            carry = overflow ? 1 : 0
        }
        return (out[0], out[1], out[2], out[3])
    }

    // MARK: Dates and times

    /// Exactly `count` decimal digits at `at`.
    @inline(__always)
    static func fixedDigits(_ bytes: Bytes, _ at: Int, _ count: Int) -> Int? {
        guard at + count <= bytes.count else { return nil }
        var value = 0
        for k in at..<(at + count) {
            guard let d = digit(bytes[k]) else { return nil }
            value = value * 10 + d
        }
        return value
    }

    /// `YYYY-MM-DD` at the start of `bytes`, as days since 1970-01-01.
    @inline(__always)
    static func datePrefix(_ bytes: Bytes) -> Int? {
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = fixedDigits(bytes, 0, 4), let month = fixedDigits(bytes, 5, 2), let day = fixedDigits(bytes, 8, 2),
              ArrowCalendar.isValid(year: year, month: month, day: day)
        else { return nil }
        return ArrowCalendar.daysSinceEpoch(year: year, month: month, day: day)
    }

    /// A date `YYYY-MM-DD` (spaces and tabs around allowed), as days since 1970-01-01.
    static func date(_ raw: Bytes) -> Int? {
        let bytes = trimmed(raw)
        guard bytes.count == 10 else { return nil }
        return datePrefix(bytes)
    }

    /// The number of units of `unit` in a second, and the digits of a fraction it holds.
    @inline(__always)
    static func scale(_ unit: TimeUnit) -> (perSecond: Int64, digits: Int) {
        switch unit {
        case .second: (1, 0)
        case .millisecond: (1000, 3)
        case .microsecond: (1_000_000, 6)
        case .nanosecond: (1_000_000_000, 9)
        }
    }

    /// `hh:mm[:ss[.f]]` at `at`, ending at `bytes.count`/`end`: the time of day in `unit`, where
    /// the fraction may have at most as many digits as the unit holds. Returns the value and the
    /// index after it.
    static func timeOfDay(_ bytes: Bytes, at start: Int, unit: TimeUnit, allowHourOnly: Bool) -> (value: Int64, end: Int)? {
        var i = start
        guard let hour = fixedDigits(bytes, i, 2), hour < 24 else { return nil }
        i += 2
        var minute = 0, second = 0
        var fraction: Int64 = 0
        let (perSecond, unitDigits) = scale(unit)
        if i < bytes.count && bytes[i] == UInt8(ascii: ":") {
            guard let m = fixedDigits(bytes, i + 1, 2), m < 60 else { return nil }
            minute = m
            i += 3
            if i < bytes.count && bytes[i] == UInt8(ascii: ":") {
                guard let s = fixedDigits(bytes, i + 1, 2), s < 60 else { return nil }
                second = s
                i += 3
                if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
                    i += 1
                    var digits = 0
                    while i < bytes.count, let d = digit(bytes[i]) {
                        digits += 1
                        guard digits <= unitDigits else { return nil }
                        fraction = fraction * 10 + Int64(d)
                        i += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in digits..<unitDigits { fraction *= 10 }
                }
            }
        } else if !allowHourOnly {
            return nil
        }
        let seconds = Int64(hour * 3600 + minute * 60 + second)
        return (seconds * perSecond + fraction, i)
    }

    /// A time of day `hh:mm[:ss[.f]]` (spaces and tabs around allowed) in `unit`.
    static func time(_ raw: Bytes, unit: TimeUnit) -> Int64? {
        let bytes = trimmed(raw)
        guard let (value, end) = timeOfDay(bytes, at: 0, unit: unit, allowHourOnly: false), end == bytes.count else { return nil }
        return value
    }

    /// An ISO 8601 timestamp, `YYYY-MM-DD[(T| )hh[:mm[:ss[.f]]]][Z|±hh[[:]mm]]`, in `unit`
    /// since the epoch (UTC when a zone is given), and whether a zone was given.
    static func timestamp(_ bytes: Bytes, unit: TimeUnit) -> (value: Int64, zoned: Bool)? {
        guard let days = datePrefix(bytes) else { return nil }
        let (perSecond, _) = scale(unit)
        var i = 10
        var timeValue: Int64 = 0
        let n = bytes.count
        if i < n && (bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: " ")) {
            guard let (value, end) = timeOfDay(bytes, at: i + 1, unit: unit, allowHourOnly: true) else { return nil }
            timeValue = value
            i = end
        }
        var offsetSeconds: Int64 = 0
        var zoned = false
        if i < n {
            if bytes[i] == UInt8(ascii: "Z") {
                zoned = true
                i += 1
            } else if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                let sign: Int64 = bytes[i] == UInt8(ascii: "-") ? -1 : 1
                guard let hours = fixedDigits(bytes, i + 1, 2), hours < 24 else { return nil }
                i += 3
                var minutes = 0
                if i < n {
                    if bytes[i] == UInt8(ascii: ":") { i += 1 }
                    guard let m = fixedDigits(bytes, i, 2), m < 60 else { return nil }
                    minutes = m
                    i += 2
                }
                offsetSeconds = sign * Int64(hours * 3600 + minutes * 60)
                zoned = true
            }
        }
        guard i == n else { return nil }
        let (daysPart, o1) = Int64(days).multipliedReportingOverflow(by: 86_400 * perSecond)
        guard !o1 else { return nil }
        let (withTime, o2) = daysPart.addingReportingOverflow(timeValue)
        let (utc, o3) = withTime.subtractingReportingOverflow(offsetSeconds * perSecond)
        guard !o2 && !o3 else { return nil }
        return (utc, zoned)
    }
}
