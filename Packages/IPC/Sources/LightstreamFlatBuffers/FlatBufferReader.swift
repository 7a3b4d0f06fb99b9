import Vec64

/// Why a FlatBuffer could not be read: what was wrong and at which byte.
public struct FlatBufferError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var reason: String
    /// The byte position in the FlatBuffer where the problem is.
    public var offset: Int

    /// An error saying `reason` about the byte at `offset`.
    public init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The byte offset and the reason, as one line.
    public var description: String { "invalid FlatBuffer at byte \(offset): \(reason)" }
}

/// A FlatBuffer held in a ``Buffer``. Every access is checked against the bytes before use:
/// offsets, vtables, vectors and strings, with a nesting depth limit, so hostile bytes give a
/// ``FlatBufferError``, never an out-of-bounds read.
public struct FlatBuffer: Sendable {
    /// The FlatBuffer's bytes.
    public let bytes: Buffer
    /// The deepest table nesting accepted.
    public let maximumDepth: Int

    /// A FlatBuffer over `bytes` (checked on access), with tables nested at most `maximumDepth` deep.
    public init(_ bytes: Buffer, maximumDepth: Int = 64) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// The root table.
    public func root() throws(FlatBufferError) -> FlatTable {
        let offset = try readUInt32(at: 0)
        return try FlatTable(self, position: Int(offset), depth: 0)
    }

    func require(_ position: Int, _ size: Int) throws(FlatBufferError) {
        guard position >= 0, size >= 0, position <= bytes.count - size else {
            throw FlatBufferError("\(size) bytes at \(position) are outside the \(bytes.count)-byte buffer", at: position)
        }
    }

    func readUInt32(at position: Int) throws(FlatBufferError) -> UInt32 {
        try require(position, 4)
        return UInt32(littleEndian: bytes.load(UInt32.self, fromByteOffset: position))
    }

    func read<T: FixedWidthInteger & BitwiseCopyable>(_ type: T.Type, at position: Int) throws(FlatBufferError) -> T {
        try require(position, MemoryLayout<T>.size)
        return T(littleEndian: bytes.load(T.self, fromByteOffset: position))
    }

    /// The target of the unsigned offset stored at `position`.
    func follow(_ position: Int) throws(FlatBufferError) -> Int {
        let target = position + Int(try readUInt32(at: position))
        try require(target, 4)
        return target
    }

    func string(at position: Int) throws(FlatBufferError) -> String {
        let length = Int(try readUInt32(at: position))
        try require(position + 4, length)
        let text = bytes.slice((position + 4)..<(position + 4 + length)).withUnsafeBytes { String(validating: $0, as: UTF8.self) }
        guard let text else { throw FlatBufferError("string is not valid UTF-8", at: position) }
        return text
    }
}

/// A table of a ``FlatBuffer``: fields are looked up by slot number (declaration order).
public struct FlatTable: Sendable {
    /// The FlatBuffer the table is in.
    public let buffer: FlatBuffer
    /// The byte position of the table.
    public let position: Int
    let vtable: Int
    let vtableLength: Int
    let tableLength: Int
    let depth: Int

    init(_ buffer: FlatBuffer, position: Int, depth: Int) throws(FlatBufferError) {
        guard depth <= buffer.maximumDepth else { throw FlatBufferError("tables nested deeper than \(buffer.maximumDepth)", at: position) }
        let soffset = Int(try buffer.read(Int32.self, at: position))
        let vtable = position - soffset
        let vtableLength = Int(try buffer.read(UInt16.self, at: vtable))
        let tableLength = Int(try buffer.read(UInt16.self, at: vtable + 2))
        guard vtableLength >= 4, vtableLength & 1 == 0 else { throw FlatBufferError("vtable length \(vtableLength) is invalid", at: vtable) }
        try buffer.require(vtable, vtableLength)
        guard tableLength >= 4 else { throw FlatBufferError("table length \(tableLength) is invalid", at: position) }
        try buffer.require(position, tableLength)
        self.buffer = buffer
        self.position = position
        self.vtable = vtable
        self.vtableLength = vtableLength
        self.tableLength = tableLength
        self.depth = depth
    }

    /// The field's offset inside the table, or 0 when absent.
    func fieldOffset(_ slot: Int) throws(FlatBufferError) -> Int {
        let entry = 4 + 2 * slot
        guard entry + 2 <= vtableLength else { return 0 }
        let offset = Int(try buffer.read(UInt16.self, at: vtable + entry))
        guard offset < tableLength else { throw FlatBufferError("field \(slot) offset \(offset) is outside its \(tableLength)-byte table", at: position) }
        return offset
    }

    /// Whether field `slot` is present.
    public func has(_ slot: Int) throws(FlatBufferError) -> Bool { try fieldOffset(slot) != 0 }

    /// A scalar field (integers; `default` when absent).
    public func scalar<T: FixedWidthInteger & BitwiseCopyable>(_ slot: Int, default value: T) throws(FlatBufferError) -> T {
        let offset = try fieldOffset(slot)
        guard offset != 0 else { return value }
        guard offset + MemoryLayout<T>.size <= tableLength else { throw FlatBufferError("scalar field \(slot) runs past its table", at: position + offset) }
        return try buffer.read(T.self, at: position + offset)
    }

    /// A boolean field.
    public func bool(_ slot: Int, default value: Bool = false) throws(FlatBufferError) -> Bool {
        try scalar(slot, default: UInt8(value ? 1 : 0)) != 0
    }

    /// A table field, or `nil` when absent.
    public func table(_ slot: Int) throws(FlatBufferError) -> FlatTable? {
        let offset = try fieldOffset(slot)
        guard offset != 0 else { return nil }
        return try FlatTable(buffer, position: try buffer.follow(position + offset), depth: depth + 1)
    }

    /// A string field, or `nil` when absent.
    public func string(_ slot: Int) throws(FlatBufferError) -> String? {
        let offset = try fieldOffset(slot)
        guard offset != 0 else { return nil }
        return try buffer.string(at: try buffer.follow(position + offset))
    }

    /// A vector field whose elements are `elementSize` bytes (4 for tables and strings), or
    /// `nil` when absent.
    public func vector(_ slot: Int, elementSize: Int) throws(FlatBufferError) -> FlatVector? {
        let offset = try fieldOffset(slot)
        guard offset != 0 else { return nil }
        let start = try buffer.follow(position + offset)
        let count = Int(try buffer.readUInt32(at: start))
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow else { throw FlatBufferError("vector of \(count) elements is too large", at: start) }
        try buffer.require(start + 4, bytes)
        return FlatVector(table: self, start: start + 4, count: count, elementSize: elementSize)
    }
}

/// A vector of a ``FlatBuffer``.
public struct FlatVector: Sendable {
    let table: FlatTable
    /// The byte position of the first element.
    public let start: Int
    /// The number of elements.
    public let count: Int
    /// The size of one element in bytes (4 for references to tables and strings).
    public let elementSize: Int

    /// Scalar element `index`.
    public func scalar<T: FixedWidthInteger & BitwiseCopyable>(at index: Int, as type: T.Type = T.self) throws(FlatBufferError) -> T {
        precondition(index >= 0 && index < count, "FlatVector: index out of range")
        return try table.buffer.read(T.self, at: start + index * elementSize)
    }

    /// Table element `index`.
    public func table(at index: Int) throws(FlatBufferError) -> FlatTable {
        precondition(index >= 0 && index < count, "FlatVector: index out of range")
        return try FlatTable(table.buffer, position: try table.buffer.follow(start + index * 4), depth: table.depth + 1)
    }

    /// String element `index`.
    public func string(at index: Int) throws(FlatBufferError) -> String {
        precondition(index >= 0 && index < count, "FlatVector: index out of range")
        return try table.buffer.string(at: try table.buffer.follow(start + index * 4))
    }

    /// A little-endian integer of struct element `index`, `fieldOffset` bytes into the struct.
    public func structField<T: FixedWidthInteger & BitwiseCopyable>(at index: Int, offset fieldOffset: Int, as type: T.Type) throws(FlatBufferError) -> T {
        precondition(index >= 0 && index < count, "FlatVector: index out of range")
        return try table.buffer.read(T.self, at: start + index * elementSize + fieldOffset)
    }
}
