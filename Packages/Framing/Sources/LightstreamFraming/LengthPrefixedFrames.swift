import Vec64

/// How a length-prefixed frame's length field is laid out, in the spirit of swift-nio-extras'
/// `LengthFieldBasedFrameDecoder`.
public struct LengthFieldFormat: Sendable, Hashable {
    /// The width of the length field in bytes: 1, 2, 4 or 8.
    public var width: Int
    /// Whether the field is big-endian (network order) or little-endian.
    public var bigEndian: Bool
    /// Added to the field's value to get the body length (e.g. `-width` when the field counts
    /// itself).
    public var lengthAdjustment: Int
    /// The largest body accepted; a larger announced frame is an error, not an allocation.
    public var maximumFrameLength: Int
    /// The alignment frame bodies are handed out at (copied once, and counted, if they arrive
    /// misaligned). 1 means any.
    public var bodyAlignment: Int

    /// A format; by default a 4-byte big-endian length of the body alone, bodies of at most 16 MiB
    /// and no alignment.
    public init(width: Int = 4, bigEndian: Bool = true, lengthAdjustment: Int = 0,
                maximumFrameLength: Int = 16 << 20, bodyAlignment: Int = 1) {
        precondition([1, 2, 4, 8].contains(width), "LengthFieldFormat: width \(width) is not 1, 2, 4 or 8")
        precondition(maximumFrameLength >= 0, "LengthFieldFormat: negative maximum")
        precondition(bodyAlignment > 0 && bodyAlignment & (bodyAlignment - 1) == 0, "LengthFieldFormat: alignment must be a power of two")
        self.width = width
        self.bigEndian = bigEndian
        self.lengthAdjustment = lengthAdjustment
        self.maximumFrameLength = maximumFrameLength
        self.bodyAlignment = bodyAlignment
    }
}

/// Decodes `[length][body]` frames into their bodies, as zero-copy slices of the received bytes.
public struct LengthPrefixedFrameDecoder: FrameDecoder, Sendable {
    /// The layout of the length field and the limits applied.
    public let format: LengthFieldFormat

    /// A decoder of frames in `format`.
    public init(_ format: LengthFieldFormat = LengthFieldFormat()) { self.format = format }

    /// Decodes the first frame into its body; throws when the length overflows or exceeds
    /// `maximumFrameLength`.
    @inlinable
    public mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<Buffer> {
        let width = format.width
        guard window.count >= width else { return .needMoreData(minimumWindow: width) }
        let field = window.readInteger(width: width, at: 0, bigEndian: format.bigEndian)
        guard field <= UInt64(Int.max) else { throw window.error(.lengthOverflow(field), at: 0) }
        let (length, overflow) = Int(field).addingReportingOverflow(format.lengthAdjustment)
        guard !overflow, length >= 0 else { throw window.error(.lengthOverflow(field), at: 0) }
        guard length <= format.maximumFrameLength else {
            throw window.error(.frameTooLarge(length: UInt64(length), maximum: format.maximumFrameLength), at: 0)
        }
        let total = width + length
        guard window.count >= total else { return .needMoreData(minimumWindow: total) }
        return .frame(window.body(width..<total, alignment: format.bodyAlignment), consumed: total)
    }
}

/// Encodes bodies as `[length][body]` frames; large bodies are written by reference.
public struct LengthPrefixedFrameEncoder: FrameEncoder, Sendable {
    /// The layout of the length field and the limits applied.
    public let format: LengthFieldFormat

    /// An encoder of frames in `format`.
    public init(_ format: LengthFieldFormat = LengthFieldFormat()) { self.format = format }

    /// Appends the length field and `body`; throws when the body exceeds `maximumFrameLength` or
    /// its length does not fit the field.
    @inlinable
    public mutating func encode(_ body: Buffer, into output: inout FrameOutput) throws(FramingError) {
        guard body.count <= format.maximumFrameLength else {
            throw FramingError(.frameTooLarge(length: UInt64(body.count), maximum: format.maximumFrameLength), at: output.count)
        }
        let field = body.count - format.lengthAdjustment
        let limit: UInt64 = format.width == 8 ? .max : (1 << UInt64(format.width * 8)) - 1
        guard field >= 0, UInt64(field) <= limit else {
            throw FramingError(.lengthOverflow(UInt64(max(0, field))), at: output.count)
        }
        output.appendInteger(UInt64(field), width: format.width, bigEndian: format.bigEndian)
        output.append(body: body)
    }
}
