import Testing
import Vec64

@Suite("Vec64")
struct Vec64Tests {
    @Test("every allocation is 64-byte aligned and padded, at every size 0...4096")
    func alignmentAtEverySize() {
        for size in 0...4096 {
            let v = Vec64<UInt8>(zeroedCount: size)
            #expect(v.isAligned(to: 64))
            #expect(v.capacity % 64 == 0)
            #expect(v.capacity >= size)
            let buffer = v.freeze()
            #expect(buffer.isAligned(to: 64))
            #expect(buffer.count == size)
            let copy = Buffer(copying: [UInt8](repeating: 7, count: size))
            #expect(copy.isAligned(to: 64))
        }
    }

    @Test("growth by append keeps alignment and contents")
    func appendGrowth() {
        var v = Vec64<Int64>()
        var model: [Int64] = []
        for i in 0..<10_000 {
            v.append(Int64(i) * 3)
            model.append(Int64(i) * 3)
            if i % 997 == 0 { #expect(v.isAligned(to: 64)) }
        }
        #expect(Array(v) == model)
        #expect((v.capacity * 8) % 64 == 0)
    }

    @Test func copyOnWrite() {
        var a: Vec64<Int32> = [1, 2, 3]
        let b = a
        a[0] = 10
        a.append(4)
        #expect(Array(a) == [10, 2, 3, 4])
        #expect(Array(b) == [1, 2, 3])
        var c = b
        c.resize(to: 5, fill: 9)
        #expect(Array(c) == [1, 2, 3, 9, 9])
        #expect(Array(b) == [1, 2, 3])
    }

    @Test func freezeDoesNotCopyAndLaterMutationDoes() throws {
        var v = Vec64<Int64>([1, 2, 3, 4])
        let frozen = v.freeze()
        // The same memory: freezing did not copy. (Addresses, not the global allocation counter,
        // which tests running in parallel also move.)
        let vectorAddress = v.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(frozen.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) } == vectorAddress)
        v[0] = 100
        #expect(try frozen.withUnsafeBufferPointer(as: Int64.self) { Array($0) } == [1, 2, 3, 4])
        #expect(Array(v) == [100, 2, 3, 4])
    }

    @Test func bulkAppendFromCollectionsAndSpans() {
        var v = Vec64<UInt16>()
        v.append(contentsOf: [1, 2, 3] as [UInt16])
        v.append(contentsOf: (4...6).map(UInt16.init))
        v.append(contentsOf: Set<UInt16>([7]))
        let source: [UInt16] = [8, 9]
        v.append(contentsOf: source.span)
        v.append(repeating: 0, count: 3)
        #expect(Array(v) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0])
    }

    @Test func reserveResizeAndRemove() {
        var v = Vec64<Double>()
        v.reserveCapacity(1000)
        #expect(v.capacity >= 1000)
        v.resize(to: 10, fill: 1.5)
        #expect(v.count == 10 && v.allSatisfy { $0 == 1.5 })
        v.resize(to: 4, fill: 0)
        #expect(v.count == 4)
        #expect(v.popLast() == 1.5)
        v.removeAll()
        #expect(v.isEmpty)
    }

    @Test func spansAndPointers() {
        var v = Vec64<Int64>([5, 6, 7])
        var sum: Int64 = 0
        do {
            let span = v.span
            for i in span.indices { sum += span[i] }
        }
        #expect(sum == 18)
        do {
            var m = v.mutableSpan
            m[1] = 60
        }
        #expect(Array(v) == [5, 60, 7])
        v.withUnsafeMutableBufferPointer { $0[2] = 70 }
        #expect(v.withUnsafeBufferPointer { $0.reduce(0, +) } == 135)
        v.appendUninitialized(count: 2) { tail in
            tail.initialize(repeating: 1)
        }
        #expect(Array(v) == [5, 60, 70, 1, 1])
    }

    @Test func paddingNeverWrapsAround() async {
        #expect(paddedTo64(0) == 0)
        #expect(paddedTo64(1) == 64)
        #expect(paddedTo64(Int.max - 63) == Int.max - 63)
        // Wrapping to a small size would turn a huge request into a tiny allocation.
        await #expect(processExitsWith: .failure) { _ = paddedTo64(Int.max - 10) }
    }

    @Test func bytesOfABufferAppendWhateverTheyWereWrittenAs() {
        let source = Buffer(values: [Int64(1), Int64(-1)])
        var bytes = Vec64<UInt8>()
        bytes.append(bytesOf: source)
        #expect(Array(bytes) == [1, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255])
        var words = Vec64<Int32>()
        words.append(bytesOf: source)
        #expect(Array(words) == [1, 0, -1, -1])
    }
}
