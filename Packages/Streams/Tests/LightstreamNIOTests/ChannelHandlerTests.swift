import LightstreamFraming
import LightstreamFramingConformance
import LightstreamNIO
import LightstreamTLV
import NIOCore
import NIOEmbedded
import Testing
import Vec64

@Suite("NIO channel handlers", .timeLimit(.minutes(3)))
struct ChannelHandlerTests {
    func tlvBytes(count: Int, seed: UInt64) throws -> (Buffer, [TLVFrame]) {
        var rng = seededRandom(seed)
        var frames: [TLVFrame] = []
        var writer = FrameWriter(encoder: TLVEncoder(), sink: MemorySink())
        for _ in 0..<count {
            let size = Int.random(in: 0...3000, using: &rng)
            let frame = TLVFrame(tag: UInt32.random(in: 0...255, using: &rng), value: Buffer(copying: (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }))
            frames.append(frame)
            try writer.write(frame)
        }
        return (try writer.finish().buffer, frames)
    }

    @Test("FrameDecoderHandler over random ByteBuffer chunks gives the sync reader's frames", arguments: 0..<6)
    func decoderHandler(seed: Int) throws {
        let (bytes, frames) = try tlvBytes(count: 100, seed: UInt64(seed))
        let channel = EmbeddedChannel(handler: FrameDecoderHandler(decoder: TLVDecoder()))
        var rng = seededRandom(UInt64(seed) + 50)
        var start = 0
        while start < bytes.count {
            let end = Swift.min(bytes.count, start + Int.random(in: 1...(1 + seed * 2000), using: &rng))
            try channel.writeInbound(ByteBuffer(copying: bytes.slice(start..<end)))
            start = end
        }
        var received: [TLVFrame] = []
        while let frame = try channel.readInbound(as: TLVFrame.self) { received.append(frame) }
        #expect(received == frames)
        #expect(try channel.finish().isClean)
    }

    @Test("a partial frame when the channel closes is a truncation error")
    func truncatedAtClose() throws {
        let (bytes, _) = try tlvBytes(count: 3, seed: 1)
        let channel = EmbeddedChannel(handler: FrameDecoderHandler(decoder: TLVDecoder()))
        try channel.writeInbound(ByteBuffer(copying: bytes.slice(0..<bytes.count - 1)))
        #expect {
            _ = try channel.finish()
        } throws: { error in
            guard let error = error as? FramingError, case .truncatedFrame = error.kind else { return false }
            return true
        }
    }

    @Test("garbage fires a typed error and closes the channel")
    func garbageCloses() throws {
        let channel = EmbeddedChannel(handler: FrameDecoderHandler(decoder: TLVDecoder(TLVFormat(maximumValueLength: 100))))
        #expect(throws: FramingError.self) { try channel.writeInbound(ByteBuffer(bytes: [1, 0xFF, 0xFF, 0, 0, 9, 9])) }
        #expect(!channel.isActive)
    }

    @Test("FrameEncoderHandler writes the bytes the sync encoder writes")
    func encoderHandler() throws {
        let (bytes, frames) = try tlvBytes(count: 50, seed: 3)
        let channel = EmbeddedChannel(handler: FrameEncoderHandler(encoder: TLVEncoder()))
        for frame in frames { try channel.writeOutbound(frame) }
        var out: [UInt8] = []
        while var chunk = try channel.readOutbound(as: ByteBuffer.self) { out += chunk.readBytes(length: chunk.readableBytes)! }
        #expect(out == bytes.withUnsafeBytes { Array($0) })
        #expect(try channel.finish().isClean)
    }

    @Test("an encoding error fails the write")
    func encoderError() throws {
        let channel = EmbeddedChannel(handler: FrameEncoderHandler(encoder: TLVEncoder(TLVFormat(maximumValueLength: 1))))
        #expect(throws: FramingError.self) { try channel.writeOutbound(TLVFrame(tag: 1, value: Buffer(copying: [1, 2]))) }
    }
}
