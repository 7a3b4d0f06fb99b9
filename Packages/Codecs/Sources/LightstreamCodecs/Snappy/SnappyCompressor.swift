/// The Snappy block compressor: 64 KiB fragments, each matched through a hash table.
enum SnappyCompressor {
    /// Fragments are compressed independently, so every copy offset fits in 16 bits.
    static let fragmentSize = 1 << 16
    static let maxTableBits = 14
    static let minTableBits = 8
    /// Matching stops this many bytes before a fragment's end, so 4- and 8-byte loads stay inside.
    static let inputMargin = 15

    /// Writes the compressed form of `input` at `destination`, which has room for
    /// ``SnappyCodec/maxCompressedLength(_:)`` bytes; returns the bytes written.
    static func compress(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawPointer) -> Int {
        let outputEnd = destination + SnappyCodec.maxCompressedLength(input.count)
        var op = writeVarint(UInt32(input.count), to: destination)
        guard let source = input.baseAddress, input.count > 0 else { return op - destination }

        var tableBits = minTableBits
        while tableBits < maxTableBits && (1 << tableBits) < Swift.min(input.count, fragmentSize) { tableBits += 1 }
        let tableSize = 1 << tableBits
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: tableSize)
        defer { table.deallocate() }

        var position = 0
        while position < input.count {
            let length = Swift.min(fragmentSize, input.count - position)
            table.initialize(repeating: 0, count: tableSize)
            op = compressFragment(
                source + position, count: length, to: op, outputEnd: outputEnd, table: table, shift: 32 - tableBits)
            position += length
        }
        return op - destination
    }

    static func writeVarint(_ value: UInt32, to destination: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var value = value
        var op = destination
        while value >= 0x80 {
            op.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, as: UInt8.self)
            op += 1
            value >>= 7
        }
        op.storeBytes(of: UInt8(value), as: UInt8.self)
        return op + 1
    }

    @inline(__always)
    static func load32(_ base: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    static func load64(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    static func hash(_ bytes: UInt32, shift: Int) -> Int {
        Int(truncatingIfNeeded: (bytes &* 0x1e35_a7bd) >> UInt32(shift))
    }

    /// Compresses one fragment of at most 64 KiB; returns the new output position.
    static func compressFragment(
        _ base: UnsafeRawPointer, count: Int, to destination: UnsafeMutableRawPointer,
        outputEnd: UnsafeMutableRawPointer, table: UnsafeMutablePointer<UInt16>, shift: Int
    ) -> UnsafeMutableRawPointer {
        var op = destination
        var nextEmit = 0
        if count >= inputMargin {
            let ipLimit = count - inputMargin
            var ip = 1
            var nextHash = hash(load32(base, ip), shift: shift)
            search: while true {
                // Look for a 4-byte match, stepping further apart the longer none is found.
                var skip = 32
                var nextIp = ip
                var candidate = 0
                repeat {
                    ip = nextIp
                    let h = nextHash
                    nextIp = ip + (skip >> 5)
                    skip += 1
                    if nextIp > ipLimit { break search }
                    nextHash = hash(load32(base, nextIp), shift: shift)
                    candidate = Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip)
                } while load32(base, ip) != load32(base, candidate)

                let literalLength = ip - nextEmit
                if literalLength <= 16 && outputEnd - op >= 17 {
                    // Inside the matching margin at least 16 input bytes follow `nextEmit`, so a
                    // 16-byte copy stays in bounds; the extra output is overwritten next.
                    op.storeBytes(of: UInt8((literalLength - 1) << 2), as: UInt8.self)
                    op.storeBytes(
                        of: base.loadUnaligned(fromByteOffset: nextEmit, as: UInt64.self), toByteOffset: 1, as: UInt64.self)
                    op.storeBytes(
                        of: base.loadUnaligned(fromByteOffset: nextEmit + 8, as: UInt64.self), toByteOffset: 9,
                        as: UInt64.self)
                    op += 1 + literalLength
                } else {
                    op = emitLiteral(base + nextEmit, count: literalLength, to: op)
                }

                // Emit copies while the position right after a copy matches again.
                repeat {
                    let matchStart = ip
                    let matched = 4 + matchLength(base, candidate + 4, ip + 4, end: count)
                    ip += matched
                    op = emitCopy(offset: matchStart - candidate, length: matched, to: op)
                    nextEmit = ip
                    if ip >= ipLimit { break search }
                    table[hash(load32(base, ip - 1), shift: shift)] = UInt16(truncatingIfNeeded: ip - 1)
                    let h = hash(load32(base, ip), shift: shift)
                    candidate = Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip)
                } while load32(base, ip) == load32(base, candidate)

                ip += 1
                nextHash = hash(load32(base, ip), shift: shift)
            }
        }
        if nextEmit < count {
            op = emitLiteral(base + nextEmit, count: count - nextEmit, to: op)
        }
        return op
    }

    /// How many bytes at `first` equal those at `second` (`first < second`), up to `end`.
    @inline(__always)
    static func matchLength(_ base: UnsafeRawPointer, _ first: Int, _ second: Int, end: Int) -> Int {
        var matched = 0
        while second + matched + 8 <= end {
            let difference = load64(base, first + matched) ^ load64(base, second + matched)
            if difference != 0 { return matched + difference.trailingZeroBitCount >> 3 }
            matched += 8
        }
        while second + matched < end
            && base.load(fromByteOffset: first + matched, as: UInt8.self)
                == base.load(fromByteOffset: second + matched, as: UInt8.self)
        {
            matched += 1
        }
        return matched
    }

    static func emitLiteral(
        _ source: UnsafeRawPointer, count: Int, to destination: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer {
        var op = destination
        let n = count - 1
        if n < 60 {
            op.storeBytes(of: UInt8(n << 2), as: UInt8.self)
            op += 1
        } else {
            var lengthBytes = 1
            while n >> (8 * lengthBytes) != 0 { lengthBytes += 1 }
            op.storeBytes(of: UInt8((59 + lengthBytes) << 2), as: UInt8.self)
            for i in 0..<lengthBytes {
                op.storeBytes(of: UInt8(truncatingIfNeeded: n >> (8 * i)), toByteOffset: 1 + i, as: UInt8.self)
            }
            op += 1 + lengthBytes
        }
        op.copyMemory(from: source, byteCount: count)
        return op + count
    }

    /// Emits copy elements for a match of `length` (at least 4) bytes `offset` bytes back.
    static func emitCopy(offset: Int, length: Int, to destination: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var op = destination
        var length = length
        if offset < 1 << 16 {
            // Keep the last piece at least 4 long, so a 1-byte-offset form stays possible.
            while length >= 68 {
                op = emitCopy2(offset: offset, length: 64, to: op)
                length -= 64
            }
            if length > 64 {
                op = emitCopy2(offset: offset, length: 60, to: op)
                length -= 60
            }
            if length < 12 && offset < 2048 {
                op.storeBytes(of: UInt8(1 | (length - 4) << 2 | (offset >> 8) << 5), as: UInt8.self)
                op.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: 1, as: UInt8.self)
                return op + 2
            }
            return emitCopy2(offset: offset, length: length, to: op)
        }
        while length > 0 {
            let piece = Swift.min(length, 64)
            op.storeBytes(of: UInt8(3 | (piece - 1) << 2), as: UInt8.self)
            op.storeBytes(of: UInt32(truncatingIfNeeded: offset).littleEndian, toByteOffset: 1, as: UInt32.self)
            op += 5
            length -= piece
        }
        return op
    }

    @inline(__always)
    static func emitCopy2(offset: Int, length: Int, to op: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        op.storeBytes(of: UInt8(2 | (length - 1) << 2), as: UInt8.self)
        op.storeBytes(of: UInt16(truncatingIfNeeded: offset).littleEndian, toByteOffset: 1, as: UInt16.self)
        return op + 3
    }
}
