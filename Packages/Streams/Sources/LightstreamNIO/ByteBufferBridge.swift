import NIOCore
import Vec64

/// Owns a reference to a `ByteBuffer`'s storage, taken with NIO's
/// `withUnsafeReadableBytesWithStorageManagement`, whose documented contract is that the
/// readable bytes stay valid while that reference is held (retained here, released in `deinit`).
/// NIO never writes into storage that more than one reference holds (copy-on-write checks the
/// reference count), so the bytes also stay as they were: the `Buffer`s over them are immutable.
final class ByteBufferStorageOwner: @unchecked Sendable {
    private let storage: Unmanaged<AnyObject>

    init(retaining storage: Unmanaged<AnyObject>) {
        self.storage = storage.retain()
    }

    deinit { storage.release() }
}

extension Buffer {
    /// The readable bytes of `byteBuffer`, without a copy: the buffer keeps the `ByteBuffer`'s
    /// storage alive (and unchanged) for as long as it or a slice of it lives.
    public init(byteBuffer: ByteBuffer) {
        self = byteBuffer.withUnsafeReadableBytesWithStorageManagement { bytes, storage in
            Buffer(unsafeForeignBytes: bytes, owner: ByteBufferStorageOwner(retaining: storage))
        }
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
