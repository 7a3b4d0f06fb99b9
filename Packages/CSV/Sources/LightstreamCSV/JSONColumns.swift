import LightstreamArrow
import Vec64

/// The values of one block of JSON lines, read column by column: type inference (pyarrow.json's
/// rules) and conversion into Arrow arrays, straight from the block's bytes and its tape.
///
/// Every function works on a list of node indices, one per row of the array being built, with
/// `-1` for a missing member; a struct's members and a list's elements become such lists for the
/// children, so nesting needs no other machinery.
struct JSONColumns {
    let block: UnsafeRawBufferPointer
    let tape: JSONTape
    /// The block's offset in the input, for errors.
    let streamOffset: Int
    let unexpected: JSONLinesReadOptions.UnexpectedFields
    /// Whether members not in the schema are added as fields (the first block, when inferring).
    let addFields: Bool
    /// Dictionaries of `dictionary` columns, by field path, growing over the batches.
    var dictionaries: [String: ByteStringInterner<Int32>]
    private var scratch: [UInt8] = []

    init(block: UnsafeRawBufferPointer, tape: JSONTape, streamOffset: Int, unexpected: JSONLinesReadOptions.UnexpectedFields,
         addFields: Bool, dictionaries: [String: ByteStringInterner<Int32>]) {
        self.block = block
        self.tape = tape
        self.streamOffset = streamOffset
        self.unexpected = unexpected
        self.addFields = addFields
        self.dictionaries = dictionaries
    }

    // MARK: Errors

    /// An error at a node (a string's opening quote).
    func error(_ kind: CSVError.Kind, node: Int, path: String) -> CSVError {
        let start = tape.nodes[node].start - (tape.nodes[node].kind == .string ? 1 : 0)
        let row = tape.row(containing: start)
        return CSVError(kind, row: tape.lineNumbers[row], column: path.isEmpty ? nil : path, byteOffset: streamOffset + start)
    }

    func invalid(_ node: Int, _ type: DataType, path: String) -> CSVError {
        let n = tape.nodes[node]
        let start = n.kind == .string ? n.start - 1 : n.start, end = n.kind == .string ? n.end + 1 : n.end
        return error(.invalidValue(type: "\(type)", text: CSVError.excerpt(UnsafeRawBufferPointer(rebasing: block[start..<end]))), node: node, path: path)
    }

    static func child(_ path: String, _ name: String) -> String { path.isEmpty ? name : path + "." + name }

    // MARK: Support

    /// Why values of `type` cannot be read from JSON, or `nil` when they can.
    static func unsupportedReason(_ type: DataType) -> String? {
        switch type {
        case .null, .boolean, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64,
             .float16, .float32, .float64, .decimal32, .decimal64, .decimal128, .decimal256,
             .date32, .date64, .time32, .time64, .timestamp, .duration,
             .utf8, .largeUtf8, .binary, .largeBinary, .fixedSizeBinary:
            return nil
        case let .list(item), let .largeList(item), let .fixedSizeList(item, _):
            return unsupportedReason(item.type)
        case let .struct(fields):
            return fields.lazy.compactMap { unsupportedReason($0.type) }.first
        case let .map(entries, _):
            guard case let .struct(kv) = entries.type, kv.count == 2 else { return "a map's entries must be a struct of key and value" }
            return unsupportedReason(kv[0].type) ?? unsupportedReason(kv[1].type)
        case let .dictionary(index, value, _):
            return index == .int32 && (value == .utf8 || value == .binary) ? nil : "JSON Lines reads dictionaries only as dictionary<int32, utf8 or binary>"
        default:
            return "JSON Lines cannot read \(type) values (views, unions, intervals, run-end encoded)"
        }
    }

    // MARK: Members

    /// The members of object nodes `objects` (-1: missing or null) split into one node list per
    /// field: the fields `names` first, then (when `add`) members not among them in order of first
    /// appearance; other members are skipped (``JSONLinesReadOptions/UnexpectedFields/ignore``)
    /// or an error. A non-object value is an error; a key twice in one object is an error.
    mutating func members(_ objects: [Int], names given: [String], add: Bool, path: String) throws(CSVError) -> (names: [String], columns: [[Int]]) {
        var names = given
        var keys = given.map { Array($0.utf8) }
        var lookup: [[UInt8]: Int] = [:]
        for (k, key) in keys.enumerated() { lookup[key] = k }
        var columns = Array(repeating: Array(repeating: -1, count: objects.count), count: names.count)
        let nodes = tape.nodes
        for (row, object) in objects.enumerated() where object >= 0 {
            let node = nodes[object]
            guard node.kind == .object else {
                if node.kind == .null { continue }
                throw invalid(object, .struct([]), path: path)
            }
            var position = 0
            var key = object + 1
            for _ in 0..<node.count {
                let value = key + 1
                let k = nodes[key]
                let raw = UnsafeRawBufferPointer(rebasing: block[k.start..<k.end])
                // The field at the member's position (members usually come in schema order),
                // else a lookup.
                var field = -1
                if !k.flag, position < keys.count, keys[position].withUnsafeBytes({ $0.elementsEqual(raw) }) {
                    field = position
                } else {
                    let bytes: [UInt8]
                    if k.flag {
                        scratch.removeAll(keepingCapacity: true)
                        JSONTape.unescape(raw, into: &scratch)
                        bytes = scratch
                    } else {
                        bytes = Array(raw)
                    }
                    if let found = lookup[bytes] {
                        field = found
                    } else if add {
                        field = keys.count
                        keys.append(bytes)
                        lookup[bytes] = field
                        names.append(String(decoding: bytes, as: UTF8.self))
                        columns.append(Array(repeating: -1, count: objects.count))
                    } else if unexpected == .ignore {
                        key = nodes[value].next
                        position += 1
                        continue
                    } else {
                        let name = String(decoding: bytes, as: UTF8.self)
                        throw error(.schemaMismatch(unexpected == .error
                            ? "unexpected field '\(name)' (JSONLinesReadOptions.unexpectedFields is .error)"
                            : "field '\(name)' is not in the schema the first block fixed"), node: key, path: Self.child(path, name))
                    }
                }
                guard columns[field][row] < 0 else {
                    throw error(.invalidJSON("the key '\(names[field])' appears twice in one object"), node: key, path: Self.child(path, names[field]))
                }
                columns[field][row] = value
                key = nodes[value].next
                position += 1
            }
        }
        return (names, columns)
    }

    // MARK: Inference

    /// The type of the values `nodes`: the given type (with struct fields added when inferring),
    /// or pyarrow.json's inference: null; boolean; int64, or double when any number has a
    /// fraction or exponent or does not fit; timestamp[s] when every string is an ISO 8601
    /// timestamp without fraction (zones converted to UTC), else utf8; list of the elements'
    /// type; struct of the members in order of first appearance. Values of different JSON kinds
    /// are an error naming the row and field.
    mutating func resolve(_ nodes: [Int], given: DataType?, path: String) throws(CSVError) -> DataType {
        if let given {
            guard addFields else { return given }
            switch given {
            case let .struct(fields):
                return .struct(try resolveFields(nodes, given: fields, path: path))
            case let .list(item):
                return .list(Field(item.name, try resolve(elements(nodes, path: path, type: given), given: item.type, path: Self.child(path, item.name)), nullable: item.nullable, metadata: item.metadata))
            case let .largeList(item):
                return .largeList(Field(item.name, try resolve(elements(nodes, path: path, type: given), given: item.type, path: Self.child(path, item.name)), nullable: item.nullable, metadata: item.metadata))
            default:
                return given
            }
        }
        var first = -1
        for node in nodes where node >= 0 && tape.nodes[node].kind != .null {
            if first < 0 { first = node; continue }
            if tape.nodes[node].kind != tape.nodes[first].kind {
                throw error(.invalidValue(type: "\(Self.kindName(tape.nodes[first].kind)) (the field's first value is one)", text: excerpt(node)),
                            node: node, path: path)
            }
        }
        guard first >= 0 else { return .null }
        switch tape.nodes[first].kind {
        case .null: return .null
        case .bool: return .boolean
        case .number:
            for node in nodes where node >= 0 && tape.nodes[node].kind == .number {
                let n = tape.nodes[node]
                if !n.flag || TextParsing.int64(UnsafeRawBufferPointer(rebasing: block[n.start..<n.end])) == nil { return .float64 }
            }
            return .int64
        case .string:
            for node in nodes where node >= 0 && tape.nodes[node].kind == .string {
                let isTimestamp = try JSONTape.withString(tape.nodes[node], in: block, scratch: &scratch) { (text: UnsafeRawBufferPointer) throws(CSVError) in
                    TextParsing.timestamp(text, unit: .second) != nil
                }
                if !isTimestamp { return .utf8 }
            }
            return .timestamp(.second, timezone: nil)
        case .array:
            return .list(of: try resolve(elements(nodes, path: path, type: .list(of: .null)), given: nil, path: Self.child(path, "item")))
        case .object:
            return .struct(try resolveFields(nodes, given: [], path: path))
        }
    }

    mutating func resolveFields(_ nodes: [Int], given: [Field], path: String) throws(CSVError) -> [Field] {
        let (names, columns) = try members(nodes, names: given.map(\.name), add: true, path: path)
        var fields: [Field] = []
        for (k, name) in names.enumerated() {
            let field = k < given.count ? given[k] : nil
            let type = try resolve(columns[k], given: field?.type, path: Self.child(path, name))
            fields.append(Field(name, type, nullable: field?.nullable ?? true, metadata: field?.metadata ?? [:]))
        }
        return fields
    }

    /// The elements of array nodes, in order.
    func elements(_ nodes: [Int], path: String, type: DataType) throws(CSVError) -> [Int] {
        var out: [Int] = []
        for node in nodes where node >= 0 {
            let n = tape.nodes[node]
            if n.kind == .null { continue }
            guard n.kind == .array else { throw invalid(node, type, path: path) }
            try tape.forEachElement(node) { out.append($0) }
        }
        return out
    }

    static func kindName(_ kind: JSONNode.Kind) -> String {
        switch kind {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    func excerpt(_ node: Int) -> String {
        let n = tape.nodes[node]
        let start = n.kind == .string ? n.start - 1 : n.start, end = n.kind == .string ? n.end + 1 : n.end
        return CSVError.excerpt(UnsafeRawBufferPointer(rebasing: block[start..<end]))
    }

    // MARK: Conversion

    @inline(__always)
    private func isNull(_ node: Int) -> Bool { node < 0 || tape.nodes[node].kind == .null }

    @inline(__always)
    private func numberText(_ node: Int) -> UnsafeRawBufferPointer? {
        let n = tape.nodes[node]
        guard n.kind == .number else { return nil }
        return UnsafeRawBufferPointer(rebasing: block[n.start..<n.end])
    }

    /// The nodes `nodes` as an array of `type`; a value that does not fit is
    /// ``CSVError/Kind/invalidValue(type:text:)`` naming its row and field path.
    mutating func convert(_ nodes: [Int], to type: DataType, path: String) throws(CSVError) -> ArrayData {
        let n = nodes.count
        var validity = ValidityBuilder(count: n)
        func fixed<T: BitwiseCopyable>(_: T.Type, _ parse: (inout JSONColumns, Int) throws(CSVError) -> T?) throws(CSVError) -> ArrayData {
            var values = Vec64<T>(minimumCapacity: n)
            var this = self
            defer { self = this }
            try values.appendUninitialized(count: n) { (out: UnsafeMutableBufferPointer<T>) throws(CSVError) in
                let base = UnsafeMutableRawPointer(out.baseAddress!)
                for (row, node) in nodes.enumerated() {
                    if this.isNull(node) {
                        validity.setNull(row)
                        (base + row * MemoryLayout<T>.stride).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<T>.stride)
                        continue
                    }
                    guard let parsed = try parse(&this, node) else {
                        // Leave the slots after this one initialized before throwing.
                        (base + row * MemoryLayout<T>.stride).initializeMemory(as: UInt8.self, repeating: 0, count: (n - row) * MemoryLayout<T>.stride)
                        throw this.invalid(node, type, path: path)
                    }
                    out[row] = parsed
                }
            }
            return ArrayData(type: type, length: n, validity: validity.finish(), buffers: [values.freeze()], nullCount: validity.nullCount)
        }
        func integer<T: FixedWidthInteger & BitwiseCopyable>(_: T.Type) throws(CSVError) -> ArrayData {
            try fixed(T.self) { (c: inout JSONColumns, node) in
                guard let text = c.numberText(node), c.tape.nodes[node].flag else { return nil }
                return T.bitWidth == 64 && T.isSigned ? TextParsing.int64(text).map { T(truncatingIfNeeded: $0) } : TextParsing.fixedWidth(text, as: T.self)
            }
        }
        func real(_ node: Int) -> Double? {
            guard let text = numberText(node), let value = TextParsing.double(text), value.isFinite else { return nil }
            return value
        }
        /// A `Float` correctly rounded from the text (not through a `Double`).
        func single(_ node: Int) -> Float? {
            guard let text = numberText(node), let value = TextParsing.float(text), value.isFinite else { return nil }
            return value
        }
        func string<T>(_ c: inout JSONColumns, _ node: Int, _ parse: (UnsafeRawBufferPointer) -> T?) throws(CSVError) -> T? {
            let n = c.tape.nodes[node]
            guard n.kind == .string else { return nil }
            return try JSONTape.withString(n, in: c.block, scratch: &c.scratch) { (text: UnsafeRawBufferPointer) throws(CSVError) in parse(text) }
        }
        switch type {
        case .null:
            for node in nodes where !isNull(node) { throw invalid(node, type, path: path) }
            return ArrayData(type: .null, length: n)
        case .boolean:
            var bits = Vec64<UInt8>(zeroedCount: (n + 7) / 8)
            try bits.withUnsafeMutableBufferPointer { (out: UnsafeMutableBufferPointer<UInt8>) throws(CSVError) in
                for (row, node) in nodes.enumerated() {
                    if isNull(node) { validity.setNull(row); continue }
                    let value = tape.nodes[node]
                    guard value.kind == .bool else { throw invalid(node, type, path: path) }
                    if value.flag { out[row >> 3] |= 1 << UInt8(row & 7) }
                }
            }
            return ArrayData(type: .boolean, length: n, validity: validity.finish(), buffers: [bits.freeze()], nullCount: validity.nullCount)
        case .int8: return try integer(Int8.self)
        case .int16: return try integer(Int16.self)
        case .int32: return try integer(Int32.self)
        case .int64, .duration: return try integer(Int64.self)
        case .uint8: return try integer(UInt8.self)
        case .uint16: return try integer(UInt16.self)
        case .uint32: return try integer(UInt32.self)
        case .uint64: return try integer(UInt64.self)
        case .float16: return try fixed(Float16.self) { c, node in single(node).map { Float16($0) } }
        case .float32: return try fixed(Float.self) { c, node in single(node) }
        case .float64: return try fixed(Double.self) { c, node in real(node) }
        case .date32: return try fixed(Int32.self) { c, node throws(CSVError) in try string(&c, node) { TextParsing.date($0).flatMap { Int32(exactly: $0) } } }
        case .date64: return try fixed(Int64.self) { c, node throws(CSVError) in try string(&c, node) { TextParsing.date($0).map { Int64($0) * 86_400_000 } } }
        case let .time32(unit): return try fixed(Int32.self) { c, node throws(CSVError) in try string(&c, node) { TextParsing.time($0, unit: unit).flatMap { Int32(exactly: $0) } } }
        case let .time64(unit): return try fixed(Int64.self) { c, node throws(CSVError) in try string(&c, node) { TextParsing.time($0, unit: unit) } }
        case let .timestamp(unit, _):
            return try fixed(Int64.self) { c, node throws(CSVError) in try string(&c, node) { TextParsing.timestamp($0, unit: unit)?.value } }
        case let .decimal32(precision, scale):
            return try fixed(Int32.self) { c, node throws(CSVError) in try c.decimal(node, precision, scale).map { Int32(truncatingIfNeeded: $0.0) } }
        case let .decimal64(precision, scale):
            return try fixed(UInt64.self) { c, node throws(CSVError) in try c.decimal(node, precision, scale).map { $0.0 } }
        case let .decimal128(precision, scale):
            return try fixed(DecimalWords2.self) { c, node throws(CSVError) in try c.decimal(node, precision, scale).map { DecimalWords2(low: $0.0, high: $0.1) } }
        case let .decimal256(precision, scale):
            return try fixed(DecimalWords4.self) { c, node throws(CSVError) in
                try c.decimal(node, precision, scale).map { DecimalWords4(w0: $0.0, w1: $0.1, w2: $0.2, w3: $0.3) }
            }
        case .utf8, .binary:
            return try variableBinary(nodes, type: type, offset: Int32.self, path: path)
        case .largeUtf8, .largeBinary:
            return try variableBinary(nodes, type: type, offset: Int64.self, path: path)
        case let .fixedSizeBinary(width):
            var data = Vec64<UInt8>(zeroedCount: n * width)
            var decoded: [UInt8] = []
            for (row, node) in nodes.enumerated() {
                if isNull(node) { validity.setNull(row); continue }
                guard try base64(node, into: &decoded), decoded.count == width else { throw invalid(node, type, path: path) }
                data.withUnsafeMutableBufferPointer { out in for k in 0..<width { out[row * width + k] = decoded[k] } }
            }
            return ArrayData(type: type, length: n, validity: validity.finish(), buffers: [data.freeze()], nullCount: validity.nullCount)
        case let .dictionary(_, valueType, _):
            var dictionary = dictionaries[path] ?? ByteStringInterner<Int32>()
            var indices = Vec64<Int32>(minimumCapacity: n)
            var decoded: [UInt8] = []
            for (row, node) in nodes.enumerated() {
                if isNull(node) { validity.setNull(row); indices.append(0); continue }
                let index: Int32?
                if valueType == .utf8 {
                    guard tape.nodes[node].kind == .string else { throw invalid(node, type, path: path) }
                    index = try JSONTape.withString(tape.nodes[node], in: block, scratch: &scratch) { (text: UnsafeRawBufferPointer) throws(CSVError) in dictionary.intern(text) }
                } else {
                    guard try base64(node, into: &decoded) else { throw invalid(node, type, path: path) }
                    index = decoded.withUnsafeBytes { dictionary.intern($0) }
                }
                guard let index else { throw error(.unsupportedType("the dictionary outgrew 32-bit offsets"), node: node, path: path) }
                indices.append(index)
            }
            dictionaries[path] = dictionary
            return ArrayData(type: type, length: n, validity: validity.finish(), buffers: [indices.freeze()],
                             dictionary: dictionary.values(as: valueType), nullCount: validity.nullCount)
        case let .list(item):
            return try list(nodes, type: type, item: item, offset: Int32.self, path: path)
        case let .largeList(item):
            return try list(nodes, type: type, item: item, offset: Int64.self, path: path)
        case let .fixedSizeList(item, size):
            var children: [Int] = []
            children.reserveCapacity(n * size)
            for (row, node) in nodes.enumerated() {
                if isNull(node) { validity.setNull(row); children.append(contentsOf: repeatElement(-1, count: size)); continue }
                guard tape.nodes[node].kind == .array, tape.nodes[node].count == size else { throw invalid(node, type, path: path) }
                try tape.forEachElement(node) { children.append($0) }
            }
            let child = try convert(children, to: item.type, path: Self.child(path, item.name))
            return ArrayData(type: type, length: n, validity: validity.finish(), children: [child], nullCount: validity.nullCount)
        case let .struct(fields):
            let (_, columns) = try members(nodes, names: fields.map(\.name), add: false, path: path)
            for (row, node) in nodes.enumerated() where isNull(node) { validity.setNull(row) }
            var children: [ArrayData] = []
            for (field, column) in zip(fields, columns) {
                children.append(try convert(column, to: field.type, path: Self.child(path, field.name)))
            }
            return ArrayData(type: type, length: n, validity: validity.finish(), children: children, nullCount: validity.nullCount)
        case let .map(entries, _):
            guard case let .struct(kv) = entries.type, kv.count == 2 else { throw CSVError(.unsupportedType("\(type)"), column: path) }
            var offsets = Vec64<Int32>(minimumCapacity: n + 1)
            offsets.append(0)
            var keys: [Int] = [], items: [Int] = []
            for (row, node) in nodes.enumerated() {
                if isNull(node) {
                    validity.setNull(row)
                } else if tape.nodes[node].kind == .object {
                    try tape.forEachMember(node) { key, value in keys.append(key); items.append(value) }
                } else if tape.nodes[node].kind == .array {
                    // [[key, value], ...], as maps with non-string keys are written.
                    try tape.forEachElement(node) { (pair: Int) throws(CSVError) in
                        guard tape.nodes[pair].kind == .array, tape.nodes[pair].count == 2 else { throw invalid(node, type, path: path) }
                        keys.append(pair + 1)
                        items.append(tape.nodes[pair + 1].next)
                    }
                } else {
                    throw invalid(node, type, path: path)
                }
                guard keys.count <= Int(Int32.max) else { throw error(.unsupportedType("a batch's map holds more than 2^31 entries"), node: node, path: path) }
                offsets.append(Int32(keys.count))
            }
            if let missing = keys.first(where: { isNull($0) }) { throw invalid(missing, kv[0].type, path: Self.child(path, kv[0].name)) }
            let keyArray = try convert(keys, to: kv[0].type, path: Self.child(path, kv[0].name))
            let itemArray = try convert(items, to: kv[1].type, path: Self.child(path, kv[1].name))
            let entryArray = ArrayData(type: entries.type, length: keys.count, children: [keyArray, itemArray], nullCount: 0)
            return ArrayData(type: type, length: n, validity: validity.finish(), buffers: [offsets.freeze()], children: [entryArray], nullCount: validity.nullCount)
        default:
            throw CSVError(.unsupportedType("JSON Lines cannot read \(type) values"), column: path)
        }
    }

    private mutating func decimal(_ node: Int, _ precision: Int, _ scale: Int) throws(CSVError) -> (UInt64, UInt64, UInt64, UInt64)? {
        let n = tape.nodes[node]
        guard n.kind == .number || n.kind == .string else { return nil }
        return try JSONTape.withString(n, in: block, scratch: &scratch) { (text: UnsafeRawBufferPointer) throws(CSVError) in
            TextParsing.decimal(text, precision: precision, scale: scale)
        }
    }

    /// The bytes of a base64 string node; `false` when the node is not one.
    private mutating func base64(_ node: Int, into out: inout [UInt8]) throws(CSVError) -> Bool {
        out.removeAll(keepingCapacity: true)
        let n = tape.nodes[node]
        guard n.kind == .string else { return false }
        return try JSONTape.withString(n, in: block, scratch: &scratch) { (text: UnsafeRawBufferPointer) throws(CSVError) in
            BinaryText.decode(text, .base64) { out.append($0) }
        }
    }

    private mutating func list<O: FixedWidthInteger & BitwiseCopyable>(_ nodes: [Int], type: DataType, item: Field, offset: O.Type, path: String) throws(CSVError) -> ArrayData {
        let n = nodes.count
        var validity = ValidityBuilder(count: n)
        var offsets = Vec64<O>(minimumCapacity: n + 1)
        offsets.append(0)
        var children: [Int] = []
        for (row, node) in nodes.enumerated() {
            if isNull(node) {
                validity.setNull(row)
            } else {
                guard tape.nodes[node].kind == .array else { throw invalid(node, type, path: path) }
                try tape.forEachElement(node) { children.append($0) }
                guard O.bitWidth == 64 || children.count <= Int(Int32.max) else {
                    throw error(.unsupportedType("a batch's list holds more than 2^31 values; read it as large_list"), node: node, path: path)
                }
            }
            offsets.append(O(truncatingIfNeeded: children.count))
        }
        let child = try convert(children, to: item.type, path: Self.child(path, item.name))
        return ArrayData(type: type, length: n, validity: validity.finish(), buffers: [offsets.freeze()], children: [child], nullCount: validity.nullCount)
    }

    private mutating func variableBinary<O: FixedWidthInteger & BitwiseCopyable>(_ nodes: [Int], type: DataType, offset: O.Type, path: String) throws(CSVError) -> ArrayData {
        let n = nodes.count
        let text = type == .utf8 || type == .largeUtf8
        var validity = ValidityBuilder(count: n)
        var offsets = Vec64<O>(minimumCapacity: n + 1)
        var data = Vec64<UInt8>()
        offsets.append(0)
        for (row, node) in nodes.enumerated() {
            if isNull(node) {
                validity.setNull(row)
            } else {
                let value = tape.nodes[node]
                guard value.kind == .string else { throw invalid(node, type, path: path) }
                let raw = UnsafeRawBufferPointer(rebasing: block[value.start..<value.end])
                if text {
                    if value.flag {
                        scratch.removeAll(keepingCapacity: true)
                        JSONTape.unescape(raw, into: &scratch)
                        data.append(contentsOf: scratch)
                    } else if let base = raw.baseAddress {
                        data.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: raw.count))
                    }
                } else {
                    var decoded: [UInt8] = []
                    guard try base64(node, into: &decoded) else { throw invalid(node, type, path: path) }
                    data.append(contentsOf: decoded)
                }
            }
            guard O.bitWidth == 64 || data.count <= Int(Int32.max) else {
                throw error(.unsupportedType("a batch of '\(path)' holds more than 2 GiB; read it as large_utf8/large_binary"), node: node, path: path)
            }
            offsets.append(O(truncatingIfNeeded: data.count))
        }
        return ArrayData(type: type, length: n, validity: validity.finish(), buffers: [offsets.freeze(), data.freeze()], nullCount: validity.nullCount)
    }
}
