import Vec64

extension ArrayData {
    /// Slot `index` as text, the way pyarrow prints it: `null`, `42`, `2024-01-31`,
    /// `[1, 2, null]`, `{a: 1, b: x}`; strings unquoted at the top level and quoted when nested.
    ///
    /// With `maxLength`, rendering stops after that many UTF-8 bytes and the text ends in `…`:
    /// the cost is bounded by `maxLength`, not by the value (a list of 2^40 elements, a 1 GiB
    /// string), so printing untrusted data is safe.
    public func formatValue(at index: Int, nested: Bool = false, maxLength: Int = .max) -> String {
        var text = BoundedText(limit: maxLength)
        write(at: index, nested: nested, into: &text)
        return text.finished
    }

    func write(at index: Int, nested: Bool, into text: inout BoundedText) {
        if text.isFull { return }
        if isNull(index) { return text.append("null") }
        let i = offset + index
        let values = buffers.first
        switch type {
        case .list, .largeList, .listView, .largeListView, .fixedSizeList:
            text.append("[")
            for (n, j) in listRange(at: index).enumerated() {
                if text.isFull { return }
                if n > 0 { text.append(", ") }
                children[0].write(at: j, nested: true, into: &text)
            }
            text.append("]")
        case let .struct(fields):
            text.append("{")
            for (n, (field, child)) in zip(fields, children).enumerated() {
                if text.isFull { return }
                if n > 0 { text.append(", ") }
                text.append(field.name)
                text.append(": ")
                child.write(at: i, nested: true, into: &text)
            }
            text.append("}")
        case .map:
            let entries = children[0]
            text.append("[")
            for (n, j) in listRange(at: index).enumerated() {
                if text.isFull { return }
                if n > 0 { text.append(", ") }
                entries.children[0].write(at: entries.offset + j, nested: true, into: &text)
                text.append(": ")
                entries.children[1].write(at: entries.offset + j, nested: true, into: &text)
            }
            text.append("]")
        case .union:
            guard let slot = unionSlot(at: index) else { return text.append("<invalid type id>") }
            children[slot.child].write(at: slot.childIndex, nested: nested, into: &text)
        case .dictionary:
            guard let dictionary else { return text.append("<no dictionary>") }
            dictionary.write(at: integerValue(at: index), nested: nested, into: &text)
        case .runEndEncoded:
            children[1].write(at: runIndex(at: index), nested: nested, into: &text)
        case .utf8, .largeUtf8, .utf8View:
            // Only as many bytes as the text can still take are decoded.
            let bytes = binaryValue(at: index)
            let shown = bytes.slice(0..<Swift.min(bytes.count, text.remaining))
            let value = shown.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            if nested { text.append("\"") }
            text.append(value)
            if shown.count < bytes.count { text.markTruncated() }
            if nested { text.append("\"") }
        case .binary, .largeBinary, .binaryView, .fixedSizeBinary:
            let bytes = binaryValue(at: index)
            let shown = bytes.slice(0..<Swift.min(bytes.count, text.remaining / 2 + 1))
            shown.withUnsafeBytes { raw in
                for byte in raw { text.append((byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)) }
            }
            if shown.count < bytes.count { text.markTruncated() }
        default:
            text.append(scalarText(values!, i))
        }
    }

    /// A fixed-width value as text.
    private func scalarText(_ values: Buffer, _ i: Int) -> String {
        switch type {
        case .null: return "null"
        case .boolean: return (values[i >> 3] >> UInt8(i & 7)) & 1 == 1 ? "true" : "false"
        case .int8: return String(values.load(Int8.self, at: i))
        case .int16: return String(values.load(Int16.self, at: i))
        case .int32: return String(values.load(Int32.self, at: i))
        case .int64: return String(values.load(Int64.self, at: i))
        case .uint8: return String(values.load(UInt8.self, at: i))
        case .uint16: return String(values.load(UInt16.self, at: i))
        case .uint32: return String(values.load(UInt32.self, at: i))
        case .uint64: return String(values.load(UInt64.self, at: i))
        case .float16: return "\(values.load(Float16.self, at: i))"
        case .float32: return "\(values.load(Float.self, at: i))"
        case .float64: return "\(values.load(Double.self, at: i))"
        case let .decimal32(_, scale): return ArrowText.decimal(Int128(values.load(Int32.self, at: i)), scale: scale)
        case let .decimal64(_, scale): return ArrowText.decimal(Int128(values.load(Int64.self, at: i)), scale: scale)
        case let .decimal128(_, scale): return ArrowText.decimal(values.load(Int128.self, at: i), scale: scale)
        case let .decimal256(_, scale):
            let value = values.load(Decimal256Storage.self, at: i)
            let text = value.description
            return text.hasPrefix("0x") ? text : ArrowText.decimal(Int128(text)!, scale: scale)
        case .date32: return ArrowCalendar.isoDate(daysSinceEpoch: Int(values.load(Int32.self, at: i)))
        case .date64:
            let ms = Int(values.load(Int64.self, at: i))
            return ArrowCalendar.isoDate(daysSinceEpoch: Int((Double(ms) / 86_400_000).rounded(.down)))
        case let .time32(unit): return formatTimeOfDay(Int(values.load(Int32.self, at: i)), unit)
        case let .time64(unit): return formatTimeOfDay(Int(values.load(Int64.self, at: i)), unit)
        case let .timestamp(unit, tz): return formatTimestamp(Int(values.load(Int64.self, at: i)), unit) + (tz.map { $0 == "UTC" ? "Z" : " \($0)" } ?? "")
        case let .duration(unit): return "\(values.load(Int64.self, at: i))\(unit.rawValue)"
        case .interval(.yearMonth): return "\(values.load(Int32.self, at: i))M"
        case .interval(.dayTime):
            let v = values.load(DayTimeInterval.self, at: i)
            return "\(v.days)d\(v.milliseconds)ms"
        case .interval(.monthDayNano):
            let v = values.load(MonthDayNanoInterval.self, at: i)
            return "\(v.months)M\(v.days)d\(v.nanoseconds)ns"
        default:
            return "<\(type)>"
        }
    }
}

/// Text that stops growing at a byte limit and then ends in `…`.
struct BoundedText {
    private(set) var text = ""
    let limit: Int
    private(set) var truncated = false

    init(limit: Int) { self.limit = Swift.max(0, limit) }

    /// Whether nothing more will be added.
    var isFull: Bool { truncated }
    /// How many more UTF-8 bytes fit.
    var remaining: Int { Swift.max(0, limit - text.utf8.count) }

    mutating func append(_ piece: String) {
        guard !truncated else { return }
        if piece.utf8.count <= remaining {
            text += piece
        } else {
            var room = remaining
            for character in piece {
                let size = character.utf8.count
                guard size <= room else { break }
                text.append(character)
                room -= size
            }
            truncated = true
        }
    }

    /// Marks the text as cut short (a value was shown only in part).
    mutating func markTruncated() { truncated = true }

    /// The text, with `…` if it was cut short.
    var finished: String { truncated ? text + "…" : text }
}

extension ArrowText {
    /// `value / 10^scale` written out exactly, as Arrow prints a decimal with that scale: the
    /// point placed in the digits (`12345`, scale 2: `123.45`; scale 5: `0.12345`), zeros
    /// appended for a negative scale (`12`, scale -2: `1200`).
    public static func decimal(_ value: Int128, scale: Int) -> String {
        guard scale > 0 else { return String(value) + String(repeating: "0", count: -scale) }
        let negative = value < 0
        var digits = String(value.magnitude)
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        return (negative ? "-" : "") + digits
    }
}

extension ArrowCalendar {
    /// The date `days` days after 1970-01-01 as ISO 8601 `yyyy-mm-dd` (proleptic Gregorian; the
    /// year has at least four digits and a `-` before it when negative).
    public static func isoDate(daysSinceEpoch days: Int) -> String {
        let (year, month, day) = date(daysSinceEpoch: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value.magnitude)
    return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
}

private func unitsPerSecond(_ unit: TimeUnit) -> (Int, Int) {
    switch unit {
    case .second: (1, 0)
    case .millisecond: (1000, 3)
    case .microsecond: (1_000_000, 6)
    case .nanosecond: (1_000_000_000, 9)
    }
}

func formatTimeOfDay(_ value: Int, _ unit: TimeUnit) -> String {
    let (perSecond, digits) = unitsPerSecond(unit)
    var seconds = value / perSecond
    var fraction = value % perSecond
    if fraction < 0 { fraction += perSecond; seconds -= 1 }
    let text = "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
    return digits == 0 ? text : text + "." + pad(fraction, digits)
}

func formatTimestamp(_ value: Int, _ unit: TimeUnit) -> String {
    let (perSecond, _) = unitsPerSecond(unit)
    let perDay = perSecond * 86_400
    var days = value / perDay
    var rest = value % perDay
    if rest < 0 { rest += perDay; days -= 1 }
    return ArrowCalendar.isoDate(daysSinceEpoch: days) + " " + formatTimeOfDay(rest, unit)
}
