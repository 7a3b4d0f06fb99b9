import CLibFuzzer
import Foundation
import Vec64

/// What every harness shares: the input as bytes or an aligned ``Buffer``, invariant checks that
/// count as crashes, parameters drawn from the input, and seed files for a first corpus.
public enum Fuzz {
    /// A harness's `main`: runs libFuzzer's driver with the command line's arguments (`-runs`,
    /// `-max_total_time`, corpus folders, reproducer files) on `callback`.
    public static func run(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
    }

    /// The bytes libFuzzer hands a harness.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
        guard let data, size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: data, count: size)
    }

    /// A 64-byte aligned copy of the input, as a reader gets bytes from a file or socket.
    public static func buffer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Buffer {
        Buffer(copying: bytes(data, size))
    }

    /// Stops the process when an invariant does not hold: libFuzzer records the input as a crash.
    public static func check(
        _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        if !condition() {
            report("fuzz invariant broken at \(file):\(line): \(message())")
            abort()
        }
    }

    /// Writes a line to standard error.
    public static func report(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }

    /// When `LIGHTSTREAM_FUZZ_SEEDS` names a directory, writes `make()`'s inputs into it as
    /// `seed-NNNN` files and exits; otherwise returns. Harnesses call it from `LLVMFuzzerInitialize`,
    /// so `Tools/fuzz.sh` builds each starting corpus with the harness binary itself.
    public static func writeSeedsIfAsked(_ make: () throws -> [[UInt8]]) {
        guard let directory = ProcessInfo.processInfo.environment["LIGHTSTREAM_FUZZ_SEEDS"] else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let seeds = try make()
            for (i, seed) in seeds.enumerated() {
                let path = directory + "/seed-" + String(format: "%04d", i)
                guard FileManager.default.createFile(atPath: path, contents: Data(seed)) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
                }
            }
            report("wrote \(seeds.count) seeds to \(directory)")
            exit(0)
        } catch {
            report("cannot write seeds to \(directory): \(error)")
            exit(1)
        }
    }

    /// The contents of the files under the shared corpus (`LIGHTSTREAM_FUZZ_CORPUS`, by default
    /// `../shared/corpus` from the working directory) whose names end with one of `suffixes`
    /// (an empty suffix matches every file), at most `maximumSize` bytes each.
    public static func corpusFiles(under folder: String, suffixes: [String], maximumSize: Int = 1 << 20) -> [[UInt8]] {
        let root = ProcessInfo.processInfo.environment["LIGHTSTREAM_FUZZ_CORPUS"] ?? "../shared/corpus"
        let base = root + "/" + folder
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var files: [[UInt8]] = []
        for case let relative as String in walker where suffixes.contains(where: { relative.hasSuffix($0) }) {
            guard let data = FileManager.default.contents(atPath: base + "/" + relative), data.count <= maximumSize else { continue }
            files.append([UInt8](data))
        }
        return files
    }

    /// Deterministic sample data for codec seeds: runs, text, counters and noise.
    public static func sampleData() -> [[UInt8]] {
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let text = Array("Apache Arrow columnar buffers travel zero-copy through Lightstream frames. ".utf8)
        var samples: [[UInt8]] = [[], [0], Array(repeating: 7, count: 100), Array(repeating: 0, count: 70_000)]
        samples.append((0..<5000).flatMap { _ in text }.prefix(300_000).map { $0 })
        samples.append((0..<4096).flatMap { i in withUnsafeBytes(of: Int64(i * 1000).littleEndian) { Array($0) } })
        samples.append((0..<2000).map { _ in UInt8(truncatingIfNeeded: next()) })
        samples.append((0..<20_000).map { i in i % 3 == 0 ? UInt8(truncatingIfNeeded: next()) : text[i % text.count] })
        samples.append(Array(text.prefix(20)))
        return samples
    }
}

/// Parameters taken from the front of an input, so a mutation of those bytes changes them.
public struct FuzzParameters {
    private let bytes: UnsafeRawBufferPointer
    /// How many bytes the parameters used.
    public private(set) var used = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The next byte, or 0 past the end.
    public mutating func byte() -> UInt8 {
        guard used < bytes.count else { return 0 }
        defer { used += 1 }
        return bytes[used]
    }

    /// The input after the parameters.
    public var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[min(used, bytes.count)...]) }
}

/// Splits `bytes` into chunks of `size` (at least 1) bytes, as a socket might deliver them.
public func fuzzChunks(_ bytes: UnsafeRawBufferPointer, size: Int) -> [Buffer] {
    let size = max(1, size)
    return stride(from: 0, to: bytes.count, by: size).map { start in
        Buffer(copying: UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + size, bytes.count)]))
    }
}
