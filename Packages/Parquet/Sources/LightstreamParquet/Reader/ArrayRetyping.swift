import LightstreamArrow
import Vec64

/// Turns an assembled array (Parquet's natural Arrow types) into the schema's final type: the
/// `ARROW:schema` types pyarrow restores (time zones, durations, large lists,
/// views, dictionaries, narrower decimals) and the dictionary columns the caller asked for.
enum ArrayRetyping {
    static func finish(_ array: ArrayData, as target: DataType) throws(ParquetError) -> ArrayData {
        if array.type == target { return array }
        switch (array.type, target) {
        case (.struct, .struct(let fields)):
            guard fields.count == array.children.count else { break }
            var children: [ArrayData] = []
            for (child, field) in zip(array.children, fields) { children.append(try finish(child, as: field.type)) }
            return ArrayData(type: target, length: array.length, offset: array.offset, validity: array.validity,
                             buffers: array.buffers, children: children, nullCount: array.knownNullCount)
        case (.list, .list(let field)), (.map, .map(let field, _)), (.list, .map(let field, _)):
            let child = try finish(array.children[0], as: field.type)
            return ArrayData(type: target, length: array.length, offset: array.offset, validity: array.validity,
                             buffers: array.buffers, children: [child], nullCount: array.knownNullCount)
        case (.list, .largeList(let field)):
            let child = try finish(array.children[0], as: field.type)
            return ArrayData(type: target, length: array.length, offset: array.offset, validity: array.validity,
                             buffers: [widen(array.buffers[0], count: array.length + 1)], children: [child],
                             nullCount: array.knownNullCount)
        case (.list, .fixedSizeList(let field, let size)):
            return try fixedSizeList(array, field: field, size: size, target: target)
        case (.timestamp(let from, _), .timestamp(let to, _)):
            return try rescale(array, from: from, to: to, target: target)
        case (.int64, .timestamp), (.int64, .duration), (.timestamp, .duration):
            return array.withType(target)
        case (.timestamp(let from, _), .date64):
            return try rescale(array, from: from, to: .millisecond, target: target)
        case (.date32, .date64):
            return map32to64(array, target) { Int64($0) &* 86_400_000 }
        case (.int64, .uint32):
            return narrow(array, target, as: UInt32.self)
        case (.binary, .utf8), (.largeBinary, .largeUtf8):
            let large = array.type == .largeBinary
            try PhysicalConversion.checkUTF8(offsets: array.buffers[0], data: array.buffers[1], count: array.offset + array.length, large: large)
            return array.withType(target)
        case (.decimal128, .decimal32), (.decimal128, .decimal64), (.decimal128, .decimal256):
            return try resizeDecimals(array, target)
        case (.utf8, .utf8View), (.binary, .binaryView), (.binary, .utf8View):
            if target == .utf8View && array.type == .binary {
                try PhysicalConversion.checkUTF8(offsets: array.buffers[0], data: array.buffers[1], count: array.offset + array.length, large: false)
            }
            return views(array, target)
        case (_, .dictionary(.int32, let value, _)):
            let values = try finish(array, as: value)
            return DictionaryEncoding.encode(values, as: target)
        case (.fixedSizeBinary(let a), .fixedSizeBinary(let b)) where a == b:
            return array.withType(target)
        default:
            break
        }
        throw ParquetError(.unsupported("converting \(array.type) to \(target)"))
    }

    private static func rescale(_ array: ArrayData, from: TimeUnit, to: TimeUnit, target: DataType) throws(ParquetError) -> ArrayData {
        func perSecond(_ unit: TimeUnit) -> Int64 {
            switch unit {
            case .second: 1
            case .millisecond: 1_000
            case .microsecond: 1_000_000
            case .nanosecond: 1_000_000_000
            }
        }
        let a = perSecond(from), b = perSecond(to)
        if a == b { return array.withType(target) }
        return map64(array, target) { b > a ? $0 &* (b / a) : $0 / (a / b) }
    }

    private static func map64(_ array: ArrayData, _ target: DataType, _ f: (Int64) -> Int64) -> ArrayData {
        var out = Vec64<Int64>()
        array.buffers[0].withUnsafeBytes { raw in
            let source = raw.bindMemory(to: Int64.self)
            out.appendUninitialized(count: array.length) { t in
                for i in 0..<array.length { t[i] = f(source[array.offset + i]) }
            }
        }
        return ArrayData(type: target, length: array.length, validity: realigned(array), buffers: [out.freeze()], nullCount: array.knownNullCount)
    }

    private static func map32to64(_ array: ArrayData, _ target: DataType, _ f: (Int32) -> Int64) -> ArrayData {
        var out = Vec64<Int64>()
        array.buffers[0].withUnsafeBytes { raw in
            let source = raw.bindMemory(to: Int32.self)
            out.appendUninitialized(count: array.length) { t in
                for i in 0..<array.length { t[i] = f(source[array.offset + i]) }
            }
        }
        return ArrayData(type: target, length: array.length, validity: realigned(array), buffers: [out.freeze()], nullCount: array.knownNullCount)
    }

    private static func narrow<T: FixedWidthInteger & BitwiseCopyable>(_ array: ArrayData, _ target: DataType, as: T.Type) -> ArrayData {
        var out = Vec64<T>()
        array.buffers[0].withUnsafeBytes { raw in
            let source = raw.bindMemory(to: Int64.self)
            out.appendUninitialized(count: array.length) { t in
                for i in 0..<array.length { t[i] = T(truncatingIfNeeded: source[array.offset + i]) }
            }
        }
        return ArrayData(type: target, length: array.length, validity: realigned(array), buffers: [out.freeze()], nullCount: array.knownNullCount)
    }

    /// The validity bitmap of `array` starting at bit 0 (assembled arrays have offset 0).
    /// A list whose valid slots hold `size` values each as a fixed-size list. Null slots, which
    /// Parquet stores empty, take `size` null values (fixed-width children only).
    private static func fixedSizeList(_ array: ArrayData, field: Field, size: Int, target: DataType) throws(ParquetError) -> ArrayData {
        let child = try finish(array.children[0], as: field.type)
        let n = array.length
        var contiguous = true
        let first = n > 0 ? array.listRange(at: 0).lowerBound : 0
        for i in 0..<n {
            let range = array.listRange(at: i)
            if array.isNull(i) && range.isEmpty && size > 0 {
                contiguous = false
                continue
            }
            guard range.count == size else {
                throw ParquetError(.corruptPage("fixed_size_list<\(size)> slot \(i) holds \(range.count) values"))
            }
            if range.lowerBound != first + i * size { contiguous = false }
        }
        if contiguous {
            return ArrayData(type: target, length: n, validity: realigned(array),
                             children: [child.slice(first..<(first + n * size))], nullCount: array.knownNullCount)
        }
        guard case .fixedWidth(let width) = child.type.layout else {
            throw ParquetError(.unsupported("fixed_size_list of \(child.type) with null slots"))
        }
        // The size comes from the file's ARROW:schema: bound what it makes us allocate.
        let (slots, o1) = n.multipliedReportingOverflow(by: size)
        let (bytes, o2) = slots.multipliedReportingOverflow(by: width)
        guard !o1, !o2, slots <= 1 << 28, bytes <= 4 << 30 else {
            throw ParquetError(.limitExceeded("fixed_size_list<\(size)> of \(n) rows is too large to spread out"))
        }
        // Gather each valid slot's values; null slots get zeroed, null values.
        var values = Vec64<UInt8>(zeroedCount: n * size * width)
        var validity = Vec64<UInt8>(zeroedCount: (n * size + 7) / 8)
        child.buffers[0].withUnsafeBytes { source in
            values.withUnsafeMutableBufferPointer { target in
                validity.withUnsafeMutableBufferPointer { bits in
                    for i in 0..<n where !array.isNull(i) {
                        let range = array.listRange(at: i)
                        for (k, j) in range.enumerated() where child.isValid(j) {
                            let slot = i * size + k
                            for b in 0..<width { target[slot * width + b] = source[(child.offset + j) * width + b] }
                            bits[slot >> 3] |= 1 << UInt8(slot & 7)
                        }
                    }
                }
            }
        }
        let gathered = ArrayData(type: child.type, length: n * size, validity: validity.freeze(), buffers: [values.freeze()])
        return ArrayData(type: target, length: n, validity: realigned(array), children: [gathered], nullCount: array.knownNullCount)
    }

    private static func realigned(_ array: ArrayData) -> Buffer? {
        precondition(array.offset == 0 || array.validity == nil, "assembled arrays start at offset 0")
        return array.validity
    }

    private static func widen(_ offsets: Buffer, count: Int) -> Buffer {
        var out = Vec64<Int64>()
        offsets.withUnsafeBytes { raw in
            let source = raw.bindMemory(to: Int32.self)
            out.appendUninitialized(count: count) { t in for i in 0..<count { t[i] = Int64(source[i]) } }
        }
        return out.freeze()
    }

    /// Decimals from 16 bytes to the stored width: widening sign-extends; narrowing requires the
    /// dropped bytes of every valid value to be pure sign extension (a value past the stored
    /// precision is corrupt, not silently cut).
    private static func resizeDecimals(_ array: ArrayData, _ target: DataType) throws(ParquetError) -> ArrayData {
        let width = target.byteWidth ?? 16
        var out = Vec64<UInt8>(zeroedCount: array.length * width)
        var bad: Int?
        array.buffers[0].withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { t in
                for i in 0..<array.length {
                    let source = raw.baseAddress! + (array.offset + i) * 16
                    let keptTop = source.load(fromByteOffset: Swift.min(width, 16) - 1, as: UInt8.self)
                    let fill: UInt8 = keptTop & 0x80 != 0 ? 0xFF : 0
                    for k in 0..<width {
                        t[i * width + k] = k < 16 ? source.load(fromByteOffset: k, as: UInt8.self) : fill
                    }
                    if width < 16, bad == nil, array.isValid(i),
                       (width..<16).contains(where: { source.load(fromByteOffset: $0, as: UInt8.self) != fill }) {
                        bad = i
                    }
                }
            }
        }
        if let bad { throw ParquetError(.corruptPage("decimal value \(bad) does not fit \(target)")) }
        return ArrayData(type: target, length: array.length, validity: realigned(array), buffers: [out.freeze()], nullCount: array.knownNullCount)
    }

    /// The 16-byte view layout: values of at most 12 bytes inline, longer ones as a prefix, buffer
    /// 0 and offset into the original data buffer (shared, not copied).
    private static func views(_ array: ArrayData, _ target: DataType) -> ArrayData {
        var out = Vec64<UInt8>(zeroedCount: array.length * 16)
        let data = array.buffers[1]
        array.buffers[0].withUnsafeBytes { o in
            data.withUnsafeBytes { d in
                out.withUnsafeMutableBufferPointer { t in
                    let base = UnsafeMutableRawPointer(t.baseAddress!)
                    for i in 0..<array.length {
                        let start = Int(o.loadUnaligned(fromByteOffset: (array.offset + i) * 4, as: Int32.self))
                        let end = Int(o.loadUnaligned(fromByteOffset: (array.offset + i + 1) * 4, as: Int32.self))
                        let length = end - start
                        let view = base + i * 16
                        view.storeBytes(of: UInt32(length).littleEndian, as: UInt32.self)
                        if length <= 12 {
                            if length > 0 { (view + 4).copyMemory(from: d.baseAddress! + start, byteCount: length) }
                        } else {
                            (view + 4).copyMemory(from: d.baseAddress! + start, byteCount: 4)
                            view.storeBytes(of: UInt32(0), toByteOffset: 8, as: UInt32.self)
                            view.storeBytes(of: UInt32(start).littleEndian, toByteOffset: 12, as: UInt32.self)
                        }
                    }
                }
            }
        }
        return ArrayData(type: target, length: array.length, validity: realigned(array), buffers: [out.freeze(), data],
                         nullCount: array.knownNullCount)
    }
}
