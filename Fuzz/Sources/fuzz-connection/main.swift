import FuzzSupport
import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import Vec64

/// The IPC stream messages of `table` without the end-of-stream marker (as a table type's frames carry them).
func ipcMessages(_ table: Table) throws -> [UInt8] {
    var writer = try IPCStreamWriter(sink: MemorySink(), schema: table.schema)
    try writer.write(table)
    let bytes = try writer.finish().buffer.array
    return Array(bytes.dropLast(8))
}

/// A connection frame: tag, payload length (UInt32 little-endian), payload.
func frame(_ tag: UInt8, _ payload: [UInt8]) -> [UInt8] {
    let n = UInt32(payload.count)
    return [tag, UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)] + payload
}

// Seeds: messages and tables of every registered type, whole and split over frames.
Fuzz.writeSeedsIfAsked {
    let rowsIPC = try ipcMessages(rowsTable)
    let listsIPC = try ipcMessages(listsTable)
    let half = rowsIPC.count / 2
    let hello = frame(0, Array(#"{"text":"hi","count":1}"#.utf8))
    var seeds: [[UInt8]] = []
    for chunk: UInt8 in [0, 1, 4] {
        seeds.append([chunk] + hello)
        seeds.append([chunk] + frame(1, rowsIPC) + frame(1, []))
        seeds.append([chunk] + hello + frame(1, Array(rowsIPC[..<half])) + frame(2, [1, 2, 3]) + frame(1, Array(rowsIPC[half...])) + frame(1, []))
        seeds.append([chunk] + frame(1, rowsIPC) + frame(1, []) + frame(1, Array(rowsIPC.suffix(rowsIPC.count - 200))) + frame(1, []))
        seeds.append([chunk] + frame(3, listsIPC) + frame(3, []) + frame(3, Array(listsIPC.suffix(listsIPC.count - 300))) + frame(3, []))
    }
    return seeds
}
Fuzz.run(fuzzOne)
