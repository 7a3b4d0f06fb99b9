/// One node of the flattened Parquet schema (`SchemaElement` of parquet.thrift): a group when it
/// has children, else a leaf column with a physical type.
public struct ParquetSchemaElement: Hashable, Sendable {
    /// The name of the field (for the root, of the schema).
    public var name: String
    /// The physical type of a leaf; nil for groups.
    public var type: ParquetPhysicalType?
    /// The byte width of a FIXED_LEN_BYTE_ARRAY leaf.
    public var typeLength: Int?
    /// Nil only for the root.
    public var repetition: ParquetRepetition?
    /// The number of children of a group; nil or 0 for leaves.
    public var childCount: Int?
    /// The deprecated annotation (`converted_type`), superseded by ``logicalType``.
    public var convertedType: ParquetConvertedType?
    /// The digits after the decimal point of a DECIMAL (deprecated; see ``logicalType``).
    public var scale: Int?
    /// The total digits of a DECIMAL (deprecated; see ``logicalType``).
    public var precision: Int?
    /// The field id of the original schema, when it had ids (`field_id`).
    public var fieldID: Int?
    /// The logical type annotation (`logicalType`), which replaces ``convertedType``.
    public var logicalType: ParquetLogicalType?

    /// Creates a schema element; leave `type` nil for a group.
    public init(name: String, type: ParquetPhysicalType? = nil, typeLength: Int? = nil,
                repetition: ParquetRepetition? = nil, childCount: Int? = nil,
                convertedType: ParquetConvertedType? = nil, scale: Int? = nil, precision: Int? = nil,
                fieldID: Int? = nil, logicalType: ParquetLogicalType? = nil) {
        self.name = name
        self.type = type
        self.typeLength = typeLength
        self.repetition = repetition
        self.childCount = childCount
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.fieldID = fieldID
        self.logicalType = logicalType
    }
}

extension ParquetSchemaElement {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        var element = ParquetSchemaElement(name: "")
        var sawName = false
        try r.readStruct { r, f throws(ParquetError) in
            switch f.id {
            case 1: element.type = ParquetPhysicalType(rawValue: try r.i32(f))
            case 2: element.typeLength = Int(try r.i32(f))
            case 3:
                let raw = try r.i32(f)
                guard let repetition = ParquetRepetition(rawValue: raw) else { throw r.corrupt("repetition type \(raw)") }
                element.repetition = repetition
            case 4: element.name = try r.string(f); sawName = true
            case 5: element.childCount = Int(try r.i32(f))
            case 6: element.convertedType = ParquetConvertedType(rawValue: try r.i32(f))
            case 7: element.scale = Int(try r.i32(f))
            case 8: element.precision = Int(try r.i32(f))
            case 9: element.fieldID = Int(try r.i32(f))
            case 10: element.logicalType = try ParquetLogicalType(reading: &r, f)
            default: try r.skip(f.type)
            }
        }
        guard sawName else { throw r.corrupt("SchemaElement without a name") }
        self = element
    }
}
