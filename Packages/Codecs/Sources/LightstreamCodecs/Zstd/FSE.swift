/// A Finite State Entropy decoding table: per state, the symbol, the bits to read and the
/// baseline of the next state (RFC 8878 section 4.1).
struct ZstdFSETable: Sendable {
    var symbols: [UInt8]
    var bitCounts: [UInt8]
    var baselines: [UInt16]
    var accuracyLog: Int

    /// A one-symbol table (RLE mode): every state decodes `symbol` and reads no bits.
    init(rle symbol: UInt8) {
        symbols = [symbol]
        bitCounts = [0]
        baselines = [0]
        accuracyLog = 0
    }

    /// Builds the table of a normalized distribution (`-1` = "less than 1") summing to `1 << log`.
    init(counts: [Int16], accuracyLog log: Int, at offset: Int) throws(CodecError) {
        let size = 1 << log
        var symbols = [UInt8](repeating: 0, count: size)
        var next = [Int](repeating: 0, count: counts.count)
        var high = size - 1
        var total = 0
        for (s, c) in counts.enumerated() {
            if c == -1 {
                guard high >= 0 else { throw CodecError(.corrupt("FSE distribution overflows its table"), at: offset) }
                symbols[high] = UInt8(truncatingIfNeeded: s)
                high -= 1
                next[s] = 1
                total += 1
            } else {
                guard c >= 0 else { throw CodecError(.corrupt("bad FSE probability"), at: offset) }
                next[s] = Int(c)
                total += Int(c)
            }
        }
        guard total == size else { throw CodecError(.corrupt("FSE distribution does not fill its table"), at: offset) }
        let step = (size >> 1) + (size >> 3) + 3
        let mask = size - 1
        var position = 0
        for (s, c) in counts.enumerated() where c > 0 {
            for _ in 0..<Int(c) {
                symbols[position] = UInt8(truncatingIfNeeded: s)
                repeat { position = (position + step) & mask } while position > high
            }
        }
        guard position == 0 else { throw CodecError(.corrupt("FSE spread did not close"), at: offset) }
        var bitCounts = [UInt8](repeating: 0, count: size)
        var baselines = [UInt16](repeating: 0, count: size)
        for state in 0..<size {
            let s = Int(symbols[state])
            let nextState = next[s]
            next[s] += 1
            let highBit = Int.bitWidth - 1 - nextState.leadingZeroBitCount
            let n = log - highBit
            bitCounts[state] = UInt8(n)
            baselines[state] = UInt16(truncatingIfNeeded: (nextState << n) - size)
        }
        self.symbols = symbols
        self.bitCounts = bitCounts
        self.baselines = baselines
        self.accuracyLog = log
    }

    /// Reads an FSE table description (RFC 8878 section 4.1.1) from `bytes`; returns the
    /// normalized counts, the accuracy log and the bytes used.
    static func readDescription(
        _ bytes: UnsafePointer<UInt8>, count: Int, at offset: Int, maxSymbol: Int, maxLog: Int
    ) throws(CodecError) -> (counts: [Int16], log: Int, used: Int) {
        var reader = ZstdForwardBitReader(bytes, count: count, at: offset)
        let log = try reader.read(4) + 5
        guard log <= maxLog else { throw CodecError(.corrupt("FSE accuracy log \(log) too large"), at: offset) }
        let size = 1 << log
        var counts: [Int16] = []
        var distributed = 0
        while distributed < size {
            guard counts.count <= maxSymbol else {
                throw CodecError(.corrupt("FSE description has too many symbols"), at: offset)
            }
            let maxValue = size - distributed + 1
            let width = Int.bitWidth - maxValue.leadingZeroBitCount
            let lowCount = (1 << width) - 1 - maxValue
            let half = 1 << (width - 1)
            var value = try reader.read(width - 1)
            if value >= lowCount {
                if try reader.read(1) == 1 { value += half - lowCount }
            }
            let probability = value - 1
            counts.append(Int16(probability))
            distributed += probability == -1 ? 1 : probability
            if probability == 0 {
                while true {
                    let repeats = try reader.read(2)
                    for _ in 0..<repeats { counts.append(0) }
                    guard counts.count <= maxSymbol + 1 else {
                        throw CodecError(.corrupt("FSE description has too many symbols"), at: offset)
                    }
                    if repeats != 3 { break }
                }
            }
        }
        guard distributed == size else { throw CodecError(.corrupt("FSE description overflows"), at: offset) }
        return (counts, log, reader.bytesConsumed)
    }

    static let literalLengthCounts: [Int16] = [
        4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1,
        -1, -1, -1, -1,
    ]
    static let matchLengthCounts: [Int16] = [
        1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
    ]
    static let offsetCounts: [Int16] = [
        1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
    ]

    // The predefined distributions are valid, so building them cannot fail.
    static let predefinedLiteralLengths = try! ZstdFSETable(counts: literalLengthCounts, accuracyLog: 6, at: 0)
    static let predefinedMatchLengths = try! ZstdFSETable(counts: matchLengthCounts, accuracyLog: 6, at: 0)
    static let predefinedOffsets = try! ZstdFSETable(counts: offsetCounts, accuracyLog: 5, at: 0)
}
