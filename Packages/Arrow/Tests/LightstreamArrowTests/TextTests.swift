import Testing
import LightstreamArrow

@Suite("ArrowText")
struct TextTests {
    func valid(_ values: [[UInt8]], large: Bool) -> Bool {
        let data = values.flatMap { $0 }
        var cuts = [0]
        for value in values { cuts.append(cuts.last! + value.count) }
        var offsets: [UInt8] = []
        for cut in cuts {
            if large {
                withUnsafeBytes(of: Int64(cut).littleEndian) { offsets += $0 }
            } else {
                withUnsafeBytes(of: Int32(cut).littleEndian) { offsets += $0 }
            }
        }
        return data.withUnsafeBytes { d in
            offsets.withUnsafeBytes { ArrowText.isValidUTF8(data: d, offsets: $0, count: values.count, large: large) }
        }
    }

    @Test(arguments: [false, true])
    func utf8OfOffsetsAndData(large: Bool) {
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        #expect(valid([], large: large))
        #expect(valid([Array("abc".utf8), [], euro, Array("é".utf8)], large: large))
        // A character split across two values: the bytes as a whole are valid UTF-8.
        #expect(!valid([Array(euro.prefix(1)), Array(euro.dropFirst())], large: large))
        #expect(!valid([Array("a".utf8), [0xFF]], large: large))
        #expect(!valid([[0xC3]], large: large))
    }

    @Test func offsetOutsideData() {
        let data: [UInt8] = Array("abc".utf8)
        let offsets: [Int32] = [0, 4]
        let ok = data.withUnsafeBytes { d in offsets.withUnsafeBytes { ArrowText.isValidUTF8(data: d, offsets: $0, count: 1, large: false) } }
        #expect(!ok)
    }
}

@Suite("ArrowBase64")
struct Base64Tests {
    /// RFC 4648 section 10.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test func rfc4648Vectors() {
        for (plain, encoded) in Self.vectors {
            #expect(ArrowBase64.encode(Array(plain.utf8)) == encoded)
            #expect(ArrowBase64.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test func allByteValuesRoundTrip() {
        let bytes = (0...255).map { UInt8($0) } + [0xFF, 0xFE]
        #expect(ArrowBase64.decode(ArrowBase64.encode(bytes)) == bytes)
    }

    @Test(arguments: ["Zg", "Zg=", "Z===", "Zg==Zg==", "Zm9v\n", "Zm-v", "=Zm9"])
    func rejectsUnpaddedOrForeignText(_ text: String) {
        #expect(ArrowBase64.decode(text) == nil)
    }
}

@Suite("ByteStringInterner")
struct ByteStringInternerTests {
    @Test func idsInFirstSeenOrderAndValuesLayout() throws {
        var interner = ByteStringInterner<Int32>()
        let words = ["b", "", "a", "b", "a longer value than eight bytes", "", "a", "a longer value than eight bytez"]
        let ids = words.map { word in Array(word.utf8).withUnsafeBytes { interner.intern($0)! } }
        #expect(ids == [0, 1, 2, 0, 3, 1, 2, 4])
        #expect(interner.count == 5)
        let values = interner.values(as: .utf8)
        #expect(values.length == 5)
        let offsets = try values.buffers[0].withUnsafeBufferPointer(as: Int32.self) { Array($0.prefix(6)) }
        #expect(offsets == [0, 1, 1, 2, 33, 64])
        try values.validate()
    }

    @Test func growsPastManyValues() {
        var interner = ByteStringInterner<Int64>()
        for round in 0..<2 {
            for i in 0..<10_000 {
                let id = Array("value \(i)".utf8).withUnsafeBytes { interner.intern($0) }
                if id != Int32(i) { Issue.record("round \(round): value \(i) got id \(String(describing: id))") }
            }
        }
        #expect(interner.count == 10_000)
        #expect(interner.offsets.count == 10_001)
    }
}

@Suite("Decimal and date text")
struct DecimalAndDateTextTests {
    @Test func decimals() {
        #expect(ArrowText.decimal(12345, scale: 2) == "123.45")
        #expect(ArrowText.decimal(-12345, scale: 5) == "-0.12345")
        #expect(ArrowText.decimal(-5, scale: 3) == "-0.005")
        #expect(ArrowText.decimal(12, scale: -2) == "1200")
        #expect(ArrowText.decimal(-7, scale: 0) == "-7")
    }

    @Test func isoDates() {
        #expect(ArrowCalendar.isoDate(daysSinceEpoch: 0) == "1970-01-01")
        #expect(ArrowCalendar.isoDate(daysSinceEpoch: -1) == "1969-12-31")
        #expect(ArrowCalendar.isoDate(daysSinceEpoch: 11_016) == "2000-02-29")
    }
}
