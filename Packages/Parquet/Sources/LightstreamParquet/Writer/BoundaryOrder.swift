/// The `boundary_order` of a ColumnIndex: whether the pages' min and max values rise or fall
/// page by page, so readers can binary-search them.
enum BoundaryOrder {
    static let unordered = 0
    static let ascending = 1
    static let descending = 2

    /// The order of the bounds of the non-null pages (`nullPages[i]` false), compared by `order`.
    static func of(minValues: [[UInt8]], maxValues: [[UInt8]], nullPages: [Bool], order: ParquetSortOrder,
                   physicalType: ParquetPhysicalType) -> Int {
        let pages = nullPages.indices.filter { !nullPages[$0] }
        guard pages.count > 1 else { return ascending }
        var rising = true, falling = true
        for (x, y) in zip(pages, pages.dropFirst()) {
            let a = compare(minValues[x], minValues[y], order: order, physicalType: physicalType)
            let b = compare(maxValues[x], maxValues[y], order: order, physicalType: physicalType)
            guard let a, let b else { return unordered }
            if a > 0 || b > 0 { rising = false }
            if a < 0 || b < 0 { falling = false }
        }
        return rising ? ascending : falling ? descending : unordered
    }

    /// -1, 0 or 1 as `a` is below, equal to or above `b` (PLAIN encodings of one value each) in
    /// `order`; nil when the order is undefined or a value is malformed.
    static func compare(_ a: [UInt8], _ b: [UInt8], order: ParquetSortOrder, physicalType: ParquetPhysicalType) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
        func load<T: FixedWidthInteger>(_ bytes: [UInt8], as: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch order {
        case .signed, .unsigned:
            let unsigned = order == .unsigned
            switch physicalType {
            case .int32:
                guard let x = load(a, as: UInt32.self), let y = load(b, as: UInt32.self) else { return nil }
                return unsigned ? sign(x, y) : sign(Int32(bitPattern: x), Int32(bitPattern: y))
            case .int64:
                guard let x = load(a, as: UInt64.self), let y = load(b, as: UInt64.self) else { return nil }
                return unsigned ? sign(x, y) : sign(Int64(bitPattern: x), Int64(bitPattern: y))
            default:
                return a == b ? 0 : a.lexicographicallyPrecedes(b) ? -1 : 1
            }
        case .float:
            if physicalType == .float {
                guard let x = load(a, as: UInt32.self), let y = load(b, as: UInt32.self) else { return nil }
                return sign(Float(bitPattern: x), Float(bitPattern: y))
            }
            guard let x = load(a, as: UInt64.self), let y = load(b, as: UInt64.self) else { return nil }
            return sign(Double(bitPattern: x), Double(bitPattern: y))
        case .float16:
            guard a.count == 2, b.count == 2 else { return nil }
            return sign(halfToFloat(UInt16(a[0]) | UInt16(a[1]) << 8), halfToFloat(UInt16(b[0]) | UInt16(b[1]) << 8))
        case .bytesUnsigned:
            return a == b ? 0 : a.lexicographicallyPrecedes(b) ? -1 : 1
        case .decimalBytes:
            // Big-endian two's complement: sign-extend the shorter to the longer, then compare
            // the sign, then the bytes unsigned.
            let width = max(a.count, b.count)
            func extended(_ v: [UInt8]) -> [UInt8] {
                let fill: UInt8 = (v.first ?? 0) & 0x80 != 0 ? 0xFF : 0
                return [UInt8](repeating: fill, count: width - v.count) + v
            }
            let x = extended(a), y = extended(b)
            let xNegative = (x.first ?? 0) & 0x80 != 0, yNegative = (y.first ?? 0) & 0x80 != 0
            if xNegative != yNegative { return xNegative ? -1 : 1 }
            return x == y ? 0 : x.lexicographicallyPrecedes(y) ? -1 : 1
        case .undefined:
            return nil
        }
    }

    /// An IEEE half's value as a Float.
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        if exponent == 0 { return sign * fraction * Float(pow2: -24) }
        if exponent == 31 { return fraction == 0 ? sign * .infinity : .nan }
        return sign * (1 + fraction / 1024) * Float(pow2: exponent - 15)
    }
}

extension Float {
    fileprivate init(pow2 exponent: Int) {
        self = Float(sign: .plus, exponent: exponent, significand: 1)
    }
}
