import Testing
import Vec64

/// A foreign owner whose deinit is counted.
final class CountingOwner: @unchecked Sendable {
    let onDeinit: @Sendable () -> Void
    let memory: UnsafeMutableRawBufferPointer
    init(count: Int, onDeinit: @escaping @Sendable () -> Void) {
        self.onDeinit = onDeinit
        memory = .allocate(byteCount: count, alignment: 16)
        for i in 0..<count { memory[i] = UInt8(truncatingIfNeeded: i) }
    }
    deinit {
        memory.deallocate()
        onDeinit()
    }
}

final class Counter: @unchecked Sendable {
    var value = 0
}

@Suite("Buffer")
struct BufferTests {
    @Test func foreignOwnerLivesUntilTheLastSliceDies() {
        let counter = Counter()
        var slice: Buffer?
        do {
            let owner = CountingOwner(count: 256) { counter.value += 1 }
            let buffer = Buffer(unsafeForeignBytes: UnsafeRawBufferPointer(owner.memory), owner: owner)
            let middle = buffer.slice(64..<192)
            slice = middle.slice(10..<20)
            #expect(counter.value == 0)
        }
        #expect(counter.value == 0)
        #expect(slice?.array == Array(74..<84).map(UInt8.init))
        slice = nil
        #expect(counter.value == 1)
    }

    @Test func deallocatorRunsExactlyOnce() {
        let counter = Counter()
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 64)
        memory.initializeMemory(as: UInt8.self, repeating: 3)
        var slices: [Buffer] = []
        do {
            let buffer = Buffer(unsafeForeignBytes: UnsafeRawBufferPointer(memory)) { bytes in
                counter.value += 1
                UnsafeMutableRawBufferPointer(mutating: bytes).deallocate()
            }
            for i in 0..<10 { slices.append(buffer.slice(i..<(i + 10))) }
        }
        #expect(counter.value == 0)
        slices.removeLast(9)
        #expect(counter.value == 0)
        slices.removeAll()
        #expect(counter.value == 1)
    }

    @Test func slicingIsZeroCopy() throws {
        let buffer = Buffer(values: (0..<100).map(Int64.init))
        let slice = buffer.slice(8..<80)
        #expect(slice.sharesOwner(with: buffer))
        #expect(slice.byteOffset(from: buffer) == 8)
        #expect(slice.count == 72)
        #expect(slice.isAligned(to: 8))
        #expect(!slice.isAligned(to: 64))
        #expect(slice.alignment == 8)
        #expect(try slice.withUnsafeBufferPointer(as: Int64.self) { Array($0) } == (1..<10).map(Int64.init))
    }

    @Test func typedViewsCheckAlignmentAndLength() throws {
        let buffer = Buffer(values: [Int64](repeating: 1, count: 8))
        #expect(throws: BufferError.self) { try buffer.slice(1..<9).withUnsafeBufferPointer(as: Int64.self) { $0.count } }
        #expect(throws: BufferError.lengthNotMultiple(byteCount: 12, elementSize: 8)) {
            try buffer.slice(0..<12).withUnsafeBufferPointer(as: Int64.self) { $0.count }
        }
        let span = try buffer.span(as: Int32.self)
        #expect(span.count == 16)
        #expect(buffer.load(Int64.self, at: 7) == 1)
        #expect(buffer.slice(1..<9).load(UInt8.self, at: 0) == 0)
    }

    @Test func checkedSliceRejectsBadRanges() {
        let buffer = Buffer(copying: [1, 2, 3, 4] as [UInt8])
        #expect(throws: BufferError.outOfBounds(offset: 2, length: 3, bufferCount: 4)) { try buffer.checkedSlice(offset: 2, length: 3) }
        #expect(throws: BufferError.self) { try buffer.checkedSlice(offset: -1, length: 1) }
        #expect(throws: BufferError.self) { try buffer.checkedSlice(offset: 1, length: Int.max) }
        #expect((try? buffer.checkedSlice(offset: 1, length: 3))?.array == [2, 3, 4])
    }

    @Test func equalityComparesBytes() {
        let a = Buffer(copying: [1, 2, 3] as [UInt8])
        let b = Buffer(copying: [0, 1, 2, 3] as [UInt8]).slice(1..<4)
        #expect(a == b)
        #expect(!a.isIdentical(to: b))
        #expect(a != Buffer(copying: [1, 2] as [UInt8]))
        #expect(Buffer().isEmpty)
    }

    @Test func buffersCrossTasks() async {
        let buffer = Buffer(values: (0..<1000).map(Int32.init))
        let sums = await withTaskGroup(of: Int.self) { group in
            for part in 0..<4 {
                let slice = buffer.slice(part * 1000..<(part + 1) * 1000)
                group.addTask { (try? slice.withUnsafeBufferPointer(as: Int32.self) { $0.reduce(0) { $0 + Int($1) } }) ?? -1 }
            }
            return await group.reduce(0, +)
        }
        #expect(sums == (0..<1000).reduce(0, +))
    }
}
