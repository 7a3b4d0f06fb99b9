import Vec64

extension ArrayData {
    /// Logical equality: same type, same length, nulls in the same slots and equal values in the
    /// others, whatever the offsets, slicing, padding, null slots' bytes or dictionary layout.
    ///
    /// Floating point values compare by bit pattern (a NaN equals the same NaN), so an array
    /// always equals itself. Dictionary arrays compare by their decoded values.
    public func logicallyEquals(_ other: ArrayData) -> Bool {
        guard type == other.type, length == other.length else { return false }
        return rangeEquals(0..<length, other, otherStart: 0)
    }

    /// Whether slots `range` of this array equal the slots of `other` starting at `otherStart`.
    func rangeEquals(_ range: Range<Int>, _ other: ArrayData, otherStart: Int) -> Bool {
        if range.isEmpty { return true }
        // Fast path: fixed-width values without nulls compare as one block of bytes.
        if case let .fixedWidth(width) = type.layout, validity == nil, other.validity == nil {
            let a = buffers[0].slice((offset + range.lowerBound) * width..<(offset + range.upperBound) * width)
            let b = other.buffers[0].slice((other.offset + otherStart) * width..<(other.offset + otherStart + range.count) * width)
            return a == b
        }
        for (i, j) in zip(range, otherStart...) {
            let aNull = isNull(i), bNull = other.isNull(j)
            if aNull != bNull { return false }
            if !aNull && !valueEquals(at: i, other, at: j) { return false }
        }
        return true
    }

    /// Whether the (non-null) values in slot `i` of this array and slot `j` of `other` are equal.
    /// Both arrays must have the same type.
    func valueEquals(at i: Int, _ other: ArrayData, at j: Int) -> Bool {
        switch type.layout {
        case .null:
            return true
        case .bitPacked:
            let a = offset + i, b = other.offset + j
            return (buffers[0][a >> 3] >> UInt8(a & 7)) & 1 == (other.buffers[0][b >> 3] >> UInt8(b & 7)) & 1
        case .fixedWidth, .variableBinary, .binaryView:
            return binaryValue(at: i) == other.binaryValue(at: j)
        case .list, .listView, .fixedSizeList:
            let a = listRange(at: i), b = other.listRange(at: j)
            return a.count == b.count && children[0].rangeEquals(a, other.children[0], otherStart: b.lowerBound)
        case .struct:
            return zip(children, other.children).allSatisfy { a, b in
                a.rangeEquals((offset + i)..<(offset + i + 1), b, otherStart: other.offset + j)
            }
        case .union:
            guard let a = unionSlot(at: i), let b = other.unionSlot(at: j), a.typeID == b.typeID else { return false }
            return children[a.child].rangeEquals(a.childIndex..<(a.childIndex + 1), other.children[b.child], otherStart: b.childIndex)
        case .dictionary:
            guard let dictionary, let otherDictionary = other.dictionary else { return false }
            let a = integerValue(at: i), b = other.integerValue(at: j)
            return dictionary.rangeEquals(a..<(a + 1), otherDictionary, otherStart: b)
        case .runEndEncoded:
            let a = runIndex(at: i), b = other.runIndex(at: j)
            return children[1].rangeEquals(a..<(a + 1), other.children[1], otherStart: b)
        }
    }
}
