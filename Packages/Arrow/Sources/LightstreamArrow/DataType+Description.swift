extension DataType: CustomStringConvertible {
    /// The type as pyarrow spells it: `int64`, `timestamp[ms, tz=UTC]`, `list<item: string>`.
    public var description: String {
        switch self {
        case .null: "null"
        case .boolean: "bool"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float16: "halffloat"
        case .float32: "float"
        case .float64: "double"
        case let .decimal32(p, s): "decimal32(\(p), \(s))"
        case let .decimal64(p, s): "decimal64(\(p), \(s))"
        case let .decimal128(p, s): "decimal128(\(p), \(s))"
        case let .decimal256(p, s): "decimal256(\(p), \(s))"
        case .date32: "date32[day]"
        case .date64: "date64[ms]"
        case let .time32(u): "time32[\(u.rawValue)]"
        case let .time64(u): "time64[\(u.rawValue)]"
        case let .timestamp(u, tz): tz.map { "timestamp[\(u.rawValue), tz=\($0)]" } ?? "timestamp[\(u.rawValue)]"
        case let .duration(u): "duration[\(u.rawValue)]"
        case let .interval(u): u.rawValue
        case .binary: "binary"
        case .largeBinary: "large_binary"
        case .utf8: "string"
        case .largeUtf8: "large_string"
        case .binaryView: "binary_view"
        case .utf8View: "string_view"
        case let .fixedSizeBinary(w): "fixed_size_binary[\(w)]"
        case let .list(f): "list<\(f.shortDescription)>"
        case let .largeList(f): "large_list<\(f.shortDescription)>"
        case let .listView(f): "list_view<\(f.shortDescription)>"
        case let .largeListView(f): "large_list_view<\(f.shortDescription)>"
        case let .fixedSizeList(f, n): "fixed_size_list<\(f.shortDescription)>[\(n)]"
        case let .struct(fs): "struct<\(fs.map(\.shortDescription).joined(separator: ", "))>"
        case let .union(mode, fs, _): "\(mode.rawValue)_union<\(fs.map(\.shortDescription).joined(separator: ", "))>"
        case let .map(entries, sorted):
            if case let .struct(kv) = entries.type, kv.count == 2 {
                "map<\(kv[0].type), \(kv[1].type)\(sorted ? ", keys_sorted" : "")>"
            } else {
                "map<\(entries.type)>"
            }
        case let .dictionary(index, value, ordered): "dictionary<values=\(value), indices=\(index), ordered=\(ordered ? 1 : 0)>"
        case let .runEndEncoded(r, v): "run_end_encoded<run_ends: \(r.type), values: \(v.type)>"
        }
    }
}

extension Field {
    /// `name: type` with ` not null` for non-nullable fields.
    var shortDescription: String { "\(name): \(type)\(nullable ? "" : " not null")" }
}
