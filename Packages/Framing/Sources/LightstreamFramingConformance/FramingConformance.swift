import LightstreamFraming
import Vec64

/// One check a codec failed, with enough detail to reproduce it.
public struct ConformanceFailure: Sendable, CustomStringConvertible {
    /// Which check: `roundTrip`, `everySplit`, `randomChunks`, `byteByByte`, `truncation`, `garbage`.
    public var check: String
    /// What went wrong: the round, the input and the error or mismatch.
    public var detail: String
    /// `check: detail`.
    public var description: String { "\(check): \(detail)" }
}

/// The checks every Lightstream codec passes, for any encoder/decoder pair: give it a way to
/// make the codec and sample frames, run it, and expect no failures.
///
/// ```swift
/// let kit = FramingConformance(encoder: { MyEncoder() }, decoder: { MyDecoder() }) { rng in
///     (0..<20).map { _ in MyFrame.random(using: &rng) }
/// }
/// #expect(kit.run().isEmpty)
/// ```
///
/// It checks that the encoded bytes of sample frames decode to the same frames when fed whole,
/// split at every boundary, in random chunks and one byte at a time; that every truncation gives
/// the complete frames and then a `truncatedFrame` error (never an extra frame); and that random
/// garbage gives frames or errors but never traps or loops. A trap in the codec stops the test
/// process, which the test run reports.
public struct FramingConformance<Encoder: FrameEncoder, Decoder: FrameDecoder>
where Encoder.Frame == Decoder.Frame, Decoder.Frame: Equatable {
    /// The frames the encoder writes and the decoder reads.
    public typealias Frame = Decoder.Frame

    let makeEncoder: () -> Encoder
    let makeDecoder: () -> Decoder
    let samples: (inout SplitMix64) -> [Frame]

    /// - Parameters:
    ///   - encoder: makes a fresh encoder.
    ///   - decoder: makes a fresh decoder.
    ///   - samples: makes a sequence of sample frames from a seeded generator.
    public init(encoder: @escaping () -> Encoder, decoder: @escaping () -> Decoder,
                samples: @escaping (inout SplitMix64) -> [Frame]) {
        makeEncoder = encoder
        makeDecoder = decoder
        self.samples = samples
    }

    /// Runs every check over `rounds` sample sequences and returns the failures (empty: passed).
    public func run(seed: UInt64 = 1, rounds: Int = 8, maximumSplits: Int = 2048, garbageRounds: Int = 300) -> [ConformanceFailure] {
        var failures: [ConformanceFailure] = []
        var rng = SplitMix64(seed: seed)
        for round in 0..<rounds {
            let frames = samples(&rng)
            let boundaries: [Int]
            let bytes: Buffer
            do {
                (bytes, boundaries) = try encode(frames)
            } catch {
                failures.append(ConformanceFailure(check: "roundTrip", detail: "round \(round): encoding failed: \(error)"))
                continue
            }
            let n = bytes.count
            func expectFrames(_ check: String, _ chunks: [Buffer], _ what: String) {
                do {
                    let decoded = try decode(chunks)
                    if decoded != frames {
                        failures.append(ConformanceFailure(check: check, detail: "round \(round), \(what): decoded \(decoded.count) frames, expected \(frames.count) (or values differ)"))
                    }
                } catch {
                    failures.append(ConformanceFailure(check: check, detail: "round \(round), \(what): \(error)"))
                }
            }
            expectFrames("roundTrip", [bytes], "whole input of \(n) bytes")
            for split in Self.points(in: 0...n, limit: maximumSplits, rng: &rng) {
                expectFrames("everySplit", [bytes.slice(0..<split), bytes.slice(split..<n)], "split at byte \(split)")
            }
            for _ in 0..<4 {
                let maxChunk = Swift.max(1, n / 3)
                var chunks: [Buffer] = []
                var at = 0
                while at < n {
                    let size = Int.random(in: 1...maxChunk, using: &rng)
                    chunks.append(bytes.slice(at..<Swift.min(n, at + size)))
                    at += size
                }
                expectFrames("randomChunks", chunks, "\(chunks.count) chunks of up to \(maxChunk) bytes")
            }
            if n <= 1 << 16 {
                expectFrames("byteByByte", (0..<n).map { bytes.slice($0..<($0 + 1)) }, "one byte at a time")
            }
            for cut in Self.points(in: 0...Swift.max(0, n - 1), limit: maximumSplits, rng: &rng) where n > 0 {
                checkTruncation(bytes.slice(0..<cut), frames: frames, boundaries: boundaries, round: round, into: &failures)
            }
        }
        for round in 0..<garbageRounds {
            let length = Int.random(in: 0...256, using: &rng)
            let garbage = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Frames or a typed error are both fine; what matters is that it ends without a trap.
            var reader = FrameReader(decoder: makeDecoder(), source: BufferSource(garbage, chunkSize: Int.random(in: 1...16, using: &rng)))
            var count = 0
            while (try? reader.next()) ?? nil != nil {
                count += 1
                if count > length + 1 {
                    failures.append(ConformanceFailure(check: "garbage", detail: "round \(round): more frames than bytes from \(length) random bytes"))
                    break
                }
            }
        }
        return failures
    }

    func encode(_ frames: [Frame]) throws -> (Buffer, [Int]) {
        var encoder = makeEncoder()
        var output = FrameOutput()
        var boundaries: [Int] = []
        for frame in frames {
            try encoder.encode(frame, into: &output)
            boundaries.append(output.count)
        }
        return (output.takeContiguous(), boundaries)
    }

    func decode(_ chunks: [Buffer]) throws -> [Frame] {
        var reader = FrameReader(decoder: makeDecoder(), source: BufferSource(chunks))
        return try reader.readAll()
    }

    /// A prefix of the stream decodes to the frames wholly inside it, then (if it ends inside a
    /// frame) a truncation error.
    func checkTruncation(_ prefix: Buffer, frames: [Frame], boundaries: [Int], round: Int, into failures: inout [ConformanceFailure]) {
        let complete = boundaries.prefix { $0 <= prefix.count }.count
        let atBoundary = prefix.count == 0 || boundaries.contains(prefix.count)
        var reader = FrameReader(decoder: makeDecoder(), source: BufferSource([prefix]))
        var decoded: [Frame] = []
        do {
            while let frame = try reader.next() { decoded.append(frame) }
            if !atBoundary {
                failures.append(ConformanceFailure(check: "truncation", detail: "round \(round): input cut at byte \(prefix.count), inside a frame, ended without an error"))
            }
        } catch let error as FramingError {
            guard case .truncatedFrame = error.kind else {
                failures.append(ConformanceFailure(check: "truncation", detail: "round \(round): cut at byte \(prefix.count) gave \(error), not a truncated frame"))
                return
            }
            if atBoundary {
                failures.append(ConformanceFailure(check: "truncation", detail: "round \(round): cut at frame boundary \(prefix.count) reported \(error)"))
            }
        } catch {
            failures.append(ConformanceFailure(check: "truncation", detail: "round \(round): cut at byte \(prefix.count) threw \(error)"))
        }
        if decoded != Array(frames.prefix(complete)) {
            failures.append(ConformanceFailure(check: "truncation", detail: "round \(round): cut at byte \(prefix.count) decoded \(decoded.count) frames, expected the \(complete) complete ones"))
        }
    }

    /// Every point of `range`, or `limit` of them (both ends included) chosen at random.
    static func points(in range: ClosedRange<Int>, limit: Int, rng: inout SplitMix64) -> [Int] {
        if range.count <= limit { return Array(range) }
        return [range.lowerBound, range.upperBound] + (0..<(limit - 2)).map { _ in Int.random(in: range, using: &rng) }
    }
}

/// A small, fast, seedable generator, so conformance failures reproduce.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state, advanced on every call to ``next()``.
    public var state: UInt64
    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }
    /// The next pseudo-random number of the SplitMix64 sequence.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
