/// Executes decoded sequences (RFC 8878 section 3.1.1.4): resolves repeat offsets, then copies
/// each sequence's literals and match into the frame's output.
///
/// Each sequence is checked once (literals left, room in the output, offset inside the frame) and
/// then copied in whole chunks: the output keeps ``ZstdOutputBuffer/slack`` bytes past its
/// capacity and the literals as many past their end, so copies may overshoot their length.
struct ZstdSequenceExecutor {
    private let output: ZstdOutputBuffer
    private var outputBase: UnsafeMutablePointer<UInt8>
    private var op: UnsafeMutablePointer<UInt8>
    private var outputEnd: UnsafeMutablePointer<UInt8>
    private(set) var literal: UnsafePointer<UInt8>
    let literalEnd: UnsafePointer<UInt8>
    private(set) var repeats: (Int, Int, Int)
    /// The input offset reported in errors.
    private let offset: Int

    init(output: ZstdOutputBuffer, literals: UnsafePointer<UInt8>, count: Int, repeats: (Int, Int, Int), at offset: Int) {
        self.output = output
        outputBase = output.base
        op = outputBase + output.count
        outputEnd = outputBase + output.capacity
        literal = literals
        literalEnd = literals + count
        self.repeats = repeats
        self.offset = offset
    }

    /// Executes `count` sequences from `sequences`.
    mutating func execute(_ sequences: UnsafePointer<ZstdSequence>, count: Int) throws(CodecError) {
        // Local copies keep the state in registers through the loop.
        var (rep1, rep2, rep3) = repeats
        var op = op, literal = literal
        defer {
            repeats = (rep1, rep2, rep3)
            self.op = op
            self.literal = literal
        }
        let literalEnd = literalEnd
        var outputBase = outputBase, outputEnd = outputEnd
        for i in 0..<count {
            let sequence = sequences[i]
            let literalLength = Int(sequence.literalLength), matchLength = Int(sequence.matchLength)
            let offsetValue = Int(sequence.offsetValue)
            var distance: Int
            if offsetValue > 3 {
                distance = offsetValue &- 3
                rep3 = rep2
                rep2 = rep1
                rep1 = distance
            } else {
                switch offsetValue &+ (literalLength == 0 ? 1 : 0) {
                case 1:
                    distance = rep1
                case 2:
                    distance = rep2
                    rep2 = rep1
                    rep1 = distance
                case 3:
                    distance = rep3
                    rep3 = rep2
                    rep2 = rep1
                    rep1 = distance
                default:
                    distance = rep1 &- 1
                    rep3 = rep2
                    rep2 = rep1
                    rep1 = distance
                }
            }
            guard literalLength <= literalEnd - literal else {
                throw CodecError(.corrupt("sequence uses more literals than decoded"), at: offset)
            }
            let sequenceLength = literalLength &+ matchLength
            if sequenceLength > outputEnd - op {
                self.op = op
                try reserve(sequenceLength)
                (outputBase, op, outputEnd) = (self.outputBase, self.op, self.outputEnd)
            }
            guard distance > 0 && distance <= op - outputBase + literalLength else {
                throw CodecError(.corrupt("match offset \(distance) before the start of the frame"), at: offset)
            }
            Self.copyLiterals(to: op, from: literal, count: literalLength)
            op += literalLength
            literal += literalLength
            Self.copyMatch(to: op, distance: distance, length: matchLength)
            op += matchLength
        }
    }

    /// Appends the literals no sequence used (the block's last ones) and hands the count back to the output.
    mutating func finish() throws(CodecError) {
        output.count = op - outputBase
        try output.append(literal, count: literalEnd - literal, at: offset)
    }

    private mutating func reserve(_ n: Int) throws(CodecError) {
        output.count = op - outputBase
        try output.reserve(n, at: offset)
        outputBase = output.base
        op = outputBase + output.count
        outputEnd = outputBase + output.capacity
    }

    @inline(__always)
    private static func copy16(_ destination: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>) {
        UnsafeMutableRawPointer(destination).storeBytes(
            of: UnsafeRawPointer(source).loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
    }

    @inline(__always)
    private static func copy8(_ destination: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>) {
        UnsafeMutableRawPointer(destination).storeBytes(
            of: UnsafeRawPointer(source).loadUnaligned(as: UInt64.self), as: UInt64.self)
    }

    /// Copies `count` literals in 16-byte chunks (writing and reading up to 15 bytes more).
    @inline(__always)
    private static func copyLiterals(to destination: UnsafeMutablePointer<UInt8>, from source: UnsafePointer<UInt8>, count: Int) {
        var i = 0
        repeat {
            copy16(destination + i, source + i)
            i &+= 16
        } while i < count
    }

    /// Copies `length` bytes from `distance` bytes back, overlapping allowed, in chunks no longer
    /// than the distance (writing up to 15 bytes more).
    @inline(__always)
    private static func copyMatch(to destination: UnsafeMutablePointer<UInt8>, distance: Int, length: Int) {
        let source = UnsafePointer(destination - distance)
        var i = 0
        if distance >= 16 {
            repeat {
                copy16(destination + i, source + i)
                i &+= 16
            } while i < length
        } else if distance >= 8 {
            repeat {
                copy8(destination + i, source + i)
                i &+= 8
            } while i < length
        } else {
            copyShortPeriod(to: destination, distance: distance, length: length)
        }
    }

    /// A match closer than 8 bytes: the first 8 bytes one by one, then 8-byte chunks from a
    /// multiple of the distance at least 8 back (the content repeats with that period too).
    private static func copyShortPeriod(to destination: UnsafeMutablePointer<UInt8>, distance: Int, length: Int) {
        for i in 0..<8 { destination[i] = destination[i - distance] }
        let period = distance * ((distance + 7) / distance)
        var i = 8
        while i < length {
            copy8(destination + i, destination + i - period)
            i &+= 8
        }
    }
}
