/// A named, typed column or child: name, type, nullability and key-value metadata.
public struct Field: Hashable, Sendable {
    /// The metadata key naming an extension type.
    public static let extensionNameKey = "ARROW:extension:name"
    /// The metadata key holding an extension type's serialized parameters.
    public static let extensionMetadataKey = "ARROW:extension:metadata"

    /// The field's name.
    public var name: String
    /// The logical type.
    public var type: DataType
    /// Whether slots may be null.
    public var nullable: Bool
    /// Custom key-value metadata (Arrow keeps it as a list of pairs; keys are unique here).
    public var metadata: [String: String]

    /// Creates a field.
    public init(_ name: String, _ type: DataType, nullable: Bool = true, metadata: [String: String] = [:]) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.metadata = metadata
    }

    /// The children of a nested type's field (list item, struct fields, union members, ...).
    public var children: [Field] { type.children }

    /// The extension type name (`ARROW:extension:name`), when this field holds an extension type.
    public var extensionName: String? { metadata[Field.extensionNameKey] }

    /// The extension type's serialized metadata (`ARROW:extension:metadata`).
    public var extensionMetadata: String? { metadata[Field.extensionMetadataKey] }

    /// A field of extension type `name` over storage type `storage`.
    public static func `extension`(
        _ fieldName: String, name: String, storage: DataType, serialized: String = "",
        nullable: Bool = true, metadata: [String: String] = [:]
    ) -> Field {
        var all = metadata
        all[extensionNameKey] = name
        all[extensionMetadataKey] = serialized
        return Field(fieldName, storage, nullable: nullable, metadata: all)
    }
}

/// The fields of a record batch or table, with schema-level metadata.
public struct Schema: Hashable, Sendable {
    /// The top-level fields, one per column.
    public var fields: [Field]
    /// Custom key-value metadata of the schema.
    public var metadata: [String: String]

    /// Creates a schema of `fields`.
    public init(_ fields: [Field], metadata: [String: String] = [:]) {
        self.fields = fields
        self.metadata = metadata
    }

    /// The index of the first field named `name`.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// The first field named `name`.
    public func field(named name: String) -> Field? {
        index(of: name).map { fields[$0] }
    }
}

extension Schema: CustomStringConvertible {
    /// One `name: type` line per field, like pyarrow's schema printout.
    public var description: String {
        fields.map { "\($0.name): \($0.type)\($0.nullable ? "" : " not null")" }.joined(separator: "\n")
    }
}
