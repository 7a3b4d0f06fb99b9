import LightstreamArrow
import Vec64

/// Reads the present values of a shredded leaf (slots of an Arrow array picked by a
/// ``ShreddedLeaf/Selection``) as Parquet physical values.
struct LeafValues {
    let array: ArrayData
    let selection: ShreddedLeaf.Selection
    let conversion: ValueConversion

    var count: Int { selection.count }

    /// The array slot of selected value `position`.
    @inline(__always)
    func slot(_ position: Int) -> Int {
        switch selection {
        case .range(let r): r.lowerBound + position
        case .indices(let i): i[position]
        }
    }

    /// The consecutive slots of positions `a..<b` when the selection is a range there.
    func slotRange(_ a: Int, _ b: Int) -> Range<Int>? {
        if case .range(let r) = selection { return (r.lowerBound + a) ..< (r.lowerBound + b) }
        return nil
    }

    /// Whether the physical bytes are the Arrow bytes as they are (no conversion).
    var keepsBytes: Bool {
        switch conversion {
        case .int32, .int64, .float, .double, .fixedBytes: true
        default: false
        }
    }

    /// Positions `a..<b` as a slice of the Arrow values buffer, without a copy, when the values
    /// need no conversion and lie back to back.
    func borrowed(_ a: Int, _ b: Int) -> Buffer? {
        guard keepsBytes, let width = conversion.fixedWidth, let slots = slotRange(a, b) else { return nil }
        let start = (array.offset + slots.lowerBound) * width
        return array.buffers[0].slice(start ..< start + slots.count * width)
    }

    /// Appends the physical little-endian bytes of positions `a..<b` to `out` (fixed-width
    /// conversions only).
    func appendFixed(_ a: Int, _ b: Int, to out: inout Vec64<UInt8>) {
        guard b > a, let width = conversion.fixedWidth else { return }
        let n = b - a
        let source = array.buffers[0]
        let offset = array.offset
        source.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            out.appendUninitialized(count: n * width) { target in
                let o = UnsafeMutableRawPointer(target.baseAddress!)
                switch conversion {
                case .int32, .int64, .float, .double, .fixedBytes:
                    if let slots = slotRange(a, b) {
                        o.copyMemory(from: base + (offset + slots.lowerBound) * width, byteCount: n * width)
                    } else if width == 4 {
                        for k in 0..<n { o.storeBytes(of: base.loadUnaligned(fromByteOffset: (offset + slot(a + k)) * 4, as: UInt32.self), toByteOffset: k * 4, as: UInt32.self) }
                    } else if width == 8 {
                        for k in 0..<n { o.storeBytes(of: base.loadUnaligned(fromByteOffset: (offset + slot(a + k)) * 8, as: UInt64.self), toByteOffset: k * 8, as: UInt64.self) }
                    } else {
                        for k in 0..<n { (o + k * width).copyMemory(from: base + (offset + slot(a + k)) * width, byteCount: width) }
                    }
                case .int32Widened(let byteWidth, let signed):
                    let d = o.assumingMemoryBound(to: Int32.self)
                    switch (byteWidth, signed) {
                    case (1, true): for k in 0..<n { d[k] = Int32(base.load(fromByteOffset: offset + slot(a + k), as: Int8.self)) }
                    case (1, false): for k in 0..<n { d[k] = Int32(base.load(fromByteOffset: offset + slot(a + k), as: UInt8.self)) }
                    case (_, true): for k in 0..<n { d[k] = Int32(base.loadUnaligned(fromByteOffset: (offset + slot(a + k)) * 2, as: Int16.self)) }
                    default: for k in 0..<n { d[k] = Int32(base.loadUnaligned(fromByteOffset: (offset + slot(a + k)) * 2, as: UInt16.self)) }
                    }
                case .int32Times1000:
                    let d = o.assumingMemoryBound(to: Int32.self)
                    for k in 0..<n { d[k] = base.loadUnaligned(fromByteOffset: (offset + slot(a + k)) * 4, as: Int32.self) &* 1000 }
                case .date64Days:
                    let d = o.assumingMemoryBound(to: Int32.self)
                    for k in 0..<n {
                        let ms = base.loadUnaligned(fromByteOffset: (offset + slot(a + k)) * 8, as: Int64.self)
                        var days = ms / 86_400_000
                        if ms % 86_400_000 < 0 { days -= 1 }
                        d[k] = Int32(truncatingIfNeeded: days)
                    }
                case .int64Times1000:
                    let d = o.assumingMemoryBound(to: Int64.self)
                    for k in 0..<n { d[k] = base.loadUnaligned(fromByteOffset: (offset + slot(a + k)) * 8, as: Int64.self) &* 1000 }
                case .decimal(let arrowWidth, let w):
                    let d = o.assumingMemoryBound(to: UInt8.self)
                    for k in 0..<n {
                        let s = (base + (offset + slot(a + k)) * arrowWidth).assumingMemoryBound(to: UInt8.self)
                        for j in 0..<w { d[k * w + j] = s[w - 1 - j] }
                    }
                case .null, .boolean, .byteArray:
                    break
                }
            }
        }
    }

    /// Appends the booleans of positions `a..<b` as bits to `bits`, from bit `bitCount` on.
    func appendBits(_ a: Int, _ b: Int, to bits: inout Vec64<UInt8>, bitCount: Int) {
        guard b > a else { return }
        let source = array.buffers[0]
        source.withUnsafeBytes { raw in
            if let slots = slotRange(a, b) {
                BitPacking.copyBits(from: raw.baseAddress!, byteCount: raw.count, sourceBit: array.offset + slots.lowerBound,
                                    count: slots.count, into: &bits, at: bitCount)
                return
            }
            let needed = (bitCount + (b - a) + 7) / 8
            if bits.count < needed { bits.append(repeating: 0, count: needed - bits.count) }
            bits.withUnsafeMutableBufferPointer { d in
                for k in 0..<(b - a) {
                    let bit = array.offset + slot(a + k)
                    if raw[bit >> 3] & (1 << UInt8(bit & 7)) != 0 {
                        let target = bitCount + k
                        d[target >> 3] |= 1 << UInt8(target & 7)
                    }
                }
            }
        }
    }

    /// The number of true values among positions `a..<b`.
    func trueCount(_ a: Int, _ b: Int) -> Int {
        array.buffers[0].withUnsafeBytes { raw in
            var count = 0
            for k in a..<b {
                let bit = array.offset + slot(k)
                if raw[bit >> 3] & (1 << UInt8(bit & 7)) != 0 { count += 1 }
            }
            return count
        }
    }

    /// Calls `body` with an accessor of the byte-array values (strings, binaries, views).
    func withByteArrays<R>(_ body: (ByteArrayAccess) -> R) -> R {
        withExtendedLifetime(array) { body(ByteArrayAccess(array)) }
    }

    /// Calls `body` with an accessor of the byte-array values (strings, binaries, views).
    func withByteArrays<R>(_ body: (ByteArrayAccess) throws(ParquetError) -> R) throws(ParquetError) -> R {
        try withExtendedLifetime(array) { () throws(ParquetError) -> R in
            try body(ByteArrayAccess(array))
        }
    }
}

/// Raw access to the values of a string or binary array of any layout, valid while the array
/// lives.
struct ByteArrayAccess {
    private let offsets: UnsafeRawPointer
    private let data: UnsafeRawPointer?
    private let dataBuffers: [UnsafeRawPointer]
    private let layoutWidth: Int   // 4 or 8 for offsets; 16 for views
    private let offset: Int

    init(_ array: ArrayData) {
        offset = array.offset
        offsets = array.buffers[0].withUnsafeBytes { UnsafeRawPointer($0.baseAddress!) }
        switch array.type.layout {
        case .variableBinary(let width):
            layoutWidth = width
            data = array.buffers[1].withUnsafeBytes { $0.baseAddress.map(UnsafeRawPointer.init) }
            dataBuffers = []
        default:
            layoutWidth = 16
            data = nil
            dataBuffers = array.buffers.dropFirst().map { buffer in
                buffer.withUnsafeBytes { $0.baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)! }
            }
        }
    }

    /// The bytes of slot `slot`.
    @inline(__always)
    func value(_ slot: Int) -> UnsafeRawBufferPointer {
        let i = offset + slot
        switch layoutWidth {
        case 4:
            let start = Int(offsets.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))
            let end = Int(offsets.loadUnaligned(fromByteOffset: i * 4 + 4, as: Int32.self))
            return UnsafeRawBufferPointer(start: data.map { $0 + start }, count: max(0, end - start))
        case 8:
            let start = Int(offsets.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))
            let end = Int(offsets.loadUnaligned(fromByteOffset: i * 8 + 8, as: Int64.self))
            return UnsafeRawBufferPointer(start: data.map { $0 + start }, count: max(0, end - start))
        default:
            let view = offsets + i * 16
            let length = Int(view.loadUnaligned(as: Int32.self))
            if length <= 12 { return UnsafeRawBufferPointer(start: view + 4, count: max(0, length)) }
            let buffer = Int(view.loadUnaligned(fromByteOffset: 8, as: Int32.self))
            let start = Int(view.loadUnaligned(fromByteOffset: 12, as: Int32.self))
            return UnsafeRawBufferPointer(start: dataBuffers[buffer] + start, count: length)
        }
    }
}
