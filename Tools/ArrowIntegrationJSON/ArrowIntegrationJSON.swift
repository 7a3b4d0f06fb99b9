import Foundation
import LightstreamArrow
import Vec64

// A reader for the Apache Arrow integration JSON format (docs/source/format/Integration.rst in the
// Arrow repository): the "truth" documents of the cross-implementation gold files, turned into
// Lightstream schemas and record batches so IPC tests can compare what they read against them.
//
// The document is parsed by a small JSON parser of its own that keeps number literals as text, so
// 64-bit integers written as JSON numbers (month-day-nano nanoseconds, some offsets) stay exact.

/// The schema, batches and dictionary ids of one integration JSON document.
/// A gold file's content: the schema, the batches, and the dictionary id of each
/// dictionary-encoded field (by field-name path).
public struct ArrowIntegrationFile: Sendable {
    public var schema: Schema
    public var batches: [RecordBatch]
    /// The dictionary id of every dictionary-encoded field, keyed by its field path (names from the
    /// top-level field down; the children of a dictionary's value type continue the path).
    public var dictionaryIDs: [[String]: Int64] = [:]
}

/// Why an integration JSON document could not be read.
/// Why a gold file could not be read.
public enum ArrowIntegrationJSONError: Error, CustomStringConvertible {
    /// The file could not be read or decompressed.
    case io(String)
    /// The bytes are not well-formed JSON.
    case syntax(offset: Int, String)
    /// Well-formed JSON that is not a valid integration document (the path names the place).
    case invalid(path: String, String)
    /// A valid document using a type or feature this reader does not handle.
    case unsupported(path: String, String)

    public var description: String {
        switch self {
        case let .io(message): "integration JSON: \(message)"
        case let .syntax(offset, message): "integration JSON: malformed JSON at byte \(offset): \(message)"
        case let .invalid(path, message): "integration JSON: invalid at \(path): \(message)"
        case let .unsupported(path, message): "integration JSON: unsupported at \(path): \(message)"
        }
    }
}

/// Reads the Arrow integration JSON format (what Arrow's `archery` uses for gold files).
public enum ArrowIntegrationJSON {
    /// Reads a `.json` or `.json.gz` gold file (gzip files are decompressed by running `gzip -dc`).
    public static func read(path: String) throws -> ArrowIntegrationFile {
        let data: Data
        if path.hasSuffix(".gz") {
            data = try gunzip(path: path)
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw ArrowIntegrationJSONError.io("cannot read \(path): \(error)")
            }
        }
        return try decode(data)
    }

    /// Decodes an integration JSON document.
    public static func decode(_ data: Data) throws -> ArrowIntegrationFile {
        var parser = IntegrationJSONParser(bytes: [UInt8](data))
        let root = try parser.parseDocument()
        var decoder = try IntegrationDecoder(root: root)
        return try decoder.decodeFile()
    }

    /// Runs `gzip -dc path` and returns its output.
    public static func gunzip(path: String) throws -> Data {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ArrowIntegrationJSONError.io("no such file: \(path)")
        }
        let process = Process()
        if let gzip = ["/bin/gzip", "/usr/bin/gzip"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            process.executableURL = URL(fileURLWithPath: gzip)
            process.arguments = ["-dc", path]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["gzip", "-dc", path]
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ArrowIntegrationJSONError.io("cannot run gzip: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ArrowIntegrationJSONError.io("gzip -dc \(path) failed with status \(process.terminationStatus)")
        }
        return data
    }
}

// MARK: - JSON values

/// A parsed JSON value; numbers keep their literal text.
private indirect enum IntegrationJSONValue {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([IntegrationJSONValue])
    case object([String: IntegrationJSONValue])

    subscript(key: String) -> IntegrationJSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    var arrayValue: [IntegrationJSONValue]? {
        if case let .array(items) = self { return items }
        return nil
    }

    var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The text of a number or of a string (large integers are written as strings).
    var scalarText: String? {
        switch self {
        case let .number(s), let .string(s): s
        default: nil
        }
    }

    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A strict JSON (RFC 8259) parser over bytes.
private struct IntegrationJSONParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ message: String) -> ArrowIntegrationJSONError {
        .syntax(offset: index, message)
    }

    mutating func parseDocument() throws(ArrowIntegrationJSONError) -> IntegrationJSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected data after the document") }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(ArrowIntegrationJSONError) -> IntegrationJSONValue {
        guard depth < 1000 else { throw fail("nesting too deep") }
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [String: IntegrationJSONValue] = [:]
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let key = try parseString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                skipWhitespace()
                members[key] = try parseValue(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [IntegrationJSONValue] = []
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            return .number(try parseNumber())
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(ArrowIntegrationJSONError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of input") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw fail("invalid literal") }
        index += count
    }

    mutating func parseNumber() throws(ArrowIntegrationJSONError) -> String {
        let start = index
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
        let intStart = index
        while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        guard index > intStart else { throw fail("invalid value") }
        guard !(bytes[intStart] == 0x30 && index - intStart > 1) else { throw fail("leading zero in number") }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
            guard index > fractionStart else { throw fail("invalid number fraction") }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            let exponentStart = index
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
            guard index > exponentStart else { throw fail("invalid number exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func parseHex4() throws(ArrowIntegrationJSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexDigitValue(bytes[index]) else { throw fail("invalid \\u escape") }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    mutating func parseString() throws(ArrowIntegrationJSONError) -> String {
        index += 1 // opening quote
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            guard b >= 0x20 else { throw fail("control character in string") }
            index += 1
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            guard b >= 0x20 else { throw fail("control character in string") }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= bytes.count,
                   bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    let save = index
                    index += 2
                    let low = try parseHex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = save
                    }
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }
}

private func hexDigitValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: b - 0x30
    case 0x41...0x46: b - 0x41 + 10
    case 0x61...0x66: b - 0x61 + 10
    default: nil
    }
}

// MARK: - Decoding

/// A schema field with what the JSON says about its dictionary encoding.
private struct IntegrationFieldSpec {
    /// The field as it appears in the schema (dictionary-encoded fields have a dictionary type).
    var field: Field
    /// The value type: the field's type without dictionary encoding.
    var valueType: DataType
    var dictionary: (id: Int64, index: DataType, ordered: Bool)?
    var children: [IntegrationFieldSpec]
    var path: [String]
}

private struct IntegrationDecoder {
    let root: IntegrationJSONValue
    var dictionaryIDs: [[String]: Int64] = [:]
    /// The value field of each dictionary id (its first occurrence in the schema).
    var dictionarySpecs: [Int64: IntegrationFieldSpec] = [:]
    /// The JSON column of each dictionary id (the last definition wins).
    var dictionaryColumns: [Int64: (count: Int, column: IntegrationJSONValue)] = [:]
    var decodedDictionaries: [Int64: ArrayData] = [:]
    var dictionariesInProgress: Set<Int64> = []

    init(root: IntegrationJSONValue) throws(ArrowIntegrationJSONError) {
        guard case .object = root else { throw .invalid(path: "$", "the document is \(root.kindName), expected an object") }
        self.root = root
    }

    mutating func decodeFile() throws(ArrowIntegrationJSONError) -> ArrowIntegrationFile {
        guard let schemaJSON = root["schema"] else { throw .invalid(path: "$", "missing \"schema\"") }
        guard let fieldsJSON = schemaJSON["fields"]?.arrayValue else { throw .invalid(path: "schema", "missing \"fields\" array") }
        var specs: [IntegrationFieldSpec] = []
        for (i, fieldJSON) in fieldsJSON.enumerated() {
            specs.append(try parseField(fieldJSON, parentPath: [], position: "schema.fields[\(i)]"))
        }
        let schema = Schema(specs.map(\.field), metadata: try parseMetadata(schemaJSON["metadata"], path: "schema.metadata"))

        if let dictionariesJSON = root["dictionaries"] {
            guard let entries = dictionariesJSON.arrayValue else { throw .invalid(path: "dictionaries", "expected an array") }
            for (i, entry) in entries.enumerated() {
                let where_ = "dictionaries[\(i)]"
                guard let idText = entry["id"], let id = parseInteger(idText, Int64.self) else {
                    throw .invalid(path: where_, "missing or invalid \"id\"")
                }
                guard let data = entry["data"] else { throw .invalid(path: where_, "missing \"data\"") }
                guard let columns = data["columns"]?.arrayValue, columns.count == 1 else {
                    throw .invalid(path: where_, "\"data.columns\" must hold exactly one column")
                }
                let count = try requireCount(data, path: where_ + ".data")
                dictionaryColumns[id] = (count, columns[0])
            }
        }

        guard let batchesJSON = root["batches"]?.arrayValue else { throw .invalid(path: "$", "missing \"batches\" array") }
        var batches: [RecordBatch] = []
        for (b, batchJSON) in batchesJSON.enumerated() {
            let where_ = "batches[\(b)]"
            let count = try requireCount(batchJSON, path: where_)
            guard let columnsJSON = batchJSON["columns"]?.arrayValue else { throw .invalid(path: where_, "missing \"columns\" array") }
            guard columnsJSON.count == specs.count else {
                throw .invalid(path: where_, "\(columnsJSON.count) columns for \(specs.count) fields")
            }
            var columns: [ArrayData] = []
            for (spec, columnJSON) in zip(specs, columnsJSON) {
                let column = try decodeColumn(columnJSON, spec: spec, valuesOnly: false, where_: "\(where_).\(spec.field.name)")
                guard column.length == count else {
                    throw .invalid(path: "\(where_).\(spec.field.name)", "column count \(column.length) differs from the batch count \(count)")
                }
                columns.append(column)
            }
            do {
                batches.append(try RecordBatch(schema: schema, columns: columns))
            } catch {
                throw .invalid(path: where_, "\(error)")
            }
        }
        return ArrowIntegrationFile(schema: schema, batches: batches, dictionaryIDs: dictionaryIDs)
    }

    // MARK: Schema

    func parseMetadata(_ json: IntegrationJSONValue?, path: String) throws(ArrowIntegrationJSONError) -> [String: String] {
        guard let json else { return [:] }
        switch json {
        case .null:
            return [:]
        case let .array(entries):
            var metadata: [String: String] = [:]
            for entry in entries {
                guard let key = entry["key"]?.stringValue, let value = entry["value"]?.stringValue else {
                    throw .invalid(path: path, "metadata entries must be {\"key\", \"value\"} strings")
                }
                metadata[key] = value
            }
            return metadata
        case let .object(members):
            var metadata: [String: String] = [:]
            for (key, value) in members {
                guard let text = value.stringValue else { throw .invalid(path: path, "metadata value of \"\(key)\" is not a string") }
                metadata[key] = text
            }
            return metadata
        default:
            throw .invalid(path: path, "metadata is \(json.kindName)")
        }
    }

    mutating func parseField(_ json: IntegrationJSONValue, parentPath: [String], position: String) throws(ArrowIntegrationJSONError) -> IntegrationFieldSpec {
        guard let name = json["name"]?.stringValue else { throw .invalid(path: position, "field without a \"name\" string") }
        let path = parentPath + [name]
        let where_ = path.joined(separator: ".")
        let nullable: Bool
        switch json["nullable"] {
        case nil: nullable = true
        case let .bool(b)?: nullable = b
        default: throw .invalid(path: where_, "\"nullable\" is not a boolean")
        }
        var children: [IntegrationFieldSpec] = []
        if let childrenJSON = json["children"] {
            guard let items = childrenJSON.arrayValue else { throw .invalid(path: where_, "\"children\" is not an array") }
            for (i, child) in items.enumerated() {
                children.append(try parseField(child, parentPath: path, position: "\(where_).children[\(i)]"))
            }
        }
        guard let typeJSON = json["type"] else { throw .invalid(path: where_, "field without a \"type\"") }
        let valueType = try parseType(typeJSON, children: children.map(\.field), where_: where_)
        let metadata = try parseMetadata(json["metadata"], path: where_ + ".metadata")

        var dictionary: (id: Int64, index: DataType, ordered: Bool)?
        var fieldType = valueType
        if let dictJSON = json["dictionary"], case .object = dictJSON {
            guard let idJSON = dictJSON["id"], let id = parseInteger(idJSON, Int64.self) else {
                throw .invalid(path: where_, "dictionary without a valid \"id\"")
            }
            let indexType: DataType
            if let indexJSON = dictJSON["indexType"] {
                indexType = try parseType(indexJSON, children: [], where_: where_ + ".dictionary.indexType")
                guard indexType.isInteger else { throw .invalid(path: where_, "dictionary index type \(indexType) is not an integer") }
            } else {
                indexType = .int32
            }
            let ordered: Bool = if case let .bool(b)? = dictJSON["isOrdered"] { b } else { false }
            dictionary = (id, indexType, ordered)
            fieldType = .dictionary(index: indexType, value: valueType, ordered: ordered)
            dictionaryIDs[path] = id
        }
        let spec = IntegrationFieldSpec(
            field: Field(name, fieldType, nullable: nullable, metadata: metadata),
            valueType: valueType, dictionary: dictionary, children: children, path: path)
        if let dictionary, dictionarySpecs[dictionary.id] == nil {
            dictionarySpecs[dictionary.id] = spec
        }
        return spec
    }

    func parseTimeUnit(_ json: IntegrationJSONValue?, where_: String) throws(ArrowIntegrationJSONError) -> TimeUnit {
        switch json?.stringValue {
        case "SECOND": .second
        case "MILLISECOND": .millisecond
        case "MICROSECOND": .microsecond
        case "NANOSECOND": .nanosecond
        default: throw .invalid(path: where_, "invalid time unit \(json.map { "\($0)" } ?? "(missing)")")
        }
    }

    func intParameter(_ type: IntegrationJSONValue, _ key: String, default value: Int? = nil, where_: String) throws(ArrowIntegrationJSONError) -> Int {
        if let json = type[key] {
            guard let v = parseInteger(json, Int.self) else { throw .invalid(path: where_, "type parameter \"\(key)\" is not an integer") }
            return v
        }
        guard let value else { throw .invalid(path: where_, "type is missing \"\(key)\"") }
        return value
    }

    func parseType(_ json: IntegrationJSONValue, children: [Field], where_: String) throws(ArrowIntegrationJSONError) -> DataType {
        guard let name = json["name"]?.stringValue else { throw .invalid(path: where_, "type without a \"name\"") }
        func requireChildren(_ n: Int) throws(ArrowIntegrationJSONError) {
            guard children.count == n else { throw .invalid(path: where_, "type \(name) needs \(n) children, has \(children.count)") }
        }
        switch name {
        case "null": return .null
        case "bool": return .boolean
        case "int":
            let signed: Bool = if case let .bool(b)? = json["isSigned"] { b } else { true }
            switch (try intParameter(json, "bitWidth", where_: where_), signed) {
            case (8, true): return .int8
            case (16, true): return .int16
            case (32, true): return .int32
            case (64, true): return .int64
            case (8, false): return .uint8
            case (16, false): return .uint16
            case (32, false): return .uint32
            case (64, false): return .uint64
            case let (width, _): throw .invalid(path: where_, "int bit width \(width)")
            }
        case "floatingpoint":
            switch json["precision"]?.stringValue {
            case "HALF": return .float16
            case "SINGLE": return .float32
            case "DOUBLE": return .float64
            default: throw .invalid(path: where_, "invalid floating point precision")
            }
        case "decimal":
            let precision = try intParameter(json, "precision", where_: where_)
            let scale = try intParameter(json, "scale", default: 0, where_: where_)
            switch try intParameter(json, "bitWidth", default: 128, where_: where_) {
            case 32: return .decimal32(precision: precision, scale: scale)
            case 64: return .decimal64(precision: precision, scale: scale)
            case 128: return .decimal128(precision: precision, scale: scale)
            case 256: return .decimal256(precision: precision, scale: scale)
            case let width: throw .unsupported(path: where_, "decimal bit width \(width)")
            }
        case "date":
            switch json["unit"]?.stringValue {
            case "DAY": return .date32
            case "MILLISECOND": return .date64
            default: throw .invalid(path: where_, "invalid date unit")
            }
        case "time":
            let unit = try parseTimeUnit(json["unit"], where_: where_)
            let width = try intParameter(json, "bitWidth", default: unit == .second || unit == .millisecond ? 32 : 64, where_: where_)
            switch width {
            case 32: return .time32(unit)
            case 64: return .time64(unit)
            default: throw .invalid(path: where_, "time bit width \(width)")
            }
        case "timestamp":
            let unit = try parseTimeUnit(json["unit"], where_: where_)
            return .timestamp(unit, timezone: json["timezone"]?.stringValue)
        case "duration":
            return .duration(try parseTimeUnit(json["unit"], where_: where_))
        case "interval":
            switch json["unit"]?.stringValue {
            case "YEAR_MONTH": return .interval(.yearMonth)
            case "DAY_TIME": return .interval(.dayTime)
            case "MONTH_DAY_NANO": return .interval(.monthDayNano)
            default: throw .invalid(path: where_, "invalid interval unit")
            }
        case "binary": return .binary
        case "largebinary": return .largeBinary
        case "utf8": return .utf8
        case "largeutf8": return .largeUtf8
        case "binaryview": return .binaryView
        case "utf8view": return .utf8View
        case "fixedsizebinary":
            return .fixedSizeBinary(byteWidth: try intParameter(json, "byteWidth", where_: where_))
        case "list":
            try requireChildren(1)
            return .list(children[0])
        case "largelist":
            try requireChildren(1)
            return .largeList(children[0])
        case "listview":
            try requireChildren(1)
            return .listView(children[0])
        case "largelistview":
            try requireChildren(1)
            return .largeListView(children[0])
        case "fixedsizelist":
            try requireChildren(1)
            return .fixedSizeList(children[0], listSize: try intParameter(json, "listSize", where_: where_))
        case "struct":
            return .struct(children)
        case "map":
            try requireChildren(1)
            let sorted: Bool = if case let .bool(b)? = json["keysSorted"] { b } else { false }
            return .map(entries: children[0], keysSorted: sorted)
        case "union":
            let mode: UnionMode
            switch json["mode"]?.stringValue?.uppercased() {
            case "SPARSE": mode = .sparse
            case "DENSE": mode = .dense
            default: throw .invalid(path: where_, "invalid union mode")
            }
            var typeIDs: [Int8] = children.indices.map { Int8(truncatingIfNeeded: $0) }
            if let idsJSON = json["typeIds"], case let .array(items) = idsJSON {
                typeIDs = []
                for item in items {
                    guard let id = parseInteger(item, Int8.self) else { throw .invalid(path: where_, "invalid union type id") }
                    typeIDs.append(id)
                }
            }
            guard typeIDs.count == children.count else {
                throw .invalid(path: where_, "\(typeIDs.count) union type ids for \(children.count) children")
            }
            return .union(mode, children, typeIDs: typeIDs)
        case "runendencoded":
            try requireChildren(2)
            return .runEndEncoded(runEnds: children[0], values: children[1])
        default:
            throw .unsupported(path: where_, "type \"\(name)\"")
        }
    }

    // MARK: Columns

    func requireCount(_ json: IntegrationJSONValue, path: String) throws(ArrowIntegrationJSONError) -> Int {
        guard let countJSON = json["count"], let count = parseInteger(countJSON, Int.self), count >= 0 else {
            throw .invalid(path: path, "missing or invalid \"count\"")
        }
        return count
    }

    /// The first `count` items of array member `key` (at least `count` must be present).
    func items(_ json: IntegrationJSONValue, _ key: String, count: Int, where_: String) throws(ArrowIntegrationJSONError) -> ArraySlice<IntegrationJSONValue> {
        guard let member = json[key] else {
            if count == 0 { return [] }
            throw .invalid(path: where_, "missing \"\(key)\"")
        }
        guard let items = member.arrayValue else { throw .invalid(path: where_, "\"\(key)\" is not an array") }
        guard items.count >= count else { throw .invalid(path: where_, "\"\(key)\" has \(items.count) entries, needs \(count)") }
        return items[0..<count]
    }

    func integers<T: FixedWidthInteger>(_ json: IntegrationJSONValue, _ key: String, count: Int, as type: T.Type, where_: String) throws(ArrowIntegrationJSONError) -> [T] {
        var values: [T] = []
        values.reserveCapacity(count)
        for (i, item) in try items(json, key, count: count, where_: where_).enumerated() {
            if case .null = item { values.append(0); continue }
            guard let v = parseInteger(item, T.self) else {
                throw .invalid(path: where_, "\(key)[\(i)] = \(item.scalarText ?? item.kindName) is not a valid \(T.self)")
            }
            values.append(v)
        }
        return values
    }

    /// The offsets of a variable-size layout: `count + 1` entries (an empty array is allowed when `count` is 0).
    func offsets<T: FixedWidthInteger>(_ json: IntegrationJSONValue, count: Int, as type: T.Type, where_: String) throws(ArrowIntegrationJSONError) -> [T] {
        if count == 0, json["OFFSET"]?.arrayValue?.isEmpty ?? true { return [0] }
        return try integers(json, "OFFSET", count: count + 1, as: T.self, where_: where_)
    }

    func floats<T: BinaryFloatingPoint & LosslessStringConvertible & BitwiseCopyable>(_ json: IntegrationJSONValue, count: Int, as type: T.Type, where_: String) throws(ArrowIntegrationJSONError) -> [T] {
        var values: [T] = []
        values.reserveCapacity(count)
        for (i, item) in try items(json, "DATA", count: count, where_: where_).enumerated() {
            if case .null = item { values.append(0); continue }
            guard let text = item.scalarText, let v = parseFloat(text, T.self) else {
                throw .invalid(path: where_, "DATA[\(i)] is not a floating point number")
            }
            values.append(v)
        }
        return values
    }

    /// Validity bits and null count, or `nil` when every slot is valid.
    func validity(_ json: IntegrationJSONValue, count: Int, where_: String) throws(ArrowIntegrationJSONError) -> (Buffer, Int)? {
        guard json["VALIDITY"] != nil else { return nil }
        var bits: [Bool] = []
        bits.reserveCapacity(count)
        var nulls = 0
        for (i, item) in try items(json, "VALIDITY", count: count, where_: where_).enumerated() {
            let bit: Bool
            switch item {
            case let .bool(b): bit = b
            case let .number(text) where text == "0" || text == "1": bit = text == "1"
            default: throw .invalid(path: where_, "VALIDITY[\(i)] is not 0 or 1")
            }
            if !bit { nulls += 1 }
            bits.append(bit)
        }
        guard nulls > 0 else { return nil }
        return (Bitmap(bits).alignedBuffer(), nulls)
    }

    func childColumns(_ json: IntegrationJSONValue, count: Int, where_: String) throws(ArrowIntegrationJSONError) -> [IntegrationJSONValue] {
        guard let children = json["children"]?.arrayValue else { throw .invalid(path: where_, "missing \"children\"") }
        guard children.count == count else { throw .invalid(path: where_, "\(children.count) child columns, the type has \(count)") }
        return children
    }

    mutating func dictionaryValues(id: Int64, where_: String) throws(ArrowIntegrationJSONError) -> ArrayData {
        if let done = decodedDictionaries[id] { return done }
        guard let spec = dictionarySpecs[id] else { throw .invalid(path: where_, "no field declares dictionary id \(id)") }
        guard let (count, column) = dictionaryColumns[id] else { throw .invalid(path: where_, "dictionary id \(id) is not in \"dictionaries\"") }
        guard !dictionariesInProgress.contains(id) else { throw .invalid(path: where_, "dictionary id \(id) refers to itself") }
        dictionariesInProgress.insert(id)
        defer { dictionariesInProgress.remove(id) }
        let values = try decodeColumn(column, spec: spec, valuesOnly: true, where_: "dictionaries[id \(id)]")
        guard values.length == count else {
            throw .invalid(path: "dictionaries[id \(id)]", "column count \(values.length) differs from data count \(count)")
        }
        decodedDictionaries[id] = values
        return values
    }

    /// Decodes one column of `spec`'s field; with `valuesOnly` a dictionary-encoded field is read as its values.
    mutating func decodeColumn(_ json: IntegrationJSONValue, spec: IntegrationFieldSpec, valuesOnly: Bool, where_: String) throws(ArrowIntegrationJSONError) -> ArrayData {
        guard case .object = json else { throw .invalid(path: where_, "column is \(json.kindName), expected an object") }
        let count = try requireCount(json, path: where_)
        if !valuesOnly, let dictionary = spec.dictionary {
            let indices = try decodeFlat(json, type: dictionary.index, count: count, where_: where_)
            let values = try dictionaryValues(id: dictionary.id, where_: where_)
            return ArrayData(type: spec.field.type, length: count, validity: indices.validity, buffers: indices.buffers,
                             dictionary: values, nullCount: indices.knownNullCount)
        }
        let type = spec.valueType
        let valid = try type.layout.hasValidity ? validity(json, count: count, where_: where_) : nil
        let nullCount = valid?.1 ?? 0

        func children(_ n: Int) throws(ArrowIntegrationJSONError) -> [IntegrationJSONValue] {
            try childColumns(json, count: n, where_: where_)
        }
        func child(_ childJSON: IntegrationJSONValue, _ index: Int, _ decoder: inout IntegrationDecoder) throws(ArrowIntegrationJSONError) -> ArrayData {
            let childSpec = spec.children[index]
            return try decoder.decodeColumn(childJSON, spec: childSpec, valuesOnly: false, where_: where_ + "." + childSpec.field.name)
        }

        switch type {
        case .null:
            return ArrayData(type: .null, length: count, nullCount: count)
        case .list, .map:
            let offsets = try offsets(json, count: count, as: Int32.self, where_: where_)
            let item = try child(try children(1)[0], 0, &self)
            return ArrayData(type: type, length: count, validity: valid?.0, buffers: [Buffer(values: offsets)], children: [item], nullCount: nullCount)
        case .largeList:
            let offsets = try offsets(json, count: count, as: Int64.self, where_: where_)
            let item = try child(try children(1)[0], 0, &self)
            return ArrayData(type: type, length: count, validity: valid?.0, buffers: [Buffer(values: offsets)], children: [item], nullCount: nullCount)
        case .listView:
            let offsets = try integers(json, "OFFSET", count: count, as: Int32.self, where_: where_)
            let sizes = try integers(json, "SIZE", count: count, as: Int32.self, where_: where_)
            let item = try child(try children(1)[0], 0, &self)
            return ArrayData(type: type, length: count, validity: valid?.0, buffers: [Buffer(values: offsets), Buffer(values: sizes)],
                             children: [item], nullCount: nullCount)
        case .largeListView:
            let offsets = try integers(json, "OFFSET", count: count, as: Int64.self, where_: where_)
            let sizes = try integers(json, "SIZE", count: count, as: Int64.self, where_: where_)
            let item = try child(try children(1)[0], 0, &self)
            return ArrayData(type: type, length: count, validity: valid?.0, buffers: [Buffer(values: offsets), Buffer(values: sizes)],
                             children: [item], nullCount: nullCount)
        case .fixedSizeList:
            let item = try child(try children(1)[0], 0, &self)
            return ArrayData(type: type, length: count, validity: valid?.0, children: [item], nullCount: nullCount)
        case let .struct(fields):
            var columns: [ArrayData] = []
            for (i, childJSON) in try children(fields.count).enumerated() {
                columns.append(try child(childJSON, i, &self))
            }
            return ArrayData(type: type, length: count, validity: valid?.0, children: columns, nullCount: nullCount)
        case let .union(mode, fields, _):
            let typeIDs = try integers(json, "TYPE_ID", count: count, as: Int8.self, where_: where_)
            var buffers = [Buffer(values: typeIDs)]
            if mode == .dense {
                buffers.append(Buffer(values: try integers(json, "OFFSET", count: count, as: Int32.self, where_: where_)))
            }
            var columns: [ArrayData] = []
            for (i, childJSON) in try children(fields.count).enumerated() {
                columns.append(try child(childJSON, i, &self))
            }
            return ArrayData(type: type, length: count, buffers: buffers, children: columns, nullCount: 0)
        case .runEndEncoded:
            let parts = try children(2)
            let runEnds = try child(parts[0], 0, &self)
            let values = try child(parts[1], 1, &self)
            return ArrayData(type: type, length: count, children: [runEnds, values], nullCount: 0)
        default:
            return try decodeFlat(json, type: type, count: count, where_: where_)
        }
    }

    /// Decodes a column of a type without children.
    func decodeFlat(_ json: IntegrationJSONValue, type: DataType, count: Int, where_: String) throws(ArrowIntegrationJSONError) -> ArrayData {
        let valid = try validity(json, count: count, where_: where_)
        func make(_ buffers: [Buffer]) -> ArrayData {
            ArrayData(type: type, length: count, validity: valid?.0, buffers: buffers, nullCount: valid?.1 ?? 0)
        }
        func ints<T: FixedWidthInteger & BitwiseCopyable>(_ t: T.Type) throws(ArrowIntegrationJSONError) -> ArrayData {
            make([Buffer(values: try integers(json, "DATA", count: count, as: T.self, where_: where_))])
        }
        switch type {
        case .boolean:
            var bits: [Bool] = []
            bits.reserveCapacity(count)
            for (i, item) in try items(json, "DATA", count: count, where_: where_).enumerated() {
                switch item {
                case let .bool(b): bits.append(b)
                case let .number(text) where text == "0" || text == "1": bits.append(text == "1")
                case .null: bits.append(false)
                default: throw .invalid(path: where_, "DATA[\(i)] is not a boolean")
                }
            }
            return make([Bitmap(bits).alignedBuffer()])
        case .int8: return try ints(Int8.self)
        case .int16: return try ints(Int16.self)
        case .int32, .date32, .time32, .interval(.yearMonth), .decimal32: return try ints(Int32.self)
        case .int64, .date64, .time64, .timestamp, .duration, .decimal64: return try ints(Int64.self)
        case .uint8: return try ints(UInt8.self)
        case .uint16: return try ints(UInt16.self)
        case .uint32: return try ints(UInt32.self)
        case .uint64: return try ints(UInt64.self)
        case .float16: return make([Buffer(values: try floats(json, count: count, as: Float16.self, where_: where_))])
        case .float32: return make([Buffer(values: try floats(json, count: count, as: Float.self, where_: where_))])
        case .float64: return make([Buffer(values: try floats(json, count: count, as: Double.self, where_: where_))])
        case .decimal128, .decimal256:
            let width = type.byteWidth ?? 16
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count * width)
            for (i, item) in try items(json, "DATA", count: count, where_: where_).enumerated() {
                if case .null = item { bytes.append(contentsOf: repeatElement(0, count: width)); continue }
                guard let text = item.scalarText, let value = twosComplementBytes(decimal: text, width: width) else {
                    throw .invalid(path: where_, "DATA[\(i)] is not a \(width * 8)-bit decimal integer")
                }
                bytes.append(contentsOf: value)
            }
            return make([Buffer(copying: bytes)])
        case .interval(.dayTime):
            var values: [DayTimeInterval] = []
            values.reserveCapacity(count)
            for (i, item) in try items(json, "DATA", count: count, where_: where_).enumerated() {
                if case .null = item { values.append(DayTimeInterval(days: 0, milliseconds: 0)); continue }
                guard let days = item["days"].flatMap({ parseInteger($0, Int32.self) }),
                      let ms = item["milliseconds"].flatMap({ parseInteger($0, Int32.self) }) else {
                    throw .invalid(path: where_, "DATA[\(i)] is not a {days, milliseconds} object")
                }
                values.append(DayTimeInterval(days: days, milliseconds: ms))
            }
            return make([Buffer(values: values)])
        case .interval(.monthDayNano):
            var values: [MonthDayNanoInterval] = []
            values.reserveCapacity(count)
            for (i, item) in try items(json, "DATA", count: count, where_: where_).enumerated() {
                if case .null = item { values.append(MonthDayNanoInterval(months: 0, days: 0, nanoseconds: 0)); continue }
                guard let months = item["months"].flatMap({ parseInteger($0, Int32.self) }),
                      let days = item["days"].flatMap({ parseInteger($0, Int32.self) }),
                      let ns = item["nanoseconds"].flatMap({ parseInteger($0, Int64.self) }) else {
                    throw .invalid(path: where_, "DATA[\(i)] is not a {months, days, nanoseconds} object")
                }
                values.append(MonthDayNanoInterval(months: months, days: days, nanoseconds: ns))
            }
            return make([Buffer(values: values)])
        case let .fixedSizeBinary(width):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count * width)
            for (i, item) in try items(json, "DATA", count: count, where_: where_).enumerated() {
                let value: [UInt8] = if case .null = item { [] } else {
                    try hexBytes(item, where_: "\(where_) DATA[\(i)]")
                }
                let slotIsNull = valid.map { $0.0[i >> 3] & (1 << UInt8(i & 7)) == 0 } ?? false
                if value.count != width {
                    guard value.isEmpty && slotIsNull else {
                        throw .invalid(path: where_, "DATA[\(i)] has \(value.count) bytes, the type has \(width)")
                    }
                    bytes.append(contentsOf: repeatElement(0, count: width))
                } else {
                    bytes.append(contentsOf: value)
                }
            }
            return make([Buffer(copying: bytes)])
        case .binary, .largeBinary, .utf8, .largeUtf8:
            let isText = type == .utf8 || type == .largeUtf8
            var data: [UInt8] = []
            var ends: [Int] = [0]
            ends.reserveCapacity(count + 1)
            for (i, item) in try items(json, "DATA", count: count, where_: where_).enumerated() {
                switch item {
                case .null: break
                case let .string(s) where isText: data.append(contentsOf: s.utf8)
                case .string: data.append(contentsOf: try hexBytes(item, where_: "\(where_) DATA[\(i)]"))
                default: throw .invalid(path: where_, "DATA[\(i)] is \(item.kindName), expected a string")
                }
                ends.append(data.count)
            }
            let offsets: Buffer
            if type == .binary || type == .utf8 {
                guard data.count <= Int(Int32.max) else { throw .invalid(path: where_, "data too large for 32-bit offsets") }
                offsets = Buffer(values: ends.map { Int32($0) })
            } else {
                offsets = Buffer(values: ends.map { Int64($0) })
            }
            return make([offsets, Buffer(copying: data)])
        case .binaryView, .utf8View:
            let isText = type == .utf8View
            var variadic: [Buffer] = []
            if let buffersJSON = json["VARIADIC_DATA_BUFFERS"] {
                guard let list = buffersJSON.arrayValue else { throw .invalid(path: where_, "VARIADIC_DATA_BUFFERS is not an array") }
                for (i, item) in list.enumerated() {
                    variadic.append(Buffer(copying: try hexBytes(item, where_: "\(where_) VARIADIC_DATA_BUFFERS[\(i)]")))
                }
            }
            var views: [UInt8] = []
            views.reserveCapacity(count * 16)
            func appendInt32(_ v: Int32) {
                withUnsafeBytes(of: v.littleEndian) { views.append(contentsOf: $0) }
            }
            for (i, item) in try items(json, "VIEWS", count: count, where_: where_).enumerated() {
                let at = "\(where_) VIEWS[\(i)]"
                if case .null = item { views.append(contentsOf: repeatElement(0, count: 16)); continue }
                guard let sizeJSON = item["SIZE"], let size = parseInteger(sizeJSON, Int32.self), size >= 0 else {
                    throw .invalid(path: at, "missing or invalid SIZE")
                }
                appendInt32(size)
                if size <= 12 {
                    let inlined: [UInt8]
                    switch item["INLINED"] {
                    case let .string(s)? where isText: inlined = Array(s.utf8)
                    case let json?: inlined = try hexBytes(json, where_: at + " INLINED")
                    case nil: throw .invalid(path: at, "missing INLINED")
                    }
                    guard inlined.count == Int(size) else { throw .invalid(path: at, "INLINED has \(inlined.count) bytes, SIZE is \(size)") }
                    views.append(contentsOf: inlined)
                    views.append(contentsOf: repeatElement(0, count: 12 - inlined.count))
                } else {
                    guard let prefixJSON = item["PREFIX_HEX"] else { throw .invalid(path: at, "missing PREFIX_HEX") }
                    let prefix = try hexBytes(prefixJSON, where_: at + " PREFIX_HEX")
                    guard prefix.count == 4 else { throw .invalid(path: at, "PREFIX_HEX is not 4 bytes") }
                    guard let bufferIndex = item["BUFFER_INDEX"].flatMap({ parseInteger($0, Int32.self) }),
                          let offset = item["OFFSET"].flatMap({ parseInteger($0, Int32.self) }) else {
                        throw .invalid(path: at, "missing or invalid BUFFER_INDEX or OFFSET")
                    }
                    views.append(contentsOf: prefix)
                    appendInt32(bufferIndex)
                    appendInt32(offset)
                }
            }
            return make([Buffer(copying: views)] + variadic)
        default:
            throw .unsupported(path: where_, "columns of type \(type)")
        }
    }

    func hexBytes(_ json: IntegrationJSONValue, where_: String) throws(ArrowIntegrationJSONError) -> [UInt8] {
        guard let text = json.stringValue else { throw .invalid(path: where_, "expected a hex string, found \(json.kindName)") }
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { throw .invalid(path: where_, "odd number of hex digits") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = hexDigitValue(digits[i]), let low = hexDigitValue(digits[i + 1]) else {
                throw .invalid(path: where_, "invalid hex digit")
            }
            bytes.append(high << 4 | low)
            i += 2
        }
        return bytes
    }
}

// MARK: - Number parsing

/// An integer from a JSON number or string (large integers are strings); exact, no rounding.
private func parseInteger<T: FixedWidthInteger>(_ json: IntegrationJSONValue, _ type: T.Type) -> T? {
    switch json {
    case let .number(text), let .string(text):
        if let v = T(text) { return v }
        // An integral value written with a fraction or exponent ("3.0", "1e3").
        if let d = Double(text), d.rounded() == d, let v = T(exactly: d) { return v }
        return nil
    case let .bool(b):
        return b ? 1 : 0
    default:
        return nil
    }
}

/// A floating point value from a number literal or a string (also `NaN`, `Infinity`, `-Infinity`).
private func parseFloat<T: BinaryFloatingPoint & LosslessStringConvertible>(_ text: String, _ type: T.Type) -> T? {
    if let v = T(text) { return v }
    switch text.lowercased() {
    case "nan", "+nan", "-nan": return T.nan
    case "inf", "+inf", "infinity", "+infinity": return T.infinity
    case "-inf", "-infinity": return -T.infinity
    default: return nil
    }
}

/// The `width`-byte little-endian two's complement form of a decimal integer string, or `nil` when
/// it is not an integer or does not fit.
private func twosComplementBytes(decimal text: String, width: Int) -> [UInt8]? {
    var digits = Substring(text)
    var negative = false
    if digits.first == "-" { negative = true; digits = digits.dropFirst() } else if digits.first == "+" { digits = digits.dropFirst() }
    guard !digits.isEmpty, width % 8 == 0 else { return nil }
    var words = [UInt64](repeating: 0, count: width / 8)
    for c in digits.utf8 {
        guard c >= 0x30 && c <= 0x39 else { return nil }
        var carry = UInt64(c - 0x30)
        for w in words.indices {
            let (high, low) = words[w].multipliedFullWidth(by: 10)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            words[w] = sum
            carry = high + (overflow ? 1 : 0)
        }
        guard carry == 0 else { return nil }
    }
    // The magnitude must fit the signed range: below 2^(bits-1), or equal to it when negative.
    let top = words[words.count - 1]
    if top >> 63 == 1 {
        let isMinimum = top == 1 << 63 && words.dropLast().allSatisfy { $0 == 0 }
        guard negative && isMinimum else { return nil }
    }
    if negative {
        var carry: UInt64 = 1
        for w in words.indices {
            let (sum, overflow) = (~words[w]).addingReportingOverflow(carry)
            words[w] = sum
            carry = overflow ? 1 : 0
        }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(width)
    for word in words {
        withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
    }
    return bytes
}
