import FuzzSupport
import LightstreamArrow
import LightstreamIPC
import Vec64

// The IPC file reader: IPCFileReader over the input, then every batch (with validation, the
// default) validated again, then the whole table and its row count.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzz.buffer(data, size)
    guard let reader = try? IPCFileReader(bytes) else { return 0 }
    for i in 0..<min(reader.batchCount, 10_000) {
        guard let batch = try? reader.batch(i) else { continue }
        do {
            try batch.validate()
        } catch {
            Fuzz.check(false, "batch \(i) read with validation does not validate: \(error)")
        }
    }
    if reader.batchCount <= 10_000, let table = try? reader.readAll() {
        _ = table.rowCount
        do {
            try table.validate()
        } catch {
            Fuzz.check(false, "a table read with validation does not validate: \(error)")
        }
    }
    return 0
}
