import Lightstream
import LightstreamFramingConformance

/// Random tables from a seed covering the Arrow types, with nulls, empty and sliced batches,
/// nested and dictionary columns, and dictionaries that grow between batches (deltas).
enum RandomTables {
    static let words = (0..<64).map { "w\($0)-" + String(repeating: "é", count: $0 % 5) }

    static func table(seed: UInt64, batches: Int = 4) throws -> Table {
        var rng = SplitMix64(seed: seed)
        var result: [RecordBatch] = []
        var dictionarySize = 3
        for b in 0..<batches {
            let n = b == 1 ? 0 : Int.random(in: 1...300, using: &rng)
            let batch = try batch(rows: n + 10, dictionarySize: dictionarySize, rng: &rng)
            // A slice at a random offset: readers and writers must handle non-zero offsets.
            let start = Int.random(in: 0...10, using: &rng)
            result.append(batch.slice(start..<(start + n)))
            dictionarySize = min(words.count, dictionarySize + Int.random(in: 0...5, using: &rng))
        }
        return try Table(batches: result)
    }

    static func batch(rows n: Int, dictionarySize: Int, rng: inout SplitMix64) throws -> RecordBatch {
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { Int.random(in: 0..<5, using: &rng) == 0 ? nil : value() }
        let ints = (0..<n).map { _ in maybe(Int64.random(in: -1_000_000...1_000_000, using: &rng)) }
        let int8s = (0..<n).map { _ in maybe(Int8.random(in: .min ... .max, using: &rng)) }
        let uints = (0..<n).map { _ in maybe(UInt32.random(in: 0 ... .max, using: &rng)) }
        let floats = (0..<n).map { _ in maybe(Double.random(in: -1e6...1e6, using: &rng)) }
        let bools = (0..<n).map { _ in maybe(Bool.random(using: &rng)) }
        let strings = (0..<n).map { _ in maybe(words[Int.random(in: 0..<words.count, using: &rng)] + String(repeating: "x", count: Int.random(in: 0...20, using: &rng))) }
        let lists = (0..<n).map { _ in maybe((0..<Int.random(in: 0...4, using: &rng)).map { _ in maybe(Int32.random(in: -99...99, using: &rng)) }) }
        let dates = (0..<n).map { _ in maybe(Int32.random(in: 0...30_000, using: &rng)) }
        let stamps = (0..<n).map { _ in maybe(Int64.random(in: 0...2_000_000_000_000, using: &rng)) }
        let decimals = (0..<n).map { _ in maybe(Int128(Int64.random(in: -99_999_999...99_999_999, using: &rng))) }

        var structBuilder = StructBuilder(["a": PrimitiveBuilder<Int64>(), "b": StringBuilder()])
        var fixedListValues: [Float?] = []
        var fixedListValidity: [Bool] = []
        for i in 0..<n {
            if Int.random(in: 0..<6, using: &rng) == 0 { structBuilder.appendNull() } else {
                structBuilder.append { row in
                    row.child(0, as: PrimitiveBuilder<Int64>.self) { $0.append(ints[i]) }
                    row.child(1, as: StringBuilder.self) { $0.append(strings[i]) }
                }
            }
            fixedListValidity.append(Int.random(in: 0..<6, using: &rng) != 0)
            for _ in 0..<3 { fixedListValues.append(maybe(Float(Int.random(in: -50...50, using: &rng)) / 4)) }
        }
        let fixedSizeList = ArrayData(type: .fixedSizeList(Field("item", .float32), listSize: 3), length: n,
                                      validity: Bitmap(fixedListValidity).alignedBuffer(), children: [Float32Array(fixedListValues).data])

        // Dictionary indices into the first `dictionarySize` words: later batches grow the dictionary.
        var indices = PrimitiveBuilder<Int16>()
        for _ in 0..<n { if let i = maybe(Int16.random(in: 0..<Int16(dictionarySize), using: &rng)) { indices.append(i) } else { indices.appendNull() } }
        let indexData = indices.finish()
        let dictionary = ArrayData(type: .dictionary(index: .int16, value: .utf8, ordered: false), length: n, validity: indexData.validity,
                                   buffers: indexData.buffers, dictionary: StringArray(Array(words.prefix(dictionarySize))).data)

        var mapBuilder = ListBuilder(StructBuilder(["key": StringBuilder(), "value": PrimitiveBuilder<Int32>()]), itemName: "entries", itemNullable: false)
        for i in 0..<n {
            if lists[i] == nil { mapBuilder.appendNull(); continue }
            mapBuilder.append { entries in
                for k in 0..<(i % 3) {
                    entries.append { row in
                        row.child(0, as: StringBuilder.self) { $0.append("k\(k)") }
                        row.child(1, as: PrimitiveBuilder<Int32>.self) { $0.append(k % 2 == 0 ? Int32(i) : nil) }
                    }
                }
            }
        }
        let mapList = mapBuilder.finish()
        let mapType = DataType.map(key: .utf8, value: .int32)
        guard case let .map(entriesField, _) = mapType else { fatalError() }
        let entries = mapList.children[0]
        let map = ArrayData(type: mapType, length: n, validity: mapList.validity, buffers: mapList.buffers,
                            children: [ArrayData(type: entriesField.type, length: entries.length, children: entries.children)])

        return try RecordBatch([
            "i64": Int64Array(ints),
            "i8": Int8Array(int8s),
            "u32": UInt32Array(uints),
            "f64": Float64Array(floats),
            "bool": BooleanArray(bools),
            "utf8": StringArray(strings),
            "large_utf8": StringArray(strings, type: .largeUtf8),
            "utf8_view": StringArray(strings, type: .utf8View),
            "binary": BinaryArray(strings.map { $0.map { Array($0.utf8) } }),
            "date32": PrimitiveArray<Int32>(dates, type: .date32),
            "timestamp": PrimitiveArray<Int64>(stamps, type: .timestamp(.millisecond, timezone: "UTC")),
            "decimal": PrimitiveArray<Int128>(decimals, type: .decimal128(precision: 20, scale: 3)),
            "list": ListArray(lists),
            "struct": structBuilder.finish(),
            "fixed_size_list": fixedSizeList,
            "dictionary": dictionary,
            "map": map,
        ])
    }
}
