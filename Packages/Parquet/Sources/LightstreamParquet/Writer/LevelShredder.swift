import LightstreamArrow
import Vec64

/// One leaf column of a batch cut into what Parquet pages hold: definition and repetition
/// levels, and the leaf's present values (slots of an Arrow array, in order).
struct ShreddedLeaf {
    /// Which slots of ``values`` are present values, in order.
    enum Selection {
        /// Every slot in the range (logical slots of ``values``).
        case range(Range<Int>)
        /// These slots (logical slots of ``values``).
        case indices(Vec64<Int>)

        var count: Int {
            switch self {
            case .range(let r): r.count
            case .indices(let i): i.count
            }
        }
    }

    /// One definition level per entry; empty when the column's maximum is 0.
    var definitionLevels: Vec64<Int16>
    /// One repetition level per entry; empty when the column's maximum is 0.
    var repetitionLevels: Vec64<Int16>
    /// The number of entries (present values, nulls and empty lists).
    var levelCount: Int
    /// The number of rows (top-level slots).
    var rowCount: Int
    /// The leaf's Arrow array (a dictionary array when the column is one).
    var values: ArrayData
    /// The present values.
    var selection: Selection
}

/// Computes definition and repetition levels the way the Parquet specification defines them,
/// from Arrow arrays of any nesting: a null at a nullable node ends the entry at the level of
/// the nodes above it, an empty list ends it at the list's level, and each list element after
/// the first repeats at the list's repetition level.
enum LevelShredder {
    /// The entries of one leaf while walking down from the top-level column: slot `index` of the
    /// current array (present so far), or closed with its definition level (`index` < 0).
    private struct Entries {
        var definition: Vec64<Int16> = Vec64()
        var repetition: Vec64<Int16> = Vec64()
        var index: Vec64<Int> = Vec64()
    }

    /// Shreds `column` (a top-level column of a batch) for the leaf `plan`.
    static func shred(_ column: ArrayData, plan: ParquetLeafPlan) throws(ParquetError) -> ShreddedLeaf {
        let steps = plan.steps
        if steps.count == 1 {
            return try flat(column, optional: steps[0].optional, path: plan.dottedPath)
        }
        let maxRepetition = plan.descriptor.maxRepetitionLevel
        var entries = Entries()
        entries.definition.reserveCapacity(column.length)
        entries.index.reserveCapacity(column.length)
        for i in 0..<column.length {
            entries.definition.append(0)
            entries.index.append(i)
        }
        if maxRepetition > 0 {
            entries.repetition.reserveCapacity(column.length)
            for _ in 0..<column.length { entries.repetition.append(0) }
        }
        var array = foldingDictionaryNulls(column)
        var definition: Int16 = 0
        var repetition: Int16 = 0
        var values = column
        for (step, optional) in steps {
            if optional {
                definition += 1
                let isNullType = array.type == .null
                let hasNulls = isNullType || array.nullCount > 0
                entries.index.withUnsafeMutableBufferPointer { index in
                    entries.definition.withUnsafeMutableBufferPointer { defs in
                        for k in 0..<index.count where index[k] >= 0 {
                            if hasNulls && array.isNull(index[k]) {
                                index[k] = -1
                            } else {
                                defs[k] = definition
                            }
                        }
                    }
                }
            } else if array.type == .null || array.nullCount > 0 {
                // A required node: only the slots reached must be valid.
                for k in 0..<entries.index.count where entries.index[k] >= 0 && array.isNull(entries.index[k]) {
                    throw ParquetError(.invalidInput("column \(plan.dottedPath): a non-nullable field holds a null"))
                }
            }
            switch step {
            case .leaf:
                values = array
            case .structChild(let child):
                let offset = array.offset
                if offset != 0 {
                    entries.index.withUnsafeMutableBufferPointer { index in
                        for k in 0..<index.count where index[k] >= 0 { index[k] += offset }
                    }
                }
                array = foldingDictionaryNulls(array.children[child])
            case .repeated:
                definition += 1
                repetition += 1
                var next = Entries()
                next.definition.reserveCapacity(entries.index.count)
                next.repetition.reserveCapacity(entries.index.count)
                next.index.reserveCapacity(entries.index.count)
                for k in 0..<entries.index.count {
                    let slot = entries.index[k]
                    let entryRepetition = entries.repetition[k]
                    if slot < 0 {
                        next.definition.append(entries.definition[k])
                        next.repetition.append(entryRepetition)
                        next.index.append(-1)
                        continue
                    }
                    let range = array.listRange(at: slot)
                    if range.isEmpty {
                        // Present and empty: the level of the list node, no element.
                        next.definition.append(definition - 1)
                        next.repetition.append(entryRepetition)
                        next.index.append(-1)
                        continue
                    }
                    var first = true
                    for element in range {
                        next.definition.append(definition)
                        next.repetition.append(first ? entryRepetition : repetition)
                        next.index.append(element)
                        first = false
                    }
                }
                entries = next
                array = foldingDictionaryNulls(array.children[0])
            }
        }
        // Present entries carry the maximum definition level; gather their slots.
        var indices = Vec64<Int>(minimumCapacity: entries.index.count)
        var contiguous = true
        var previous = -1
        for slot in entries.index where slot >= 0 {
            if previous >= 0 && slot != previous + 1 { contiguous = false }
            indices.append(slot)
            previous = slot
        }
        let selection: ShreddedLeaf.Selection = contiguous
            ? .range((indices.first ?? 0) ..< ((indices.last ?? -1) + 1))
            : .indices(indices)
        return ShreddedLeaf(
            definitionLevels: plan.descriptor.maxDefinitionLevel > 0 ? entries.definition : Vec64(),
            repetitionLevels: maxRepetition > 0 ? entries.repetition : Vec64(),
            levelCount: entries.index.count, rowCount: column.length, values: values, selection: selection)
    }

    /// A top-level leaf: no repetition; definition levels are the validity bits.
    private static func flat(_ column: ArrayData, optional: Bool, path: String) throws(ParquetError) -> ShreddedLeaf {
        let column = foldingDictionaryNulls(column)
        let n = column.length
        let nulls = column.type == .null ? n : column.nullCount
        guard optional else {
            guard nulls == 0 else {
                throw ParquetError(.invalidInput("column \(path): a non-nullable field holds \(nulls) nulls"))
            }
            return ShreddedLeaf(definitionLevels: Vec64(), repetitionLevels: Vec64(), levelCount: n, rowCount: n,
                                values: column, selection: .range(0..<n))
        }
        var definitions = Vec64<Int16>(repeating: nulls == 0 ? 1 : 0, count: n)
        if nulls == 0 {
            return ShreddedLeaf(definitionLevels: definitions, repetitionLevels: Vec64(), levelCount: n, rowCount: n,
                                values: column, selection: .range(0..<n))
        }
        var indices = Vec64<Int>(minimumCapacity: n - nulls)
        if column.type != .null, let bitmap = column.validityBitmap {
            definitions.withUnsafeMutableBufferPointer { defs in
                for i in 0..<n where bitmap.unchecked(i) {
                    defs[i] = 1
                    indices.append(i)
                }
            }
        }
        return ShreddedLeaf(definitionLevels: definitions, repetitionLevels: Vec64(), levelCount: n, rowCount: n,
                            values: column, selection: .indices(indices))
    }

    /// A dictionary array whose dictionary holds nulls, with the slots that point at a null
    /// entry made null slots: Arrow's logical nulls, written as Parquet nulls rather than as the
    /// entry's bytes. Other arrays come back as they are.
    static func foldingDictionaryNulls(_ array: ArrayData) -> ArrayData {
        guard case .dictionary = array.type, let dictionary = array.dictionary, dictionary.nullCount > 0 else { return array }
        let offset = array.offset
        let validity = Bitmap((0 ..< offset + array.length).lazy.map { bit in
            guard bit >= offset, array.isValid(bit - offset) else { return false }
            let index = array.integerValue(at: bit - offset)
            // An index outside the dictionary stays valid: the writer reports it.
            return index < 0 || index >= dictionary.length || dictionary.isValid(index)
        })
        return ArrayData(type: array.type, length: array.length, offset: offset, validity: validity.alignedBuffer(),
                         buffers: array.buffers, children: array.children, dictionary: dictionary)
    }
}
