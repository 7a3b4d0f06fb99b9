/// FSE encoding: normalizes symbol frequencies, writes table descriptions and maps
/// (symbol, next state) to the state that precedes it, so symbols can be encoded backwards.
struct ZstdFSEEncoder {
    let table: ZstdFSETable
    /// `steps[symbol << log | nextState]`: the state decoding `symbol` whose update reaches
    /// `nextState`, as `state | bitCount << 10 | bits << 14` with the bits that update reads.
    private let steps: [UInt32]
    /// One state per symbol to end a chain with (the one reading the most bits).
    private let lastStates: [UInt16]

    init(table: ZstdFSETable, symbolCount: Int) {
        self.table = table
        let log = table.accuracyLog
        let size = 1 << log
        var steps = [UInt32](repeating: 0, count: symbolCount << log)
        var lastStates = [UInt16](repeating: 0, count: symbolCount)
        var lastBits = [Int](repeating: -1, count: symbolCount)
        for state in 0..<size {
            let s = Int(table.symbols[state])
            let n = Int(table.bitCounts[state])
            let base = Int(table.baselines[state])
            for t in base..<(base + (1 << n)) where t < size {
                steps[s << log | t] = UInt32(state | n << 10 | (t - base) << 14)
            }
            if n > lastBits[s] {
                lastBits[s] = n
                lastStates[s] = UInt16(state)
            }
        }
        self.steps = steps
        self.lastStates = lastStates
    }

    @inline(__always) func lastState(for symbol: Int) -> Int { Int(lastStates[symbol]) }

    /// The state emitting `symbol` whose update leads to `next`, and the bits that update reads.
    @inline(__always)
    func step(symbol: Int, next: Int) -> (state: Int, bits: Int, count: Int) {
        Self.step(steps[symbol << table.accuracyLog | next])
    }

    /// Calls `body` with a stepper over this encoder's steps (no bounds checks: symbols and states
    /// must be valid).
    func withStepper<R>(_ body: (Stepper) -> R) -> R {
        steps.withUnsafeBufferPointer { body(Stepper(steps: $0.baseAddress!, log: table.accuracyLog)) }
    }

    /// ``step(symbol:next:)`` over borrowed memory, for encoding loops.
    struct Stepper {
        let steps: UnsafePointer<UInt32>
        let log: Int

        @inline(__always)
        func step(symbol: Int, next: Int) -> (state: Int, bits: Int, count: Int) {
            ZstdFSEEncoder.step(steps[symbol &<< log | next])
        }
    }

    @inline(__always)
    private static func step(_ entry: UInt32) -> (state: Int, bits: Int, count: Int) {
        let e = Int(entry)
        return (e & 0x3FF, e &>> 14, (e &>> 10) & 0xF)
    }

    /// Scales `frequencies` (at least two nonzero) to sum to `1 << log`, every used symbol at least 1.
    static func normalize(_ frequencies: [Int], log: Int) -> [Int16] {
        let total = frequencies.reduce(0, +)
        let scale = 1 << log
        var counts = frequencies.map { f -> Int in f == 0 ? 0 : max(1, (f * scale + total / 2) / total) }
        var sum = counts.reduce(0, +)
        while sum != scale {
            // Adjust the largest count: it absorbs rounding with the least relative distortion.
            var largest = 0
            for i in counts.indices where counts[i] > counts[largest] { largest = i }
            if sum < scale {
                counts[largest] += scale - sum
                sum = scale
            } else {
                let take = min(sum - scale, counts[largest] - 1)
                if take > 0 {
                    counts[largest] -= take
                    sum -= take
                } else {
                    // Every count is 1 where it could be lowered: lower any above 1.
                    for i in counts.indices where counts[i] > 1 && sum > scale {
                        counts[i] -= 1
                        sum -= 1
                    }
                }
            }
        }
        // Trim trailing zeros: a description ends at the last used symbol.
        while let last = counts.last, last == 0 { counts.removeLast() }
        return counts.map { Int16($0) }
    }

    /// Writes the FSE table description of `counts` (no "less than 1" probabilities).
    static func writeDescription(_ counts: [Int16], log: Int, into out: inout [UInt8]) {
        // 4 bits, then at most log + 2 bits per count and 2 bits per 3 zero counts.
        out += ZstdBitWriter.bytes(capacity: 2 * counts.count + 8) { writer in
            writer.write(log - 5, 4)
            let size = 1 << log
            var distributed = 0
            var s = 0
            while s < counts.count && distributed < size {
                let count = Int(counts[s])
                let maxValue = size - distributed + 1
                let width = Int.bitWidth - maxValue.leadingZeroBitCount
                let lowCount = (1 << width) - 1 - maxValue
                let half = 1 << (width - 1)
                let value = count + 1
                if value < lowCount {
                    writer.write(value, width - 1)
                } else if value < half {
                    writer.write(value, width)
                } else {
                    writer.write(value + lowCount, width)
                }
                distributed += count
                s += 1
                if count == 0 {
                    var run = 0
                    while s + run < counts.count && counts[s + run] == 0 { run += 1 }
                    s += run
                    while run >= 3 {
                        writer.write(3, 2)
                        run -= 3
                    }
                    writer.write(run, 2)
                }
            }
        }
    }
}
