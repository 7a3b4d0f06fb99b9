import Lightstream
import Testing

/// Cross-layer checks through the umbrella module: Arrow arrays over Vec64 buffers from every
/// kind of owner.
@Suite("Layers together")
struct UmbrellaTests {
    @Test func arraysOverForeignMemoryKeepItAlive() throws {
        final class Flag: @unchecked Sendable { var freed = 0 }
        let flag = Flag()
        var column: Int64Array?
        do {
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 8 * 1000, alignment: 64)
            let ints = memory.bindMemory(to: Int64.self)
            for i in 0..<1000 { ints[i] = Int64(i) }
            let buffer = Buffer(unsafeForeignBytes: UnsafeRawBufferPointer(memory)) { bytes in
                flag.freed += 1
                UnsafeMutableRawBufferPointer(mutating: bytes).deallocate()
            }
            let data = ArrayData(type: .int64, length: 1000, buffers: [buffer])
            try data.validate()
            column = try Int64Array(data).slice(500..<1000)
        }
        #expect(flag.freed == 0)
        #expect(column?.withUnsafeValues { $0.reduce(0, +) } == (500..<1000).reduce(0, +))
        #expect(column?.first == 500)
        column = nil
        #expect(flag.freed == 1)
    }

    @Test func builtBuffersAreAlignedAndPadded() throws {
        var b = PrimitiveBuilder<Int32>()
        for i in 0..<37 { b.append(Int32(i)) }
        b.appendNull()
        let data = b.finish()
        #expect(data.buffers[0].isAligned(to: 64))
        #expect(data.validity?.isAligned(to: 64) == true)
        try data.validate()
    }
}
