import Vec64

/// Builds variable-length binary or text arrays with `Offset`-wide offsets
/// (`Int32`: binary/utf8, `Int64`: large_binary/large_utf8).
public struct OffsetBinaryBuilder<Offset: FixedWidthInteger & ArrowNativeType>: ArrayBuilder {
    /// The type of the array being built.
    public let dataType: DataType
    private var offsets: Vec64<Offset> = [0]
    private var bytes = Vec64<UInt8>()
    private var validity = ValidityBuilder()

    /// A builder of `type`, which must be a binary or utf8 type with `Offset`-wide offsets.
    public init(type: DataType) {
        precondition(type.layout == .variableBinary(offsetWidth: MemoryLayout<Offset>.size), "OffsetBinaryBuilder: \(type) does not use \(Offset.self) offsets")
        dataType = type
    }

    /// The number of slots appended so far.
    public var count: Int { offsets.count - 1 }

    /// Appends the bytes of one value.
    public mutating func append(bytes value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: value.bindMemory(to: UInt8.self))
        offsets.append(Offset(bytes.count))
        validity.append(true)
    }

    /// Appends one value's bytes.
    public mutating func append(_ value: some Collection<UInt8>) {
        if value.withContiguousStorageIfAvailable({ append(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            bytes.append(contentsOf: value)
            offsets.append(Offset(bytes.count))
            validity.append(true)
        }
    }

    /// Appends a string's UTF-8 bytes.
    public mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Appends a null slot (an empty value).
    public mutating func appendNull() {
        offsets.append(Offset(bytes.count))
        validity.append(false)
    }

    /// Returns the array built so far and resets the builder.
    public mutating func finish() -> ArrayData {
        let (bitmap, nulls) = validity.finish()
        let data = ArrayData(type: dataType, length: count, validity: bitmap, buffers: [offsets.freeze(), bytes.freeze()], nullCount: nulls)
        offsets = [0]
        bytes = Vec64()
        return data
    }
}

extension OffsetBinaryBuilder where Offset == Int32 {
    /// A `utf8` builder when `text` is true, else `binary`.
    public init(text: Bool) { self.init(type: text ? .utf8 : .binary) }
}

extension OffsetBinaryBuilder where Offset == Int64 {
    /// A `large_utf8` builder when `text` is true, else `large_binary`.
    public init(text: Bool) { self.init(type: text ? .largeUtf8 : .largeBinary) }
}

/// Builds `utf8` arrays (`Offset == Int32`, ``StringBuilder``) or `large_utf8` arrays
/// (`Offset == Int64`, ``LargeStringBuilder``).
public struct GenericStringBuilder<Offset: FixedWidthInteger & ArrowNativeType>: ArrayBuilder {
    private var core = OffsetBinaryBuilder<Offset>(type: Offset.self == Int64.self ? .largeUtf8 : .utf8)
    /// An empty builder.
    public init() {}
    /// `utf8` or `large_utf8`.
    public var dataType: DataType { core.dataType }
    /// The number of slots appended so far.
    public var count: Int { core.count }
    /// Appends a string's UTF-8 bytes.
    public mutating func append(_ value: String) { core.append(value) }
    /// Appends a string, or a null for `nil`.
    public mutating func append(_ value: String?) { if let value { core.append(value) } else { core.appendNull() } }
    /// Appends a null slot.
    public mutating func appendNull() { core.appendNull() }
    /// Returns the array built so far and resets the builder.
    public mutating func finish() -> ArrayData { core.finish() }
}

/// Builds `binary` arrays (`Offset == Int32`, ``BinaryBuilder``) or `large_binary` arrays
/// (`Offset == Int64`, ``LargeBinaryBuilder``).
public struct GenericBinaryBuilder<Offset: FixedWidthInteger & ArrowNativeType>: ArrayBuilder {
    private var core = OffsetBinaryBuilder<Offset>(type: Offset.self == Int64.self ? .largeBinary : .binary)
    /// An empty builder.
    public init() {}
    /// `binary` or `large_binary`.
    public var dataType: DataType { core.dataType }
    /// The number of slots appended so far.
    public var count: Int { core.count }
    /// Appends one value's bytes.
    public mutating func append(_ value: some Collection<UInt8>) { core.append(value) }
    /// Appends one value's bytes, or a null for `nil`.
    public mutating func append(_ value: [UInt8]?) { if let value { core.append(value) } else { core.appendNull() } }
    /// Appends a null slot.
    public mutating func appendNull() { core.appendNull() }
    /// Returns the array built so far and resets the builder.
    public mutating func finish() -> ArrayData { core.finish() }
}

/// Builds `utf8` arrays (32-bit offsets).
public typealias StringBuilder = GenericStringBuilder<Int32>
/// Builds `large_utf8` arrays (64-bit offsets).
public typealias LargeStringBuilder = GenericStringBuilder<Int64>
/// Builds `binary` arrays (32-bit offsets).
public typealias BinaryBuilder = GenericBinaryBuilder<Int32>
/// Builds `large_binary` arrays (64-bit offsets).
public typealias LargeBinaryBuilder = GenericBinaryBuilder<Int64>

/// Builds `utf8_view` (or `binary_view`) arrays: values of up to 12 bytes inline in their
/// 16-byte view, longer ones in one data buffer with a 4-byte prefix in the view.
public struct StringViewBuilder: ArrayBuilder {
    /// `.utf8View` or `.binaryView`.
    public let dataType: DataType
    private var views = Vec64<UInt32>()
    private var bytes = Vec64<UInt8>()
    private var validity = ValidityBuilder()

    /// A `utf8_view` builder, or `binary_view` when `text` is false.
    public init(text: Bool = true) { dataType = text ? .utf8View : .binaryView }

    /// The number of slots appended so far.
    public var count: Int { views.count / 4 }

    /// Appends one value's bytes.
    public mutating func append(bytes value: UnsafeRawBufferPointer) {
        precondition(value.count <= Int32.max, "StringViewBuilder: value longer than Int32.max")
        var view: (UInt32, UInt32, UInt32, UInt32) = (UInt32(value.count), 0, 0, 0)
        withUnsafeMutableBytes(of: &view) { raw in
            if value.count <= 12 {
                if let source = value.baseAddress { raw.baseAddress!.advanced(by: 4).copyMemory(from: source, byteCount: value.count) }
            } else {
                raw.baseAddress!.advanced(by: 4).copyMemory(from: value.baseAddress!, byteCount: 4)
                raw.storeBytes(of: Int32(0).littleEndian, toByteOffset: 8, as: Int32.self)
                raw.storeBytes(of: Int32(bytes.count).littleEndian, toByteOffset: 12, as: Int32.self)
            }
        }
        if value.count > 12 { bytes.append(contentsOf: value.bindMemory(to: UInt8.self)) }
        views.append(view.0); views.append(view.1); views.append(view.2); views.append(view.3)
        validity.append(true)
    }

    /// Appends a string's UTF-8 bytes.
    public mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Appends a string or, for `nil`, a null.
    public mutating func append(_ value: String?) {
        if let value { append(value) } else { appendNull() }
    }

    /// Appends a null slot (an all-zero view).
    public mutating func appendNull() {
        views.append(repeating: 0, count: 4)
        validity.append(false)
    }

    /// Returns the array built so far and resets the builder.
    public mutating func finish() -> ArrayData {
        let (bitmap, nulls) = validity.finish()
        let data = ArrayData(type: dataType, length: count, validity: bitmap, buffers: [views.freeze(), bytes.freeze()], nullCount: nulls)
        views = Vec64()
        bytes = Vec64()
        return data
    }
}

/// Builds `fixed_size_binary` arrays.
public struct FixedSizeBinaryBuilder: ArrayBuilder {
    /// The number of bytes in every value.
    public let byteWidth: Int
    private var bytes = Vec64<UInt8>()
    private var validity = ValidityBuilder()

    /// A builder of values of exactly `byteWidth` bytes.
    public init(byteWidth: Int) {
        precondition(byteWidth >= 0, "FixedSizeBinaryBuilder: negative width")
        self.byteWidth = byteWidth
    }

    /// `.fixedSizeBinary(byteWidth:)` with this builder's width.
    public var dataType: DataType { .fixedSizeBinary(byteWidth: byteWidth) }
    /// The number of slots appended so far.
    public var count: Int { validity.count }

    /// Appends one value, which must have exactly `byteWidth` bytes.
    public mutating func append(_ value: some Collection<UInt8>) {
        precondition(value.count == byteWidth, "FixedSizeBinaryBuilder: value of \(value.count) bytes, width is \(byteWidth)")
        bytes.append(contentsOf: value)
        validity.append(true)
    }

    /// Appends a null slot (`byteWidth` zero bytes).
    public mutating func appendNull() {
        bytes.append(repeating: 0, count: byteWidth)
        validity.append(false)
    }

    /// Returns the array built so far and resets the builder.
    public mutating func finish() -> ArrayData {
        let length = count
        let (bitmap, nulls) = validity.finish()
        let data = ArrayData(type: dataType, length: length, validity: bitmap, buffers: [bytes.freeze()], nullCount: nulls)
        bytes = Vec64()
        return data
    }
}
