import Foundation
import LightstreamArrow
import LightstreamFraming
import LightstreamFramingConformance
import LightstreamStreams
import Synchronization
import SystemPackage
import Vec64

/// An async sink collecting what is written, for tests.
final class CollectingSink: AsyncByteSink {
    private let state = Mutex<(pieces: [Buffer], closed: Bool)>(([], false))

    func write(_ pieces: [Buffer]) async throws {
        state.withLock { $0.pieces.append(contentsOf: pieces) }
    }

    func flush() async throws {}

    func close() async throws {
        state.withLock { $0.closed = true }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// Everything written, joined.
    var bytes: Buffer {
        var joined: [UInt8] = []
        for piece in state.withLock({ $0.pieces }) { piece.withUnsafeBytes { joined.append(contentsOf: $0) } }
        return Buffer(copying: joined)
    }
}

/// `bytes` cut at random places into chunks of 1...`maximum` bytes (zero-copy slices).
func randomChunks(_ bytes: Buffer, maximum: Int, rng: inout SplitMix64) -> [Buffer] {
    var chunks: [Buffer] = []
    var start = 0
    while start < bytes.count {
        let size = Int.random(in: 1...maximum, using: &rng)
        let end = Swift.min(bytes.count, start + size)
        chunks.append(bytes.slice(start..<end))
        start = end
    }
    return chunks
}

/// Random bytes.
func randomBytes(_ count: Int, rng: inout SplitMix64) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
}

/// A table with ints, strings, floats with nulls and a dictionary column, in batches.
func sampleTable(rows: Int, batches: Int = 3, seed: UInt64 = 1) throws -> Table {
    var rng = seededRandom(seed)
    var out: [RecordBatch] = []
    let categories = ["red", "green", "blue"]
    for b in 0..<batches {
        var labels = StringBuilder()
        var category = DictionaryBuilder<UInt32, String>()
        var ids: [Int32?] = []
        var values: [Double?] = []
        for i in 0..<rows {
            let n = b * rows + i
            ids.append(Int32(n))
            values.append(n % 7 == 0 ? nil : Double(n) * 0.5)
            labels.append(n % 11 == 0 ? nil : "row_\(n)")
            category.append(categories[Int.random(in: 0..<3, using: &rng)])
        }
        out.append(try RecordBatch([
            "ids": Int32Array(ids),
            "values": Float64Array(values),
            "labels": labels.finish(),
            "category": category.finish(),
        ]))
    }
    return try Table(batches: out)
}

/// A pipe whose descriptors are closed when the test is done with them.
struct TestPipe {
    let read: FileDescriptor
    let write: FileDescriptor
    init() throws {
        (read, write) = try FileDescriptor.pipe()
    }
}

/// Runs blocking test work (a slow reader, a process wait) on a thread of its own, off the
/// cooperative pool and off Dispatch's worker pool.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// The generator of a random test, from a fixed seed; the seed is printed, so a failing run can
/// be replayed with it.
func seededRandom(_ seed: UInt64, _ test: String = #function) -> SplitMix64 {
    print("\(test): random seed \(seed)")
    return SplitMix64(seed: seed)
}
