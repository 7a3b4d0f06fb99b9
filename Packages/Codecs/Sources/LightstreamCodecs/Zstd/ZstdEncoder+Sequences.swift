/// A compressed block's sequences section (RFC 8878 section 3.1.1.3.2).
extension ZstdEncoder {
    /// A sequence as coded: its three codes and the extra bits after them (the offset's extra bit
    /// count is its code).
    private struct CodedSequence {
        var literalLengthCode: UInt8
        var offsetCode: UInt8
        var matchLengthCode: UInt8
        var literalLengthBits: UInt8
        var matchLengthBits: UInt8
        var literalLengthExtra: UInt32
        var matchLengthExtra: UInt32
        var offsetExtra: UInt32
    }

    /// The literal length code of lengths 0...63, by length.
    private static let literalLengthCodes: [UInt8] = (0..<64).map { ll in
        UInt8((0..<36).last { ZstdDecoder.literalLengthBaselines[$0] <= ll }!)
    }

    /// The match length code of lengths 3...130, by length - 3.
    private static let matchLengthCodes: [UInt8] = (3..<131).map { ml in
        UInt8((0..<53).last { ZstdDecoder.matchLengthBaselines[$0] <= ml }!)
    }

    static func literalLengthCode(_ ll: Int) -> Int {
        ll < 64 ? Int(literalLengthCodes[ll]) : Int.bitWidth - 1 - ll.leadingZeroBitCount + 19
    }

    static func matchLengthCode(_ ml: Int) -> Int {
        let base = ml - 3
        return base < 128 ? Int(matchLengthCodes[base]) : Int.bitWidth - 1 - base.leadingZeroBitCount + 36
    }

    static let predefinedLiteralLengths = ZstdFSEEncoder(table: ZstdFSETable.predefinedLiteralLengths, symbolCount: 36)
    static let predefinedMatchLengths = ZstdFSEEncoder(table: ZstdFSETable.predefinedMatchLengths, symbolCount: 53)
    static let predefinedOffsets = ZstdFSEEncoder(table: ZstdFSETable.predefinedOffsets, symbolCount: 29)

    /// Chooses RLE, a custom table or the predefined one for codes with these `frequencies`
    /// (`count` codes in all); writes any RLE symbol or table description.
    private func chooseEncoder(
        _ frequencies: [Int], count: Int, maxLog: Int, predefined: ZstdFSEEncoder, predefinedMax: Int,
        into out: inout [UInt8]
    ) -> (mode: Int, encoder: ZstdFSEEncoder) {
        let used = frequencies.filter { $0 > 0 }.count
        let highest = frequencies.lastIndex(where: { $0 > 0 }) ?? 0
        if used == 1 {
            out.append(UInt8(highest))
            return (1, ZstdFSEEncoder(table: ZstdFSETable(rle: UInt8(highest)), symbolCount: highest + 1))
        }
        if count >= 64 || highest > predefinedMax {
            let log = min(maxLog, max(6, Int.bitWidth - 1 - count.leadingZeroBitCount - 1))
            let counts = ZstdFSEEncoder.normalize(frequencies, log: log)
            if let table = try? ZstdFSETable(counts: counts, accuracyLog: log, at: 0) {
                ZstdFSEEncoder.writeDescription(counts, log: log, into: &out)
                return (2, ZstdFSEEncoder(table: table, symbolCount: counts.count))
            }
        }
        return (0, predefined)
    }

    func encodeSequences(_ sequences: UnsafeBufferPointer<Sequence>, into out: inout [UInt8]) {
        let count = sequences.count
        if count < 128 {
            out.append(UInt8(count))
        } else if count < 0x7F00 {
            out += [UInt8(count >> 8 + 128), UInt8(count & 0xFF)]
        } else {
            out += [255, UInt8((count - 0x7F00) & 0xFF), UInt8((count - 0x7F00) >> 8)]
        }
        if count == 0 { return }
        var llFrequencies = [Int](repeating: 0, count: 36)
        var ofFrequencies = [Int](repeating: 0, count: 32)
        var mlFrequencies = [Int](repeating: 0, count: 53)
        let coded = [CodedSequence](unsafeUninitializedCapacity: count) { coded, initialized in
            for (i, q) in sequences.enumerated() {
                let ll = Int(q.literalLength), ml = Int(q.matchLength), offsetValue = Int(q.offsetValue)
                let llCode = Self.literalLengthCode(ll), mlCode = Self.matchLengthCode(ml)
                let ofCode = Int.bitWidth - 1 - offsetValue.leadingZeroBitCount
                llFrequencies[llCode] += 1
                ofFrequencies[ofCode] += 1
                mlFrequencies[mlCode] += 1
                coded[i] = CodedSequence(
                    literalLengthCode: UInt8(llCode), offsetCode: UInt8(ofCode), matchLengthCode: UInt8(mlCode),
                    literalLengthBits: UInt8(ZstdDecoder.literalLengthBits[llCode]),
                    matchLengthBits: UInt8(ZstdDecoder.matchLengthBits[mlCode]),
                    literalLengthExtra: UInt32(ll - ZstdDecoder.literalLengthBaselines[llCode]),
                    matchLengthExtra: UInt32(ml - ZstdDecoder.matchLengthBaselines[mlCode]),
                    offsetExtra: UInt32(offsetValue - (1 << ofCode)))
            }
            initialized = count
        }
        let modesAt = out.count
        out.append(0)
        let ll = chooseEncoder(llFrequencies, count: count, maxLog: 9, predefined: Self.predefinedLiteralLengths, predefinedMax: 35, into: &out)
        let of = chooseEncoder(ofFrequencies, count: count, maxLog: 8, predefined: Self.predefinedOffsets, predefinedMax: 28, into: &out)
        let ml = chooseEncoder(mlFrequencies, count: count, maxLog: 9, predefined: Self.predefinedMatchLengths, predefinedMax: 52, into: &out)
        out[modesAt] = UInt8(ll.mode << 6 | of.mode << 4 | ml.mode << 2)
        out += ll.encoder.withStepper { llSteps in
            of.encoder.withStepper { ofSteps in
                ml.encoder.withStepper { mlSteps in
                    coded.withUnsafeBufferPointer { coded in
                        // At most 31 + 16 + 16 extra bits and 9 + 8 + 9 state bits per sequence.
                        ZstdBitWriter.bytes(capacity: 12 * count + 16) { writer in
                            Self.writeBitstream(coded, &writer, ll: (ll.encoder, llSteps), of: (of.encoder, ofSteps), ml: (ml.encoder, mlSteps))
                        }
                    }
                }
            }
        }
    }

    /// Writes the sequences backwards, so the decoder reads them first to last: per sequence the
    /// state updates into the next one's states, then the extra bits; finally the initial states.
    private static func writeBitstream(
        _ coded: UnsafeBufferPointer<CodedSequence>, _ writer: inout ZstdBitWriter,
        ll: (ZstdFSEEncoder, ZstdFSEEncoder.Stepper), of: (ZstdFSEEncoder, ZstdFSEEncoder.Stepper),
        ml: (ZstdFSEEncoder, ZstdFSEEncoder.Stepper)
    ) {
        let last = coded[coded.count - 1]
        var llState = ll.0.lastState(for: Int(last.literalLengthCode))
        var ofState = of.0.lastState(for: Int(last.offsetCode))
        var mlState = ml.0.lastState(for: Int(last.matchLengthCode))
        for k in stride(from: coded.count - 1, through: 0, by: -1) {
            let q = coded[k]
            if k < coded.count - 1 {
                let o = of.1.step(symbol: Int(q.offsetCode), next: ofState)
                writer.write(o.bits, o.count)
                ofState = o.state
                let m = ml.1.step(symbol: Int(q.matchLengthCode), next: mlState)
                writer.write(m.bits, m.count)
                mlState = m.state
                let l = ll.1.step(symbol: Int(q.literalLengthCode), next: llState)
                writer.write(l.bits, l.count)
                llState = l.state
            }
            writer.write(Int(q.literalLengthExtra), Int(q.literalLengthBits))
            writer.write(Int(q.matchLengthExtra), Int(q.matchLengthBits))
            writer.write(Int(q.offsetExtra), Int(q.offsetCode))
        }
        writer.write(mlState, ml.0.table.accuracyLog)
        writer.write(ofState, of.0.table.accuracyLog)
        writer.write(llState, ll.0.table.accuracyLog)
        writer.writeEndMark()
    }
}
