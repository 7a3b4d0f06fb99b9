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
    static func appendTemporal(_ array: ArrayData, slot i: Int, into out: inout [UInt8]) {
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

    /// Renders every value of `array` into `out`, recording each value's end in `ends` and
    /// whether it is null in `nulls`, and whether it is text that may need quoting in `text`.
    static func render(_ array: ArrayData, binaryEncoding: BinaryTextEncoding,
                       into out: inout [UInt8], ends: inout [Int], nulls: inout [Bool]) -> Bool {
        let n = array.length
        let hasNulls = array.nullCount > 0
        for index in 0..<n where hasNulls { nulls.append(array.isNull(index)) }
        if !hasNulls { nulls.append(contentsOf: repeatElement(false, count: n)) }
        let base = array.offset
        @inline(__always) func each(_ body: (Int) -> Void) {
            for index in 0..<n {
                if !hasNulls || !array.isNull(index) { body(base + index) }
                ends.append(out.count)
            }
        }
        switch array.type {
        case .null:
            for _ in 0..<n { ends.append(out.count) }
        case .boolean:
            let bits = array.buffers[0]
            each { i in out.append(contentsOf: (bit(bits, i) ? "true" : "false").utf8) }
        case .int8: let v = array.buffers[0]; each { TextFormatting.appendInteger(Int64(v.load(Int8.self, at: $0)), into: &out) }
        case .int16: let v = array.buffers[0]; each { TextFormatting.appendInteger(Int64(v.load(Int16.self, at: $0)), into: &out) }
        case .int32: let v = array.buffers[0]; each { TextFormatting.appendInteger(Int64(v.load(Int32.self, at: $0)), into: &out) }
        case .int64, .duration: let v = array.buffers[0]; each { TextFormatting.appendInteger(v.load(Int64.self, at: $0), into: &out) }
        case .uint8: let v = array.buffers[0]; each { TextFormatting.appendUnsigned(UInt64(v.load(UInt8.self, at: $0)), into: &out) }
        case .uint16: let v = array.buffers[0]; each { TextFormatting.appendUnsigned(UInt64(v.load(UInt16.self, at: $0)), into: &out) }
        case .uint32: let v = array.buffers[0]; each { TextFormatting.appendUnsigned(UInt64(v.load(UInt32.self, at: $0)), into: &out) }
        case .uint64: let v = array.buffers[0]; each { TextFormatting.appendUnsigned(v.load(UInt64.self, at: $0), into: &out) }
        case .float16: let v = array.buffers[0]; each { TextFormatting.appendFloat(Float(v.load(Float16.self, at: $0)), into: &out) }
        case .float32: let v = array.buffers[0]; each { TextFormatting.appendFloat(v.load(Float.self, at: $0), into: &out) }
        case .float64: let v = array.buffers[0]; each { TextFormatting.appendDouble(v.load(Double.self, at: $0), into: &out) }
        case let .decimal32(_, scale), let .decimal64(_, scale), let .decimal128(_, scale), let .decimal256(_, scale):
            let v = array.buffers[0], width = array.type.decimalByteWidth
            each { TextFormatting.appendDecimal(words: TextFormatting.decimalWords(v, slot: $0, byteWidth: width), scale: scale, into: &out) }
        case .date32, .date64, .time32, .time64, .timestamp:
            each { appendTemporal(array, slot: $0, into: &out) }
        case .utf8, .largeUtf8, .utf8View:
            for index in 0..<n {
                if !hasNulls || !array.isNull(index) { array.binaryValue(at: index).withUnsafeBytes { out.append(contentsOf: $0) } }
                ends.append(out.count)
            }
            return true
        case .binary, .largeBinary, .binaryView, .fixedSizeBinary:
            for index in 0..<n {
                if !hasNulls || !array.isNull(index) { array.binaryValue(at: index).withUnsafeBytes { BinaryText.encode($0, binaryEncoding, into: &out) } }
                ends.append(out.count)
            }
            return true
        case let .dictionary(_, valueType, _):
            // Render the dictionary once, then copy each index's text.
            guard let dictionary = array.dictionary else { for _ in 0..<n { ends.append(out.count) }; return false }
            var words: [UInt8] = [], wordEnds: [Int] = [], wordNulls: [Bool] = []
            let text = render(dictionary, binaryEncoding: binaryEncoding, into: &words, ends: &wordEnds, nulls: &wordNulls)
            for index in 0..<n {
                if !array.isNull(index) {
                    let k = array.integerValue(at: index)
                    if k >= 0 && k < wordEnds.count && !wordNulls[k] {
                        out.append(contentsOf: words[(k == 0 ? 0 : wordEnds[k - 1])..<wordEnds[k]])
                    } else {
                        nulls[nulls.count - n + index] = true
                    }
                }
                ends.append(out.count)
            }
            _ = valueType
            return text
        default:
            // Nested values, unions, intervals, run-end encoded: JSON text.
            for index in 0..<n {
                if !array.isNull(index) {
                    if case .runEndEncoded = array.type {
                        let values = array.children[1], run = array.runIndex(at: index)
                        if values.isNull(run) { nulls[nulls.count - n + index] = true } else { appendScalar(values, run, binaryEncoding, into: &out) }
                    } else {
                        JSONValueEncoding.append(array, at: index, into: &out)
                    }
                }
                ends.append(out.count)
            }
            return true
        }
        return false
    }

    /// One value of a run-end encoded array's values, as a cell.
    private static func appendScalar(_ array: ArrayData, _ index: Int, _ encoding: BinaryTextEncoding, into out: inout [UInt8]) {
        var ends: [Int] = [], nulls: [Bool] = []
        _ = render(array.slice(index..<(index + 1)), binaryEncoding: encoding, into: &out, ends: &ends, nulls: &nulls)
    }
}
