import Foundation
import LightstreamArrow
import LightstreamFramingConformance
import LightstreamIPC
import Testing
import Vec64

/// Fuzzer-found inputs that once crashed or misled Arrow readers: each must give data or a typed
/// error, never a crash, a hang or an unbounded allocation.
@Suite("Malformed input")
struct MalformedInputTests {
    static func files(_ kind: String) -> [String] {
        let directory = Corpus.root + "/malformed/" + kind
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted().map { directory + "/" + $0 }
    }

    /// The parameterized tests below would run zero cases without the corpus: fail instead.
    @Test func corpusIsPresent() {
        #expect(Self.files("ipc-stream").count >= 10, "no malformed streams under \(Corpus.root)/malformed/ipc-stream")
        #expect(Self.files("ipc-file").count >= 10, "no malformed files under \(Corpus.root)/malformed/ipc-file")
        #expect(Corpus.cases.count >= 91, "found \(Corpus.cases.count) gold cases under \(Corpus.integration)")
    }

    @Test("malformed streams", arguments: files("ipc-stream"))
    func malformedStream(_ path: String) throws {
        let bytes = try Corpus.load(path)
        do {
            var reader = try IPCStreamReader(bytes)
            while try reader.next() != nil {}
        } catch let error as IPCError {
            #expect(!error.reason.isEmpty)
        }
    }

    @Test("malformed files", arguments: files("ipc-file"))
    func malformedFile(_ path: String) throws {
        let bytes = try Corpus.load(path)
        do {
            let reader = try IPCFileReader(bytes)
            for i in 0..<reader.batchCount { _ = try reader.batch(i) }
        } catch let error as IPCError {
            #expect(!error.reason.isEmpty)
        }
    }

    @Test func truncatedStreamsAreErrorsAtEveryLength() throws {
        let table = try Table(batches: [try RoundTripTests.sample])
        let bytes = try writeStream(table)
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            do {
                var reader = try IPCStreamReader(bytes.slice(0..<cut))
                while try reader.next() != nil {}
                // A cut exactly at a message boundary is a valid (shorter) stream.
            } catch let error as IPCError {
                #expect(!error.reason.isEmpty)
            }
        }
    }

    @Test func truncatedFilesAreRejected() throws {
        let bytes = try writeFile(try Table(batches: [try RoundTripTests.sample]))
        for cut in stride(from: 0, to: bytes.count - 1, by: 13) {
            #expect(throws: IPCError.self) { _ = try IPCFileReader(bytes.slice(0..<cut)).readAll() }
        }
    }

    /// Seeded, so a failure names the seed (in the test case's arguments) and reproduces.
    @Test("bit flips never crash", arguments: [UInt64(1), 2, 3])
    func bitFlipsNeverCrash(seed: UInt64) throws {
        let bytes = try writeStream(try Table(batches: [try RoundTripTests.sample])).array
        var rng = SplitMix64(seed: seed)
        for _ in 0..<500 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                mutated[Int.random(in: 0..<mutated.count, using: &rng)] ^= UInt8(1 << Int.random(in: 0...7, using: &rng))
            }
            do {
                var reader = try IPCStreamReader(Buffer(copying: mutated))
                while try reader.next() != nil {}
            } catch {
                #expect(error is IPCError)
            }
        }
    }
}
