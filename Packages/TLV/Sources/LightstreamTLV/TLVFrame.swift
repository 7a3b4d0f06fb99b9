import LightstreamFraming
import Vec64

/// One type-length-value frame: a type tag and the value's bytes.
public struct TLVFrame: Sendable, Equatable, CustomStringConvertible {
    /// The type tag, which says how to read the value.
    public var tag: UInt32
    /// The value; decoded frames hold a zero-copy slice of the received bytes.
    public var value: Buffer

    /// A frame of `value` under `tag`.
    public init(tag: UInt32, value: Buffer) {
        self.tag = tag
        self.value = value
    }

    /// The tag and the value's size, e.g. `TLVFrame(tag: 1, 8 bytes)`.
    public var description: String { "TLVFrame(tag: \(tag), \(value.count) bytes)" }
}

/// The wire layout of TLV frames: `[tag][length][value]`.
public struct TLVFormat: Sendable, Hashable {
    /// The tag width in bytes: 1, 2 or 4.
    public var tagWidth: Int
    /// The length width in bytes: 2, 4 or 8.
    public var lengthWidth: Int
    /// Whether tag and length are big-endian.
    public var bigEndian: Bool
    /// The largest value accepted; a larger announced value is an error, not an allocation.
    public var maximumValueLength: Int
    /// The alignment values are handed out at (copied once, and counted, if they arrive
    /// misaligned); 1 means any.
    public var valueAlignment: Int

    /// The defaults: a 1-byte tag, a 4-byte little-endian length, values up to 64 MiB.
    public init(tagWidth: Int = 1, lengthWidth: Int = 4, bigEndian: Bool = false,
                maximumValueLength: Int = 64 << 20, valueAlignment: Int = 1) {
        precondition([1, 2, 4].contains(tagWidth), "TLVFormat: tag width \(tagWidth) is not 1, 2 or 4")
        precondition([2, 4, 8].contains(lengthWidth), "TLVFormat: length width \(lengthWidth) is not 2, 4 or 8")
        precondition(maximumValueLength >= 0, "TLVFormat: negative maximum")
        precondition(valueAlignment > 0 && valueAlignment & (valueAlignment - 1) == 0, "TLVFormat: alignment must be a power of two")
        self.tagWidth = tagWidth
        self.lengthWidth = lengthWidth
        self.bigEndian = bigEndian
        self.maximumValueLength = maximumValueLength
        self.valueAlignment = valueAlignment
    }

    /// The bytes before the value.
    public var headerLength: Int { tagWidth + lengthWidth }
}

/// Decodes TLV frames; values are zero-copy slices of the received bytes.
public struct TLVDecoder: FrameDecoder, Sendable {
    /// The wire layout and the limits applied.
    public let format: TLVFormat

    /// A decoder of frames in `format`.
    public init(_ format: TLVFormat = TLVFormat()) { self.format = format }

    /// Decodes the first frame; throws when its length overflows or exceeds `maximumValueLength`.
    @inlinable
    public mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<TLVFrame> {
        let header = format.headerLength
        guard window.count >= header else { return .needMoreData(minimumWindow: header) }
        let tag = UInt32(window.readInteger(width: format.tagWidth, at: 0, bigEndian: format.bigEndian))
        let field = window.readInteger(width: format.lengthWidth, at: format.tagWidth, bigEndian: format.bigEndian)
        guard field <= UInt64(Int.max - header) else { throw window.error(.lengthOverflow(field), at: 0) }
        let length = Int(field)
        guard length <= format.maximumValueLength else {
            throw window.error(.frameTooLarge(length: field, maximum: format.maximumValueLength), at: 0)
        }
        let total = header + length
        guard window.count >= total else { return .needMoreData(minimumWindow: total) }
        return .frame(TLVFrame(tag: tag, value: window.body(header..<total, alignment: format.valueAlignment)), consumed: total)
    }
}

/// Encodes TLV frames; large values are written by reference.
public struct TLVEncoder: FrameEncoder, Sendable {
    /// The wire layout and the limits applied.
    public let format: TLVFormat

    /// An encoder of frames in `format`.
    public init(_ format: TLVFormat = TLVFormat()) { self.format = format }

    /// Appends the tag, length and value; throws when the tag or length does not fit its field or
    /// the value exceeds `maximumValueLength`.
    @inlinable
    public mutating func encode(_ frame: TLVFrame, into output: inout FrameOutput) throws(FramingError) {
        guard format.tagWidth == 4 || frame.tag >> (UInt32(format.tagWidth) * 8) == 0 else {
            throw FramingError(.malformed("tag \(frame.tag) does not fit in \(format.tagWidth) bytes"), at: output.count)
        }
        guard frame.value.count <= format.maximumValueLength else {
            throw FramingError(.frameTooLarge(length: UInt64(frame.value.count), maximum: format.maximumValueLength), at: output.count)
        }
        guard format.lengthWidth == 8 || frame.value.count >> (format.lengthWidth * 8) == 0 else {
            throw FramingError(.lengthOverflow(UInt64(frame.value.count)), at: output.count)
        }
        output.appendInteger(UInt64(frame.tag), width: format.tagWidth, bigEndian: format.bigEndian)
        output.appendInteger(UInt64(frame.value.count), width: format.lengthWidth, bigEndian: format.bigEndian)
        output.append(body: frame.value)
    }
}
