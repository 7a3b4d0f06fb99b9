import LightstreamArrow
import LightstreamFlatBuffers
import Vec64

/// Lays arrays out as an IPC body: field nodes and buffers depth-first, each buffer padded to
/// the alignment. Sliced arrays are written as exactly their slots (offsets rebased, bitmaps
/// realigned), so readers see offset-free arrays.
struct RecordBatchEncoder {
    let alignment: Int
    let codec: (any IPCBodyCodec)?
    var nodes: [(Int64, Int64)] = []
    var buffers: [(Int64, Int64)] = []
    var variadicCounts: [Int64] = []
    var pieces: [Buffer] = []
    var bodyLength = 0

    init(alignment: Int, codec: (any IPCBodyCodec)?) {
        self.alignment = alignment
        self.codec = codec
    }

    mutating func addBuffer(_ buffer: Buffer) throws {
        var stored = buffer
        if let codec, buffer.count > 0 {
            let compressed = try codec.compress(buffer)
            var prefix = Vec64<UInt8>()
            if compressed.count < buffer.count {
                withUnsafeBytes(of: Int64(buffer.count).littleEndian) { prefix.append(contentsOf: $0.bindMemory(to: UInt8.self)) }
                prefix.append(contentsOf: compressed.array)
            } else {
                withUnsafeBytes(of: Int64(-1).littleEndian) { prefix.append(contentsOf: $0.bindMemory(to: UInt8.self)) }
                prefix.append(contentsOf: buffer.array)
            }
            stored = prefix.freeze()
        }
        buffers.append((Int64(bodyLength), Int64(stored.count)))
        if stored.count > 0 { pieces.append(stored) }
        bodyLength += stored.count
        let padding = paddedTo(bodyLength, alignment) - bodyLength
        if padding > 0 {
            pieces.append(Buffer(copying: [UInt8](repeating: 0, count: padding)))
            bodyLength += padding
        }
    }

    /// The validity bitmap of `data` for its slots, starting at bit 0; `nil` when it has no nulls.
    func validity(_ data: ArrayData) -> Buffer? {
        guard data.nullCount > 0, let bitmap = data.validityBitmap else { return nil }
        return bitmap.alignedBuffer()
    }

    mutating func append(_ data: ArrayData) throws {
        let layout = data.type.layout
        // The null type counts every slot as null; unions and run-end encoded arrays report 0.
        let nulls = if case .null = layout { data.length } else if layout.hasValidity { data.nullCount } else { 0 }
        nodes.append((Int64(data.length), Int64(nulls)))
        if case .null = layout { return }
        if layout.hasValidity { try addBuffer(validity(data) ?? Buffer()) }
        let offset = data.offset, length = data.length
        switch layout {
        case .null:
            break
        case .bitPacked:
            let bits = try Bitmap(buffer: data.buffers[0], bitOffset: offset, count: length)
            try addBuffer(bits.alignedBuffer())
        case let .fixedWidth(width), let .dictionary(width):
            try addBuffer(data.buffers[0].slice(offset * width..<(offset + length) * width))
        case let .variableBinary(width):
            let (offsets, range) = rebasedOffsets(data, buffer: 0, width: width)
            try addBuffer(offsets)
            try addBuffer(data.buffers[1].slice(range))
        case .binaryView:
            try addBuffer(data.buffers[0].slice(offset * 16..<(offset + length) * 16))
            for buffer in data.buffers.dropFirst() { try addBuffer(buffer) }
            variadicCounts.append(Int64(data.buffers.count - 1))
        case let .list(width):
            let (offsets, range) = rebasedOffsets(data, buffer: 0, width: width)
            try addBuffer(offsets)
            try append(data.children[0].slice(range))
        case let .listView(width):
            try addBuffer(data.buffers[0].slice(offset * width..<(offset + length) * width))
            try addBuffer(data.buffers[1].slice(offset * width..<(offset + length) * width))
            try append(data.children[0])
        case let .fixedSizeList(size):
            try append(data.children[0].slice(offset * size..<(offset + length) * size))
        case .struct:
            for child in data.children { try append(child.slice(offset..<(offset + length))) }
        case let .union(mode):
            try addBuffer(data.buffers[0].slice(offset..<(offset + length)))
            if mode == .dense {
                try addBuffer(data.buffers[1].slice(offset * 4..<(offset + length) * 4))
                for child in data.children { try append(child) }
            } else {
                for child in data.children { try append(child.slice(offset..<(offset + length))) }
            }
        case .runEndEncoded:
            let (runEnds, values) = try slicedRuns(data)
            try append(runEnds)
            try append(values)
        }
    }

    /// The offsets of `data`'s slots rebased to start at 0, and the range of the data (or child)
    /// they cover. No copy when they already start at 0.
    func rebasedOffsets(_ data: ArrayData, buffer: Int, width: Int) -> (Buffer, Range<Int>) {
        guard data.length > 0 else { return (zeroOffsets(width), 0..<0) }
        let first = data.offsetValue(buffer: buffer, width: width, at: data.offset)
        let last = data.offsetValue(buffer: buffer, width: width, at: data.offset + data.length)
        let slice = data.buffers[buffer].slice(data.offset * width..<(data.offset + data.length + 1) * width)
        if first == 0 { return (slice, 0..<last) }
        if width == 4 {
            var v = Vec64<Int32>(minimumCapacity: data.length + 1)
            for i in 0...data.length { v.append(Int32(data.offsetValue(buffer: buffer, width: 4, at: data.offset + i) - first)) }
            return (v.freeze(), first..<last)
        }
        var v = Vec64<Int64>(minimumCapacity: data.length + 1)
        for i in 0...data.length { v.append(Int64(data.offsetValue(buffer: buffer, width: 8, at: data.offset + i) - first)) }
        return (v.freeze(), first..<last)
    }

    func zeroOffsets(_ width: Int) -> Buffer {
        width == 4 ? Buffer(values: [Int32(0)]) : Buffer(values: [Int64(0)])
    }

    /// The run ends and values of a run-end encoded slice, rebased so the slice starts at 0.
    func slicedRuns(_ data: ArrayData) throws -> (ArrayData, ArrayData) {
        let runEnds = data.children[0], values = data.children[1]
        if data.offset == 0 && (data.length == 0 || runEnds.length == 0 || runEnds.integerValue(at: runEnds.length - 1) == data.length) {
            return (runEnds, values)
        }
        guard data.length > 0 else { return (runEnds.slice(0..<0), values.slice(0..<0)) }
        let first = data.runIndex(at: 0), last = data.runIndex(at: data.length - 1)
        var ends: [Int64] = []
        for run in first...last {
            ends.append(Int64(min(runEnds.integerValue(at: run) - data.offset, data.length)))
        }
        let endsData: ArrayData = switch runEnds.type {
        case .int16: PrimitiveArray<Int16>(ends.map { Int16($0) }).data
        case .int32: PrimitiveArray<Int32>(ends.map { Int32($0) }).data
        default: PrimitiveArray<Int64>(ends).data
        }
        return (endsData, values.slice(first..<(last + 1)))
    }

    /// The RecordBatch header table.
    func header(length: Int, into builder: inout FlatBufferBuilder) -> FlatOffset {
        let nodeVector = builder.createStructVector(count: nodes.count, structSize: 16, alignment: 8) { [nodes] i in [nodes[i].0, nodes[i].1] }
        let bufferVector = builder.createStructVector(count: buffers.count, structSize: 16, alignment: 8) { [buffers] i in [buffers[i].0, buffers[i].1] }
        let variadic = variadicCounts.isEmpty ? nil : builder.createVector(variadicCounts)
        var compression: FlatOffset?
        if let codec {
            builder.startTable()
            builder.add(0, codec.compression.rawValue, default: Int8(-1))
            compression = builder.endTable()
        }
        builder.startTable()
        builder.add(0, Int64(length), default: Int64(0))
        builder.add(1, nodeVector)
        builder.add(2, bufferVector)
        builder.add(3, compression)
        builder.add(4, variadic)
        return builder.endTable()
    }
}

func paddedTo(_ value: Int, _ alignment: Int) -> Int {
    (value + alignment - 1) / alignment * alignment
}
