/// Why a ``Buffer`` could not give the requested view.
public enum BufferError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The range `offset ..< offset + length` is not inside a buffer of `bufferCount` bytes.
    case outOfBounds(offset: Int, length: Int, bufferCount: Int)
    /// The buffer's address is not a multiple of the element type's alignment.
    case misaligned(address: UInt, required: Int)
    /// The byte count is not a multiple of the element size.
    case lengthNotMultiple(byteCount: Int, elementSize: Int)

    /// A one-line explanation of the error.
    public var description: String {
        switch self {
        case let .outOfBounds(offset, length, bufferCount):
            "byte range \(offset)..<\(offset &+ length) is outside a buffer of \(bufferCount) bytes"
        case let .misaligned(address, required):
            "buffer at 0x\(String(address, radix: 16)) is not \(required)-byte aligned"
        case let .lengthNotMultiple(byteCount, elementSize):
            "buffer of \(byteCount) bytes is not a whole number of \(elementSize)-byte elements"
        }
    }
}
