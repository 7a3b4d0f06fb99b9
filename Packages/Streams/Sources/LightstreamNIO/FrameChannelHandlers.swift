import LightstreamFraming
import NIOCore
import Vec64

/// Runs any `FrameDecoder` in a NIO pipeline: bytes in, frames out (`fireChannelRead` once per
/// frame). The same decode loop as the synchronous and async readers (`FrameExtractor`), so a
/// received chunk is adopted without a copy when no partial frame is pending, frame bodies are
/// zero-copy slices when suitably aligned and copied once into aligned memory otherwise (counted
/// in ``statistics``).
///
/// Malformed input fires the `FramingError` and closes the channel; a partial frame when the
/// peer closes fires a `.truncatedFrame` error.
///
/// ```swift
/// try channel.pipeline.syncOperations.addHandler(FrameDecoderHandler(decoder: TLVDecoder()))
/// ```
public final class FrameDecoderHandler<Decoder: FrameDecoder>: ChannelInboundHandler {
    /// Bytes.
    public typealias InboundIn = ByteBuffer
    /// Frames.
    public typealias InboundOut = Decoder.Frame

    var extractor: FrameExtractor<Decoder>
    var failed = false

    /// A handler decoding with `decoder`, through `buffer`.
    public init(decoder: Decoder, buffer: StreamBuffer = StreamBuffer()) {
        extractor = FrameExtractor(decoder: decoder, buffer: buffer)
    }

    /// Realigned bodies and compactions so far.
    public var statistics: FramingStatistics { extractor.buffer.statistics }

    /// Decodes every complete frame the new bytes finish.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let bytes = unwrapInboundIn(data)
        do {
            try extractor.append(Buffer(byteBuffer: bytes))
            while let frame = try extractor.nextFrame() {
                context.fireChannelRead(wrapInboundOut(frame))
            }
        } catch {
            failed = true
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }

    /// Decodes the last frames; a partial frame is a `.truncatedFrame` error.
    public func channelInactive(context: ChannelHandlerContext) {
        if !failed {
            do {
                while let frame = try extractor.lastFrame() {
                    context.fireChannelRead(wrapInboundOut(frame))
                }
            } catch {
                failed = true
                context.fireErrorCaught(error)
            }
        }
        context.fireChannelInactive()
    }
}

/// Runs any `FrameEncoder` in a NIO pipeline: frames in, bytes out (one `ByteBuffer` per frame;
/// NIO sends only memory it allocated, so the frame's bytes are copied once into it).
/// An encoding error fails the write's promise.
public final class FrameEncoderHandler<Encoder: FrameEncoder>: ChannelOutboundHandler {
    /// Frames.
    public typealias OutboundIn = Encoder.Frame
    /// Bytes.
    public typealias OutboundOut = ByteBuffer

    var encoder: Encoder

    /// A handler encoding with `encoder`.
    public init(encoder: Encoder) {
        self.encoder = encoder
    }

    /// Encodes the frame and writes its bytes.
    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var output = FrameOutput()
        do {
            try encoder.encode(unwrapOutboundIn(data), into: &output)
        } catch {
            promise?.fail(error)
            return
        }
        var bytes = context.channel.allocator.buffer(capacity: output.count)
        for piece in output.takePieces() { piece.withUnsafeBytes { _ = bytes.writeBytes($0) } }
        context.write(wrapOutboundOut(bytes), promise: promise)
    }
}
