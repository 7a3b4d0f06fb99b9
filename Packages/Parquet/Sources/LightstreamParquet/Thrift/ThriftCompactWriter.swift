import Vec64

/// A writer of the Thrift compact protocol, appending to a ``Vec64`` of bytes: the counterpart
/// of ``ThriftCompactReader`` for footers, page headers and page indexes.
///
/// Structs are written between ``beginStruct()`` and ``endStruct()`` (which writes the stop
/// byte); a struct-typed field is its header (``beginStructField(_:)``) followed by the same.
/// Field headers are delta-encoded against the previous field of the same struct when the id
/// grows by 1 to 15, and written in the long form (type byte, then the zigzag id) otherwise, so
/// fields may come in any order, though ascending ids are the smallest. Lists are a header
/// (``writeListHeader(_:elementType:count:)``) followed by exactly `count` elements written with
/// the element writers (`write…Element`, or ``beginStruct()``/``endStruct()`` for structs).
///
/// Integer arguments of Swift's `Int` must fit the Thrift width of their field (the caller
/// validates sizes and counts); a value that does not traps, as Swift conversions do.
///
/// ```swift
/// var w = ThriftCompactWriter()
/// w.beginStruct()
/// w.writeI32(1, 7)
/// w.writeString(4, "name")
/// w.endStruct()
/// let bytes = w.bytes
/// ```
struct ThriftCompactWriter {
    /// The bytes written so far (the writer only appends).
    var bytes: Vec64<UInt8>
    /// The id of the previous field of the struct being written (0 at its start).
    private var lastFieldID: Int16 = 0
    /// The previous-field ids of the enclosing structs, innermost last.
    private var enclosingFieldIDs: [Int16] = []

    /// Creates a writer appending to `bytes` (empty by default).
    init(appendingTo bytes: Vec64<UInt8> = Vec64()) {
        self.bytes = bytes
    }

    /// The depth of structs begun and not yet ended (0 between top-level structs).
    var structDepth: Int { enclosingFieldIDs.count }

    // MARK: Raw values

    /// Appends an unsigned LEB128 varint.
    @inline(__always)
    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v &>>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends a zigzag varint (the compact encoding of i16, i32 and i64).
    @inline(__always)
    mutating func writeZigzag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value &<< 1) ^ (value &>> 63)))
    }

    /// Appends a length-prefixed byte string (a binary or string value).
    mutating func writeBinaryValue(_ value: some Collection<UInt8>) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    // MARK: Structs

    /// Begins a struct value: its fields' ids are delta-encoded from 0 again.
    mutating func beginStruct() {
        enclosingFieldIDs.append(lastFieldID)
        lastFieldID = 0
    }

    /// Ends the struct begun last: writes its stop byte and restores the enclosing struct's
    /// field-id state.
    mutating func endStruct() {
        precondition(!enclosingFieldIDs.isEmpty, "ThriftCompactWriter: endStruct without beginStruct")
        writeStop()
        lastFieldID = enclosingFieldIDs.removeLast()
    }

    /// Appends the stop byte that ends a struct's fields (``endStruct()`` writes it).
    @inline(__always)
    mutating func writeStop() {
        bytes.append(ThriftType.stop.rawValue)
    }

    /// Appends a field header: the id as a delta in the high nibble when it exceeds the previous
    /// field's by 1...15, else the type byte followed by the zigzag id.
    @inline(__always)
    mutating func writeFieldHeader(_ id: Int16, _ type: ThriftType) {
        let delta = Int(id) &- Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(truncatingIfNeeded: delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeZigzag(Int64(id))
        }
        lastFieldID = id
    }

    /// Writes the header of struct-typed field `id` and begins its struct; end it with
    /// ``endStruct()``.
    mutating func beginStructField(_ id: Int16) {
        writeFieldHeader(id, .struct)
        beginStruct()
    }

    // MARK: Fields

    /// A bool field: the value is the header's type nibble, with no byte of its own.
    mutating func writeBool(_ id: Int16, _ value: Bool) {
        writeFieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    /// An i8 field (one raw byte).
    mutating func writeI8(_ id: Int16, _ value: Int8) {
        writeFieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    /// An i16 field.
    mutating func writeI16(_ id: Int16, _ value: Int16) {
        writeFieldHeader(id, .i16)
        writeZigzag(Int64(value))
    }

    /// An i32 field.
    mutating func writeI32(_ id: Int16, _ value: Int32) {
        writeFieldHeader(id, .i32)
        writeZigzag(Int64(value))
    }

    /// An i32 field from an `Int`, which must fit 32 bits.
    mutating func writeI32(_ id: Int16, _ value: Int) {
        writeI32(id, Int32(value))
    }

    /// An i64 field.
    mutating func writeI64(_ id: Int16, _ value: Int64) {
        writeFieldHeader(id, .i64)
        writeZigzag(value)
    }

    /// A double field (8 bytes, little-endian).
    mutating func writeDouble(_ id: Int16, _ value: Double) {
        writeFieldHeader(id, .double)
        let bits = value.bitPattern
        for shift in stride(from: 0 as UInt64, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits &>> shift)) }
    }

    /// A binary field.
    mutating func writeBinary(_ id: Int16, _ value: some Collection<UInt8>) {
        writeFieldHeader(id, .binary)
        writeBinaryValue(value)
    }

    /// A string field (its UTF-8 bytes).
    mutating func writeString(_ id: Int16, _ value: String) {
        writeFieldHeader(id, .binary)
        writeStringElement(value)
    }

    // MARK: Lists

    /// Appends a list header without a field header (for a list element of a list): the count
    /// in the high nibble when below 15, else 15 there and the count as a varint after.
    mutating func writeListHeader(elementType: ThriftType, count: Int) {
        precondition(count >= 0, "ThriftCompactWriter: negative list count")
        // Booleans in containers are typed 1 (as Thrift's own writers do).
        let type = elementType.isBool ? ThriftType.boolTrue.rawValue : elementType.rawValue
        if count < 15 {
            bytes.append(UInt8(truncatingIfNeeded: count) << 4 | type)
        } else {
            bytes.append(0xF0 | type)
            writeVarint(UInt64(count))
        }
    }

    /// Writes the header of list-typed field `id` holding `count` elements of `elementType`;
    /// exactly `count` elements must follow.
    mutating func writeListHeader(_ id: Int16, elementType: ThriftType, count: Int) {
        writeFieldHeader(id, .list)
        writeListHeader(elementType: elementType, count: count)
    }

    /// A bool list element: one byte, 1 for true and 2 for false.
    mutating func writeBoolElement(_ value: Bool) {
        bytes.append(value ? ThriftType.boolTrue.rawValue : ThriftType.boolFalse.rawValue)
    }

    /// An i8 list element.
    mutating func writeI8Element(_ value: Int8) {
        bytes.append(UInt8(bitPattern: value))
    }

    /// An i16, i32 or i64 list element (all are zigzag varints).
    mutating func writeIntegerElement(_ value: Int64) {
        writeZigzag(value)
    }

    /// A binary list element.
    mutating func writeBinaryElement(_ value: some Collection<UInt8>) {
        writeBinaryValue(value)
    }

    /// A string list element (or the value of a string field).
    mutating func writeStringElement(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A list field of strings.
    mutating func writeStringList(_ id: Int16, _ values: [String]) {
        writeListHeader(id, elementType: .binary, count: values.count)
        for value in values { writeStringElement(value) }
    }

    /// A list field of i32 values.
    mutating func writeI32List(_ id: Int16, _ values: some Collection<Int32>) {
        writeListHeader(id, elementType: .i32, count: values.count)
        for value in values { writeZigzag(Int64(value)) }
    }

    /// A list field of i64 values.
    mutating func writeI64List(_ id: Int16, _ values: some Collection<Int64>) {
        writeListHeader(id, elementType: .i64, count: values.count)
        for value in values { writeZigzag(value) }
    }
}

extension ThriftCompactWriter {
    /// The bytes `body` writes into a fresh writer (the `thriftEncoded()` conveniences use it).
    static func encoded(_ body: (inout ThriftCompactWriter) -> Void) -> Vec64<UInt8> {
        var w = ThriftCompactWriter()
        body(&w)
        return w.bytes
    }
}
