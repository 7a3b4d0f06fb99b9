import LightstreamArrow
import Vec64

/// The kinds type inference tries for a column, in pyarrow's order: each value must parse as
/// the current kind, else the column moves on to the next kind and starts over.
enum InferredKind: Int, Comparable, Sendable {
    case null, integer, boolean, real, date, time, timestamp, timestampNanos, timestampZoned, timestampZonedNanos, text, binary

    static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    var next: InferredKind { InferredKind(rawValue: rawValue + 1) ?? .binary }

    func dataType(dictionaryEncodeStrings: Bool) -> DataType {
        switch self {
        case .null: .null
        case .integer: .int64
        case .boolean: .boolean
        case .real: .float64
        case .date: .date32
        case .time: .time32(.second)
        case .timestamp: .timestamp(.second, timezone: nil)
        case .timestampNanos: .timestamp(.nanosecond, timezone: nil)
        case .timestampZoned: .timestamp(.second, timezone: "UTC")
        case .timestampZonedNanos: .timestamp(.nanosecond, timezone: "UTC")
        case .text: dictionaryEncodeStrings ? .dictionary(index: .int32, value: .utf8, ordered: false) : .utf8
        case .binary: dictionaryEncodeStrings ? .dictionary(index: .int32, value: .binary, ordered: false) : .binary
        }
    }
}

/// The spellings and switches that decide what a value means, shared by every column.
struct ValueRules: Sendable {
    let nulls: ByteStringSet
    let trues: ByteStringSet
    let falses: ByteStringSet
    let stringsCanBeNull: Bool
    let quotedStringsCanBeNull: Bool
    let checkUTF8: Bool
    let binaryEncoding: BinaryTextEncoding
    /// The null spellings, as bytes.
    let nullSpellings: [[UInt8]]

    init(_ options: CSVReadOptions) {
        nullSpellings = options.nullValues.map { Array($0.utf8) }
        nulls = ByteStringSet(options.nullValues)
        trues = ByteStringSet(options.trueValues)
        falses = ByteStringSet(options.falseValues)
        stringsCanBeNull = options.stringsCanBeNull
        quotedStringsCanBeNull = options.quotedStringsCanBeNull
        checkUTF8 = options.checkUTF8
        binaryEncoding = options.binaryEncoding
    }

    @inline(__always)
    func isNull(_ value: UnsafeRawBufferPointer, quoted: Bool) -> Bool {
        (!quoted || quotedStringsCanBeNull) && nulls.contains(value)
    }
}

/// The values of one block of rows, read column by column: type inference and conversion into
/// Arrow buffers, straight from the block's bytes.
struct BlockColumns {
    let block: UnsafeRawBufferPointer
    let rows: TokenizedRows
    let tokenizer: CSVTokenizer
    let rules: ValueRules
    /// The block's offset in the input, for errors.
    let streamOffset: Int

    var rowCount: Int { rows.rowCount }

    /// Calls `body` with each row's value of column `column` (unescaped when needed) and
    /// whether it was quoted.
    @inline(__always)
    func forEachValue<E: Error>(_ column: Int, _ body: (Int, UnsafeRawBufferPointer, Bool) throws(E) -> Void) throws(E) {
        let stride = rows.columnCount
        guard rows.rowCount > 0 else { return }
        var scratch = Vec64<UInt8>()
        try rows.fields.withUnsafeBufferPointer { fields throws(E) in
            do {
                let base = block.baseAddress!
                for row in 0..<rows.rowCount {
                    let (start, end, f) = TokenizedRows.unpack(fields[row * stride + column])
                    let raw = UnsafeRawBufferPointer(start: base + start, count: end - start)
                    if f & TokenizedRows.needsUnescape != 0 {
                        scratch.removeAll(keepingCapacity: true)
                        tokenizer.unescape(raw) { scratch.append($0) }
                        try scratch.withUnsafeBytes { value throws(E) in try body(row, value, true) }
                    } else {
                        try body(row, raw, f & TokenizedRows.quoted != 0)
                    }
                }
            }
        }
    }

    // MARK: Inference

    /// The first kind (from `start`) that every value of the column parses as.
    func inferKind(_ column: Int, from start: InferredKind = .null) -> InferredKind {
        var kind = start
        while true {
            var failed = false
            forEachValue(column) { (_, value, quoted) in
                if failed { return }
                if kind < .text && rules.isNull(value, quoted: quoted) { return }
                if !accepts(kind, value) { failed = true }
            }
            if !failed || kind == .binary { return kind }
            kind = kind.next
        }
    }

    private func accepts(_ kind: InferredKind, _ value: UnsafeRawBufferPointer) -> Bool {
        switch kind {
        case .null: false
        case .integer: TextParsing.int64(value) != nil
        case .boolean: rules.trues.contains(value) || rules.falses.contains(value)
        case .real: TextParsing.double(value) != nil
        case .date: TextParsing.date(value) != nil
        case .time: TextParsing.time(value, unit: .second) != nil
        case .timestamp: TextParsing.timestamp(value, unit: .second).map { !$0.zoned } ?? false
        case .timestampNanos: TextParsing.timestamp(value, unit: .nanosecond).map { !$0.zoned } ?? false
        case .timestampZoned: TextParsing.timestamp(value, unit: .second)?.zoned ?? false
        case .timestampZonedNanos: TextParsing.timestamp(value, unit: .nanosecond)?.zoned ?? false
        case .text: !rules.checkUTF8 || ArrowText.isValidUTF8(value)
        case .binary: true
        }
    }

    // MARK: Conversion

    /// Whether values of `type` can be read from text.
    static func isSupported(_ type: DataType) -> Bool {
        switch type {
        case .null, .boolean, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64,
             .float16, .float32, .float64, .decimal32, .decimal64, .decimal128, .decimal256,
             .date32, .date64, .time32, .time64, .timestamp, .duration,
             .utf8, .largeUtf8, .binary, .largeBinary, .fixedSizeBinary:
            true
        case let .dictionary(index, value, _):
            index == .int32 && (value == .utf8 || value == .binary)
        default:
            false
        }
    }

    /// Column `column` as an array of `type`; a value that does not parse is
    /// ``CSVError/Kind/invalidValue(type:text:)`` naming its row and column.
    func convert(_ column: Int, to type: DataType, name: String, dictionary: inout ByteStringInterner<Int32>) throws(CSVError) -> ArrayData {
        let n = rowCount
        var validity = ValidityBuilder(count: n)
        func invalid(_ row: Int, _ value: UnsafeRawBufferPointer, _ kind: CSVError.Kind? = nil) -> CSVError {
            CSVError(kind ?? .invalidValue(type: "\(type)", text: CSVError.excerpt(value)), row: rows.rowNumbers[row], column: name,
                     byteOffset: streamOffset + rows.rowStarts[row])
        }
        @inline(__always)
        func fixed<T: BitwiseCopyable>(_: T.Type, suspect: ((T) -> Bool)? = nil, _ parse: (UnsafeRawBufferPointer) -> T?) throws(CSVError) -> ArrayData {
            try fixedWidthColumn(column, type: type, name: name, suspect: suspect, parse)
        }
        switch type {
        case .null:
            try forEachValue(column) { (row, value, quoted) throws(CSVError) in
                if !rules.isNull(value, quoted: quoted) { throw invalid(row, value) }
            }
            return ArrayData(type: .null, length: n)
        case .boolean:
            var bits = Vec64<UInt8>(zeroedCount: (n + 7) / 8)
            try bits.withUnsafeMutableBufferPointer { (out: UnsafeMutableBufferPointer<UInt8>) throws(CSVError) in
                try forEachValue(column) { (row, value, quoted) throws(CSVError) in
                    if rules.isNull(value, quoted: quoted) { validity.setNull(row); return }
                    if rules.trues.contains(value) { out[row >> 3] |= 1 << UInt8(row & 7) } else if !rules.falses.contains(value) { throw invalid(row, value) }
                }
            }
            return ArrayData(type: .boolean, length: n, validity: validity.finish(), buffers: [bits.freeze()], nullCount: validity.nullCount)
        case .int8: return try fixed(Int8.self) { TextParsing.fixedWidth($0, as: Int8.self) }
        case .int16: return try fixed(Int16.self) { TextParsing.fixedWidth($0, as: Int16.self) }
        case .int32: return try fixed(Int32.self) { TextParsing.fixedWidth($0, as: Int32.self) }
        case .int64: return try fixed(Int64.self) { TextParsing.int64($0) }
        case .uint8: return try fixed(UInt8.self) { TextParsing.fixedWidth($0, as: UInt8.self) }
        case .uint16: return try fixed(UInt16.self) { TextParsing.fixedWidth($0, as: UInt16.self) }
        case .uint32: return try fixed(UInt32.self) { TextParsing.fixedWidth($0, as: UInt32.self) }
        case .uint64: return try fixed(UInt64.self) { TextParsing.fixedWidth($0, as: UInt64.self) }
        case .duration: return try fixed(Int64.self) { TextParsing.int64($0) }
        case .float16: return try fixed(Float16.self, suspect: { $0.isNaN }) { TextParsing.float($0).map { Float16($0) } }
        case .float32: return try fixed(Float.self, suspect: { $0.isNaN }) { TextParsing.float($0) }
        case .float64: return try fixed(Double.self, suspect: { $0.isNaN }) { TextParsing.double($0) }
        case .date32: return try fixed(Int32.self) { TextParsing.date($0).flatMap { Int32(exactly: $0) } }
        case .date64: return try fixed(Int64.self) { TextParsing.date($0).map { Int64($0) * 86_400_000 } }
        case let .time32(unit): return try fixed(Int32.self) { TextParsing.time($0, unit: unit).flatMap { Int32(exactly: $0) } }
        case let .time64(unit): return try fixed(Int64.self) { TextParsing.time($0, unit: unit) }
        case let .timestamp(unit, timezone):
            return try fixed(Int64.self) { value in
                guard let (parsed, zoned) = TextParsing.timestamp(value, unit: unit), zoned == (timezone != nil) else { return nil }
                return parsed
            }
        case let .decimal32(precision, scale):
            return try fixed(Int32.self) { TextParsing.decimal($0, precision: precision, scale: scale).map { Int32(truncatingIfNeeded: $0.0) } }
        case let .decimal64(precision, scale):
            return try fixed(UInt64.self) { TextParsing.decimal($0, precision: precision, scale: scale).map { $0.0 } }
        case let .decimal128(precision, scale):
            return try fixed(DecimalWords2.self) { TextParsing.decimal($0, precision: precision, scale: scale).map { DecimalWords2(low: $0.0, high: $0.1) } }
        case let .decimal256(precision, scale):
            return try fixed(DecimalWords4.self) { TextParsing.decimal($0, precision: precision, scale: scale).map { DecimalWords4(w0: $0.0, w1: $0.1, w2: $0.2, w3: $0.3) } }
        case .utf8, .binary:
            return try variableBinary(column, type: type, offset: Int32.self, name: name, validity: &validity)
        case .largeUtf8, .largeBinary:
            return try variableBinary(column, type: type, offset: Int64.self, name: name, validity: &validity)
        case let .fixedSizeBinary(width):
            var data = Vec64<UInt8>(zeroedCount: n * width)
            try data.withUnsafeMutableBufferPointer { (out: UnsafeMutableBufferPointer<UInt8>) throws(CSVError) in
                try forEachValue(column) { (row, value, quoted) throws(CSVError) in
                    if rules.isNull(value, quoted: quoted) { validity.setNull(row); return }
                    var at = row * width
                    let ok = BinaryText.decode(value, rules.binaryEncoding) { byte in
                        if at < (row + 1) * width { out[at] = byte }
                        at += 1
                    }
                    guard ok, at == (row + 1) * width else { throw invalid(row, value) }
                }
            }
            return ArrayData(type: type, length: n, validity: validity.finish(), buffers: [data.freeze()], nullCount: validity.nullCount)
        case let .dictionary(_, valueType, _):
            let text = valueType == .utf8
            var indices = Vec64<Int32>(minimumCapacity: n)
            var decoded: [UInt8] = []
            try indices.appendUninitialized(count: n) { (out: UnsafeMutableBufferPointer<Int32>) throws(CSVError) in
                try forEachValue(column) { (row, value, quoted) throws(CSVError) in
                    if (rules.stringsCanBeNull || !text) && rules.isNull(value, quoted: quoted) { validity.setNull(row); out[row] = 0; return }
                    if text && rules.checkUTF8 && !ArrowText.isValidUTF8(value) { throw invalid(row, value, .invalidUTF8) }
                    let index: Int32?
                    if text || rules.binaryEncoding == .raw {
                        index = dictionary.intern(value)
                    } else {
                        decoded.removeAll(keepingCapacity: true)
                        guard BinaryText.decode(value, rules.binaryEncoding, { decoded.append($0) }) else { throw invalid(row, value) }
                        index = decoded.withUnsafeBytes { dictionary.intern($0) }
                    }
                    guard let index else { throw invalid(row, value, .unsupportedType("the dictionary outgrew 32-bit offsets")) }
                    out[row] = index
                }
            }
            return ArrayData(type: type, length: n, validity: validity.finish(), buffers: [indices.freeze()],
                             dictionary: dictionary.values(as: valueType), nullCount: validity.nullCount)
        default:
            throw CSVError(.unsupportedType("CSV cannot hold \(type) values"), column: name)
        }
    }

    /// Column `column` as fixed-width values parsed by `parse`: one pass over the fields with
    /// raw pointers (no closure per value).
    @inline(__always)
    private func fixedWidthColumn<T: BitwiseCopyable>(
        _ column: Int, type: DataType, name: String, suspect: ((T) -> Bool)?, _ parse: (UnsafeRawBufferPointer) -> T?
    ) throws(CSVError) -> ArrayData {
        let n = rowCount
        var validity = ValidityBuilder(count: n)
        var values = Vec64<T>(minimumCapacity: n)
        var failure: (row: Int, text: String)?
        let rules = self.rules
        let stride = rows.columnCount
        // Whether some null spelling parses as the type to a value that is not `suspect` (a
        // user's "0" as an int); "nan" parses as a float, but to NaN, which is suspect: such
        // values are checked against the spellings after parsing.
        let nullsParse = rules.nullSpellings.contains { spelling in
            spelling.withUnsafeBytes { bytes in parse(bytes).map { !(suspect?($0) ?? false) } ?? false }
        }
        values.appendUninitialized(count: n) { (out: UnsafeMutableBufferPointer<T>) in
            guard n > 0 else { return }
            let outBase = UnsafeMutableRawPointer(out.baseAddress!)
            let blockBase = block.baseAddress!
            rows.fields.withUnsafeBufferPointer { fields in
                do {
                    var scratch = Vec64<UInt8>()
                    for row in 0..<n {
                        let (start, end, f) = TokenizedRows.unpack(fields[row * stride + column])
                        var value = UnsafeRawBufferPointer(start: blockBase + start, count: end - start)
                        if f & TokenizedRows.needsUnescape != 0 {
                            scratch.removeAll(keepingCapacity: true)
                            tokenizer.unescape(value) { scratch.append($0) }
                            value = scratch.withUnsafeBytes { $0 }   // scratch is not touched until the next row
                        }
                        // When no null spelling parses as the type, a value that parses is not
                        // null: the spellings are looked up only for values that do not parse.
                        if !nullsParse, let parsed = parse(value), !(suspect?(parsed) ?? false) {
                            out[row] = parsed
                            continue
                        }
                        if (f & TokenizedRows.quoted == 0 || rules.quotedStringsCanBeNull) && rules.nulls.contains(value) {
                            validity.setNull(row)
                            (outBase + row * MemoryLayout<T>.stride).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<T>.stride)
                            continue
                        }
                        if let parsed = parse(value) {
                            out[row] = parsed
                            continue
                        }
                        failure = (row, CSVError.excerpt(value))
                        (outBase + row * MemoryLayout<T>.stride).initializeMemory(as: UInt8.self, repeating: 0, count: (n - row) * MemoryLayout<T>.stride)
                        return
                    }
                }
            }
        }
        if let failure {
            throw CSVError(.invalidValue(type: "\(type)", text: failure.text), row: rows.rowNumbers[failure.row], column: name,
                           byteOffset: streamOffset + rows.rowStarts[failure.row])
        }
        return ArrayData(type: type, length: n, validity: validity.finish(), buffers: [values.freeze()], nullCount: validity.nullCount)
    }

    private func variableBinary<O: FixedWidthInteger & BitwiseCopyable>(
        _ column: Int, type: DataType, offset: O.Type, name: String, validity: inout ValidityBuilder
    ) throws(CSVError) -> ArrayData {
        let n = rowCount
        let text = type == .utf8 || type == .largeUtf8
        let decode = !text && rules.binaryEncoding != .raw
        var offsets = Vec64<O>(minimumCapacity: n + 1)
        var data = Vec64<UInt8>(minimumCapacity: min(block.count, 1 << 30))
        offsets.append(0)
        var failure: CSVError?
        forEachValue(column) { (row, value, quoted) in
            if failure != nil { return }
            if (rules.stringsCanBeNull || !text) && rules.isNull(value, quoted: quoted) {
                validity.setNull(row)
            } else if decode {
                if !BinaryText.decode(value, rules.binaryEncoding, { data.append($0) }) {
                    failure = CSVError(.invalidValue(type: "\(type) (\(rules.binaryEncoding))", text: CSVError.excerpt(value)),
                                       row: rows.rowNumbers[row], column: name, byteOffset: streamOffset + rows.rowStarts[row])
                }
            } else {
                if let base = value.baseAddress { data.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: value.count)) }
            }
            offsets.append(O(truncatingIfNeeded: data.count))
        }
        if let failure { throw failure }
        guard O.bitWidth == 64 || data.count <= Int(Int32.max) else {
            throw CSVError(.unsupportedType("a batch of column '\(name)' holds more than 2 GiB; read it as large_utf8/large_binary"), column: name)
        }
        // UTF-8 is checked once over all the column's bytes, plus that no value starts with a
        // continuation byte (so no character spans two values); only when that fails are the
        // values checked one by one, to name the first bad row.
        if text && rules.checkUTF8 && !data.withUnsafeBytes({ bytes in
            offsets.withUnsafeBytes { ArrowText.isValidUTF8(data: bytes, offsets: $0, count: offsets.count - 1, large: O.bitWidth == 64) }
        }) {
            var bad: Int?
            forEachValue(column) { row, value, quoted in
                if bad == nil && !((rules.stringsCanBeNull && rules.isNull(value, quoted: quoted)) || ArrowText.isValidUTF8(value)) { bad = row }
            }
            let row = bad ?? 0
            throw CSVError(.invalidUTF8, row: rows.rowNumbers[row], column: name, byteOffset: streamOffset + rows.rowStarts[row])
        }
        return ArrayData(type: type, length: n, validity: validity.finish(), buffers: [offsets.freeze(), data.freeze()], nullCount: validity.nullCount)
    }
}

/// The 16 bytes of a decimal128 value, low word first.
struct DecimalWords2: BitwiseCopyable { var low: UInt64; var high: UInt64 }
/// The 32 bytes of a decimal256 value, lowest word first.
struct DecimalWords4: BitwiseCopyable { var w0: UInt64; var w1: UInt64; var w2: UInt64; var w3: UInt64 }

/// A validity bitmap built lazily: no memory until the first null.
struct ValidityBuilder {
    let count: Int
    private(set) var nullCount = 0
    private var bits: Vec64<UInt8>?

    init(count: Int) { self.count = count }

    @inline(__always)
    mutating func setNull(_ index: Int) {
        if bits == nil { bits = Vec64(repeating: 0xFF, count: (count + 7) / 8) }
        bits!.withUnsafeMutableBufferPointer { $0[index >> 3] &= ~(1 << UInt8(index & 7)) }
        nullCount += 1
    }

    func finish() -> Buffer? { nullCount == 0 ? nil : bits?.freeze() }
}
