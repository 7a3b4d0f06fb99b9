import Vec64

extension ArrayData {
    /// Checks the whole structure against the type, recursively: buffer sizes for length and
    /// offset, the null count, offsets monotonic and in bounds, child lengths, dictionary indices
    /// in range, union type ids, run ends increasing, and UTF-8 where the type says so.
    ///
    /// After it succeeds, every accessor of every typed view stays inside the buffers.
    ///
    /// - Parameter path: the field path to name in errors (for example the column name).
    /// - Throws: ``ArrowValidationError`` naming the field path, the slot and what is wrong.
    public func validate(path: [String] = []) throws(ArrowValidationError) {
        var validator = Validator(path: path)
        try validator.validate(self)
    }
}

/// Walks an array and its children; carries the field path for error messages.
struct Validator {
    var path: [String]

    func fail(_ kind: ArrowValidationError.Kind, at index: Int? = nil) -> ArrowValidationError {
        ArrowValidationError(path: path, index: index, kind: kind)
    }

    mutating func validateChild(_ child: ArrayData, named name: String) throws(ArrowValidationError) {
        path.append(name)
        defer { path.removeLast() }
        try validate(child)
    }

    mutating func validate(_ a: ArrayData) throws(ArrowValidationError) {
        guard a.length >= 0, a.offset >= 0, !a.offset.addingReportingOverflow(a.length).overflow else {
            throw fail(.negativeLengthOrOffset(length: a.length, offset: a.offset))
        }
        let end = a.offset + a.length
        let layout = a.type.layout
        try validateType(a.type)
        // Validity bitmap and null count.
        if let validity = a.validity {
            guard layout.hasValidity else { throw fail(.unexpectedValidity) }
            try requireBytes(validity, SafeSize.bitmapBytes(end), "validity")
            if let declared = a.declaredNullCount {
                let actual = (try? Bitmap(buffer: validity, bitOffset: a.offset, count: a.length))?.unsetBitCount ?? 0
                guard declared == actual else { throw fail(.nullCountMismatch(declared: declared, actual: actual)) }
            }
        } else if let declared = a.declaredNullCount {
            // Without a bitmap only the null type has nulls (unions and run-end encoded arrays
            // report 0: their nulls live in their children).
            let actual = if case .null = layout { a.length } else { 0 }
            guard declared == actual else { throw fail(.nullCountMismatch(declared: declared, actual: actual)) }
        }
        // Buffers.
        if case .binaryView = layout {
            guard a.buffers.count >= 1 else { throw fail(.wrongBufferCount(expected: 1, actual: a.buffers.count)) }
        } else {
            guard a.buffers.count == layout.fixedBufferCount else {
                throw fail(.wrongBufferCount(expected: layout.fixedBufferCount, actual: a.buffers.count))
            }
        }
        let expectedChildren: Int = switch a.type {
        case .list, .largeList, .listView, .largeListView, .fixedSizeList, .map: 1
        case let .struct(fields): fields.count
        case let .union(_, fields, _): fields.count
        case .runEndEncoded: 2
        default: 0
        }
        guard a.children.count == expectedChildren else {
            throw fail(.wrongChildCount(expected: expectedChildren, actual: a.children.count))
        }

        switch layout {
        case .null:
            break
        case .bitPacked:
            try requireBytes(a.buffers[0], SafeSize.bitmapBytes(end), "values")
        case let .fixedWidth(width):
            try requireBytes(a.buffers[0], SafeSize.bytes(end, width), "values")
        case let .variableBinary(width):
            let dataCount = a.buffers[1].count
            try validateOffsets(a, width: width, bound: dataCount)
            if a.type == .utf8 || a.type == .largeUtf8, a.length > 0 {
                try validateUTF8Values(a, width: width)
            }
        case .binaryView:
            try validateViews(a)
        case let .list(width):
            let child = a.children[0]
            try requireType(child, a.type.children[0].type, a.type.children[0].name)
            try validateChild(child, named: a.type.children[0].name)
            try validateOffsets(a, width: width, bound: child.length)
            if case .map = a.type { try validateMapEntries(a) }
        case let .listView(width):
            try requireBytes(a.buffers[0], SafeSize.bytes(end, width), "offsets")
            try requireBytes(a.buffers[1], SafeSize.bytes(end, width), "sizes")
            let child = a.children[0]
            try requireType(child, a.type.children[0].type, a.type.children[0].name)
            try validateChild(child, named: a.type.children[0].name)
            // Every slot, null or not, must lie inside the child (the format requires it, and
            // consumers may read null slots' ranges).
            for i in 0..<a.length {
                let start = a.offsetValue(buffer: 0, width: width, at: a.offset + i)
                let size = a.offsetValue(buffer: 1, width: width, at: a.offset + i)
                guard start >= 0, size >= 0, size <= child.length, start <= child.length - size else {
                    throw fail(.offsetOutOfBounds(value: start &+ size, bound: child.length), at: i)
                }
            }
        case let .fixedSizeList(size):
            let needed = SafeSize.bytes(end, size)
            guard a.children[0].length >= needed else {
                throw fail(.childTooShort(needed: needed, actual: a.children[0].length))
            }
            try requireType(a.children[0], a.type.children[0].type, a.type.children[0].name)
            try validateChild(a.children[0], named: a.type.children[0].name)
        case .struct:
            for (child, field) in zip(a.children, a.type.children) {
                guard child.length >= end else { throw fail(.childTooShort(needed: end, actual: child.length)) }
                try requireType(child, field.type, field.name)
                try validateChild(child, named: field.name)
            }
        case let .union(mode):
            try validateUnion(a, mode: mode)
        case let .dictionary(width):
            try requireBytes(a.buffers[0], SafeSize.bytes(end, width), "indices")
            guard let dictionary = a.dictionary else { throw fail(.missingDictionary) }
            if case let .dictionary(_, valueType, _) = a.type { try requireType(dictionary, valueType, "dictionary") }
            guard case let .dictionary(indexType, _, _) = a.type else { break }
            let signed = [DataType.int8, .int16, .int32, .int64].contains(indexType)
            let validity = a.validityBitmap
            try a.buffers[0].withUnsafeBytes { (raw) throws(ArrowValidationError) in
                let indices = RawIntegers(raw, width: width, signed: signed)
                for i in 0..<a.length where validity?.unchecked(i) ?? true {
                    let index = indices[a.offset &+ i]
                    guard index >= 0 && index < dictionary.length else {
                        throw fail(.dictionaryIndexOutOfRange(index: index, dictionaryLength: dictionary.length), at: i)
                    }
                }
            }
            try validateChild(dictionary, named: "dictionary")
        case .runEndEncoded:
            try validateRunEnds(a)
        }
    }

    func requireBytes(_ buffer: Buffer, _ needed: Int, _ name: String) throws(ArrowValidationError) {
        guard buffer.count >= needed else { throw fail(.bufferTooSmall(buffer: name, needed: needed, actual: buffer.count)) }
    }

    /// Throws unless `child` has the type its field declares.
    func requireType(_ child: ArrayData, _ expected: DataType, _ name: String) throws(ArrowValidationError) {
        guard child.type == expected else {
            throw fail(.invalidType("child '\(name)' is \(child.type), the type declares \(expected)"))
        }
    }

    func validateType(_ type: DataType) throws(ArrowValidationError) {
        switch type {
        case let .decimal32(p, s) where !(1...9).contains(p) || s > p,
             let .decimal64(p, s) where !(1...18).contains(p) || s > p,
             let .decimal128(p, s) where !(1...38).contains(p) || s > p,
             let .decimal256(p, s) where !(1...76).contains(p) || s > p:
            throw fail(.invalidType("\(type): precision or scale out of range"))
        case let .fixedSizeBinary(width) where width < 0:
            throw fail(.invalidType("negative byte width \(width)"))
        case let .fixedSizeList(_, size) where size < 0:
            throw fail(.invalidType("negative list size \(size)"))
        case .time32(.microsecond), .time32(.nanosecond), .time64(.second), .time64(.millisecond):
            throw fail(.invalidType("\(type) has a unit its width cannot hold"))
        case let .dictionary(index, _, _) where !index.isInteger:
            throw fail(.invalidType("dictionary index type \(index) is not an integer"))
        case let .union(_, fields, typeIDs) where fields.count != typeIDs.count || Set(typeIDs).count != typeIDs.count || typeIDs.contains { $0 < 0 }:
            throw fail(.invalidType("union type ids \(typeIDs) do not match \(fields.count) children"))
        case let .map(entries, _):
            guard case let .struct(kv) = entries.type, kv.count == 2 else {
                throw fail(.invalidType("map entries must be a struct of key and value"))
            }
        case let .runEndEncoded(runEnds, _) where ![.int16, .int32, .int64].contains(runEnds.type):
            throw fail(.invalidType("run ends type \(runEnds.type) is not int16, int32 or int64"))
        default:
            break
        }
    }

    /// Offsets: `length + 1` entries from `offset`, non-decreasing, within `0...bound`.
    func validateOffsets(_ a: ArrayData, width: Int, bound: Int) throws(ArrowValidationError) {
        if a.length == 0 && a.buffers[0].count == 0 { return }
        try requireBytes(a.buffers[0], SafeSize.bytes(a.offset + a.length &+ 1, width), "offsets")
        try a.buffers[0].withUnsafeBytes { (raw) throws(ArrowValidationError) in
            let offsets = RawIntegers(raw, width: width, signed: true)
            var previous = offsets[a.offset]
            guard previous >= 0 && previous <= bound else { throw fail(.offsetOutOfBounds(value: previous, bound: bound), at: 0) }
            for i in 0..<a.length {
                let next = offsets[a.offset &+ i &+ 1]
                guard next >= previous else { throw fail(.offsetsNotMonotonic(previous: previous, next: next), at: i) }
                guard next <= bound else { throw fail(.offsetOutOfBounds(value: next, bound: bound), at: i) }
                previous = next
            }
        }
    }

    /// Every valid value of a utf8/large_utf8 array (offsets already checked) is UTF-8.
    ///
    /// Fast path: the bytes from the first to the last value are valid UTF-8 and no value starts
    /// inside a character, so every value is valid. Otherwise (e.g. garbage bytes under nulls),
    /// values are checked one by one.
    func validateUTF8Values(_ a: ArrayData, width: Int) throws(ArrowValidationError) {
        try a.buffers[0].withUnsafeBytes { (rawOffsets) throws(ArrowValidationError) in
            try a.buffers[1].withUnsafeBytes { (data) throws(ArrowValidationError) in
                let offsets = RawIntegers(rawOffsets, width: width, signed: true)
                let first = offsets[a.offset], last = offsets[a.offset + a.length]
                if isValidUTF8(UnsafeRawBufferPointer(rebasing: data[first..<last])) {
                    var startsInside = false
                    for i in 0..<a.length {
                        let start = offsets[a.offset &+ i]
                        if start < last && data[start] & 0xC0 == 0x80 { startsInside = true; break }
                    }
                    if !startsInside { return }
                }
                for i in 0..<a.length where a.isValid(i) {
                    let start = offsets[a.offset &+ i], end = offsets[a.offset &+ i &+ 1]
                    guard isValidUTF8(UnsafeRawBufferPointer(rebasing: data[start..<end])) else { throw fail(.invalidUTF8, at: i) }
                }
            }
        }
    }

    func validateViews(_ a: ArrayData) throws(ArrowValidationError) {
        try requireBytes(a.buffers[0], SafeSize.bytes(a.offset + a.length, 16), "views")
        let isUTF8 = a.type == .utf8View
        for i in 0..<a.length where a.isValid(i) {
            let base = (a.offset + i) * 4
            let length = Int(a.buffers[0].load(Int32.self, at: base))
            guard length >= 0 else { throw fail(.offsetOutOfBounds(value: length, bound: Int(Int32.max)), at: i) }
            if length <= 12 {
                for byte in (base * 4 + 4 + length)..<(base * 4 + 16) where a.buffers[0][byte] != 0 {
                    _ = byte
                    throw fail(.viewPaddingNotZero, at: i)
                }
            } else {
                let bufferIndex = Int(a.buffers[0].load(Int32.self, at: base + 2))
                let start = Int(a.buffers[0].load(Int32.self, at: base + 3))
                guard bufferIndex >= 0 && bufferIndex + 1 < a.buffers.count else {
                    throw fail(.viewBufferIndexOutOfRange(index: bufferIndex, bufferCount: a.buffers.count - 1), at: i)
                }
                let data = a.buffers[bufferIndex + 1]
                guard start >= 0 && start <= data.count - length else {
                    throw fail(.offsetOutOfBounds(value: start + length, bound: data.count), at: i)
                }
                guard a.buffers[0].slice((base + 1) * 4..<(base + 2) * 4) == data.slice(start..<(start + 4)) else {
                    throw fail(.viewPrefixMismatch, at: i)
                }
            }
            if isUTF8 {
                let valid = a.binaryValue(at: i).withUnsafeBytes { isValidUTF8($0) }
                guard valid else { throw fail(.invalidUTF8, at: i) }
            }
        }
    }

    func validateMapEntries(_ a: ArrayData) throws(ArrowValidationError) {
        let keys = a.children[0].children.first
        guard let keys else { return }
        let entries = a.children[0]
        for i in 0..<a.length where a.isValid(i) {
            for j in a.listRange(at: i) where keys.length > entries.offset + j && keys.isNull(entries.offset + j) {
                throw fail(.nullMapKey, at: i)
            }
        }
    }

    mutating func validateUnion(_ a: ArrayData, mode: UnionMode) throws(ArrowValidationError) {
        guard a.validity == nil else { throw fail(.unexpectedValidity) }
        let end = a.offset + a.length
        try requireBytes(a.buffers[0], end, "type ids")
        if mode == .dense { try requireBytes(a.buffers[1], SafeSize.bytes(end, 4), "offsets") }
        guard case let .union(_, fields, typeIDs) = a.type else { return }
        if mode == .sparse {
            for child in a.children where child.length < end {
                throw fail(.childTooShort(needed: end, actual: child.length))
            }
        }
        for i in 0..<a.length {
            let typeID = a.buffers[0].load(Int8.self, at: a.offset + i)
            guard let child = typeIDs.firstIndex(of: typeID) else { throw fail(.invalidUnionTypeID(typeID), at: i) }
            if mode == .dense {
                let childOffset = Int(a.buffers[1].load(Int32.self, at: a.offset + i))
                guard childOffset >= 0 && childOffset < a.children[child].length else {
                    throw fail(.offsetOutOfBounds(value: childOffset, bound: a.children[child].length), at: i)
                }
            }
        }
        for (child, field) in zip(a.children, fields) {
            try requireType(child, field.type, field.name)
            try validateChild(child, named: field.name)
        }
    }

    mutating func validateRunEnds(_ a: ArrayData) throws(ArrowValidationError) {
        guard a.validity == nil else { throw fail(.unexpectedValidity) }
        let runEnds = a.children[0], values = a.children[1]
        for (child, field) in zip(a.children, a.type.children) { try requireType(child, field.type, field.name) }
        try validateChild(runEnds, named: "run_ends")
        try validateChild(values, named: "values")
        guard runEnds.nullCount == 0 else { throw fail(.nullRunEnd) }
        guard values.length >= runEnds.length else { throw fail(.childTooShort(needed: runEnds.length, actual: values.length)) }
        var previous = 0
        for i in 0..<runEnds.length {
            let next = runEnds.integerValue(at: i)
            guard next > previous else { throw fail(.runEndsNotIncreasing(previous: previous, next: next), at: i) }
            previous = next
        }
        let needed = a.offset + a.length
        if a.length > 0 {
            guard previous >= needed else { throw fail(.runEndsTooShort(lastRunEnd: previous, needed: needed)) }
        }
    }
}

/// Little-endian integers of 1, 2, 4 or 8 bytes in raw memory, read as `Int` without per-read
/// bounds checks (the caller checked the buffer size) for validation's hot loops.
struct RawIntegers {
    let base: UnsafeRawPointer
    let width: Int
    let signed: Bool

    init(_ raw: UnsafeRawBufferPointer, width: Int, signed: Bool) {
        base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 64)!
        self.width = width
        self.signed = signed
    }

    @inline(__always)
    subscript(index: Int) -> Int {
        let at = index &* width
        switch (width, signed) {
        case (1, true): return Int(base.loadUnaligned(fromByteOffset: at, as: Int8.self))
        case (1, false): return Int(base.loadUnaligned(fromByteOffset: at, as: UInt8.self))
        case (2, true): return Int(Int16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: Int16.self)))
        case (2, false): return Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
        case (4, true): return Int(Int32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: Int32.self)))
        case (4, false): return Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        case (8, false): return Int(truncatingIfNeeded: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
        default: return Int(Int64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: Int64.self)))
        }
    }
}
