import LightstreamFraming
import Vec64

/// A Swift type that travels as the value of a TLV frame.
public protocol TLVValue: Sendable {
    /// Decodes a value; throws ``FramingError`` (kind `.malformed`) when the bytes are not one.
    static func decodeTLV(_ value: Buffer) throws(FramingError) -> Self
    /// The value's bytes.
    func encodeTLV() -> Buffer
}

extension Buffer: TLVValue {
    /// The value's bytes as they are, without a copy.
    public static func decodeTLV(_ value: Buffer) throws(FramingError) -> Buffer { value }
    /// The buffer itself.
    public func encodeTLV() -> Buffer { self }
}

extension String: TLVValue {
    /// UTF-8 text; invalid UTF-8 is an error.
    public static func decodeTLV(_ value: Buffer) throws(FramingError) -> String {
        guard let text = value.withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
            throw FramingError(.malformed("TLV value is not valid UTF-8"), at: 0)
        }
        return text
    }

    /// The UTF-8 bytes.
    public func encodeTLV() -> Buffer { Buffer(copying: Array(utf8)) }
}

extension Array: TLVValue where Element == UInt8 {
    /// The value's bytes, copied.
    public static func decodeTLV(_ value: Buffer) throws(FramingError) -> [UInt8] { value.array }
    /// The bytes, copied into a buffer.
    public func encodeTLV() -> Buffer { Buffer(copying: self) }
}

/// Fixed-width numbers travel little-endian in exactly their size, whatever the machine's order.
public protocol TLVFixedWidthValue: TLVValue, BitwiseCopyable {
    /// The value with its bytes swapped when the machine is big-endian (its little-endian bytes in
    /// memory order); applying it twice gives the value back.
    var littleEndianBytes: Self { get }
}

extension TLVFixedWidthValue {
    /// Loads the value from exactly `MemoryLayout<Self>.size` little-endian bytes; any other size
    /// is malformed.
    public static func decodeTLV(_ value: Buffer) throws(FramingError) -> Self {
        guard value.count == MemoryLayout<Self>.size else {
            throw FramingError(.malformed("TLV value of \(value.count) bytes is not a \(MemoryLayout<Self>.size)-byte \(Self.self)"), at: 0)
        }
        return value.load(Self.self, fromByteOffset: 0).littleEndianBytes
    }

    /// The value's little-endian bytes.
    public func encodeTLV() -> Buffer {
        withUnsafeBytes(of: littleEndianBytes) { Buffer(copying: $0) }
    }
}

extension TLVFixedWidthValue where Self: FixedWidthInteger {
    /// The integer in little-endian byte order.
    public var littleEndianBytes: Self { littleEndian }
}

extension Float {
    /// The float's bit pattern in little-endian byte order.
    public var littleEndianBytes: Float { Float(bitPattern: bitPattern.littleEndian) }
}

extension Double {
    /// The double's bit pattern in little-endian byte order.
    public var littleEndianBytes: Double { Double(bitPattern: bitPattern.littleEndian) }
}

extension UInt8: TLVFixedWidthValue {}
extension UInt16: TLVFixedWidthValue {}
extension UInt32: TLVFixedWidthValue {}
extension UInt64: TLVFixedWidthValue {}
extension Int8: TLVFixedWidthValue {}
extension Int16: TLVFixedWidthValue {}
extension Int32: TLVFixedWidthValue {}
extension Int64: TLVFixedWidthValue {}
extension Float: TLVFixedWidthValue {}
extension Double: TLVFixedWidthValue {}
