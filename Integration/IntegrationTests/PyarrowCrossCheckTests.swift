import Foundation
import Lightstream
import Testing

/// What Lightstream says about types and values matches what pyarrow says, checked against a
/// live pyarrow in the same run.
@Suite("pyarrow cross-checks")
struct PyarrowCrossCheckTests {
    /// Each type with the pyarrow expression that builds the same type.
    static let types: [(DataType, String)] = [
        (.null, "pa.null()"), (.boolean, "pa.bool_()"), (.int8, "pa.int8()"), (.uint64, "pa.uint64()"),
        (.float16, "pa.float16()"), (.float32, "pa.float32()"), (.float64, "pa.float64()"),
        (.decimal32(precision: 7, scale: 2), "pa.decimal32(7, 2)"), (.decimal64(precision: 15, scale: 3), "pa.decimal64(15, 3)"),
        (.decimal128(precision: 38, scale: 10), "pa.decimal128(38, 10)"), (.decimal256(precision: 60, scale: 0), "pa.decimal256(60, 0)"),
        (.date32, "pa.date32()"), (.date64, "pa.date64()"), (.time32(.millisecond), "pa.time32('ms')"), (.time64(.nanosecond), "pa.time64('ns')"),
        (.timestamp(.microsecond, timezone: nil), "pa.timestamp('us')"), (.timestamp(.second, timezone: "Europe/Paris"), "pa.timestamp('s', tz='Europe/Paris')"),
        (.duration(.millisecond), "pa.duration('ms')"), (.interval(.monthDayNano), "pa.month_day_nano_interval()"),
        (.binary, "pa.binary()"), (.largeBinary, "pa.large_binary()"), (.utf8, "pa.string()"), (.largeUtf8, "pa.large_string()"),
        (.binaryView, "pa.binary_view()"), (.utf8View, "pa.string_view()"), (.fixedSizeBinary(byteWidth: 16), "pa.binary(16)"),
        (.list(of: .int32), "pa.list_(pa.int32())"), (.largeList(of: .utf8), "pa.large_list(pa.string())"),
        (.listView(Field("item", .int16)), "pa.list_view(pa.int16())"), (.largeListView(Field("item", .int16)), "pa.large_list_view(pa.int16())"),
        (.fixedSizeList(Field("item", .float32), listSize: 4), "pa.list_(pa.float32(), 4)"),
        (.struct([Field("a", .int64), Field("b", .utf8, nullable: false)]), "pa.struct([('a', pa.int64()), pa.field('b', pa.string(), nullable=False)])"),
        (.map(key: .utf8, value: .int32), "pa.map_(pa.string(), pa.int32())"),
        (.dictionary(index: .int8, value: .utf8, ordered: false), "pa.dictionary(pa.int8(), pa.string())"),
        (.dictionary(index: .int32, value: .int64, ordered: true), "pa.dictionary(pa.int32(), pa.int64(), ordered=True)"),
        (.runEndEncoded(runEnds: Field("run_ends", .int32, nullable: false), values: Field("values", .utf8)), "pa.run_end_encoded(pa.int32(), pa.string())"),
    ]

    @Test func typeNamesMatchPyarrow() async throws {
        let script = "import pyarrow as pa\n" + Self.types.map { "print(str(\($0.1)))" }.joined(separator: "\n")
        let names = try await PyarrowPeer.run(script).split(separator: "\n").map(String.init)
        try #require(names.count == Self.types.count)
        for ((type, expression), name) in zip(Self.types, names) {
            #expect(type.description == name, "\(expression)")
        }
    }

    @Test func typeLayoutsMatchPyarrowBufferCounts() async throws {
        // pyarrow's num_buffers counts the validity slot too (and, for views, the minimum).
        let script = "import pyarrow as pa\n" + Self.types.map { "print(\($0.1).num_buffers)" }.joined(separator: "\n")
        let counts = try await PyarrowPeer.run(script).split(separator: "\n").compactMap { Int($0) }
        try #require(counts.count == Self.types.count)
        for ((type, expression), count) in zip(Self.types, counts) {
            var ours = type.layout.fixedBufferCount + 1
            if case .union = type.layout { ours -= 1 }
            if case .null = type.layout { ours = 1 }
            if case .runEndEncoded = type.layout { ours = 1 }
            #expect(ours == count, "\(expression)")
        }
    }

    @Test func temporalAndDecimalValuesPrintLikePyarrow() async throws {
        let script = """
        import pyarrow as pa, datetime, decimal
        print(pa.array([19000, -1], pa.date32())[0], pa.array([19000, -1], pa.date32())[1])
        print(pa.scalar(1_700_000_000_123, pa.timestamp('ms')).value)
        print(pa.array([decimal.Decimal('-45.60')], pa.decimal128(10, 2))[0])
        print(pa.array([3723000001], pa.time64('us'))[0])
        """
        let lines = try await PyarrowPeer.run(script).split(separator: "\n").map(String.init)
        let dates = PrimitiveArray<Int32>([19000, -1] as [Int32], type: .date32).data
        #expect("\(dates.formatValue(at: 0)) \(dates.formatValue(at: 1))" == lines[0])
        #expect(lines[1] == "1700000000123")
        let decimal = PrimitiveArray<Int128>([-4560], type: .decimal128(precision: 10, scale: 2)).data
        #expect(decimal.formatValue(at: 0) == lines[2])
        let time = PrimitiveArray<Int64>([3_723_000_001] as [Int64], type: .time64(.microsecond)).data
        #expect(time.formatValue(at: 0) == lines[3])
    }
}
