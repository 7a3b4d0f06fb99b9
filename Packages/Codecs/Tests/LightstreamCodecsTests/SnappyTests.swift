import Foundation
import Testing
import Vec64

@testable import LightstreamCodecs

private typealias SnappyTestRandom = TestRandom

private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.withUnsafeBytes { Array($0) }   // the test hosts are little-endian
}

/// Sample data of the kinds Arrow IPC bodies hold.
private enum SnappySamples {
    static func text(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
        let words = [
            "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "arrow", "column",
            "buffer", "stream", "record", "batch", "schema", "field", "nullable", "offset",
            "validity", "dictionary", "Lightstream", "compression", "snappy", "2024-05-17",
        ]
        var random = SnappyTestRandom(seed: seed)
        var out = [UInt8]()
        out.reserveCapacity(count + 32)
        while out.count < count {
            out.append(contentsOf: words[random.below(words.count)].utf8)
            out.append(random.below(12) == 0 ? UInt8(ascii: "\n") : UInt8(ascii: " "))
        }
        return Array(out.prefix(count))
    }

    /// Ascending Int64 ids with occasional gaps.
    static func int64Column(_ count: Int) -> [UInt8] {
        var random = SnappyTestRandom(seed: 11)
        var value: Int64 = 1_000_000
        var values = [Int64]()
        values.reserveCapacity(count)
        for _ in 0..<count {
            values.append(value)
            value += Int64(1 + (random.below(16) == 0 ? random.below(100) : 0))
        }
        return littleEndianBytes(values)
    }

    /// Small Int32 category codes.
    static func int32Column(_ count: Int) -> [UInt8] {
        var random = SnappyTestRandom(seed: 12)
        return littleEndianBytes((0..<count).map { _ in Int32(random.below(20)) })
    }

    /// Prices with two decimals, as Float64 bit patterns.
    static func doubleColumn(_ count: Int) -> [UInt8] {
        var random = SnappyTestRandom(seed: 13)
        let values = (0..<count).map { _ in (Double(random.below(100_000)) / 100).bitPattern }
        return littleEndianBytes(values)
    }

    static func repeating(_ pattern: [UInt8], count: Int) -> [UInt8] {
        (0..<count).map { pattern[$0 % pattern.count] }
    }

    /// Named inputs for round trips and cross-checks.
    static func all(scale: Int) -> [(String, [UInt8])] {
        var random = SnappyTestRandom(seed: 3)
        return [
            ("empty", []),
            ("one byte", [42]),
            ("zeros", [UInt8](repeating: 0, count: scale)),
            ("period 3", repeating(Array("abc".utf8), count: scale)),
            ("period 7", repeating([1, 2, 3, 4, 5, 6, 7], count: scale / 2 + 5)),
            ("random", random.bytes(scale / 4 + 3)),
            ("text", text(scale)),
            ("int64 column", int64Column(scale / 8)),
            ("int32 column", int32Column(scale / 4)),
            ("float64 column", doubleColumn(scale / 8)),
            ("half random", random.bytes(scale / 8) + text(scale / 8) + random.bytes(scale / 8)),
        ]
    }
}

/// A batch of byte strings as `u32 length, bytes` records, the format the Python side speaks.
private func packBatch(_ items: [[UInt8]]) -> [UInt8] {
    var out = [UInt8]()
    for item in items {
        withUnsafeBytes(of: UInt32(item.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: item)
    }
    return out
}

private func unpackBatch(_ bytes: [UInt8]) -> [[UInt8]] {
    var items = [[UInt8]]()
    var i = 0
    while i + 4 <= bytes.count {
        let n = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
        items.append(Array(bytes[(i + 4)..<(i + 4 + n)]))
        i += 4 + n
    }
    return items
}

private func pythonBatch(_ function: String, _ items: [[UInt8]]) throws -> [[UInt8]] {
    let script = """
        import sys, struct, cramjam
        data = sys.stdin.buffer.read()
        out = bytearray()
        i = 0
        while i < len(data):
            (n,) = struct.unpack_from('<I', data, i)
            result = bytes(cramjam.snappy.\(function)(data[i + 4:i + 4 + n]))
            out += struct.pack('<I', len(result)) + result
            i += 4 + n
        sys.stdout.buffer.write(out)
        """
    return unpackBatch(try PythonPeer.run(script, input: packBatch(items)))
}

private func toArray(_ vector: Vec64<UInt8>) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: vector.count) { buffer, initialized in
        vector.withUnsafeBytes { raw in
            if let base = raw.baseAddress, raw.count > 0 {
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: raw.count)
            }
        }
        initialized = vector.count
    }
}

/// Byte equality with `memcmp` (an element loop over megabytes is slow in debug builds).
private func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in
        x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
    } }
}

/// A plain model of the format, element by element, for checking the fast decoder; `nil` when
/// the input is not a valid stream of at most `limit` bytes.
private func modelDecode(_ bytes: [UInt8], limit: Int) -> [UInt8]? {
    var declared = 0, i = 0
    while true {
        guard i < 5, i < bytes.count else { return nil }
        declared |= Int(bytes[i] & 0x7f) << (7 * i)
        i += 1
        if bytes[i - 1] & 0x80 == 0 { break }
    }
    guard declared <= Int(UInt32.max), declared <= limit else { return nil }
    var out = [UInt8]()
    func take(_ n: Int) -> Int? {
        guard bytes.count - i >= n else { return nil }
        var value = 0
        for k in 0..<n { value |= Int(bytes[i + k]) << (8 * k) }
        i += n
        return value
    }
    while i < bytes.count {
        let tag = Int(bytes[i])
        i += 1
        var length = 0, offset = 0
        switch tag & 3 {
        case 0:
            length = (tag >> 2) + 1
            if length > 60 {
                guard let n = take(length - 60) else { return nil }
                length = n + 1
            }
            guard bytes.count - i >= length, out.count + length <= declared else { return nil }
            out += bytes[i..<(i + length)]
            i += length
            continue
        case 1:
            guard let low = take(1) else { return nil }
            length = 4 + ((tag >> 2) & 7)
            offset = (tag >> 5) << 8 | low
        case 2:
            guard let n = take(2) else { return nil }
            length = (tag >> 2) + 1
            offset = n
        default:
            guard let n = take(4) else { return nil }
            length = (tag >> 2) + 1
            offset = n
        }
        guard offset > 0, offset <= out.count, out.count + length <= declared else { return nil }
        for _ in 0..<length { out.append(out[out.count - offset]) }
    }
    return out.count == declared ? out : nil
}

/// Calls `body` with the bytes of `array`, keeping the typed error.
private func withBytes(
    _ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(CodecError) -> Void
) throws(CodecError) {
    var failure: CodecError?
    array.withUnsafeBytes { raw in
        do throws(CodecError) { try body(raw) } catch { failure = error }
    }
    if let failure { throw failure }
}

@Suite("Snappy raw format")
struct SnappyTests {
    let codec = SnappyCodec()

    /// Compresses through the `Vec64` API (a debug-mode `Array(Vec64)` of megabytes is slow).
    func pack(_ bytes: [UInt8]) throws(CodecError) -> [UInt8] {
        var packed = Vec64<UInt8>()
        try withBytes(bytes) { raw throws(CodecError) in try codec.compress(raw, into: &packed) }
        return toArray(packed)
    }

    func unpack(_ bytes: [UInt8], limit: Int = 1 << 30) throws(CodecError) -> [UInt8] {
        var unpacked = Vec64<UInt8>()
        try withBytes(bytes) { raw throws(CodecError) in try codec.decompress(raw, into: &unpacked, limit: limit) }
        return toArray(unpacked)
    }

    func roundTrip(_ bytes: [UInt8], _ label: String = "") throws {
        let packed = try pack(bytes)
        #expect(packed.count <= SnappyCodec.maxCompressedLength(bytes.count), "\(label)")
        let unpacked = try unpack(packed, limit: bytes.count)
        #expect(sameBytes(unpacked, bytes), "\(label)")
    }

    @Test func name() {
        #expect(codec.name == "snappy")
    }

    @Test func emptyAndOneByte() throws {
        #expect(try codec.compress([]) == [0])
        #expect(try codec.decompress([0]) == [])
        #expect(try codec.compress([7]) == [1, 0, 7])
        try roundTrip([])
        try roundTrip([0xff])
    }

    @Test func roundTripsSamples() throws {
        for (label, bytes) in SnappySamples.all(scale: 1 << 20) {
            try roundTrip(bytes, label)
        }
    }

    @Test func roundTripsFourMiBColumns() throws {
        for (label, bytes) in [
            ("int64", SnappySamples.int64Column(1 << 19)),
            ("float64", SnappySamples.doubleColumn(1 << 19)),
            ("zeros", [UInt8](repeating: 0, count: 4 << 20)),
        ] {
            try roundTrip(bytes, label)
        }
    }

    @Test func roundTripsEverySmallSizeAndFragmentEdges() throws {
        var random = SnappyTestRandom(seed: 5)
        for count in 0..<300 {
            try roundTrip(random.bytes(count), "random \(count)")
            try roundTrip(SnappySamples.repeating([9, 8, 7, 6, 5], count: count), "period 5, \(count)")
        }
        for count in [65_535, 65_536, 65_537, 131_071, 131_072, 131_073, 200_000] {
            try roundTrip(SnappySamples.text(count), "text \(count)")
            try roundTrip(random.bytes(count), "random \(count)")
        }
    }

    @Test func compressesRepetitiveData() throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        #expect(try pack(zeros).count < 60_000)
        let text = SnappySamples.text(1 << 20)
        #expect(try pack(text).count < text.count / 2)
    }

    @Test func appendsAfterExistingOutput() throws {
        let bytes = SnappySamples.text(10_000)
        var packed = Vec64<UInt8>([1, 2, 3])
        try withBytes(bytes) { raw throws(CodecError) in try codec.compress(raw, into: &packed) }
        #expect(Array(packed.prefix(3)) == [1, 2, 3])
        let body = Array(packed.dropFirst(3))
        var unpacked = Vec64<UInt8>([9, 9])
        try withBytes(body) { raw throws(CodecError) in try codec.decompress(raw, into: &unpacked, limit: bytes.count) }
        #expect(Array(unpacked) == [9, 9] + bytes)
    }

    @Test func decodesEveryElementForm() throws {
        // literal "ab"; copy-4 offset 2 length 6; copy-2 offset 4 length 4; copy-1 offset 1 length 5
        let stream: [UInt8] = [17, 0x04, 0x61, 0x62, 0x17, 2, 0, 0, 0, 0x0e, 4, 0, 0x05, 1]
        #expect(try codec.decompress(stream) == Array("ababababababbbbbb".utf8))
        // literal lengths in 1, 2, 3 and 4 extra bytes
        for (tag, extra) in [(UInt8(60 << 2), [UInt8(99)]), (61 << 2, [99, 0]), (62 << 2, [99, 0, 0]), (63 << 2, [99, 0, 0, 0])] {
            let payload = [UInt8](repeating: 0x5a, count: 100)
            #expect(try codec.decompress([100, tag] + extra + payload) == payload)
        }
    }

    @Test func emitsFourByteOffsetsBeyond64KiB() throws {
        // The fragment matcher never reaches 64 KiB back, but the copy emitter supports it.
        var random = SnappyTestRandom(seed: 21)
        let literal = random.bytes(70_000)
        let expected = literal + literal.prefix(150)
        var stream = [UInt8](repeating: 0, count: 80_000)
        let written = stream.withUnsafeMutableBytes { raw in
            literal.withUnsafeBytes { source in
                let start = raw.baseAddress!
                var op = SnappyCompressor.writeVarint(UInt32(expected.count), to: start)
                op = SnappyCompressor.emitLiteral(source.baseAddress!, count: literal.count, to: op)
                op = SnappyCompressor.emitCopy(offset: 70_000, length: 150, to: op)
                return op - start
            }
        }
        stream.removeLast(stream.count - written)
        #expect(stream[stream.count - 5] & 3 == 3)
        #expect(sameBytes(try unpack(stream), expected))
        #expect(sameBytes(try pythonBatch("decompress_raw", [stream])[0], expected))
    }

    @Test func decodesLongOverlappingCopies() throws {
        // Every offset 1...9 with copies that cross the 8-byte widening, checked against a naive model.
        for offset in 1...9 {
            for length in [1, 4, 7, 8, 9, 15, 16, 17, 64] {
                let prefix = (0..<offset).map { UInt8($0 + 1) }
                var expected = prefix
                for _ in 0..<length { expected.append(expected[expected.count - offset]) }
                let stream: [UInt8] = [UInt8(expected.count), UInt8(offset - 1) << 2] + prefix
                    + [UInt8(2 | (length - 1) << 2), UInt8(offset), 0]
                #expect(try codec.decompress(stream) == expected, "offset \(offset) length \(length)")
            }
        }
    }

    @Test func rejectsOversizedDeclaredLength() throws {
        let bytes = SnappySamples.text(5000)
        let packed = try codec.compress(bytes)
        #expect(try codec.decompress(packed, limit: 5000) == bytes)
        #expect(throws: CodecError(.outputTooLarge(limit: 4999), at: 0)) {
            try codec.decompress(packed, limit: 4999)
        }
        // A 4 GiB declaration in a few bytes fails before any allocation.
        #expect(throws: CodecError.self) { try codec.decompress([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]) }
        #expect(throws: CodecError(.outputTooLarge(limit: 1 << 30), at: 0)) {
            try codec.decompress([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00], limit: 1 << 30)
        }
    }

    @Test func rejectsMalformedElements() throws {
        func kind(_ bytes: [UInt8]) -> CodecError.Kind? {
            do { _ = try codec.decompress(bytes); return nil } catch { return error.kind }
        }
        func isCorrupt(_ bytes: [UInt8]) -> Bool {
            if case .corrupt = kind(bytes) { return true }
            return false
        }
        #expect(kind([]) == .truncated)
        #expect(kind([0x80]) == .truncated)
        #expect(isCorrupt([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]))          // 6-byte varint
        #expect(isCorrupt([0xff, 0xff, 0xff, 0xff, 0x7f, 0x00]))          // > 2^32 - 1
        #expect(isCorrupt([0, 0x00, 0x61]))                               // data after length 0
        #expect(isCorrupt([2, 0x08, 1, 2, 3]))                            // literal overruns
        #expect(kind([3, 0x08, 1, 2]) == .truncated)                      // literal past input end
        #expect(kind([100, 61 << 2, 99]) == .truncated)                   // cut length bytes
        #expect(isCorrupt([6, 0x04, 1, 2, 0x01, 0]))                      // copy offset 0
        #expect(isCorrupt([6, 0x04, 1, 2, 0x01, 3]))                      // before output start
        #expect(isCorrupt([6, 0x04, 1, 2, 0x02, 0, 0]))                   // copy-2 offset 0
        #expect(isCorrupt([6, 0x04, 1, 2, 0x03, 9, 0, 0, 0]))             // copy-4 too far back
        #expect(isCorrupt([6, 0x04, 1, 2, 0x05, 2]))                      // copy overruns (5 > 3)
        #expect(kind([6, 0x04, 1, 2, 0x01]) == .truncated)                // cut copy-1
        #expect(kind([6, 0x04, 1, 2, 0x02, 2]) == .truncated)             // cut copy-2
        #expect(kind([6, 0x04, 1, 2, 0x03, 2, 0, 0]) == .truncated)       // cut copy-4
        #expect(kind([9, 0x04, 1, 2, 0x01, 2]) == .truncated)             // ends short of length
    }

    @Test func survivesThousandsOfMutations() throws {
        var random = SnappyTestRandom(seed: 99)
        let sources = [
            SnappySamples.text(3000), SnappySamples.int64Column(400), random.bytes(500),
            SnappySamples.repeating([1, 2, 3], count: 2000), [UInt8](repeating: 0, count: 1000),
        ]
        let streams = try sources.map { try codec.compress($0) }
        var failures = 0, successes = 0
        for round in 0..<20_000 {
            var bytes = streams[round % streams.count]
            switch random.below(6) {
            case 0:   // truncate
                bytes.removeLast(1 + random.below(bytes.count))
            case 1:   // flip bits
                for _ in 0...random.below(4) { bytes[random.below(bytes.count)] ^= UInt8(1) << UInt8(random.below(8)) }
            case 2:   // random bytes
                for _ in 0...random.below(8) { bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next()) }
            case 3:   // fabricated preamble
                var size = 1
                while bytes[size - 1] & 0x80 != 0 { size += 1 }
                var preamble = [UInt8]()
                var value = random.next() >> UInt64(random.below(64))
                repeat {
                    preamble.append(UInt8(value & 0x7f) | (value >= 0x80 ? 0x80 : 0))
                    value >>= 7
                } while value != 0 && preamble.count < 7
                bytes = preamble + bytes.dropFirst(size)
            case 4:   // insert or delete bytes in the middle
                let at = random.below(bytes.count)
                if random.below(2) == 0 { bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at) } else { bytes.remove(at: at) }
            default:  // pure noise
                bytes = random.bytes(random.below(64))
            }
            let limit = random.below(4) == 0 ? random.below(4000) : 1 << 20
            let expected = modelDecode(bytes, limit: limit)
            do {
                let out = try codec.decompress(bytes, limit: limit)
                #expect(out.count <= limit)
                #expect(out == expected, "round \(round)")
                successes += 1
            } catch {
                #expect(expected == nil, "round \(round): \(error)")
                failures += 1
            }
        }
        #expect(failures > 10_000)
        #expect(failures + successes == 20_000)
    }

    @Test func crossChecksWithCramjam() throws {
        let samples = SnappySamples.all(scale: 1 << 18)
        let inputs = samples.map(\.1)

        // Ours compressed, cramjam decompresses.
        let ours = try inputs.map { try pack($0) }
        let theirsDecoded = try pythonBatch("decompress_raw", ours)
        #expect(theirsDecoded.count == inputs.count)
        for (i, decoded) in theirsDecoded.enumerated() {
            #expect(sameBytes(decoded, inputs[i]), "cramjam decoding ours: \(samples[i].0)")
        }

        // cramjam compressed, ours decompresses.
        let theirs = try pythonBatch("compress_raw", inputs)
        #expect(theirs.count == inputs.count)
        for (i, packed) in theirs.enumerated() {
            #expect(sameBytes(try unpack(packed, limit: inputs[i].count), inputs[i]), "ours decoding cramjam: \(samples[i].0)")
            // Both follow the reference matcher, so sizes should be close.
            #expect(Double(ours[i].count) <= Double(packed.count) * 1.10 + 16, "\(samples[i].0): \(ours[i].count) vs \(packed.count)")
        }
    }
}
