import LightstreamFraming
import Vec64

/// A custom wire format in thirty lines: newline-delimited text lines (no newline inside a line).
public struct LineDecoder: FrameDecoder {
    public var maximumLineLength = 1 << 20
    public init() {}

    public mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<String> {
        let newline = window.bytes.withUnsafeBytes { $0.firstIndex(of: UInt8(ascii: "\n")) }
        guard let end = newline else {
            if window.count > maximumLineLength { throw window.error(.frameTooLarge(length: UInt64(window.count), maximum: maximumLineLength), at: 0) }
            return .needMoreData(minimumWindow: window.count + 1)
        }
        guard let line = window.bytes.slice(0..<end).withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
            throw window.error(.malformed("line is not valid UTF-8"), at: 0)
        }
        return .frame(line, consumed: end + 1)
    }
}

public struct LineEncoder: FrameEncoder {
    public init() {}

    public mutating func encode(_ line: String, into output: inout FrameOutput) throws(FramingError) {
        guard !line.utf8.contains(UInt8(ascii: "\n")) else { throw FramingError(.malformed("a line cannot contain a newline"), at: output.count) }
        output.append(contentsOf: Array(line.utf8) + [UInt8(ascii: "\n")])
    }
}
