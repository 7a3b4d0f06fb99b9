import Testing
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

@Suite("Bitmap")
struct BitmapTests {
    static func randomBools(_ n: Int, seed: UInt64, density: Double = 0.5) -> [Bool] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in Double.random(in: 0..<1, using: &rng) < density }
    }

    @Test("get, slice and count at every bit offset 0...63", arguments: 0...63)
    func sliceAtOffset(_ offset: Int) throws {
        for (n, density) in [(0, 0.5), (1, 0.5), (63, 0.1), (64, 0.9), (200, 0.5), (1031, 0.3)] {
            let model = Self.randomBools(offset + n + 5, seed: UInt64(offset * 1000 + n), density: density)
            let bitmap = Bitmap(model)
            let slice = bitmap.slice(offset..<(offset + n))
            let expected = Array(model[offset..<(offset + n)])
            #expect(Array(slice) == expected)
            #expect(slice.setBitCount == expected.filter { $0 }.count)
            #expect(slice.unsetBitCount == expected.filter { !$0 }.count)
            // The same bits viewed straight from a buffer at a bit offset.
            let (buffer, bitOffset) = bitmap.buffer
            let viewed = try Bitmap(buffer: buffer, bitOffset: bitOffset + offset, count: n)
            #expect(viewed == slice)
            // Realigned copy has the same bits and starts at bit 0.
            let aligned = try Bitmap(buffer: slice.alignedBuffer(), count: n)
            #expect(Array(aligned) == expected)
            if n > 3 {
                #expect(slice.setBitCount(in: 1..<(n - 2)) == expected[1..<(n - 2)].filter { $0 }.count)
            }
        }
    }

    @Test("and, or, xor, not at every bit offset", arguments: 0...63)
    func combinations(_ offset: Int) {
        let n = 300
        let a = Self.randomBools(n + offset, seed: UInt64(offset))
        let b = Self.randomBools(n + 64, seed: UInt64(offset + 99))
        let x = Bitmap(a).slice(offset..<(offset + n))
        let y = Bitmap(b).slice((63 - offset)..<(63 - offset + n))
        let am = Array(a[offset...]), bm = Array(b[(63 - offset)...].prefix(n))
        #expect(Array(x & y) == zip(am, bm).map { $0 && $1 })
        #expect(Array(x | y) == zip(am, bm).map { $0 || $1 })
        #expect(Array(x ^ y) == zip(am, bm).map { $0 != $1 })
        #expect(Array(~x) == am.map { !$0 })
        #expect((x & y).setBitCount == zip(am, bm).filter { $0 && $1 }.count)
    }

    @Test("append and set against a [Bool] model", arguments: [1, 2, 3])
    func appendAndSet(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var bitmap = Bitmap()
        var model: [Bool] = []
        for _ in 0..<2000 {
            let op = Int.random(in: 0..<5, using: &rng)
            switch op {
            case 0:
                let n = Int.random(in: 0..<70, using: &rng), v = Bool.random(using: &rng)
                bitmap.append(repeating: v, count: n)
                model += Array(repeating: v, count: n)
            case 1:
                let other = Self.randomBools(Int.random(in: 0..<130, using: &rng), seed: rng.next())
                let start = other.isEmpty ? 0 : Int.random(in: 0..<other.count, using: &rng)
                bitmap.append(contentsOf: Bitmap(other).slice(start..<other.count))
                model += other[start...]
            case 2 where !model.isEmpty:
                let i = Int.random(in: 0..<model.count, using: &rng), v = Bool.random(using: &rng)
                bitmap[i] = v
                model[i] = v
            default:
                let v = Bool.random(using: &rng)
                bitmap.append(v)
                model.append(v)
            }
        }
        #expect(Array(bitmap) == model, "bits differ")
        #expect(bitmap.setBitCount == model.filter { $0 }.count)
    }

    @Test func mutatingAViewCopiesAndLeavesTheSourceAlone() throws {
        let buffer = Buffer(copying: [0b1010_1010, 0xFF] as [UInt8])
        var bitmap = try Bitmap(buffer: buffer, bitOffset: 1, count: 12)
        bitmap[0] = false
        bitmap.append(true)
        #expect(buffer.array == [0b1010_1010, 0xFF])
        #expect(bitmap.description == "0010101111111")
    }

    @Test("large counts against the model", arguments: [0, 1, 5, 8, 63])
    func largeCounts(_ offset: Int) {
        let model = Self.randomBools(100_003 + offset, seed: UInt64(offset) + 7, density: 0.7)
        let bitmap = Bitmap(model).slice(offset..<model.count)
        #expect(bitmap.setBitCount == model[offset...].filter { $0 }.count)
        #expect(bitmap.setBitCount(in: 17..<90_017) == model[(offset + 17)..<(offset + 90_017)].filter { $0 }.count)
        #expect(Bitmap(repeating: true, count: 100_000).setBitCount == 100_000)
    }

    @Test func copyOnWriteBetweenValues() {
        var a: Bitmap = [true, false, true]
        let b = a
        a[1] = true
        #expect(a.description == "111")
        #expect(b.description == "101")
    }

    @Test func viewRejectsShortBuffer() {
        #expect(throws: BufferError.self) { try Bitmap(buffer: Buffer(copying: [1] as [UInt8]), bitOffset: 3, count: 6) }
    }

    @Test func repeatingAndPadding() {
        let ones = Bitmap(repeating: true, count: 13)
        #expect(ones.setBitCount == 13)
        #expect(ones.alignedBuffer().array == [0xFF, 0x1F])
        #expect(Bitmap(repeating: false, count: 70).setBitCount == 0)
    }
}
