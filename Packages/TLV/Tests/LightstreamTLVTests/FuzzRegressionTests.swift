import Foundation
import LightstreamFraming
import LightstreamTLV
import Testing
import Vec64

/// Replays what the `tlv` harness of `Fuzz/` found (`Fuzz/Regressions/tlv`) under every TLV format
/// the harness can choose (a superset of the one its first byte selected): decoding gives frames
/// within the format's bounds or a `FramingError`, never a crash. A missing folder fails the test.
@Suite("Fuzz regressions (TLV)")
struct TLVFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()    // Tests/LightstreamTLVTests/x.swift -> repository
        .appendingPathComponent("Fuzz/Regressions/tlv")

    static let formats: [TLVFormat] = [1, 2, 4].flatMap { tag in
        [2, 4, 8].flatMap { length in
            [false, true].flatMap { bigEndian in
                [200, 64 << 20, Int.max].flatMap { maximum in
                    [1, 64].map { TLVFormat(tagWidth: tag, lengthWidth: length, bigEndian: bigEndian, maximumValueLength: maximum, valueAlignment: $0) }
                }
            }
        }
    }

    @Test func replays() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        #expect(names.contains("README.md"), "\(Self.folder.path) is not a regressions folder")
        for name in names.sorted() where name != "README.md" {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
            for format in Self.formats {
                for input in [bytes, Array(bytes.dropFirst(2))] {
                    var reader = FrameReader(decoder: TLVDecoder(format), source: BufferSource([Buffer(copying: input)]))
                    do {
                        while let frame = try reader.next() { #expect(frame.value.count <= format.maximumValueLength, "\(name)") }
                    } catch {}
                }
            }
        }
    }
}
