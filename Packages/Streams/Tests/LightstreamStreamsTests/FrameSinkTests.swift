import LightstreamFraming
import LightstreamFramingConformance
import LightstreamStreams
import LightstreamTLV
import SystemPackage
import Testing
import Vec64
#if canImport(Glibc)
import Glibc
#endif

@Suite("Frame sinks", .timeLimit(.minutes(3)))
struct FrameSinkTests {
    @Test("frames written through a FrameSink decode to the same frames", arguments: [1, 100, 65_536])
    func roundTrip(flushThreshold: Int) async throws {
        let collecting = CollectingSink()
        var sink = FrameSink(encoder: TLVEncoder(), sink: collecting, flushThreshold: flushThreshold)
        var rng = seededRandom(UInt64(flushThreshold))
        var frames: [TLVFrame] = []
        for i in 0..<300 {
            let frame = TLVFrame(tag: UInt32(i % 200), value: Buffer(copying: randomBytes(Int.random(in: 0...9000, using: &rng), rng: &rng)))
            frames.append(frame)
            try await sink.write(frame)
        }
        try await sink.close()
        #expect(collecting.isClosed)
        var reader = FrameReader(decoder: TLVDecoder(), source: BufferSource([collecting.bytes]))
        #expect(try reader.readAll() == frames)
        #expect(sink.statistics.bytesWritten == collecting.bytes.count)
    }

    @Test("encoding errors surface from write")
    func encodingError() async throws {
        var sink = FrameSink(encoder: TLVEncoder(TLVFormat(maximumValueLength: 10)), sink: CollectingSink())
        await #expect(throws: FramingError.self) {
            try await sink.write(TLVFrame(tag: 1, value: Buffer(copying: [UInt8](repeating: 0, count: 11))))
        }
    }

    /// 1 GiB to a reader that takes its time: the writer never holds more than the bound (plus
    /// one frame) unsent, and it did wait.
    @Test("backpressure: 1 GiB to a slow reader stays under the unsent-bytes bound")
    func backpressure() async throws {
        let pipe = try TestPipe()
        let frameSize = 256 << 10
        let frames = (1 << 30) / frameSize
        let bound = 2 << 20
        let body = Buffer(copying: [UInt8](repeating: 0xAB, count: frameSize - 5))
        // The slow reader: a thread of its own that reads and pauses after every 8 MiB.
        let readFD = pipe.read.rawValue
        let reader = Task {
            await onOwnThread { () -> Int in
                let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
                var total = 0
                var sincePause = 0
                while true {
                    let n = Glibc.read(readFD, scratch.baseAddress, scratch.count)
                    if n <= 0 { break }
                    total += n
                    sincePause += n
                    if sincePause >= 8 << 20 { sincePause = 0; usleep(2000) }
                }
                scratch.deallocate()
                close(readFD)
                return total
            }
        }
        var sink = FrameSink(encoder: TLVEncoder(TLVFormat(maximumValueLength: 1 << 20)), sink: FileDescriptorByteSink(pipe.write),
                             maximumUnsentBytes: bound)
        for _ in 0..<frames { try await sink.write(TLVFrame(tag: 1, value: body)) }
        try await sink.close()
        #expect(await reader.value == frames * frameSize)
        #expect(sink.statistics.bytesWritten == frames * frameSize)
        #expect(sink.statistics.peakUnsentBytes <= bound + frameSize)
        #expect(sink.statistics.backpressureWaits > 0)
    }

    @Test("writing to a pipe whose reader is gone is an I/O error, not a crash")
    func brokenPipe() async throws {
        let pipe = try TestPipe()
        try pipe.read.close()
        // The sink owns the write end (closeOnClose): it closes it, once.
        var sink = FrameSink(encoder: TLVEncoder(), sink: FileDescriptorByteSink(pipe.write))
        await #expect {
            try await sink.write(TLVFrame(tag: 1, value: Buffer(copying: [1, 2, 3])))
            try await sink.close()
        } throws: { error in
            guard let error = error as? FramingError, case .io = error.kind else { return false }
            return "\(error)".contains("Broken pipe")
        }
    }

    /// In a process of its own whose SIGPIPE does what it does by default (end the process), a
    /// write to a pipe without reader must be an error and the process must live on.
    @Test("a broken pipe is an error even where SIGPIPE would end the process")
    func brokenPipeWithDefaultSignal() async {
        await #expect(processExitsWith: .success) {
            signal(SIGPIPE, SIG_DFL)
            let (read, write) = try FileDescriptor.pipe()
            try read.close()
            let sink = FileDescriptorByteSink(write)
            do {
                try await sink.write([Buffer(copying: [UInt8](repeating: 7, count: 100_000))])
                exit(2)
            } catch let error as FramingError {
                guard case .io = error.kind else { exit(3) }
            }
            try await sink.close()
        }
    }
}

