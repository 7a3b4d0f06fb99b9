/// One leaf column of a Parquet schema: its path, physical type and annotation, and the maximum
/// definition and repetition levels its pages carry.
public struct ParquetColumnDescriptor: Hashable, Sendable {
    /// The names from the top-level field down to the leaf.
    public var path: [String]
    /// The leaf's schema element (physical type, width, annotations).
    public var element: ParquetSchemaElement
    /// The definition level of a present value: the number of optional or repeated nodes on the path.
    public var maxDefinitionLevel: Int
    /// The number of repeated nodes on the path; 0 for a column outside any list.
    public var maxRepetitionLevel: Int

    /// The path joined by dots, as `pq.ParquetFile(...).schema` prints it.
    public var dottedPath: String { path.joined(separator: ".") }
    /// The leaf's physical type.
    public var physicalType: ParquetPhysicalType { element.type ?? .byteArray }
}

/// A node of the schema tree with its levels: a group or a leaf column.
final class ParquetSchemaNode: Sendable {
    let element: ParquetSchemaElement
    let children: [ParquetSchemaNode]
    /// The definition level reached when this node is present (counting itself if not required).
    let definitionLevel: Int
    /// The number of repeated nodes from the root down to this one, itself included.
    let repetitionLevel: Int
    /// For leaves, the column's index among the leaves (depth-first order).
    let leafIndex: Int?
    let path: [String]

    init(element: ParquetSchemaElement, children: [ParquetSchemaNode], definitionLevel: Int, repetitionLevel: Int,
         leafIndex: Int?, path: [String]) {
        self.element = element
        self.children = children
        self.definitionLevel = definitionLevel
        self.repetitionLevel = repetitionLevel
        self.leafIndex = leafIndex
        self.path = path
    }

    var name: String { element.name }
    var isLeaf: Bool { leafIndex != nil }
    var repetition: ParquetRepetition { element.repetition ?? .required }
}

/// The schema of a Parquet file as a tree with levels, plus its leaf columns.
public struct ParquetSchema: Sendable {
    /// The deepest nesting accepted.
    static let maximumDepth = 64

    /// The flattened elements as the footer stores them (root first).
    public let elements: [ParquetSchemaElement]
    /// The leaf columns in file order; column chunks of a row group follow this order.
    public let columns: [ParquetColumnDescriptor]
    let root: ParquetSchemaNode

    /// Builds the tree from the footer's depth-first list, checking child counts and depth.
    public init(elements: [ParquetSchemaElement]) throws(ParquetError) {
        guard !elements.isEmpty else { throw ParquetError(.invalidSchema("empty schema")) }
        var position = 0
        var leaves: [ParquetColumnDescriptor] = []

        func build(parentDefinition: Int, parentRepetition: Int, path: [String], depth: Int,
                   isRoot: Bool) throws(ParquetError) -> ParquetSchemaNode {
            guard depth <= Self.maximumDepth else {
                throw ParquetError(.invalidSchema("schema nested deeper than \(Self.maximumDepth)"))
            }
            // A group's children counts are checked against the elements left when it starts, but
            // an earlier sibling's own children may use up the rest.
            guard position < elements.count else {
                throw ParquetError(.invalidSchema("the schema's groups claim more children than its \(elements.count) elements"))
            }
            let element = elements[position]
            position += 1
            let repetition = isRoot ? ParquetRepetition.required : (element.repetition ?? .required)
            let definition = parentDefinition + (repetition == .required ? 0 : 1)
            let repetitionLevel = parentRepetition + (repetition == .repeated ? 1 : 0)
            let nodePath = isRoot ? [] : path + [element.name]
            let childCount = element.childCount ?? 0
            guard childCount >= 0 else {
                throw ParquetError(.invalidSchema("\(isRoot ? "the root" : nodePath.joined(separator: ".")) claims \(childCount) children"))
            }
            if childCount > 0 || (isRoot && element.type == nil) {
                guard childCount <= elements.count - position else {
                    throw ParquetError(.invalidSchema("\(element.name) claims \(childCount) children, \(elements.count - position) elements left"))
                }
                var children: [ParquetSchemaNode] = []
                children.reserveCapacity(childCount)
                for _ in 0..<childCount {
                    children.append(try build(parentDefinition: definition, parentRepetition: repetitionLevel,
                                              path: nodePath, depth: depth + 1, isRoot: false))
                }
                return ParquetSchemaNode(element: element, children: children, definitionLevel: definition,
                                         repetitionLevel: repetitionLevel, leafIndex: nil, path: nodePath)
            }
            guard let type = element.type else {
                throw ParquetError(.invalidSchema("\(nodePath.joined(separator: ".")) is neither a group nor typed"))
            }
            if type == .fixedLenByteArray {
                guard let width = element.typeLength, width > 0, width <= 1 << 24 else {
                    throw ParquetError(.invalidSchema("FIXED_LEN_BYTE_ARRAY \(nodePath.joined(separator: ".")) of type_length \(element.typeLength.map(String.init) ?? "none") (1...16 MiB)"))
                }
            }
            guard (0...7).contains(type.rawValue) else {
                throw ParquetError(.invalidSchema("\(nodePath.joined(separator: ".")) has unknown physical type \(type.rawValue)"))
            }
            let leaf = leaves.count
            leaves.append(ParquetColumnDescriptor(path: nodePath, element: element, maxDefinitionLevel: definition,
                                                  maxRepetitionLevel: repetitionLevel))
            return ParquetSchemaNode(element: element, children: [], definitionLevel: definition,
                                     repetitionLevel: repetitionLevel, leafIndex: leaf, path: nodePath)
        }

        root = try build(parentDefinition: 0, parentRepetition: 0, path: [], depth: 0, isRoot: true)
        guard position == elements.count else {
            throw ParquetError(.invalidSchema("\(elements.count - position) schema elements after the root's children"))
        }
        self.elements = elements
        columns = leaves
    }
}
