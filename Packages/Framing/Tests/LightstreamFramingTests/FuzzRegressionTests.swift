import Foundation
import LightstreamFraming
import Testing
import Vec64

/// Replays what the `length-prefixed` harness of `Fuzz/` found (`Fuzz/Regressions/length-prefixed`)
/// under every length format the harness can choose (a superset of the one its first bytes
/// selected): frames within the maximum, or a `FramingError`, never a crash. A missing folder fails.
@Suite("Fuzz regressions (length-prefixed framing)")
struct FramingFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()    // Tests/LightstreamFramingTests/x.swift -> repository
        .appendingPathComponent("Fuzz/Regressions/length-prefixed")

    static let formats: [LengthFieldFormat] = [1, 2, 4, 8].flatMap { width in
        [false, true].flatMap { bigEndian in
            [0, -3, 5].flatMap { adjustment in
                [0, 200, 1 << 20, Int.max].flatMap { maximum in
                    [1, 64].map {
                        LengthFieldFormat(width: width, bigEndian: bigEndian, lengthAdjustment: adjustment, maximumFrameLength: maximum, bodyAlignment: $0)
                    }
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
                for input in [bytes, Array(bytes.dropFirst(3))] {
                    var reader = FrameReader(decoder: LengthPrefixedFrameDecoder(format), source: BufferSource([Buffer(copying: input)]))
                    do {
                        while let frame = try reader.next() { #expect(frame.count <= format.maximumFrameLength, "\(name)") }
                    } catch {}
                }
            }
        }
    }
}
