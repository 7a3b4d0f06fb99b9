import LightstreamArrow
import LightstreamFlatBuffers

/// The Arrow `Type` union of Schema.fbs.
enum TypeID: UInt8 {
    case none = 0, null, int, floatingPoint, binary, utf8, bool, decimal, date, time, timestamp, interval,
         list, struct_, union, fixedSizeBinary, fixedSizeList, map, duration, largeBinary, largeUtf8, largeList,
         runEndEncoded, binaryView, utf8View, listView, largeListView
}

/// A schema as IPC carries it: the fields plus the dictionary id of every dictionary-encoded
/// field (by field path of child indices).
public struct IPCSchema: Sendable, Equatable {
    /// The fields and schema metadata.
    public var schema: Schema
    /// The dictionary id of each dictionary-encoded field, by its path of child indices (the first
    /// index is the top-level field).
    public var dictionaryIDs: [[Int]: Int64]

    /// A schema with the given dictionary ids.
    public init(schema: Schema, dictionaryIDs: [[Int]: Int64]) {
        self.schema = schema
        self.dictionaryIDs = dictionaryIDs
    }

    /// Assigns ids 0, 1, 2, ... to the dictionary-encoded fields in depth-first order.
    public init(schema: Schema) {
        var ids: [[Int]: Int64] = [:]
        func visit(_ field: Field, _ path: [Int]) {
            if case .dictionary = field.type { ids[path] = Int64(ids.count) }
            for (i, child) in dictionaryValueType(field.type).children.enumerated() { visit(child, path + [i]) }
        }
        for (i, field) in schema.fields.enumerated() { visit(field, [i]) }
        self.init(schema: schema, dictionaryIDs: ids)
    }

    /// The value type of each dictionary id.
    var dictionaryValueTypes: [Int64: DataType] {
        var types: [Int64: DataType] = [:]
        func visit(_ field: Field, _ path: [Int]) {
            if case let .dictionary(_, value, _) = field.type, let id = dictionaryIDs[path] { types[id] = value }
            for (i, child) in dictionaryValueType(field.type).children.enumerated() { visit(child, path + [i]) }
        }
        for (i, field) in schema.fields.enumerated() { visit(field, [i]) }
        return types
    }
}

/// The value type of a dictionary type, or the type itself.
func dictionaryValueType(_ type: DataType) -> DataType {
    if case let .dictionary(_, value, _) = type { return value }
    return type
}

// MARK: - Reading

/// What decoding one piece of metadata may still cost. A FlatBuffer can point many times at one
/// table or string, so work is counted as it is done, not inferred from the byte count: every
/// field reached counts against ``IPCLimits/maximumSchemaFields``, and the bytes of every string
/// decoded against the FlatBuffer's own size (which unshared strings can never exceed).
struct MetadataBudget {
    let limits: IPCLimits
    var fieldsReached = 0
    var stringBytesLeft: Int

    init(limits: IPCLimits, flatBufferBytes: Int) {
        self.limits = limits
        stringBytesLeft = flatBufferBytes
    }

    mutating func spendField(_ names: [String]) throws {
        fieldsReached += 1
        try limits.check(.schemaFields, fieldsReached, "the fields the schema reaches", field: names)
    }

    mutating func string(_ table: FlatTable, _ slot: Int) throws -> String? {
        guard let text = try table.string(slot) else { return nil }
        stringBytesLeft -= text.utf8.count
        guard stringBytesLeft >= 0 else {
            throw IPCError("the metadata's strings add up to more bytes than the metadata holds (strings reached repeatedly)")
        }
        return text
    }
}

enum SchemaDecoder {
    static func decode(_ table: FlatTable, limits: IPCLimits = .default) throws -> IPCSchema {
        let endianness = try table.scalar(0, default: Int16(0))
        guard endianness == 0 else {
            throw IPCError("big-endian data is not supported: Lightstream reads little-endian Arrow IPC only", kind: .unsupported)
        }
        var budget = MetadataBudget(limits: limits, flatBufferBytes: table.buffer.bytes.count)
        var ids: [[Int]: Int64] = [:]
        var fields: [Field] = []
        if let vector = try table.vector(1, elementSize: 4) {
            for i in 0..<vector.count {
                fields.append(try field(try vector.table(at: i), path: [i], names: [], ids: &ids, budget: &budget))
            }
        }
        return IPCSchema(schema: Schema(fields, metadata: try metadata(table, slot: 2, budget: &budget)), dictionaryIDs: ids)
    }

    /// The key-value metadata in `slot` of `table`, with a budget of its own.
    static func metadata(_ table: FlatTable, slot: Int) throws -> [String: String] {
        var budget = MetadataBudget(limits: .default, flatBufferBytes: table.buffer.bytes.count)
        return try metadata(table, slot: slot, budget: &budget)
    }

    static func metadata(_ table: FlatTable, slot: Int, budget: inout MetadataBudget) throws -> [String: String] {
        guard let vector = try table.vector(slot, elementSize: 4) else { return [:] }
        var result: [String: String] = [:]
        for i in 0..<vector.count {
            let pair = try vector.table(at: i)
            result[try budget.string(pair, 0) ?? ""] = try budget.string(pair, 1) ?? ""
        }
        return result
    }

    static func field(_ table: FlatTable, path: [Int], names: [String], ids: inout [[Int]: Int64], budget: inout MetadataBudget) throws -> Field {
        try budget.spendField(names)
        try budget.limits.check(.nestingDepth, path.count, "the nesting of fields", field: names)
        let name = try budget.string(table, 0) ?? ""
        let here = names + [name]
        let nullable = try table.bool(1)
        var children: [Field] = []
        if let vector = try table.vector(5, elementSize: 4) {
            for i in 0..<vector.count {
                children.append(try field(try vector.table(at: i), path: path + [i], names: here, ids: &ids, budget: &budget))
            }
        }
        let typeID = try table.scalar(2, default: UInt8(0))
        var type = try dataType(typeID, try table.table(3), children: children, field: here, budget: &budget)
        if let encoding = try table.table(4) {
            ids[path] = try encoding.scalar(0, default: Int64(0))
            var indexType = DataType.int32
            if let index = try encoding.table(1) {
                indexType = try integerType(index, field: here)
            }
            type = .dictionary(index: indexType, value: type, ordered: try encoding.bool(2))
        }
        return Field(name, type, nullable: nullable, metadata: try metadata(table, slot: 6, budget: &budget))
    }

    static func integerType(_ table: FlatTable, field: [String]) throws -> DataType {
        let width = try table.scalar(0, default: Int32(0))
        let signed = try table.bool(1)
        switch (width, signed) {
        case (8, true): return .int8
        case (16, true): return .int16
        case (32, true): return .int32
        case (64, true): return .int64
        case (8, false): return .uint8
        case (16, false): return .uint16
        case (32, false): return .uint32
        case (64, false): return .uint64
        default: throw IPCError("integer bit width \(width) is not 8, 16, 32 or 64", field: field)
        }
    }

    static func timeUnit(_ raw: Int16, field: [String]) throws -> TimeUnit {
        switch raw {
        case 0: return .second
        case 1: return .millisecond
        case 2: return .microsecond
        case 3: return .nanosecond
        default: throw IPCError("unknown time unit \(raw)", field: field)
        }
    }

    static func dataType(_ id: UInt8, _ table: FlatTable?, children: [Field], field: [String], budget: inout MetadataBudget) throws -> DataType {
        guard let kind = TypeID(rawValue: id), kind != .none else { throw IPCError("unknown type id \(id)", field: field) }
        func requireTable() throws -> FlatTable {
            guard let table else { throw IPCError("type \(kind) has no type table", field: field) }
            return table
        }
        func child(_ n: Int) throws -> [Field] {
            guard children.count == n else { throw IPCError("type \(kind) needs \(n) children, has \(children.count)", field: field) }
            return children
        }
        switch kind {
        case .none: throw IPCError("no type", field: field)
        case .null: return .null
        case .int: return try integerType(try requireTable(), field: field)
        case .floatingPoint:
            switch try requireTable().scalar(0, default: Int16(0)) {
            case 0: return .float16
            case 1: return .float32
            case 2: return .float64
            case let p: throw IPCError("unknown float precision \(p)", field: field)
            }
        case .binary: return .binary
        case .utf8: return .utf8
        case .largeBinary: return .largeBinary
        case .largeUtf8: return .largeUtf8
        case .binaryView: return .binaryView
        case .utf8View: return .utf8View
        case .bool: return .boolean
        case .decimal:
            let t = try requireTable()
            let precision = Int(try t.scalar(0, default: Int32(0)))
            let scale = Int(try t.scalar(1, default: Int32(0)))
            switch try t.scalar(2, default: Int32(128)) {
            case 32: return .decimal32(precision: precision, scale: scale)
            case 64: return .decimal64(precision: precision, scale: scale)
            case 128: return .decimal128(precision: precision, scale: scale)
            case 256: return .decimal256(precision: precision, scale: scale)
            case let w: throw IPCError("decimal bit width \(w) is not 32, 64, 128 or 256", field: field)
            }
        case .date:
            return try requireTable().scalar(0, default: Int16(1)) == 0 ? .date32 : .date64
        case .time:
            let t = try requireTable()
            let unit = try timeUnit(try t.scalar(0, default: Int16(1)), field: field)
            switch try t.scalar(1, default: Int32(32)) {
            case 32: return .time32(unit)
            case 64: return .time64(unit)
            case let w: throw IPCError("time bit width \(w) is not 32 or 64", field: field)
            }
        case .timestamp:
            let t = try requireTable()
            return .timestamp(try timeUnit(try t.scalar(0, default: Int16(0)), field: field), timezone: try budget.string(t, 1))
        case .duration:
            return .duration(try timeUnit(try requireTable().scalar(0, default: Int16(1)), field: field))
        case .interval:
            switch try requireTable().scalar(0, default: Int16(0)) {
            case 0: return .interval(.yearMonth)
            case 1: return .interval(.dayTime)
            case 2: return .interval(.monthDayNano)
            case let u: throw IPCError("unknown interval unit \(u)", field: field)
            }
        case .fixedSizeBinary:
            return .fixedSizeBinary(byteWidth: Int(try requireTable().scalar(0, default: Int32(0))))
        case .list: return .list(try child(1)[0])
        case .largeList: return .largeList(try child(1)[0])
        case .listView: return .listView(try child(1)[0])
        case .largeListView: return .largeListView(try child(1)[0])
        case .fixedSizeList:
            return .fixedSizeList(try child(1)[0], listSize: Int(try requireTable().scalar(0, default: Int32(0))))
        case .struct_: return .struct(children)
        case .map: return .map(entries: try child(1)[0], keysSorted: try requireTable().bool(0))
        case .union:
            let t = try requireTable()
            let mode: UnionMode = try t.scalar(0, default: Int16(0)) == 0 ? .sparse : .dense
            var typeIDs: [Int8] = Array(0..<Int8(clamping: children.count))
            if let ids = try t.vector(1, elementSize: 4) {
                typeIDs = []
                for i in 0..<ids.count {
                    let id = try ids.scalar(at: i, as: Int32.self)
                    guard id >= 0 && id <= 127 else { throw IPCError("union type id \(id) out of range", field: field) }
                    typeIDs.append(Int8(id))
                }
            }
            guard typeIDs.count == children.count else { throw IPCError("union has \(children.count) children but \(typeIDs.count) type ids", field: field) }
            return .union(mode, children, typeIDs: typeIDs)
        case .runEndEncoded:
            let c = try child(2)
            return .runEndEncoded(runEnds: c[0], values: c[1])
        }
    }
}

// MARK: - Writing

enum SchemaEncoder {
    static func encode(_ ipcSchema: IPCSchema, into builder: inout FlatBufferBuilder) -> FlatOffset {
        let fields = ipcSchema.schema.fields.enumerated().map { i, f in field(f, path: [i], ids: ipcSchema.dictionaryIDs, into: &builder) }
        let fieldVector = builder.createVector(offsets: fields)
        let metadata = metadataVector(ipcSchema.schema.metadata, into: &builder)
        builder.startTable()
        builder.add(0, Int16(0), default: Int16(0))
        builder.add(1, fieldVector)
        builder.add(2, metadata)
        return builder.endTable()
    }

    static func metadataVector(_ metadata: [String: String], into builder: inout FlatBufferBuilder) -> FlatOffset? {
        guard !metadata.isEmpty else { return nil }
        let pairs = metadata.sorted { $0.key < $1.key }.map { key, value -> FlatOffset in
            let k = builder.createString(key)
            let v = builder.createString(value)
            builder.startTable()
            builder.add(0, k)
            builder.add(1, v)
            return builder.endTable()
        }
        return builder.createVector(offsets: pairs)
    }

    static func field(_ field: Field, path: [Int], ids: [[Int]: Int64], into builder: inout FlatBufferBuilder) -> FlatOffset {
        var dictionary: FlatOffset?
        var type = field.type
        if case let .dictionary(index, value, ordered) = field.type {
            let indexTable = integer(index, into: &builder)
            builder.startTable()
            builder.add(0, ids[path] ?? 0, default: Int64(0))
            builder.add(1, indexTable)
            builder.add(2, ordered)
            dictionary = builder.endTable()
            type = value
        }
        let children = type.children.enumerated().map { i, c in self.field(c, path: path + [i], ids: ids, into: &builder) }
        let childVector = builder.createVector(offsets: children)
        let name = builder.createString(field.name)
        let (typeID, typeTable) = typeTable(type, into: &builder)
        let metadata = metadataVector(field.metadata, into: &builder)
        builder.startTable()
        builder.add(0, name)
        builder.add(1, field.nullable)
        builder.add(2, typeID.rawValue, default: 0)
        builder.add(3, typeTable)
        builder.add(4, dictionary)
        builder.add(5, childVector)
        builder.add(6, metadata)
        return builder.endTable()
    }

    static func integer(_ type: DataType, into builder: inout FlatBufferBuilder) -> FlatOffset {
        let (width, signed): (Int32, Bool) = switch type {
        case .int8: (8, true)
        case .int16: (16, true)
        case .int32: (32, true)
        case .int64: (64, true)
        case .uint8: (8, false)
        case .uint16: (16, false)
        case .uint32: (32, false)
        default: (64, false)
        }
        builder.startTable()
        builder.add(0, width, default: 0)
        builder.add(1, signed)
        return builder.endTable()
    }

    static func unit(_ unit: TimeUnit) -> Int16 {
        switch unit {
        case .second: 0
        case .millisecond: 1
        case .microsecond: 2
        case .nanosecond: 3
        }
    }

    static func emptyTable(into builder: inout FlatBufferBuilder) -> FlatOffset {
        builder.startTable()
        return builder.endTable()
    }

    static func typeTable(_ type: DataType, into builder: inout FlatBufferBuilder) -> (TypeID, FlatOffset) {
        func table(_ id: TypeID, _ body: (inout FlatBufferBuilder) -> Void = { _ in }) -> (TypeID, FlatOffset) {
            builder.startTable()
            body(&builder)
            return (id, builder.endTable())
        }
        switch type {
        case .null: return table(.null)
        case .boolean: return table(.bool)
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: return (.int, integer(type, into: &builder))
        case .float16: return table(.floatingPoint) { $0.add(0, Int16(0), default: -1) }
        case .float32: return table(.floatingPoint) { $0.add(0, Int16(1), default: -1) }
        case .float64: return table(.floatingPoint) { $0.add(0, Int16(2), default: -1) }
        case let .decimal32(p, s), let .decimal64(p, s), let .decimal128(p, s), let .decimal256(p, s):
            let width: Int32 = switch type {
            case .decimal32: 32
            case .decimal64: 64
            case .decimal128: 128
            default: 256
            }
            return table(.decimal) { $0.add(0, Int32(p), default: 0); $0.add(1, Int32(s), default: 0); $0.add(2, width, default: 0) }
        case .date32: return table(.date) { $0.add(0, Int16(0), default: -1) }
        case .date64: return table(.date) { $0.add(0, Int16(1), default: -1) }
        case let .time32(u): return table(.time) { $0.add(0, unit(u), default: -1); $0.add(1, Int32(32), default: 0) }
        case let .time64(u): return table(.time) { $0.add(0, unit(u), default: -1); $0.add(1, Int32(64), default: 0) }
        case let .timestamp(u, tz):
            let zone = tz.map { builder.createString($0) }
            return table(.timestamp) { $0.add(0, unit(u), default: -1); $0.add(1, zone) }
        case let .duration(u): return table(.duration) { $0.add(0, unit(u), default: -1) }
        case let .interval(u):
            let raw: Int16 = switch u {
            case .yearMonth: 0
            case .dayTime: 1
            case .monthDayNano: 2
            }
            return table(.interval) { $0.add(0, raw, default: -1) }
        case .binary: return table(.binary)
        case .largeBinary: return table(.largeBinary)
        case .utf8: return table(.utf8)
        case .largeUtf8: return table(.largeUtf8)
        case .binaryView: return table(.binaryView)
        case .utf8View: return table(.utf8View)
        case let .fixedSizeBinary(w): return table(.fixedSizeBinary) { $0.add(0, Int32(w), default: -1) }
        case .list: return table(.list)
        case .largeList: return table(.largeList)
        case .listView: return table(.listView)
        case .largeListView: return table(.largeListView)
        case let .fixedSizeList(_, n): return table(.fixedSizeList) { $0.add(0, Int32(n), default: -1) }
        case .struct: return table(.struct_)
        case let .map(_, sorted): return table(.map) { $0.add(0, sorted) }
        case let .union(mode, _, ids):
            let idVector = builder.createVector(ids.map(Int32.init))
            return table(.union) { $0.add(0, Int16(mode == .sparse ? 0 : 1), default: -1); $0.add(1, idVector) }
        case .runEndEncoded: return table(.runEndEncoded)
        case let .dictionary(_, value, _): return typeTable(value, into: &builder)
        }
    }
}
