import Vec64

/// A typed view of an array of fixed-width values: integers, floats, decimals, dates, times,
/// timestamps, durations and intervals, generic over the native value type.
///
/// `array[i]` is `nil` for a null slot. For hot loops use ``withUnsafeValues(_:)``, which hands
/// out the values (null slots hold unspecified values) without per-element checks.
///
/// ```swift
/// let a: PrimitiveArray<Int64> = [1, nil, 3]
/// a[1]          // nil
/// a.nullCount   // 1
/// ```
public struct PrimitiveArray<T: ArrowNativeType>: ArrowArrayView {
    /// The wrapped array data.
    public let data: ArrayData
    @usableFromInline let values: Buffer
    @usableFromInline let validity: Bitmap?

    /// Wraps `data`, whose type must store its values as `T`, with a value buffer that covers its
    /// slots.
    public init(_ data: ArrayData) throws(ArrowTypeMismatch) {
        try ArrowTypeMismatch.check(T.canView(data.type), Self.self, data)
        let stride = MemoryLayout<T>.stride
        try ArrowTypeMismatch.checkBuffer(data, 0, bytes: SafeSize.bytes(SafeSize.end(data), stride), Self.self)
        self.data = data
        values = data.buffers[0].slice(data.offset * stride..<(data.offset + data.length) * stride)
        validity = data.validityBitmap
    }

    /// Calls `body` with the values of this array's slots (null slots hold unspecified values).
    /// The values are copied into an aligned buffer only if the source memory is misaligned for `T`.
    @inlinable
    public func withUnsafeValues<R>(_ body: (UnsafeBufferPointer<T>) throws -> R) rethrows -> R {
        if values.isAligned(to: MemoryLayout<T>.alignment) {
            return try values.withUnsafeBytes { raw in
                try body(UnsafeBufferPointer(start: raw.baseAddress?.bindMemory(to: T.self, capacity: length), count: length))
            }
        }
        return try values.copied().withUnsafeBytes { raw in
            try body(UnsafeBufferPointer(start: raw.baseAddress?.bindMemory(to: T.self, capacity: length), count: length))
        }
    }

    /// The value in slot `index`, ignoring validity (an unspecified value for a null slot).
    @inlinable
    public func value(at index: Int) -> T {
        precondition(index >= 0 && index < length, "PrimitiveArray: index out of range")
        return values.loadUnchecked(T.self, at: index)
    }
}

extension PrimitiveArray: RandomAccessCollection {
    public typealias Index = Int
    /// Always 0: indices count from the view's first slot, whatever `data.offset` is.
    public var startIndex: Int { 0 }
    /// The number of slots.
    public var endIndex: Int { data.length }

    /// The value in slot `index`, or `nil` when it is null.
    @inlinable
    public subscript(index: Int) -> T? {
        precondition(index >= 0 && index < endIndex, "PrimitiveArray: index \(index) out of range 0..<\(endIndex)")
        if let validity, !validity.unchecked(index) { return nil }
        return values.loadUnchecked(T.self, at: index)
    }
}

extension PrimitiveArray: Equatable {}

extension PrimitiveArray: ExpressibleByArrayLiteral {
    /// An array of `T.defaultDataType` from literal values and `nil`s.
    public init(arrayLiteral elements: T?...) {
        self.init(elements)
    }
}

extension PrimitiveArray {
    /// An array of `type` (by default `T.defaultDataType`) holding `values`, `nil` for null.
    public init(_ values: some Sequence<T?>, type: DataType = T.defaultDataType) {
        var builder = PrimitiveBuilder<T>(type: type)
        for value in values { builder.append(value) }
        self = try! PrimitiveArray(builder.finish())
    }

    /// An array with no nulls over the vector's memory, without a copy (the vector is frozen).
    public init(_ values: Vec64<T>, type: DataType = T.defaultDataType) {
        precondition(T.canView(type), "PrimitiveArray: \(T.self) cannot hold \(type)")
        self = try! PrimitiveArray(ArrayData(type: type, length: values.count, buffers: [values.freeze()]))
    }

    /// An array with no nulls holding `values`, copied once into an aligned buffer.
    public init(_ values: some Sequence<T>, type: DataType = T.defaultDataType) {
        precondition(T.canView(type), "PrimitiveArray: \(T.self) cannot hold \(type)")
        let buffer = Vec64<T>(values).freeze()
        self = try! PrimitiveArray(ArrayData(type: type, length: buffer.count / MemoryLayout<T>.stride, buffers: [buffer]))
    }
}

/// A typed view of `int8` arrays.
public typealias Int8Array = PrimitiveArray<Int8>
/// A typed view of `int16` arrays.
public typealias Int16Array = PrimitiveArray<Int16>
/// A typed view of arrays stored as `Int32`: `int32`, `date32`, `time32`, `decimal32` and
/// year-month intervals.
public typealias Int32Array = PrimitiveArray<Int32>
/// A typed view of arrays stored as `Int64`: `int64`, `date64`, `time64`, `timestamp`,
/// `duration` and `decimal64`.
public typealias Int64Array = PrimitiveArray<Int64>
/// A typed view of `uint8` arrays.
public typealias UInt8Array = PrimitiveArray<UInt8>
/// A typed view of `uint16` arrays.
public typealias UInt16Array = PrimitiveArray<UInt16>
/// A typed view of `uint32` arrays.
public typealias UInt32Array = PrimitiveArray<UInt32>
/// A typed view of `uint64` arrays.
public typealias UInt64Array = PrimitiveArray<UInt64>
/// A typed view of `float16` arrays.
public typealias Float16Array = PrimitiveArray<Float16>
/// A typed view of `float32` arrays.
public typealias Float32Array = PrimitiveArray<Float>
/// A typed view of `float64` arrays.
public typealias Float64Array = PrimitiveArray<Double>
/// A typed view of `decimal128` arrays (the unscaled values).
public typealias Decimal128Array = PrimitiveArray<Int128>
/// A typed view of `decimal256` arrays (the unscaled values).
public typealias Decimal256Array = PrimitiveArray<Decimal256Storage>
