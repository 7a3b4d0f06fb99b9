import ArgumentParser
import Foundation
import Lightstream

/// `lightstream parquet-meta FILE`: a Parquet file's footer as `pq.ParquetFile(f).metadata` and
/// `.schema` show it (parquet-tools' `meta`): the file, the Parquet schema tree, and each row group's
/// column chunks with their types, codecs, encodings, sizes, offsets and typed statistics.
struct ParquetMeta: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parquet-meta",
        abstract: "Print a Parquet file's metadata: created_by, version, rows, row groups, the schema tree, and every column chunk (type, codec, encodings, sizes, offsets, statistics).",
        discussion: """
        Only the footer is read; no page is decoded. Statistics are shown typed by the column's \
        annotation (strings, dates, timestamps, decimals, unsigned integers); min/max from the \
        deprecated fields, whose order is signed byte-wise, are marked. The ARROW:schema key is \
        abbreviated (see `lightstream schema` for the Arrow schema it holds).
        """
    )

    @Argument(help: "A Parquet file, or - for standard input.") var input: String
    @Flag(help: "Print JSON instead of text.") var json = false
    @Flag(name: .customLong("no-columns"), help: "Leave out the column chunks (file, schema and row groups only).") var noColumns = false

    func run() throws {
        try reportingErrors {
            let reader = try ParquetInput.open(input)
            let summary = ParquetMetaSummary(reader: reader, path: input)
            print(json ? try summary.json(columns: !noColumns) : summary.text(columns: !noColumns))
        }
    }
}

/// The facts `parquet-meta` prints, read from an opened file's footer.
struct ParquetMetaSummary {
    let reader: ParquetFileReader
    let path: String
    var metadata: ParquetFileMetadata { reader.metadata }

    /// The footer's length, from the 4 bytes before the closing magic.
    var footerLength: Int {
        let size = reader.file.count
        return reader.file.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: size - 8, as: UInt32.self))) }
    }

    // MARK: Text

    func text(columns: Bool) -> String {
        var out: [String] = []
        out.append("file: \(ArrowIO.displayName(path)) (\(reader.file.count) bytes)")
        out.append("created_by: \(metadata.createdBy ?? "(not set)")")
        out.append("format_version: \(metadata.version)")
        out.append("num_rows: \(metadata.rowCount)")
        out.append("num_row_groups: \(metadata.rowGroups.count)")
        out.append("num_columns: \(reader.parquetSchema.columns.count)")
        out.append("footer_size: \(footerLength) bytes")
        if metadata.keyValueMetadata.isEmpty {
            out.append("key_value_metadata: none")
        } else {
            out.append("key_value_metadata:")
            for pair in metadata.keyValueMetadata { out.append("  \(pair.key): \(Self.abbreviated(pair))") }
        }
        out.append("schema:")
        out += schemaTree().map { "  " + $0 }
        for (g, group) in metadata.rowGroups.enumerated() {
            var line = "row group \(g): \(group.rowCount) rows, total_byte_size \(group.totalByteSize)"
            if let compressed = group.totalCompressedSize { line += ", total_compressed_size \(compressed)" }
            if let offset = group.fileOffset { line += ", file_offset \(offset)" }
            out.append(line)
            guard columns else { continue }
            for (c, chunk) in group.columns.enumerated() {
                let descriptor = reader.parquetSchema.columns[c]
                out.append("  column \(c): \(descriptor.dottedPath)")
                for (key, value) in columnFacts(chunk, descriptor) { out.append("    \(key): \(value)") }
            }
        }
        return out.joined(separator: "\n")
    }

    /// The facts of one column chunk as (key, value) lines.
    func columnFacts(_ chunk: ParquetColumnChunk, _ descriptor: ParquetColumnDescriptor) -> [(String, String)] {
        var facts: [(String, String)] = []
        facts.append(("physical_type", Self.physicalName(descriptor.element)))
        facts.append(("annotation", Self.annotation(descriptor.element) ?? "none"))
        if let path = chunk.filePath { facts.append(("file_path", path)) }
        guard let m = chunk.metadata else {
            facts.append(("metadata", chunk.isEncrypted ? "encrypted" : "missing"))
            return facts
        }
        facts.append(("codec", m.codec.description))
        facts.append(("encodings", m.encodings.map(\.description).joined(separator: ", ")))
        facts.append(("num_values", "\(m.valueCount)"))
        facts.append(("compressed_size", "\(m.totalCompressedSize)"))
        facts.append(("uncompressed_size", "\(m.totalUncompressedSize)"))
        facts.append(("dictionary_page_offset", m.dictionaryPageOffset.map { "\($0)" } ?? "none"))
        facts.append(("data_page_offset", "\(m.dataPageOffset)"))
        if let bloom = m.bloomFilterOffset {
            facts.append(("bloom_filter", "offset \(bloom)" + (m.bloomFilterLength.map { ", \($0) bytes" } ?? "")))
        }
        if let stats = m.statistics {
            var parts: [String] = []
            parts.append("min \(stats.min.map { ParquetStatisticsText.readable($0, descriptor.element) } ?? "none")")
            parts.append("max \(stats.max.map { ParquetStatisticsText.readable($0, descriptor.element) } ?? "none")")
            parts.append("null_count \(stats.nullCount.map { "\($0)" } ?? "none")")
            parts.append("distinct_count \(stats.distinctCount.map { "\($0)" } ?? "none")")
            if let nan = stats.nanCount { parts.append("nan_count \(nan)") }
            if stats.isDeprecatedMinMax && (stats.min != nil || stats.max != nil) {
                parts.append("(deprecated min/max: signed byte order)")
            }
            facts.append(("statistics", parts.joined(separator: ", ")))
        } else {
            facts.append(("statistics", "none"))
        }
        for pair in m.keyValueMetadata { facts.append(("metadata \(pair.key)", Self.abbreviated(pair))) }
        return facts
    }

    /// A key-value entry's value, shortened: ARROW:schema is named for what it is.
    static func abbreviated(_ pair: ParquetKeyValue) -> String {
        guard let value = pair.value else { return "(no value)" }
        if pair.key == "ARROW:schema" { return "<Arrow IPC schema, \(value.utf8.count) bytes of base64>" }
        let flat = value.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 80 ? String(flat.prefix(80)) + "... (\(value.utf8.count) bytes)" : flat
    }

    // MARK: Schema tree

    /// The schema as `pq.ParquetFile(f).schema` prints it: `repetition type name (annotation)`,
    /// groups in braces.
    func schemaTree() -> [String] {
        var lines: [String] = []
        var position = 0
        let elements = reader.parquetSchema.elements
        func walk(depth: Int, isRoot: Bool) {
            let element = elements[position]
            position += 1
            let indent = String(repeating: "  ", count: depth)
            let repetition = isRoot ? "required" : Self.repetitionName(element.repetition)
            let id = element.fieldID.map { " field_id=\($0)" } ?? ""
            let note = Self.annotation(element).map { " (\($0))" } ?? ""
            let children = element.childCount ?? 0
            if children > 0 || (isRoot && element.type == nil) {
                lines.append("\(indent)\(repetition) group\(id) \(element.name)\(note) {")
                for _ in 0..<children where position < elements.count { walk(depth: depth + 1, isRoot: false) }
                lines.append("\(indent)}")
            } else {
                let type = element.type == .byteArray ? "binary" : Self.physicalName(element).lowercased()
                lines.append("\(indent)\(repetition) \(type)\(id) \(element.name)\(note);")
            }
        }
        walk(depth: 0, isRoot: true)
        return lines
    }

    static func repetitionName(_ repetition: ParquetRepetition?) -> String {
        switch repetition ?? .required {
        case .required: "required"
        case .optional: "optional"
        case .repeated: "repeated"
        }
    }

    /// The physical type, with the width of a FIXED_LEN_BYTE_ARRAY (the tree lowercases it and
    /// calls BYTE_ARRAY "binary", as pyarrow does).
    static func physicalName(_ element: ParquetSchemaElement) -> String {
        guard let type = element.type else { return "group" }
        return type == .fixedLenByteArray ? "FIXED_LEN_BYTE_ARRAY(\(element.typeLength ?? 0))" : type.description
    }

    /// The logical type as pyarrow names it, else the converted type, else nil.
    static func annotation(_ element: ParquetSchemaElement) -> String? {
        if let logical = element.logicalType { return logicalName(logical) }
        guard let converted = element.convertedType else { return nil }
        if converted == .decimal {
            return "DECIMAL(precision=\(element.precision ?? 0), scale=\(element.scale ?? 0))"
        }
        return converted.description
    }

    static func logicalName(_ logical: ParquetLogicalType) -> String {
        func unit(_ u: ParquetTimeUnit) -> String {
            switch u {
            case .millis: "milliseconds"
            case .micros: "microseconds"
            case .nanos: "nanoseconds"
            }
        }
        switch logical {
        case .string: return "String"
        case .map: return "Map"
        case .list: return "List"
        case .enum: return "Enum"
        case .decimal(let precision, let scale): return "Decimal(precision=\(precision), scale=\(scale))"
        case .date: return "Date"
        case .time(let u, let utc): return "Time(isAdjustedToUTC=\(utc), timeUnit=\(unit(u)))"
        case .timestamp(let u, let utc): return "Timestamp(isAdjustedToUTC=\(utc), timeUnit=\(unit(u)))"
        case .integer(let width, let signed): return "Int(bitWidth=\(width), isSigned=\(signed))"
        case .unknown: return "Null"
        case .json: return "JSON"
        case .bson: return "BSON"
        case .uuid: return "UUID"
        case .float16: return "Float16"
        case .variant: return "Variant"
        case .geometry: return "Geometry"
        case .geography: return "Geography"
        case .other(let id): return "LogicalType(\(id))"
        }
    }

    // MARK: JSON

    /// A value for JSONSerialization: the value, or null.
    func orNull<T>(_ value: T?) -> Any { value.map { $0 as Any } ?? NSNull() }

    func json(columns: Bool) throws -> String {
        var file: [String: Any] = [
            "file": ArrowIO.displayName(path),
            "file_size": reader.file.count,
            "created_by": orNull(metadata.createdBy),
            "format_version": metadata.version,
            "num_rows": metadata.rowCount,
            "num_row_groups": metadata.rowGroups.count,
            "num_columns": reader.parquetSchema.columns.count,
            "footer_size": footerLength,
            "key_value_metadata": Dictionary(metadata.keyValueMetadata.map { ($0.key, Self.abbreviated($0)) }, uniquingKeysWith: { a, _ in a }),
            "schema": schemaTree(),
        ]
        file["row_groups"] = metadata.rowGroups.map { group -> [String: Any] in
            var out: [String: Any] = [
                "num_rows": group.rowCount,
                "total_byte_size": group.totalByteSize,
            ]
            if let compressed = group.totalCompressedSize { out["total_compressed_size"] = compressed }
            if let offset = group.fileOffset { out["file_offset"] = offset }
            if columns {
                out["columns"] = group.columns.enumerated().map { (c, chunk) -> [String: Any] in
                    let descriptor = reader.parquetSchema.columns[c]
                    var column: [String: Any] = ["path": descriptor.dottedPath]
                    for (key, value) in columnFacts(chunk, descriptor) where key != "statistics" { column[key] = value }
                    if let m = chunk.metadata {
                        column["num_values"] = m.valueCount
                        column["compressed_size"] = m.totalCompressedSize
                        column["uncompressed_size"] = m.totalUncompressedSize
                        column["data_page_offset"] = m.dataPageOffset
                        column["dictionary_page_offset"] = orNull(m.dictionaryPageOffset)
                        column["encodings"] = m.encodings.map(\.description)
                        if let stats = m.statistics {
                            var s: [String: Any] = [:]
                            s["min"] = orNull(stats.min.map { ParquetStatisticsText.readable($0, descriptor.element) })
                            s["max"] = orNull(stats.max.map { ParquetStatisticsText.readable($0, descriptor.element) })
                            s["null_count"] = orNull(stats.nullCount)
                            s["distinct_count"] = orNull(stats.distinctCount)
                            if let nan = stats.nanCount { s["nan_count"] = nan }
                            s["deprecated_min_max"] = stats.isDeprecatedMinMax
                            column["statistics"] = s
                        } else {
                            column["statistics"] = NSNull()
                        }
                    }
                    return column
                }
            }
            return out
        }
        let data = try JSONSerialization.data(withJSONObject: file, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// Statistics values as people read them: typed by the column's physical type and annotation.
enum ParquetStatisticsText {
    /// One min or max value: a string quoted, a date or timestamp in ISO 8601, a decimal scaled,
    /// an unsigned integer unsigned; bytes that do not fit the type are shown in hex and said so.
    static func readable(_ bytes: [UInt8], _ element: ParquetSchemaElement) -> String {
        let physical = element.type ?? .byteArray
        guard let value = ParquetValue(plain: bytes, type: physical) else {
            return hex(bytes) + " (\(bytes.count) bytes, not a \(physical))"
        }
        switch (value, Annotation(element)) {
        case (.int32(let v), .decimal(let scale)): return ArrowText.decimal(Int128(v), scale: scale)
        case (.int64(let v), .decimal(let scale)): return ArrowText.decimal(Int128(v), scale: scale)
        case (.bytes(let b), .decimal(let scale)) where !b.isEmpty && b.count <= 16: return ArrowText.decimal(bigEndianSigned(b), scale: scale)
        case (.int32(let days), .date): return ArrowCalendar.isoDate(daysSinceEpoch: Int(days))
        case (.int32(let v), .unsigned): return "\(UInt32(bitPattern: v))"
        case (.int64(let v), .unsigned): return "\(UInt64(bitPattern: v))"
        case (.int64(let v), .timestamp(let unit, let utc)): return timestamp(v, unit: unit, utc: utc)
        case (.int32(let v), .time(let unit)): return time(Int64(v), unit: unit)
        case (.int64(let v), .time(let unit)): return time(v, unit: unit)
        case (.int96(let b), _):
            // Nanoseconds of the day, then the Julian day, both little-endian.
            let nanos = b[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let julian = b[8..<12].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let days = Int64(julian) - 2_440_588
            return timestamp(days * 86_400_000_000_000 + Int64(bitPattern: nanos), unit: .nanos, utc: false)
        case (.bytes(let b), .float16) where b.count == 2:
            return "\(float16(UInt16(b[0]) | UInt16(b[1]) << 8))"
        case (.bytes(let b), .uuid) where b.count == 16:
            let h = b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
            return [h[0..<4], h[4..<6], h[6..<8], h[8..<10], h[10..<16]].map { $0.joined() }.joined(separator: "-")
        case (.bytes(let b), .text):
            if let text = String(validating: b, as: UTF8.self) { return quoted(text) }
            return hex(b)
        case (.bytes(let b), _):
            if physical == .byteArray, let text = String(validating: b, as: UTF8.self),
               text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) {
                // Unannotated binary that is printable text (old writers): shown as text, marked.
                return quoted(text) + " (binary)"
            }
            return hex(b)
        default:
            return value.description
        }
    }

    /// What a column's logical or converted type says about reading its values.
    enum Annotation {
        case plain, text, date, unsigned, float16, uuid
        case decimal(scale: Int)
        case timestamp(ParquetTimeUnit, utc: Bool)
        case time(ParquetTimeUnit)

        init(_ element: ParquetSchemaElement) {
            if let logical = element.logicalType {
                switch logical {
                case .string, .enum, .json: self = .text
                case .decimal(_, let scale): self = .decimal(scale: scale)
                case .date: self = .date
                case .time(let unit, _): self = .time(unit)
                case .timestamp(let unit, let utc): self = .timestamp(unit, utc: utc)
                case .integer(_, let signed): self = signed ? .plain : .unsigned
                case .float16: self = .float16
                case .uuid: self = .uuid
                default: self = .plain
                }
                return
            }
            switch element.convertedType {
            case .utf8?, .enum?, .json?: self = .text
            case .decimal?: self = .decimal(scale: element.scale ?? 0)
            case .date?: self = .date
            case .timeMillis?: self = .time(.millis)
            case .timeMicros?: self = .time(.micros)
            case .timestampMillis?: self = .timestamp(.millis, utc: true)
            case .timestampMicros?: self = .timestamp(.micros, utc: true)
            case .uint8?, .uint16?, .uint32?, .uint64?: self = .unsigned
            default: self = .plain
            }
        }
    }

    static func quoted(_ text: String) -> String {
        let clipped = text.count > 60 ? String(text.prefix(60)) + "…" : text
        return "\"" + clipped.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(32).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return "0x" + shown + (bytes.count > 32 ? "… (\(bytes.count) bytes)" : "")
    }

    /// A big-endian two's complement integer of 1 to 16 bytes.
    static func bigEndianSigned(_ bytes: [UInt8]) -> Int128 {
        var value: Int128 = bytes[0] >= 0x80 ? -1 : 0
        for byte in bytes { value = value << 8 | Int128(byte) }
        return value
    }

    static func perSecond(_ unit: ParquetTimeUnit) -> (Int64, Int) {
        switch unit {
        case .millis: (1_000, 3)
        case .micros: (1_000_000, 6)
        case .nanos: (1_000_000_000, 9)
        }
    }

    static func timestamp(_ value: Int64, unit: ParquetTimeUnit, utc: Bool) -> String {
        let perDay = 86_400 * perSecond(unit).0
        let days = value >= 0 ? value / perDay : (value - perDay + 1) / perDay
        let within = value - days * perDay
        return ArrowCalendar.isoDate(daysSinceEpoch: Int(days)) + "T" + time(within, unit: unit) + (utc ? "Z" : "")
    }

    static func time(_ value: Int64, unit: ParquetTimeUnit) -> String {
        let (scale, digits) = perSecond(unit)
        let seconds = value / scale, fraction = abs(value % scale)
        let text = String(format: "%02lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60, seconds % 60)
        return fraction == 0 ? text : text + "." + String(format: "%0\(digits)lld", fraction)
    }

    /// An IEEE half-precision value.
    static func float16(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int(bits >> 10 & 0x1F), mantissa = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * powf(2, -24)
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * powf(2, Float(exponent - 15))
        }
    }
}
