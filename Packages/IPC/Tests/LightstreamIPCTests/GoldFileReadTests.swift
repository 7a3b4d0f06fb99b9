import Foundation
import LightstreamArrow
import LightstreamIPC
import Testing
import Vec64

/// The Arrow project's integration gold files, read in place from `../shared/corpus`.
enum Corpus {
    static var root: String {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { directory.deleteLastPathComponent() }  // Tests/LightstreamIPCTests/x.swift -> repository root
        // `../shared/corpus` from the repository root, and nowhere else: a missing corpus fails
        // the corpus checks instead of silently running zero cases.
        return directory.appendingPathComponent("../shared/corpus").standardizedFileURL.path
    }

    static var integration: String { root + "/arrow-ipc-stream/integration" }

    /// `producer/case` names of every gold case.
    static var cases: [String] {
        let producers = (try? FileManager.default.contentsOfDirectory(atPath: integration)) ?? []
        return producers.sorted().flatMap { producer -> [String] in
            let files = (try? FileManager.default.contentsOfDirectory(atPath: integration + "/" + producer)) ?? []
            return files.filter { $0.hasSuffix(".arrow_file") }.map { "\(producer)/\($0.dropLast(".arrow_file".count))" }.sorted()
        }
    }

    static func load(_ path: String) throws -> Buffer {
        Buffer(copying: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}

@Suite("Gold files")
struct GoldFileReadTests {
    /// Cases that must fail, with why.
    static func expectedFailure(_ name: String) -> String? {
        if name.hasPrefix("1.0.0-bigendian") { return "big-endian" }
        if name.contains("extension") { return nil }
        return nil
    }

    @Test("stream and file agree", arguments: Corpus.cases)
    func readsGoldCase(_ name: String) throws {
        let base = Corpus.integration + "/" + name
        do {
            let file = try IPCFileReader(try Corpus.load(base + ".arrow_file"))
            let fromFile = try file.readAll()
            var stream = try IPCStreamReader(try Corpus.load(base + ".stream"))
            let fromStream = try stream.readAll()
            if name.hasSuffix("map_non_canonical") {
                // The producer wrote canonical entry names ("entries", "key", "value") in the stream
                // and the original ones in the file; the values agree.
                #expect(fromFile.formatted(maxRows: 10_000, maxWidth: 10_000).split(separator: "\n").dropFirst(3)
                    == fromStream.formatted(maxRows: 10_000, maxWidth: 10_000).split(separator: "\n").dropFirst(3))
            } else {
                #expect(fromFile == fromStream)
            }
            if let why = Self.expectedFailure(name) { Issue.record("\(name) read although expected to fail (\(why))") }
        } catch {
            guard let why = Self.expectedFailure(name) else { throw error }
            #expect("\(error)".contains(why == "big-endian" ? "big-endian" : "compress"), "\(error)")
        }
    }
}
