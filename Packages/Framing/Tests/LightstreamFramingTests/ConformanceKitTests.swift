import LightstreamFraming
import LightstreamFramingConformance
import Testing
import Vec64

/// The kit must catch broken codecs, or passing it means nothing.
@Suite("Conformance kit catches broken codecs")
struct ConformanceKitTests {
    /// Drops the last byte of every body it decodes.
    struct LossyDecoder: FrameDecoder {
        var inner = LengthPrefixedFrameDecoder()
        mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<Buffer> {
            switch try inner.decode(window) {
            case let .frame(body, consumed): .frame(body.isEmpty ? body : body.slice(0..<(body.count - 1)), consumed: consumed)
            case let .needMoreData(n): .needMoreData(minimumWindow: n)
            }
        }
    }

    /// Decodes whatever bytes it has as one frame: wrong as soon as input is split.
    struct GreedyDecoder: FrameDecoder {
        mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<Buffer> {
            window.count < 4 ? .needMoreData(minimumWindow: 4) : .frame(window.body(4..<window.count), consumed: window.count)
        }
    }

    static func samples(_ rng: inout SplitMix64) -> [Buffer] {
        randomBodies(&rng).filter { !$0.isEmpty } + [Buffer(copying: [1, 2, 3] as [UInt8])]
    }

    @Test func lossyDecoderFails() {
        let kit = FramingConformance(encoder: { LengthPrefixedFrameEncoder() }, decoder: { LossyDecoder() }, samples: Self.samples)
        let failures = kit.run(rounds: 2, maximumSplits: 50, garbageRounds: 10)
        #expect(failures.contains { $0.check == "roundTrip" })
    }

    @Test func greedyDecoderFailsOnSplits() {
        let kit = FramingConformance(encoder: { LengthPrefixedFrameEncoder() }, decoder: { GreedyDecoder() }, samples: Self.samples)
        let checks = Set(kit.run(rounds: 2, maximumSplits: 50, garbageRounds: 10).map(\.check))
        #expect(checks.contains("everySplit") || checks.contains("roundTrip"))
        #expect(checks.contains("truncation"))
    }
}
