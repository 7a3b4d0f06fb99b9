import Foundation
import Lightstream
import Testing

/// Runs the built `lightstream` tool, as a newcomer would.
enum Tool {
    /// The `lightstream` executable beside the test bundle in the build folder.
    static var url: URL {
        // On Linux the bundle URL is the build folder itself; on Darwin it is the .xctest bundle in it.
        let bundle = Bundle(for: Marker.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("lightstream") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    final class Marker {}

    /// Runs the tool with standard input from `input` and standard output to `output` (paths,
    /// e.g. a regular file or /dev/null); returns the status and standard error.
    static func run(_ arguments: [String], input: String?, output: String?) throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let input { process.standardInput = FileHandle(forReadingAtPath: input) }
        if let output {
            if !FileManager.default.fileExists(atPath: output) { _ = FileManager.default.createFile(atPath: output, contents: nil) }
            process.standardOutput = FileHandle(forWritingAtPath: output)
        }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite("lightstream tool")
struct ToolTests {
    @Test func versionAndHelp() throws {
        let version = try Tool.run(["--version"])
        #expect(version.status == 0)
        #expect(version.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = try Tool.run(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("demo"))
    }

    /// The demo's output checked against what its data must be (computed here from the rules
    /// the demo builds its columns by), not against the verdicts the demo prints about itself.
    @Test func demoPrintsATableAndChecks() throws {
        let rows = 100
        let demo = try Tool.run(["demo", "--rows", "\(rows)"])
        #expect(demo.status == 0, "\(demo.output)")
        let lines = demo.output.split(separator: "\n").map { String($0) }
        func row(_ i: Int) -> [String]? {
            lines.first { $0.hasPrefix("\(i) ") && $0.contains("item-\(i) ") }?
                .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        // Rows as the demo builds them: price i * 1.25 (null when i % 7 == 3), name item-i,
        // city by i % 4 (null when i % 11 == 5), tags null when i % 5 == 0.
        let cities = ["Lisbon", "Oslo", "Kyoto", "Lima"]
        for i in [0, 1, 2, 3, 96, 97, 98, 99] {
            let cells = try #require(row(i), "row \(i) missing in:\n\(demo.output)")
            #expect(cells[1] == (i % 7 == 3 ? "null" : "\(Double(i) * 1.25)"))
            #expect(cells[2] == "item-\(i)")
            #expect(cells[3] == (i % 11 == 5 ? "null" : cities[i % 4]))
            #expect((cells[4] == "null") == (i % 5 == 0))
        }
        #expect(demo.output.contains("(\(rows) rows, 5 columns)"))
        // Null counts, computed here.
        let priceNulls = (0..<rows).filter { $0 % 7 == 3 }.count
        let cityNulls = (0..<rows).filter { $0 % 11 == 5 }.count
        let tagNulls = (0..<rows).filter { $0 % 5 == 0 }.count
        #expect(demo.output.contains("price \(priceNulls), city \(cityNulls), tags \(tagNulls)."))
        // The TLV stream: three frames of a 5-byte header each and their payloads.
        let hello = "price column follows"
        #expect(demo.output.contains("\(3 * 5 + hello.utf8.count + 8 + rows * 8) bytes on the wire"))
        #expect(demo.output.contains("hello(\"\(hello)\")"))
        #expect(demo.output.contains("rowCount(\(rows))"))
        #expect(demo.output.contains("columnBytes(\(rows * 8) bytes)"))
        // The table went through IPC in memory and over TCP as its two batches, without copies.
        #expect(demo.output.contains("2 batches read back"))
        #expect(demo.output.contains("2 batches received"))
        #expect(demo.output.components(separatedBy: "bodies realigned by copying: 0").count - 1 == 3)
        #expect(demo.output.contains("starting at slot 10"))
    }

    @Test func badArgumentsFailWithAMessage() throws {
        let result = try Tool.run(["demo", "--rows=-5"])
        #expect(result.status != 0)
        #expect(result.output.contains("--rows must not be negative"))
    }
}
