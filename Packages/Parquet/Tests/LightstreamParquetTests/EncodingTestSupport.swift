import Vec64
@testable import LightstreamParquet

/// A small seeded generator so random tests are reproducible.
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

extension Vec64 {
    /// The elements as an array.
    var array: [Element] { withUnsafeBufferPointer { Array($0) } }
}

/// Byte strings as Arrow offsets + data.
func offsetsAndData(_ values: [[UInt8]]) -> (offsets: [Int32], data: [UInt8]) {
    var offsets: [Int32] = [0]
    var data: [UInt8] = []
    for v in values {
        data += v
        offsets.append(Int32(data.count))
    }
    return (offsets, data)
}

/// Splits Arrow offsets + data back into byte strings.
func values<O: FixedWidthInteger>(offsets: [O], data: [UInt8]) -> [[UInt8]] {
    guard offsets.count > 1 else { return [] }
    return (0..<(offsets.count - 1)).map { Array(data[Int(offsets[$0])..<Int(offsets[$0 + 1])]) }
}

/// Random byte strings drawn from a small alphabet, so neighbours share prefixes.
func randomStrings(_ count: Int, maxLength: Int, using rng: inout SplitMix64) -> [[UInt8]] {
    var previous: [UInt8] = []
    return (0..<count).map { _ in
        var v: [UInt8]
        if !previous.isEmpty && Bool.random(using: &rng) {
            v = Array(previous.prefix(Int.random(in: 0...previous.count, using: &rng)))
        } else {
            v = []
        }
        let extra = Int.random(in: 0...maxLength, using: &rng)
        for _ in 0..<extra { v.append(UInt8.random(in: 97...100, using: &rng)) }
        previous = v
        return v
    }
}

/// Calls `body` with each truncation of `bytes` (every prefix) and with `flips` copies that have
/// one random byte replaced; `body` must throw a `ParquetError` or return normally.
func mutations(of bytes: [UInt8], flips: Int, seed: UInt64, _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> Void) {
    for length in 0...bytes.count {
        let prefix = Array(bytes.prefix(length))
        prefix.withUnsafeBytes { raw in
            do throws(ParquetError) { try body(raw) } catch { _ = error.description }
        }
    }
    var rng = SplitMix64(seed: seed)
    for _ in 0..<flips where !bytes.isEmpty {
        var copy = bytes
        let k = Int.random(in: 0..<copy.count, using: &rng)
        copy[k] = UInt8.random(in: 0...255, using: &rng)
        if Bool.random(using: &rng) { copy[Int.random(in: 0..<copy.count, using: &rng)] ^= 0x80 }
        copy.withUnsafeBytes { raw in
            do throws(ParquetError) { try body(raw) } catch { _ = error.description }
        }
    }
}
