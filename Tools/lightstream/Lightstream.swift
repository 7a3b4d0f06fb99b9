import ArgumentParser
import Lightstream

@main
struct LightstreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lightstream",
        abstract: "Move Apache Arrow data through bytes without copies.",
        discussion: """
        Layers built so far: Vec64 (64-byte aligned buffers and bitmaps), the Arrow in-memory model \
        (types, arrays, builders, validation, record batches, tables), Framing (decoders, encoders, \
        stream buffers, length-prefixed frames), TLV frames and Arrow IPC files and streams. Codecs, memory \
        mapping and async streams come with later releases; their subcommands are not offered until they exist.
        """,
        version: LightstreamVersion.current,
        subcommands: [Demo.self, Convert.self, SchemaCommand.self, Cat.self, Validate.self, Integration.self, Conformance.self]
    )
}

enum LightstreamVersion {
    static let current = "0.1.0"
}
