import LightstreamArrow
import LightstreamCSV
import LightstreamFraming
import LightstreamFramingConformance
import Testing
import Vec64

func writeCSV(_ table: Table, _ options: CSVWriteOptions = CSVWriteOptions()) throws -> String {
    var writer = try CSVWriter(sink: MemorySink(), schema: table.schema, options: options)
    try writer.write(table)
    return String(decoding: try writer.finish().buffer.array, as: UTF8.self)
}

@Suite struct CSVWriterTests {
    static func sample() throws -> Table {
        var ints = PrimitiveBuilder<Int64>()
        ints.append(1); ints.appendNull(); ints.append(-3)
        var floats = PrimitiveBuilder<Double>()
        floats.append(0.1); floats.append(1e20); floats.append(.nan)
        var strings = StringBuilder()
        strings.append("plain"); strings.append("a,\"b\"\nc"); strings.append("")
        var bools = BooleanBuilder()
        bools.append(true); bools.append(false); bools.appendNull()
        var stamps = PrimitiveBuilder<Int64>(type: .timestamp(.millisecond, timezone: nil))
        stamps.append(0); stamps.append(1500); stamps.append(-1)
        var dates = PrimitiveBuilder<Int32>(type: .date32)
        dates.append(0); dates.append(18262); dates.append(-1)
        let batch = try RecordBatch(["i": ints.finish(), "f": floats.finish(), "s": strings.finish(), "b": bools.finish(),
                                     "ts": stamps.finish(), "d": dates.finish()])
        return try Table(batches: [batch])
    }

    @Test func writesRFC4180() throws {
        let text = try writeCSV(try Self.sample())
        #expect(text == """
        i,f,s,b,ts,d
        1,0.1,plain,true,1970-01-01 00:00:00.000,1970-01-01
        ,1e+20,"a,""b""
        c",false,1970-01-01 00:00:01.500,2020-01-01
        -3,nan,"",,1969-12-31 23:59:59.999,1969-12-31

        """)
    }

    @Test func quotingStylesAndOptions() throws {
        var options = CSVWriteOptions()
        options.quoting = .allValues
        options.delimiter = UInt8(ascii: ";")
        options.lineTerminator = "\r\n"
        options.nullText = "NULL"
        let text = try writeCSV(try Self.sample(), options)
        #expect(text.hasPrefix("\"i\";\"f\";\"s\";\"b\";\"ts\";\"d\"\r\n\"1\";\"0.1\""))
        #expect(text.contains(";NULL;"))
        options = CSVWriteOptions()
        options.quoting = .none
        #expect(throws: CSVError.self) { _ = try writeCSV(try Self.sample(), options) }
    }

    @Test func roundTripThroughTheReader() throws {
        let table = try Self.sample()
        let text = try writeCSV(table)
        var options = CSVReadOptions()
        options.schema = table.schema
        options.stringsCanBeNull = true
        options.quotedStringsCanBeNull = false
        var reader = try CSVReader(text: text, options: options)
        let back = try reader.readAll()
        // NaN reads back as null (pyarrow's null spellings include "nan"); everything else is equal.
        #expect(back.batches[0].columns[0].logicallyEquals(table.batches[0].columns[0]))
        #expect(back.batches[0].columns[2].logicallyEquals(table.batches[0].columns[2]))
        #expect(back.batches[0].columns[3].logicallyEquals(table.batches[0].columns[3]))
        #expect(back.batches[0].columns[4].logicallyEquals(table.batches[0].columns[4]))
        #expect(back.batches[0].columns[5].logicallyEquals(table.batches[0].columns[5]))
        #expect(back.batches[0].columns[1].formatValue(at: 1) == "1e+20")
    }

    @Test func nestedAsJSONOrError() throws {
        var list = GenericListBuilder<Int32, PrimitiveBuilder<Int64>>(PrimitiveBuilder<Int64>())
        list.append { $0.append(1); $0.append(2) }
        list.appendNull()
        let table = try Table(batches: [try RecordBatch(["l": list.finish()])])
        #expect(try writeCSV(table) == "l\n\"[1,2]\"\n\n")
        var options = CSVWriteOptions()
        options.nestedAsJSON = false
        #expect {
            _ = try writeCSV(table, options)
        } throws: { error in
            guard let error = error as? CSVError, case .unsupportedType = error.kind else { return false }
            return error.column == "l"
        }
    }

    @Test func headerOnlyForNoBatches() throws {
        let schema = Schema([Field("a", .int32), Field("b c", .utf8)])
        let writer = try CSVWriter(sink: MemorySink(), schema: schema)
        #expect(String(decoding: try writer.finish().buffer.array, as: UTF8.self) == "a,b c\n")
    }

    @Test func decimalsAndBinary() throws {
        var dec = PrimitiveBuilder<Int64>(type: .decimal64(precision: 10, scale: 2))
        dec.append(-5); dec.append(123456)
        var bin = BinaryBuilder()
        bin.append([0, 255]); bin.append([])
        let table = try Table(batches: [try RecordBatch(["d": dec.finish(), "b": bin.finish()])])
        var options = CSVWriteOptions()
        options.binaryEncoding = .hex
        let hex = try writeCSV(table, options)
        #expect(hex == "d,b\n-0.05,00ff\n1234.56,\"\"\n", "\(hex.debugDescription)")
        options.binaryEncoding = .base64
        #expect(try writeCSV(table, options) == "d,b\n-0.05,AP8=\n1234.56,\"\"\n")
        var read = CSVReadOptions()
        read.schema = table.schema
        read.binaryEncoding = .base64
        read.quotedStringsCanBeNull = false
        var reader = try CSVReader(text: try writeCSV(table, options), options: read)
        #expect(try reader.readAll().batches[0] == table.batches[0])
    }
}
