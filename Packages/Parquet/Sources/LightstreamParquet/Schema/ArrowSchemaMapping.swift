import LightstreamArrow

/// The Arrow schema of a Parquet schema, following the specification's logical types and its
/// backward-compatibility rules for lists and maps, with names as pyarrow gives them.
struct ArrowSchemaMapping: Sendable {
    /// One top-level field per root child.
    var fields: [Field]
    var plans: [ColumnPlan]

    init(_ schema: ParquetSchema) throws(ParquetError) {
        var fields: [Field] = []
        var plans: [ColumnPlan] = []
        for child in schema.root.children {
            let (field, plan) = try Self.map(child, slotRepetition: 0, slotDefinition: 0)
            fields.append(field)
            plans.append(plan)
        }
        self.fields = fields
        self.plans = plans
    }

    private static func isList(_ element: ParquetSchemaElement) -> Bool {
        element.logicalType == .list || element.convertedType == .list
    }

    private static func isMap(_ element: ParquetSchemaElement) -> Bool {
        element.logicalType == .map || element.convertedType == .map || element.convertedType == .mapKeyValue
    }

    static func map(_ node: ParquetSchemaNode, slotRepetition: Int, slotDefinition: Int) throws(ParquetError) -> (Field, ColumnPlan) {
        if node.repetition == .repeated {
            // A repeated field outside a LIST/MAP: a non-null list of non-null elements.
            let (element, child) = try mapElement(node, slotRepetition: node.repetitionLevel, slotDefinition: node.definitionLevel)
            let type = DataType.list(Field(node.name, element.type, nullable: false, metadata: element.metadata))
            let plan = ColumnPlan.List(type: type, nullable: false, definitionLevel: slotDefinition,
                                       elementDefinition: node.definitionLevel, elementRepetition: node.repetitionLevel,
                                       slotRepetition: slotRepetition, slotDefinition: slotDefinition, child: child)
            return (Field(node.name, type, nullable: false), .list(plan))
        }
        return try mapElement(node, slotRepetition: slotRepetition, slotDefinition: slotDefinition)
    }

    /// Maps a node as if it were not repeated (the element of a list made of it).
    private static func mapElement(_ node: ParquetSchemaNode, slotRepetition: Int, slotDefinition: Int) throws(ParquetError) -> (Field, ColumnPlan) {
        let nullable = node.repetition == .optional
        let path = node.path.joined(separator: ".")
        if node.isLeaf {
            let type = try leafType(node.element, path: path)
            let plan = ColumnPlan.Leaf(column: node.leafIndex!, type: type, nullable: nullable,
                                       definitionLevel: node.definitionLevel, slotRepetition: slotRepetition,
                                       slotDefinition: slotDefinition)
            return (Field(node.name, type, nullable: nullable), .leaf(plan))
        }
        if isList(node.element) {
            guard node.children.count == 1, node.children[0].repetition == .repeated else {
                throw ParquetError(.invalidSchema("LIST group \(path) must have exactly one repeated child"))
            }
            return try mapList(node, nullable: nullable, slotRepetition: slotRepetition, slotDefinition: slotDefinition)
        }
        if isMap(node.element) {
            guard node.children.count == 1, node.children[0].repetition == .repeated, !node.children[0].isLeaf else {
                throw ParquetError(.invalidSchema("MAP group \(path) must have exactly one repeated key-value group"))
            }
            return try mapMap(node, nullable: nullable, slotRepetition: slotRepetition, slotDefinition: slotDefinition)
        }
        guard !node.children.isEmpty else {
            throw ParquetError(.invalidSchema("group \(path) has no children"))
        }
        var fields: [Field] = []
        var plans: [ColumnPlan] = []
        for child in node.children {
            let (field, plan) = try map(child, slotRepetition: slotRepetition, slotDefinition: slotDefinition)
            fields.append(field)
            plans.append(plan)
        }
        let type = DataType.struct(fields)
        let plan = ColumnPlan.Structure(type: type, nullable: nullable, definitionLevel: node.definitionLevel,
                                        slotRepetition: slotRepetition, slotDefinition: slotDefinition, children: plans)
        return (Field(node.name, type, nullable: nullable), .structure(plan))
    }

    /// A LIST-annotated group: its repeated child is the element itself (two-level and legacy
    /// forms) or holds the element (the three-level form), by the specification's rules.
    private static func mapList(_ node: ParquetSchemaNode, nullable: Bool, slotRepetition: Int, slotDefinition: Int) throws(ParquetError) -> (Field, ColumnPlan) {
        let repeated = node.children[0]
        let elementIsRepeated = repeated.isLeaf || repeated.children.count > 1
            || repeated.name == "array" || repeated.name == node.name + "_tuple"
        let (element, child): (Field, ColumnPlan)
        if elementIsRepeated {
            (element, child) = try mapElement(repeated, slotRepetition: repeated.repetitionLevel, slotDefinition: repeated.definitionLevel)
        } else {
            (element, child) = try map(repeated.children[0], slotRepetition: repeated.repetitionLevel, slotDefinition: repeated.definitionLevel)
        }
        let type = DataType.list(element)
        let plan = ColumnPlan.List(type: type, nullable: nullable, definitionLevel: node.definitionLevel,
                                   elementDefinition: repeated.definitionLevel, elementRepetition: repeated.repetitionLevel,
                                   slotRepetition: slotRepetition, slotDefinition: slotDefinition, child: child)
        return (Field(node.name, type, nullable: nullable), .list(plan))
    }

    /// A MAP group: a repeated key-value group of a required key and an optional value (a map
    /// without a value reads as a list of keys, as pyarrow reads it).
    private static func mapMap(_ node: ParquetSchemaNode, nullable: Bool, slotRepetition: Int, slotDefinition: Int) throws(ParquetError) -> (Field, ColumnPlan) {
        let keyValue = node.children[0]
        let path = node.path.joined(separator: ".")
        guard (1...2).contains(keyValue.children.count) else {
            throw ParquetError(.invalidSchema("map \(path) has \(keyValue.children.count) fields in its key-value group"))
        }
        guard keyValue.children[0].repetition == .required else {
            throw ParquetError(.invalidSchema("map \(path) has a key that is not required"))
        }
        var fields: [Field] = []
        var plans: [ColumnPlan] = []
        for child in keyValue.children {
            let (field, plan) = try map(child, slotRepetition: keyValue.repetitionLevel, slotDefinition: keyValue.definitionLevel)
            fields.append(field)
            plans.append(plan)
        }
        let child: ColumnPlan
        let type: DataType
        if fields.count == 1 {
            type = .list(fields[0])
            child = plans[0]
        } else {
            let entries = Field(node.name, .struct(fields), nullable: false)
            type = .map(entries: entries, keysSorted: false)
            child = .structure(ColumnPlan.Structure(
                type: entries.type, nullable: false, definitionLevel: keyValue.definitionLevel,
                slotRepetition: keyValue.repetitionLevel, slotDefinition: keyValue.definitionLevel, children: plans))
        }
        let plan = ColumnPlan.List(type: type, nullable: nullable, definitionLevel: node.definitionLevel,
                                   elementDefinition: keyValue.definitionLevel, elementRepetition: keyValue.repetitionLevel,
                                   slotRepetition: slotRepetition, slotDefinition: slotDefinition, child: child)
        return (Field(node.name, type, nullable: nullable), .list(plan))
    }

    /// The Arrow type of a leaf from its physical type and annotations.
    static func leafType(_ element: ParquetSchemaElement, path: String) throws(ParquetError) -> DataType {
        let physical = element.type ?? .byteArray
        func invalid(_ annotation: String) -> ParquetError {
            ParquetError(.invalidSchema("\(annotation) cannot annotate \(physical)"), column: path)
        }
        func decimal(_ precision: Int, _ scale: Int) throws(ParquetError) -> DataType {
            guard precision >= 1, scale >= 0, scale <= precision, precision <= 76 else {
                throw ParquetError(.invalidSchema("decimal(\(precision), \(scale))"), column: path)
            }
            return precision <= 38 ? .decimal128(precision: precision, scale: scale) : .decimal256(precision: precision, scale: scale)
        }
        func arrowUnit(_ unit: ParquetTimeUnit) -> TimeUnit {
            switch unit {
            case .millis: .millisecond
            case .micros: .microsecond
            case .nanos: .nanosecond
            }
        }
        if let logical = element.logicalType {
            switch logical {
            case .unknown: return .null
            case .string, .enum, .json:
                guard physical == .byteArray else { throw invalid("\(logical)") }
                return .utf8
            case .bson:
                guard physical == .byteArray else { throw invalid("BSON") }
                return .binary
            case .uuid:
                guard physical == .fixedLenByteArray, element.typeLength == 16 else { throw invalid("UUID") }
                return .fixedSizeBinary(byteWidth: 16)
            case .float16:
                guard physical == .fixedLenByteArray, element.typeLength == 2 else { throw invalid("FLOAT16") }
                return .float16
            case .date:
                guard physical == .int32 else { throw invalid("DATE") }
                return .date32
            case .decimal(let precision, let scale):
                guard [.int32, .int64, .fixedLenByteArray, .byteArray].contains(physical) else { throw invalid("DECIMAL") }
                return try decimal(precision, scale)
            case .time(let unit, _):
                switch (unit, physical) {
                case (.millis, .int32): return .time32(.millisecond)
                case (.micros, .int64), (.nanos, .int64): return .time64(arrowUnit(unit))
                default: throw invalid("TIME(\(unit))")
                }
            case .timestamp(let unit, let utc):
                guard physical == .int64 else { throw invalid("TIMESTAMP") }
                return .timestamp(arrowUnit(unit), timezone: utc ? "UTC" : nil)
            case .integer(let width, let signed):
                switch (width, signed, physical) {
                case (8, true, .int32): return .int8
                case (16, true, .int32): return .int16
                case (32, true, .int32): return .int32
                case (64, true, .int64): return .int64
                case (8, false, .int32): return .uint8
                case (16, false, .int32): return .uint16
                case (32, false, .int32): return .uint32
                case (64, false, .int64): return .uint64
                default: throw invalid("INTEGER(\(width), \(signed))")
                }
            case .list, .map:
                throw ParquetError(.invalidSchema("\(logical) annotates a primitive column"), column: path)
            case .variant, .geometry, .geography, .other:
                break   // read as the physical type, as pyarrow does for types it does not know
            }
        } else if let converted = element.convertedType {
            switch converted {
            case .utf8, .enum, .json:
                if physical == .byteArray { return .utf8 }
            case .bson:
                if physical == .byteArray { return .binary }
            case .decimal:
                guard [.int32, .int64, .fixedLenByteArray, .byteArray].contains(physical) else { throw invalid("DECIMAL") }
                return try decimal(element.precision ?? 0, element.scale ?? 0)
            case .date: if physical == .int32 { return .date32 }
            case .timeMillis: if physical == .int32 { return .time32(.millisecond) }
            case .timeMicros: if physical == .int64 { return .time64(.microsecond) }
            case .timestampMillis: if physical == .int64 { return .timestamp(.millisecond, timezone: "UTC") }
            case .timestampMicros: if physical == .int64 { return .timestamp(.microsecond, timezone: "UTC") }
            case .int8: if physical == .int32 { return .int8 }
            case .int16: if physical == .int32 { return .int16 }
            case .int32: if physical == .int32 { return .int32 }
            case .int64: if physical == .int64 { return .int64 }
            case .uint8: if physical == .int32 { return .uint8 }
            case .uint16: if physical == .int32 { return .uint16 }
            case .uint32: if physical == .int32 { return .uint32 }
            case .uint64: if physical == .int64 { return .uint64 }
            default: break
            }
        }
        switch physical {
        case .boolean: return .boolean
        case .int32: return .int32
        case .int64: return .int64
        case .int96: return .timestamp(.nanosecond, timezone: nil)
        case .float: return .float32
        case .double: return .float64
        case .byteArray: return .binary
        case .fixedLenByteArray: return .fixedSizeBinary(byteWidth: element.typeLength ?? 0)
        default: throw ParquetError(.invalidSchema("unknown physical type \(physical.rawValue)"), column: path)
        }
    }
}
