import Vec64

/// A typed view of lists: `list`, `large_list`, `list_view`, `large_list_view` or
/// `fixed_size_list`. `array[i]` is the slot's values as a zero-copy slice of the child array,
/// or `nil` when the slot is null.
///
/// ```swift
/// let lists = ListArray([[1, 2], nil, [3]] as [[Int64?]?])
/// PrimitiveArray<Int64>(lists[0]!)   // [1, 2]
/// ```
public struct ListArray: ArrowArrayView, RandomAccessCollection, Equatable {
    /// The wrapped array data.
    public let data: ArrayData

    /// Wraps `data`, which must be a list, large list, list view, large list view or fixed-size
    /// list with one child and offsets (or sizes) that fit its slots.
    public init(_ data: ArrayData) throws(ArrowTypeMismatch) {
        let end = SafeSize.end(data)
        switch data.type.layout {
        case let .list(width):
            if data.length > 0 { try ArrowTypeMismatch.checkBuffer(data, 0, bytes: SafeSize.bytes(SafeSize.end(data, plus: 1), width), Self.self) }
        case let .listView(width):
            try ArrowTypeMismatch.checkBuffer(data, 1, bytes: SafeSize.bytes(end, width), Self.self)
            try ArrowTypeMismatch.checkBuffer(data, 0, bytes: SafeSize.bytes(end, width), Self.self)
        case .fixedSizeList:
            break
        default:
            try ArrowTypeMismatch.check(false, Self.self, data)
        }
        try ArrowTypeMismatch.check(data.children.count == 1, Self.self, data, "a list has one child")
        self.data = data
    }

    /// The child array holding every list's values (not sliced to this array's range).
    public var values: ArrayData { data.children[0] }

    /// The child range of slot `index`.
    public func valueRange(at index: Int) -> Range<Int> { data.listRange(at: index) }

    /// Always 0: indices count from the view's first slot, whatever `data.offset` is.
    public var startIndex: Int { 0 }
    /// The number of slots.
    public var endIndex: Int { data.length }

    /// The values of slot `index` as a slice of the child array, or `nil` when it is null.
    public subscript(index: Int) -> ArrayData? {
        if data.isNull(index) { return nil }
        return values.slice(data.listRange(at: index))
    }
}

extension DataType {
    var isMap: Bool {
        if case .map = self { return true }
        return false
    }
}

/// A typed view of a struct array: one child array per field.
public struct StructArray: ArrowArrayView, Equatable {
    /// The wrapped array data.
    public let data: ArrayData

    /// Wraps `data`, which must be a struct with one child per field, each at least as long as
    /// the struct's slots.
    public init(_ data: ArrayData) throws(ArrowTypeMismatch) {
        guard case let .struct(fields) = data.type else { throw ArrowTypeMismatch(view: "StructArray", actual: data.type) }
        try ArrowTypeMismatch.check(data.children.count == fields.count, Self.self, data, "one child per field")
        for child in data.children {
            try ArrowTypeMismatch.check(child.length >= SafeSize.end(data), Self.self, data, "child shorter than the struct")
        }
        self.data = data
    }

    /// A struct array of the given named columns (all of equal length), with optional validity.
    public init(_ columns: KeyValuePairs<String, any ArrayDataConvertible>, validity: [Bool]? = nil) {
        let fields = columns.map { Field($0.key, $0.value.data.type) }
        let length = columns.first?.value.data.length ?? validity?.count ?? 0
        precondition(columns.allSatisfy { $0.value.data.length == length }, "StructArray: columns of different lengths")
        let bitmap = validity.map { Bitmap($0).alignedBuffer() }
        self.data = ArrayData(type: .struct(fields), length: length, validity: bitmap, children: columns.map { $0.value.data })
    }

    /// The fields.
    public var fields: [Field] { data.type.children }

    /// Column `index`, sliced to this array's slots (struct-level nulls are not applied).
    public func column(_ index: Int) -> ArrayData {
        data.children[index].slice(data.offset..<(data.offset + data.length))
    }

    /// The column of the first field named `name`.
    public func column(named name: String) -> ArrayData? {
        fields.firstIndex { $0.name == name }.map(column)
    }
}

/// A typed view of a map array: a list of key-value entries per slot.
public struct MapArray: ArrowArrayView, RandomAccessCollection, Equatable {
    /// The wrapped array data.
    public let data: ArrayData

    /// Wraps `data`, which must be a map whose entries have a key and a value child and whose
    /// offsets fit its slots.
    public init(_ data: ArrayData) throws(ArrowTypeMismatch) {
        try ArrowTypeMismatch.check(data.type.isMap, Self.self, data)
        try ArrowTypeMismatch.check(data.children.count == 1 && data.children[0].children.count == 2, Self.self, data, "entries must be a struct of key and value")
        if data.length > 0 { try ArrowTypeMismatch.checkBuffer(data, 0, bytes: SafeSize.bytes(SafeSize.end(data, plus: 1), 4), Self.self) }
        self.data = data
    }

    /// Every key (not sliced to this array's range).
    public var keys: ArrayData { entries.children[0] }
    /// Every value (not sliced to this array's range).
    public var items: ArrayData { entries.children[1] }
    var entries: ArrayData { data.children[0] }

    /// Always 0: indices count from the view's first slot, whatever `data.offset` is.
    public var startIndex: Int { 0 }
    /// The number of slots.
    public var endIndex: Int { data.length }

    /// The keys and values of slot `index` as zero-copy slices, or `nil` when it is null.
    public subscript(index: Int) -> (keys: ArrayData, values: ArrayData)? {
        if data.isNull(index) { return nil }
        let r = data.listRange(at: index)
        let shifted = (entries.offset + r.lowerBound)..<(entries.offset + r.upperBound)
        return (keys.slice(shifted), items.slice(shifted))
    }
}

/// A typed view of a dictionary-encoded array: integer indices into a dictionary of values.
public struct DictionaryArray: ArrowArrayView, RandomAccessCollection, Equatable {
    /// The wrapped array data.
    public let data: ArrayData

    /// Wraps `data`, which must be dictionary-encoded, carry its dictionary and have an index
    /// buffer that fits its slots.
    public init(_ data: ArrayData) throws(ArrowTypeMismatch) {
        guard case let .dictionary(index, _, _) = data.type else { throw ArrowTypeMismatch(view: "DictionaryArray", actual: data.type) }
        try ArrowTypeMismatch.check(data.dictionary != nil, Self.self, data, "no dictionary")
        try ArrowTypeMismatch.checkBuffer(data, 0, bytes: SafeSize.bytes(SafeSize.end(data), index.byteWidth ?? 0), Self.self)
        self.data = data
    }

    /// The dictionary values.
    public var dictionary: ArrayData { data.dictionary! }

    /// The indices as an array of the index type (sharing the buffers).
    public var indices: ArrayData {
        guard case let .dictionary(index, _, _) = data.type else { preconditionFailure() }
        return ArrayData(type: index, length: data.length, offset: data.offset, validity: data.validity, buffers: data.buffers, nullCount: data.knownNullCount)
    }

    /// Always 0: indices count from the view's first slot, whatever `data.offset` is.
    public var startIndex: Int { 0 }
    /// The number of slots.
    public var endIndex: Int { data.length }

    /// The dictionary index in slot `index`, or `nil` when it is null.
    public subscript(index: Int) -> Int? {
        data.isNull(index) ? nil : data.integerValue(at: index)
    }
}
