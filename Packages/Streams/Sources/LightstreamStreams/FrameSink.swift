import LightstreamFraming
import Synchronization
import Vec64

/// What a ``FrameSink`` or ``TableWriter`` did: bytes handed to the sink, and how much unsent
/// data it ever held (the backpressure bound at work).
public final class SinkStatistics: Sendable {
    private let written = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)
    private let waits = Atomic<Int>(0)

    /// Counters starting at zero.
    public init() {}

    /// Bytes the sink has accepted.
    public var bytesWritten: Int { written.load(ordering: .relaxed) }
    /// The most bytes ever encoded and not yet accepted by the sink.
    public var peakUnsentBytes: Int { peak.load(ordering: .relaxed) }
    /// Times a write suspended because the unsent bytes reached the bound.
    public var backpressureWaits: Int { waits.load(ordering: .relaxed) }

    func noteUnsent(_ bytes: Int) { _ = peak.max(bytes, ordering: .relaxed) }
    func noteWritten(_ bytes: Int) { written.add(bytes, ordering: .relaxed) }
    func noteWait() { waits.add(1, ordering: .relaxed) }
}

/// The write pipeline under ``FrameSink`` and ``TableWriter``: encoded bytes collect in a
/// `FrameOutput` (large bodies by reference); once `flushThreshold` bytes are collected they go
/// to the sink in a background write while the producer goes on, and the producer suspends
/// only when the unsent bytes (in flight + collected) would pass `maximumUnsentBytes`.
struct SinkPipeline<Sink: AsyncByteSink> {
    let sink: Sink
    let maximumUnsentBytes: Int
    let flushThreshold: Int
    let statistics: SinkStatistics
    var output = FrameOutput()
    var inFlight: (task: Task<Void, any Error>, bytes: Int, done: OnceFlag)?

    init(sink: Sink, maximumUnsentBytes: Int, flushThreshold: Int, statistics: SinkStatistics) {
        precondition(maximumUnsentBytes > 0 && flushThreshold > 0, "sizes must be positive")
        self.sink = sink
        self.maximumUnsentBytes = maximumUnsentBytes
        self.flushThreshold = min(flushThreshold, maximumUnsentBytes)
        self.statistics = statistics
    }

    var unsentBytes: Int { (inFlight?.bytes ?? 0) + output.count }

    /// Call after appending to ``output``: starts a background write or waits for room.
    mutating func didAppend() async throws {
        statistics.noteUnsent(unsentBytes)
        guard output.count >= flushThreshold else { return }
        if let current = inFlight {
            if !current.done.isSet {
                // Under the bound: keep collecting while the write goes on.
                if current.bytes + output.count <= maximumUnsentBytes { return }
                statistics.noteWait()
            }
            try await finishInFlight()
        }
        startWrite()
    }

    mutating func startWrite() {
        let pieces = output.takePieces()
        let bytes = pieces.reduce(0) { $0 + $1.count }
        guard bytes > 0 else { return }
        let sink = self.sink, statistics = self.statistics, done = OnceFlag()
        let task = Task {
            defer { done.set() }
            try await sink.write(pieces)
            statistics.noteWritten(bytes)
        }
        inFlight = (task, bytes, done)
    }

    /// Waits for the background write; cancelling the waiting task cancels the write.
    mutating func finishInFlight() async throws {
        guard let current = inFlight else { return }
        inFlight = nil
        try await withTaskCancellationHandler {
            try await current.task.value
        } onCancel: {
            current.task.cancel()
        }
    }

    /// Hands every collected byte to the sink and waits until it has taken them, then flushes it.
    mutating func flush() async throws {
        try await finishInFlight()
        startWrite()
        try await finishInFlight()
        try await sink.flush()
    }

    /// Flushes, then closes the sink.
    mutating func close() async throws {
        try await flush()
        try await sink.close()
    }
}

/// Writes frames asynchronously through any `FrameEncoder` to any ``AsyncByteSink``, with
/// backpressure: at most ``maximumUnsentBytes`` (plus one frame) are ever encoded and not yet
/// taken by the sink, and ``write(_:)`` suspends while that bound is reached.
///
/// Small frames are batched into writes of ``flushThreshold`` bytes; large bodies are written
/// by reference. A write to the sink runs in the background while the producer encodes the
/// next frames.
///
/// - ``flush()`` returns once every frame written so far was accepted by the sink (for a
///   descriptor or socket: the bytes are in the kernel) and the sink was flushed.
/// - ``close()`` flushes and then closes the sink. Call it (or ``flush()``) before dropping the
///   sink: frames still collected are not written otherwise.
///
/// ```swift
/// var sink = FrameSink(encoder: TLVEncoder(), sink: FileDescriptorByteSink(fd))
/// try await sink.write(TLVFrame(tag: 1, value: payload))
/// try await sink.close()
/// ```
public struct FrameSink<Encoder: FrameEncoder, Sink: AsyncByteSink> {
    var encoder: Encoder
    var pipeline: SinkPipeline<Sink>

    /// The most bytes held unsent before ``write(_:)`` suspends.
    public var maximumUnsentBytes: Int { pipeline.maximumUnsentBytes }
    /// Bytes collected before they are handed to the sink.
    public var flushThreshold: Int { pipeline.flushThreshold }
    /// Bytes written, peak unsent bytes, backpressure waits.
    public var statistics: SinkStatistics { pipeline.statistics }

    /// A sink encoding with `encoder` into `sink`, holding at most `maximumUnsentBytes` unsent.
    public init(encoder: Encoder, sink: Sink, maximumUnsentBytes: Int = 4 << 20, flushThreshold: Int = 64 << 10) {
        self.encoder = encoder
        pipeline = SinkPipeline(sink: sink, maximumUnsentBytes: maximumUnsentBytes, flushThreshold: flushThreshold,
                                statistics: SinkStatistics())
    }

    /// Encodes `frame`; suspends while the unsent bytes are at the bound.
    ///
    /// - Throws: the encoder's `FramingError`, the sink's errors (from an earlier background
    ///   write, too), `CancellationError`.
    public mutating func write(_ frame: Encoder.Frame) async throws {
        try encoder.encode(frame, into: &pipeline.output)
        try await pipeline.didAppend()
    }

    /// Returns once every frame written so far is accepted by the sink, and the sink is flushed.
    public mutating func flush() async throws {
        try await pipeline.flush()
    }

    /// Flushes, then closes the sink.
    public mutating func close() async throws {
        try await pipeline.close()
    }
}
