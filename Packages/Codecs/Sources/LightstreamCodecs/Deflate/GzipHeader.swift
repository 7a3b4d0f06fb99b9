/// The gzip member header and trailer (RFC 1952, section 2.3).
enum GzipHeader {
    static let magic: (UInt8, UInt8) = (0x1F, 0x8B)
    static let methodDeflate: UInt8 = 8

    enum Flag {
        static let text: UInt8 = 1
        static let headerCRC: UInt8 = 2
        static let extra: UInt8 = 4
        static let name: UInt8 = 8
        static let comment: UInt8 = 16
        static let reserved: UInt8 = 0xE0
    }

    /// Checks the header of the member at `offset` and returns where its deflate data starts.
    static func read(_ input: UnsafeRawBufferPointer, at offset: Int) throws(CodecError) -> Int {
        let count = input.count
        guard count - offset >= 10 else { throw CodecError(.truncated, at: count) }
        guard input[offset] == magic.0 && input[offset + 1] == magic.1 else {
            throw CodecError(.corrupt("not a gzip member (magic \(input[offset]) \(input[offset + 1]))"), at: offset)
        }
        guard input[offset + 2] == methodDeflate else {
            throw CodecError(.unsupported("gzip compression method \(input[offset + 2]) (only 8, deflate)"), at: offset + 2)
        }
        let flags = input[offset + 3]
        guard flags & Flag.reserved == 0 else {
            throw CodecError(.corrupt("reserved gzip header flags set (\(flags))"), at: offset + 3)
        }
        var position = offset + 10
        if flags & Flag.extra != 0 {
            guard count - position >= 2 else { throw CodecError(.truncated, at: count) }
            let length = Int(input[position]) | Int(input[position + 1]) << 8
            position += 2
            guard count - position >= length else { throw CodecError(.truncated, at: count) }
            position += length
        }
        for flag in [Flag.name, Flag.comment] where flags & flag != 0 {
            // A zero-terminated string.
            while true {
                guard position < count else { throw CodecError(.truncated, at: count) }
                position += 1
                if input[position - 1] == 0 { break }
            }
        }
        if flags & Flag.headerCRC != 0 {
            guard count - position >= 2 else { throw CodecError(.truncated, at: count) }
            let stored = UInt16(input[position]) | UInt16(input[position + 1]) << 8
            let computed = UInt16(truncatingIfNeeded: CRC32.checksum(UnsafeRawBufferPointer(rebasing: input[offset..<position])))
            guard stored == computed else { throw CodecError(.checksumMismatch, at: position) }
            position += 2
        }
        return position
    }

    /// The smallest header: no name, no time stamp, `extraFlags` (2 for the best compression, 4
    /// for the fastest) and the operating system "unknown".
    static func minimal(extraFlags: UInt8) -> [UInt8] {
        [magic.0, magic.1, methodDeflate, 0, 0, 0, 0, 0, extraFlags, 255]
    }

    /// The little-endian 32-bit value at `offset`.
    static func readLE32(_ input: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(input[offset]) | UInt32(input[offset + 1]) << 8 | UInt32(input[offset + 2]) << 16 | UInt32(input[offset + 3]) << 24
    }
}
