/// Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01 (the epoch of Arrow's
/// dates and timestamps), for readers and writers of text formats (Howard Hinnant's algorithms).
public enum ArrowCalendar {
    /// The number of days from 1970-01-01 to `year-month-day` (negative before it). The caller
    /// checks the date with ``isValid(year:month:day:)``.
    @inlinable
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    @inlinable
    public static func date(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Whether `year-month-day` is a real date (leap years included).
    @inlinable
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard month >= 1 && month <= 12 && day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
            (31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
        let length = withUnsafeBytes(of: lengths) { $0.load(fromByteOffset: (month - 1) * MemoryLayout<Int>.stride, as: Int.self) }
        return day <= length
    }
}

/// Checks and spellings of text, for readers and writers of text formats.
public enum ArrowText {
    /// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
    @inlinable
    public static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        LightstreamArrow.isValidUTF8(bytes)
    }
}
