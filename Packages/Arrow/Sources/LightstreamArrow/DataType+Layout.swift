/// The physical layout of a type: which buffers an array of it has, after the validity bitmap.
public enum PhysicalLayout: Hashable, Sendable {
    /// No buffers and no validity bitmap: every slot is null.
    case null
    /// One bit-packed value buffer.
    case bitPacked
    /// One value buffer of `byteWidth`-byte values.
    case fixedWidth(byteWidth: Int)
    /// An offsets buffer of `offsetWidth`-byte integers and a data buffer.
    case variableBinary(offsetWidth: Int)
    /// A 16-byte views buffer, then any number of data buffers.
    case binaryView
    /// An offsets buffer and one child.
    case list(offsetWidth: Int)
    /// An offsets buffer, a sizes buffer and one child.
    case listView(offsetWidth: Int)
    /// No buffers; one child of `listSize` times the length.
    case fixedSizeList(listSize: Int)
    /// No buffers; one child per field.
    case `struct`
    /// A type ids buffer (and an offsets buffer when dense); no validity bitmap.
    case union(UnionMode)
    /// The layout of the index type; values live in the dictionary.
    case dictionary(indexByteWidth: Int)
    /// No buffers and no validity bitmap; run ends and values children.
    case runEndEncoded

    /// Whether arrays of this layout have a validity bitmap slot.
    public var hasValidity: Bool {
        switch self {
        case .null, .union, .runEndEncoded: false
        default: true
        }
    }

    /// The number of buffers after the validity bitmap (for views: the minimum, 1).
    public var fixedBufferCount: Int {
        switch self {
        case .null, .fixedSizeList, .struct, .runEndEncoded: 0
        case .bitPacked, .fixedWidth, .dictionary, .binaryView, .list: 1
        case .variableBinary, .listView: 2
        case let .union(mode): mode == .dense ? 2 : 1
        }
    }
}

extension DataType {
    /// The physical layout of arrays of this type.
    public var layout: PhysicalLayout {
        switch self {
        case .null: .null
        case .boolean: .bitPacked
        case .int8, .uint8: .fixedWidth(byteWidth: 1)
        case .int16, .uint16, .float16: .fixedWidth(byteWidth: 2)
        case .int32, .uint32, .float32, .date32, .time32, .decimal32: .fixedWidth(byteWidth: 4)
        case .int64, .uint64, .float64, .date64, .time64, .timestamp, .duration, .decimal64: .fixedWidth(byteWidth: 8)
        case .decimal128: .fixedWidth(byteWidth: 16)
        case .decimal256: .fixedWidth(byteWidth: 32)
        case let .interval(unit):
            switch unit {
            case .yearMonth: .fixedWidth(byteWidth: 4)
            case .dayTime: .fixedWidth(byteWidth: 8)
            case .monthDayNano: .fixedWidth(byteWidth: 16)
            }
        case let .fixedSizeBinary(width): .fixedWidth(byteWidth: width)
        case .binary, .utf8: .variableBinary(offsetWidth: 4)
        case .largeBinary, .largeUtf8: .variableBinary(offsetWidth: 8)
        case .binaryView, .utf8View: .binaryView
        case .list, .map: .list(offsetWidth: 4)
        case .largeList: .list(offsetWidth: 8)
        case .listView: .listView(offsetWidth: 4)
        case .largeListView: .listView(offsetWidth: 8)
        case let .fixedSizeList(_, size): .fixedSizeList(listSize: size)
        case .struct: .struct
        case let .union(mode, _, _): .union(mode)
        case let .dictionary(index, _, _): .dictionary(indexByteWidth: index.byteWidth ?? 0)
        case .runEndEncoded: .runEndEncoded
        }
    }

    /// The byte width of one value for fixed-width types; `nil` otherwise.
    public var byteWidth: Int? {
        if case let .fixedWidth(width) = layout { return width }
        return nil
    }
}
