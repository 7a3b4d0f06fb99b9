#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LightstreamArrow
import Vec64

/// Dictionary-encodes a string or binary array whose pages were not all dictionary-encoded
/// (pyarrow's `read_dictionary` on such a chunk): one open-addressing table over the value bytes.
enum DictionaryEncoding {
    static func encode(_ array: ArrayData, as target: DataType) -> ArrayData {
        let large = array.type == .largeUtf8 || array.type == .largeBinary
        let width = large ? 8 : 4
        let offsets = array.buffers[0], data = array.buffers[1]
        var indices = Vec64<Int32>(zeroedCount: array.length)
        var uniqueOffsets: [Int] = [0]
        var uniqueData = Vec64<UInt8>()
        var table = [Int32](repeating: -1, count: 64)
        var mask = 63
        offsets.withUnsafeBytes { o in
            data.withUnsafeBytes { d in
                func bounds(_ i: Int) -> (Int, Int) {
                    let k = array.offset + i
                    return width == 8
                        ? (Int(o.loadUnaligned(fromByteOffset: k * 8, as: Int64.self)), Int(o.loadUnaligned(fromByteOffset: k * 8 + 8, as: Int64.self)))
                        : (Int(o.loadUnaligned(fromByteOffset: k * 4, as: Int32.self)), Int(o.loadUnaligned(fromByteOffset: k * 4 + 4, as: Int32.self)))
                }
                indices.withUnsafeMutableBufferPointer { out in
                    for i in 0..<array.length where array.isValid(i) {
                        let (start, end) = bounds(i)
                        let value = UnsafeRawBufferPointer(rebasing: d[start..<end])
                        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                        for byte in value { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                        var slot = Int(truncatingIfNeeded: hash) & mask
                        while true {
                            let existing = table[slot]
                            if existing < 0 {
                                let id = Int32(uniqueOffsets.count - 1)
                                table[slot] = id
                                uniqueData.append(contentsOf: value.assumingMemoryBound(to: UInt8.self))
                                uniqueOffsets.append(uniqueData.count)
                                out[i] = id
                                if uniqueOffsets.count * 2 > table.count {
                                    // Grow and rehash.
                                    let newSize = table.count * 2
                                    var newTable = [Int32](repeating: -1, count: newSize)
                                    let newMask = newSize - 1
                                    uniqueData.withUnsafeBufferPointer { u in
                                        for id in 0..<(uniqueOffsets.count - 1) {
                                            var h: UInt64 = 0xcbf2_9ce4_8422_2325
                                            for k in uniqueOffsets[id]..<uniqueOffsets[id + 1] { h = (h ^ UInt64(u[k])) &* 0x100_0000_01b3 }
                                            var s = Int(truncatingIfNeeded: h) & newMask
                                            while newTable[s] >= 0 { s = (s + 1) & newMask }
                                            newTable[s] = Int32(id)
                                        }
                                    }
                                    table = newTable
                                    mask = newMask
                                }
                                break
                            }
                            let e = Int(existing)
                            let same = uniqueData.withUnsafeBufferPointer { u in
                                let length = uniqueOffsets[e + 1] - uniqueOffsets[e]
                                return length == value.count
                                    && (length == 0 || memcmp(u.baseAddress! + uniqueOffsets[e], value.baseAddress!, length) == 0)
                            }
                            if same { out[i] = existing; break }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
        }
        let dictionaryOffsets: Buffer
        if large {
            dictionaryOffsets = Vec64<Int64>(uniqueOffsets.map { Int64($0) }).freeze()
        } else {
            dictionaryOffsets = Vec64<Int32>(uniqueOffsets.map { Int32($0) }).freeze()
        }
        let dictionary = ArrayData(type: array.type, length: uniqueOffsets.count - 1,
                                   buffers: [dictionaryOffsets, uniqueData.freeze()], nullCount: 0)
        precondition(array.offset == 0 || array.validity == nil, "assembled arrays start at offset 0")
        return ArrayData(type: target, length: array.length, validity: array.validity, buffers: [indices.freeze()],
                         dictionary: dictionary, nullCount: array.knownNullCount)
    }
}
