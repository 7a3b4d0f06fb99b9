import Dispatch
import Foundation
import Lightstream
import Synchronization

/// The Rust crate's transport benchmark table: 100K rows of ids: int32, values: float64,
/// labels: utf8 "row_<i>", category: dictionary<uint32, utf8> of 3 values, as one batch.
func transportTable(rows: Int = 100_000) -> RecordBatch {
    var labels = StringBuilder()
    var category = DictionaryBuilder<UInt32, String>()
    let words = ["alpha", "beta", "gamma"]
    for i in 0..<rows {
        labels.append("row_\(i)")
        category.append(words[i % 3])
    }
    return try! RecordBatch([
        "ids": Int32Array(vector(rows) { Int32($0) }),
        "values": Float64Array(vector(rows) { Double($0) * 0.5 }),
        "labels": labels.finish(),
        "category": category.finish(),
    ])
}

/// The logical payload of a batch: the bytes of its arrays' buffers (not the dictionary, which
/// is sent once).
func payloadBytes(_ batch: RecordBatch) -> Int {
    batch.columns.reduce(0) { total, column in
        total + column.buffers.reduce(0) { $0 + $1.count } + (column.validity?.count ?? 0)
    }
}

/// Times an async body: the best of `repetitions` runs of what `body` reports as its own
/// elapsed seconds (so setup can be left out of the timing).
func measureAsync(_ name: String, bytes: Int, repetitions: Int = 3, _ body: () async throws -> Double) async {
    if !wants(name) { return }
    var best = Double.infinity
    for _ in 0..<repetitions {
        best = min(best, try! await body())
    }
    print("{\"name\": \"\(name)\", \"seconds\": \(best), \"bytes\": \(bytes)}")
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// The two socket transports: descriptors (`SocketTransport`, zero copy) and SwiftNIO
/// (`NIOTransport`, one copy each way into and out of NIO's buffers).
enum BenchTransport: String { case sockets, nio }

/// Reads one IPC stream; returns (seconds from the `warmup`-th batch to the last, batches after it).
func receiveBatches(_ source: some AsyncByteSource, warmup: Int) async throws -> (Double, Int) {
    var reader = TableStreamReader(source: source, options: IPCReadOptions(validate: false))
    var count = 0
    var start = now()
    while let batch = try await reader.next() {
        sink &+= batch.length
        count += 1
        if count == warmup { start = now() }
    }
    return (now() - start, count - warmup)
}

/// Writes `batches` as one IPC stream.
func sendBatches(_ batches: [RecordBatch], to byteSink: some AsyncByteSink, options: IPCWriteOptions) async throws {
    var writer = try TableWriter.stream(to: byteSink, schema: batches[0].schema, options: options)
    for batch in batches { try await writer.write(batch) }
    try await writer.finish()
}

/// Sends `batches` over a fresh loopback connection of `transport` while the listening side
/// receives them; returns the receiver's timing.
func transfer(_ transport: BenchTransport, endpoint: SocketEndpoint, warmup: Int, batches: [RecordBatch],
              options: IPCWriteOptions = IPCWriteOptions()) async throws -> (Double, Int) {
    let result = TransferResult()
    func target(_ port: Int?) -> SocketEndpoint {
        if case let .tcp(host, _) = endpoint { return .tcp(host: host, port: port!) }
        return endpoint
    }
    switch transport {
    case .sockets:
        let listener = try SocketTransport.listen(on: endpoint)
        async let served: Void = listener.serve(connections: 1) { source, _ in
            let timing = try await receiveBatches(source, warmup: warmup)
            result.value.withLock { $0 = timing }
        }
        try await SocketTransport.connect(to: target(listener.port)) { _, sink in
            try await sendBatches(batches, to: sink, options: options)
        }
        try await served
    case .nio:
        let listener = try await NIOTransport.listen(on: endpoint)
        async let served: Void = listener.serve(connections: 1) { source, _ in
            let timing = try await receiveBatches(source, warmup: warmup)
            result.value.withLock { $0 = timing }
        }
        try await NIOTransport.connect(to: target(listener.port)) { _, sink in
            try await sendBatches(batches, to: sink, options: options)
        }
        try await served
    }
    return result.value.withLock { $0 }
}

/// Transport benchmarks over loopback, on both transports (`_nio` names: SwiftNIO): the 100K-row
/// table sent repeatedly over one connection (steady state: the first 10 batches are warm-up),
/// over TCP and Unix sockets; and the 10M-row numeric table as one stream over TCP (the whole
/// transfer, connection included). Validation is off on the receiving side, as in pyarrow's reader.
func benchTransport(rows: Int) async {
    let repeated = 200, warmup = 10
    for transport in [BenchTransport.sockets, .nio] {
        let suffix = transport == .nio ? "_nio" : ""
        let tcp = "transport_tcp_100k_repeated" + suffix, unix = "transport_unix_100k_repeated" + suffix
        if wantsAny(tcp, unix) {
            let batch = transportTable()
            let batches = Array(repeating: batch, count: repeated + warmup)
            for (name, endpoint) in [(tcp, SocketEndpoint.tcp(host: "127.0.0.1", port: 0)),
                                     (unix, .unix(path: "/tmp/lightstream-bench-\(getpid()).sock"))] {
                await measureAsync(name, bytes: payloadBytes(batch) * repeated) {
                    let (seconds, count) = try await transfer(transport, endpoint: endpoint, warmup: warmup, batches: batches)
                    precondition(count == repeated)
                    return seconds
                }
            }
        }
        if transport == .sockets, wants("transport_tcp_10M_raw_copy") {
            // The ceiling: the same bytes as the 10M-row stream, written and read raw.
            let bytes = writeStream(numericTable(rows: rows))
            await measureAsync("transport_tcp_10M_raw_copy", bytes: rows * 24) {
                let start = now()
                let listener = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
                async let served: Void = listener.serve(connections: 1) { source, _ in
                    var source = source
                    var buffer = StreamBuffer()
                    while try await source.read(into: &buffer, minimumCapacity: 1 << 20) { buffer.consume(buffer.pendingCount) }
                }
                try await SocketTransport.connect(to: .tcp(host: "127.0.0.1", port: listener.port!)) { _, sink in
                    try await sink.write([bytes])
                    try await sink.close()
                }
                try await served
                return now() - start
            }
        }
        let stream = "transport_tcp_10M_stream" + suffix
        if wants(stream) {
            let table = numericTable(rows: rows)
            await measureAsync(stream, bytes: rows * 24) {
                let start = now()
                let (_, count) = try await transfer(transport, endpoint: .tcp(host: "127.0.0.1", port: 0), warmup: 0,
                                                    batches: table.batches, options: ipcWriteOptions)
                precondition(count == (rows + ipcBatchRows - 1) / ipcBatchRows)
                return now() - start
            }
        }
    }
}

/// The receiver's timing, handed out of its `@Sendable` handler.
final class TransferResult: Sendable {
    let value = Mutex<(Double, Int)>((0, 0))
}
