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

    /// Runs `script` with `python -c` and returns its standard output. The wait for Python runs
    /// off the cooperative pool (``offPool(_:)``): on a 2-core machine a few tests waiting for
    /// their peer synchronously would otherwise hold every pool thread, and tests whose sockets
    /// need the pool would miss their time limits.
    static func run(_ script: String) async throws -> String {
        let (process, out, err) = try start(script)
        let (data, errors): (Data, Data) = await offPool {
            // Standard error is drained on its own thread: a peer that fills it must not block.
            let errorData = ErrorDrain(err)
            let data = out.fileHandleForReading.readDataToEndOfFile()
            let errors = errorData.wait()
            process.waitUntilExit()
            return (data, errors)
        }
        guard process.terminationStatus == 0 else {
            throw Unavailable(description: "python failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a pipe to its end on a thread of its own.
    final class ErrorDrain: @unchecked Sendable {
        private var data = Data()
        private let done = NSCondition()
        private var finished = false

        init(_ pipe: Pipe) {
            Thread {
                let all = pipe.fileHandleForReading.readDataToEndOfFile()
                self.done.lock()
                self.data = all
                self.finished = true
                self.done.broadcast()
                self.done.unlock()
            }.start()
        }

        func wait() -> Data {
            done.lock()
            defer { done.unlock() }
            while !finished { done.wait() }
            return data
        }
    }

    /// Runs blocking work (reading a child's output, waiting for its exit) on a thread of its
    /// own, off the cooperative pool and off Dispatch's worker pool, and returns its result.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
