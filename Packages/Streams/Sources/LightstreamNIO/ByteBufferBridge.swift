import NIOCore
import Vec64

/// Keeps a `ByteBuffer`'s storage alive for the `Buffer`s that point into it. NIO never writes
/// into storage that another `ByteBuffer` value still references (copy-on-write), so the bytes
/// stay as they were.
final class ByteBufferOwner: @unchecked Sendable {
    let byteBuffer: ByteBuffer
    init(_ byteBuffer: ByteBuffer) { self.byteBuffer = byteBuffer }
}

extension Buffer {
    /// The readable bytes of `byteBuffer`, without a copy.
    public init(byteBuffer: ByteBuffer) {
        let owner = ByteBufferOwner(byteBuffer)
        let bytes = owner.byteBuffer.withUnsafeReadableBytes { $0 }
        self.init(unsafeForeignBytes: bytes, owner: owner)
    }
}

extension ByteBuffer {
    /// A copy of `buffer`'s bytes (NIO writes only memory it allocated).
    public init(copying buffer: Buffer, allocator: ByteBufferAllocator = ByteBufferAllocator()) {
        self = buffer.withUnsafeBytes { raw in
            var out = allocator.buffer(capacity: raw.count)
            out.writeBytes(raw)
            return out
        }
    }
}
