import Foundation

/// Runs Python code in the project's virtual environment (the one with pyarrow), which
/// `Tools/scripts/setup-venv.sh` creates and `Tools/test-all.sh` names in `LIGHTSTREAM_PYTHON`.
enum PyarrowPeer {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static var python: String {
        if let path = ProcessInfo.processInfo.environment["LIGHTSTREAM_PYTHON"] { return path }
        // `swift test` run by hand from the repository root: use .venv if it is there.
        let local = FileManager.default.currentDirectoryPath + "/.venv/bin/python"
        return local
    }

    /// A started `python -c script arguments...` whose standard output and error are pipes.
    static func start(_ script: String, arguments: [String] = []) throws -> (process: Process, output: Pipe, errors: Pipe) {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Unavailable(description: "no Python at \(python): run Tools/scripts/setup-venv.sh or set LIGHTSTREAM_PYTHON")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    /// Runs `script` with `python -c` and returns its standard output.
    static func run(_ script: String) throws -> String {
        let (process, out, err) = try start(script)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Unavailable(description: "python failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs blocking work (reading a child's output, waiting for its exit) on a thread of its
    /// own, off the cooperative pool and off Dispatch's worker pool, and returns its result.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
