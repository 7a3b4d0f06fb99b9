import Testing
@testable import LightstreamParquet

/// Runs `body` over a reader of `bytes`; the error, if any, is a `ParquetError`.
private func read<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws(ParquetError) -> T) -> Result<T, ParquetError> {
    bytes.withUnsafeBytes { raw in
        var reader = ThriftCompactReader(raw)
        do throws(ParquetError) {
            return .success(try body(&reader))
        } catch {
            return .failure(error)
        }
    }
}

/// Skips a whole struct, field by field.
private func skipStruct(_ r: inout ThriftCompactReader) throws(ParquetError) {
    try r.readStruct { r, f throws(ParquetError) in try r.skip(f.type) }
}

private func kind<T>(_ result: Result<T, ParquetError>) -> String? {
    if case .failure(let error) = result { return error.kind.name }
    return nil
}

@Suite("Thrift compact reader")
struct ThriftCompactReaderTests {
    /// A struct with a field of every type, written by `ThriftWriter`.
    static func everyType() -> [UInt8] {
        var w = ThriftWriter()
        w.structValue { w in
            w.bool(1, true)
            w.bool(2, false)
            w.byte(3, -5)
            w.i16(4, -300)
            w.i32(5, 70_000)
            w.i64(6, -(1 << 40))
            w.double(7, 2.5)
            w.string(8, "héllo")
            w.list(9, .i32, count: 3)
            for v: Int64 in [1, -2, 3] { w.zigzag(v) }
            w.list(10, .i64, count: 2, type: .set)
            for v: Int64 in [Int64.max, Int64.min] { w.zigzag(v) }
            w.field(11, .map)
            w.varint(2)
            w.bytes.append(ThriftType.binary.rawValue << 4 | ThriftType.i32.rawValue)
            w.binaryValue([0x61]); w.zigzag(1)
            w.binaryValue([0x62]); w.zigzag(2)
            w.structField(12) { w in w.i32(1, 42) }
        }
        return w.bytes
    }

    @Test func readsEveryType() throws {
        struct Seen { var bools: [Bool] = []; var byte: Int8 = 0; var i16: Int16 = 0; var i32: Int32 = 0; var i64: Int64 = 0
            var double = 0.0; var string = ""; var list: [Int64] = []; var set: [Int64] = []; var inner: Int32 = 0; var ids: [Int16] = [] }
        let bytes = Self.everyType()
        let result = read(bytes) { (r) throws(ParquetError) -> (Seen, Int) in
            var seen = Seen()
            try r.readStruct { r, f throws(ParquetError) in
                seen.ids.append(f.id)
                switch f.id {
                case 1, 2: seen.bools.append(try r.bool(f))
                case 3: seen.byte = try r.i8(f)
                case 4: seen.i16 = try r.i16(f)
                case 5: seen.i32 = try r.i32(f)
                case 6: seen.i64 = try r.i64(f)
                case 7: seen.double = try r.double(f)
                case 8: seen.string = try r.string(f)
                case 9: seen.list = try r.integerList(f)
                case 10: seen.set = try r.integerList(f)
                case 12: try r.readStruct(f) { r, g throws(ParquetError) in seen.inner = try r.i32(g) }
                default: try r.skip(f.type)
                }
            }
            return (seen, r.position)
        }
        let (seen, end) = try result.get()
        #expect(seen.ids == Array(1...12))
        #expect(seen.bools == [true, false])
        #expect(seen.byte == -5 && seen.i16 == -300 && seen.i32 == 70_000 && seen.i64 == -(1 << 40))
        #expect(seen.double == 2.5 && seen.string == "héllo")
        #expect(seen.list == [1, -2, 3] && seen.set == [Int64.max, Int64.min])
        #expect(seen.inner == 42)
        #expect(end == bytes.count)
    }

    @Test func narrowerIntegersWidenAndWiderOnesAreRefused() {
        var w = ThriftWriter()
        w.structValue { w in w.byte(1, -1); w.i16(2, 7); w.i64(3, 1 << 40); w.i32(4, 1 << 20) }
        let widened = read(w.bytes) { (r) throws(ParquetError) -> [Int64] in
            var out: [Int64] = []
            try r.readStruct { r, f throws(ParquetError) in
                switch f.id {
                case 1: out.append(try r.i64(f))
                case 2: out.append(Int64(try r.i32(f)))
                default: try r.skip(f.type)
                }
            }
            return out
        }
        #expect((try? widened.get()) == [-1, 7])
        // An i64 value read as i32, an i32 value read as i16: corrupt, not truncated or trapped.
        for (id, reader) in [(Int16(3), 0), (Int16(4), 1)] {
            let narrowed = read(w.bytes) { (r) throws(ParquetError) in
                try r.readStruct { r, f throws(ParquetError) in
                    if f.id == id { if reader == 0 { _ = try r.i32(f) } else { _ = try r.i16(f) } } else { try r.skip(f.type) }
                }
            }
            #expect(kind(narrowed) == "corruptMetadata")
        }
        // A field of the wrong type for its reader.
        let wrong = read(w.bytes) { (r) throws(ParquetError) in
            try r.readStruct { r, f throws(ParquetError) in if f.id == 1 { _ = try r.string(f) } else { try r.skip(f.type) } }
        }
        #expect(kind(wrong) == "corruptMetadata")
    }

    @Test func fieldIDDeltasAndLongForm() throws {
        var w = ThriftWriter()
        w.structValue { w in
            w.i32(1, 10)       // delta 1
            w.i32(16, 20)      // delta 15, the largest short form
            w.i32(300, 30)     // long form
            w.i32(301, 40)     // delta from a long-form id
            w.i32(5, 50)       // going back: long form
            w.i32(-3, 60)      // negative ids are long form
            w.i32(Int16.max, 70)
        }
        let ids = try read(w.bytes) { (r) throws(ParquetError) -> [Int16] in
            var ids: [Int16] = []
            try r.readStruct { r, f throws(ParquetError) in ids.append(f.id); _ = try r.i32(f) }
            return ids
        }.get()
        #expect(ids == [1, 16, 300, 301, 5, -3, Int16.max])
        // A long-form id beyond Int16.
        var big = ThriftWriter()
        big.bytes = [ThriftType.i32.rawValue]
        big.zigzag(40_000)
        big.zigzag(1)
        big.stop()
        #expect(kind(read(big.bytes) { (r) throws(ParquetError) in try skipStruct(&r) }) == "corruptMetadata")
    }

    @Test func nestedStructsKeepTheirOwnFieldIDs() throws {
        var w = ThriftWriter()
        w.structValue { w in
            w.i32(3, 1)
            w.structField(4) { w in
                w.i32(10, 2)
                w.structField(11) { w in w.i32(1, 3) }
                w.i32(12, 4)
            }
            w.i32(5, 5)   // delta 1 from the outer struct's 4, not from the inner 12
        }
        let seen = try read(w.bytes) { (r) throws(ParquetError) -> [String] in
            var seen: [String] = []
            func walk(_ r: inout ThriftCompactReader, _ prefix: String) throws(ParquetError) {
                try r.readStruct { r, f throws(ParquetError) in
                    if f.type == .struct { seen.append("\(prefix)\(f.id){"); try walk(&r, "\(prefix)\(f.id).") } else {
                        seen.append("\(prefix)\(f.id)=\(try r.i32(f))")
                    }
                }
            }
            try walk(&r, "")
            return seen
        }.get()
        #expect(seen == ["3=1", "4{", "4.10=2", "4.11{", "4.11.1=3", "4.12=4", "5=5"])
    }

    /// A struct holding an unknown field of every type (with nested containers), then field 99.
    static func unknownFieldsThenKnown() -> [UInt8] {
        var w = ThriftWriter()
        w.structValue { w in
            w.bool(1, true)
            w.bool(2, false)
            w.byte(3, 1)
            w.i16(4, -1)
            w.i32(5, Int32.min)
            w.i64(6, Int64.max)
            w.double(7, -0.0)
            w.binary(8, Array(repeating: 0xAB, count: 20))
            // list<bool>: one byte per element.
            w.list(9, .boolTrue, count: 3)
            w.bytes += [1, 2, 1]
            // set<i64>
            w.list(10, .i64, count: 2, type: .set)
            w.zigzag(-1); w.zigzag(1 << 50)
            // map<string, list<i32>>
            w.field(11, .map)
            w.varint(2)
            w.bytes.append(ThriftType.binary.rawValue << 4 | ThriftType.list.rawValue)
            w.binaryValue([0x6B]); w.listHeader(2, .i32); w.zigzag(1); w.zigzag(2)
            w.binaryValue([]); w.listHeader(0, .i32)
            // an empty map: count 0 and no type byte
            w.field(12, .map)
            w.varint(0)
            // map<bool, double>
            w.field(13, .map)
            w.varint(1)
            w.bytes.append(ThriftType.boolTrue.rawValue << 4 | ThriftType.double.rawValue)
            w.bytes.append(1)
            withUnsafeBytes(of: (1.5).bitPattern.littleEndian) { w.bytes += $0 }
            // list<list<struct>>, 16 outer elements (long count form)
            w.list(14, .list, count: 16)
            for _ in 0..<16 {
                w.listHeader(1, .struct)
                w.structValue { w in w.string(1, "deep"); w.list(2, .double, count: 1); w.bytes += [UInt8](repeating: 0, count: 8) }
            }
            // struct holding a struct holding a map<i32, struct>
            w.structField(15) { w in
                w.structField(1) { w in
                    w.field(2, .map)
                    w.varint(1)
                    w.bytes.append(ThriftType.i32.rawValue << 4 | ThriftType.struct.rawValue)
                    w.zigzag(3)
                    w.structValue { w in w.bool(1, true) }
                }
            }
            // set<binary> in long count form
            w.list(16, .binary, count: 20, type: .set)
            for i in 0..<20 { w.binaryValue([UInt8(i)]) }
            w.i32(99, 12345)
        }
        return w.bytes
    }

    @Test func skipsUnknownFieldsOfEveryType() throws {
        let bytes = Self.unknownFieldsThenKnown()
        let (value, end) = try read(bytes) { (r) throws(ParquetError) -> (Int32?, Int) in
            var value: Int32?
            try r.readStruct { r, f throws(ParquetError) in
                if f.id == 99 { value = try r.i32(f) } else { try r.skip(f.type) }
            }
            return (value, r.position)
        }.get()
        #expect(value == 12345)
        #expect(end == bytes.count)
    }

    @Test func boolFieldsHaveNoBytesButListElementsDo() throws {
        var w = ThriftWriter()
        w.structValue { w in
            w.bool(1, true)
            w.list(2, .boolTrue, count: 4)
            w.bytes += [1, 0, 2, 1]
            w.bool(3, false)
        }
        let (fields, elements) = try read(w.bytes) { (r) throws(ParquetError) -> ([Bool], [Bool]) in
            var fields: [Bool] = [], elements: [Bool] = []
            try r.readStruct { r, f throws(ParquetError) in
                if f.id == 2 {
                    try r.readList(f, elementType: .boolTrue) { r, _ throws(ParquetError) in elements.append(try r.boolElement()) }
                } else {
                    fields.append(try r.bool(f))
                }
            }
            return (fields, elements)
        }.get()
        #expect(fields == [true, false])
        #expect(elements == [true, false, false, true])
        // A list element byte other than 0, 1, 2.
        var bad = ThriftWriter()
        bad.structValue { w in w.list(1, .boolFalse, count: 1); w.bytes.append(7) }
        let result = read(bad.bytes) { (r) throws(ParquetError) in
            try r.readStruct { r, f throws(ParquetError) in
                try r.readList(f, elementType: .boolTrue) { r, _ throws(ParquetError) in _ = try r.boolElement() }
            }
        }
        #expect(kind(result) == "corruptMetadata")
    }

    @Test(arguments: [ThriftType.i32, .binary, .struct, .list, .double, .boolTrue])
    func hugeListClaimsAreLimitExceededBeforeAnyElement(element: ThriftType) {
        // A list header claiming 2^31 elements in 6 bytes, then a few bytes.
        var w = ThriftWriter()
        w.field(1, .list)
        w.listHeader(1 << 31, element)
        w.bytes += [0, 0, 0, 0]
        var elementsRead = 0
        let typed = read(w.bytes) { (r) throws(ParquetError) in
            try r.readStruct { r, f throws(ParquetError) in
                try r.readList(f, elementType: element) { r, _ throws(ParquetError) in elementsRead += 1; try r.skip(element) }
            }
        }
        #expect(kind(typed) == "limitExceeded")
        #expect(elementsRead == 0)
        let skipped = read(w.bytes) { (r) throws(ParquetError) in try skipStruct(&r) }
        #expect(kind(skipped) == "limitExceeded")
        // The same as a set and as a map.
        var m = ThriftWriter()
        m.field(1, .map)
        m.varint(1 << 31)
        m.bytes += [0x55, 0, 0, 0]
        #expect(kind(read(m.bytes) { (r) throws(ParquetError) in try skipStruct(&r) }) == "limitExceeded")
        let stringList = read(w.bytes) { (r) throws(ParquetError) in
            try r.readStruct { r, f throws(ParquetError) in _ = try r.stringList(f) }
        }
        #expect(kind(stringList) != nil)
    }

    @Test func doublesNeedEightBytesEach() {
        var w = ThriftWriter()
        w.structValue { w in w.list(1, .double, count: 3); w.bytes += [UInt8](repeating: 0, count: 17) }
        #expect(kind(read(w.bytes) { (r) throws(ParquetError) in try skipStruct(&r) }) == "limitExceeded")
    }

    @Test func depthBombsAreRefused() {
        // Structs in structs, 10,000 deep: field 1 of type struct, again and again.
        let structs = [UInt8](repeating: 0x1C, count: 10_000)
        #expect(kind(read(structs) { (r) throws(ParquetError) in try skipStruct(&r) }) == "corruptMetadata")
        // Lists of lists: field 1 a list of one list of one list ...
        let lists: [UInt8] = [0x19] + [UInt8](repeating: 0x19, count: 10_000)
        #expect(kind(read(lists) { (r) throws(ParquetError) in try skipStruct(&r) }) == "corruptMetadata")
        // Maps of maps: map<i32, map<i32, ...>>, one entry each.
        var maps: [UInt8] = [0x1B]
        for _ in 0..<5_000 { maps += [0x01, 0x5B, 0x02] }
        #expect(kind(read(maps) { (r) throws(ParquetError) in try skipStruct(&r) }) == "corruptMetadata")
        // A footer made of nested structs fails the same way.
        #expect(kind(read(structs) { (r) throws(ParquetError) in try ParquetFileMetadata(thrift: r.bytes) }) == "corruptMetadata")
        // Exactly the maximum depth reads.
        let deepest = [UInt8](repeating: 0x1C, count: ThriftCompactReader.maximumDepth - 1) + [UInt8](repeating: 0, count: ThriftCompactReader.maximumDepth)
        #expect(kind(read(deepest) { (r) throws(ParquetError) in try skipStruct(&r) }) == nil)
    }

    @Test func everyTruncationIsAnError() {
        for bytes in [Self.everyType(), Self.unknownFieldsThenKnown(), TinyParquet().bytes.dropFirst(0).map { $0 }] {
            let whole: [UInt8]
            if bytes.starts(with: Array("PAR1".utf8)) {
                // The footer of the tiny file.
                let length = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
                whole = Array(bytes[(bytes.count - 8 - length)..<(bytes.count - 8)])
                #expect(kind(read(whole) { (r) throws(ParquetError) in try ParquetFileMetadata(thrift: r.bytes) }) == nil)
                for cut in 0..<whole.count {
                    let result = read(Array(whole[..<cut])) { (r) throws(ParquetError) in try ParquetFileMetadata(thrift: r.bytes) }
                    #expect(kind(result) != nil, "footer cut at \(cut)")
                }
                continue
            }
            whole = bytes
            #expect(kind(read(whole) { (r) throws(ParquetError) in try skipStruct(&r) }) == nil)
            for cut in 0..<whole.count {
                let result = read(Array(whole[..<cut])) { (r) throws(ParquetError) in try skipStruct(&r) }
                #expect(kind(result) != nil, "cut at \(cut)")
            }
        }
    }

    @Test func varintLimits() {
        func varint(_ bytes: [UInt8]) -> Result<UInt64, ParquetError> { read(bytes) { (r) throws(ParquetError) in try r.varint() } }
        #expect((try? varint([0x7F]).get()) == 127)
        #expect((try? varint([UInt8](repeating: 0xFF, count: 9) + [0x01]).get()) == UInt64.max)
        #expect(kind(varint([UInt8](repeating: 0xFF, count: 9) + [0x02])) == "corruptMetadata")
        #expect(kind(varint([UInt8](repeating: 0x80, count: 10) + [0x00])) == "corruptMetadata")
        #expect(kind(varint([UInt8](repeating: 0xFF, count: 40))) == "corruptMetadata")
        #expect(kind(varint([0x80, 0x80])) == "truncated")
        #expect(kind(varint([])) == "truncated")
        // A binary length beyond the bytes left.
        let binary = read([0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x41]) { (r) throws(ParquetError) in try skipStruct(&r) }
        #expect(kind(binary) == "truncated")
    }

    @Test func unknownTypesAndStopsWhereValuesBelongAreCorrupt() {
        // Type nibble 13, 14, 15 in a field header.
        for type: UInt8 in [13, 14, 15] {
            #expect(kind(read([0x10 | type, 0]) { (r) throws(ParquetError) in try skipStruct(&r) }) == "corruptMetadata")
        }
        // A list of stop elements, a list of type 13, a map with a stop key type.
        #expect(kind(read([0x19, 0x10, 0]) { (r) throws(ParquetError) in try skipStruct(&r) }) == "corruptMetadata")
        #expect(kind(read([0x19, 0x1D, 0]) { (r) throws(ParquetError) in try skipStruct(&r) }) == "corruptMetadata")
        #expect(kind(read([0x1B, 0x01, 0x05, 0, 0]) { (r) throws(ParquetError) in try skipStruct(&r) }) == "corruptMetadata")
    }

    @Test func pageHeadersRefuseNegativeSizesAndCounts() {
        func header(_ body: (inout ThriftWriter) -> Void) -> Result<ParquetPageHeader, ParquetError> {
            var w = ThriftWriter()
            w.structValue(body)
            return read(w.bytes) { (r) throws(ParquetError) in try ParquetPageHeader(reading: &r) }
        }
        #expect(kind(header { w in w.i32(1, 0); w.i32(2, -1); w.i32(3, 4) }) == "corruptMetadata")
        #expect(kind(header { w in w.i32(1, 0); w.i32(2, 4); w.i32(3, Int32.min) }) == "corruptMetadata")
        #expect(kind(header { w in w.i32(1, 0); w.i32(2, 4) }) == "corruptMetadata")
        #expect(kind(header { w in
            w.i32(1, 0); w.i32(2, 4); w.i32(3, 4)
            w.structField(5) { w in w.i32(1, -5); w.i32(2, 0) }
        }) == "corruptMetadata")
        #expect(kind(header { w in
            w.i32(1, 3); w.i32(2, 4); w.i32(3, 4)
            w.structField(8) { w in w.i32(1, 1); w.i32(2, 0); w.i32(3, 1); w.i32(4, 0); w.i32(5, -1); w.i32(6, 0) }
        }) == "corruptMetadata")
        #expect(kind(header { w in
            w.i32(1, 2); w.i32(2, 4); w.i32(3, 4)
            w.structField(7) { w in w.i32(1, -1) }
        }) == "corruptMetadata")
    }
}
