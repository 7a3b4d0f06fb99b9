import Vec64

/// Compresses into one Zstandard frame: greedy LZ77 over a hash table, Huffman literals,
/// FSE-coded sequences (custom tables for blocks of 64 sequences or more, else predefined),
/// content checksum. Level 3 and above index every position inside matches; below, fewer.
struct ZstdEncoder {
    let level: Int
    /// Inputs up to `1 << windowLog` bytes become single-segment frames (the window is the whole
    /// content); larger ones get a window of `1 << windowLog` bytes that matches never reach past.
    var windowLog = 27


    private struct Sequence {
        var literalLength: Int
        var offsetValue: Int
        var matchLength: Int
    }

    func compress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>) {
        let n = input.count
        var out: [UInt8] = []
        out.reserveCapacity(n / 2 + 64)
        writeFrameHeader(contentSize: n, into: &out)
        guard n > 0, let raw = input.baseAddress else {
            out += [1, 0, 0]   // one empty raw block, the last
            appendLE32(UInt32(truncatingIfNeeded: XXHash64.hash(nil, count: 0)), into: &out)
            output.append(contentsOf: out)
            return
        }
        let source = raw.assumingMemoryBound(to: UInt8.self)
        let hashLog = level <= 2 ? 16 : 17
        var tables = MatchTables(hashLog: hashLog, longHashLog: level >= 3 ? 17 : 0)
        var repeats = (1, 4, 8)
        let maxDistance = n <= 1 << windowLog ? n : (1 << windowLog) - 1
        // A block never exceeds the window (RFC 8878 Block_Maximum_Size).
        let blockSize = min(128 * 1024, 1 << windowLog)
        var start = 0
        while start < n {
            let end = min(n, start + blockSize)
            let last = end == n
            let blockHeaderAt = out.count
            out += [0, 0, 0]
            let size = end - start
            var kind = 0
            var stored = size
            if isRun(source, start, end) {
                kind = 1
                stored = 1
                out.append(source[start])
            } else {
                var reps = repeats
                let (literals, sequences) = findSequences(
                    source, start: start, end: end, tables: &tables,
                    maxDistance: maxDistance, repeats: &reps)
                let body = encodeBlockBody(literals: literals, sequences: sequences)
                if let body, body.count < size {
                    kind = 2
                    stored = body.count
                    out += body
                    repeats = reps
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(start: source + start, count: size))
                }
            }
            let header = (last ? 1 : 0) | kind << 1 | (kind == 1 ? size : stored) << 3
            out[blockHeaderAt] = UInt8(truncatingIfNeeded: header)
            out[blockHeaderAt + 1] = UInt8(truncatingIfNeeded: header >> 8)
            out[blockHeaderAt + 2] = UInt8(truncatingIfNeeded: header >> 16)
            start = end
        }
        appendLE32(UInt32(truncatingIfNeeded: XXHash64.hash(raw, count: n)), into: &out)
        output.append(contentsOf: out)
    }

    private func appendLE32(_ v: UInt32, into out: inout [UInt8]) {
        for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * k))) }
    }

    private func writeFrameHeader(contentSize n: Int, into out: inout [UInt8]) {
        appendLE32(ZstdDecoder.magic, into: &out)
        let single = n <= 1 << windowLog
        var sizeFlag: Int
        var sizeBytes: Int
        if single && n < 256 {
            sizeFlag = 0
            sizeBytes = 1
        } else if single && n < 65536 + 256 {
            sizeFlag = 1
            sizeBytes = 2
        } else if n <= Int(UInt32.max) {
            sizeFlag = 2
            sizeBytes = 4
        } else {
            sizeFlag = 3
            sizeBytes = 8
        }
        out.append(UInt8(sizeFlag << 6 | (single ? 0x20 : 0) | 0x04))
        if !single { out.append(UInt8((windowLog - 10) << 3)) }
        let value = UInt64(sizeBytes == 2 ? n - 256 : n)
        for k in 0..<sizeBytes { out.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * k))) }
    }

    private func isRun(_ s: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let first = s[start]
        for i in (start + 1)..<max(start + 1, end) where s[i] != first { return false }
        return end - start > 16
    }

    // MARK: - Match finding

    @inline(__always)
    private func load32(_ s: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(s + i).loadUnaligned(as: UInt32.self))
    }

    /// Hash tables of recent positions: 4-byte keys, and (level 3 and above) 8-byte keys that
    /// remember long matches the 4-byte table has overwritten.
    private struct MatchTables {
        var short: [Int32]
        var long: [Int32]
        let shortShift: UInt32
        let longShift: UInt64

        init(hashLog: Int, longHashLog: Int) {
            short = [Int32](repeating: -1, count: 1 << hashLog)
            long = [Int32](repeating: -1, count: longHashLog > 0 ? 1 << longHashLog : 0)
            shortShift = UInt32(32 - hashLog)
            longShift = UInt64(64 - max(longHashLog, 1))
        }
    }

    @inline(__always)
    private func load64(_ s: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(s + i).loadUnaligned(as: UInt64.self))
    }

    private func findSequences(
        _ s: UnsafePointer<UInt8>, start: Int, end: Int, tables: inout MatchTables,
        maxDistance: Int, repeats: inout (Int, Int, Int)
    ) -> ([UInt8], [Sequence]) {
        var literals: [UInt8] = []
        literals.reserveCapacity(end - start)
        var sequences: [Sequence] = []
        var anchor = start
        var position = start
        let shortShift = tables.shortShift, longShift = tables.longShift
        let useLong = !tables.long.isEmpty
        let insertAll = level >= 3
        @inline(__always) func shortSlot(_ i: Int) -> Int { Int((load32(s, i) &* 2_654_435_761) >> shortShift) }
        @inline(__always) func longSlot(_ i: Int) -> Int { Int((load64(s, i) &* 0x9E37_79B1_85EB_CA87) >> longShift) }
        @inline(__always) func matchLength(_ at: Int, _ distance: Int) -> Int {
            var length = 4
            while at + length < end && s[at + length] == s[at + length - distance] { length += 1 }
            return length
        }
        tables.short.withUnsafeMutableBufferPointer { short in
            tables.long.withUnsafeMutableBufferPointer { long in
                @inline(__always) func insert(_ i: Int) {
                    short[shortSlot(i)] = Int32(truncatingIfNeeded: i)
                    if useLong && i + 8 <= end { long[longSlot(i)] = Int32(truncatingIfNeeded: i) }
                }
                while position + 4 <= end {
                    let current = load32(s, position)
                    var distance = 0
                    var length = 0
                    let rep = repeats.0
                    if rep <= maxDistance && position - rep >= 0 && position > anchor
                        && load32(s, position - rep) == current {
                        distance = rep
                        length = matchLength(position, rep)
                    }
                    if useLong && position + 8 <= end {
                        let slot = longSlot(position)
                        let candidate = Int(long[slot])
                        long[slot] = Int32(truncatingIfNeeded: position)
                        if candidate >= 0 && candidate < position && position - candidate <= maxDistance
                            && load64(s, candidate) == load64(s, position) {
                            let l = matchLength(position, position - candidate)
                            if l > length {
                                distance = position - candidate
                                length = l
                            }
                        }
                    }
                    let h = shortSlot(position)
                    let candidate = Int(short[h])
                    short[h] = Int32(truncatingIfNeeded: position)
                    if length < 8 && candidate >= 0 && candidate < position && position - candidate <= maxDistance
                        && load32(s, candidate) == current {
                        let l = matchLength(position, position - candidate)
                        if l > length {
                            distance = position - candidate
                            length = l
                        }
                    }
                    if distance == 0 {
                        position += 1 + ((position - anchor) >> 7)
                        continue
                    }
                    while position > anchor && position - distance > 0 && s[position - 1] == s[position - 1 - distance] {
                        position -= 1
                        length += 1
                    }
                    let literalLength = position - anchor
                    literals.append(contentsOf: UnsafeBufferPointer(start: s + anchor, count: literalLength))
                    let value = Self.offsetValue(distance: distance, literalLength: literalLength, repeats: &repeats)
                    sequences.append(Sequence(literalLength: literalLength, offsetValue: value, matchLength: length))
                    let matchEnd = position + length
                    if insertAll {
                        var i = position + 1
                        while i < matchEnd && i + 4 <= end {
                            insert(i)
                            i += 1
                        }
                    } else if matchEnd - 2 > position && matchEnd + 2 <= end {
                        insert(matchEnd - 2)
                    }
                    position = matchEnd
                    anchor = matchEnd
                }
            }
        }
        literals.append(contentsOf: UnsafeBufferPointer(start: s + anchor, count: end - anchor))
        return (literals, sequences)
    }

    /// The offset value (repeat code or distance + 3) for a match, updating the repeat offsets
    /// exactly as the decoder will.
    static func offsetValue(distance d: Int, literalLength: Int, repeats r: inout (Int, Int, Int)) -> Int {
        if literalLength > 0 {
            if d == r.0 { return 1 }
            if d == r.1 { r = (d, r.0, r.2); return 2 }
            if d == r.2 { r = (d, r.0, r.1); return 3 }
        } else {
            if d == r.1 { r = (d, r.0, r.2); return 1 }
            if d == r.2 { r = (d, r.0, r.1); return 2 }
            if d == r.0 - 1 { r = (d, r.0, r.1); return 3 }
        }
        r = (d, r.0, r.1)
        return d + 3
    }

    // MARK: - Block body

    private func encodeBlockBody(literals: [UInt8], sequences: [Sequence]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(literals.count + sequences.count * 3 + 64)
        encodeLiterals(literals, into: &out)
        encodeSequences(sequences, into: &out)
        return out
    }

    private func encodeLiterals(_ literals: [UInt8], into out: inout [UInt8]) {
        let n = literals.count
        var frequencies = [Int](repeating: 0, count: 256)
        for b in literals { frequencies[Int(b)] += 1 }
        let used = frequencies.filter { $0 > 0 }.count
        if used == 1 && n > 2 {
            writeRawOrRLEHeader(type: 1, size: n, into: &out)
            out.append(literals[0])
            return
        }
        if n >= 64 && used >= 2, let huffman = ZstdHuffmanEncoder(frequencies: frequencies) {
            var streams: [[UInt8]] = []
            literals.withUnsafeBufferPointer { all in
                if n <= 1023 {
                    streams.append(huffman.encodeStream(all))
                } else {
                    let segment = (n + 3) / 4
                    for k in 0..<4 {
                        let lower = min(n, k * segment), upper = k == 3 ? n : min(n, (k + 1) * segment)
                        streams.append(huffman.encodeStream(UnsafeBufferPointer(rebasing: all[lower..<upper])))
                    }
                }
            }
            var payload = huffman.description
            if streams.count == 4 {
                for k in 0..<3 {
                    payload.append(UInt8(truncatingIfNeeded: streams[k].count))
                    payload.append(UInt8(truncatingIfNeeded: streams[k].count >> 8))
                }
            }
            for stream in streams { payload += stream }
            let compressed = payload.count
            let fitsJumpTable = streams.count == 1 || streams[0..<3].allSatisfy { $0.count <= 0xFFFF }
            if fitsJumpTable && compressed + 5 < n {
                if streams.count == 1 && compressed <= 1023 {
                    let v = 2 | n << 4 | compressed << 14
                    for k in 0..<3 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
                    out += payload
                    return
                } else if streams.count == 4 {
                    let largest = max(n, compressed)
                    if largest <= 1023 {
                        let v = 2 | 1 << 2 | n << 4 | compressed << 14
                        for k in 0..<3 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
                    } else if largest <= 16383 {
                        let v = 2 | 2 << 2 | n << 4 | compressed << 18
                        for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
                    } else {
                        let v = 2 | 3 << 2 | n << 4 | compressed << 22
                        for k in 0..<5 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
                    }
                    out += payload
                    return
                }
            }
        }
        writeRawOrRLEHeader(type: 0, size: n, into: &out)
        out += literals
    }

    private func writeRawOrRLEHeader(type: Int, size n: Int, into out: inout [UInt8]) {
        if n < 32 {
            out.append(UInt8(type | n << 3))
        } else if n < 4096 {
            let v = type | 1 << 2 | n << 4
            out += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
        } else {
            let v = type | 3 << 2 | n << 4
            out += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v >> 16)]
        }
    }

    static func literalLengthCode(_ ll: Int) -> Int {
        if ll < 16 { return ll }
        if ll < 64 {
            var code = 24
            while ZstdDecoder.literalLengthBaselines[code] > ll { code -= 1 }
            return code
        }
        return Int.bitWidth - 1 - ll.leadingZeroBitCount + 19
    }

    static func matchLengthCode(_ ml: Int) -> Int {
        let base = ml - 3
        if base < 32 { return base }
        if base < 128 {
            var code = 42
            while ZstdDecoder.matchLengthBaselines[code] > ml { code -= 1 }
            return code
        }
        return Int.bitWidth - 1 - base.leadingZeroBitCount + 36
    }

    static let predefinedLiteralLengths = ZstdFSEEncoder(table: ZstdFSETable.predefinedLiteralLengths, symbolCount: 36)
    static let predefinedMatchLengths = ZstdFSEEncoder(table: ZstdFSETable.predefinedMatchLengths, symbolCount: 53)
    static let predefinedOffsets = ZstdFSEEncoder(table: ZstdFSETable.predefinedOffsets, symbolCount: 29)

    /// Chooses RLE, a custom table or the predefined one for `codes`; writes any table description.
    private func chooseEncoder(
        _ codes: [UInt8], symbolCount: Int, maxLog: Int, predefined: ZstdFSEEncoder, predefinedMax: Int,
        into out: inout [UInt8]
    ) -> (mode: Int, encoder: ZstdFSEEncoder) {
        var frequencies = [Int](repeating: 0, count: symbolCount)
        for c in codes { frequencies[Int(c)] += 1 }
        let used = frequencies.filter { $0 > 0 }.count
        if used == 1 {
            let symbol = Int(codes[0])
            out.append(UInt8(symbol))
            return (1, ZstdFSEEncoder(table: ZstdFSETable(rle: UInt8(symbol)), symbolCount: symbol + 1))
        }
        let highest = frequencies.lastIndex(where: { $0 > 0 }) ?? 0
        if codes.count >= 64 || highest > predefinedMax {
            let log = min(maxLog, max(6, Int.bitWidth - 1 - codes.count.leadingZeroBitCount - 1))
            let counts = ZstdFSEEncoder.normalize(frequencies, log: log)
            if let table = try? ZstdFSETable(counts: counts, accuracyLog: log, at: 0) {
                ZstdFSEEncoder.writeDescription(counts, log: log, into: &out)
                return (2, ZstdFSEEncoder(table: table, symbolCount: counts.count))
            }
        }
        return (0, predefined)
    }

    private func encodeSequences(_ sequences: [Sequence], into out: inout [UInt8]) {
        let count = sequences.count
        if count < 128 {
            out.append(UInt8(count))
        } else if count < 0x7F00 {
            out += [UInt8(count >> 8 + 128), UInt8(count & 0xFF)]
        } else {
            out += [255, UInt8((count - 0x7F00) & 0xFF), UInt8((count - 0x7F00) >> 8)]
        }
        if count == 0 { return }
        var llCodes = [UInt8](), mlCodes = [UInt8](), ofCodes = [UInt8]()
        llCodes.reserveCapacity(count)
        mlCodes.reserveCapacity(count)
        ofCodes.reserveCapacity(count)
        for q in sequences {
            llCodes.append(UInt8(Self.literalLengthCode(q.literalLength)))
            mlCodes.append(UInt8(Self.matchLengthCode(q.matchLength)))
            ofCodes.append(UInt8(Int.bitWidth - 1 - q.offsetValue.leadingZeroBitCount))
        }
        let modesAt = out.count
        out.append(0)
        let ll = chooseEncoder(llCodes, symbolCount: 36, maxLog: 9, predefined: Self.predefinedLiteralLengths, predefinedMax: 35, into: &out)
        let of = chooseEncoder(ofCodes, symbolCount: 32, maxLog: 8, predefined: Self.predefinedOffsets, predefinedMax: 28, into: &out)
        let ml = chooseEncoder(mlCodes, symbolCount: 53, maxLog: 9, predefined: Self.predefinedMatchLengths, predefinedMax: 52, into: &out)
        out[modesAt] = UInt8(ll.mode << 6 | of.mode << 4 | ml.mode << 2)

        var writer = ZstdBitWriter(reservingCapacity: count * 4)
        var llState = ll.encoder.lastState(for: Int(llCodes[count - 1]))
        var ofState = of.encoder.lastState(for: Int(ofCodes[count - 1]))
        var mlState = ml.encoder.lastState(for: Int(mlCodes[count - 1]))
        let llBase = ZstdDecoder.literalLengthBaselines, llBits = ZstdDecoder.literalLengthBits
        let mlBase = ZstdDecoder.matchLengthBaselines, mlBits = ZstdDecoder.matchLengthBits
        for k in stride(from: count - 1, through: 0, by: -1) {
            let llCode = Int(llCodes[k]), mlCode = Int(mlCodes[k]), ofCode = Int(ofCodes[k])
            if k < count - 1 {
                let o = of.encoder.step(symbol: ofCode, next: ofState)
                writer.write(o.bits, o.count)
                ofState = o.state
                let m = ml.encoder.step(symbol: mlCode, next: mlState)
                writer.write(m.bits, m.count)
                mlState = m.state
                let l = ll.encoder.step(symbol: llCode, next: llState)
                writer.write(l.bits, l.count)
                llState = l.state
            }
            let q = sequences[k]
            writer.write(q.literalLength - llBase[llCode], llBits[llCode])
            writer.write(q.matchLength - mlBase[mlCode], mlBits[mlCode])
            writer.write(q.offsetValue - (1 << ofCode), ofCode)
        }
        writer.write(mlState, ml.encoder.table.accuracyLog)
        writer.write(ofState, of.encoder.table.accuracyLog)
        writer.write(llState, ll.encoder.table.accuracyLog)
        writer.finishWithMarker()
        out += writer.bytes
    }
}
