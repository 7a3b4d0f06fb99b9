import LightstreamArrow
import LightstreamIPC
import Vec64

/// The `ARROW:schema` key: a base64 IPC schema message that pyarrow and arrow-rs store so the
/// exact Arrow types (dictionaries, large and view types, time zones, durations, extension
/// metadata) come back on reading.
enum ArrowSchemaRestore {
    static let key = "ARROW:schema"

    /// The stored schema, or nil when the key is absent or cannot be decoded (as pyarrow does,
    /// a broken key falls back to the Parquet schema).
    static func storedSchema(_ metadata: ParquetFileMetadata) -> Schema? {
        guard let text = metadata.metadataValue(forKey: key), let bytes = ArrowBase64.decode(text) else { return nil }
        return try? IPCSchema(encapsulatedMessage: bytes).schema
    }

    /// The field to produce: the stored field when its type can be made from what was read, else
    /// the read field.
    static func restore(_ read: Field, stored: Field) -> Field {
        guard let type = restoredType(read.type, stored.type) else { return read }
        return Field(read.name, type, nullable: read.nullable, metadata: stored.metadata)
    }

    /// The stored type when the array read as `read` can be cast to it.
    static func restoredType(_ read: DataType, _ stored: DataType) -> DataType? {
        if read == stored { return stored }
        switch (read, stored) {
        case (.utf8, .largeUtf8), (.utf8, .utf8View), (.binary, .largeBinary), (.binary, .binaryView),
             (.binary, .utf8), (.binary, .largeUtf8):
            return stored
        case (.utf8, .dictionary(.int32, .utf8, _)), (.binary, .dictionary(.int32, .binary, _)),
             (.utf8, .dictionary(.int32, .largeUtf8, _)), (.binary, .dictionary(.int32, .largeBinary, _)):
            return stored
        case (.timestamp(let unit, let zone), .timestamp(_, let storedZone)):
            // As pyarrow: the unit stays the one read; the stored time zone replaces UTC only.
            if zone == "UTC", let storedZone, !storedZone.isEmpty { return .timestamp(unit, timezone: storedZone) }
            return read
        case (.int64, .duration), (.int64, .timestamp):
            return stored
        case (.decimal128, .decimal32), (.decimal128, .decimal64), (.decimal128, .decimal256):
            return stored
        case (.int64, .uint32):
            return stored
        case (.fixedSizeBinary(let a), .fixedSizeBinary(let b)) where a == b:
            return stored
        case (.list(let r), .list(let s)), (.list(let r), .largeList(let s)):
            // The element keeps the Parquet name (`element`, or a legacy name), as in pyarrow.
            guard let child = restoredType(r.type, s.type) else { return nil }
            let field = Field(r.name, child, nullable: r.nullable, metadata: s.metadata)
            if case .largeList = stored { return .largeList(field) }
            return .list(field)
        case (.list(let r), .fixedSizeList(let s, let size)):
            guard let child = restoredType(r.type, s.type) else { return nil }
            return .fixedSizeList(Field(r.name, child, nullable: r.nullable, metadata: s.metadata), listSize: size)
        case (.struct(let r), .struct(let s)) where r.count == s.count:
            var fields: [Field] = []
            for (a, b) in zip(r, s) {
                guard let t = restoredType(a.type, b.type) else { return nil }
                fields.append(Field(a.name, t, nullable: a.nullable, metadata: b.metadata))
            }
            return .struct(fields)
        case (.map(let r, _), .map(let s, let sorted)):
            guard let t = restoredType(r.type, s.type) else { return nil }
            return .map(entries: Field(r.name, t, nullable: false, metadata: s.metadata), keysSorted: sorted)
        case (.null, .null):
            return stored
        default:
            return nil
        }
    }
}
