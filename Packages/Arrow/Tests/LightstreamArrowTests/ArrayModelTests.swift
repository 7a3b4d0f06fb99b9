import Testing
import LightstreamArrow
import Vec64

@Suite("Every layout")
struct EveryLayoutTests {
    static let names = Samples.all.map(\.0)
    static func sample(_ name: String) -> ArrayData { Samples.all.first { $0.0 == name }!.1 }

    @Test("validates", arguments: names)
    func validates(_ name: String) throws {
        try Self.sample(name).validate(path: [name])
    }

    @Test("equals itself and a rebuilt copy, not a shorter one", arguments: names)
    func equality(_ name: String) {
        let a = Self.sample(name), b = Self.sample(name)
        #expect(a.logicallyEquals(b))
        if a.length > 1 {
            #expect(!a.logicallyEquals(a.slice(0..<(a.length - 1))))
        }
    }

    @Test("every slice validates, keeps values and null counts", arguments: names)
    func slicing(_ name: String) throws {
        let a = Self.sample(name)
        for start in 0...a.length {
            for end in start...a.length {
                let s = a.slice(start..<end)
                try s.validate(path: [name])
                #expect(s.length == end - start)
                for i in 0..<s.length {
                    #expect(s.formatValue(at: i) == a.formatValue(at: start + i))
                    #expect(s.isNull(i) == a.isNull(start + i))
                }
                #expect(s.nullCount == (0..<s.length).filter { s.isNull($0) }.count)
                #expect(s.logicallyEquals(a.slice(start..<end)))
                // Slicing shares the buffers.
                for (x, y) in zip(s.buffers, a.buffers) { #expect(x.isIdentical(to: y)) }
            }
        }
    }

    @Test func formatsValuesLikePyarrow() {
        let expected: [String: [String]] = [
            "bool": ["true", "null", "false", "true"],
            "decimal128": ["1.23", "null", "-45.60"],
            "decimal256": ["-0.5", "null"],
            "date32": ["1970-01-01", "2022-01-08", "null"],
            "date64": ["1970-01-02", "null"],
            "time32": ["01:02:03", "null"],
            "time64": ["01:02:03.000001", "null"],
            "timestamp": ["2023-11-14 22:13:20.123Z", "null"],
            "utf8_view": ["short", "null", "a string longer than twelve bytes"],
            "binary": ["0102", "null", ""],
            "list": ["[1, 2]", "null", "[]", "[3]"],
            "list_view": ["[1, 2]", "null", "[]", "[3]"],
            "fixed_size_list": ["[1, 2]", "null", "[5, 6]"],
            "struct": ["{a: 1, b: \"x\"}", "null", "{a: 3, b: null}"],
            "map": ["[\"a\": 1, \"b\": 2]", "null", "[]"],
            "sparse_union": ["1", "b", "null"],
            "dense_union": ["7", "q", "8"],
            "dictionary": ["x", "y", "null", "x"],
            "run_end_encoded": ["a", "a", "a", "b", "null"],
        ]
        for (name, values) in expected {
            let a = Self.sample(name)
            #expect((0..<a.length).map { a.formatValue(at: $0) } == values, "\(name)")
        }
    }
}

@Suite("Typed views and builders")
struct TypedViewTests {
    @Test func primitiveFromLiteralsAndSequences() {
        let a: Int64Array = [1, nil, 3]
        #expect(Array(a) == [1, nil, 3])
        #expect(a.nullCount == 1)
        #expect(a.value(at: 2) == 3)
        let b = Float64Array([0.5, 1.5, 2.5] as [Double])
        #expect(b.nullCount == 0 && b.data.validity == nil)
        #expect(b.withUnsafeValues { $0.reduce(0, +) } == 4.5)
        let s = b.slice(1..<3)
        #expect(Array(s) == [1.5, 2.5])
        #expect(s.withUnsafeValues { Array($0) } == [1.5, 2.5])
    }

    @Test func primitiveViewChecksType() throws {
        #expect(throws: ArrowTypeMismatch.self) { try Int32Array(Int64Array([1] as [Int64]).data) }
        #expect(throws: ArrowTypeMismatch.self) { try Int64Array(ArrayData(type: .int64, length: 4, buffers: [Buffer(values: [1] as [Int64])])) }
        // A timestamp array is viewed as Int64.
        let ts = PrimitiveArray<Int64>([1, 2] as [Int64], type: .timestamp(.second, timezone: nil))
        #expect(try Int64Array(ts.data)[1] == 2)
    }

    @Test func builderAppendsInBulkAndResets() {
        var b = PrimitiveBuilder<Int32>()
        b.append(contentsOf: 0..<100)
        b.appendNull()
        b.append(7)
        let first = try! Int32Array(b.finish())
        #expect(first.length == 102 && first.nullCount == 1 && first[100] == nil && first[101] == 7)
        #expect(b.count == 0)
        b.append(1)
        #expect(try! Int32Array(b.finish()).length == 1)
    }

    @Test func booleans() {
        let a: BooleanArray = [true, nil, false, true]
        #expect(Array(a) == [true, nil, false, true])
        #expect(a.trueCount == 2)
        #expect(a.slice(1..<4).trueCount == 1)
    }

    @Test("strings in every layout", arguments: [DataType.utf8, .largeUtf8, .utf8View])
    func strings(_ type: DataType) throws {
        let values: [String?] = ["", "héllo", nil, "a string longer than twelve bytes", "x"]
        let a = StringArray(values, type: type)
        #expect(a.type == type)
        #expect(Array(a) == values)
        try a.data.validate()
        #expect(Array(a.slice(1..<4)) == Array(values[1..<4]))
        #expect(a.utf8(at: 1).array == Array("héllo".utf8))
    }

    @Test("binaries in every layout", arguments: [DataType.binary, .largeBinary])
    func binaries(_ type: DataType) {
        let values: [[UInt8]?] = [[0, 1, 2], nil, [], [255]]
        let a = BinaryArray(values, type: type)
        #expect(Array(a) == values)
        #expect(a.bytes(at: 0).count == 3)
    }

    @Test func binaryViewAndFixedSize() throws {
        var v = StringViewBuilder(text: false)
        v.append("abc"); v.appendNull(); v.append("0123456789abcdefgh")
        let views = try BinaryArray(v.finish())
        #expect(Array(views) == [Array("abc".utf8), nil, Array("0123456789abcdefgh".utf8)])
        var f = FixedSizeBinaryBuilder(byteWidth: 3)
        f.append([1, 2, 3]); f.appendNull()
        let fixed = try BinaryArray(f.finish())
        #expect(Array(fixed) == [[1, 2, 3], nil])
    }

    @Test func listsFromNestedArrays() throws {
        let lists = ListArray([[1, 2], nil, [], [3, nil]] as [[Int64?]?])
        #expect(lists.length == 4 && lists.nullCount == 1)
        #expect(Array(try Int64Array(lists[0]!)) == [1, 2])
        #expect(lists[1] == nil)
        #expect(try Int64Array(lists[2]!).isEmpty)
        #expect(Array(try Int64Array(lists[3]!)) == [3, nil])
        let text = ListArray([["a"], ["b", nil]] as [[String?]?])
        #expect(Array(try StringArray(text[1]!)) == ["b", nil])
        try lists.data.validate()
    }

    @Test func nestedListBuilder() throws {
        var b = ListBuilder(ListBuilder(StringBuilder()))
        b.append { inner in
            inner.append { $0.append("a"); $0.append("b") }
            inner.appendNull()
        }
        b.appendNull()
        let lists = try ListArray(b.finish())
        try lists.data.validate()
        #expect(lists.data.formatValue(at: 0) == "[[\"a\", \"b\"], null]")
        #expect(lists.type == .list(of: .list(of: .utf8)))
    }

    @Test func structsBuiltRowByRow() throws {
        var b = StructBuilder(["id": PrimitiveBuilder<Int64>(), "name": StringBuilder()])
        b.append { row in
            row.child(0, as: PrimitiveBuilder<Int64>.self) { $0.append(1) }
            row.child(1, as: StringBuilder.self) { $0.append("one") }
        }
        b.appendNull()
        let s = try StructArray(b.finish())
        try s.data.validate()
        #expect(s.fields.map(\.name) == ["id", "name"])
        #expect(Array(try Int64Array(s.column(named: "id")!)) == [1, nil])
        #expect(s.nullCount == 1)
        #expect(Array(try StringArray(s.slice(1..<2).column(1))) == [nil])
    }

    @Test func maps() throws {
        let m = try MapArray(Samples.map)
        let (keys, values) = try #require(m[0])
        #expect(Array(try StringArray(keys)) == ["a", "b"])
        #expect(Array(try Int32Array(values)) == [1, 2])
        #expect(m[1] == nil)
        #expect(m[2]?.keys.length == 0)
    }

    @Test func dictionaries() throws {
        let d = DictionaryArray(["red", "green", nil, "red", "red"])
        #expect(Array(d) == [0, 1, nil, 0, 0])
        #expect(Array(try StringArray(d.dictionary)) == ["red", "green"])
        #expect(d.indices.type == .int32)
        try d.data.validate()
        var ints = DictionaryBuilder<UInt8, Int64>()
        for v in [5, 5, 7] as [Int64] { ints.append(v) }
        let e = try DictionaryArray(ints.finish())
        #expect(Array(e) == [0, 0, 1])
        #expect(e.type == .dictionary(index: .uint8, value: .int64, ordered: false))
    }
}
