import Foundation
import LightstreamArrow
import ArrowIntegrationJSON
import Testing
import Vec64

/// The integration JSON reader against every gold JSON file of the corpus, plus small documents
/// for the value encodings the corpus does not exercise.
@Suite("Arrow integration JSON reader")
struct ArrowIntegrationJSONTests {
    /// The integration gold folder, `../shared/corpus/...` from the repository root.
    static let integrationDirectory = GoldJSONConformanceTests.integration

    /// Every `<producer>/<case>.json.gz`, as paths relative to ``integrationDirectory``.
    static let goldFiles: [String] = {
        let fm = FileManager.default
        guard let producers = try? fm.contentsOfDirectory(atPath: integrationDirectory) else { return [] }
        var files: [String] = []
        for producer in producers.sorted() {
            let names = (try? fm.contentsOfDirectory(atPath: integrationDirectory + "/" + producer)) ?? []
            files += names.filter { $0.hasSuffix(".json.gz") }.sorted().map { producer + "/" + $0 }
        }
        return files
    }()

    /// Cases expected to fail with an "unsupported" error, and why. Empty: every corpus case is read.
    static let expectedUnsupported: [String: String] = [:]

    @Test func corpusIsPresent() {
        #expect(Self.goldFiles.count >= 91, "found \(Self.goldFiles.count) gold JSON files in \(Self.integrationDirectory)")
    }

    @Test(arguments: goldFiles)
    func readsGoldFile(_ relativePath: String) throws {
        let path = Self.integrationDirectory + "/" + relativePath
        let file: ArrowIntegrationFile
        do {
            file = try ArrowIntegrationJSON.read(path: path)
        } catch let error as ArrowIntegrationJSONError {
            if case .unsupported = error, Self.expectedUnsupported[relativePath] != nil { return }
            Issue.record("\(relativePath): \(error)")
            return
        }
        #expect(Self.expectedUnsupported[relativePath] == nil, "\(relativePath) was expected to be unsupported but reads")

        // An independent look at the same document for the counts.
        let json = try #require(try JSONSerialization.jsonObject(with: ArrowIntegrationJSON.gunzip(path: path)) as? [String: Any])
        let schemaJSON = try #require(json["schema"] as? [String: Any])
        let fieldsJSON = try #require(schemaJSON["fields"] as? [[String: Any]])
        let batchesJSON = try #require(json["batches"] as? [[String: Any]])
        #expect(file.schema.fields.map(\.name) == fieldsJSON.map { $0["name"] as? String ?? "?" })
        #expect(file.batches.count == batchesJSON.count)

        for (i, (batch, batchJSON)) in zip(file.batches, batchesJSON).enumerated() {
            do {
                try batch.validate()
            } catch {
                Issue.record("\(relativePath) batch \(i): \(error)")
            }
            #expect(batch.schema == file.schema)
            let count = (batchJSON["count"] as? NSNumber)?.intValue ?? -1
            #expect(batch.length == count, "\(relativePath) batch \(i)")
            let columnsJSON = batchJSON["columns"] as? [[String: Any]] ?? []
            for (column, columnJSON) in zip(batch.columns, columnsJSON) {
                #expect(column.length == (columnJSON["count"] as? NSNumber)?.intValue)
                // Top-level null counts agree with the VALIDITY lists (types with a bitmap).
                if let validity = columnJSON["VALIDITY"] as? [NSNumber], column.type.layout.hasValidity {
                    #expect(column.nullCount == validity.prefix(column.length).filter { $0.intValue == 0 }.count)
                }
            }
        }
        // Dictionary-encoded fields carry their ids by path.
        let dictionaryFields = Self.dictionaryPaths(file.schema.fields, prefix: [])
        #expect(Set(file.dictionaryIDs.keys).isSuperset(of: dictionaryFields), "\(relativePath)")
    }

    static func dictionaryPaths(_ fields: [Field], prefix: [String]) -> Set<[String]> {
        var paths: Set<[String]> = []
        for field in fields {
            let path = prefix + [field.name]
            if case let .dictionary(_, value, _) = field.type {
                paths.insert(path)
                paths.formUnion(dictionaryPaths(value.children, prefix: path))
            } else {
                paths.formUnion(dictionaryPaths(field.children, prefix: path))
            }
        }
        return paths
    }

    @Test func largeIntegersStayExact() throws {
        let file = try ArrowIntegrationJSON.read(path: Self.integrationDirectory + "/cpp-21.0.0/generated_interval_mdn.json.gz")
        let batch = try #require(file.batches.first { $0.length > 0 })
        let column = batch.columns[0]
        #expect(column.type == .interval(.monthDayNano))
        let first = column.buffers[0].load(MonthDayNanoInterval.self, at: 0)
        #expect(first == MonthDayNanoInterval(months: 1_493_908_993, days: -474_729_930, nanoseconds: 8_820_212_087_008_106_548))
    }

    @Test func nestedDictionariesAreAttached() throws {
        let file = try ArrowIntegrationJSON.read(path: Self.integrationDirectory + "/cpp-21.0.0/generated_nested_dictionary.json.gz")
        #expect(file.dictionaryIDs[["list_dict"]] == 1)
        #expect(file.dictionaryIDs[["list_dict", "str_dict"]] == 0)
        #expect(file.dictionaryIDs[["struct_dict", "str_dict_a"]] == 0)
        let column = file.batches[0].columns[0]
        guard case let .dictionary(.int8, .list(item), false) = column.type else {
            Issue.record("unexpected type \(column.type)")
            return
        }
        #expect(item.type == .dictionary(index: .int8, value: .utf8, ordered: false))
        let values = try #require(column.dictionary)
        #expect(values.length == 30)
        #expect(values.children[0].dictionary?.length == 10)
    }

    static func decode(_ text: String) throws -> ArrowIntegrationFile {
        try ArrowIntegrationJSON.decode(Data(text.utf8))
    }

    @Test func smallDocument() throws {
        let file = try Self.decode("""
        {"schema": {"fields": [
          {"name": "h", "type": {"name": "floatingpoint", "precision": "HALF"}, "nullable": true, "children": []},
          {"name": "d", "type": {"name": "decimal", "precision": 70, "scale": 2, "bitWidth": 256}, "nullable": true, "children": []},
          {"name": "t", "type": {"name": "timestamp", "unit": "NANOSECOND", "timezone": "UTC"}, "nullable": false, "children": [],
           "metadata": [{"key": "k", "value": "v"}]},
          {"name": "s", "type": {"name": "utf8"}, "nullable": true, "children": []}
        ], "metadata": [{"key": "top", "value": "level"}]},
        "batches": [{"count": 3, "columns": [
          {"name": "h", "count": 3, "VALIDITY": [1, 0, 1], "DATA": [1.5, 0, "-Infinity"]},
          {"name": "d", "count": 3, "VALIDITY": [1, 1, 1], "DATA": ["-1", "170141183460469231731687303715884105728", "0"]},
          {"name": "t", "count": 3, "DATA": [1, "9223372036854775807", -5]},
          {"name": "s", "count": 3, "VALIDITY": [1, 1, 0], "OFFSET": [0, 1, 4, 4], "DATA": ["a", "\\u00e9\\ud83d\\ude00", ""]}
        ]}]}
        """)
        #expect(file.schema.metadata == ["top": "level"])
        #expect(file.schema.fields[2].metadata == ["k": "v"])
        #expect(file.schema.fields[2].type == .timestamp(.nanosecond, timezone: "UTC"))
        let batch = file.batches[0]
        try batch.validate()
        let h = batch.columns[0]
        #expect(h.buffers[0].load(Float16.self, at: 0) == 1.5)
        #expect(h.buffers[0].load(Float16.self, at: 2) == -.infinity)
        #expect(h.nullCount == 1)
        let d = batch.columns[1]
        #expect(d.buffers[0].load(Decimal256Storage.self, at: 0) == Decimal256Storage(-1))
        #expect(d.buffers[0].load(Decimal256Storage.self, at: 1) == Decimal256Storage(words: (0, 1 << 63, 0, 0)))
        #expect(batch.columns[2].buffers[0].load(Int64.self, at: 1) == Int64.max)
        #expect(batch.columns[3].binaryValue(at: 1).array == Array("é😀".utf8))
    }

    @Test func unsupportedAndInvalidDocumentsThrow() {
        #expect(throws: ArrowIntegrationJSONError.self) {
            try Self.decode(#"{"schema": {"fields": [{"name": "x", "type": {"name": "quaternion"}, "nullable": true, "children": []}]}, "batches": []}"#)
        }
        #expect(throws: ArrowIntegrationJSONError.self) { try Self.decode("{\"schema\": ") }
        #expect(throws: ArrowIntegrationJSONError.self) {
            try Self.decode(#"{"schema": {"fields": [{"name": "x", "type": {"name": "int", "isSigned": true, "bitWidth": 8}, "nullable": true, "children": []}]}, "batches": [{"count": 1, "columns": [{"name": "x", "count": 1, "DATA": [300]}]}]}"#)
        }
        #expect(throws: ArrowIntegrationJSONError.self) { try ArrowIntegrationJSON.read(path: "/nonexistent/file.json.gz") }
    }
}
