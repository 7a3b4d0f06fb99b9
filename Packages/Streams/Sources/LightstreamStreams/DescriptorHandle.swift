import LightstreamFraming
import Synchronization
import SystemPackage

/// The one owner of a file descriptor the async streams read and write.
///
/// Copies of a ``FileDescriptorByteStream`` or ``FileDescriptorByteSink`` (and a connection's
/// stream and sink) share one handle, so the descriptor is closed exactly once however many of
/// them ask, and none of them reads or writes it once it is closed: a descriptor number the
/// system has since given to another file is never touched. An owned descriptor is closed, at
/// the latest, when the last of them is gone.
final class DescriptorHandle: Sendable {
    let descriptor: FileDescriptor
    /// Whether ``close()`` closes the descriptor (otherwise the caller owns it, and ``close()``
    /// only ends the streams' use of it).
    let ownsDescriptor: Bool
    private let closed = Atomic<Bool>(false)

    init(_ descriptor: FileDescriptor, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
    }

    /// An owned descriptor nobody closed is closed when the last stream or sink over it is gone.
    deinit { close() }

    /// Whether ``close()`` was called.
    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Ends the streams' use of the descriptor and closes it if owned; only the first call does
    /// anything.
    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if ownsDescriptor { try? descriptor.close() }
    }

    /// The descriptor, or an I/O error at `position` once the handle is closed.
    func open(at position: Int) throws(FramingError) -> Int32 {
        guard !isClosed else { throw FramingError(.io("descriptor \(descriptor.rawValue) is closed"), at: position) }
        return descriptor.rawValue
    }
}
