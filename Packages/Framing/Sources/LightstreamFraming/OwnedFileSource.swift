import SystemPackage
import Vec64

/// A file descriptor source that opens a path, owns its descriptor and closes it when the last
/// copy goes away (standard input, `-`, is read but never closed).
public struct OwnedFileSource: ByteSource {
    private final class Handle: Sendable {
        let descriptor: FileDescriptor
        let owned: Bool
        init(_ descriptor: FileDescriptor, owned: Bool) { self.descriptor = descriptor; self.owned = owned }
        deinit { if owned { try? descriptor.close() } }
    }
    private let handle: Handle
    private var source: FileDescriptorSource

    /// Opens `path` for reading (`-` is standard input, not closed).
    public init(path: String) throws(FramingError) {
        if path == "-" {
            handle = Handle(.standardInput, owned: false)
        } else {
            do {
                handle = Handle(try FileDescriptor.open(FilePath(path), .readOnly), owned: true)
            } catch {
                throw FramingError(.io("cannot open \(path): \(error)"), at: 0)
            }
        }
        source = FileDescriptorSource(handle.descriptor)
    }

    public mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) throws -> Bool {
        try source.read(into: &buffer, minimumCapacity: minimumCapacity)
    }
}
