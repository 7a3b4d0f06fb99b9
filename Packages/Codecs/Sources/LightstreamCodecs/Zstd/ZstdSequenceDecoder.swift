/// One decoded sequence before execution: its lengths and its raw offset value (1...3 are repeat
/// codes, resolved when the sequence is executed).
struct ZstdSequence {
    var literalLength: UInt32
    var matchLength: UInt32
    var offsetValue: UInt32
}

/// Decodes sequences from a block's backward bitstream with the three code tables (RFC 8878
/// section 3.1.1.3.2.2): per sequence the offset, match length and literal length extra bits,
/// then the literal length, match length and offset state updates.
///
/// Tables come from ``ZstdSequenceTables``: any state read from any bits indexes them safely, so a
/// corrupt stream yields garbage sequences (the executor checks each) and an inexact end, never
/// an out-of-bounds read.
struct ZstdSequenceDecoder {
    private var reader: ZstdBackwardBitReader
    private let literalLengths: UnsafePointer<ZstdSequenceState>
    private let offsets: UnsafePointer<ZstdSequenceState>
    private let matchLengths: UnsafePointer<ZstdSequenceState>
    private var literalLengthState: Int
    private var offsetState: Int
    private var matchLengthState: Int

    /// Starts on `reader` with the tables of ``ZstdSequenceTables/states`` at `states`; reads the initial states.
    init(_ reader: ZstdBackwardBitReader, states: UnsafePointer<ZstdSequenceState>, accuracyLogs: [Int]) {
        self.reader = reader
        literalLengths = states
        offsets = states + ZstdSequenceTables.regionSize
        matchLengths = offsets + ZstdSequenceTables.regionSize
        literalLengthState = self.reader.read(accuracyLogs[0])
        offsetState = self.reader.read(accuracyLogs[1])
        matchLengthState = self.reader.read(accuracyLogs[2])
    }

    /// Whether the stream has been read exactly to its start.
    var isFullyConsumed: Bool { reader.isFullyConsumed }

    /// Decodes `count` sequences into `destination`; the block's last sequence is decoded with
    /// `isLast`, which skips the state updates.
    mutating func decode(_ count: Int, into destination: UnsafeMutablePointer<ZstdSequence>, endingBlock isLast: Bool) {
        // A local copy keeps the state in registers through the loop.
        var decoder = self
        defer { self = decoder }
        let updating = isLast ? count - 1 : count
        for i in 0..<updating { destination[i] = decoder.next(updatingStates: true) }
        if updating < count { destination[updating] = decoder.next(updatingStates: false) }
    }

    /// Decodes one sequence. After a reload at least 57 bits are at hand: offset (at most 31) and
    /// match length (16) extra bits, then, after another reload when the three extras are long,
    /// literal length (16) and state (9 + 8 + 9) bits.
    @inline(__always)
    private mutating func next(updatingStates: Bool) -> ZstdSequence {
        reader.reload()
        let offset = offsets[offsetState], matchLength = matchLengths[matchLengthState]
        let literalLength = literalLengths[literalLengthState]
        let offsetBits = Int(offset.extraBits), matchLengthBits = Int(matchLength.extraBits)
        let literalLengthBits = Int(literalLength.extraBits)
        let offsetValue = offset.baseValue &+ UInt32(truncatingIfNeeded: reader.read(offsetBits))
        let matchLengthValue = matchLength.baseValue &+ UInt32(truncatingIfNeeded: reader.read(matchLengthBits))
        if offsetBits &+ matchLengthBits &+ literalLengthBits >= 31 { reader.reload() }
        let literalLengthValue = literalLength.baseValue &+ UInt32(truncatingIfNeeded: reader.read(literalLengthBits))
        if updatingStates {
            literalLengthState = Int(literalLength.nextStateBase) &+ reader.read(Int(literalLength.stateBits))
            matchLengthState = Int(matchLength.nextStateBase) &+ reader.read(Int(matchLength.stateBits))
            offsetState = Int(offset.nextStateBase) &+ reader.read(Int(offset.stateBits))
        }
        return ZstdSequence(literalLength: literalLengthValue, matchLength: matchLengthValue, offsetValue: offsetValue)
    }
}
