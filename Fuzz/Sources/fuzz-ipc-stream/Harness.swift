import FuzzSupport
import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import Vec64

// The IPC stream reader: IPCStreamReader over the input held in memory, every batch read (with
// validation, the default) and validated again; for short inputs a second time from chunks of
// a few bytes (the last byte chooses how many), as a socket delivers them.

func readStream<Source: ByteSource>(_ open: () throws -> IPCStreamReader<Source>) {
    do {
        var reader = try open()
        var batches = 0
        while let batch = try reader.next() {
            do {
                try batch.validate()
            } catch {
                Fuzz.check(false, "a batch read with validation does not validate: \(error)")
            }
            batches += 1
            if batches >= 10_000 { break }
        }
    } catch {}
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    let bytes = Buffer(copying: input)
    readStream { try IPCStreamReader(bytes) }
    if size > 0, size <= 16 << 10 {
        let chunks = fuzzChunks(input, size: Int(input[size - 1] % 61) + 3)
        readStream { try IPCStreamReader(source: BufferSource(chunks)) }
    }
    return 0
}
