import LightstreamArrow

/// How one Arrow field is assembled from leaf columns' levels and values.
///
/// Every node knows which level entries are its slots: the entries whose repetition level is at
/// most `slotRepetition` (a new element of the enclosing list, or a new row) and whose definition
/// level is at least `slotDefinition` (the enclosing list element exists). Its own validity is
/// `definition >= definitionLevel`.
indirect enum ColumnPlan: Sendable {
    case leaf(Leaf)
    case list(List)
    case structure(Structure)

    struct Leaf: Sendable {
        var column: Int
        /// The Arrow type read from the Parquet annotations (before any `ARROW:schema` cast).
        var type: DataType
        var nullable: Bool
        var definitionLevel: Int
        var slotRepetition: Int
        var slotDefinition: Int
    }

    struct List: Sendable {
        var type: DataType
        var nullable: Bool
        /// The level at which the list is non-null (it may still be empty).
        var definitionLevel: Int
        /// The levels of the repeated node: an entry with definition at least `elementDefinition`
        /// is an element; repetition `elementRepetition` continues the current list.
        var elementDefinition: Int
        var elementRepetition: Int
        var slotRepetition: Int
        var slotDefinition: Int
        var child: ColumnPlan
    }

    struct Structure: Sendable {
        var type: DataType
        var nullable: Bool
        var definitionLevel: Int
        var slotRepetition: Int
        var slotDefinition: Int
        var children: [ColumnPlan]
    }

    var type: DataType {
        switch self {
        case .leaf(let p): p.type
        case .list(let p): p.type
        case .structure(let p): p.type
        }
    }

    /// The first leaf column under this node (whose levels give the node's structure).
    var firstColumn: Int {
        switch self {
        case .leaf(let p): p.column
        case .list(let p): p.child.firstColumn
        case .structure(let p): p.children[0].firstColumn
        }
    }

    /// Every leaf column under this node.
    var columns: [Int] {
        switch self {
        case .leaf(let p): [p.column]
        case .list(let p): p.child.columns
        case .structure(let p): p.children.flatMap(\.columns)
        }
    }
}
