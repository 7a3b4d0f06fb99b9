#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs Python in the project's virtual environment (with the reference C codecs `lz4`,
/// `zstandard`, `cramjam`), as created by `Tools/scripts/setup-venv.sh` and named by
/// `LIGHTSTREAM_PYTHON` in `Tools/test-all.sh`.
enum PythonPeer {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static var python: String {
        if let path = ProcessInfo.processInfo.environment["LIGHTSTREAM_PYTHON"] { return path }
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { directory.deleteLastPathComponent() }   // the repository root
        return directory.appendingPathComponent(".venv/bin/python").path
    }

    /// Runs `script` with `input` on stdin; returns stdout bytes.
    static func run(_ script: String, input: [UInt8] = []) throws -> [UInt8] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "no Python at \(python): run Tools/scripts/setup-venv.sh or set LIGHTSTREAM_PYTHON")
        }
        // A script that fails before reading its input closes the pipe: report that, don't die of SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python failed: \(String(decoding: err, as: UTF8.self))")
        }
        return [UInt8](out)
    }
}
