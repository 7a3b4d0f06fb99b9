/// Writes one block of LZ77 symbols as whichever of stored, fixed-Huffman or dynamic-Huffman
/// (RFC 1951, section 3.2.4-3.2.7) takes the fewest bits.
///
/// A symbol is a `UInt32`: a literal byte (below 256), or ``matchFlag`` with the match length
/// in bits 16-24 and the distance in bits 0-15 (minus one).
enum DeflateBlockWriter {
    static let matchFlag: UInt32 = 0x8000_0000

    @inline(__always) static func match(length: Int, distance: Int) -> UInt32 {
        matchFlag | UInt32(length) << 16 | UInt32(distance - 1)
    }

    /// The length symbol (257...285) of match lengths 0...258 (entries below 3 unused).
    static let lengthSymbol: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 259)
        for code in 0..<29 {
            let base = Int(DeflateFormat.lengthBase[code])
            let end = code == 28 ? 259 : Int(DeflateFormat.lengthBase[code + 1])
            for length in base..<end where code < 28 || length == 258 { table[length] = UInt16(257 + code) }
        }
        table[258] = 285
        return table
    }()

    /// The distance code of distances 1...256 (index distance - 1) and of larger distances
    /// (index 256 + (distance - 1) >> 7).
    static let distanceCode: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        for code in 0..<30 {
            let base = Int(DeflateFormat.distanceBase[code])
            let end = base + (1 << Int(DeflateFormat.distanceExtra[code]))
            for distance in base..<end {
                if distance <= 256 { table[distance - 1] = UInt8(code) }
                else { table[256 + ((distance - 1) >> 7)] = UInt8(code) }
            }
        }
        return table
    }()

    @inline(__always) static func distanceCode(_ distanceMinusOne: Int) -> Int {
        distanceMinusOne < 256 ? Int(distanceCode[distanceMinusOne]) : Int(distanceCode[256 + (distanceMinusOne >> 7)])
    }

    static let fixedLiteral = DeflateHuffmanCode(lengths: DeflateFormat.fixedLiteralLengths)
    static let fixedDistance = DeflateHuffmanCode(lengths: DeflateFormat.fixedDistanceLengths)

    /// Writes `symbols` (with an end of block) covering the input bytes `bytes`, as the final
    /// block when `isFinal`. The frequencies include the end of block.
    static func write(
        _ symbols: UnsafeBufferPointer<UInt32>, literalFrequencies: [UInt32], distanceFrequencies: [UInt32],
        bytes: UnsafeRawBufferPointer, isFinal: Bool, into writer: inout DeflateBitWriter
    ) {
        // Every code needs two symbols to be complete: give unused ones a count of 1.
        var literalCounts = literalFrequencies
        if literalCounts.lazy.filter({ $0 > 0 }).count < 2 { literalCounts[0] = Swift.max(literalCounts[0], 1) }
        var distanceCounts = distanceFrequencies
        for symbol in 0..<2 where distanceCounts.lazy.filter({ $0 > 0 }).count < 2 {
            distanceCounts[symbol] = Swift.max(distanceCounts[symbol], 1)
        }
        let literal = DeflateHuffmanCode(frequencies: literalCounts, limit: DeflateFormat.maximumCodeLength)
        let distance = DeflateHuffmanCode(frequencies: distanceCounts, limit: DeflateFormat.maximumCodeLength)
        let header = DynamicHeader(literal: literal.lengths, distance: distance.lengths)

        var extraBits = 0
        for code in 0..<29 { extraBits += Int(literalFrequencies[257 + code]) * Int(DeflateFormat.lengthExtra[code]) }
        for code in 0..<30 { extraBits += Int(distanceFrequencies[code]) * Int(DeflateFormat.distanceExtra[code]) }
        func cost(_ literal: DeflateHuffmanCode, _ distance: DeflateHuffmanCode) -> Int {
            var bits = extraBits
            for symbol in 0..<286 { bits += Int(literalFrequencies[symbol]) * Int(literal.lengths[symbol]) }
            for symbol in 0..<30 { bits += Int(distanceFrequencies[symbol]) * Int(distance.lengths[symbol]) }
            return bits
        }
        let dynamicBits = 3 + header.bits + cost(literal, distance)
        let fixedBits = 3 + cost(fixedLiteral, fixedDistance)
        let storedBits = 8 * (bytes.count + 5 * Swift.max(1, (bytes.count + 65534) / 65535)) + 7

        if storedBits < Swift.min(dynamicBits, fixedBits) {
            writeStored(bytes, isFinal: isFinal, into: &writer)
        } else if fixedBits <= dynamicBits {
            writer.write(isFinal ? 1 : 0, 1)
            writer.write(1, 2)
            writeSymbols(symbols, literal: fixedLiteral, distance: fixedDistance, into: &writer)
        } else {
            writer.write(isFinal ? 1 : 0, 1)
            writer.write(2, 2)
            header.write(into: &writer)
            writeSymbols(symbols, literal: literal, distance: distance, into: &writer)
        }
    }

    /// Stored blocks of at most 65,535 bytes each (one empty block for no bytes).
    static func writeStored(_ bytes: UnsafeRawBufferPointer, isFinal: Bool, into writer: inout DeflateBitWriter) {
        var offset = 0
        repeat {
            let n = Swift.min(65535, bytes.count - offset)
            let last = offset + n == bytes.count
            writer.write(isFinal && last ? 1 : 0, 1)
            writer.write(0, 2)
            writer.alignToByte()
            writer.write(UInt32(n), 16)
            writer.write(UInt32(~n & 0xFFFF), 16)
            writer.alignToByte()
            if n > 0 { writer.writeBytes(bytes.baseAddress! + offset, count: n) }
            offset += n
        } while offset < bytes.count
    }

    static func writeSymbols(
        _ symbols: UnsafeBufferPointer<UInt32>, literal: DeflateHuffmanCode, distance: DeflateHuffmanCode,
        into writer: inout DeflateBitWriter
    ) {
        literal.codes.withUnsafeBufferPointer { literalCodes in
            literal.lengths.withUnsafeBufferPointer { literalLengths in
                distance.codes.withUnsafeBufferPointer { distanceCodes in
                    distance.lengths.withUnsafeBufferPointer { distanceLengths in
                        lengthSymbol.withUnsafeBufferPointer { lengthSymbol in
                          DeflateFormat.lengthExtra.withUnsafeBufferPointer { lengthExtras in
                          DeflateFormat.lengthBase.withUnsafeBufferPointer { lengthBases in
                          DeflateFormat.distanceExtra.withUnsafeBufferPointer { distanceExtras in
                          DeflateFormat.distanceBase.withUnsafeBufferPointer { distanceBases in
                          distanceCode.withUnsafeBufferPointer { distanceCodeTable in
                            for symbol in symbols {
                                if symbol & matchFlag == 0 {
                                    writer.write(UInt32(literalCodes[Int(symbol)]), Int(literalLengths[Int(symbol)]))
                                    continue
                                }
                                let length = Int((symbol >> 16) & 0x1FF)
                                let code = Int(lengthSymbol[length])
                                writer.write(UInt32(literalCodes[code]), Int(literalLengths[code]))
                                let lengthExtra = Int(lengthExtras[code - 257])
                                if lengthExtra > 0 {
                                    writer.write(UInt32(length - Int(lengthBases[code - 257])), lengthExtra)
                                }
                                let distanceMinusOne = Int(symbol & 0xFFFF)
                                let distanceCode = Int(distanceMinusOne < 256
                                    ? distanceCodeTable[distanceMinusOne] : distanceCodeTable[256 + (distanceMinusOne >> 7)])
                                writer.write(UInt32(distanceCodes[distanceCode]), Int(distanceLengths[distanceCode]))
                                let distanceExtra = Int(distanceExtras[distanceCode])
                                if distanceExtra > 0 {
                                    writer.write(UInt32(distanceMinusOne + 1 - Int(distanceBases[distanceCode])), distanceExtra)
                                }
                            }
                          }
                          }
                          }
                          }
                          }
                            writer.write(UInt32(literalCodes[DeflateFormat.endOfBlock]), Int(literalLengths[DeflateFormat.endOfBlock]))
                        }
                    }
                }
            }
        }
    }
}

/// The code-length part of a dynamic block's header (section 3.2.7): the literal/length and
/// distance code lengths, run-length coded with symbols 16-18 and Huffman coded themselves.
struct DynamicHeader {
    let literalCount: Int
    let distanceCount: Int
    /// Code-length symbols, each with its extra bits value.
    var items: [(symbol: UInt8, extra: UInt8)] = []
    let code: DeflateHuffmanCode
    let codeLengthCount: Int
    /// The size of this header after the 3 block-type bits.
    let bits: Int

    init(literal: [UInt8], distance: [UInt8]) {
        var literalCount = 286
        while literalCount > 257 && literal[literalCount - 1] == 0 { literalCount -= 1 }
        var distanceCount = 30
        while distanceCount > 1 && distance[distanceCount - 1] == 0 { distanceCount -= 1 }
        self.literalCount = literalCount
        self.distanceCount = distanceCount
        let all = Array(literal[0..<literalCount]) + Array(distance[0..<distanceCount])

        var i = 0
        while i < all.count {
            let value = all[i]
            var run = 1
            while i + run < all.count && all[i + run] == value { run += 1 }
            i += run
            if value == 0 {
                while run >= 11 {
                    let n = Swift.min(run, 138)
                    items.append((18, UInt8(n - 11)))
                    run -= n
                }
                if run >= 3 {
                    items.append((17, UInt8(run - 3)))
                    run = 0
                }
            } else {
                items.append((value, 0))
                run -= 1
                while run >= 3 {
                    let n = Swift.min(run, 6)
                    items.append((16, UInt8(n - 3)))
                    run -= n
                }
            }
            for _ in 0..<run { items.append((value, 0)) }
        }
        var frequencies = [UInt32](repeating: 0, count: 19)
        for item in items { frequencies[Int(item.symbol)] += 1 }
        if frequencies.lazy.filter({ $0 > 0 }).count < 2 {
            // Complete the code with a second symbol.
            frequencies[frequencies[0] == 0 ? 0 : 1] += 1
        }
        code = DeflateHuffmanCode(frequencies: frequencies, limit: DeflateFormat.maximumCodeLengthCodeLength)
        var codeLengthCount = 19
        while codeLengthCount > 4 && code.lengths[DeflateFormat.codeLengthOrder[codeLengthCount - 1]] == 0 {
            codeLengthCount -= 1
        }
        self.codeLengthCount = codeLengthCount
        var bits = 5 + 5 + 4 + 3 * codeLengthCount
        for item in items {
            bits += Int(code.lengths[Int(item.symbol)]) + [16: 2, 17: 3, 18: 7][Int(item.symbol), default: 0]
        }
        self.bits = bits
    }

    func write(into writer: inout DeflateBitWriter) {
        writer.write(UInt32(literalCount - 257), 5)
        writer.write(UInt32(distanceCount - 1), 5)
        writer.write(UInt32(codeLengthCount - 4), 4)
        for i in 0..<codeLengthCount { writer.write(UInt32(code.lengths[DeflateFormat.codeLengthOrder[i]]), 3) }
        for item in items {
            writer.write(UInt32(code.codes[Int(item.symbol)]), Int(code.lengths[Int(item.symbol)]))
            switch item.symbol {
            case 16: writer.write(UInt32(item.extra), 2)
            case 17: writer.write(UInt32(item.extra), 3)
            case 18: writer.write(UInt32(item.extra), 7)
            default: break
            }
        }
    }
}
