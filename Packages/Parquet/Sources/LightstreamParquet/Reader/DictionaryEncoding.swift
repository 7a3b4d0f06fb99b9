import LightstreamArrow
import Vec64

/// Dictionary-encodes a string or binary array whose pages were not all dictionary-encoded
/// (pyarrow's `read_dictionary` on such a chunk), interning its values.
enum DictionaryEncoding {
    static func encode(_ array: ArrayData, as target: DataType) -> ArrayData {
        let large = array.type == .largeUtf8 || array.type == .largeBinary
        return large ? encode(array, as: target, offsets: Int64.self) : encode(array, as: target, offsets: Int32.self)
    }

    private static func encode<O: FixedWidthInteger & BitwiseCopyable & Sendable>(
        _ array: ArrayData, as target: DataType, offsets _: O.Type
    ) -> ArrayData {
        precondition(array.offset == 0 || array.validity == nil, "assembled arrays start at offset 0")
        let width = MemoryLayout<O>.size
        var interner = ByteStringInterner<O>()
        var indices = Vec64<Int32>(zeroedCount: array.length)
        array.buffers[0].withUnsafeBytes { o in
            array.buffers[1].withUnsafeBytes { d in
                indices.withUnsafeMutableBufferPointer { out in
                    for i in 0..<array.length where array.isValid(i) {
                        let k = array.offset + i
                        let start = Int(O(littleEndian: o.loadUnaligned(fromByteOffset: k * width, as: O.self)))
                        let end = Int(O(littleEndian: o.loadUnaligned(fromByteOffset: (k + 1) * width, as: O.self)))
                        // The values fit `O` offsets already, so only more than Int32.max of them
                        // in one chunk could fail.
                        guard let id = interner.intern(UnsafeRawBufferPointer(rebasing: d[start..<end])) else {
                            preconditionFailure("a chunk of more than Int32.max values")
                        }
                        out[i] = id
                    }
                }
            }
        }
        return ArrayData(type: target, length: array.length, validity: array.validity, buffers: [indices.freeze()],
                         dictionary: interner.values(as: array.type), nullCount: array.knownNullCount)
    }
}
