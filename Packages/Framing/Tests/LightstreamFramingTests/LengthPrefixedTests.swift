import LightstreamFraming
import LightstreamFramingConformance
import SystemPackage
import Testing
import Vec64

/// Random bodies of mixed sizes, including empty ones.
func randomBodies(_ rng: inout SplitMix64, maximum: Int = 300) -> [Buffer] {
    (0..<Int.random(in: 0...12, using: &rng)).map { _ in
        let n = Int.random(in: 0...maximum, using: &rng)
        return Buffer(copying: (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }
}

@Suite("Length-prefixed frames")
struct LengthPrefixedTests {
    static let formats: [LengthFieldFormat] = [
        LengthFieldFormat(width: 1, maximumFrameLength: 255),
        LengthFieldFormat(width: 2, bigEndian: false),
        LengthFieldFormat(width: 4),
        LengthFieldFormat(width: 4, bigEndian: false, lengthAdjustment: -4),
        LengthFieldFormat(width: 8, bodyAlignment: 8),
    ]

    @Test("passes the conformance kit", arguments: formats)
    func conformance(_ format: LengthFieldFormat) {
        let kit = FramingConformance(
            encoder: { LengthPrefixedFrameEncoder(format) }, decoder: { LengthPrefixedFrameDecoder(format) }
        ) { rng in randomBodies(&rng, maximum: min(300, format.maximumFrameLength)) }
        let failures = kit.run(rounds: 4, maximumSplits: 400)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test func lengthAdjustmentCountsTheField() throws {
        var out = FrameOutput()
        var encoder = LengthPrefixedFrameEncoder(LengthFieldFormat(width: 2, lengthAdjustment: -2))
        try encoder.encode(Buffer(copying: [7, 8, 9] as [UInt8]), into: &out)
        #expect(out.takeContiguous().array == [0, 5, 7, 8, 9])
    }

    func decodeAll(_ bytes: [UInt8], _ format: LengthFieldFormat = LengthFieldFormat()) throws -> [Buffer] {
        var reader = FrameReader(decoder: LengthPrefixedFrameDecoder(format), source: BufferSource(bytes))
        return try reader.readAll()
    }

    @Test func truncatedLengthField() {
        #expect(throws: FramingError(.truncatedFrame(needed: 4, available: 2), at: 5)) {
            try decodeAll([0, 0, 0, 1, 42, 0, 0])
        }
    }

    @Test func truncatedValue() {
        #expect(throws: FramingError(.truncatedFrame(needed: 14, available: 7), at: 0)) {
            try decodeAll([0, 0, 0, 10, 1, 2, 3])
        }
    }

    @Test func lengthOverTheMaximum() {
        #expect(throws: FramingError(.frameTooLarge(length: 1000, maximum: 100), at: 0)) {
            try decodeAll([0, 0, 3, 0xE8], LengthFieldFormat(maximumFrameLength: 100))
        }
    }

    @Test func fourGigabyteAnnouncementIsAnErrorNotAnAllocation() {
        // Refused by the stream buffer's limit (1 GiB by default), which is checked before any
        // memory is reserved for the announced frame.
        #expect(throws: FramingError(.bufferLimitExceeded(needed: 4 + 0xFFFF_FFFF, limit: 1 << 30), at: 0)) {
            try decodeAll([0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3], LengthFieldFormat(maximumFrameLength: .max))
        }
    }

    @Test func lengthThatOverflowsInt() {
        #expect(throws: FramingError(.lengthOverflow(.max), at: 0)) {
            try decodeAll([UInt8](repeating: 0xFF, count: 8) + [1], LengthFieldFormat(width: 8, maximumFrameLength: .max))
        }
        #expect(throws: FramingError(.lengthOverflow(1), at: 0)) {
            try decodeAll([0, 0, 0, 1, 9], LengthFieldFormat(lengthAdjustment: -4))
        }
    }

    @Test func trailingGarbageIsATruncatedFrame() {
        #expect(throws: FramingError(.truncatedFrame(needed: 4, available: 1), at: 6)) {
            try decodeAll([0, 0, 0, 2, 1, 2, 0xAB])
        }
    }

    @Test func encoderRefusesOversizedBodies() {
        var out = FrameOutput()
        var encoder = LengthPrefixedFrameEncoder(LengthFieldFormat(width: 1, maximumFrameLength: 1000))
        #expect(throws: FramingError.self) { try encoder.encode(Buffer(copying: [UInt8](repeating: 0, count: 300)), into: &out) }
    }

    @Test func bodiesOfAnAdoptedBufferAreZeroCopy() throws {
        let wire = Buffer(copying: [0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 2, 4, 5] as [UInt8])
        var reader = FrameReader(decoder: LengthPrefixedFrameDecoder(), source: BufferSource([wire]))
        let first = try #require(try reader.next())
        let second = try #require(try reader.next())
        #expect(first.byteOffset(from: wire) == 4)
        #expect(second.byteOffset(from: wire) == 11)
        #expect(try reader.next() == nil)
    }

    @Test func largeBodiesAreWrittenByReference() throws {
        let body = Buffer(copying: [UInt8](repeating: 9, count: 100_000))
        var out = FrameOutput()
        var encoder = LengthPrefixedFrameEncoder()
        try encoder.encode(body, into: &out)
        let pieces = out.takePieces()
        #expect(pieces.count == 2)
        #expect(pieces[1].isIdentical(to: body))
    }
}
