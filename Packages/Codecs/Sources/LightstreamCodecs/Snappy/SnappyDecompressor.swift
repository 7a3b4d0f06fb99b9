/// The Snappy block decompressor: every element is checked against the input and the output.
enum SnappyDecompressor {
    /// The declared uncompressed length and the size of its varint.
    static func readPreamble(_ input: UnsafeRawBufferPointer) throws(CodecError) -> (length: Int, size: Int) {
        var value: UInt64 = 0
        var i = 0
        while true {
            guard i < 5 else { throw CodecError(.corrupt("length preamble longer than 5 bytes"), at: i) }
            guard i < input.count else { throw CodecError(.truncated, at: i) }
            let byte = input[i]
            value |= UInt64(byte & 0x7f) << UInt64(7 * i)
            i += 1
            if byte & 0x80 == 0 { break }
        }
        guard value <= UInt64(UInt32.max) else {
            throw CodecError(.corrupt("declared length \(value) exceeds 2^32 - 1"), at: 0)
        }
        return (Int(value), i)
    }

    /// Decodes the elements of `input` from `start` on, filling exactly all of `output`.
    static func decode(
        _ input: UnsafeRawBufferPointer, from start: Int, into output: UnsafeMutableBufferPointer<UInt8>
    ) throws(CodecError) {
        let ipEnd = input.count
        let opEnd = output.count
        guard let out = output.baseAddress, opEnd > 0 else {
            guard start == ipEnd else {
                throw CodecError(.corrupt("data after the declared length 0 is complete"), at: start)
            }
            return
        }
        let source = input.baseAddress!   // not empty: it holds the preamble
        var ip = start
        var op = 0

        while ip < ipEnd {
            let tagOffset = ip
            let tag = Int(source.load(fromByteOffset: ip, as: UInt8.self))
            ip += 1
            if tag & 3 == 0 {
                var length = (tag >> 2) + 1
                if length <= 16 && ipEnd - ip >= 16 && opEnd - op >= 16 {
                    // Short literal with room on both sides: copy 16 bytes; the output bytes past
                    // the literal are overwritten by the elements that follow.
                    let target = UnsafeMutableRawPointer(out + op)
                    target.storeBytes(of: source.loadUnaligned(fromByteOffset: ip, as: UInt64.self), as: UInt64.self)
                    target.storeBytes(
                        of: source.loadUnaligned(fromByteOffset: ip + 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
                    ip += length
                    op += length
                    continue
                }
                if length > 60 {
                    let lengthBytes = length - 60
                    guard ipEnd - ip >= lengthBytes else { throw CodecError(.truncated, at: ipEnd) }
                    var value = 0
                    for k in 0..<lengthBytes {
                        value |= Int(source.load(fromByteOffset: ip + k, as: UInt8.self)) << (8 * k)
                    }
                    ip += lengthBytes
                    length = value + 1
                }
                guard length <= opEnd - op else {
                    throw CodecError(
                        .corrupt("literal of \(length) bytes overruns the declared length \(opEnd)"), at: tagOffset)
                }
                guard length <= ipEnd - ip else { throw CodecError(.truncated, at: ipEnd) }
                UnsafeMutableRawPointer(out + op).copyMemory(from: source + ip, byteCount: length)
                ip += length
                op += length
                continue
            }

            let length: Int
            let offset: Int
            switch tag & 3 {
            case 1:
                guard ip < ipEnd else { throw CodecError(.truncated, at: ipEnd) }
                length = 4 + ((tag >> 2) & 7)
                offset = (tag >> 5) << 8 | Int(source.load(fromByteOffset: ip, as: UInt8.self))
                ip += 1
            case 2:
                guard ipEnd - ip >= 2 else { throw CodecError(.truncated, at: ipEnd) }
                length = (tag >> 2) + 1
                offset = Int(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: ip, as: UInt16.self)))
                ip += 2
            default:
                guard ipEnd - ip >= 4 else { throw CodecError(.truncated, at: ipEnd) }
                length = (tag >> 2) + 1
                offset = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: ip, as: UInt32.self)))
                ip += 4
            }
            guard offset != 0 else { throw CodecError(.corrupt("copy with offset 0"), at: tagOffset) }
            guard offset <= op else {
                throw CodecError(
                    .corrupt("copy offset \(offset) reaches before the output start (\(op) bytes written)"),
                    at: tagOffset)
            }
            guard length <= opEnd - op else {
                throw CodecError(
                    .corrupt("copy of \(length) bytes overruns the declared length \(opEnd)"), at: tagOffset)
            }
            copyMatch(UnsafeMutableRawPointer(out), at: op, offset: offset, length: length, room: opEnd - op)
            op += length
        }
        guard op == opEnd else { throw CodecError(.truncated, at: ipEnd) }
    }

    /// Copies `length` bytes from `offset` back to `position`; the ranges may overlap
    /// (an offset below the length repeats the last `offset` bytes). `room` is how many bytes
    /// from `position` on belong to the output, so short copies may write a little past `length`.
    @inline(__always)
    static func copyMatch(_ out: UnsafeMutableRawPointer, at position: Int, offset: Int, length: Int, room: Int) {
        if offset >= 8 && length <= 16 && room >= 16 {
            // Short copy with room after it: two 8-byte moves (the second may read the first).
            out.storeBytes(
                of: out.loadUnaligned(fromByteOffset: position - offset, as: UInt64.self),
                toByteOffset: position, as: UInt64.self)
            out.storeBytes(
                of: out.loadUnaligned(fromByteOffset: position + 8 - offset, as: UInt64.self),
                toByteOffset: position + 8, as: UInt64.self)
            return
        }
        var d = position
        let end = position + length
        var distance = offset
        if distance < 8 {
            // The bytes repeat with period `offset`, so any multiple of it is an equally valid
            // distance once that many bytes exist: write bytewise until a multiple ≥ 8 works.
            let widened = distance * ((8 + distance - 1) / distance)
            let prefixEnd = Swift.min(end, position + widened - distance)
            while d < prefixEnd {
                out.storeBytes(of: out.load(fromByteOffset: d - distance, as: UInt8.self), toByteOffset: d, as: UInt8.self)
                d += 1
            }
            distance = widened
        }
        // With distance ≥ 8, each 8-byte read lies entirely in bytes already written.
        while end - d >= 8 {
            out.storeBytes(of: out.loadUnaligned(fromByteOffset: d - distance, as: UInt64.self), toByteOffset: d, as: UInt64.self)
            d += 8
        }
        while d < end {
            out.storeBytes(of: out.load(fromByteOffset: d - distance, as: UInt8.self), toByteOffset: d, as: UInt8.self)
            d += 1
        }
    }
}
