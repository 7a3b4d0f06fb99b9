import LightstreamArrow
import LightstreamFraming
import Vec64

extension IPCSchema {
    /// Decodes a schema from one encapsulated IPC schema message: the continuation marker
    /// `0xFFFFFFFF`, a 32-bit metadata length and the `Message` FlatBuffer (the legacy form without
    /// the marker is accepted too). This is what Parquet files written by pyarrow and arrow-rs
    /// store, base64-encoded, under the `ARROW:schema` key.
    public init(encapsulatedMessage bytes: [UInt8], limits: IPCLimits = .default) throws {
        var start = 4
        guard bytes.count >= 4 else { throw IPCError("schema message of \(bytes.count) bytes has no length") }
        var length = bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        if length == 0xFFFF_FFFF {
            guard bytes.count >= 8 else { throw IPCError("schema message of \(bytes.count) bytes has no length") }
            length = bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self))) }
            start = 8
        }
        guard length <= bytes.count - start else {
            throw IPCError("schema message announces \(length) bytes of metadata, \(bytes.count - start) follow")
        }
        let metadata = bytes.withUnsafeBytes { Buffer(copying: UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)])) }
        let message = try IPCMessage(metadata: metadata, body: Buffer())
        guard message.kind == .schema else { throw IPCError("expected a schema message, found \(message.kind)") }
        self = try SchemaDecoder.decode(message.header, limits: limits)
    }

    /// The encapsulated IPC schema message of this schema (marker, length, `Message`, padded to
    /// 8 bytes), as the `ARROW:schema` key of a Parquet file stores it.
    public func encapsulatedMessage() -> [UInt8] {
        let metadata = messageMetadata(.schema, bodyLength: 0) { builder in SchemaEncoder.encode(self, into: &builder) }
        var encoder = IPCMessageEncoder(alignment: 8)
        var output = FrameOutput()
        encoder.encode(.message(metadata: metadata, body: [], bodyLength: 0), into: &output)
        return output.takeContiguous().array
    }
}
