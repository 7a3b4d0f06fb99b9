import LightstreamArrow

/// How the Arrow values of one leaf become the Parquet physical values the pages hold.
enum ValueConversion: Sendable, Equatable {
    /// Arrow booleans (bits) as BOOLEAN.
    case boolean
    /// 4-byte values written as they are: int32, uint32, date32, time32(ms).
    case int32
    /// int8, int16, uint8, uint16 widened to INT32 (sign- or zero-extended).
    case int32Widened(byteWidth: Int, signed: Bool)
    /// time32(s) as milliseconds.
    case int32Times1000
    /// date64 (milliseconds) as DATE days.
    case date64Days
    /// 8-byte values written as they are: int64, uint64, time64, timestamps, durations.
    case int64
    /// timestamp(s) as milliseconds.
    case int64Times1000
    /// float32 as FLOAT, float64 as DOUBLE.
    case float, double
    /// fixed_size_binary and float16: FIXED_LEN_BYTE_ARRAY of the same bytes.
    case fixedBytes(width: Int)
    /// Decimals: Arrow's little-endian two's complement of `arrowWidth` bytes as big-endian
    /// FIXED_LEN_BYTE_ARRAY of `width` bytes (the fewest that hold the precision).
    case decimal(arrowWidth: Int, width: Int)
    /// Strings and binaries (offsets of 32 or 64 bits, or views) as BYTE_ARRAY.
    case byteArray
    /// The null type: an INT32 column of nulls.
    case null

    /// The physical byte width of one value, for fixed-width conversions.
    var fixedWidth: Int? {
        switch self {
        case .int32, .int32Widened, .int32Times1000, .date64Days, .float, .null: 4
        case .int64, .int64Times1000, .double: 8
        case .fixedBytes(let width), .decimal(_, let width): width
        case .boolean, .byteArray: nil
        }
    }
}

/// One step on the way from a top-level Arrow column down to a leaf, shredding levels.
enum ShredStep: Sendable, Equatable {
    /// A list, large list, fixed-size list or map: a repeated level; the next step applies to
    /// the child (for maps, the entries struct).
    case repeated
    /// A struct: go to child `index`.
    case structChild(Int)
    /// The leaf's values.
    case leaf
}

/// One leaf column to write: its Parquet descriptor, the Arrow nodes down to it and how its
/// values convert.
struct ParquetLeafPlan: Sendable {
    /// The leaf's path, levels and element.
    let descriptor: ParquetColumnDescriptor
    /// The index of the top-level column it belongs to.
    let topLevelColumn: Int
    /// For each Arrow node from the top-level column down to the leaf: its step and whether the
    /// Parquet node is optional (the Arrow field is nullable).
    let steps: [(step: ShredStep, optional: Bool)]
    /// The leaf's Arrow type (a dictionary type when the column is dictionary-encoded in Arrow).
    let arrowType: DataType
    /// How the leaf's (dictionary's) values become physical values.
    let conversion: ValueConversion
    /// The dotted path, for errors and per-column options.
    var dottedPath: String { descriptor.dottedPath }
}

/// Maps an Arrow schema to a Parquet schema the way Arrow C++ (pyarrow's `pq.write_table`)
/// does with its defaults (format version 2.6, compliant nested types): three-level lists with
/// `list`/`element`, maps as `key_value` with `key`/`value`, unsigned integers through the
/// INTEGER annotation, timestamps in seconds coerced to milliseconds, decimals as
/// FIXED_LEN_BYTE_ARRAY of the fewest bytes, `PARQUET:field_id` metadata as field ids.
enum ParquetSchemaBuilder {
    /// The flattened elements (root first) and a plan per leaf.
    static func build(_ schema: Schema) throws(ParquetError) -> (elements: [ParquetSchemaElement], leaves: [ParquetLeafPlan]) {
        var elements = [ParquetSchemaElement(name: "schema", childCount: schema.fields.count)]
        var leafSteps: [(column: Int, steps: [(ShredStep, Bool)], type: DataType, conversion: ValueConversion)] = []
        for (index, field) in schema.fields.enumerated() {
            try add(field, path: [], steps: [], column: index, depth: 1, into: &elements, leaves: &leafSteps)
        }
        let tree = try ParquetSchema(elements: elements)
        guard tree.columns.count == leafSteps.count else {
            throw ParquetError(.invalidSchema("schema mapping made \(tree.columns.count) leaves for \(leafSteps.count) Arrow leaves"))
        }
        let leaves = zip(tree.columns, leafSteps).map { descriptor, leaf in
            ParquetLeafPlan(descriptor: descriptor, topLevelColumn: leaf.column, steps: leaf.steps.map { (step: $0.0, optional: $0.1) },
                            arrowType: leaf.type, conversion: leaf.conversion)
        }
        return (elements, leaves)
    }

    private static func repetition(_ field: Field) -> ParquetRepetition { field.nullable ? .optional : .required }

    private static func fieldID(_ field: Field) -> Int? {
        field.metadata["PARQUET:field_id"].flatMap { Int($0) }
    }

    private static func add(_ field: Field, path: [String], steps: [(ShredStep, Bool)], column: Int, depth: Int,
                            repetition forced: ParquetRepetition? = nil,
                            into elements: inout [ParquetSchemaElement],
                            leaves: inout [(column: Int, steps: [(ShredStep, Bool)], type: DataType, conversion: ValueConversion)]) throws(ParquetError) {
        guard depth <= ParquetSchema.maximumDepth / 2 else {
            throw ParquetError(.unsupported("column \((path + [field.name]).joined(separator: ".")) is nested deeper than \(ParquetSchema.maximumDepth / 2)"))
        }
        let name = path + [field.name]
        let rep = forced ?? repetition(field)
        let optional = rep == .optional
        switch field.type {
        case .list(let child), .largeList(let child), .fixedSizeList(let child, _):
            elements.append(ParquetSchemaElement(name: field.name, repetition: rep, childCount: 1, convertedType: .list,
                                                 fieldID: fieldID(field), logicalType: .list))
            elements.append(ParquetSchemaElement(name: "list", repetition: .repeated, childCount: 1))
            let element = Field("element", child.type, nullable: child.nullable, metadata: child.metadata)
            try add(element, path: name + ["list"], steps: steps + [(.repeated, optional)], column: column, depth: depth + 1,
                    into: &elements, leaves: &leaves)
        case .map(let entries, _):
            guard case .struct(let kv) = entries.type, kv.count == 2 else {
                throw ParquetError(.unsupported("map column \(name.joined(separator: ".")) without a key and a value"))
            }
            elements.append(ParquetSchemaElement(name: field.name, repetition: rep, childCount: 1, convertedType: .map,
                                                 fieldID: fieldID(field), logicalType: .map))
            elements.append(ParquetSchemaElement(name: "key_value", repetition: .repeated, childCount: 2))
            let key = Field("key", kv[0].type, nullable: false, metadata: kv[0].metadata)
            let value = Field("value", kv[1].type, nullable: kv[1].nullable, metadata: kv[1].metadata)
            try add(key, path: name + ["key_value"], steps: steps + [(.repeated, optional), (.structChild(0), false)],
                    column: column, depth: depth + 1, repetition: .required, into: &elements, leaves: &leaves)
            try add(value, path: name + ["key_value"], steps: steps + [(.repeated, optional), (.structChild(1), false)],
                    column: column, depth: depth + 1, into: &elements, leaves: &leaves)
        case .struct(let children):
            guard !children.isEmpty else {
                throw ParquetError(.unsupported("column \(name.joined(separator: ".")): a struct without fields has no Parquet form"))
            }
            elements.append(ParquetSchemaElement(name: field.name, repetition: rep, childCount: children.count, fieldID: fieldID(field)))
            for (i, child) in children.enumerated() {
                try add(child, path: name, steps: steps + [(.structChild(i), optional)], column: column, depth: depth + 1,
                        into: &elements, leaves: &leaves)
            }
        case .dictionary(_, let valueType, _):
            var element = try leafElement(field.name, valueType, path: name)
            element.0.repetition = rep
            element.0.fieldID = fieldID(field)
            elements.append(element.0)
            leaves.append((column, steps + [(.leaf, optional)], field.type, element.1))
        default:
            var element = try leafElement(field.name, field.type, path: name)
            // Arrow C++ writes the null type as an optional column whatever the field says.
            element.0.repetition = field.type == .null ? .optional : rep
            element.0.fieldID = fieldID(field)
            elements.append(element.0)
            leaves.append((column, steps + [(.leaf, field.type == .null ? true : optional)], field.type, element.1))
        }
    }

    /// The bytes a decimal of `precision` digits needs in two's complement.
    static func decimalBytes(precision: Int) -> Int {
        var bytes = 1
        // The largest magnitude 10^precision - 1 must fit in 8 * bytes - 1 bits.
        while Double(8 * bytes - 1) * 0.30102999566398120 < Double(precision) { bytes += 1 }
        return bytes
    }

    /// The leaf element (without repetition) and value conversion of a flat Arrow type.
    static func leafElement(_ name: String, _ type: DataType, path: [String]) throws(ParquetError) -> (ParquetSchemaElement, ValueConversion) {
        func leaf(_ physical: ParquetPhysicalType, _ conversion: ValueConversion, width: Int? = nil,
                  converted: ParquetConvertedType? = nil, logical: ParquetLogicalType? = nil) -> (ParquetSchemaElement, ValueConversion) {
            (ParquetSchemaElement(name: name, type: physical, typeLength: width, convertedType: converted, logicalType: logical), conversion)
        }
        switch type {
        case .null: return leaf(.int32, .null, logical: .unknown)
        case .boolean: return leaf(.boolean, .boolean)
        case .int8: return leaf(.int32, .int32Widened(byteWidth: 1, signed: true), converted: .int8, logical: .integer(bitWidth: 8, signed: true))
        case .int16: return leaf(.int32, .int32Widened(byteWidth: 2, signed: true), converted: .int16, logical: .integer(bitWidth: 16, signed: true))
        case .int32: return leaf(.int32, .int32)
        case .int64: return leaf(.int64, .int64)
        case .uint8: return leaf(.int32, .int32Widened(byteWidth: 1, signed: false), converted: .uint8, logical: .integer(bitWidth: 8, signed: false))
        case .uint16: return leaf(.int32, .int32Widened(byteWidth: 2, signed: false), converted: .uint16, logical: .integer(bitWidth: 16, signed: false))
        case .uint32: return leaf(.int32, .int32, converted: .uint32, logical: .integer(bitWidth: 32, signed: false))
        case .uint64: return leaf(.int64, .int64, converted: .uint64, logical: .integer(bitWidth: 64, signed: false))
        case .float16: return leaf(.fixedLenByteArray, .fixedBytes(width: 2), width: 2, logical: .float16)
        case .float32: return leaf(.float, .float)
        case .float64: return leaf(.double, .double)
        case .decimal32(let p, let s), .decimal64(let p, let s), .decimal128(let p, let s), .decimal256(let p, let s):
            let arrowWidth: Int
            switch type {
            case .decimal32: arrowWidth = 4
            case .decimal64: arrowWidth = 8
            case .decimal128: arrowWidth = 16
            default: arrowWidth = 32
            }
            guard (1...76).contains(p), (0...p).contains(s) else {
                throw ParquetError(.unsupported("column \(path.joined(separator: ".")): Parquet's DECIMAL needs 1 <= precision <= 76 and 0 <= scale <= precision, not (\(p), \(s))"))
            }
            let width = min(decimalBytes(precision: p), arrowWidth)
            var element = leaf(.fixedLenByteArray, .decimal(arrowWidth: arrowWidth, width: width), width: width,
                               converted: .decimal, logical: .decimal(precision: p, scale: s))
            element.0.precision = p
            element.0.scale = s
            return element
        case .date32: return leaf(.int32, .int32, converted: .date, logical: .date)
        case .date64: return leaf(.int32, .date64Days, converted: .date, logical: .date)
        case .time32(let unit):
            return leaf(.int32, unit == .second ? .int32Times1000 : .int32, converted: .timeMillis,
                        logical: .time(unit: .millis, adjustedToUTC: true))
        case .time64(let unit):
            return unit == .nanosecond
                ? leaf(.int64, .int64, logical: .time(unit: .nanos, adjustedToUTC: true))
                : leaf(.int64, .int64, converted: .timeMicros, logical: .time(unit: .micros, adjustedToUTC: true))
        case .timestamp(let unit, let zone):
            let utc = zone.map { !$0.isEmpty } ?? false
            switch unit {
            case .second, .millisecond:
                return leaf(.int64, unit == .second ? .int64Times1000 : .int64, converted: utc ? .timestampMillis : nil,
                            logical: .timestamp(unit: .millis, adjustedToUTC: utc))
            case .microsecond:
                return leaf(.int64, .int64, converted: utc ? .timestampMicros : nil, logical: .timestamp(unit: .micros, adjustedToUTC: utc))
            case .nanosecond:
                return leaf(.int64, .int64, logical: .timestamp(unit: .nanos, adjustedToUTC: utc))
            }
        case .duration:
            // As Arrow C++: a plain INT64; ARROW:schema restores the duration type.
            return leaf(.int64, .int64)
        case .utf8, .largeUtf8, .utf8View:
            return leaf(.byteArray, .byteArray, converted: .utf8, logical: .string)
        case .binary, .largeBinary, .binaryView:
            return leaf(.byteArray, .byteArray)
        case .fixedSizeBinary(let width):
            guard width > 0 else {
                throw ParquetError(.unsupported("column \(path.joined(separator: ".")): fixed_size_binary(0) has no Parquet form"))
            }
            return leaf(.fixedLenByteArray, .fixedBytes(width: width), width: width)
        default:
            throw ParquetError(.unsupported("column \(path.joined(separator: ".")): Parquet cannot hold the Arrow type \(type)"))
        }
    }
}
