import Vec64

/// The dense (non-null) values of a column chunk in their physical form: fixed-width bytes,
/// boolean bits, or byte arrays as Arrow offsets plus data.
struct ValueBuffer: Sendable {
    enum Kind: Equatable, Sendable {
        case fixed(byteWidth: Int)
        case boolean
        case byteArray(large: Bool)
    }

    let kind: Kind
    /// The number of values.
    var count = 0
    /// Fixed-width value bytes, boolean bits (LSB first), or byte-array value bytes.
    var data = Vec64<UInt8>()
    var offsets32 = Vec64<Int32>()
    var offsets64 = Vec64<Int64>()
    /// Fixed-width values that were not copied: a slice of the file's own memory (an uncompressed
    /// single-page chunk whose values lie aligned in the file). `data` is empty then.
    var borrowed: Buffer?

    init(kind: Kind) {
        self.kind = kind
    }

    /// The fixed-width value bytes, without a copy when they are borrowed.
    func fixedBytes() -> Buffer {
        borrowed ?? data.freeze()
    }

    /// This buffer with borrowed bytes copied into `data`, for conversions that read `data`.
    func materialized() -> ValueBuffer {
        guard let borrowed else { return self }
        var copy = self
        copy.data = Vec64<UInt8>()
        copy.data.append(bytesOf: borrowed)
        copy.borrowed = nil
        return copy
    }

    var byteWidth: Int {
        if case .fixed(let width) = kind { return width }
        return 0
    }

    /// The Arrow offsets buffer of a byte-array buffer (with its leading zero even when empty).
    mutating func finishOffsets() {
        guard case .byteArray(let large) = kind else { return }
        if large { if offsets64.isEmpty { offsets64.append(0) } } else if offsets32.isEmpty { offsets32.append(0) }
    }

    /// Appends `dictionary[index]` for every index (already checked against the dictionary's count).
    mutating func appendGathering(_ indices: UnsafeBufferPointer<Int32>, from dictionary: ValueBuffer,
                                  maximumBytes: Int = .max) throws(ParquetError) {
        guard !indices.isEmpty else { return }
        switch kind {
        case .fixed(let width):
            let (bytes, overflow) = indices.count.multipliedReportingOverflow(by: width)
            guard !overflow, bytes <= maximumBytes - data.count else {
                throw ParquetError(.limitExceeded("dictionary values expand to more than \(maximumBytes) bytes"))
            }
            dictionary.data.withUnsafeBufferPointer { source in
                data.appendUninitialized(count: indices.count * width) { target in
                    let s = UnsafeRawPointer(source.baseAddress!)
                    let t = UnsafeMutableRawPointer(target.baseAddress!)
                    switch width {
                    case 4:
                        let src = s.assumingMemoryBound(to: UInt32.self), dst = t.assumingMemoryBound(to: UInt32.self)
                        for i in 0..<indices.count { dst[i] = src[Int(indices[i])] }
                    case 8:
                        let src = s.assumingMemoryBound(to: UInt64.self), dst = t.assumingMemoryBound(to: UInt64.self)
                        for i in 0..<indices.count { dst[i] = src[Int(indices[i])] }
                    default:
                        for i in 0..<indices.count { (t + i * width).copyMemory(from: s + Int(indices[i]) * width, byteCount: width) }
                    }
                }
            }
        case .boolean:
            let start = count
            let needed = (start + indices.count + 7) / 8
            if data.count < needed { data.append(repeating: 0, count: needed - data.count) }
            dictionary.data.withUnsafeBufferPointer { source in
                data.withUnsafeMutableBufferPointer { bits in
                    for (i, index) in indices.enumerated() {
                        let bit = Int(index)
                        if source[bit >> 3] & (1 << UInt8(bit & 7)) != 0 {
                            let target = start + i
                            bits[target >> 3] |= 1 << UInt8(target & 7)
                        }
                    }
                }
            }
        case .byteArray(let large):
            if large {
                try Self.gatherByteArrays(indices, dictionary.offsets64, dictionary.data, &offsets64, &data, maximumBytes)
            } else {
                try Self.gatherByteArrays(indices, dictionary.offsets32, dictionary.data, &offsets32, &data, maximumBytes)
            }
        }
        count += indices.count
    }

    private static func gatherByteArrays<O: FixedWidthInteger & SignedInteger & BitwiseCopyable>(
        _ indices: UnsafeBufferPointer<Int32>, _ dictionaryOffsets: Vec64<O>, _ dictionaryData: Vec64<UInt8>,
        _ offsets: inout Vec64<O>, _ data: inout Vec64<UInt8>, _ maximumBytes: Int
    ) throws(ParquetError) {
        var total = 0
        dictionaryOffsets.withUnsafeBufferPointer { o in
            for index in indices { total += Int(o[Int(index) + 1] - o[Int(index)]) }
        }
        if offsets.isEmpty { offsets.append(O(truncatingIfNeeded: data.count)) }
        guard total <= Swift.min(Int(O.max), maximumBytes) - data.count else {
            throw ParquetError(.limitExceeded("\(data.count + total) bytes of values do not fit \(O.self) offsets"))
        }
        var end = data.count
        dictionaryOffsets.withUnsafeBufferPointer { o in
            dictionaryData.withUnsafeBufferPointer { d in
                data.appendUninitialized(count: total) { target in
                    var t = target.baseAddress!
                    offsets.appendUninitialized(count: indices.count) { offs in
                        for (i, index) in indices.enumerated() {
                            let start = Int(o[Int(index)]), length = Int(o[Int(index) + 1]) - start
                            if length > 0 { t.update(from: d.baseAddress! + start, count: length) }
                            t += length
                            end += length
                            offs[i] = O(truncatingIfNeeded: end)
                        }
                    }
                }
            }
        }
    }
}
