import Vec64

/// Compresses bytes into one raw DEFLATE stream: LZ77 over hash chains, blocks of up to
/// ``blockSymbols`` symbols each written by ``DeflateBlockWriter``.
///
/// Every position is hashed by its first four bytes into `head` (the most recent position with
/// that hash), and `previous` links each position of the last 32 KiB to the one before it with
/// the same hash. The level sets how many chain links a search follows, when a match is long
/// enough to stop searching, whether matching is lazy (a match is kept only when the next
/// position does not start a longer one) and up to which match length every position inside a
/// match is hashed.
struct DeflateEncoder {
    struct Parameters {
        /// The most chain links a search follows.
        var chain: Int
        /// A match this long ends the search.
        var nice: Int
        var lazy: Bool
        /// Positions inside matches up to this long are hashed (greedy levels).
        var insertLimit: Int = 258
        /// Lazy levels: a pending match this long is taken without looking at the next position.
        var lazyLimit: Int = 258
        /// Lazy levels: after a pending match this long, the next search follows a quarter of the chain.
        var good: Int = 258
    }

    static let hashBits = 15
    static let blockSymbols = 1 << 15
    static let windowMask = DeflateFormat.windowSize - 1

    let level: Int
    let parameters: Parameters

    init(level: Int) {
        self.level = level
        parameters = switch level {
        case ...1: Parameters(chain: 4, nice: 16, lazy: false, insertLimit: 8)
        case 2: Parameters(chain: 8, nice: 32, lazy: false, insertLimit: 16)
        case 3: Parameters(chain: 16, nice: 64, lazy: false, insertLimit: 32)
        case 4: Parameters(chain: 16, nice: 32, lazy: true, lazyLimit: 8, good: 4)
        case 5: Parameters(chain: 32, nice: 64, lazy: true, lazyLimit: 16, good: 8)
        case 6: Parameters(chain: 128, nice: 128, lazy: true, lazyLimit: 16, good: 8)
        case 7: Parameters(chain: 256, nice: 258, lazy: true, lazyLimit: 32, good: 16)
        case 8: Parameters(chain: 1024, nice: 258, lazy: true, lazyLimit: 128, good: 32)
        default: Parameters(chain: 4096, nice: 258, lazy: true, lazyLimit: 258, good: 32)
        }
    }

    /// Appends the DEFLATE stream of `input` to `output`.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>) {
        let start = output.count
        var written = 0
        output.appendUninitialized(count: DeflateCodec.maxCompressedLength(input.count) + 8) { destination in
            var writer = DeflateBitWriter(UnsafeMutableRawPointer(destination.baseAddress!))
            if level == 0 || input.count == 0 {
                DeflateBlockWriter.writeStored(input, isFinal: true, into: &writer)
            } else {
                MatchState(input: input, parameters: parameters).run(into: &writer)
            }
            writer.alignToByte()
            written = writer.count
        }
        output.resize(to: start + written, fill: 0)
    }
}

/// The LZ77 pass of one ``DeflateEncoder/compress(_:into:)`` call.
private struct MatchState: ~Copyable {
    let input: UnsafePointer<UInt8>
    let count: Int
    let parameters: DeflateEncoder.Parameters
    let head: UnsafeMutablePointer<Int>
    let previous: UnsafeMutablePointer<Int>
    let symbols: UnsafeMutablePointer<UInt32>
    var symbolCount = 0
    let literalFrequencies: UnsafeMutablePointer<UInt32>
    let distanceFrequencies: UnsafeMutablePointer<UInt32>
    /// The length symbol of each match length (``DeflateBlockWriter/lengthSymbol``), at hand.
    let lengthSymbols: UnsafeMutablePointer<UInt16>
    /// ``DeflateBlockWriter/distanceCode``, at hand.
    let distanceCodes: UnsafeMutablePointer<UInt8>
    /// The first input byte of the current block, and the first byte no symbol covers yet.
    var blockStart = 0
    var covered = 0

    init(input: UnsafeRawBufferPointer, parameters: DeflateEncoder.Parameters) {
        self.input = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        count = input.count
        self.parameters = parameters
        head = .allocate(capacity: 1 << DeflateEncoder.hashBits)
        head.initialize(repeating: -1, count: 1 << DeflateEncoder.hashBits)
        previous = .allocate(capacity: DeflateFormat.windowSize)
        previous.initialize(repeating: -1, count: DeflateFormat.windowSize)
        symbols = .allocate(capacity: DeflateEncoder.blockSymbols)
        literalFrequencies = .allocate(capacity: 286)
        literalFrequencies.initialize(repeating: 0, count: 286)
        distanceFrequencies = .allocate(capacity: 30)
        distanceFrequencies.initialize(repeating: 0, count: 30)
        lengthSymbols = .allocate(capacity: 259)
        _ = UnsafeMutableBufferPointer(start: lengthSymbols, count: 259).initialize(from: DeflateBlockWriter.lengthSymbol)
        distanceCodes = .allocate(capacity: 512)
        _ = UnsafeMutableBufferPointer(start: distanceCodes, count: 512).initialize(from: DeflateBlockWriter.distanceCode)
    }

    deinit {
        head.deallocate()
        previous.deallocate()
        symbols.deallocate()
        literalFrequencies.deallocate()
        distanceFrequencies.deallocate()
        lengthSymbols.deallocate()
        distanceCodes.deallocate()
    }

    @inline(__always) func hash(_ position: Int) -> Int {
        let word = UInt32(littleEndian: UnsafeRawPointer(input + position).loadUnaligned(as: UInt32.self))
        return Int((word &* 0x9E37_79B1) >> UInt32(32 - DeflateEncoder.hashBits))
    }

    /// Links `position` (which has four bytes after it) into its hash chain.
    @inline(__always) func insert(_ position: Int) {
        let h = hash(position)
        previous[position & DeflateEncoder.windowMask] = head[h]
        head[h] = position
    }

    /// How many bytes at `a` and `b` agree, up to `maximum`.
    @inline(__always) func matchLength(_ a: Int, _ b: Int, maximum: Int) -> Int {
        var n = 0
        let raw = UnsafeRawPointer(input)
        while maximum - n >= 8 {
            let x = raw.loadUnaligned(fromByteOffset: a + n, as: UInt64.self) ^ raw.loadUnaligned(fromByteOffset: b + n, as: UInt64.self)
            if x != 0 { return n + UInt64(littleEndian: x).trailingZeroBitCount >> 3 }
            n += 8
        }
        while n < maximum && input[a + n] == input[b + n] { n += 1 }
        return n
    }

    /// The longest match for `position` among the earlier positions of its chain, starting at
    /// `candidate`; a match must beat `atLeast` bytes.
    func longestMatch(at position: Int, candidate first: Int, atLeast: Int, chain: Int) -> (length: Int, distance: Int) {
        let maximum = Swift.min(DeflateFormat.maximumMatch, count - position)
        var best = atLeast
        var bestDistance = 0
        var candidate = first
        var steps = chain
        while candidate >= 0 && position - candidate <= DeflateFormat.windowSize && steps > 0 {
            // Quick rejection: the byte that would make this match longer than the best.
            if best < maximum && input[candidate + best] == input[position + best] {
                let length = matchLength(candidate, position, maximum: maximum)
                if length > best {
                    best = length
                    bestDistance = position - candidate
                    if length >= parameters.nice || length == maximum { break }
                }
            }
            let next = previous[candidate & DeflateEncoder.windowMask]
            guard next < candidate else { break }
            candidate = next
            steps -= 1
        }
        // A 3-byte match far back costs more than its literals.
        if best == 3 && bestDistance > 4096 { return (0, 0) }
        return bestDistance == 0 ? (0, 0) : (best, bestDistance)
    }

    mutating func literal(_ position: Int, writer: inout DeflateBitWriter) {
        let byte = input[position]
        symbols[symbolCount] = UInt32(byte)
        symbolCount += 1
        literalFrequencies[Int(byte)] += 1
        covered += 1
        if symbolCount == DeflateEncoder.blockSymbols { flush(isFinal: false, writer: &writer) }
    }

    mutating func match(length: Int, distance: Int, writer: inout DeflateBitWriter) {
        symbols[symbolCount] = DeflateBlockWriter.match(length: length, distance: distance)
        symbolCount += 1
        literalFrequencies[Int(lengthSymbols[length])] += 1
        let d = distance - 1
        distanceFrequencies[Int(d < 256 ? distanceCodes[d] : distanceCodes[256 + (d >> 7)])] += 1
        covered += length
        if symbolCount == DeflateEncoder.blockSymbols { flush(isFinal: false, writer: &writer) }
    }

    mutating func flush(isFinal: Bool, writer: inout DeflateBitWriter) {
        literalFrequencies[DeflateFormat.endOfBlock] = 1
        DeflateBlockWriter.write(
            UnsafeBufferPointer(start: symbols, count: symbolCount),
            literalFrequencies: Array(UnsafeBufferPointer(start: literalFrequencies, count: 286)),
            distanceFrequencies: Array(UnsafeBufferPointer(start: distanceFrequencies, count: 30)),
            bytes: UnsafeRawBufferPointer(start: input + blockStart, count: covered - blockStart),
            isFinal: isFinal, into: &writer)
        symbolCount = 0
        literalFrequencies.update(repeating: 0, count: 286)
        distanceFrequencies.update(repeating: 0, count: 30)
        blockStart = covered
    }

    /// Hashes the positions after `from` up to `end` (those with four bytes after them).
    @inline(__always) func insertRange(_ from: Int, _ end: Int) {
        var p = from
        let last = Swift.min(end, count - 3)
        while p < last {
            insert(p)
            p += 1
        }
    }

    consuming func run(into writer: inout DeflateBitWriter) {
        var position = 0
        let hashable = count - 3   // positions with four bytes
        if parameters.lazy {
            // A match found at position - 1, waiting to see whether position starts a longer one.
            var pendingLength = 0
            var pendingDistance = 0
            while position < count {
                var length = 0
                var distance = 0
                if position < hashable {
                    let h = hash(position)
                    let candidate = head[h]
                    previous[position & DeflateEncoder.windowMask] = candidate
                    head[h] = position
                    if pendingLength < parameters.lazyLimit {
                        let chain = pendingLength >= parameters.good ? parameters.chain >> 2 : parameters.chain
                        (length, distance) = longestMatch(
                            at: position, candidate: candidate, atLeast: Swift.max(2, pendingLength), chain: chain)
                    }
                }
                if pendingLength >= 3 && length <= pendingLength {
                    let matchStart = position - 1
                    match(length: pendingLength, distance: pendingDistance, writer: &writer)
                    insertRange(position + 1, matchStart + pendingLength)
                    position = matchStart + pendingLength
                    pendingLength = 0
                } else {
                    // The byte before, unless a match already covers it, goes out as a literal.
                    if covered < position { literal(position - 1, writer: &writer) }
                    pendingLength = length
                    pendingDistance = distance
                    position += 1
                }
            }
            if covered < count { literal(count - 1, writer: &writer) }
        } else {
            while position < count {
                if position < hashable {
                    let h = hash(position)
                    let candidate = head[h]
                    previous[position & DeflateEncoder.windowMask] = candidate
                    head[h] = position
                    let (length, distance) = longestMatch(at: position, candidate: candidate, atLeast: 2, chain: parameters.chain)
                    if length >= 3 {
                        match(length: length, distance: distance, writer: &writer)
                        if length <= parameters.insertLimit { insertRange(position + 1, position + length) }
                        position += length
                        continue
                    }
                }
                literal(position, writer: &writer)
                position += 1
            }
        }
        flush(isFinal: true, writer: &writer)
    }
}
