/// What ``ArrayData/validate()`` found wrong, and where: the field path (`batch.column.child`)
/// and, when the problem is at one slot, its index.
public struct ArrowValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kinds of structural problem validation detects.
    public enum Kind: Equatable, Sendable {
        case negativeLengthOrOffset(length: Int, offset: Int)
        case wrongBufferCount(expected: Int, actual: Int)
        case wrongChildCount(expected: Int, actual: Int)
        case bufferTooSmall(buffer: String, needed: Int, actual: Int)
        case unexpectedValidity
        case nullCountMismatch(declared: Int, actual: Int)
        case offsetsNotMonotonic(previous: Int, next: Int)
        case offsetOutOfBounds(value: Int, bound: Int)
        case childTooShort(needed: Int, actual: Int)
        case missingDictionary
        case dictionaryIndexOutOfRange(index: Int, dictionaryLength: Int)
        case invalidUnionTypeID(Int8)
        case runEndsNotIncreasing(previous: Int, next: Int)
        case runEndsTooShort(lastRunEnd: Int, needed: Int)
        case nullRunEnd
        case invalidUTF8
        case viewBufferIndexOutOfRange(index: Int, bufferCount: Int)
        case viewPrefixMismatch
        case nullMapKey
        case invalidType(String)
    }

    /// The field path, outermost first (`column.child`); empty for an unnamed array.
    public var path: [String]
    /// The slot where the problem is, when it is at one slot.
    public var index: Int?
    public var kind: Kind

    public init(path: [String], index: Int? = nil, kind: Kind) {
        self.path = path
        self.index = index
        self.kind = kind
    }

    public var description: String {
        let place = path.isEmpty ? "array" : "field '\(path.joined(separator: "."))'"
        let at = index.map { " at index \($0)" } ?? ""
        return "\(place)\(at): \(kind)"
    }
}

extension ArrowValidationError.Kind: CustomStringConvertible {
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
        case .nullMapKey: "map key is null"
        case let .invalidType(why): "invalid type: \(why)"
        }
    }
}
