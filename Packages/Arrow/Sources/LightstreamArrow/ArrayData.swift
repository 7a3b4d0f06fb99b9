import Synchronization
import Vec64

/// The general representation of an Arrow array, able to hold every layout: the type, the
/// logical length and offset, the validity bitmap, the other buffers, the children and (for
/// dictionary arrays) the dictionary.
///
/// `ArrayData` is immutable and `Sendable`; its buffers point into whatever memory they came
/// from (a builder's allocation, a received message, a memory map) without copies. Typed views
/// (``PrimitiveArray``, ``StringArray``, ``ListArray``, ...) wrap it for fast, ergonomic access.
///
/// The initialiser does not check the buffers against the type: readers and hand-assembled
/// arrays call ``validate()`` before trusting them.
public final class ArrayData: Sendable {
    /// The logical type.
    public let type: DataType
    /// The number of slots.
    public let length: Int
    /// The slot of the buffers (and, for struct, sparse union and fixed-size list, of the children)
    /// where this array starts; non-zero after slicing.
    public let offset: Int
    /// The validity bitmap (bit `offset + i` is slot `i`); `nil` means no nulls.
    public let validity: Buffer?
    /// The buffers after the validity bitmap, as ``PhysicalLayout`` describes them.
    public let buffers: [Buffer]
    /// The child arrays of a nested type, one per child field of ``type``.
    public let children: [ArrayData]
    /// The dictionary values, for dictionary-encoded arrays.
    public let dictionary: ArrayData?
    /// The null count the creator declared (as IPC messages carry it), checked by `validate()`.
    public let declaredNullCount: Int?
    private let cachedNullCount: Atomic<Int>

    /// Creates array data from its parts. Pass `nullCount` when it is known (as IPC messages
    /// carry it); otherwise it is counted from the validity bitmap on first use.
    public init(
        type: DataType, length: Int, offset: Int = 0, validity: Buffer? = nil, buffers: [Buffer] = [],
        children: [ArrayData] = [], dictionary: ArrayData? = nil, nullCount: Int? = nil
    ) {
        self.type = type
        self.length = length
        self.offset = offset
        self.validity = validity
        self.buffers = buffers
        self.children = children
        self.dictionary = dictionary
        declaredNullCount = nullCount
        let known: Int? = if let nullCount, nullCount >= 0 { nullCount } else if case .null = type { length } else if validity == nil { 0 } else { nil }
        cachedNullCount = Atomic(known ?? -1)
    }

    /// The number of null slots: the declared count if one was given, else counted from the
    /// validity bitmap 64 bits at a time on first use.
    ///
    /// Unions and run-end encoded arrays have no validity bitmap of their own and report 0, as the
    /// Arrow format specifies; their nulls live in their children.
    public var nullCount: Int {
        let cached = cachedNullCount.load(ordering: .relaxed)
        if cached >= 0 { return cached }
        let counted = validityBitmap.map { $0.unsetBitCount } ?? 0
        cachedNullCount.store(counted, ordering: .relaxed)
        return counted
    }

    /// The null count if it is already known, without counting.
    public var knownNullCount: Int? {
        let cached = cachedNullCount.load(ordering: .relaxed)
        return cached >= 0 ? cached : nil
    }

    /// The validity bitmap viewed from this array's first slot (bit `i` is slot `i`); `nil` when
    /// there is none or it is shorter than the array (``validate()`` reports the latter).
    public var validityBitmap: Bitmap? {
        guard let validity else { return nil }
        return try? Bitmap(buffer: validity, bitOffset: offset, count: length)
    }

    /// Whether slot `index` is null according to the validity bitmap (always for the null type).
    @inlinable
    public func isNull(_ index: Int) -> Bool {
        precondition(index >= 0 && index < length, "ArrayData: index \(index) out of range 0..<\(length)")
        if case .null = type { return true }
        guard let validity else { return false }
        let bit = offset &+ index
        return validity[bit &>> 3] & (1 &<< UInt8(bit & 7)) == 0
    }

    /// Whether slot `index` holds a value.
    @inlinable
    public func isValid(_ index: Int) -> Bool { !isNull(index) }

    /// The slots `range` as a new array sharing every buffer. O(1), no copy.
    public func slice(_ range: Range<Int>) -> ArrayData {
        precondition(range.lowerBound >= 0 && range.upperBound <= length, "ArrayData: slice \(range) out of bounds 0..<\(length)")
        let knownCount: Int? = range.count == length ? knownNullCount : nil
        return ArrayData(
            type: type, length: range.count, offset: offset + range.lowerBound, validity: validity,
            buffers: buffers, children: children, dictionary: dictionary, nullCount: knownCount)
    }

    /// The same array data with a different type of identical layout (e.g. an extension's storage).
    public func withType(_ newType: DataType) -> ArrayData {
        ArrayData(type: newType, length: length, offset: offset, validity: validity, buffers: buffers,
                  children: children, dictionary: dictionary, nullCount: knownNullCount)
    }
}

extension ArrayData {
    /// Reads entry `index` of buffer `buffer` as a 4- or 8-byte offset (bounds checked).
    @inlinable
    public func offsetValue(buffer: Int, width: Int, at index: Int) -> Int {
        width == 4 ? Int(buffers[buffer].load(Int32.self, at: index)) : Int(buffers[buffer].load(Int64.self, at: index))
    }

    /// The child index range of list slot `index` (list, large list, map, list view, fixed-size list).
    public func listRange(at index: Int) -> Range<Int> {
        switch type.layout {
        case let .list(width):
            let start = offsetValue(buffer: 0, width: width, at: offset + index)
            let end = offsetValue(buffer: 0, width: width, at: offset + index + 1)
            return start..<Swift.max(start, end)
        case let .listView(width):
            let start = offsetValue(buffer: 0, width: width, at: offset + index)
            let size = offsetValue(buffer: 1, width: width, at: offset + index)
            return start..<(start + Swift.max(0, size))
        case let .fixedSizeList(size):
            return (offset + index) * size..<(offset + index + 1) * size
        default:
            preconditionFailure("ArrayData: listRange on \(type)")
        }
    }

    /// The byte range of variable-length binary slot `index` in the data buffer.
    public func binaryRange(at index: Int) -> Range<Int> {
        guard case let .variableBinary(width) = type.layout else { preconditionFailure("ArrayData: binaryRange on \(type)") }
        let start = offsetValue(buffer: 0, width: width, at: offset + index)
        let end = offsetValue(buffer: 0, width: width, at: offset + index + 1)
        return start..<Swift.max(start, end)
    }

    /// The bytes of binary or string slot `index` (offsets or view layout), without a copy.
    public func binaryValue(at index: Int) -> Buffer {
        switch type.layout {
        case .variableBinary:
            return buffers[1].slice(binaryRange(at: index))
        case .binaryView:
            let view = buffers[0].slice((offset + index) * 16..<(offset + index + 1) * 16)
            let length = Int(view.load(Int32.self, at: 0))
            if length <= 12 { return view.slice(4..<(4 + Swift.max(0, length))) }
            let bufferIndex = Int(view.load(Int32.self, at: 2))
            let start = Int(view.load(Int32.self, at: 3))
            return buffers[1 + bufferIndex].slice(start..<(start + length))
        case let .fixedWidth(width):
            return buffers[0].slice((offset + index) * width..<(offset + index + 1) * width)
        default:
            preconditionFailure("ArrayData: binaryValue on \(type)")
        }
    }

    /// For a run-end encoded array: the index in the values child of logical slot `index`.
    public func runIndex(at index: Int) -> Int {
        let runEnds = children[0]
        let target = offset + index
        var low = 0, high = runEnds.length
        while low < high {
            let mid = (low + high) / 2
            if runEnds.integerValue(at: mid) <= target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The value of integer slot `index` as an `Int` (any integer type, including dictionary indices).
    public func integerValue(at index: Int) -> Int {
        var type = self.type
        if case let .dictionary(indexType, _, _) = type { type = indexType }
        let i = offset + index
        let values = buffers[0]
        switch type {
        case .int8: return Int(values.load(Int8.self, at: i))
        case .int16: return Int(values.load(Int16.self, at: i))
        case .int32: return Int(values.load(Int32.self, at: i))
        case .int64: return Int(values.load(Int64.self, at: i))
        case .uint8: return Int(values.load(UInt8.self, at: i))
        case .uint16: return Int(values.load(UInt16.self, at: i))
        case .uint32: return Int(values.load(UInt32.self, at: i))
        case .uint64: return Int(truncatingIfNeeded: values.load(UInt64.self, at: i))
        default: preconditionFailure("ArrayData: integerValue on \(self.type)")
        }
    }

    /// For a union: the type id of slot `index` and the child slot that holds its value.
    public func unionSlot(at index: Int) -> (typeID: Int8, child: Int, childIndex: Int)? {
        guard case let .union(mode, _, typeIDs) = type else { preconditionFailure("ArrayData: unionSlot on \(type)") }
        let typeID = buffers[0].load(Int8.self, at: offset + index)
        guard let child = typeIDs.firstIndex(of: typeID) else { return nil }
        let childIndex = mode == .dense ? Int(buffers[1].load(Int32.self, at: offset + index)) : offset + index
        return (typeID, child, childIndex)
    }
}
