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
        stream buffers, length-prefixed frames) and TLV frames. IPC, codecs, memory mapping and \
        streams come with later releases; their subcommands are not offered until they exist.
        """,
        version: LightstreamVersion.current,
        subcommands: [Demo.self]
    )
}

enum LightstreamVersion {
    static let current = "0.1.0"
}
