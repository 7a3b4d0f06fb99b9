import LightstreamArrow
import Vec64

/// Builds Arrow arrays from decoded column chunks by walking each field's ``ColumnPlan`` over the
/// definition and repetition levels of its leaves (the Dremel record assembly, column at a time).
struct LevelAssembler {
    let chunks: [Int: DecodedColumnChunk]
    let descriptors: [ParquetColumnDescriptor]

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
            length = forEachSlot(column: column, slotRepetition: plan.slotRepetition, slotDefinition: plan.slotDefinition) { _, d in
                _ = d
            }
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
            if chunk.indices != nil, let dictionary = chunk.dictionary, let indices = chunk.indices {
                try indices.withUnsafeBufferPointer { (i) throws(ParquetError) in try values.appendGathering(i, from: dictionary) }
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
        // Which slots hold a value, and which are valid.
        var present = Vec64<UInt8>()
        var validity = Vec64<UInt8>()
        var nulls = 0
        var slots = 0
        var presentCount = 0
        let allPresent: Bool
        let chunk = chunks[plan.column]!
        if chunk.definitionLevels.isEmpty && chunk.repetitionLevels.isEmpty {
            slots = chunk.levelCount
            presentCount = slots
            allPresent = true
        } else {
            slots = forEachSlot(column: plan.column, slotRepetition: plan.slotRepetition, slotDefinition: plan.slotDefinition) { _, _ in }
            present = Vec64<UInt8>(zeroedCount: (slots + 7) / 8)
            if plan.nullable { validity = Vec64<UInt8>(zeroedCount: (slots + 7) / 8) }
            var i = 0
            let nullable = plan.nullable
            present.withUnsafeMutableBufferPointer { p in
                validity.withUnsafeMutableBufferPointer { v in
                    _ = forEachSlot(column: plan.column, slotRepetition: plan.slotRepetition, slotDefinition: plan.slotDefinition) { _, d in
                        if d == maxDefinition { p[i >> 3] |= 1 << UInt8(i & 7); presentCount += 1 }
                        if nullable {
                            if d >= plan.definitionLevel { v[i >> 3] |= 1 << UInt8(i & 7) } else { nulls += 1 }
                        }
                        i += 1
                    }
                }
            }
            allPresent = presentCount == slots
        }
        guard presentCount == dense.count else {
            throw ParquetError(.corruptPage("\(presentCount) defined slots but \(dense.count) values"))
        }
        let validityBuffer: Buffer? = nulls == 0 ? nil : validity.freeze()
        if allPresent {
            var array = try denseArray(dense, type: type)
            if validityBuffer != nil {
                array = ArrayData(type: type, length: array.length, validity: validityBuffer, buffers: array.buffers, nullCount: nulls)
            }
            return array
        }
        let isPresent: (Int) -> Bool = { i in present[i >> 3] & (1 << UInt8(i & 7)) != 0 }
        switch dense.storage {
        case .none:
            return ArrayData(type: type, length: slots)
        case .fixed(let buffer, let width):
            var out = Vec64<UInt8>(zeroedCount: slots * width)
            buffer.withUnsafeBytes { source in
                out.withUnsafeMutableBufferPointer { target in
                    guard let t = UnsafeMutableRawPointer(target.baseAddress), let s = source.baseAddress else { return }
                    var k = 0
                    present.withUnsafeBufferPointer { p in
                        for i in 0..<slots where p[i >> 3] & (1 << UInt8(i & 7)) != 0 {
                            switch width {
                            case 4: t.storeBytes(of: s.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self), toByteOffset: i * 4, as: UInt32.self)
                            case 8: t.storeBytes(of: s.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self), toByteOffset: i * 8, as: UInt64.self)
                            default: (t + i * width).copyMemory(from: s + k * width, byteCount: width)
                            }
                            k += 1
                        }
                    }
                }
            }
            return ArrayData(type: type, length: slots, validity: validityBuffer, buffers: [out.freeze()], nullCount: nulls)
        case .bits(let buffer):
            var out = Vec64<UInt8>(zeroedCount: (slots + 7) / 8)
            buffer.withUnsafeBytes { source in
                out.withUnsafeMutableBufferPointer { target in
                    var k = 0
                    for i in 0..<slots where isPresent(i) {
                        if source[k >> 3] & (1 << UInt8(k & 7)) != 0 { target[i >> 3] |= 1 << UInt8(i & 7) }
                        k += 1
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

    private func spreadOffsets<O: FixedWidthInteger & BitwiseCopyable>(_ offsets: Buffer, slots: Int, present: Vec64<UInt8>, as: O.Type) -> Buffer {
        var out = Vec64<O>()
        offsets.withUnsafeBytes { raw in
            let source = raw.bindMemory(to: O.self)
            present.withUnsafeBufferPointer { p in
                out.appendUninitialized(count: slots + 1) { target in
                    var k = 0
                    var current = source[0]
                    target[0] = current
                    for i in 0..<slots {
                        if p[i >> 3] & (1 << UInt8(i & 7)) != 0 {
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
