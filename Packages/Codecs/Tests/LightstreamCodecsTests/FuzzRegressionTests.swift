import Foundation
import Testing
import Vec64
import LightstreamCodecs

/// Replays the inputs the codec harnesses of `Fuzz/` found (`Fuzz/Regressions/<harness>/`) with
/// the harness's own checks. A missing folder fails: the replay never passes by finding nothing.
@Suite struct FuzzRegressionTests {
    /// The repository's `Fuzz/Regressions`, found from this file.
    static let regressions = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // LightstreamCodecsTests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()   // Codecs
        .deletingLastPathComponent()   // Packages
        .deletingLastPathComponent()   // the repository
        .appendingPathComponent("Fuzz/Regressions")

    /// The inputs of one harness's folder (every file but its README).
    static func inputs(_ harness: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = regressions.appendingPathComponent(harness)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.contains("README.md"), "\(folder.path) is not a regressions folder")
        return try names.filter { $0 != "README.md" }.sorted().map { name in
            (name, [UInt8](try Data(contentsOf: folder.appendingPathComponent(name))))
        }
    }

    @Test(arguments: [
        ("lz4-frame", LZ4FrameCodec() as any CompressionCodec), ("lz4-raw", LZ4RawCodec()), ("zstd", ZstdCodec()),
        ("snappy", SnappyCodec()), ("gzip", GzipCodec()), ("deflate", DeflateCodec()),
    ])
    func replays(_ harness: String, _ codec: any CompressionCodec) throws {
        for (name, input) in try Self.inputs(harness) {
            input.withUnsafeBytes { CodecHarnessChecks.run(codec, $0, name: "\(harness)/\(name)") }
        }
    }

    @Test func zstdFoundInputsAreThere() throws {
        // The first finding (a frame then garbage left the first frame's bytes in the output).
        #expect(try Self.inputs("zstd").contains { $0.name == "crash-4bc96f1f6f940a5748769cb443e6351741a9a572" })
    }
}

/// The checks of `Fuzz/Sources/CodecHarness` as test expectations: decompression stays within the
/// limit (bytes and reserved capacity), leaves the caller's bytes alone and restores the output
/// on error, and what decodes (and the input itself) round-trips.
enum CodecHarnessChecks {
    static let limit = 4 << 20

    static func run(_ codec: some CompressionCodec, _ input: UnsafeRawBufferPointer, name: String) {
        var output = Vec64<UInt8>()
        do throws(CodecError) {
            try codec.decompress(input, into: &output, limit: limit)
            #expect(output.count <= limit, "\(name)")
            roundTrip(codec, output.withUnsafeBufferPointer { Array($0) }, name: name)
        } catch {
            #expect(output.count == 0, "\(name): \(output.count) bytes left after \(error)")
        }
        #expect(output.capacity <= limit + 128, "\(name): capacity \(output.capacity)")

        let prefix = 100
        let small = input.count * 3
        var prefilled = Vec64<UInt8>(repeating: 0xAB, count: prefix)
        do throws(CodecError) {
            try codec.decompress(input, into: &prefilled, limit: small)
            #expect(prefilled.count - prefix <= small, "\(name)")
        } catch {
            #expect(prefilled.count == prefix, "\(name): \(prefilled.count - prefix) bytes left after \(error)")
        }
        #expect(prefilled.withUnsafeBufferPointer { $0.prefix(prefix).allSatisfy { $0 == 0xAB } }, "\(name)")
        #expect(prefilled.capacity <= max(prefix + small + 128, 128), "\(name): capacity \(prefilled.capacity)")

        if input.count <= 64 << 10 { roundTrip(codec, Array(input), name: name) }
    }

    static func roundTrip(_ codec: some CompressionCodec, _ data: [UInt8], name: String) {
        #expect(throws: Never.self, "\(name)") {
            let back = try codec.decompress(try codec.compress(data), limit: data.count)
            #expect(back == data, "\(name): round trip of \(data.count) bytes differs")
        }
    }
}
