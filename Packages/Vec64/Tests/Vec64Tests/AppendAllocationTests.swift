import Testing
import Vec64

/// Appends must reallocate O(log n) times, not once per append. Counted by watching the storage
/// address change (a global allocation counter would see other tests running in parallel).
@Suite("Amortised growth")
struct AppendAllocationTests {
    static func address(_ bitmap: Bitmap) -> UInt {
        bitmap.buffer.buffer.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
    }

    @Test func bitmapAppendReallocatesLogarithmically() {
        var bitmap = Bitmap()
        var moves = 0
        var last = Self.address(bitmap)
        for i in 0..<100_000 {
            bitmap.append(i % 3 == 0)
            let now = Self.address(bitmap)
            if now != last { moves += 1; last = now }
        }
        #expect(moves < 40, "\(moves) reallocations for 100000 appends")
        #expect(bitmap.setBitCount == 33_334)
    }

    @Test func vec64AppendReallocatesLogarithmically() {
        var v = Vec64<Int32>()
        var moves = 0
        var last = v.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        for i in 0..<100_000 {
            v.append(Int32(i))
            let now = v.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
            if now != last { moves += 1; last = now }
        }
        #expect(moves < 40, "\(moves) reallocations for 100000 appends")
        #expect(v.count == 100_000 && v[99_999] == 99_999)
    }
}
