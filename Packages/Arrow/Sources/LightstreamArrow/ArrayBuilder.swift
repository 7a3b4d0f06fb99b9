import Vec64

/// A builder of one Arrow array, appended to slot by slot and then finished into ``ArrayData``.
///
/// Builders allocate 64-byte aligned buffers and hand them to the finished array without a copy.
/// After `finish()` a builder is empty and may be reused.
public protocol ArrayBuilder {
    /// The type of the array being built.
    var dataType: DataType { get }
    /// The number of slots appended so far.
    var count: Int { get }
    /// Appends a null slot.
    mutating func appendNull()
    /// Returns the array built so far and resets the builder.
    mutating func finish() -> ArrayData
}

/// Tracks validity, materialising the bitmap only when the first null arrives.
struct ValidityBuilder {
    private var bitmap: Bitmap?
    private(set) var count = 0
    private(set) var nullCount = 0

    mutating func append(_ valid: Bool) {
        if !valid && bitmap == nil {
            var b = Bitmap()
            b.reserveCapacity(Swift.max(64, count * 2))
            b.append(repeating: true, count: count)
            bitmap = b
        }
        bitmap?.append(valid)
        count += 1
        if !valid { nullCount += 1 }
    }

    mutating func append(validCount n: Int) {
        bitmap?.append(repeating: true, count: n)
        count += n
    }

    /// The validity buffer (nil when there were no nulls) and the null count; resets.
    mutating func finish() -> (Buffer?, Int) {
        defer { self = ValidityBuilder() }
        return (bitmap?.alignedBuffer(), nullCount)
    }
}

/// Builds arrays of fixed-width values (integers, floats, decimals, temporal types).
public struct PrimitiveBuilder<T: ArrowNativeType>: ArrayBuilder {
    /// The type of the array being built.
    public let dataType: DataType
    private var values: Vec64<T>
    private var validity = ValidityBuilder()

    /// A builder of `type`, which must store its values as `T` (default `T.defaultDataType`).
    public init(type: DataType = T.defaultDataType, capacity: Int = 0) {
        precondition(T.canView(type), "PrimitiveBuilder: \(T.self) cannot hold \(type)")
        dataType = type
        values = Vec64(minimumCapacity: capacity)
    }

    /// The number of slots appended so far.
    public var count: Int { values.count }

    /// Appends a value.
    @inlinable
    public mutating func append(_ value: T) {
        appendValue(value)
    }

    @usableFromInline
    mutating func appendValue(_ value: T) {
        values.append(value)
        validity.append(true)
    }

    /// Appends a value or, for `nil`, a null.
    public mutating func append(_ value: T?) {
        if let value { append(value) } else { appendNull() }
    }

    /// Appends many non-null values with one bulk copy.
    public mutating func append(contentsOf newValues: some Sequence<T>) {
        let before = values.count
        values.append(contentsOf: newValues)
        validity.append(validCount: values.count - before)
    }

    /// Appends a null slot (its value bytes are zero).
    public mutating func appendNull() {
        values.append(zeroBits(T.self))
        validity.append(false)
    }

    /// Returns the array built so far and resets the builder.
    public mutating func finish() -> ArrayData {
        let (bitmap, nulls) = validity.finish()
        let data = ArrayData(type: dataType, length: values.count, validity: bitmap, buffers: [values.freeze()], nullCount: nulls)
        values = Vec64()
        return data
    }
}

/// A value of `T` whose bytes are all zero (what null slots hold).
@usableFromInline
func zeroBits<T: BitwiseCopyable>(_ type: T.Type) -> T {
    withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { p in
        UnsafeMutableRawBufferPointer(p).initializeMemory(as: UInt8.self, repeating: 0)
        return p[0]
    }
}

/// Builds boolean arrays.
public struct BooleanBuilder: ArrayBuilder {
    /// Always `.boolean`.
    public var dataType: DataType { .boolean }
    private var values = Bitmap()
    private var validity = ValidityBuilder()

    /// Creates an empty boolean builder.
    public init() {}

    /// The number of slots appended so far.
    public var count: Int { values.count }

    /// Appends a value.
    public mutating func append(_ value: Bool) {
        values.append(value)
        validity.append(true)
    }

    /// Appends a value or, for `nil`, a null.
    public mutating func append(_ value: Bool?) {
        if let value { append(value) } else { appendNull() }
    }

    /// Appends a null slot (its value bit is clear).
    public mutating func appendNull() {
        values.append(false)
        validity.append(false)
    }

    /// Returns the array built so far and resets the builder.
    public mutating func finish() -> ArrayData {
        let (bitmap, nulls) = validity.finish()
        let data = ArrayData(type: .boolean, length: values.count, validity: bitmap, buffers: [values.alignedBuffer()], nullCount: nulls)
        values = Bitmap()
        return data
    }
}
