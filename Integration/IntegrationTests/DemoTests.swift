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

    @Test func demoPrintsATableAndChecks() throws {
        let demo = try Tool.run(["demo", "--rows", "100"])
        #expect(demo.status == 0, "\(demo.output)")
        #expect(demo.output.contains("id    | price"))
        #expect(demo.output.contains("(100 rows, 5 columns)"))
        #expect(demo.output.contains("same memory: true"))
        #expect(demo.output.contains("equals the one-batch table: true"))
        #expect(demo.output.contains("TLV round trip: 3 messages"))
        #expect(demo.output.contains("rowCount(100)"))
        #expect(demo.output.contains("equal to what was sent: true"))
        #expect(demo.output.contains("batches read back, equal: true"))
        #expect(demo.output.contains("(zero copy): true"))
    }

    @Test func badArgumentsFailWithAMessage() throws {
        let result = try Tool.run(["demo", "--rows=-5"])
        #expect(result.status != 0)
        #expect(result.output.contains("--rows must not be negative"))
    }
}
