import LightstreamArrow
import Vec64

/// Builds Arrow arrays from decoded column chunks by walking each field's ``ColumnPlan`` over the
/// definition and repetition levels of its leaves (the Dremel record assembly, column at a time).
struct LevelAssembler {
    let chunks: [Int: DecodedColumnChunk]
    let descriptors: [ParquetColumnDescriptor]
    /// The most bytes one leaf's values may take once null slots are spread out.
    var maximumBytes = Int.max

    /// Scans the level entries of `column` that are slots of a node: repetition at most
    /// `slotRepetition` and definition at least `slotDefinition`; calls `body` with each slot's
    /// entry index and definition level, and returns the slot count.
    private func forEachSlot(column: Int, slotRepetition: Int, slotDefinition: Int,
                             _ body: (Int, Int) -> Void) -> Int {
        let chunk = chunks[column]!
        let count = chunk.levelCount
        let hasDefinition = !chunk.definitionLevels.isEmpty
        let hasRepetition = !chunk.repetitionLevels.isEmpty
        var slots = 0
        chunk.definitionLevels.withUnsafeBufferPointer { def in
            chunk.repetitionLevels.withUnsafeBufferPointer { rep in
                for e in 0..<count {
                    if hasRepetition && Int(rep[e]) > slotRepetition { continue }
                    let d = hasDefinition ? Int(def[e]) : 0
                    if d < slotDefinition { continue }
                    body(e, d)
                    slots += 1
                }
            }
        }
        return slots
    }

    func assemble(_ plan: ColumnPlan) throws(ParquetError) -> ArrayData {
        switch plan {
        case .leaf(let leaf): return try assembleLeaf(leaf)
        case .structure(let s): return try assembleStruct(s)
        case .list(let l): return try assembleList(l)
        }
    }

    private func validityBuffer(_ bits: Vec64<UInt8>, nulls: Int) -> Buffer? {
        nulls == 0 ? nil : bits.freeze()
    }

    private func assembleStruct(_ plan: ColumnPlan.Structure) throws(ParquetError) -> ArrayData {
        var bits = Vec64<UInt8>()
        var nulls = 0
        var length = 0
        let column = ColumnPlan.structure(plan).firstColumn
        if plan.nullable {
            length = forEachSlot(column: column, slotRepetition: plan.slotRepetition, slotDefinition: plan.slotDefinition) { _, _ in }
            bits = Vec64<UInt8>(zeroedCount: (length + 7) / 8)
            var i = 0
            bits.withUnsafeMutableBufferPointer { b in
                _ = forEachSlot(column: column, slotRepetition: plan.slotRepetition, slotDefinition: plan.slotDefinition) { _, d in
                    if d >= plan.definitionLevel { b[i >> 3] |= 1 << UInt8(i & 7) } else { nulls += 1 }
                    i += 1
                }
            }
        } else {
            length = forEachSlot(column: column, slotRepetition: plan.slotRepetition, slotDefinition: plan.slotDefinition) { _, _ in }
        }
        var children: [ArrayData] = []
        for child in plan.children {
            let array = try assemble(child)
            guard array.length == length else {
                throw ParquetError(.corruptPage("struct child has \(array.length) slots, its siblings \(length)"),
                                   column: descriptors[child.firstColumn].dottedPath)
            }
            children.append(array)
        }
        return ArrayData(type: plan.type, length: length, validity: validityBuffer(bits, nulls: nulls),
                         children: children, nullCount: nulls)
    }

    private func assembleList(_ plan: ColumnPlan.List) throws(ParquetError) -> ArrayData {
        let column = plan.child.firstColumn
        let chunk = chunks[column]!
        var offsets = Vec64<Int32>()
        var bits = Vec64<UInt8>()
        var nulls = 0
        var elements = 0
        var slots = 0
        let count = chunk.levelCount
        let hasDefinition = !chunk.definitionLevels.isEmpty
        chunk.definitionLevels.withUnsafeBufferPointer { def in
            chunk.repetitionLevels.withUnsafeBufferPointer { rep in
                offsets.reserveCapacity(count + 1)
                for e in 0..<count {
                    let r = Int(rep[e])
                    let d = hasDefinition ? Int(def[e]) : 0
                    if r <= plan.slotRepetition && d >= plan.slotDefinition {
                        offsets.append(Int32(truncatingIfNeeded: elements))
                        if plan.nullable {
                            if slots & 7 == 0 { bits.append(0) }
                            if d >= plan.definitionLevel {
                                bits.withUnsafeMutableBufferPointer { $0[slots >> 3] |= 1 << UInt8(slots & 7) }
                            } else {
                                nulls += 1
                            }
                        }
                        slots += 1
                    }
                    if r <= plan.elementRepetition && d >= plan.elementDefinition { elements += 1 }
                }
            }
        }
        guard elements <= Int(Int32.max) else {
            throw ParquetError(.limitExceeded("list of \(elements) elements in one row group"), column: descriptors[column].dottedPath)
        }
        offsets.append(Int32(elements))
        let child = try assemble(plan.child)
        guard child.length == elements else {
            throw ParquetError(.corruptPage("list has \(elements) elements, its child \(child.length)"), column: descriptors[column].dottedPath)
        }
        return ArrayData(type: plan.type, length: slots, validity: validityBuffer(bits, nulls: nulls),
                         buffers: [offsets.freeze()], children: [child], nullCount: nulls)
    }

    private func assembleLeaf(_ plan: ColumnPlan.Leaf) throws(ParquetError) -> ArrayData {
        let descriptor = descriptors[plan.column]
        let chunk = chunks[plan.column]!
        let maxDefinition = descriptor.maxDefinitionLevel
        do throws(ParquetError) {
            if let indices = chunk.indices, let dictionary = chunk.dictionary,
               case .dictionary(let indexType, let valueType, _) = plan.type, indexType == .int32 {
                let dense = try PhysicalConversion.convert(dictionary, physical: descriptor.physicalType, to: valueType)
                let dictionaryArray = try denseArray(dense, type: valueType)
                let denseIndices = DenseArrowValues(storage: .fixed(indices.freeze(), byteWidth: 4), count: indices.count)
                return try scatter(denseIndices, plan: plan, type: .int32, maxDefinition: maxDefinition)
                    .withDictionary(plan.type, dictionaryArray)
            }
            var values = chunk.values
            var type = plan.type
            if case .dictionary(_, let valueType, _) = type { type = valueType }
            if let dictionary = chunk.dictionary, let indices = chunk.indices {
                // Indices kept for a dictionary type the caller did not end up asking for.
                try indices.withUnsafeBufferPointer { (i) throws(ParquetError) in
                    try values.appendGathering(i, from: dictionary, maximumBytes: maximumBytes)
                }
                values.finishOffsets()
            }
            let dense = try PhysicalConversion.convert(values, physical: descriptor.physicalType, to: type)
            return try scatter(dense, plan: plan, type: type, maxDefinition: maxDefinition)
        } catch {
            throw error.located(column: descriptor.dottedPath)
        }
    }

    /// An array of the dense values alone (no nulls).
    private func denseArray(_ dense: DenseArrowValues, type: DataType) throws(ParquetError) -> ArrayData {
        switch dense.storage {
        case .none: return ArrayData(type: type, length: dense.count)
        case .fixed(let buffer, _): return ArrayData(type: type, length: dense.count, buffers: [buffer], nullCount: 0)
        case .bits(let buffer): return ArrayData(type: type, length: dense.count, buffers: [buffer], nullCount: 0)
        case .variable(let offsets, let data, _): return ArrayData(type: type, length: dense.count, buffers: [offsets, data], nullCount: 0)
        }
    }

    /// Places the dense values into the leaf's slots: a slot whose definition level is the
    /// column's maximum takes the next value; the others are null (or zero when not nullable).
    private func scatter(_ dense: DenseArrowValues, plan: ColumnPlan.Leaf, type: DataType, maxDefinition: Int) throws(ParquetError) -> ArrayData {
        // Which slots hold a value (`present`) and which are valid, as 64-bit words of bits.
        var present = Vec64<UInt64>()
        var validity = Vec64<UInt64>()
        var nulls = 0
        var slots = 0
        var presentCount = 0
        let chunk = chunks[plan.column]!
        if chunk.definitionLevels.isEmpty && chunk.repetitionLevels.isEmpty {
            slots = chunk.levelCount
            presentCount = slots
        } else if chunk.repetitionLevels.isEmpty && plan.slotDefinition == 0 {
            // A flat column: every entry is a slot.
            slots = chunk.levelCount
            present = Vec64<UInt64>(zeroedCount: (slots + 63) / 64)
            let full = UInt16(maxDefinition)
            chunk.definitionLevels.withUnsafeBufferPointer { def in
                present.withUnsafeMutableBufferPointer { p in
                    var word = 0
                    var i = 0
                    while i < slots {
                        let n = Swift.min(64, slots - i)
                        var bits: UInt64 = 0
                        for b in 0..<n { bits |= UInt64(def[i + b] == full ? 1 : 0) << UInt64(b) }
                        p[word] = bits
                        presentCount += bits.nonzeroBitCount
                        word += 1
                        i += n
                    }
                }
            }
        } else {
            slots = forEachSlot(column: plan.column, slotRepetition: plan.slotRepetition, slotDefinition: plan.slotDefinition) { _, _ in }
            present = Vec64<UInt64>(zeroedCount: (slots + 63) / 64)
            var i = 0
            present.withUnsafeMutableBufferPointer { p in
                _ = forEachSlot(column: plan.column, slotRepetition: plan.slotRepetition, slotDefinition: plan.slotDefinition) { _, d in
                    if d == maxDefinition { p[i >> 6] |= 1 << UInt64(i & 63); presentCount += 1 }
                    i += 1
                }
            }
        }
        // A leaf is valid exactly when its value is present (its definition level is the column's
        // maximum), so the presence bits are its validity.
        if plan.nullable {
            validity = present
            nulls = slots - presentCount
        }
        guard presentCount == dense.count else {
            throw ParquetError(.corruptPage("\(presentCount) defined slots but \(dense.count) values"))
        }
        let validityBuffer: Buffer? = nulls == 0 ? nil : validity.freeze()
        if presentCount == slots {
            var array = try denseArray(dense, type: type)
            if validityBuffer != nil {
                array = ArrayData(type: type, length: array.length, validity: validityBuffer, buffers: array.buffers, nullCount: nulls)
            }
            return array
        }
        switch dense.storage {
        case .none:
            return ArrayData(type: type, length: slots)
        case .fixed(let buffer, let width):
            let (bytes, overflow) = slots.multipliedReportingOverflow(by: width)
            guard !overflow, bytes <= maximumBytes else {
                throw ParquetError(.limitExceeded("\(slots) slots of \(width) bytes pass the limit of \(maximumBytes) bytes"))
            }
            var out = Vec64<UInt8>(zeroedCount: bytes)
            buffer.withUnsafeBytes { source in
                out.withUnsafeMutableBufferPointer { target in
                    guard let t = UnsafeMutableRawPointer(target.baseAddress), let s = source.baseAddress else { return }
                    present.withUnsafeBufferPointer { p in
                        switch width {
                        case 1: Self.scatterFixed(s, t, p, slots: slots, as: UInt8.self)
                        case 2: Self.scatterFixed(s, t, p, slots: slots, as: UInt16.self)
                        case 4: Self.scatterFixed(s, t, p, slots: slots, as: UInt32.self)
                        case 8: Self.scatterFixed(s, t, p, slots: slots, as: UInt64.self)
                        default:
                            var k = 0
                            for w in 0..<p.count {
                                var bits = p[w]
                                while bits != 0 {
                                    let i = w << 6 | bits.trailingZeroBitCount
                                    (t + i * width).copyMemory(from: s + k * width, byteCount: width)
                                    k += 1
                                    bits &= bits &- 1
                                }
                            }
                        }
                    }
                }
            }
            return ArrayData(type: type, length: slots, validity: validityBuffer, buffers: [out.freeze()], nullCount: nulls)
        case .bits(let buffer):
            var out = Vec64<UInt8>(zeroedCount: (slots + 7) / 8)
            buffer.withUnsafeBytes { source in
                out.withUnsafeMutableBufferPointer { target in
                    present.withUnsafeBufferPointer { p in
                        var k = 0
                        for w in 0..<p.count {
                            var bits = p[w]
                            while bits != 0 {
                                let i = w << 6 | bits.trailingZeroBitCount
                                if source[k >> 3] & (1 << UInt8(k & 7)) != 0 { target[i >> 3] |= 1 << UInt8(i & 7) }
                                k += 1
                                bits &= bits &- 1
                            }
                        }
                    }
                }
            }
            return ArrayData(type: type, length: slots, validity: validityBuffer, buffers: [out.freeze()], nullCount: nulls)
        case .variable(let offsets, let data, let large):
            let newOffsets: Buffer
            if large {
                newOffsets = spreadOffsets(offsets, slots: slots, present: present, as: Int64.self)
            } else {
                newOffsets = spreadOffsets(offsets, slots: slots, present: present, as: Int32.self)
            }
            return ArrayData(type: type, length: slots, validity: validityBuffer, buffers: [newOffsets, data], nullCount: nulls)
        }
    }

    /// Copies consecutive values to the set bits' positions: whole words of present slots as one
    /// block copy, sparse words bit by bit.
    private static func scatterFixed<T: BitwiseCopyable>(_ source: UnsafeRawPointer, _ target: UnsafeMutableRawPointer,
                                                         _ present: UnsafeBufferPointer<UInt64>, slots: Int, as: T.Type) {
        let s = source.assumingMemoryBound(to: T.self)
        let t = target.assumingMemoryBound(to: T.self)
        var k = 0
        for w in 0..<present.count {
            var bits = present[w]
            if bits == ~0 {
                (t + (w << 6)).update(from: s + k, count: 64)
                k += 64
                continue
            }
            while bits != 0 {
                t[w << 6 | bits.trailingZeroBitCount] = s[k]
                k += 1
                bits &= bits &- 1
            }
        }
    }

    private func spreadOffsets<O: FixedWidthInteger & BitwiseCopyable>(_ offsets: Buffer, slots: Int, present: Vec64<UInt64>, as: O.Type) -> Buffer {
        var out = Vec64<O>()
        offsets.withUnsafeBytes { raw in
            let source = raw.bindMemory(to: O.self)
            present.withUnsafeBufferPointer { p in
                out.appendUninitialized(count: slots + 1) { target in
                    var k = 0
                    var current = source[0]
                    target[0] = current
                    for i in 0..<slots {
                        if p[i >> 6] & (1 << UInt64(i & 63)) != 0 {
                            k += 1
                            current = source[k]
                        }
                        target[i + 1] = current
                    }
                }
            }
        }
        return out.freeze()
    }
}

extension ArrayData {
    /// This index array as a dictionary array of `type` over `dictionary`.
    func withDictionary(_ type: DataType, _ dictionary: ArrayData) -> ArrayData {
        ArrayData(type: type, length: length, offset: offset, validity: validity, buffers: buffers,
                  children: children, dictionary: dictionary, nullCount: knownNullCount)
    }
}
