import LightstreamFramingConformance
import Lightstream
import LineFramingExample
import Testing

/// The README's thirty-line custom framing passes the same conformance kit as our codecs.
@Suite("Custom framing example")
struct LineFramingExampleTests {
    @Test func passesTheConformanceKit() {
        let kit = FramingConformance(encoder: { LineEncoder() }, decoder: { LineDecoder() }) { rng in
            (0..<Int.random(in: 0...15, using: &rng)).map { i in
                String(repeating: "ab é ", count: Int.random(in: 0...20, using: &rng)) + "\(i)"
            }
        }
        let failures = kit.run(rounds: 4, maximumSplits: 300)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test func readsLinesFromChunks() throws {
        var reader = FrameReader(decoder: LineDecoder(), source: BufferSource(Array("one\ntwo\nthree\n".utf8), chunkSize: 3))
        #expect(try reader.readAll() == ["one", "two", "three"])
    }
}
