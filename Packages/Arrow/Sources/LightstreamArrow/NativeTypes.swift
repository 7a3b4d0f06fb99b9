/// A fixed-width value type that Arrow stores in a value buffer, and the logical types whose
/// values it can view.
public protocol ArrowNativeType: BitwiseCopyable, Sendable, Equatable {
    /// The logical type a builder of this value type produces by default.
    static var defaultDataType: DataType { get }
    /// Whether arrays of `type` store their values as this type.
    static func canView(_ type: DataType) -> Bool
}

extension ArrowNativeType {
    /// By default, only arrays of ``defaultDataType``.
    public static func canView(_ type: DataType) -> Bool { type == defaultDataType }
}

extension Int8: ArrowNativeType { public static var defaultDataType: DataType { .int8 } }
extension Int16: ArrowNativeType { public static var defaultDataType: DataType { .int16 } }
extension UInt8: ArrowNativeType { public static var defaultDataType: DataType { .uint8 } }
extension UInt16: ArrowNativeType { public static var defaultDataType: DataType { .uint16 } }
extension UInt32: ArrowNativeType { public static var defaultDataType: DataType { .uint32 } }
extension UInt64: ArrowNativeType { public static var defaultDataType: DataType { .uint64 } }
extension Float16: ArrowNativeType { public static var defaultDataType: DataType { .float16 } }
extension Float: ArrowNativeType { public static var defaultDataType: DataType { .float32 } }
extension Double: ArrowNativeType { public static var defaultDataType: DataType { .float64 } }

extension Int32: ArrowNativeType {
    /// `int32`.
    public static var defaultDataType: DataType { .int32 }
    /// int32, date32, time32, decimal32 and year-month intervals.
    public static func canView(_ type: DataType) -> Bool {
        switch type {
        case .int32, .date32, .time32, .decimal32, .interval(.yearMonth): true
        default: false
        }
    }
}

extension Int64: ArrowNativeType {
    /// `int64`.
    public static var defaultDataType: DataType { .int64 }
    /// int64, date64, time64, timestamp, duration and decimal64.
    public static func canView(_ type: DataType) -> Bool {
        switch type {
        case .int64, .date64, .time64, .timestamp, .duration, .decimal64: true
        default: false
        }
    }
}

extension Int128: ArrowNativeType {
    /// `decimal128` with the maximum precision (38) and scale 0.
    public static var defaultDataType: DataType { .decimal128(precision: 38, scale: 0) }
    /// decimal128 of any precision and scale.
    public static func canView(_ type: DataType) -> Bool {
        if case .decimal128 = type { return true }
        return false
    }
}

/// A 256-bit two's complement integer, the storage of `decimal256` values (little-endian words).
public struct Decimal256Storage: ArrowNativeType, Hashable, CustomStringConvertible {
    /// The four 64-bit words, least significant first.
    public var words: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a value from its four 64-bit words, least significant first.
    public init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// Sign-extends a 128-bit value.
    public init(_ value: Int128) {
        let low = UInt64(truncatingIfNeeded: value)
        let high = UInt64(truncatingIfNeeded: value >> 64)
        let fill: UInt64 = value < 0 ? ~0 : 0
        words = (low, high, fill, fill)
    }

    /// `decimal256` with the maximum precision (76) and scale 0.
    public static var defaultDataType: DataType { .decimal256(precision: 76, scale: 0) }
    /// `decimal256` of any precision and scale.
    public static func canView(_ type: DataType) -> Bool {
        if case .decimal256 = type { return true }
        return false
    }
    /// Equal when all four words are equal.
    public static func == (a: Self, b: Self) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }
    /// Hashes all four words.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0); hasher.combine(words.1); hasher.combine(words.2); hasher.combine(words.3)
    }
    /// The value in decimal when it fits in 128 bits, otherwise in hex words.
    public var description: String {
        let fill: UInt64 = Int64(bitPattern: words.1) < 0 ? ~0 : 0
        if words.2 == fill && words.3 == fill {
            return String(Int128(words.1) << 64 | Int128(words.0))
        }
        return "0x" + [words.3, words.2, words.1, words.0].map { String($0, radix: 16) }.joined(separator: "_")
    }
}

/// A day-time interval: days and milliseconds.
public struct DayTimeInterval: ArrowNativeType, Hashable {
    /// Whole days.
    public var days: Int32
    /// Milliseconds in addition to `days`.
    public var milliseconds: Int32
    /// Creates an interval of `days` and `milliseconds`.
    public init(days: Int32, milliseconds: Int32) { self.days = days; self.milliseconds = milliseconds }
    /// `interval(.dayTime)`.
    public static var defaultDataType: DataType { .interval(.dayTime) }
}

/// A month-day-nanosecond interval.
public struct MonthDayNanoInterval: ArrowNativeType, Hashable {
    /// Whole months.
    public var months: Int32
    /// Days in addition to `months`.
    public var days: Int32
    /// Nanoseconds in addition to `months` and `days`.
    public var nanoseconds: Int64
    /// Creates an interval of `months`, `days` and `nanoseconds`.
    public init(months: Int32, days: Int32, nanoseconds: Int64) {
        self.months = months; self.days = days; self.nanoseconds = nanoseconds
    }
    /// `interval(.monthDayNano)`.
    public static var defaultDataType: DataType { .interval(.monthDayNano) }
}
