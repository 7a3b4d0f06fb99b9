import Vec64

/// A typed view of a boolean array: bit-packed values plus validity.
public struct BooleanArray: ArrowArrayView, RandomAccessCollection, Equatable, ExpressibleByArrayLiteral {
    /// The wrapped array data.
    public let data: ArrayData
    /// The value bits of this array's slots (null slots hold unspecified bits).
    public let values: Bitmap
    let validity: Bitmap?

    /// Wraps `data`, which must be `boolean` with a value bitmap that covers its slots.
    public init(_ data: ArrayData) throws(ArrowTypeMismatch) {
        try ArrowTypeMismatch.check(data.type == .boolean, Self.self, data)
        try ArrowTypeMismatch.checkBuffer(data, 0, bytes: SafeSize.bitmapBytes(SafeSize.end(data)), Self.self)
        self.data = data
        values = try! Bitmap(buffer: data.buffers[0], bitOffset: data.offset, count: data.length)
        validity = data.validityBitmap
    }

    /// A boolean array of `values`, `nil` for null.
    public init(_ values: some Sequence<Bool?>) {
        var builder = BooleanBuilder()
        for value in values { builder.append(value) }
        self = try! BooleanArray(builder.finish())
    }

    /// A boolean array of the literal's values, `nil` for null.
    public init(arrayLiteral elements: Bool?...) { self.init(elements) }

    /// Always 0: indices count from the view's first slot, whatever `data.offset` is.
    public var startIndex: Int { 0 }
    /// The number of slots.
    public var endIndex: Int { data.length }

    /// The value in slot `index`, or `nil` when it is null.
    public subscript(index: Int) -> Bool? {
        precondition(index >= 0 && index < endIndex, "BooleanArray: index out of range")
        if let validity, !validity.unchecked(index) { return nil }
        return values.unchecked(index)
    }

    /// The number of `true` values among the valid slots.
    public var trueCount: Int {
        if let validity { return (values & validity).setBitCount }
        return values.setBitCount
    }
}
