import LightstreamFraming
import LightstreamFramingConformance
import LightstreamTLV
import Testing
import Vec64

func randomFrames(_ rng: inout SplitMix64, format: TLVFormat) -> [TLVFrame] {
    let tagLimit: UInt32 = format.tagWidth == 4 ? .max : (1 << UInt32(format.tagWidth * 8)) - 1
    return (0..<Int.random(in: 0...10, using: &rng)).map { _ in
        let n = Int.random(in: 0...min(200, format.maximumValueLength), using: &rng)
        return TLVFrame(tag: UInt32.random(in: 0...tagLimit, using: &rng),
                        value: Buffer(copying: (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }))
    }
}

@Suite("TLV frames")
struct TLVFrameTests {
    static let formats: [TLVFormat] = [
        TLVFormat(),
        TLVFormat(tagWidth: 2, lengthWidth: 2, bigEndian: true, maximumValueLength: 1000),
        TLVFormat(tagWidth: 4, lengthWidth: 8),
        TLVFormat(tagWidth: 1, lengthWidth: 4, valueAlignment: 16),
    ]

    @Test("passes the conformance kit", arguments: formats)
    func conformance(_ format: TLVFormat) {
        let kit = FramingConformance(encoder: { TLVEncoder(format) }, decoder: { TLVDecoder(format) }) { rng in
            randomFrames(&rng, format: format)
        }
        let failures = kit.run(rounds: 4, maximumSplits: 400)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test func defaultLayoutIsOneByteTagAndFourByteLittleEndianLength() throws {
        var out = FrameOutput()
        var encoder = TLVEncoder()
        try encoder.encode(TLVFrame(tag: 7, value: Buffer(copying: [0xAA, 0xBB] as [UInt8])), into: &out)
        #expect(out.takeContiguous().array == [7, 2, 0, 0, 0, 0xAA, 0xBB])
    }

    func decode(_ bytes: [UInt8], _ format: TLVFormat = TLVFormat()) throws -> [TLVFrame] {
        var reader = FrameReader(decoder: TLVDecoder(format), source: BufferSource(bytes))
        return try reader.readAll()
    }

    @Test func truncatedLength() {
        #expect(throws: FramingError(.truncatedFrame(needed: 5, available: 3), at: 0)) { try decode([1, 2, 0]) }
    }

    @Test func truncatedValue() {
        #expect(throws: FramingError(.truncatedFrame(needed: 9, available: 6), at: 0)) { try decode([1, 4, 0, 0, 0, 9]) }
    }

    @Test func lengthOverTheMaximum() {
        #expect(throws: FramingError(.frameTooLarge(length: 0x0100, maximum: 100), at: 0)) {
            try decode([1, 0, 1, 0, 0], TLVFormat(maximumValueLength: 100))
        }
    }

    @Test func lengthThatOverflowsInt() {
        #expect(throws: FramingError(.lengthOverflow(.max), at: 0)) {
            try decode([1] + [UInt8](repeating: 0xFF, count: 8), TLVFormat(lengthWidth: 8, maximumValueLength: .max))
        }
    }

    @Test func trailingGarbage() {
        #expect(throws: FramingError(.truncatedFrame(needed: 5, available: 2), at: 6)) { try decode([1, 1, 0, 0, 0, 9, 0xFF, 0xFF]) }
    }

    @Test func valuesAreZeroCopySlicesOfAnAdoptedBuffer() throws {
        let wire = Buffer(copying: [3, 4, 0, 0, 0, 1, 2, 3, 4] as [UInt8])
        var reader = FrameReader(decoder: TLVDecoder(), source: BufferSource([wire]))
        let frame = try #require(try reader.next())
        #expect(frame.tag == 3)
        #expect(frame.value.byteOffset(from: wire) == 5)
        #expect(frame.value.sharesOwner(with: wire))
    }

    @Test func encoderRejectsTagsAndLengthsThatDoNotFit() {
        var out = FrameOutput()
        var encoder = TLVEncoder(TLVFormat(tagWidth: 1, lengthWidth: 2))
        #expect(throws: FramingError.self) { try encoder.encode(TLVFrame(tag: 256, value: Buffer()), into: &out) }
        #expect(throws: FramingError.self) { try encoder.encode(TLVFrame(tag: 1, value: Buffer(copying: [UInt8](repeating: 0, count: 70_000))), into: &out) }
    }
}

/// The typed layer: a stream of TLV frames as a stream of enum cases.
enum Telemetry: Equatable, Sendable {
    case ping(UInt64)
    case log(String)
    case temperature(Double)
    case payload(Buffer)
}

extension Telemetry {
    static var registry: TLVRegistry<Telemetry> {
        var r = TLVRegistry<Telemetry>()
        r.register(tag: 1, UInt64.self, embed: Telemetry.ping) { if case let .ping(v) = $0 { v } else { nil } }
        r.register(tag: 2, String.self, embed: Telemetry.log) { if case let .log(v) = $0 { v } else { nil } }
        r.register(tag: 3, Double.self, embed: Telemetry.temperature) { if case let .temperature(v) = $0 { v } else { nil } }
        r.register(tag: 9, Buffer.self, embed: Telemetry.payload) { if case let .payload(v) = $0 { v } else { nil } }
        return r
    }
}

@Suite("Typed TLV messages")
struct TypedTLVTests {
    @Test func passesTheConformanceKit() {
        let registry = Telemetry.registry
        let kit = FramingConformance(encoder: { TLVMessageEncoder(registry) }, decoder: { TLVMessageDecoder(registry) }) { rng in
            (0..<Int.random(in: 0...12, using: &rng)).map { i in
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: .ping(rng.next())
                case 1: .log("line \(i) é")
                case 2: .temperature(Double(i) * 0.5)
                default: .payload(Buffer(copying: [UInt8](repeating: UInt8(i), count: i * 10)))
                }
            }
        }
        let failures = kit.run(rounds: 4, maximumSplits: 300)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test func unknownTagIsATypedError() throws {
        var reader = FrameReader(decoder: TLVMessageDecoder(Telemetry.registry), source: BufferSource([1, 8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 77, 0, 0, 0, 0] as [UInt8]))
        #expect(try reader.next() == .ping(1))
        #expect(throws: FramingError(.unknownTag(77), at: 13)) { try reader.next() }
    }

    @Test func fixedWidthValuesTravelLittleEndian() throws {
        #expect(UInt32(0x0102_0304).encodeTLV().array == [4, 3, 2, 1])
        #expect(Int16(-2).encodeTLV().array == [0xFE, 0xFF])
        #expect(Double(1).encodeTLV().array == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect(Float(-2).encodeTLV().array == [0, 0, 0, 0xC0])
        #expect(try UInt64.decodeTLV(Buffer(copying: [1, 0, 0, 0, 0, 0, 0, 0x80])) == 0x8000_0000_0000_0001)
        #expect(try Double.decodeTLV(Double(-0.5).encodeTLV()) == -0.5)
    }

    @Test func malformedValuesAreTypedErrors() {
        var badText = FrameReader(decoder: TLVMessageDecoder(Telemetry.registry), source: BufferSource([2, 2, 0, 0, 0, 0xC3, 0x28] as [UInt8]))
        #expect(throws: FramingError(.malformed("TLV value is not valid UTF-8"), at: 0)) { try badText.next() }
        var shortNumber = FrameReader(decoder: TLVMessageDecoder(Telemetry.registry), source: BufferSource([3, 2, 0, 0, 0, 1, 2] as [UInt8]))
        #expect(throws: FramingError.self) { try shortNumber.next() }
    }

    @Test func registryListsTagsAndRefusesUnregisteredMessages() {
        var partial = TLVRegistry<Telemetry>()
        partial.register(tag: 1, UInt64.self, embed: Telemetry.ping) { if case let .ping(v) = $0 { v } else { nil } }
        #expect(partial.tags == [1])
        #expect(throws: FramingError.self) { try partial.encode(.log("x")) }
    }
}
