import Vec64

/// The distinct fixed-width values of a column chunk, in order of first appearance, with an
/// open-addressing hash table from value to id: the dictionary page of INT32, INT64, FLOAT,
/// DOUBLE and FIXED_LEN_BYTE_ARRAY columns. Values are compared by their bytes (so NaNs with
/// the same bits are one entry, and -0.0 and +0.0 are two, as in Arrow C++).
struct FixedWidthDictionary {
    /// The byte width of a value.
    let width: Int
    /// The distinct values, back to back (PLAIN encoding of the dictionary page).
    private(set) var values: Vec64<UInt8>
    /// The number of distinct values.
    private(set) var count = 0
    /// Slot -> id + 1 (0 = empty).
    private var slots: Vec64<Int32>
    private var mask: Int

    init(width: Int) {
        self.width = width
        values = Vec64()
        slots = Vec64(zeroedCount: 1024)
        mask = 1023
    }

    /// The PLAIN bytes of the dictionary page.
    var byteCount: Int { count * width }

    @inline(__always)
    private static func mix(_ x: UInt64) -> Int {
        var h = x &* 0x9E37_79B9_7F4A_7C15
        h ^= h &>> 29
        return Int(truncatingIfNeeded: h)
    }

    @inline(__always)
    private func hash(_ p: UnsafeRawPointer) -> Int {
        switch width {
        case 4: return Self.mix(UInt64(p.loadUnaligned(as: UInt32.self)))
        case 8: return Self.mix(p.loadUnaligned(as: UInt64.self))
        default:
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            var i = 0
            while i + 8 <= width {
                h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                i += 8
            }
            while i < width {
                h = (h ^ UInt64(p.load(fromByteOffset: i, as: UInt8.self))) &* 0x0000_0100_0000_01B3
                i += 1
            }
            return Self.mix(h)
        }
    }

    /// Appends the id of each of the `n` values at `p` (back to back) to `ids`, adding new values.
    mutating func intern(_ p: UnsafeRawPointer, count n: Int, ids: inout Vec64<Int32>) {
        ids.reserveCapacity(ids.count + n)
        for i in 0..<n {
            ids.append(intern(p + i * width))
        }
    }

    /// The id of the value at `p`, added if new.
    @inline(__always)
    mutating func intern(_ p: UnsafeRawPointer) -> Int32 {
        var slot = hash(p) & mask
        let w = width
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            let id = entry - 1
            let equal = values.withUnsafeBytes { v -> Bool in
                switch w {
                case 4: return v.loadUnaligned(fromByteOffset: id * 4, as: UInt32.self) == p.loadUnaligned(as: UInt32.self)
                case 8: return v.loadUnaligned(fromByteOffset: id * 8, as: UInt64.self) == p.loadUnaligned(as: UInt64.self)
                default: return memcmp(v.baseAddress! + id * w, p, w) == 0
                }
            }
            if equal { return Int32(id) }
            slot = (slot + 1) & mask
        }
        let id = count
        values.append(contentsOf: UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: w))
        count += 1
        slots[slot] = Int32(id + 1)
        if count * 2 > slots.count { grow() }
        return Int32(id)
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = Vec64<Int32>(zeroedCount: size)
        let freshMask = size - 1
        values.withUnsafeBytes { v in
            fresh.withUnsafeMutableBufferPointer { s in
                for id in 0..<count {
                    var slot = hash(v.baseAddress! + id * width) & freshMask
                    while s[slot] != 0 { slot = (slot + 1) & freshMask }
                    s[slot] = Int32(id + 1)
                }
            }
        }
        slots = fresh
        mask = freshMask
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
