@testable import LightstreamNIO
import LightstreamStreams
import NIOCore
import SystemPackage
import Testing
import Vec64
#if canImport(Glibc)
import Glibc
#endif

@Suite("NIO stdio checks and ByteBuffer bridging")
struct StdioAndBridgeTests {
    /// SwiftNIO traps (`try!` on `epoll_ctl`'s EPERM) when handed a regular file or `/dev/null`:
    /// `NIOTransport.standardIO` refuses them first, with a typed error.
    @Test("regular files and /dev/null are refused before SwiftNIO sees them; pipes pass")
    func unpollableDescriptorsAreRefused() throws {
        let path = "/tmp/lightstream-nio-stdio-\(getpid()).bin"
        let file = try FileDescriptor.open(path, .readWrite, options: [.create, .truncate], permissions: .ownerReadWrite)
        defer { try? file.close(); unlink(path) }
        let null = try FileDescriptor.open("/dev/null", .readOnly)
        defer { try? null.close() }
        for (descriptor, kind) in [(file, "a regular file"), (null, "a memory device")] {
            #expect {
                try NIOTransport.checkPollable(descriptor.rawValue, "standard input")
            } throws: { error in
                guard let error = error as? TransportError, error.kind == .unsupportedDescriptor else { return false }
                return error.description.hasPrefix("standard input cannot be used here: it is \(kind)")
            }
        }
        let (read, write) = try FileDescriptor.pipe()
        defer { try? read.close(); try? write.close() }
        try NIOTransport.checkPollable(read.rawValue, "standard input")
        try NIOTransport.checkPollable(write.rawValue, "standard output")
    }

    @Test("a Buffer over a ByteBuffer keeps its bytes when the ByteBuffer is reused or gone")
    func bridgedBytesStayValid() {
        var bytes = ByteBufferAllocator().buffer(capacity: 64)
        bytes.writeString("hello, arrow")
        let buffer = Buffer(byteBuffer: bytes)
        // Writing into the ByteBuffer again copies its storage (it is shared): the Buffer is unchanged.
        bytes.clear()
        bytes.writeString("XXXXXXXXXXXX")
        #expect(buffer.array == Array("hello, arrow".utf8))
        bytes = ByteBuffer()
        let slice = buffer.slice(7..<12)
        #expect(slice.array == Array("arrow".utf8))
    }
}
