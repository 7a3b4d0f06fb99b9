import FuzzSupport
import Glibc
import LightstreamArrow
import LightstreamMMap
import Vec64

// MappedArrowFile: the input written to a file in /dev/shm (memory-backed), mapped with the
// validation the first byte's low bit chooses (at open or lazily), every batch read and
// validated again, then the whole table.

/// This process's scratch file.
let path: String = {
    let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    return "\(folder)/lightstream-fuzz-mmap-\(getpid()).arrow"
}()

func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
        let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
        guard n > 0 else { return false }
        written += n
    }
    return true
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    Fuzz.check(write(input), "cannot write \(path)")
    let validation: MappedValidation = size > 0 && input[0] & 1 == 1 ? .atOpen : .lazily
    guard let file = try? MappedArrowFile(path: path, options: MappedFileOptions(validation: validation)) else { return 0 }
    for i in 0..<min(file.batchCount, 10_000) {
        guard let batch = try? file.batch(i) else { continue }
        do {
            try batch.validate()
        } catch {
            Fuzz.check(false, "mapped batch \(i) does not validate: \(error)")
        }
    }
    if file.batchCount <= 10_000, let table = try? file.table() {
        do {
            try table.validate()
        } catch {
            Fuzz.check(false, "a mapped table does not validate: \(error)")
        }
    }
    return 0
}
