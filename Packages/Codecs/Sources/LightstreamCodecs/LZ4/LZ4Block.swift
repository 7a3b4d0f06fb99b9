/// The LZ4 block format: a greedy hash-table compressor and a bounds-checked decompressor.
///
/// Both work on raw pointers so the raw codec and the frame codec can share them; every read of
/// the compressed input and every write of the output is checked against its bounds.
enum LZ4Block {
    /// The shortest match the format can express.
    static var minMatch: Int { 4 }
    /// The last bytes of a block that are always literals.
    static var lastLiterals: Int { 5 }
    /// How far before the end of a block the last match must start.
    static var matchFindLimit: Int { 12 }
    /// The largest encodable match distance.
    static var maxOffset: Int { 65_535 }
    /// log2 of the number of hash-table entries the compressor uses.
    static var hashLog: Int { 12 }
    /// The number of `UInt32` entries of the compressor's hash table.
    static var hashTableSize: Int { 1 << hashLog }

    /// The largest compressed size of `count` input bytes (incompressible input plus length bytes).
    static func compressBound(_ count: Int) -> Int {
        count + count / 255 + 16
    }

    // MARK: - Compression

    @inline(__always)
    static func load32(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self))
    }

    @inline(__always)
    static func load64(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
    }

    /// The table slot of the 5 low bytes of `sequence` (the bytes at a position, little-endian).
    /// Hashing 5 bytes rather than the 4 a match needs keeps fewer useless candidates.
    @inline(__always)
    static func hash(_ sequence: UInt64) -> Int {
        Int(truncatingIfNeeded: ((sequence << 24) &* 889_523_592_379) >> UInt64(64 - hashLog))
    }

    /// Writes a length continuation (`value - 15` as 255-runs and a final byte) at `op`.
    @inline(__always)
    static func writeLength(_ value: Int, _ dst: UnsafeMutablePointer<UInt8>, _ op: inout Int) {
        var rest = value - 15
        while rest >= 255 {
            dst[op] = 255
            op += 1
            rest -= 255
        }
        dst[op] = UInt8(truncatingIfNeeded: rest)
        op += 1
    }

    /// Writes the literals `src[anchor..<anchor+literalCount]` with their token at `op`;
    /// returns the token's position so a match length can be added to it.
    @inline(__always)
    static func writeLiterals(
        _ src: UnsafePointer<UInt8>, from anchor: Int, count literalCount: Int,
        _ dst: UnsafeMutablePointer<UInt8>, _ op: inout Int
    ) -> Int {
        let tokenPosition = op
        op += 1
        if literalCount >= 15 {
            dst[tokenPosition] = 0xF0
            writeLength(literalCount, dst, &op)
        } else {
            dst[tokenPosition] = UInt8(truncatingIfNeeded: literalCount << 4)
        }
        if literalCount > 0 {
            (dst + op).initialize(from: src + anchor, count: literalCount)
            op += literalCount
        }
        return tokenPosition
    }

    /// Compresses `src[0..<count]` into `dst`, which must hold `compressBound(count)` bytes, as one
    /// independent block; `table` is scratch space of `hashTableSize` entries. Returns the number
    /// of bytes written.
    static func compress(
        _ src: UnsafePointer<UInt8>, count: Int,
        into dst: UnsafeMutablePointer<UInt8>, table: UnsafeMutablePointer<UInt32>
    ) -> Int {
        var op = 0
        var anchor = 0
        if count > matchFindLimit {
            // A match may start at most at `matchStartLimit` and must end by `matchEndLimit`.
            let matchStartLimit = count - matchFindLimit
            let matchEndLimit = count - lastLiterals
            // A zeroed table maps every hash to position 0; candidates are verified anyway.
            table.initialize(repeating: 0, count: hashTableSize)
            var ip = 1
            search: while true {
                var ref = 0
                var step = 1
                var attempts = 1 << 6
                while true {
                    if ip > matchStartLimit { break search }
                    let sequence = load32(src, ip)
                    let h = hash(load64(src, ip))
                    ref = Int(table[h])
                    table[h] = UInt32(truncatingIfNeeded: ip)
                    if ip - ref <= maxOffset && load32(src, ref) == sequence { break }
                    ip += step
                    step = attempts >> 6
                    attempts += 1
                }
                // Extend the match backwards over pending literals.
                while ip > anchor && ref > 0 && src[ip - 1] == src[ref - 1] {
                    ip -= 1
                    ref -= 1
                }
                // Extend it forwards, eight bytes at a time.
                var p = ip + minMatch
                var q = ref + minMatch
                extend: do {
                    while p + 8 <= matchEndLimit {
                        let difference = load64(src, p) ^ load64(src, q)
                        if difference != 0 {
                            p += difference.trailingZeroBitCount >> 3
                            break extend
                        }
                        p += 8
                        q += 8
                    }
                    while p < matchEndLimit && src[p] == src[q] {
                        p += 1
                        q += 1
                    }
                }
                let matchLength = p - ip
                let tokenPosition = writeLiterals(src, from: anchor, count: ip - anchor, dst, &op)
                let offset = ip - ref
                dst[op] = UInt8(truncatingIfNeeded: offset)
                dst[op + 1] = UInt8(truncatingIfNeeded: offset >> 8)
                op += 2
                let lengthCode = matchLength - minMatch
                if lengthCode >= 15 {
                    dst[tokenPosition] |= 0x0F
                    writeLength(lengthCode, dst, &op)
                } else {
                    dst[tokenPosition] |= UInt8(truncatingIfNeeded: lengthCode)
                }
                ip = p
                anchor = ip
                if ip > matchStartLimit { break search }
                // Remember a position inside the match to find repeats of its end.
                table[hash(load64(src, ip - 2))] = UInt32(truncatingIfNeeded: ip - 2)
            }
        }
        _ = writeLiterals(src, from: anchor, count: count - anchor, dst, &op)
        return op
    }

    // MARK: - Decompression

    /// How a call to ``decompress(_:count:inputOffset:into:capacity:history:)`` ended.
    enum DecodeOutcome {
        /// The whole input was decoded into `produced` bytes.
        case finished(produced: Int)
        /// The next sequence does not fit in the output; `consumed` input bytes were decoded into
        /// `produced` output bytes, both at a sequence boundary, so decoding can resume there.
        case outputFull(consumed: Int, produced: Int)
        /// The input is not a valid block.
        case failed(CodecError)
    }

    /// Decodes the block `src[0..<count]` into `dst[0..<capacity]`. Matches may reach `history`
    /// bytes before `dst` (initialised output of earlier blocks or an earlier resumption), never
    /// further. `inputOffset` is the position of `src` in the caller's input, for error offsets.
    static func decompress(
        _ src: UnsafePointer<UInt8>, count: Int, inputOffset: Int,
        into dst: UnsafeMutablePointer<UInt8>, capacity: Int, history: Int
    ) -> DecodeOutcome {
        var ip = 0
        var op = 0
        if count == 0 { return .failed(CodecError(.truncated, at: inputOffset)) }
        while true {
            let sequenceStart = ip
            let sequenceOutput = op
            guard ip < count else { return .failed(CodecError(.truncated, at: inputOffset + ip)) }
            let token = Int(src[ip])
            ip += 1

            // Literals.
            var literalLength = token >> 4
            if literalLength == 15 {
                while true {
                    guard ip < count else { return .failed(CodecError(.truncated, at: inputOffset + ip)) }
                    let byte = Int(src[ip])
                    ip += 1
                    literalLength += byte
                    if byte != 255 { break }
                }
            }
            guard count - ip >= literalLength else {
                return .failed(CodecError(.truncated, at: inputOffset + ip))
            }
            guard capacity - op >= literalLength else {
                return .outputFull(consumed: sequenceStart, produced: sequenceOutput)
            }
            if literalLength <= 16 && count - ip >= 16 && capacity - op >= 16 {
                // Copy 16 bytes; the excess is overwritten by later output or never counted.
                let s = UnsafeRawPointer(src + ip)
                let d = UnsafeMutableRawPointer(dst + op)
                d.storeBytes(of: s.loadUnaligned(as: UInt64.self), as: UInt64.self)
                d.storeBytes(of: s.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
            } else if literalLength > 0 {
                (dst + op).initialize(from: src + ip, count: literalLength)
            }
            ip += literalLength
            op += literalLength
            if ip == count { return .finished(produced: op) }

            // Match.
            guard count - ip >= 2 else { return .failed(CodecError(.truncated, at: inputOffset + ip)) }
            let offset = Int(src[ip]) | Int(src[ip + 1]) << 8
            if offset == 0 {
                return .failed(CodecError(.corrupt("LZ4 match offset 0"), at: inputOffset + ip))
            }
            if offset > op + history {
                return .failed(CodecError(
                    .corrupt("LZ4 match offset \(offset) reaches before the start of the output"),
                    at: inputOffset + ip))
            }
            ip += 2
            var matchLength = (token & 0x0F) + minMatch
            if matchLength == 15 + minMatch {
                while true {
                    guard ip < count else { return .failed(CodecError(.truncated, at: inputOffset + ip)) }
                    let byte = Int(src[ip])
                    ip += 1
                    matchLength += byte
                    if byte != 255 { break }
                }
            }
            guard capacity - op >= matchLength else {
                return .outputFull(consumed: sequenceStart, produced: sequenceOutput)
            }
            copyMatch(dst + op, offset: offset, length: matchLength, room: capacity - op)
            op += matchLength
        }
    }

    /// Copies `length` bytes from `offset` bytes back to `d`, forwards, so overlapping copies
    /// repeat the pattern. `room` is how many bytes may be written at `d` (at least `length`).
    @inline(__always)
    static func copyMatch(_ d: UnsafeMutablePointer<UInt8>, offset: Int, length: Int, room: Int) {
        let source = d - offset
        if offset >= length {
            d.initialize(from: source, count: length)
            return
        }
        if offset == 1 {
            d.initialize(repeating: source.pointee, count: length)
            return
        }
        var i = 0
        var distance = offset
        if offset < 8 {
            // After eight bytes, a multiple of the period that is at least 8 is a valid distance.
            let head = min(8, length)
            while i < head {
                d[i] = d[i - offset]
                i += 1
            }
            distance = (8 + offset - 1) / offset * offset
        }
        let raw = UnsafeMutableRawPointer(d)
        if room >= length + 8 {
            while i < length {
                raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: i - distance, as: UInt64.self),
                               toByteOffset: i, as: UInt64.self)
                i += 8
            }
        } else {
            while i + 8 <= length {
                raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: i - distance, as: UInt64.self),
                               toByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < length {
                d[i] = d[i - distance]
                i += 1
            }
        }
    }
}
