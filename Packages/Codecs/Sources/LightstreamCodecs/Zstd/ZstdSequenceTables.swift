/// One state of a sequence code decoding table: the value of the state's code before its extra
/// bits, how many extra bits follow, and the next state's baseline and bit count
/// (RFC 8878 sections 3.1.1.3.2.1 and 4.1).
struct ZstdSequenceState: Sendable {
    var baseValue: UInt32
    var nextStateBase: UInt16
    var stateBits: UInt8
    var extraBits: UInt8
}

/// The decoding tables of a frame's three sequence codes (literal lengths, offsets, match
/// lengths), kept across blocks for the repeat mode: one flat array, one region per code.
///
/// Every state's next-state range (`nextStateBase + (1 << stateBits)`) lies inside its table, so
/// a state read from any bits indexes its table safely.
struct ZstdSequenceTables {
    /// The three sequence codes, in the order their modes appear in the block.
    enum Code: Int {
        case literalLength = 0, offset = 1, matchLength = 2

        var maxSymbol: Int {
            switch self {
            case .literalLength: 35
            case .offset: 31
            case .matchLength: 52
            }
        }

        var maxLog: Int { self == .offset ? 8 : 9 }

        var predefined: [ZstdSequenceState] {
            switch self {
            case .literalLength: ZstdSequenceTables.predefinedLiteralLengths
            case .offset: ZstdSequenceTables.predefinedOffsets
            case .matchLength: ZstdSequenceTables.predefinedMatchLengths
            }
        }
    }

    /// The states of one code's region: the most any table has (`1 << 9`).
    static let regionSize = 512

    /// The three regions back to back, in ``Code`` order.
    private(set) var states = [ZstdSequenceState](
        repeating: ZstdSequenceState(baseValue: 0, nextStateBase: 0, stateBits: 0, extraBits: 0), count: 3 * regionSize)
    /// Each region's accuracy log.
    private(set) var accuracyLogs = [0, 0, 0]
    /// Whether each region holds a table yet (a repeat mode needs one).
    private var defined = [false, false, false]

    /// Sets up `code`'s table for `mode` (RFC 8878 section 3.1.1.3.2.1), reading an RLE symbol or a
    /// table description at `p + used`; advances `used` past it.
    mutating func load(
        _ code: Code, mode: Int, _ p: UnsafePointer<UInt8>, available: Int, used: inout Int, at offset: Int
    ) throws(CodecError) {
        let region = code.rawValue * Self.regionSize
        switch mode {
        case 0:
            let predefined = code.predefined
            for (i, state) in predefined.enumerated() { states[region + i] = state }
            accuracyLogs[code.rawValue] = predefined.count.trailingZeroBitCount
        case 1:
            guard available - used >= 1 else { throw CodecError(.truncated, at: offset + used) }
            let symbol = p[used]
            guard Int(symbol) <= code.maxSymbol else {
                throw CodecError(.corrupt("RLE sequence symbol out of range"), at: offset + used)
            }
            used += 1
            states[region] = Self.state(code, symbol: Int(symbol), nextStateBase: 0, stateBits: 0)
            accuracyLogs[code.rawValue] = 0
        case 2:
            let description = try ZstdFSETable.readDescription(
                p + used, count: available - used, at: offset + used, maxSymbol: code.maxSymbol, maxLog: code.maxLog)
            let table = try ZstdFSETable(counts: description.counts, accuracyLog: description.log, at: offset + used)
            for (i, state) in Self.states(of: table, code).enumerated() { states[region + i] = state }
            accuracyLogs[code.rawValue] = table.accuracyLog
            used += description.used
        default:
            guard defined[code.rawValue] else {
                throw CodecError(.corrupt("repeat mode without a previous table"), at: offset + used)
            }
        }
        defined[code.rawValue] = true
    }

    /// The decoding state of `symbol` of `code` with the given next-state fields.
    private static func state(_ code: Code, symbol: Int, nextStateBase: UInt16, stateBits: UInt8) -> ZstdSequenceState {
        let baseValue: Int, extraBits: Int
        switch code {
        case .literalLength:
            baseValue = ZstdDecoder.literalLengthBaselines[symbol]
            extraBits = ZstdDecoder.literalLengthBits[symbol]
        case .offset:
            baseValue = 1 << symbol
            extraBits = symbol
        case .matchLength:
            baseValue = ZstdDecoder.matchLengthBaselines[symbol]
            extraBits = ZstdDecoder.matchLengthBits[symbol]
        }
        return ZstdSequenceState(
            baseValue: UInt32(baseValue), nextStateBase: nextStateBase, stateBits: stateBits,
            extraBits: UInt8(extraBits))
    }

    /// The decoding states of an FSE table whose symbols are codes of `code`.
    private static func states(of table: ZstdFSETable, _ code: Code) -> [ZstdSequenceState] {
        (0..<table.symbols.count).map { i in
            state(code, symbol: Int(table.symbols[i]), nextStateBase: table.baselines[i], stateBits: table.bitCounts[i])
        }
    }

    static let predefinedLiteralLengths = states(of: ZstdFSETable.predefinedLiteralLengths, .literalLength)
    static let predefinedOffsets = states(of: ZstdFSETable.predefinedOffsets, .offset)
    static let predefinedMatchLengths = states(of: ZstdFSETable.predefinedMatchLengths, .matchLength)
}
