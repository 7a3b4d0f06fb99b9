import LightstreamArrow
import Vec64

/// Renders a column's values as the text of CSV cells: one run of bytes per value, column by
/// column, with the type switch outside the loop over the values.
enum CellText {
    @inline(__always)
    static func bit(_ buffer: Buffer, _ index: Int) -> Bool {
        buffer[index >> 3] >> UInt8(index & 7) & 1 == 1
    }

    /// Whether the writer can put values of `type` in a cell (nested ones only as JSON).
    static func isWritable(_ type: DataType, nestedAsJSON: Bool) -> Bool {
        switch type {
        case .list, .largeList, .listView, .largeListView, .fixedSizeList, .struct, .map, .union, .interval:
            return nestedAsJSON
        case let .dictionary(_, value, _):
            return isWritable(value, nestedAsJSON: nestedAsJSON)
        case let .runEndEncoded(_, values):
            return isWritable(values.type, nestedAsJSON: nestedAsJSON)
        default:
            return true
        }
    }

    /// Appends a date, time or timestamp in slot `i` (buffer index, offset applied).
    static func appendTemporal(_ array: ArrayData, slot i: Int, into out: inout some TextOutput) {
        let values = array.buffers[0]
        switch array.type {
        case .date32: TextFormatting.appendDate(daysSinceEpoch: Int(values.load(Int32.self, at: i)), into: &out)
        case .date64: TextFormatting.appendDate(daysSinceEpoch: Int(floorDivide(values.load(Int64.self, at: i), 86_400_000)), into: &out)
        case let .time32(unit): TextFormatting.appendTimeOfDay(Int64(values.load(Int32.self, at: i)), unit: unit, into: &out)
        case let .time64(unit): TextFormatting.appendTimeOfDay(values.load(Int64.self, at: i), unit: unit, into: &out)
        case let .timestamp(unit, zone): TextFormatting.appendTimestamp(values.load(Int64.self, at: i), unit: unit, zoned: zone != nil, into: &out)
        default: break
        }
    }

    @inline(__always)
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Renders every value of `array` into `out`, one after the other: value `k`'s end goes to
    /// `ends[k]` and whether it is null to `nulls[k]`. Returns whether the values are text (which
    /// may hold any byte, and whose empty value needs quotes to differ from null).
    static func render(_ array: ArrayData, binaryEncoding: BinaryTextEncoding, into out: inout ByteWriter,
                       ends: UnsafeMutablePointer<Int>, nulls: UnsafeMutablePointer<Bool>) -> Bool {
        let n = array.length
        let hasNulls = array.nullCount > 0
        for index in 0..<n { nulls[index] = hasNulls && array.isNull(index) }
        let base = array.offset
        @inline(__always) func each(width: Int, _ body: (Int, inout ByteWriter) -> Void) {
            out.reserve(n * width)
            for index in 0..<n {
                if !nulls[index] {
                    if out.count + width > out.capacity { out.reserve(width) }
                    body(base + index, &out)
                }
                ends[index] = out.count
            }
        }
        switch array.type {
        case .null:
            for index in 0..<n { ends[index] = out.count }
        case .boolean:
            let bits = array.buffers[0]
            each(width: 5) { i, out in out.append(ascii: bit(bits, i) ? "true" : "false") }
        case .int8: let v = array.buffers[0]; each(width: 4) { TextFormatting.appendInteger(Int64(v.load(Int8.self, at: $0)), into: &$1) }
        case .int16: let v = array.buffers[0]; each(width: 6) { TextFormatting.appendInteger(Int64(v.load(Int16.self, at: $0)), into: &$1) }
        case .int32: let v = array.buffers[0]; each(width: 11) { TextFormatting.appendInteger(Int64(v.load(Int32.self, at: $0)), into: &$1) }
        case .int64, .duration: let v = array.buffers[0]; each(width: 20) { TextFormatting.appendInteger(v.load(Int64.self, at: $0), into: &$1) }
        case .uint8: let v = array.buffers[0]; each(width: 3) { TextFormatting.appendUnsigned(UInt64(v.load(UInt8.self, at: $0)), into: &$1) }
        case .uint16: let v = array.buffers[0]; each(width: 5) { TextFormatting.appendUnsigned(UInt64(v.load(UInt16.self, at: $0)), into: &$1) }
        case .uint32: let v = array.buffers[0]; each(width: 10) { TextFormatting.appendUnsigned(UInt64(v.load(UInt32.self, at: $0)), into: &$1) }
        case .uint64: let v = array.buffers[0]; each(width: 20) { TextFormatting.appendUnsigned(v.load(UInt64.self, at: $0), into: &$1) }
        case .float16: let v = array.buffers[0]; each(width: 16) { TextFormatting.appendFloat(Float(v.load(Float16.self, at: $0)), into: &$1) }
        case .float32: let v = array.buffers[0]; each(width: 16) { TextFormatting.appendFloat(v.load(Float.self, at: $0), into: &$1) }
        case .float64: let v = array.buffers[0]; each(width: 24) { TextFormatting.appendDouble(v.load(Double.self, at: $0), into: &$1) }
        case let .decimal32(_, scale), let .decimal64(_, scale), let .decimal128(_, scale), let .decimal256(_, scale):
            let v = array.buffers[0], width = array.type.decimalByteWidth
            each(width: 80) { TextFormatting.appendDecimal(words: TextFormatting.decimalWords(v, slot: $0, byteWidth: width), scale: scale, into: &$1) }
        case .date32, .date64, .time32, .time64, .timestamp:
            each(width: 40) { appendTemporal(array, slot: $0, into: &$1) }
        case .utf8, .largeUtf8, .utf8View:
            for index in 0..<n {
                if !nulls[index] { array.binaryValue(at: index).withUnsafeBytes { out.append(contentsOf: $0) } }
                ends[index] = out.count
            }
            return true
        case .binary, .largeBinary, .binaryView, .fixedSizeBinary:
            for index in 0..<n {
                if !nulls[index] { array.binaryValue(at: index).withUnsafeBytes { BinaryText.encode($0, binaryEncoding, into: &out) } }
                ends[index] = out.count
            }
            return true
        case .dictionary:
            // Render the dictionary once, then copy each index's text.
            guard let dictionary = array.dictionary else {
                for index in 0..<n { nulls[index] = true; ends[index] = out.count }
                return false
            }
            let m = dictionary.length
            var words = ByteWriter(capacity: 64 * max(1, m))
            defer { words.deallocate() }
            let wordEnds = UnsafeMutablePointer<Int>.allocate(capacity: max(1, m))
            let wordNulls = UnsafeMutablePointer<Bool>.allocate(capacity: max(1, m))
            defer { wordEnds.deallocate(); wordNulls.deallocate() }
            let text = render(dictionary, binaryEncoding: binaryEncoding, into: &words, ends: wordEnds, nulls: wordNulls)
            for index in 0..<n {
                if !nulls[index] {
                    let k = array.integerValue(at: index)
                    if k >= 0 && k < m && !wordNulls[k] {
                        let start = k == 0 ? 0 : wordEnds[k - 1]
                        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: words.bytes[start..<wordEnds[k]]))
                    } else {
                        nulls[index] = true
                    }
                }
                ends[index] = out.count
            }
            return text
        default:
            // Nested values, unions, intervals, run-end encoded: JSON text.
            for index in 0..<n {
                if !nulls[index] {
                    if case .runEndEncoded = array.type {
                        let values = array.children[1], run = array.runIndex(at: index)
                        if values.isNull(run) { nulls[index] = true } else { appendScalar(values, run, binaryEncoding, into: &out) }
                    } else {
                        JSONValueEncoding.append(array, at: index, into: &out)
                    }
                }
                ends[index] = out.count
            }
            return true
        }
        return false
    }

    /// One value of a run-end encoded array's values, as a cell.
    private static func appendScalar(_ array: ArrayData, _ index: Int, _ encoding: BinaryTextEncoding, into out: inout ByteWriter) {
        var end = 0, null = false
        _ = render(array.slice(index..<(index + 1)), binaryEncoding: encoding, into: &out, ends: &end, nulls: &null)
    }
}
