import Vec64

/// Builds `list` (or `large_list` with `Offset == Int64`) arrays whose values go into a child
/// builder.
///
/// ```swift
/// var b = ListBuilder(PrimitiveBuilder<Int64>())
/// b.append { $0.append(1); $0.append(2) }
/// b.appendNull()
/// let lists = try ListArray(b.finish())
/// ```
public struct GenericListBuilder<Offset: FixedWidthInteger & ArrowNativeType, Child: ArrayBuilder>: ArrayBuilder {
    /// The builder of the list values.
    public var child: Child
    /// The field of the list items: their name, the child builder's type and their nullability.
    public let itemField: Field
    private var offsets: Vec64<Offset> = [0]
    private var validity = ValidityBuilder()

    /// A list builder whose items (named `item`, nullable by default) are built by `child`.
    public init(_ child: Child, itemName: String = "item", itemNullable: Bool = true) {
        precondition(Offset.self == Int32.self || Offset.self == Int64.self, "GenericListBuilder: offsets are Int32 (list) or Int64 (large list)")
        self.child = child
        itemField = Field(itemName, child.dataType, nullable: itemNullable)
    }

    /// `.list(itemField)`, or `.largeList(itemField)` with `Int64` offsets.
    public var dataType: DataType { Offset.self == Int64.self ? .largeList(itemField) : .list(itemField) }
    /// The number of lists appended so far.
    public var count: Int { offsets.count - 1 }

    /// Appends one list whose values `body` appends to the child builder.
    public mutating func append(_ body: (inout Child) throws -> Void) rethrows {
        try body(&child)
        offsets.append(Offset(child.count))
        validity.append(true)
    }

    /// Appends a null list (an empty range of the child).
    public mutating func appendNull() {
        offsets.append(Offset(child.count))
        validity.append(false)
    }

    /// Returns the array built so far, with the finished child, and resets the builder.
    public mutating func finish() -> ArrayData {
        let (bitmap, nulls) = validity.finish()
        let data = ArrayData(type: dataType, length: count, validity: bitmap, buffers: [offsets.freeze()], children: [child.finish()], nullCount: nulls)
        offsets = [0]
        return data
    }
}

/// Builds `list` arrays (32-bit offsets) whose values go into a `Child` builder.
public typealias ListBuilder<Child: ArrayBuilder> = GenericListBuilder<Int32, Child>
/// Builds `large_list` arrays (64-bit offsets) whose values go into a `Child` builder.
public typealias LargeListBuilder<Child: ArrayBuilder> = GenericListBuilder<Int64, Child>

/// Builds struct arrays: one child builder per field; each `append` adds one slot to every
/// child.
public struct StructBuilder: ArrayBuilder {
    /// The struct's fields, named as given and typed by their child builders.
    public let fields: [Field]
    private var children: [any ArrayBuilder]
    private var validity = ValidityBuilder()

    /// A struct builder with the named child builders.
    public init(_ children: KeyValuePairs<String, any ArrayBuilder>) {
        fields = children.map { Field($0.key, $0.value.dataType) }
        self.children = children.map(\.value)
    }

    /// `.struct(fields)`.
    public var dataType: DataType { .struct(fields) }
    /// The number of slots appended so far.
    public var count: Int { validity.count }

    /// Appends one valid slot; `body` must append exactly one slot to every child through
    /// ``StructBuilder/Row/child(_:as:_:)``.
    public mutating func append(_ body: (inout Row) throws -> Void) rethrows {
        var row = Row(children: children)
        children = []
        defer { children = row.children }
        try body(&row)
        validity.append(true)
        for (i, child) in row.children.enumerated() {
            precondition(child.count == validity.count, "StructBuilder: field '\(fields[i].name)' has \(child.count) slots after appending row \(validity.count)")
        }
    }

    /// Appends a null slot (a null in every child, as Arrow writers do).
    public mutating func appendNull() {
        for i in children.indices { children[i].appendNull() }
        validity.append(false)
    }

    /// Returns the array built so far, with every child finished, and resets the builder.
    public mutating func finish() -> ArrayData {
        let length = count
        let (bitmap, nulls) = validity.finish()
        let childData = children.indices.map { children[$0].finish() }
        return ArrayData(type: dataType, length: length, validity: bitmap, children: childData, nullCount: nulls)
    }

    /// The child builders of one row being appended.
    public struct Row {
        var children: [any ArrayBuilder]

        /// Appends to child `index`, which must be a builder of type `B`.
        public mutating func child<B: ArrayBuilder>(_ index: Int, as type: B.Type, _ body: (inout B) throws -> Void) rethrows {
            guard var builder = children[index] as? B else {
                preconditionFailure("StructBuilder: child \(index) is a \(Swift.type(of: children[index])), not \(B.self)")
            }
            try body(&builder)
            children[index] = builder
        }
    }
}

/// Builds dictionary-encoded arrays: each distinct value is stored once in the dictionary and
/// every slot holds an `Index` into it.
public struct DictionaryBuilder<Index: FixedWidthInteger & ArrowNativeType, Value: Hashable>: ArrayBuilder {
    private var indices: PrimitiveBuilder<Index>
    private var positions: [Value: Index] = [:]
    private var values: [Value] = []
    private let makeDictionary: ([Value]) -> ArrayData
    private let valueType: DataType
    /// Whether the order of the dictionary values is meaningful (the type's `ordered` flag).
    public let ordered: Bool

    /// A dictionary builder whose dictionary is built from the distinct values by `makeDictionary`.
    public init(valueType: DataType, ordered: Bool = false, makeDictionary: @escaping ([Value]) -> ArrayData) {
        indices = PrimitiveBuilder<Index>()
        self.valueType = valueType
        self.ordered = ordered
        self.makeDictionary = makeDictionary
    }

    /// A dictionary type of `Index.defaultDataType` indices into values of the value type.
    public var dataType: DataType { .dictionary(index: Index.defaultDataType, value: valueType, ordered: ordered) }
    /// The number of slots appended so far.
    public var count: Int { indices.count }
    /// The number of distinct values so far.
    public var dictionaryCount: Int { values.count }

    /// Appends `value`, adding it to the dictionary if it is new.
    public mutating func append(_ value: Value) {
        if let index = positions[value] {
            indices.append(index)
            return
        }
        precondition(Index.max > values.count, "DictionaryBuilder: more distinct values than \(Index.self) can index")
        let index = Index(values.count)
        positions[value] = index
        values.append(value)
        indices.append(index)
    }

    /// Appends `value` or, for `nil`, a null.
    public mutating func append(_ value: Value?) {
        if let value { append(value) } else { appendNull() }
    }

    /// Appends a null slot (a null index).
    public mutating func appendNull() { indices.appendNull() }

    /// Returns the array built so far, with a dictionary of its distinct values in order of first
    /// appearance, and resets the builder.
    public mutating func finish() -> ArrayData {
        let indexData = indices.finish()
        let data = ArrayData(type: dataType, length: indexData.length, validity: indexData.validity, buffers: indexData.buffers,
                             dictionary: makeDictionary(values), nullCount: indexData.nullCount)
        positions = [:]
        values = []
        return data
    }
}

extension DictionaryBuilder where Value == String {
    /// A builder of dictionary-encoded strings (a `utf8` dictionary).
    public init(ordered: Bool = false) {
        self.init(valueType: .utf8, ordered: ordered) { StringArray($0.map { Optional($0) }).data }
    }
}

extension DictionaryBuilder where Value: ArrowNativeType {
    /// A builder of dictionary-encoded fixed-width values.
    public init(ordered: Bool = false) {
        self.init(valueType: Value.defaultDataType, ordered: ordered) { PrimitiveArray<Value>($0).data }
    }
}

extension ListArray {
    /// A `list` array of fixed-width values from nested Swift arrays (`nil` for a null list or item).
    public init<T: ArrowNativeType>(_ lists: some Sequence<[T?]?>) {
        var builder = ListBuilder(PrimitiveBuilder<T>())
        for list in lists {
            if let list { builder.append { child in for item in list { child.append(item) } } } else { builder.appendNull() }
        }
        self = try! ListArray(builder.finish())
    }

    /// A `list<string>` array from nested Swift arrays.
    public init(_ lists: some Sequence<[String?]?>) {
        var builder = ListBuilder(StringBuilder())
        for list in lists {
            if let list { builder.append { child in for item in list { child.append(item) } } } else { builder.appendNull() }
        }
        self = try! ListArray(builder.finish())
    }
}

extension DictionaryArray {
    /// A dictionary-encoded `utf8` array with `Int32` indices from strings.
    public init(_ values: some Sequence<String?>) {
        var builder = DictionaryBuilder<Int32, String>()
        for value in values { builder.append(value) }
        self = try! DictionaryArray(builder.finish())
    }
}
