import LightstreamArrow
import Vec64

/// Dense values converted from their Parquet physical form to the Arrow leaf type's layout.
struct DenseArrowValues: Sendable {
    enum Storage: Sendable {
        /// `byteWidth` bytes per value.
        case fixed(Buffer, byteWidth: Int)
        /// Bits, LSB first.
        case bits(Buffer)
        /// Offsets (32- or 64-bit, `count + 1` of them) and data.
        case variable(offsets: Buffer, data: Buffer, large: Bool)
        /// No buffers (the null type).
        case none
    }

    var storage: Storage
    var count: Int
}

/// Converts physical values to Arrow layouts: narrowing integers, INT96 to nanoseconds,
/// big-endian decimals to little-endian, UTF-8 checked.
enum PhysicalConversion {
    static func convert(_ borrowedValues: ValueBuffer, physical: ParquetPhysicalType, to type: DataType) throws(ParquetError) -> DenseArrowValues {
        let count = borrowedValues.count
        if case .fixed(let width) = borrowedValues.kind, type.byteWidth == width, physical != .int96,
           !type.isDecimal {
            // Same bytes in Arrow: hand over the file's memory when it was borrowed.
            return DenseArrowValues(storage: .fixed(borrowedValues.fixedBytes(), byteWidth: width), count: count)
        }
        let values = borrowedValues.materialized()
        switch (values.kind, type) {
        case (_, .null):
            return DenseArrowValues(storage: .none, count: count)
        case (.boolean, .boolean):
            return DenseArrowValues(storage: .bits(values.data.freeze()), count: count)
        case (.fixed(let width), .int8), (.fixed(let width), .uint8):
            guard width == 4 else { break }
            return DenseArrowValues(storage: .fixed(narrow(values.data, count, to: UInt8.self), byteWidth: 1), count: count)
        case (.fixed(let width), .int16), (.fixed(let width), .uint16):
            guard width == 4 else { break }
            return DenseArrowValues(storage: .fixed(narrow(values.data, count, to: UInt16.self), byteWidth: 2), count: count)
        case (.fixed(12), .timestamp(.nanosecond, _)) where physical == .int96:
            return DenseArrowValues(storage: .fixed(int96ToNanoseconds(values.data, count), byteWidth: 8), count: count)
        case (.fixed(let width), .decimal128), (.fixed(let width), .decimal256):
            let target = type.byteWidth ?? 16
            if physical == .int32 || physical == .int64 {
                return DenseArrowValues(storage: .fixed(signExtend(values.data, count, from: width, to: target), byteWidth: target), count: count)
            }
            return DenseArrowValues(storage: .fixed(try bigEndianDecimals(values.data, count, width: width, to: target), byteWidth: target), count: count)
        case (.byteArray(let large), .decimal128), (.byteArray(let large), .decimal256):
            let target = type.byteWidth ?? 16
            return DenseArrowValues(storage: .fixed(try variableDecimals(values, large: large, to: target), byteWidth: target), count: count)
        case (.fixed(let width), _):
            guard let arrowWidth = type.byteWidth, arrowWidth == width else { break }
            return DenseArrowValues(storage: .fixed(values.data.freeze(), byteWidth: width), count: count)
        case (.byteArray(let large), .utf8), (.byteArray(let large), .largeUtf8),
             (.byteArray(let large), .binary), (.byteArray(let large), .largeBinary):
            let offsets = large ? values.offsets64.freeze() : values.offsets32.freeze()
            let data = values.data.freeze()
            if case .utf8 = type { try checkUTF8(offsets: offsets, data: data, count: count, large: large) }
            if case .largeUtf8 = type { try checkUTF8(offsets: offsets, data: data, count: count, large: large) }
            return DenseArrowValues(storage: .variable(offsets: offsets, data: data, large: large), count: count)
        default:
            break
        }
        throw ParquetError(.unsupported("reading \(physical) values as \(type)"))
    }

    private static func narrow<T: FixedWidthInteger & BitwiseCopyable>(_ data: Vec64<UInt8>, _ count: Int, to: T.Type) -> Buffer {
        var out = Vec64<T>()
        data.withUnsafeBufferPointer { raw in
            let source = UnsafeRawPointer(raw.baseAddress!).assumingMemoryBound(to: Int32.self)
            out.appendUninitialized(count: count) { target in
                for i in 0..<count { target[i] = T(truncatingIfNeeded: source[i]) }
            }
        }
        return out.freeze()
    }

    /// INT96 timestamps: 8 bytes of nanoseconds in the day, then 4 bytes of Julian day (unsigned,
    /// wrapping on overflow exactly as Arrow C++ computes it).
    private static func int96ToNanoseconds(_ data: Vec64<UInt8>, _ count: Int) -> Buffer {
        var out = Vec64<Int64>()
        data.withUnsafeBufferPointer { raw in
            let base = UnsafeRawPointer(raw.baseAddress!)
            out.appendUninitialized(count: count) { target in
                for i in 0..<count {
                    let nanos = Int64(littleEndian: base.loadUnaligned(fromByteOffset: i * 12, as: Int64.self))
                    let julian = Int64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self)))
                    target[i] = (julian &- 2_440_588) &* 86_400_000_000_000 &+ nanos
                }
            }
        }
        return out.freeze()
    }

    private static func signExtend(_ data: Vec64<UInt8>, _ count: Int, from width: Int, to target: Int) -> Buffer {
        var out = Vec64<UInt8>()
        data.withUnsafeBufferPointer { raw in
            let base = UnsafeRawPointer(raw.baseAddress!)
            out.appendUninitialized(count: count * target) { t in
                let out = UnsafeMutableRawPointer(t.baseAddress!)
                for i in 0..<count {
                    let value = width == 4 ? Int64(Int32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
                        : Int64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))
                    let fill: UInt64 = value < 0 ? ~0 : 0
                    out.storeBytes(of: UInt64(bitPattern: value).littleEndian, toByteOffset: i * target, as: UInt64.self)
                    var k = 8
                    while k < target { out.storeBytes(of: fill, toByteOffset: i * target + k, as: UInt64.self); k += 8 }
                }
            }
        }
        return out.freeze()
    }

    /// Writes one big-endian two's complement integer of `length` bytes as `target` little-endian bytes.
    private static func storeBigEndian(_ source: UnsafeRawPointer, length: Int, into out: UnsafeMutableRawPointer, target: Int) throws(ParquetError) {
        guard length <= target else {
            // Leading bytes beyond the target must be pure sign extension.
            let negative = length > 0 && source.load(fromByteOffset: 0, as: UInt8.self) & 0x80 != 0
            let fill: UInt8 = negative ? 0xFF : 0
            for k in 0..<(length - target) where source.load(fromByteOffset: k, as: UInt8.self) != fill {
                throw ParquetError(.corruptPage("decimal of \(length) bytes does not fit \(target)"))
            }
            try storeBigEndian(source + (length - target), length: target, into: out, target: target)
            return
        }
        let negative = length > 0 && source.load(fromByteOffset: 0, as: UInt8.self) & 0x80 != 0
        for k in 0..<length { out.storeBytes(of: source.load(fromByteOffset: length - 1 - k, as: UInt8.self), toByteOffset: k, as: UInt8.self) }
        let fill: UInt8 = negative ? 0xFF : 0
        for k in length..<target { out.storeBytes(of: fill, toByteOffset: k, as: UInt8.self) }
    }

    private static func bigEndianDecimals(_ data: Vec64<UInt8>, _ count: Int, width: Int, to target: Int) throws(ParquetError) -> Buffer {
        var out = Vec64<UInt8>(zeroedCount: count * target)
        try data.withUnsafeBufferPointer { (raw) throws(ParquetError) in
            try out.withUnsafeMutableBufferPointer { (t) throws(ParquetError) in
                for i in 0..<count {
                    try storeBigEndian(UnsafeRawPointer(raw.baseAddress!) + i * width, length: width,
                                       into: UnsafeMutableRawPointer(t.baseAddress!) + i * target, target: target)
                }
            }
        }
        return out.freeze()
    }

    private static func variableDecimals(_ values: ValueBuffer, large: Bool, to target: Int) throws(ParquetError) -> Buffer {
        let count = values.count
        var out = Vec64<UInt8>(zeroedCount: count * target)
        try values.data.withUnsafeBufferPointer { (raw) throws(ParquetError) in
            try out.withUnsafeMutableBufferPointer { (t) throws(ParquetError) in
                for i in 0..<count {
                    let start = large ? Int(values.offsets64[i]) : Int(values.offsets32[i])
                    let end = large ? Int(values.offsets64[i + 1]) : Int(values.offsets32[i + 1])
                    guard let base = raw.baseAddress else { continue }
                    try storeBigEndian(UnsafeRawPointer(base) + start, length: end - start,
                                       into: UnsafeMutableRawPointer(t.baseAddress!) + i * target, target: target)
                }
            }
        }
        return out.freeze()
    }

    /// Checks that the data is UTF-8 and that no value boundary splits a character.
    static func checkUTF8(offsets: Buffer, data: Buffer, count: Int, large: Bool) throws(ParquetError) {
        let valid = data.withUnsafeBytes { bytes in
            offsets.withUnsafeBytes { o in ArrowText.isValidUTF8(data: bytes, offsets: o, count: count, large: large) }
        }
        guard valid else { throw ParquetError(.corruptPage("string column holds invalid UTF-8")) }
    }
}

extension DataType {
    /// Whether this is a decimal of any width.
    var isDecimal: Bool {
        switch self {
        case .decimal32, .decimal64, .decimal128, .decimal256: true
        default: false
        }
    }
}
