import LightstreamArrow
import Vec64

/// Renders one Arrow value as JSON text. Shared by the JSON Lines writer (every value) and the
/// CSV writer (nested values in a cell).
///
/// The mapping: null -> `null`; booleans; integers as exact numbers (64-bit values included);
/// floats in shortest round-trip form, NaN and infinities as `null` (JSON has no spelling for
/// them); decimals as exact numbers; dates, times and timestamps as ISO 8601 strings (`Z` after
/// a timestamp with a zone, the instant in UTC); durations as integers of their unit; intervals as
/// objects (`{"months":..,"days":..,"nanoseconds":..}`); strings as JSON strings; binary as
/// base64 strings; lists as arrays; structs as objects; maps with string keys as objects, other
/// maps as arrays of `[key, value]` pairs; unions, dictionaries and run-end encoded values as the
/// value they stand for.
enum JSONValueEncoding {
    /// Appends slot `index` of `array` as JSON.
    static func append(_ array: ArrayData, at index: Int, into out: inout some TextOutput) {
        if array.isNull(index) { return out.append(ascii: "null") }
        let i = array.offset + index
        let values = array.buffers.first
        switch array.type {
        case .null: out.append(ascii: "null")
        case .boolean: out.append(ascii: CellText.bit(array.buffers[0], i) ? "true" : "false")
        case .int8: TextFormatting.appendInteger(Int64(values!.load(Int8.self, at: i)), into: &out)
        case .int16: TextFormatting.appendInteger(Int64(values!.load(Int16.self, at: i)), into: &out)
        case .int32: TextFormatting.appendInteger(Int64(values!.load(Int32.self, at: i)), into: &out)
        case .int64: TextFormatting.appendInteger(values!.load(Int64.self, at: i), into: &out)
        case .uint8: TextFormatting.appendUnsigned(UInt64(values!.load(UInt8.self, at: i)), into: &out)
        case .uint16: TextFormatting.appendUnsigned(UInt64(values!.load(UInt16.self, at: i)), into: &out)
        case .uint32: TextFormatting.appendUnsigned(UInt64(values!.load(UInt32.self, at: i)), into: &out)
        case .uint64: TextFormatting.appendUnsigned(values!.load(UInt64.self, at: i), into: &out)
        case .float16: appendFinite(Double(values!.load(Float16.self, at: i)), float: true, into: &out)
        case .float32: appendFinite(Double(values!.load(Float.self, at: i)), float: true, into: &out)
        case .float64: appendFinite(values!.load(Double.self, at: i), float: false, into: &out)
        case let .decimal32(_, scale), let .decimal64(_, scale), let .decimal128(_, scale), let .decimal256(_, scale):
            TextFormatting.appendDecimal(words: TextFormatting.decimalWords(values!, slot: i, byteWidth: array.type.decimalByteWidth), scale: scale, into: &out)
        case .date32, .date64, .time32, .time64, .timestamp:
            out.append(UInt8(ascii: "\""))
            CellText.appendTemporal(array, slot: i, into: &out)
            out.append(UInt8(ascii: "\""))
        case .duration: TextFormatting.appendInteger(values!.load(Int64.self, at: i), into: &out)
        case .interval(.yearMonth):
            appendObject(["months": Int64(values!.load(Int32.self, at: i))], into: &out)
        case .interval(.dayTime):
            appendObject(["days": Int64(values!.load(Int32.self, at: i * 2)), "milliseconds": Int64(values!.load(Int32.self, at: i * 2 + 1))], into: &out)
        case .interval(.monthDayNano):
            let base = i * 16
            appendObject(["months": Int64(values!.load(Int32.self, fromByteOffset: base)),
                          "days": Int64(values!.load(Int32.self, fromByteOffset: base + 4)),
                          "nanoseconds": values!.load(Int64.self, fromByteOffset: base + 8)], into: &out)
        case .utf8, .largeUtf8, .utf8View:
            appendString(array.binaryValue(at: index), into: &out)
        case .binary, .largeBinary, .binaryView, .fixedSizeBinary:
            out.append(UInt8(ascii: "\""))
            array.binaryValue(at: index).withUnsafeBytes { BinaryText.encode($0, .base64, into: &out) }
            out.append(UInt8(ascii: "\""))
        case .list, .largeList, .listView, .largeListView, .fixedSizeList:
            out.append(UInt8(ascii: "["))
            for (n, j) in array.listRange(at: index).enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                append(array.children[0], at: j, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .struct(fields):
            out.append(UInt8(ascii: "{"))
            for (n, (field, child)) in zip(fields, array.children).enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                appendString(field.name, into: &out)
                out.append(UInt8(ascii: ":"))
                append(child, at: i, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .map:
            let entries = array.children[0]
            let keys = entries.children[0], items = entries.children[1]
            let stringKeys = [DataType.utf8, .largeUtf8, .utf8View].contains(keys.type)
            out.append(UInt8(ascii: stringKeys ? "{" : "["))
            for (n, j) in array.listRange(at: index).enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                if !stringKeys { out.append(UInt8(ascii: "[")) }
                append(keys, at: entries.offset + j, into: &out)
                out.append(UInt8(ascii: stringKeys ? ":" : ","))
                append(items, at: entries.offset + j, into: &out)
                if !stringKeys { out.append(UInt8(ascii: "]")) }
            }
            out.append(UInt8(ascii: stringKeys ? "}" : "]"))
        case .union:
            guard let slot = array.unionSlot(at: index) else { return out.append(ascii: "null") }
            append(array.children[slot.child], at: slot.childIndex, into: &out)
        case .dictionary:
            guard let dictionary = array.dictionary else { return out.append(ascii: "null") }
            append(dictionary, at: array.integerValue(at: index), into: &out)
        case .runEndEncoded:
            append(array.children[1], at: array.runIndex(at: index), into: &out)
        }
    }

    private static func appendFinite(_ value: Double, float: Bool, into out: inout some TextOutput) {
        guard value.isFinite else { return out.append(ascii: "null") }
        if float { TextFormatting.appendFloat(Float(value), into: &out) } else { TextFormatting.appendDouble(value, into: &out) }
    }

    private static func appendObject(_ members: KeyValuePairs<String, Int64>, into out: inout some TextOutput) {
        out.append(UInt8(ascii: "{"))
        for (n, (key, value)) in members.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            appendString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            TextFormatting.appendInteger(value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func appendString(_ text: String, into out: inout some TextOutput) {
        var text = text
        text.withUTF8 { appendString(UnsafeRawBufferPointer($0), into: &out) }
    }

    static func appendString(_ bytes: Buffer, into out: inout some TextOutput) {
        bytes.withUnsafeBytes { appendString($0, into: &out) }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped; other bytes as they
    /// are (the text is UTF-8).
    static func appendString(_ bytes: UnsafeRawBufferPointer, into out: inout some TextOutput) {
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): out.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(bytes: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension DataType {
    /// The byte width of a decimal type's values (0 for other types).
    var decimalByteWidth: Int {
        switch self {
        case .decimal32: 4
        case .decimal64: 8
        case .decimal128: 16
        case .decimal256: 32
        default: 0
        }
    }
}
