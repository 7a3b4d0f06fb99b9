extension InflateDecoder {
    /// Reads a dynamic block's code lengths (section 3.2.7) and builds its two tables.
    func readDynamicTables() throws(CodecError) {
        refill()
        let literalCount = take(5) + 257
        let distanceCount = take(5) + 1
        let codeLengthCount = take(4) + 4
        guard literalCount <= 286 else { throw corrupt("\(literalCount) literal/length codes (at most 286)") }
        guard distanceCount <= 30 else { throw corrupt("\(distanceCount) distance codes (at most 30)") }
        let total = literalCount + distanceCount
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 320) { (lengths) throws(CodecError) in
            let lengths = lengths.baseAddress!
            lengths.initialize(repeating: 0, count: 320)
            for i in 0..<codeLengthCount {
                refill()
                lengths[DeflateFormat.codeLengthOrder[i]] = UInt8(take(3))
            }
            try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1 << InflateTable.codeLengthBits) {
                (table) throws(CodecError) in
                let table = table.baseAddress!
                let problem = InflateTable.codeLengthSymbols.withUnsafeBufferPointer { symbols in
                    InflateTable.build(
                        lengths: lengths, count: 19, symbols: symbols.baseAddress!,
                        primaryBits: InflateTable.codeLengthBits, completeness: .complete, into: table,
                        capacity: 1 << InflateTable.codeLengthBits)
                }
                if let problem { throw corrupt("code-length code: \(problem)") }
                lengths.update(repeating: 0, count: 19)
                var i = 0
                while i < total {
                    refill()
                    let entry = table[Int(bitBuffer & 0x7F)]
                    guard (entry >> 12) & 0xF == InflateTable.Kind.literal else { throw corrupt("invalid code-length code") }
                    _ = take(Int(entry & 0xFF))
                    let symbol = Int(entry >> 16)
                    if symbol < 16 {
                        lengths[i] = UInt8(symbol)
                        i += 1
                        continue
                    }
                    var value: UInt8 = 0
                    let repeats: Int
                    switch symbol {
                    case 16:
                        guard i > 0 else { throw corrupt("code length repeat with no previous length") }
                        value = lengths[i - 1]
                        repeats = 3 + take(2)
                    case 17: repeats = 3 + take(3)
                    default: repeats = 11 + take(7)
                    }
                    guard repeats <= total - i else { throw corrupt("code length repeat past the \(total) code lengths") }
                    (lengths + i).update(repeating: value, count: repeats)
                    i += repeats
                }
            }
            guard !isOverrun else { throw CodecError(.truncated, at: inputCount) }
            guard lengths[DeflateFormat.endOfBlock] != 0 else { throw corrupt("no end-of-block code") }
            let literalProblem = InflateTable.literalSymbols.withUnsafeBufferPointer { symbols in
                InflateTable.build(
                    lengths: lengths, count: literalCount, symbols: symbols.baseAddress!,
                    primaryBits: InflateTable.primaryLiteralBits, completeness: .singleAllowed, into: literalTable,
                    capacity: InflateTable.literalCapacity)
            }
            if let literalProblem { throw corrupt("literal/length code: \(literalProblem)") }
            let distanceProblem = InflateTable.distanceSymbols.withUnsafeBufferPointer { symbols in
                InflateTable.build(
                    lengths: lengths + literalCount, count: distanceCount, symbols: symbols.baseAddress!,
                    primaryBits: InflateTable.primaryDistanceBits, completeness: .singleOrEmptyAllowed,
                    into: distanceTable, capacity: InflateTable.distanceCapacity)
            }
            if let distanceProblem { throw corrupt("distance code: \(distanceProblem)") }
        }
    }

    /// Decodes the current Huffman block's symbols: whether it reached its end of block (else the
    /// output needs room, and the rest of the symbol that did not fit is pending).
    func decodeHuffmanBlock() throws(CodecError) -> Bool {
        if pendingLiteral >= 0 {
            guard produced < room else { return false }
            output[produced] = UInt8(pendingLiteral)
            produced += 1
            pendingLiteral = -1
        }
        if pendingLength > 0 {
            let n = Swift.min(pendingLength, room - produced)
            Self.copyExactly(output, at: produced, distance: pendingDistance, length: n)
            produced += n
            pendingLength -= n
            if pendingLength > 0 { return false }
        }

        var bits = bitBuffer
        var count = bitCount
        var pos = position
        var op = produced
        defer {
            bitBuffer = bits
            bitCount = count
            position = pos
            produced = op
        }
        let input = self.input
        let inputCount = self.inputCount
        let fastEnd = inputCount - 8
        let out = output
        let room = self.room
        let windowStart = streamStart
        let literals = literalTable
        let distances = distanceTable
        let literalBits = UInt64(InflateTable.primaryLiteralBits)
        let literalMask: UInt64 = (1 << literalBits) - 1
        let distanceBits = UInt64(InflateTable.primaryDistanceBits)
        let distanceMask: UInt64 = (1 << distanceBits) - 1

        func failure(_ message: String, _ pos: Int, _ count: Int) -> CodecError {
            let consumed = pos * 8 - count
            if consumed > inputCount * 8 { return CodecError(.truncated, at: inputCount) }
            return CodecError(.corrupt(message), at: Swift.max(0, consumed / 8))
        }

        while true {
            if pos <= fastEnd {
                bits |= UInt64(littleEndian: UnsafeRawPointer(input + pos).loadUnaligned(as: UInt64.self)) &<< UInt64(truncatingIfNeeded: count)
                pos += (63 - count) >> 3
                count |= 56
            } else {
                while count < 56 {
                    if pos < inputCount { bits |= UInt64(input[pos]) &<< UInt64(truncatingIfNeeded: count) }
                    pos += 1
                    count += 8
                }
            }
            var entry = literals[Int(bits & literalMask)]
            if (entry >> 12) & 0xF == InflateTable.Kind.subtable {
                let index = Int((bits &>> literalBits) & ((1 &<< UInt64((entry &>> 8) & 0xF)) &- 1))
                entry = literals[Int(entry >> 16) + index]
            }
            let kind = (entry >> 12) & 0xF
            bits &>>= UInt64(entry & 0xFF)
            count -= Int(entry & 0xFF)
            if kind == InflateTable.Kind.literal {
                if pos > inputCount && pos * 8 - count > inputCount * 8 { throw CodecError(.truncated, at: inputCount) }
                guard op < room else {
                    pendingLiteral = Int(entry >> 16)
                    return false
                }
                out[op] = UInt8(truncatingIfNeeded: entry >> 16)
                op += 1
                continue
            }
            if kind == InflateTable.Kind.endOfBlock {
                if pos > inputCount && pos * 8 - count > inputCount * 8 { throw CodecError(.truncated, at: inputCount) }
                return true
            }
            guard kind == InflateTable.Kind.base else { throw failure("invalid literal/length code", pos, count) }
            let extra = UInt64((entry >> 8) & 0xF)
            let length = Int(entry >> 16) + Int(bits & ((1 &<< extra) &- 1))
            bits &>>= extra
            count -= Int(extra)

            var distanceEntry = distances[Int(bits & distanceMask)]
            if (distanceEntry >> 12) & 0xF == InflateTable.Kind.subtable {
                let index = Int((bits &>> distanceBits) & ((1 &<< UInt64((distanceEntry &>> 8) & 0xF)) &- 1))
                distanceEntry = distances[Int(distanceEntry >> 16) + index]
            }
            guard (distanceEntry >> 12) & 0xF == InflateTable.Kind.base else { throw failure("invalid distance code", pos, count) }
            bits &>>= UInt64(distanceEntry & 0xFF)
            count -= Int(distanceEntry & 0xFF)
            let distanceExtra = UInt64((distanceEntry >> 8) & 0xF)
            let distance = Int(distanceEntry >> 16) + Int(bits & ((1 &<< distanceExtra) &- 1))
            bits &>>= distanceExtra
            count -= Int(distanceExtra)
            if pos > inputCount && pos * 8 - count > inputCount * 8 { throw CodecError(.truncated, at: inputCount) }
            guard distance <= op - windowStart else {
                throw failure("distance \(distance) reaches before the stream's start (\(op - windowStart) bytes decoded)", pos, count)
            }
            if length <= room - op {
                Self.copyMatch(out, at: op, distance: distance, length: length)
                op += length
            } else {
                let n = room - op
                Self.copyExactly(out, at: op, distance: distance, length: n)
                op += n
                pendingLength = length - n
                pendingDistance = distance
                return false
            }
        }
    }

    /// Copies `length` bytes from `distance` back (the ranges may overlap: a distance below the
    /// length repeats the last `distance` bytes), writing up to 15 bytes past the end.
    @inline(__always)
    static func copyMatch(_ out: UnsafeMutablePointer<UInt8>, at position: Int, distance: Int, length: Int) {
        let raw = UnsafeMutableRawPointer(out)
        var to = position
        let end = position + length
        if distance >= 16 {
            // Each 16 bytes read lie at least 16 bytes back: already written.
            repeat {
                let a = raw.loadUnaligned(fromByteOffset: to - distance, as: UInt64.self)
                let b = raw.loadUnaligned(fromByteOffset: to - distance + 8, as: UInt64.self)
                raw.storeBytes(of: a, toByteOffset: to, as: UInt64.self)
                raw.storeBytes(of: b, toByteOffset: to + 8, as: UInt64.self)
                to += 16
            } while to < end
        } else if distance >= 8 {
            repeat {
                raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: to - distance, as: UInt64.self), toByteOffset: to, as: UInt64.self)
                to += 8
            } while to < end
        } else if distance == 1 {
            (out + position).update(repeating: out[position - 1], count: length)
        } else {
            copyExactly(out, at: position, distance: distance, length: length)
        }
    }

    /// Copies exactly `length` bytes from `distance` back, a byte at a time.
    static func copyExactly(_ out: UnsafeMutablePointer<UInt8>, at position: Int, distance: Int, length: Int) {
        var to = position
        let end = position + length
        while to < end {
            out[to] = out[to - distance]
            to += 1
        }
    }
}
