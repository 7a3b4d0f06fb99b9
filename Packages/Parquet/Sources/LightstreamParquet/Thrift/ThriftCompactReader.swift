/// The element and field types of the Thrift compact protocol.
enum ThriftType: UInt8, Sendable {
    case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7,
         binary = 8, list = 9, set = 10, map = 11, `struct` = 12

    /// Whether a field of this type holds a boolean (the value is in the type nibble).
    var isBool: Bool { self == .boolTrue || self == .boolFalse }
}

/// One field header of a Thrift struct: its id and type.
struct ThriftField {
    var id: Int16
    var type: ThriftType
}

/// A bounds-checked, depth-limited reader of the Thrift compact protocol over bytes it does not
/// own (the caller keeps them alive). Every count is checked against the bytes left before any
/// allocation; unknown fields are skipped so files written by newer writers read.
struct ThriftCompactReader {
    /// The deepest nesting of structs and containers accepted.
    static let maximumDepth = 64
    /// The most elements one list, set or map may hold (Arrow C++'s default container limit):
    /// a footer of empty structs cannot make a few hundred megabytes of metadata values.
    static let maximumContainerElements = 1_000_000

    let bytes: UnsafeRawBufferPointer
    /// The next byte to read.
    private(set) var position: Int
    private var lastFieldID: Int16 = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    func corrupt(_ why: String) -> ParquetError {
        ParquetError(.corruptMetadata(why), offset: position)
    }

    // MARK: Primitives

    mutating func byte() throws(ParquetError) -> UInt8 {
        guard position < bytes.count else { throw ParquetError(.truncated("Thrift data ends inside a value"), offset: position) }
        let value = bytes[position]
        position += 1
        return value
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    mutating func varint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            if shift == 63 && b > 1 { throw corrupt("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw corrupt("varint longer than 10 bytes") }
        }
    }

    mutating func zigzag() throws(ParquetError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    // MARK: Typed values of a field (the field's declared type is checked)

    private func expect(_ field: ThriftField, _ types: ThriftType...) throws(ParquetError) {
        guard types.contains(field.type) else {
            throw corrupt("field \(field.id) has Thrift type \(field.type), expected \(types[0])")
        }
    }

    mutating func bool(_ field: ThriftField) throws(ParquetError) -> Bool {
        try expect(field, .boolTrue, .boolFalse)
        return field.type == .boolTrue
    }

    mutating func i8(_ field: ThriftField) throws(ParquetError) -> Int8 {
        try expect(field, .byte)
        return Int8(bitPattern: try byte())
    }

    mutating func i16(_ field: ThriftField) throws(ParquetError) -> Int16 {
        try expect(field, .i16, .byte)
        if field.type == .byte { return Int16(Int8(bitPattern: try byte())) }
        let value = try zigzag()
        guard let narrow = Int16(exactly: value) else { throw corrupt("field \(field.id): \(value) is not an i16") }
        return narrow
    }

    mutating func i32(_ field: ThriftField) throws(ParquetError) -> Int32 {
        try expect(field, .i32, .i16, .byte)
        if field.type == .byte { return Int32(Int8(bitPattern: try byte())) }
        let value = try zigzag()
        guard let narrow = Int32(exactly: value) else { throw corrupt("field \(field.id): \(value) is not an i32") }
        return narrow
    }

    mutating func i64(_ field: ThriftField) throws(ParquetError) -> Int64 {
        try expect(field, .i64, .i32, .i16, .byte)
        if field.type == .byte { return Int64(Int8(bitPattern: try byte())) }
        return try zigzag()
    }

    mutating func double(_ field: ThriftField) throws(ParquetError) -> Double {
        try expect(field, .double)
        guard remaining >= 8 else { throw ParquetError(.truncated("Thrift double"), offset: position) }
        let bits = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    /// The bytes of a binary field, as a range of ``bytes``.
    mutating func binaryRange() throws(ParquetError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(remaining) else {
            throw ParquetError(.truncated("Thrift binary of \(length) bytes with \(remaining) left"), offset: position)
        }
        let start = position
        position += Int(length)
        return start..<position
    }

    mutating func binary(_ field: ThriftField) throws(ParquetError) -> [UInt8] {
        try expect(field, .binary)
        let range = try binaryRange()
        return Array(UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    mutating func string(_ field: ThriftField) throws(ParquetError) -> String {
        try expect(field, .binary)
        return try stringValue()
    }

    /// A string list element or field value (invalid UTF-8 is repaired, as Thrift does not check it).
    mutating func stringValue() throws(ParquetError) -> String {
        let range = try binaryRange()
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    // MARK: Structs

    /// Reads a struct, handing each field header to `body`, which must read the field's value or
    /// call ``skip(_:)``. Nested structs keep their own field-id state.
    mutating func readStruct(
        _ body: (inout ThriftCompactReader, ThriftField) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw corrupt("Thrift nesting deeper than \(Self.maximumDepth)") }
        let savedFieldID = lastFieldID
        lastFieldID = 0
        while true {
            let header = try byte()
            guard let type = ThriftType(rawValue: header & 0x0F) else { throw corrupt("unknown Thrift type \(header & 0x0F)") }
            if type == .stop { break }
            let delta = header >> 4
            let id: Int16
            if delta != 0 {
                id = lastFieldID &+ Int16(delta)
            } else {
                let raw = try zigzag()
                guard let narrow = Int16(exactly: raw) else { throw corrupt("field id \(raw) is not an i16") }
                id = narrow
            }
            lastFieldID = id
            try body(&self, ThriftField(id: id, type: type))
        }
        lastFieldID = savedFieldID
        depth -= 1
    }

    /// Reads a struct-typed field's value.
    mutating func readStruct(
        _ field: ThriftField, _ body: (inout ThriftCompactReader, ThriftField) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        try expect(field, .struct)
        try readStruct(body)
    }

    // MARK: Lists

    /// Reads a list header and checks its element type and that its count can be backed by the
    /// bytes left (every element takes at least one byte, except booleans in a field which do not
    /// occur in lists).
    mutating func listHeader(_ field: ThriftField) throws(ParquetError) -> (count: Int, type: ThriftType) {
        try expect(field, .list, .set)
        return try containerHeader()
    }

    private mutating func containerHeader() throws(ParquetError) -> (count: Int, type: ThriftType) {
        let header = try byte()
        var count = UInt64(header >> 4)
        if count == 15 { count = try varint() }
        guard let type = ThriftType(rawValue: header & 0x0F), type != .stop else {
            throw corrupt("unknown list element type \(header & 0x0F)")
        }
        let minimumElementBytes: UInt64 = type == .double ? 8 : 1
        guard count <= UInt64(Self.maximumContainerElements) else {
            throw ParquetError(.limitExceeded("Thrift container of \(count) elements; the limit is \(Self.maximumContainerElements)"), offset: position)
        }
        guard count <= UInt64(remaining) / minimumElementBytes else {
            throw ParquetError(.limitExceeded("Thrift list claims \(count) elements with \(remaining) bytes left"), offset: position)
        }
        return (Int(count), type)
    }

    /// Reads a list field, handing `body` each element index (it reads one value of the element
    /// type given by `elementType`).
    mutating func readList(
        _ field: ThriftField, elementType: ThriftType,
        _ body: (inout ThriftCompactReader, Int) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        let (count, type) = try listHeader(field)
        let compatible = type == elementType || (elementType.isBool && type.isBool)
            || (elementType == .i64 && (type == .i32 || type == .i16)) || (elementType == .i32 && type == .i16)
        guard compatible else { throw corrupt("list field \(field.id) holds \(type), expected \(elementType)") }
        depth += 1
        guard depth <= Self.maximumDepth else { throw corrupt("Thrift nesting deeper than \(Self.maximumDepth)") }
        for index in 0..<count { try body(&self, index) }
        depth -= 1
    }

    /// A list of strings.
    mutating func stringList(_ field: ThriftField) throws(ParquetError) -> [String] {
        var values: [String] = []
        try readList(field, elementType: .binary) { r, _ throws(ParquetError) in values.append(try r.stringValue()) }
        return values
    }

    /// A list of integers (i16, i32 or i64 elements).
    mutating func integerList(_ field: ThriftField) throws(ParquetError) -> [Int64] {
        var values: [Int64] = []
        try readList(field, elementType: .i64) { r, _ throws(ParquetError) in values.append(try r.zigzag()) }
        return values
    }

    /// A list element boolean: one byte, 1 for true, 0 or 2 for false.
    mutating func boolElement() throws(ParquetError) -> Bool {
        switch try byte() {
        case 1: return true
        case 0, 2: return false
        case let other: throw corrupt("boolean list element \(other)")
        }
    }

    // MARK: Skipping

    /// Skips a value of `type` (for fields this reader does not know).
    mutating func skip(_ type: ThriftType) throws(ParquetError) {
        switch type {
        case .stop: throw corrupt("stop where a value was expected")
        case .boolTrue, .boolFalse: return   // a field boolean has no bytes; list booleans are skipped as bytes below
        case .byte: _ = try byte()
        case .i16, .i32, .i64: _ = try varint()
        case .double:
            guard remaining >= 8 else { throw ParquetError(.truncated("Thrift double"), offset: position) }
            position += 8
        case .binary: _ = try binaryRange()
        case .struct: try readStruct { r, field throws(ParquetError) in try r.skip(field.type) }
        case .list, .set:
            let (count, element) = try containerHeader()
            try nested { r throws(ParquetError) in
                for _ in 0..<count { try r.skipElement(element) }
            }
        case .map:
            let count = try varint()
            guard count <= UInt64(remaining), count <= UInt64(Self.maximumContainerElements) else {
                throw ParquetError(.limitExceeded("Thrift map claims \(count) entries with \(remaining) bytes left"), offset: position)
            }
            if count == 0 { return }
            let types = try byte()
            guard let key = ThriftType(rawValue: types >> 4), let value = ThriftType(rawValue: types & 0x0F),
                  key != .stop, value != .stop else { throw corrupt("unknown map types \(types)") }
            try nested { r throws(ParquetError) in
                for _ in 0..<count {
                    try r.skipElement(key)
                    try r.skipElement(value)
                }
            }
        }
    }

    private mutating func skipElement(_ type: ThriftType) throws(ParquetError) {
        if type.isBool { _ = try byte() } else { try skip(type) }
    }

    private mutating func nested(_ body: (inout ThriftCompactReader) throws(ParquetError) -> Void) throws(ParquetError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw corrupt("Thrift nesting deeper than \(Self.maximumDepth)") }
        try body(&self)
        depth -= 1
    }
}
