import Vec64

/// The error a typed view raises when it is asked to wrap array data of another type, or data
/// whose buffers cannot hold its slots.
public struct ArrowTypeMismatch: Error, Equatable, Sendable, CustomStringConvertible {
    /// What the view accepts, e.g. `PrimitiveArray<Int64>`.
    public var view: String
    /// The type of the data the view was asked to wrap.
    public var actual: DataType
    /// What is wrong besides the type, such as a missing or short buffer; `nil` when only the type is.
    public var reason: String?

    /// The view, the actual type and the reason, as one line.
    public var description: String {
        "\(view) cannot view an array of type \(actual)" + (reason.map { ": \($0)" } ?? "")
    }
}

/// Something that is, or wraps, an Arrow array.
public protocol ArrayDataConvertible: Sendable {
    /// The general representation of the array.
    var data: ArrayData { get }
}

extension ArrayData: ArrayDataConvertible {
    /// The array data itself.
    public var data: ArrayData { self }
}

/// A typed view over ``ArrayData``: a cheap struct that checks the type once and then gives
/// fast, ergonomic access to the values.
public protocol ArrowArrayView: ArrayDataConvertible {
    /// Wraps `data`, or throws when its type or buffers do not fit this view.
    init(_ data: ArrayData) throws(ArrowTypeMismatch)
}

extension ArrowArrayView {
    /// The logical type.
    public var type: DataType { data.type }
    /// The number of slots.
    public var length: Int { data.length }
    /// The number of null slots.
    public var nullCount: Int { data.nullCount }
    /// Whether slot `index` is null.
    public func isNull(_ index: Int) -> Bool { data.isNull(index) }

    /// The slots `range` as a view of the same kind. O(1), no copy.
    public func slice(_ range: Range<Int>) -> Self {
        // A slice of data this view accepted is accepted too.
        try! Self(data.slice(range))
    }

    /// Logical equality (see ``ArrayData/logicallyEquals(_:)``).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.data.logicallyEquals(rhs.data)
    }
}

/// Saturating size arithmetic for checks on untrusted array data: a result that would overflow
/// becomes `Int.max`, which no buffer can satisfy, so the check fails instead of trapping.
enum SafeSize {
    /// `data.offset + data.length + extra`, saturating.
    static func end(_ data: ArrayData, plus extra: Int = 0) -> Int {
        let (a, o1) = data.offset.addingReportingOverflow(data.length)
        let (b, o2) = a.addingReportingOverflow(extra)
        return o1 || o2 || data.offset < 0 || data.length < 0 ? Int.max : b
    }

    /// `slots * width`, saturating.
    static func bytes(_ slots: Int, _ width: Int) -> Int {
        let (r, o) = slots.multipliedReportingOverflow(by: width)
        return o ? Int.max : r
    }

    /// The bytes of a bitmap of `bits` bits.
    static func bitmapBytes(_ bits: Int) -> Int { bits / 8 + (bits & 7 == 0 ? 0 : 1) }
}

extension ArrowTypeMismatch {
    static func check(_ ok: Bool, _ view: Any.Type, _ data: ArrayData, _ reason: String? = nil) throws(ArrowTypeMismatch) {
        guard ok else { throw ArrowTypeMismatch(view: "\(view)", actual: data.type, reason: reason) }
    }

    /// Checks the buffer count of `data` against its layout and that buffer `index` holds `bytes`.
    static func checkBuffer(_ data: ArrayData, _ index: Int, bytes: Int, _ view: Any.Type) throws(ArrowTypeMismatch) {
        try check(data.buffers.count > index, view, data, "missing buffer \(index)")
        try check(data.buffers[index].count >= bytes, view, data,
                  "buffer \(index) has \(data.buffers[index].count) bytes, needs \(bytes)")
        if let validity = data.validity {
            try check(validity.count >= SafeSize.bitmapBytes(SafeSize.end(data)), view, data, "validity bitmap too short")
        }
    }
}
