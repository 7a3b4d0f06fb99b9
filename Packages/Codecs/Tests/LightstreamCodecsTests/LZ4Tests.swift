import Foundation
import Testing
import Vec64

@testable import LightstreamCodecs

private typealias SeededRandom = TestRandom

/// Test inputs: each a name and its bytes.
private enum LZ4Samples {
    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededRandom(seed: seed)
        var bytes = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            let word = rng.next()
            for k in 0..<min(8, count - i) { bytes[i + k] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(k))) }
            i += 8
        }
        return bytes
    }

    static func text(_ count: Int, seed: UInt64) -> [UInt8] {
        let words = ["lorem", "ipsum", "dolor", "sit", "amet", "arrow", "column", "stream", "buffer",
                     "record", "batch", "schema", "field", "the", "of", "and", "lightstream", "zero", "copy"]
        var rng = SeededRandom(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 16)
        while bytes.count < count {
            bytes.append(contentsOf: words[Int(rng.next() % UInt64(words.count))].utf8)
            bytes.append(rng.next() % 11 == 0 ? UInt8(ascii: "\n") : UInt8(ascii: " "))
        }
        return Array(bytes.prefix(count))
    }

    /// Little-endian Int64 timestamps with small jittered steps.
    static func integers(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededRandom(seed: seed)
        var value: Int64 = 1_700_000_000_000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 8)
        for _ in 0..<count {
            value += 1000 + Int64(rng.next() % 7)
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Little-endian Float64 prices with two decimals.
    static func floats(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededRandom(seed: seed)
        var price = 100.0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 8)
        for _ in 0..<count {
            price += Double(Int(rng.next() % 21) - 10) / 100
            let rounded = (price * 100).rounded() / 100
            withUnsafeBytes(of: rounded.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    static let all: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [0x41]),
        ("twelve bytes", Array("hello world!".utf8)),
        ("thirteen zeros", [UInt8](repeating: 0, count: 13)),
        ("zeros 1 MiB", [UInt8](repeating: 0, count: 1 << 20)),
        ("abc repeated", Array(String(repeating: "abc", count: 40_000).utf8)),
        ("period 5", (0..<70_000).map { UInt8($0 % 5) }),
        ("random 100 KB", random(100_000, seed: 1)),
        ("text 300 KB", text(300_000, seed: 2)),
        ("int64 column", integers(50_000, seed: 3)),
        ("float64 column", floats(50_000, seed: 4)),
        ("mixed 4 MiB", text(1 << 20, seed: 5) + random(1 << 20, seed: 6) + integers(1 << 17, seed: 7)
            + floats(1 << 17, seed: 8)),
    ]
}

extension CompressionCodec {
    /// `compress(_:)` with a bulk copy out of the `Vec64` (fast in debug builds too).
    fileprivate func compressed(_ bytes: [UInt8]) throws(CodecError) -> [UInt8] {
        var output = Vec64<UInt8>()
        try compressAppending(self, bytes, into: &output)
        return array(output)
    }

    /// `decompress(_:limit:)` with a bulk copy out of the `Vec64`.
    fileprivate func decompressed(_ bytes: [UInt8], limit: Int = 1 << 30) throws(CodecError) -> [UInt8] {
        var output = Vec64<UInt8>()
        try decompressAppending(self, bytes, into: &output, limit: limit)
        return array(output)
    }
}

private func array(_ vector: Vec64<UInt8>) -> [UInt8] {
    vector.withUnsafeBufferPointer { buffer in
        [UInt8](unsafeUninitializedCapacity: buffer.count) { destination, count in
            if let base = buffer.baseAddress, buffer.count > 0 {
                destination.baseAddress!.initialize(from: base, count: buffer.count)
            }
            count = buffer.count
        }
    }
}

/// Packs byte strings as `len32le bytes` for passing several through one Python process.
private func pack(_ parts: [[UInt8]]) -> [UInt8] {
    var out: [UInt8] = []
    for part in parts {
        withUnsafeBytes(of: UInt32(part.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: part)
    }
    return out
}

private func unpack(_ bytes: [UInt8]) -> [[UInt8]] {
    var parts: [[UInt8]] = []
    var i = 0
    while i + 4 <= bytes.count {
        let n = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
        parts.append(Array(bytes[(i + 4)..<(i + 4 + n)]))
        i += 4 + n
    }
    return parts
}

private let pythonPackHelpers = """
import sys, struct, lz4.frame as F, lz4.block as B
def unpack(b):
    parts, i = [], 0
    while i + 4 <= len(b):
        (n,) = struct.unpack_from('<I', b, i); parts.append(b[i+4:i+4+n]); i += 4 + n
    return parts
def pack(parts):
    return b''.join(struct.pack('<I', len(p)) + bytes(p) for p in parts)

"""

/// Compresses `bytes` onto the end of `output`.
private func compressAppending(_ codec: any CompressionCodec, _ bytes: [UInt8], into output: inout Vec64<UInt8>) throws(CodecError) {
    var failure: CodecError?
    bytes.withUnsafeBytes { buffer in
        do throws(CodecError) { try codec.compress(buffer, into: &output) } catch { failure = error }
    }
    if let failure { throw failure }
}

/// Decompresses `bytes` onto the end of `output`.
private func decompressAppending(
    _ codec: any CompressionCodec, _ bytes: [UInt8], into output: inout Vec64<UInt8>, limit: Int
) throws(CodecError) {
    var failure: CodecError?
    bytes.withUnsafeBytes { buffer in
        do throws(CodecError) { try codec.decompress(buffer, into: &output, limit: limit) } catch { failure = error }
    }
    if let failure { throw failure }
}

/// The error `body` throws, or `nil`.
private func codecError(_ body: () throws -> Void) -> CodecError? {
    do {
        try body()
        return nil
    } catch let error as CodecError {
        return error
    } catch {
        Issue.record("not a CodecError: \(error)")
        return nil
    }
}

/// Checks the block format's end rules on a compressed block: the last sequence is literals only
/// and at least 5 bytes long (for inputs of 5+ bytes), and the last match starts 12+ bytes
/// before the end. Returns the decoded size.
private func checkEndRules(_ block: [UInt8]) -> (size: Int, lastMatchStart: Int?, lastLiterals: Int) {
    var ip = 0, op = 0
    var lastMatchStart: Int?
    while true {
        let token = Int(block[ip]); ip += 1
        var literals = token >> 4
        if literals == 15 { while true { let b = Int(block[ip]); ip += 1; literals += b; if b != 255 { break } } }
        ip += literals; op += literals
        if ip == block.count { return (op, lastMatchStart, literals) }
        ip += 2
        var match = (token & 15) + 4
        if match == 19 { while true { let b = Int(block[ip]); ip += 1; match += b; if b != 255 { break } } }
        lastMatchStart = op
        op += match
    }
}

@Suite("LZ4")
struct LZ4Tests {
    let raw = LZ4RawCodec()
    let frame = LZ4FrameCodec()

    // MARK: xxHash32

    @Test func xxHash32KnownValues() {
        #expect(XXHash32.hash([UInt8]()) == 0x02CC_5D05)
        #expect(XXHash32.hash(Array("a".utf8)) == 0x550D_7456)
        #expect(XXHash32.hash(Array("abc".utf8)) == 0x32D1_53FF)
        #expect(XXHash32.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xE229_3B2F)
    }

    // MARK: Round trips

    @Test func rawRoundTrips() throws {
        for (name, data) in LZ4Samples.all {
            let compressed = try raw.compressed(data)
            #expect(compressed.count <= LZ4Block.compressBound(data.count), "\(name)")
            let back = try raw.decompressed(compressed, limit: data.count)
            #expect(back == data, "\(name)")
            if data.count >= 13 {
                let rules = checkEndRules(compressed)
                #expect(rules.size == data.count, "\(name)")
                #expect(rules.lastLiterals >= 5, "\(name)")
                if let start = rules.lastMatchStart { #expect(start <= data.count - 12, "\(name)") }
            }
        }
        // Repetitive data shrinks a lot, random data barely grows.
        #expect(try raw.compressed([UInt8](repeating: 7, count: 1 << 20)).count < 5000)
        let random = LZ4Samples.random(100_000, seed: 9)
        #expect(try raw.compressed(random).count <= 100_000 + 100_000 / 255 + 16)
    }

    @Test func frameRoundTrips() throws {
        for (name, data) in LZ4Samples.all {
            let compressed = try frame.compressed(data)
            #expect(try frame.decompressed(compressed, limit: data.count) == data, "\(name)")
        }
        let data = LZ4Samples.text(600_000, seed: 10) + LZ4Samples.random(300_000, seed: 11)
        for size in LZ4FrameCodec.BlockMaximumSize.allCases {
            for (storesSize, checksums) in [(false, false), (true, true), (false, true)] {
                let codec = LZ4FrameCodec(blockMaximumSize: size, storesContentSize: storesSize, blockChecksums: checksums)
                let compressed = try codec.compressed(data)
                #expect(try frame.decompressed(compressed) == data, "\(size) \(storesSize) \(checksums)")
            }
        }
    }

    @Test func appendsAfterExistingOutput() throws {
        let data = LZ4Samples.text(10_000, seed: 12)
        for codec in [raw, frame] as [any CompressionCodec] {
            var compressed = Vec64<UInt8>([1, 2, 3])
            try compressAppending(codec, data, into: &compressed)
            #expect(Array(compressed.prefix(3)) == [1, 2, 3])
            var output = Vec64<UInt8>([9])
            let body = Array(compressed.dropFirst(3))
            try decompressAppending(codec, body, into: &output, limit: data.count)
            #expect(Array(output) == [9] + data, "\(codec.name)")
            // A failure leaves earlier output as it was.
            var kept = Vec64<UInt8>([9])
            let error = codecError { try decompressAppending(codec, body, into: &kept, limit: data.count - 1) }
            #expect(error?.kind == .outputTooLarge(limit: data.count - 1), "\(codec.name)")
            #expect(Array(kept) == [9])
        }
    }

    // MARK: Python interoperability

    @Test func decompressesWhatPythonCompresses() throws {
        let script = pythonPackHelpers + """
        data = sys.stdin.buffer.read()
        a, b = data[: len(data) // 2], data[len(data) // 2 :]
        out = [
            F.compress(data),
            F.compress(data, block_linked=True, block_size=F.BLOCKSIZE_MAX64KB, content_checksum=True, block_checksum=True, store_size=True),
            F.compress(data, block_linked=True, block_size=F.BLOCKSIZE_MAX64KB, compression_level=12, store_size=False),
            F.compress(data, block_linked=False, block_size=F.BLOCKSIZE_MAX256KB, content_checksum=True),
            F.compress(data, block_linked=True, block_size=F.BLOCKSIZE_MAX1MB, compression_level=9, block_checksum=True),
            F.compress(data, block_linked=False, block_size=F.BLOCKSIZE_MAX4MB, compression_level=-5),
            F.compress(a, content_checksum=True) + struct.pack('<II', 0x184D2A53, 5) + b'skip!' + F.compress(b, block_linked=True),
            B.compress(data, store_size=False),
            B.compress(data, mode='high_compression', compression=12, store_size=False),
            B.compress(data, mode='fast', acceleration=20, store_size=False),
        ]
        sys.stdout.buffer.write(pack(out))
        """
        for (name, data) in LZ4Samples.all where data.count <= 1 << 20 || name.hasPrefix("mixed") {
            let outputs = unpack(try PythonPeer.run(script, input: data))
            #expect(outputs.count == 10)
            for (i, compressed) in outputs.enumerated() {
                let codec: any CompressionCodec = i < 7 ? frame : raw
                let back = try codec.decompressed(compressed, limit: data.count)
                #expect(back == data, "\(name) variant \(i)")
            }
        }
    }

    @Test func pythonDecompressesWhatWeCompress() throws {
        var parts: [[UInt8]] = []
        var originals: [[UInt8]] = []
        for (_, data) in LZ4Samples.all {
            originals.append(data)
            parts.append(try frame.compressed(data))
            parts.append(try LZ4FrameCodec(blockMaximumSize: .kib64, storesContentSize: false, blockChecksums: true).compressed(data))
            parts.append(try raw.compressed(data))
            parts.append(Array(withUnsafeBytes(of: UInt32(data.count).littleEndian) { Array($0) }))
        }
        let script = pythonPackHelpers + """
        parts = unpack(sys.stdin.buffer.read())
        out = []
        for i in range(0, len(parts), 4):
            (n,) = struct.unpack('<I', parts[i + 3])
            out.append(F.decompress(parts[i]))
            out.append(F.decompress(parts[i + 1]))
            out.append(B.decompress(parts[i + 2], uncompressed_size=n) if n > 0 else b'')
        sys.stdout.buffer.write(pack(out))
        """
        let outputs = unpack(try PythonPeer.run(script, input: pack(parts)))
        #expect(outputs.count == originals.count * 3)
        for (i, original) in originals.enumerated() {
            #expect(outputs[3 * i] == original, "frame \(i)")
            #expect(outputs[3 * i + 1] == original, "64 KiB frame with block checksums \(i)")
            #expect(outputs[3 * i + 2] == original, "raw block \(i)")
        }
    }

    // MARK: Limits

    @Test func limitsAreEnforced() throws {
        let data = LZ4Samples.text(200_000, seed: 13)
        // Content size above the limit: rejected from the header.
        let withSize = try frame.compressed(data)
        #expect(codecError { _ = try frame.decompressed(withSize, limit: 199_999) }?.kind == .outputTooLarge(limit: 199_999))
        #expect(codecError { _ = try frame.decompressed(withSize, limit: 0) }?.kind == .outputTooLarge(limit: 0))
        #expect(try frame.decompressed(withSize, limit: 200_000) == data)
        // Without a content size: found while decoding blocks, compressed and stored.
        let noSize = try LZ4FrameCodec(blockMaximumSize: .kib64, storesContentSize: false).compressed(data)
        for limit in [0, 1, 65_535, 65_536, 150_000, 199_999] {
            #expect(codecError { _ = try frame.decompressed(noSize, limit: limit) }?.kind == .outputTooLarge(limit: limit))
        }
        let random = LZ4Samples.random(100_000, seed: 14)
        let stored = try LZ4FrameCodec(storesContentSize: false).compressed(random)
        #expect(codecError { _ = try frame.decompressed(stored, limit: 99_999) }?.kind == .outputTooLarge(limit: 99_999))
        // Raw blocks.
        let block = try raw.compressed(data)
        #expect(codecError { _ = try raw.decompressed(block, limit: 199_999) }?.kind == .outputTooLarge(limit: 199_999))
        #expect(try raw.decompressed(block, limit: 200_000) == data)
        // A small block expanding to 4 MiB of zeros, with a 1 MiB limit.
        let zeros = try raw.compressed([UInt8](repeating: 0, count: 4 << 20))
        #expect(codecError { _ = try raw.decompressed(zeros, limit: 1 << 20) }?.kind == .outputTooLarge(limit: 1 << 20))
        // A header claiming 2^60 bytes.
        var huge: [UInt8] = [0x04, 0x22, 0x4D, 0x18, 0x6C, 0x70]
        huge.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, 0x10])
        huge.append(UInt8(truncatingIfNeeded: XXHash32.hash(Array(huge[4...])) >> 8))
        huge.append(contentsOf: [0, 0, 0, 0])
        #expect(codecError { _ = try frame.decompressed(huge) }?.kind == .outputTooLarge(limit: 1 << 30))
    }

    // MARK: Corrupt input

    @Test func specificCorruptions() throws {
        let data = LZ4Samples.text(50_000, seed: 15)
        let compressed = try LZ4FrameCodec(blockChecksums: true).compressed(data)
        // Header checksum, block checksum and content checksum each catch a flipped bit.
        var header = compressed
        header[5] ^= 0x20   // BD: 4 MiB -> 256 KiB, header checksum now wrong
        #expect(codecError { _ = try frame.decompressed(header) }?.kind == .checksumMismatch)
        var blockBit = compressed
        blockBit[30] ^= 1
        #expect(codecError { _ = try frame.decompressed(blockBit) }?.kind == .checksumMismatch)
        var content = compressed
        content[content.count - 1] ^= 1
        #expect(codecError { _ = try frame.decompressed(content) }?.kind == .checksumMismatch)
        // Every strict prefix of a frame is rejected.
        let small = try frame.compressed(Array(data.prefix(3000)))
        for length in 0..<small.count {
            #expect(codecError { _ = try frame.decompressed(Array(small.prefix(length))) } != nil, "prefix \(length)")
        }
        // Trailing garbage after a frame.
        #expect(codecError { _ = try frame.decompressed(small + [1, 2, 3, 4, 5]) } != nil)
        // Offsets: zero, and before the start of the output.
        #expect(codecError { _ = try raw.decompressed([0x10, 0x41, 0x00, 0x00, 0x00]) }?.kind == .corrupt("LZ4 match offset 0"))
        if case .corrupt = codecError({ _ = try raw.decompressed([0x10, 0x41, 0x02, 0x00, 0x00]) })?.kind {} else {
            Issue.record("offset past the start is not reported as corrupt")
        }
        #expect(try raw.decompressed([0x10, 0x41, 0x01, 0x00, 0x50, 0x42, 0x43, 0x44, 0x45, 0x46]) == Array("AAAAABCDEF".utf8))
        // Literal run longer than the input, and a missing offset byte.
        #expect(codecError { _ = try raw.decompressed([0xF0, 0xFF, 0x10, 0x41]) }?.kind == .truncated)
        #expect(codecError { _ = try raw.decompressed([0x10, 0x41, 0x01]) }?.kind == .truncated)
        #expect(codecError { _ = try raw.decompressed([]) }?.kind == .truncated)
        #expect(try raw.decompressed([0x00]) == [])
        // Legacy frames and dictionaries are refused clearly.
        if case .unsupported = codecError({ _ = try frame.decompressed([0x02, 0x21, 0x4C, 0x18, 0, 0, 0, 0]) })?.kind {} else {
            Issue.record("legacy frame not reported as unsupported")
        }
        var dictionary: [UInt8] = [0x04, 0x22, 0x4D, 0x18, 0x61, 0x40, 1, 2, 3, 4]
        dictionary.append(UInt8(truncatingIfNeeded: XXHash32.hash(Array(dictionary[4...])) >> 8))
        if case .unsupported = codecError({ _ = try frame.decompressed(dictionary + [0, 0, 0, 0]) })?.kind {} else {
            Issue.record("dictionary frame not reported as unsupported")
        }
        // Only skippable frames: nothing decoded, no error. An empty frame decodes to nothing.
        #expect(try frame.decompressed([0x5F, 0x2A, 0x4D, 0x18, 2, 0, 0, 0, 7, 7]) == [])
        #expect(try frame.decompressed(try frame.compressed([])) == [])
        #expect(codecError { _ = try frame.decompressed([0x5F, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 7, 7]) }?.kind == .truncated)
    }

    /// Thousands of random mutations of valid compressed data: a `CodecError` or a result,
    /// never a crash, a hang or output past the limit.
    @Test func randomMutationsNeverCrash() throws {
        let data = LZ4Samples.text(6000, seed: 16) + LZ4Samples.integers(300, seed: 17)
        // Frames without checksums so mutations reach the block decoder; one with all checks.
        let script = pythonPackHelpers + """
        data = sys.stdin.buffer.read()
        sys.stdout.buffer.write(pack([
            F.compress(data, block_linked=True, block_size=F.BLOCKSIZE_MAX64KB, content_checksum=False, store_size=False),
            B.compress(data, mode='high_compression', store_size=False),
        ]))
        """
        let python = unpack(try PythonPeer.run(script, input: data))
        let noChecks = LZ4FrameCodec(storesContentSize: false)
        let seeds: [(any CompressionCodec, [UInt8])] = [
            (frame, try frame.compressed(data)),
            (frame, try noChecks.compressed(data)),
            (frame, try LZ4FrameCodec(blockMaximumSize: .kib64, blockChecksums: true).compressed(data)),
            (frame, python[0]),
            (raw, try raw.compressed(data)),
            (raw, python[1]),
        ]
        var rng = SeededRandom(seed: 42)
        let limit = 20_000
        var failures = 0, successes = 0
        for iteration in 0..<6000 {
            let (codec, original) = seeds[iteration % seeds.count]
            var bytes = original
            switch rng.next() % 6 {
            case 0:   // truncate
                bytes.removeLast(Int(rng.next() % UInt64(bytes.count)) + 1)
            case 1, 2:   // flip a few bits
                for _ in 0...(rng.next() % 4) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1) << (rng.next() % 8)
                }
            case 3:   // overwrite a byte, often in the header
                let at = rng.next() % 2 == 0 ? Int(rng.next() % UInt64(min(24, bytes.count))) : Int(rng.next() % UInt64(bytes.count))
                bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            case 4:   // insert or delete a run
                let at = Int(rng.next() % UInt64(bytes.count))
                if rng.next() % 2 == 0 {
                    bytes.insert(contentsOf: LZ4Samples.random(Int(rng.next() % 8) + 1, seed: rng.next()), at: at)
                } else {
                    bytes.removeSubrange(at..<min(bytes.count, at + Int(rng.next() % 8) + 1))
                }
            default:   // a fabricated header with a valid checksum over random flags and blocks
                var header: [UInt8] = [0x04, 0x22, 0x4D, 0x18]
                let flags = UInt8(0x40) | UInt8(truncatingIfNeeded: rng.next()) & 0x3C
                header.append(flags)
                header.append(UInt8(4 + rng.next() % 4) << 4)
                if flags & 0x08 != 0 {
                    withUnsafeBytes(of: (rng.next() % 40_000).littleEndian) { header.append(contentsOf: $0) }
                }
                header.append(UInt8(truncatingIfNeeded: XXHash32.hash(Array(header[4...])) >> 8))
                if codec.name == raw.name {
                    bytes = LZ4Samples.random(Int(rng.next() % 64), seed: rng.next())
                } else {
                    bytes = header + LZ4Samples.random(Int(rng.next() % 64), seed: rng.next())
                }
            }
            var output = Vec64<UInt8>()
            let error = codecError { try decompressAppending(codec, bytes, into: &output, limit: limit) }
            if error == nil {
                successes += 1
                #expect(output.count <= limit)
            } else {
                failures += 1
                #expect(output.count == 0)
            }
        }
        #expect(failures > 3000)
        _ = successes
    }

    /// A Python frame with linked 64 KiB blocks whose matches reach into earlier blocks.
    @Test func linkedBlocksReachIntoEarlierBlocks() throws {
        var rng = SeededRandom(seed: 18)
        let phrase = LZ4Samples.random(1000, seed: 19)
        var data: [UInt8] = []
        while data.count < 400_000 {
            data.append(contentsOf: rng.next() % 3 == 0 ? LZ4Samples.random(500, seed: rng.next()) : phrase)
        }
        let script = pythonPackHelpers + """
        data = sys.stdin.buffer.read()
        sys.stdout.buffer.write(pack([
            F.compress(data, block_linked=True, block_size=F.BLOCKSIZE_MAX64KB, block_checksum=True),
            F.compress(data, block_linked=False, block_size=F.BLOCKSIZE_MAX64KB),
        ]))
        """
        let outputs = unpack(try PythonPeer.run(script, input: data))
        #expect(outputs[0].count < outputs[1].count)   // linking helped, so blocks do reference earlier ones
        #expect(try frame.decompressed(outputs[0]) == data)
        #expect(try frame.decompressed(outputs[1]) == data)
        // Flip the independence flag of the linked frame (fixing the header checksum): now the
        // back references reach before the block start and must be rejected.
        var independent = outputs[0]
        independent[4] |= 0x20
        let descriptorLength = 2 + (independent[4] & 0x08 != 0 ? 8 : 0)
        independent[4 + descriptorLength] = UInt8(truncatingIfNeeded: XXHash32.hash(Array(independent[4..<(4 + descriptorLength)])) >> 8)
        if case .corrupt = codecError({ _ = try frame.decompressed(independent) })?.kind {} else {
            Issue.record("a back reference into a previous independent block was accepted")
        }
    }
}
