import Vec64

/// Checks the buffers a binary or string view needs for `data`'s layout.
private func checkBinaryBuffers(_ data: ArrayData, _ view: Any.Type) throws(ArrowTypeMismatch) {
    let end = SafeSize.end(data)
    switch data.type.layout {
    case let .variableBinary(width):
        try ArrowTypeMismatch.checkBuffer(data, 1, bytes: 0, view)
        if data.length > 0 { try ArrowTypeMismatch.checkBuffer(data, 0, bytes: SafeSize.bytes(SafeSize.end(data, plus: 1), width), view) }
    case .binaryView:
        try ArrowTypeMismatch.checkBuffer(data, 0, bytes: SafeSize.bytes(end, 16), view)
    case let .fixedWidth(width):
        try ArrowTypeMismatch.checkBuffer(data, 0, bytes: SafeSize.bytes(end, width), view)
    default:
        try ArrowTypeMismatch.check(false, view, data)
    }
}

/// A typed view of text: `utf8` (32-bit offsets), `large_utf8` (64-bit offsets) or
/// `utf8_view` (the view layout). `array[i]` is a `String` or `nil`.
///
/// Strings are decoded on access; ``utf8(at:)`` gives the bytes without a copy.
public struct StringArray: ArrowArrayView, RandomAccessCollection, Equatable, ExpressibleByArrayLiteral {
    /// The wrapped array data.
    public let data: ArrayData

    /// Wraps `data`, which must be `utf8`, `large_utf8` or `utf8_view` with buffers that fit its slots.
    public init(_ data: ArrayData) throws(ArrowTypeMismatch) {
        try ArrowTypeMismatch.check([.utf8, .largeUtf8, .utf8View].contains(data.type), Self.self, data)
        try checkBinaryBuffers(data, Self.self)
        self.data = data
    }

    /// A `utf8` array (or `large_utf8` / `utf8_view` when `type` says so) of `values`.
    public init(_ values: some Sequence<String?>, type: DataType = .utf8) {
        switch type {
        case .largeUtf8:
            var builder = LargeStringBuilder()
            for value in values { builder.append(value) }
            self = try! StringArray(builder.finish())
        case .utf8View:
            var builder = StringViewBuilder()
            for value in values { builder.append(value) }
            self = try! StringArray(builder.finish())
        default:
            var builder = StringBuilder()
            for value in values { builder.append(value) }
            self = try! StringArray(builder.finish())
        }
    }

    /// A `utf8` array of the literal's strings, `nil` for null.
    public init(arrayLiteral elements: String?...) { self.init(elements) }

    /// Always 0: indices count from the view's first slot, whatever `data.offset` is.
    public var startIndex: Int { 0 }
    /// The number of slots.
    public var endIndex: Int { data.length }

    /// The string in slot `index`, or `nil` when it is null. Invalid UTF-8 (in data that was
    /// not validated) is repaired with U+FFFD.
    public subscript(index: Int) -> String? {
        if data.isNull(index) { return nil }
        return data.binaryValue(at: index).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The UTF-8 bytes of slot `index` without a copy (empty for a null slot).
    public func utf8(at index: Int) -> Buffer {
        data.binaryValue(at: index)
    }
}

/// A typed view of bytes: `binary`, `large_binary`, `binary_view` or `fixed_size_binary`.
/// `array[i]` is the bytes as `[UInt8]` or `nil`; ``bytes(at:)`` gives them without a copy.
public struct BinaryArray: ArrowArrayView, RandomAccessCollection, Equatable, ExpressibleByArrayLiteral {
    /// The wrapped array data.
    public let data: ArrayData

    /// Wraps `data`, which must be `binary`, `large_binary`, `binary_view` or `fixed_size_binary`
    /// with buffers that fit its slots.
    public init(_ data: ArrayData) throws(ArrowTypeMismatch) {
        let ok = switch data.type {
        case .binary, .largeBinary, .binaryView, .fixedSizeBinary: true
        default: false
        }
        try ArrowTypeMismatch.check(ok, Self.self, data)
        try checkBinaryBuffers(data, Self.self)
        self.data = data
    }

    /// A `binary` array (or `large_binary` when `type` says so) of `values`.
    public init(_ values: some Sequence<[UInt8]?>, type: DataType = .binary) {
        if type == .largeBinary {
            var builder = LargeBinaryBuilder()
            for value in values { builder.append(value) }
            self = try! BinaryArray(builder.finish())
        } else {
            var builder = BinaryBuilder()
            for value in values { builder.append(value) }
            self = try! BinaryArray(builder.finish())
        }
    }

    /// A `binary` array of the literal's values, `nil` for null.
    public init(arrayLiteral elements: [UInt8]?...) { self.init(elements) }

    /// Always 0: indices count from the view's first slot, whatever `data.offset` is.
    public var startIndex: Int { 0 }
    /// The number of slots.
    public var endIndex: Int { data.length }

    /// The bytes in slot `index`, or `nil` when it is null.
    public subscript(index: Int) -> [UInt8]? {
        if data.isNull(index) { return nil }
        return data.binaryValue(at: index).array
    }

    /// The bytes of slot `index` without a copy (empty for a null slot of a variable layout).
    public func bytes(at index: Int) -> Buffer {
        data.binaryValue(at: index)
    }
}
