import Dispatch
import FuzzSupport
import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import LightstreamStreams
import Vec64

// The message connection protocol of LightstreamStreams: a MessageReceiver of two message types
// and two table types over the input, delivered in chunks of the size the first byte chooses
// (a MemoryByteStream: no sockets). The receiver runs on Task.immediate, so it runs on this
// thread until it first suspends (reading memory never does). Every table received validates.

/// A table of type "rows" (for seeds; its schema is the type's).
let rowsTable = try! Table(batches: [
    try RecordBatch(["id": Int32Array([1, 2, nil, 4]), "name": StringArray(["a", nil, "ccc", "dddd"])]),
])
/// A table of type "lists": lists, booleans and a dictionary-encoded column.
let listsTable = try! Table(batches: [
    try RecordBatch([
        "values": ListArray([[1, 2], nil, [3]] as [[Int64?]?]), "flag": BooleanArray([true, nil, false]),
        "word": DictionaryArray(["x", "y", "x"]),
    ]),
])
let rowsSchema = rowsTable.schema
let listsSchema = listsTable.schema

let types: ConnectionTypes = {
    var types = ConnectionTypes()
    types.registerMessage("hello")      // tag 0
    types.registerTable("rows", schema: rowsSchema)     // tag 1
    types.registerMessage("raw")        // tag 2
    types.registerTable("lists", schema: listsSchema)   // tag 3
    return types
}()

/// Receives every message of `input`; the number received.
func receiveAll(_ input: Buffer, chunkSize: Int) async -> Int {
    var receiver = MessageReceiver(types: types, source: MemoryByteStream(input, chunkSize: chunkSize), maximumPayloadLength: 1 << 20)
    var count = 0
    do {
        while let message = try await receiver.next() {
            if case let .table(_, table) = message {
                do {
                    try table.validate()
                } catch {
                    Fuzz.check(false, "a received table does not validate: \(error)")
                }
            }
            count += 1
        }
    } catch {}
    return count
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var parameters = FuzzParameters(Fuzz.bytes(data, size))
    let chunk = [1 << 20, 1, 3, 7, 64, 1000][Int(parameters.byte() % 6)]
    let input = Buffer(copying: parameters.rest)
    let done = DispatchSemaphore(value: 0)
    Task.immediate {
        _ = await receiveAll(input, chunkSize: chunk)
        done.signal()
    }
    done.wait()
    return 0
}
