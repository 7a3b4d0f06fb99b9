import LightstreamArrow
import Vec64

/// A small deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Hand-assembled arrays of every layout, for the tests that must cover all of them.
enum Samples {
    static func int32Buffer(_ values: [Int32]) -> Buffer { Buffer(values: values) }
    static func int64Buffer(_ values: [Int64]) -> Buffer { Buffer(values: values) }
    static func bits(_ values: [Bool]) -> Buffer { Bitmap(values).alignedBuffer() }

    /// list<int64>: [[1, 2], null, [], [3]]
    static var list: ArrayData {
        ArrayData(type: .list(of: .int64), length: 4, validity: bits([true, false, true, true]),
                  buffers: [int32Buffer([0, 2, 2, 2, 3])], children: [Int64Array([1, 2, 3] as [Int64]).data])
    }

    /// list_view<int64> of the same lists, out of order in the child.
    static var listView: ArrayData {
        ArrayData(type: .listView(Field("item", .int64)), length: 4, validity: bits([true, false, true, true]),
                  buffers: [int32Buffer([1, 0, 0, 0]), int32Buffer([2, 0, 0, 1])], children: [Int64Array([3, 1, 2] as [Int64]).data])
    }

    /// fixed_size_list<int32>[2]: [[1, 2], null, [5, 6]]
    static var fixedSizeList: ArrayData {
        ArrayData(type: .fixedSizeList(Field("item", .int32), listSize: 2), length: 3, validity: bits([true, false, true]),
                  children: [Int32Array([1, 2, 0, 0, 5, 6] as [Int32]).data])
    }

    /// struct<a: int64, b: string>: [{1, x}, null, {3, null}]
    static var structArray: ArrayData {
        StructArray(["a": Int64Array([1, 2, 3] as [Int64]), "b": StringArray(["x", "y", nil])], validity: [true, false, true]).data
    }

    /// map<string, int32>: [{a: 1, b: 2}, null, {}]
    static var map: ArrayData {
        let entries = StructArray(["key": StringArray(["a", "b"]), "value": Int32Array([1, 2] as [Int32])]).data
        let type = DataType.map(key: .utf8, value: .int32)
        guard case let .map(entryField, _) = type else { fatalError() }
        let fixedEntries = ArrayData(type: entryField.type, length: 2, children: entries.children)
        return ArrayData(type: type, length: 3, validity: bits([true, false, true]), buffers: [int32Buffer([0, 2, 2, 2])], children: [fixedEntries])
    }

    /// sparse_union<i: int32=0, s: string=5>: [1, "b", null(int)]
    static var sparseUnion: ArrayData {
        ArrayData(type: .union(.sparse, [Field("i", .int32), Field("s", .utf8)], typeIDs: [0, 5]), length: 3,
                  buffers: [Buffer(values: [0, 5, 0] as [Int8])],
                  children: [Int32Array([1, nil, nil]).data, StringArray(["", "b", ""]).data])
    }

    /// dense_union<i: int32=0, s: string=1>: [7, "q", 8]
    static var denseUnion: ArrayData {
        ArrayData(type: .union(.dense, [Field("i", .int32), Field("s", .utf8)], typeIDs: [0, 1]), length: 3,
                  buffers: [Buffer(values: [0, 1, 0] as [Int8]), int32Buffer([0, 0, 1])],
                  children: [Int32Array([7, 8] as [Int32]).data, StringArray(["q"]).data])
    }

    /// run_end_encoded<int32, string>: [a, a, a, b, null]
    static var runEndEncoded: ArrayData {
        ArrayData(type: .runEndEncoded(runEnds: Field("run_ends", .int32, nullable: false), values: Field("values", .utf8)), length: 5,
                  children: [Int32Array([3, 4, 5] as [Int32]).data, StringArray(["a", "b", nil]).data])
    }

    /// dictionary<int8, utf8>: [x, y, null, x]
    static var dictionary: ArrayData {
        var builder = DictionaryBuilder<Int8, String>()
        for v in ["x", "y", nil, "x"] as [String?] { builder.append(v) }
        return builder.finish()
    }

    /// decimal128(10, 2): [1.23, null, -45.60]
    static var decimal128: ArrayData {
        PrimitiveArray<Int128>([123, nil, -4560], type: .decimal128(precision: 10, scale: 2)).data
    }

    /// Every layout, with a name, for parameterized tests.
    static var all: [(String, ArrayData)] {
        [
            ("null", ArrayData(type: .null, length: 3)),
            ("bool", BooleanArray([true, nil, false, true]).data),
            ("int8", Int8Array([1, nil, -3]).data),
            ("uint64", UInt64Array([1, nil, .max]).data),
            ("float16", Float16Array([1.5, nil]).data),
            ("float64", Float64Array([1.5, nil, -0.25]).data),
            ("decimal32", PrimitiveArray<Int32>([12, nil], type: .decimal32(precision: 4, scale: 1)).data),
            ("decimal64", PrimitiveArray<Int64>([12, nil], type: .decimal64(precision: 12, scale: 3)).data),
            ("decimal128", decimal128),
            ("decimal256", PrimitiveArray<Decimal256Storage>([Decimal256Storage(-5), nil], type: .decimal256(precision: 40, scale: 1)).data),
            ("date32", PrimitiveArray<Int32>([0, 19_000, nil], type: .date32).data),
            ("date64", PrimitiveArray<Int64>([86_400_000, nil], type: .date64).data),
            ("time32", PrimitiveArray<Int32>([3_723, nil], type: .time32(.second)).data),
            ("time64", PrimitiveArray<Int64>([3_723_000_001, nil], type: .time64(.microsecond)).data),
            ("timestamp", PrimitiveArray<Int64>([1_700_000_000_123, nil], type: .timestamp(.millisecond, timezone: "UTC")).data),
            ("duration", PrimitiveArray<Int64>([5, nil], type: .duration(.nanosecond)).data),
            ("interval_ym", PrimitiveArray<Int32>([14, nil], type: .interval(.yearMonth)).data),
            ("interval_dt", PrimitiveArray<DayTimeInterval>([DayTimeInterval(days: 1, milliseconds: 2), nil]).data),
            ("interval_mdn", PrimitiveArray<MonthDayNanoInterval>([MonthDayNanoInterval(months: 1, days: 2, nanoseconds: 3), nil]).data),
            ("utf8", StringArray(["a", nil, "ccc"]).data),
            ("large_utf8", StringArray(["a", nil, "ccc"], type: .largeUtf8).data),
            ("utf8_view", StringArray(["short", nil, "a string longer than twelve bytes"], type: .utf8View).data),
            ("binary", BinaryArray([[1, 2], nil, []]).data),
            ("large_binary", BinaryArray([[1, 2], nil, []], type: .largeBinary).data),
            ("fixed_size_binary", { var b = FixedSizeBinaryBuilder(byteWidth: 2); b.append([1, 2]); b.appendNull(); return b.finish() }()),
            ("list", list),
            ("large_list", {
                var b = LargeListBuilder(PrimitiveBuilder<Int64>())
                b.append { $0.append(1); $0.append(2) }
                b.appendNull()
                return b.finish()
            }()),
            ("list_view", listView),
            ("fixed_size_list", fixedSizeList),
            ("struct", structArray),
            ("map", map),
            ("sparse_union", sparseUnion),
            ("dense_union", denseUnion),
            ("dictionary", dictionary),
            ("run_end_encoded", runEndEncoded),
        ]
    }
}
