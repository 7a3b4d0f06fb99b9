import Vec64

extension ArrayData {
    /// Slot `index` as text, the way pyarrow prints it: `null`, `42`, `2024-01-31`,
    /// `[1, 2, null]`, `{a: 1, b: x}`; strings unquoted at the top level and quoted when nested.
    public func formatValue(at index: Int, nested: Bool = false) -> String {
        if isNull(index) { return "null" }
        let i = offset + index
        let values = buffers.first
        switch type {
        case .null: return "null"
        case .boolean: return (values![i >> 3] >> UInt8(i & 7)) & 1 == 1 ? "true" : "false"
        case .int8: return String(values!.load(Int8.self, at: i))
        case .int16: return String(values!.load(Int16.self, at: i))
        case .int32: return String(values!.load(Int32.self, at: i))
        case .int64: return String(values!.load(Int64.self, at: i))
        case .uint8: return String(values!.load(UInt8.self, at: i))
        case .uint16: return String(values!.load(UInt16.self, at: i))
        case .uint32: return String(values!.load(UInt32.self, at: i))
        case .uint64: return String(values!.load(UInt64.self, at: i))
        case .float16: return "\(values!.load(Float16.self, at: i))"
        case .float32: return "\(values!.load(Float.self, at: i))"
        case .float64: return "\(values!.load(Double.self, at: i))"
        case let .decimal32(_, scale): return formatDecimal(Int128(values!.load(Int32.self, at: i)), scale: scale)
        case let .decimal64(_, scale): return formatDecimal(Int128(values!.load(Int64.self, at: i)), scale: scale)
        case let .decimal128(_, scale): return formatDecimal(values!.load(Int128.self, at: i), scale: scale)
        case let .decimal256(_, scale):
            let value = values!.load(Decimal256Storage.self, at: i)
            let text = value.description
            return text.hasPrefix("0x") ? text : formatDecimal(Int128(text)!, scale: scale)
        case .date32: return formatDate(days: Int(values!.load(Int32.self, at: i)))
        case .date64:
            let ms = Int(values!.load(Int64.self, at: i))
            return formatDate(days: Int((Double(ms) / 86_400_000).rounded(.down)))
        case let .time32(unit): return formatTimeOfDay(Int(values!.load(Int32.self, at: i)), unit)
        case let .time64(unit): return formatTimeOfDay(Int(values!.load(Int64.self, at: i)), unit)
        case let .timestamp(unit, tz): return formatTimestamp(Int(values!.load(Int64.self, at: i)), unit) + (tz.map { $0 == "UTC" ? "Z" : " \($0)" } ?? "")
        case let .duration(unit): return "\(values!.load(Int64.self, at: i))\(unit.rawValue)"
        case .interval(.yearMonth): return "\(values!.load(Int32.self, at: i))M"
        case .interval(.dayTime):
            let v = values!.load(DayTimeInterval.self, at: i)
            return "\(v.days)d\(v.milliseconds)ms"
        case .interval(.monthDayNano):
            let v = values!.load(MonthDayNanoInterval.self, at: i)
            return "\(v.months)M\(v.days)d\(v.nanoseconds)ns"
        case .utf8, .largeUtf8, .utf8View:
            let text = binaryValue(at: index).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            return nested ? "\"\(text)\"" : text
        case .binary, .largeBinary, .binaryView, .fixedSizeBinary:
            return binaryValue(at: index).withUnsafeBytes { $0.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) }.joined() }
        case .list, .largeList, .listView, .largeListView, .fixedSizeList:
            let range = listRange(at: index)
            return "[" + range.map { children[0].formatValue(at: $0, nested: true) }.joined(separator: ", ") + "]"
        case let .struct(fields):
            return "{" + zip(fields, children).map { field, child in "\(field.name): \(child.formatValue(at: i, nested: true))" }.joined(separator: ", ") + "}"
        case .map:
            let entries = children[0]
            return "[" + listRange(at: index).map { j in
                "\(entries.children[0].formatValue(at: entries.offset + j, nested: true)): \(entries.children[1].formatValue(at: entries.offset + j, nested: true))"
            }.joined(separator: ", ") + "]"
        case .union:
            guard let slot = unionSlot(at: index) else { return "<invalid type id>" }
            return children[slot.child].formatValue(at: slot.childIndex, nested: nested)
        case .dictionary:
            return dictionary?.formatValue(at: integerValue(at: index), nested: nested) ?? "<no dictionary>"
        case .runEndEncoded:
            return children[1].formatValue(at: runIndex(at: index), nested: nested)
        }
    }
}

/// `value / 10^scale` with the decimal point placed by string manipulation (exact).
func formatDecimal(_ value: Int128, scale: Int) -> String {
    guard scale > 0 else { return String(value) + String(repeating: "0", count: -scale) }
    let negative = value < 0
    var digits = String(value.magnitude)
    if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
    digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
    return (negative ? "-" : "") + digits
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
func formatDate(days: Int) -> String {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
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
    return formatDate(days: days) + " " + formatTimeOfDay(rest, unit)
}
