import FuzzSupport
import LightstreamCodecs
import Vec64

/// The checks of every codec harness: decompressing any input is bounded by the limit, leaves
/// the caller's bytes alone, restores the output on error, and what decodes re-encodes to the
/// same bytes; and compressing the input round-trips.
public enum CodecHarness {
    /// The output limit of the main decompression (large enough for every seed).
    public static let limit = 4 << 20

    public static func run(_ codec: some CompressionCodec, _ input: UnsafeRawBufferPointer) {
        // 1. Into an empty vector, with the harness limit.
        var output = Vec64<UInt8>()
        do throws(CodecError) {
            try codec.decompress(input, into: &output, limit: limit)
            Fuzz.check(output.count <= limit, "\(codec.name): \(output.count) bytes past the limit \(limit)")
            roundTrip(codec, output.withUnsafeBufferPointer { Array($0) })
        } catch {
            Fuzz.check(output.count == 0, "\(codec.name): \(output.count) bytes left after \(error)")
        }
        checkReservation(codec, output, before: 0, limit: limit)

        // 2. After bytes of the caller's, with a small limit taken from the input's length.
        let prefix = 100
        let small = input.count * 3
        var prefilled = Vec64<UInt8>(repeating: 0xAB, count: prefix)
        do throws(CodecError) {
            try codec.decompress(input, into: &prefilled, limit: small)
            Fuzz.check(prefilled.count - prefix <= small, "\(codec.name): \(prefilled.count - prefix) bytes past the limit \(small)")
        } catch {
            Fuzz.check(prefilled.count == prefix, "\(codec.name): \(prefilled.count - prefix) bytes left after \(error)")
        }
        let intact = prefilled.withUnsafeBufferPointer { $0.prefix(prefix).allSatisfy { $0 == 0xAB } }
        Fuzz.check(intact, "\(codec.name): the caller's bytes before the output changed")
        checkReservation(codec, prefilled, before: prefix, limit: small)

        // 3. The input as data: compress and decompress it.
        if input.count <= 64 << 10 { roundTrip(codec, Array(input)) }
    }

    /// The vector never holds much more memory than its bytes before plus the limit (rounding to
    /// 64 bytes and a small slack for chunked copies are allowed).
    static func checkReservation(_ codec: some CompressionCodec, _ output: Vec64<UInt8>, before: Int, limit: Int) {
        let allowed = max(before + limit + 128, 128)
        Fuzz.check(output.capacity <= allowed, "\(codec.name): output capacity \(output.capacity) above \(allowed) for limit \(limit)")
    }

    static func roundTrip(_ codec: some CompressionCodec, _ data: [UInt8]) {
        do throws(CodecError) {
            let packed = try codec.compress(data)
            let back = try codec.decompress(packed, limit: data.count)
            Fuzz.check(back == data, "\(codec.name): round trip of \(data.count) bytes differs")
        } catch {
            Fuzz.check(false, "\(codec.name): round trip of \(data.count) bytes failed: \(error)")
        }
    }

    /// Seeds: every sample compressed, plus truncated and concatenated frames.
    public static func seeds(_ codec: some CompressionCodec) throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for sample in Fuzz.sampleData() {
            let packed = try codec.compress(sample)
            seeds.append(packed)
            if packed.count > 8 { seeds.append(Array(packed.prefix(packed.count / 2))) }
        }
        if let a = seeds.first, let b = seeds.dropFirst(4).first { seeds.append(a + b) }
        return seeds
    }
}
