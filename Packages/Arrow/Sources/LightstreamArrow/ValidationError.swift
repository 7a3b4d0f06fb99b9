/// What ``ArrayData/validate()`` found wrong, and where: the field path (`batch.column.child`)
/// and, when the problem is at one slot, its index.
public struct ArrowValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kinds of structural problem validation detects.
    public enum Kind: Equatable, Sendable {
        /// The length or offset is negative, or their sum overflows.
        case negativeLengthOrOffset(length: Int, offset: Int)
        /// The array has another number of buffers than its type's layout needs.
        case wrongBufferCount(expected: Int, actual: Int)
        /// The array has another number of children than its type declares.
        case wrongChildCount(expected: Int, actual: Int)
        /// The named buffer has fewer bytes than the array's slots need.
        case bufferTooSmall(buffer: String, needed: Int, actual: Int)
        /// A validity bitmap is present on a type that has none (null, union, run-end encoded).
        case unexpectedValidity
        /// The declared null count differs from the number of nulls in the validity bitmap.
        case nullCountMismatch(declared: Int, actual: Int)
        /// An offset is less than the one before it.
        case offsetsNotMonotonic(previous: Int, next: Int)
        /// An offset, size or value range lies outside `0...bound`.
        case offsetOutOfBounds(value: Int, bound: Int)
        /// A child has fewer slots than the parent's slots or offsets need.
        case childTooShort(needed: Int, actual: Int)
        /// A dictionary-encoded array has no dictionary.
        case missingDictionary
        /// An index is not a position in the dictionary.
        case dictionaryIndexOutOfRange(index: Int, dictionaryLength: Int)
        /// A union slot's type id is not one of the union's type ids.
        case invalidUnionTypeID(Int8)
        /// The run ends are not positive and strictly increasing.
        case runEndsNotIncreasing(previous: Int, next: Int)
        /// The last run end is less than the array's offset plus length.
        case runEndsTooShort(lastRunEnd: Int, needed: Int)
        /// The run ends child contains a null.
        case nullRunEnd
        /// A string value is not valid UTF-8.
        case invalidUTF8
        /// A view refers to a data buffer the array does not have.
        case viewBufferIndexOutOfRange(index: Int, bufferCount: Int)
        /// A view's 4-byte prefix differs from the first bytes of the value it points to.
        case viewPrefixMismatch
        /// An inline view (at most 12 bytes) has non-zero bytes after its value.
        case viewPaddingNotZero
        /// A map key is null.
        case nullMapKey
        /// The type itself is inconsistent (precision, width, union ids, child types, ...); the string says how.
        case invalidType(String)
    }

    /// The field path, outermost first (`column.child`); empty for an unnamed array.
    public var path: [String]
    /// The slot where the problem is, when it is at one slot.
    public var index: Int?
    /// What is wrong.
    public var kind: Kind

    /// Creates an error at the field `path` and, when the problem is at one slot, `index`.
    public init(path: [String], index: Int? = nil, kind: Kind) {
        self.path = path
        self.index = index
        self.kind = kind
    }

    /// The place (field path and slot) and the problem, as one line.
    public var description: String {
        let place = path.isEmpty ? "array" : "field '\(path.joined(separator: "."))'"
        let at = index.map { " at index \($0)" } ?? ""
        return "\(place)\(at): \(kind)"
    }
}

extension ArrowValidationError.Kind: CustomStringConvertible {
    /// A one-line explanation of the problem.
    public var description: String {
        switch self {
        case let .negativeLengthOrOffset(l, o): "negative length \(l) or offset \(o)"
        case let .wrongBufferCount(e, a): "expected \(e) buffers, found \(a)"
        case let .wrongChildCount(e, a): "expected \(e) children, found \(a)"
        case let .bufferTooSmall(b, n, a): "\(b) buffer has \(a) bytes, needs \(n)"
        case .unexpectedValidity: "this type has no validity bitmap but one is present"
        case let .nullCountMismatch(d, a): "null count is \(d) but the validity bitmap has \(a) nulls"
        case let .offsetsNotMonotonic(p, n): "offsets decrease from \(p) to \(n)"
        case let .offsetOutOfBounds(v, b): "offset \(v) outside 0...\(b)"
        case let .childTooShort(n, a): "child has \(a) slots, needs \(n)"
        case .missingDictionary: "dictionary-encoded array has no dictionary"
        case let .dictionaryIndexOutOfRange(i, n): "dictionary index \(i) outside 0..<\(n)"
        case let .invalidUnionTypeID(id): "type id \(id) is not one of the union's"
        case let .runEndsNotIncreasing(p, n): "run ends not strictly increasing: \(p) then \(n)"
        case let .runEndsTooShort(last, needed): "last run end \(last) is less than \(needed)"
        case .nullRunEnd: "run ends contain a null"
        case .invalidUTF8: "string value is not valid UTF-8"
        case let .viewBufferIndexOutOfRange(i, n): "view refers to data buffer \(i) of \(n)"
        case .viewPrefixMismatch: "view prefix differs from the bytes it points to"
        case .viewPaddingNotZero: "inline view has non-zero bytes after its value"
        case .nullMapKey: "map key is null"
        case let .invalidType(why): "invalid type: \(why)"
        }
    }
}
