import ArgumentParser
import Lightstream

@main
struct LightstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lightstream",
        abstract: "Move Apache Arrow data through bytes without copies.",
        discussion: """
        Layers: Vec64 (64-byte aligned buffers and bitmaps), the Arrow in-memory model (types, arrays, \
        builders, validation, record batches, tables), Framing (decoders, encoders, stream buffers, \
        length-prefixed frames), TLV frames, Arrow IPC files and streams, pure-Swift codecs (LZ4, Zstd, \
        Snappy), memory-mapped files, and async streams over files, pipes and sockets (TCP, Unix, stdio).
        """,
        version: LightstreamVersion.current,
        subcommands: [Demo.self, Convert.self, SchemaCommand.self, Cat.self, Validate.self, ParquetMeta.self, Integration.self, Conformance.self, Send.self, Recv.self]
    )
}

enum LightstreamVersion {
    static let current = "0.1.0"
}
