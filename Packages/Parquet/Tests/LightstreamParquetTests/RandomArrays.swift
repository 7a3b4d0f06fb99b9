import LightstreamArrow
import Vec64

/// Random Arrow arrays of any type Parquet can hold, for the writer's round trips: values that
/// fit their logical ranges (decimals within precision, times within a day), nulls where the
/// field is nullable, lists of 0...4 elements, strings from a small vocabulary (so dictionaries
/// hit) mixed with unique ones.
struct RandomArrays {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    /// A validity buffer with about `rate` nulls, or nil.
    mutating func validity(_ length: Int, nullable: Bool, rate: Double = 0.15) -> Buffer? {
        guard nullable, length > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: (length + 7) / 8)
        for i in 0..<length where !chance(rate) { bytes[i >> 3] |= 1 << UInt8(i & 7) }
        return Buffer(copying: bytes)
    }

    mutating func fixed<T: BitwiseCopyable>(_ length: Int, _ make: (inout SplitMix64) -> T) -> Buffer {
        var values = Vec64<T>(minimumCapacity: length)
        for _ in 0..<length { values.append(make(&rng)) }
        return values.freeze()
    }

    static let words = ["alpha", "beta", "gamma", "", "delta", "épsilon", "zeta-long-word-for-the-dictionary"]

    mutating func bytesValue(text: Bool) -> [UInt8] {
        if chance(0.7) { return Array(Self.words[int(0..<Self.words.count)].utf8) }
        let n = int(0..<40)
        if text { return Array(String((0..<n).map { _ in Character(UnicodeScalar(UInt8(int(97..<123)))) }).utf8) }
        return (0..<n).map { _ in UInt8(int(0..<256)) }
    }

    /// An array of `type` with `length` slots.
    mutating func array(_ type: DataType, length: Int, nullable: Bool) -> ArrayData {
        let validity = self.validity(length, nullable: nullable)
        switch type {
        case .null:
            return ArrayData(type: .null, length: length)
        case .boolean:
            var bits = [UInt8](repeating: 0, count: (length + 7) / 8)
            for i in 0..<length where chance(0.5) { bits[i >> 3] |= 1 << UInt8(i & 7) }
            return ArrayData(type: type, length: length, validity: validity, buffers: [Buffer(copying: bits)])
        case .int8: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Int8.random(in: .min ... .max, using: &$0) }])
        case .int16: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Int16.random(in: .min ... .max, using: &$0) }])
        case .int32: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Int32.random(in: -1000...1000, using: &$0) }])
        case .int64: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Int64.random(in: .min ... .max, using: &$0) }])
        case .uint8: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { UInt8.random(in: .min ... .max, using: &$0) }])
        case .uint16: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { UInt16.random(in: .min ... .max, using: &$0) }])
        case .uint32: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { UInt32.random(in: .min ... .max, using: &$0) }])
        case .uint64: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { UInt64.random(in: .min ... .max, using: &$0) }])
        case .float16:
            // Finite halves: exponent bits not all ones.
            return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { r -> UInt16 in
                UInt16.random(in: 0...0x7BFF, using: &r) | (Bool.random(using: &r) ? 0x8000 : 0)
            }])
        case .float32: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Float(Int.random(in: -5000...5000, using: &$0)) / 8 }])
        case .float64: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Double.random(in: -1e6...1e6, using: &$0) }])
        case .decimal32(let p, _), .decimal64(let p, _), .decimal128(let p, _), .decimal256(let p, _):
            let width: Int
            switch type {
            case .decimal32: width = 4
            case .decimal64: width = 8
            case .decimal128: width = 16
            default: width = 32
            }
            let bound = p >= 18 ? Int64.max / 2 : Int64(pow10(p)) - 1
            var bytes = [UInt8]()
            for _ in 0..<length {
                let v = Int64.random(in: -bound...bound, using: &rng)
                for k in 0..<width { bytes.append(k < 8 ? UInt8(truncatingIfNeeded: v >> (8 * k)) : (v < 0 ? 0xFF : 0)) }
            }
            return ArrayData(type: type, length: length, validity: validity, buffers: [Buffer(copying: bytes)])
        case .date32: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Int32.random(in: -30000...30000, using: &$0) }])
        case .date64: return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Int64.random(in: -30000...30000, using: &$0) * 86_400_000 }])
        case .time32(let unit):
            let limit: Int32 = unit == .second ? 86_399 : 86_399_999
            return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Int32.random(in: 0...limit, using: &$0) }])
        case .time64(let unit):
            let limit: Int64 = unit == .microsecond ? 86_399_999_999 : 86_399_999_999_999
            return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Int64.random(in: 0...limit, using: &$0) }])
        case .timestamp, .duration:
            return ArrayData(type: type, length: length, validity: validity, buffers: [fixed(length) { Int64.random(in: -4_000_000_000_000...4_000_000_000_000, using: &$0) }])
        case .utf8, .binary, .largeUtf8, .largeBinary:
            let large = type == .largeUtf8 || type == .largeBinary
            let text = type == .utf8 || type == .largeUtf8
            var data = [UInt8]()
            var offsets = [Int64(0)]
            for _ in 0..<length {
                data += bytesValue(text: text)
                offsets.append(Int64(data.count))
            }
            let offsetBuffer = large ? Buffer(values: offsets) : Buffer(values: offsets.map { Int32($0) })
            return ArrayData(type: type, length: length, validity: validity, buffers: [offsetBuffer, Buffer(copying: data)])
        case .utf8View, .binaryView:
            var builder = StringViewBuilder(text: type == .utf8View)
            let mask = validity.map { Array($0.array) }
            for i in 0..<length {
                if let mask, mask[i >> 3] & (1 << UInt8(i & 7)) == 0 { builder.appendNull(); continue }
                let value = bytesValue(text: type == .utf8View)
                value.withUnsafeBytes { builder.append(bytes: $0) }
            }
            return builder.finish()
        case .fixedSizeBinary(let width):
            var bytes = [UInt8]()
            for _ in 0..<(length * width) { bytes.append(UInt8(int(0..<4))) }
            return ArrayData(type: type, length: length, validity: validity, buffers: [Buffer(copying: bytes)])
        case .dictionary(let index, let value, _):
            let size = int(1..<6)
            let dictionary = array(value, length: size, nullable: false)
            precondition(index == .int32, "only int32 indices here")
            return ArrayData(type: type, length: length, validity: validity,
                             buffers: [fixed(length) { Int32.random(in: 0..<Int32(size), using: &$0) }], dictionary: dictionary)
        case .list(let child), .largeList(let child), .map(let child, _):
            var offsets = [Int64(0)]
            for _ in 0..<length { offsets.append(offsets.last! + Int64(int(0..<5))) }
            let values = array(child.type, length: Int(offsets.last!), nullable: child.nullable)
            let offsetBuffer = type.isLarge ? Buffer(values: offsets) : Buffer(values: offsets.map { Int32($0) })
            return ArrayData(type: type, length: length, validity: validity, buffers: [offsetBuffer], children: [values])
        case .fixedSizeList(let child, let size):
            return ArrayData(type: type, length: length, validity: validity,
                             children: [array(child.type, length: length * size, nullable: child.nullable)])
        case .struct(let fields):
            return ArrayData(type: type, length: length, validity: validity,
                             children: fields.map { array($0.type, length: length, nullable: $0.nullable) })
        default:
            preconditionFailure("no random arrays of \(type)")
        }
    }

    private func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 10 } }
}

extension DataType {
    fileprivate var isLarge: Bool {
        if case .largeList = self { return true }
        return false
    }
}
