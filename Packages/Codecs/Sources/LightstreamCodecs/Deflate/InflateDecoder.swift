/// Decodes DEFLATE streams (RFC 1951) into memory it is lent, one stream after another.
///
/// The decoder reads through a 64-bit bit buffer, refilled a word at a time while at least
/// eight input bytes remain and a byte at a time (zeros past the end) after that; reading past
/// the end is noticed from the bit count and reported as ``CodecError/Kind/truncated``.
///
/// It writes into the output it is lent (``lend(_:room:)``): when a symbol does not fit, it
/// keeps the rest of it (a pending literal or the rest of a match) and ``run()`` answers
/// ``Progress/needsRoom``, so the caller can grow the memory and call again. Writes may touch up
/// to ``slack`` bytes past the room.
final class InflateDecoder {
    /// Writable bytes past the room that chunked match copies may overwrite.
    static let slack = 32

    enum Progress { case finished, needsRoom }

    enum State {
        case blockHeader
        case stored(remaining: Int)
        case huffman
        case done
    }

    let input: UnsafePointer<UInt8>
    let inputCount: Int
    /// The next input byte to load into the bit buffer.
    var position: Int
    var bitBuffer: UInt64 = 0
    var bitCount = 0

    /// The output memory lent for the current call, `room` bytes (plus slack).
    var output: UnsafeMutablePointer<UInt8>
    var room: Int
    /// Bytes written to `output`.
    var produced = 0
    /// Where in `output` the current stream began: matches may not reach before it.
    var streamStart = 0

    var state = State.done
    var isFinalBlock = false
    /// The rest of a symbol that did not fit: a literal (or -1), or a match's length and distance.
    var pendingLiteral = -1
    var pendingLength = 0
    var pendingDistance = 0

    let literalTable: UnsafeMutablePointer<UInt32>
    let distanceTable: UnsafeMutablePointer<UInt32>

    init(input: UnsafeRawBufferPointer, output: UnsafeMutablePointer<UInt8>, room: Int) {
        // An empty input still needs a pointer; it is never read.
        self.input = input.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(output)
        inputCount = input.count
        position = 0
        self.output = output
        self.room = room
        literalTable = .allocate(capacity: InflateTable.literalCapacity)
        distanceTable = .allocate(capacity: InflateTable.distanceCapacity)
    }

    deinit {
        literalTable.deallocate()
        distanceTable.deallocate()
    }

    /// Moves the output to `memory`, which holds the `produced` bytes so far and has room for
    /// `room` bytes (plus ``slack``).
    func lend(_ memory: UnsafeMutablePointer<UInt8>, room: Int) {
        output = memory
        self.room = room
    }

    /// Starts a new stream at input byte `offset`, appending after the bytes produced so far.
    func beginStream(at offset: Int) {
        position = offset
        bitBuffer = 0
        bitCount = 0
        streamStart = produced
        state = .blockHeader
        isFinalBlock = false
    }

    /// The input byte after the finished stream (its last byte's unused bits are padding).
    var streamEnd: Int { position - bitCount / 8 }

    /// The input byte the decoder is at, for errors.
    var currentByte: Int { Swift.min(inputCount, Swift.max(0, (position * 8 - bitCount) / 8)) }

    /// Whether the bits consumed so far reach past the input.
    @inline(__always) var isOverrun: Bool { position * 8 - bitCount > inputCount * 8 }

    func corrupt(_ message: String) -> CodecError {
        isOverrun ? CodecError(.truncated, at: inputCount) : CodecError(.corrupt(message), at: currentByte)
    }

    /// Fills the bit buffer to at least 56 bits (zeros past the input's end).
    @inline(__always) func refill() {
        if position <= inputCount - 8 {
            bitBuffer |= UInt64(littleEndian: UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self)) << UInt64(bitCount)
            position += (63 - bitCount) >> 3
            bitCount |= 56
        } else {
            while bitCount < 56 {
                if position < inputCount { bitBuffer |= UInt64(input[position]) << UInt64(bitCount) }
                position += 1
                bitCount += 8
            }
        }
    }

    /// Takes `n` bits (at most 32; the buffer must hold them).
    @inline(__always) func take(_ n: Int) -> Int {
        let value = Int(truncatingIfNeeded: bitBuffer & ((1 << UInt64(n)) - 1))
        bitBuffer >>= UInt64(n)
        bitCount -= n
        return value
    }

    /// Decodes until the stream's final block ends or the output needs room.
    func run() throws(CodecError) -> Progress {
        while true {
            switch state {
            case .done:
                return .finished
            case .blockHeader:
                if isFinalBlock {
                    bitCount -= bitCount & 7
                    guard streamEnd <= inputCount else { throw CodecError(.truncated, at: inputCount) }
                    state = .done
                    return .finished
                }
                refill()
                isFinalBlock = take(1) == 1
                switch take(2) {
                case 0:
                    try beginStoredBlock()
                case 1:
                    loadFixedTables()
                    state = .huffman
                case 2:
                    try readDynamicTables()
                    state = .huffman
                default:
                    throw corrupt("block type 3 is reserved")
                }
                guard !isOverrun else { throw CodecError(.truncated, at: inputCount) }
            case .stored(let remaining):
                guard try copyStored(remaining) else { return .needsRoom }
                state = .blockHeader
            case .huffman:
                guard try decodeHuffmanBlock() else { return .needsRoom }
                state = .blockHeader
            }
        }
    }

    /// Reads LEN and NLEN after the block header and moves to the stored bytes.
    func beginStoredBlock() throws(CodecError) {
        _ = take(bitCount & 7)
        refill()
        let length = take(16)
        let complement = take(16)
        guard !isOverrun else { throw CodecError(.truncated, at: inputCount) }
        guard length == ~complement & 0xFFFF else {
            throw CodecError(.corrupt("stored block length \(length) does not match its complement \(complement)"), at: currentByte - 4)
        }
        // Give back the whole bytes still buffered: the stored bytes are copied from the input.
        position -= bitCount / 8
        bitBuffer = 0
        bitCount = 0
        state = .stored(remaining: length)
    }

    /// Copies what fits of the `remaining` stored bytes; whether the block is complete.
    func copyStored(_ remaining: Int) throws(CodecError) -> Bool {
        let available = inputCount - position
        let n = Swift.min(remaining, room - produced, available)
        (output + produced).update(from: input + position, count: n)
        produced += n
        position += n
        if n == remaining { return true }
        state = .stored(remaining: remaining - n)
        if n == available { throw CodecError(.truncated, at: inputCount) }
        return false
    }

    func loadFixedTables() {
        literalTable.update(from: Self.fixedTables.literal, count: 1 << InflateTable.primaryLiteralBits)
        distanceTable.update(from: Self.fixedTables.distance, count: 1 << InflateTable.primaryDistanceBits)
    }

    /// The tables of the fixed codes, built once (no second level: no code is longer than 9 bits).
    nonisolated(unsafe) static let fixedTables: (literal: UnsafeMutablePointer<UInt32>, distance: UnsafeMutablePointer<UInt32>) = {
        let literal = UnsafeMutablePointer<UInt32>.allocate(capacity: InflateTable.literalCapacity)
        let distance = UnsafeMutablePointer<UInt32>.allocate(capacity: InflateTable.distanceCapacity)
        let literalError = InflateTable.build(
            lengths: DeflateFormat.fixedLiteralLengths, count: 288, symbols: InflateTable.literalSymbols,
            primaryBits: InflateTable.primaryLiteralBits, completeness: .complete, into: literal,
            capacity: InflateTable.literalCapacity)
        let distanceError = InflateTable.build(
            lengths: DeflateFormat.fixedDistanceLengths, count: 32, symbols: InflateTable.distanceSymbols,
            primaryBits: InflateTable.primaryDistanceBits, completeness: .complete, into: distance,
            capacity: InflateTable.distanceCapacity)
        precondition(literalError == nil && distanceError == nil, "the fixed Huffman codes are complete")
        return (literal, distance)
    }()
}
