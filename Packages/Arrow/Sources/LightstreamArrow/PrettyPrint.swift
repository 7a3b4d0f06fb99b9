/// Renders columns of text as an aligned table: a header of names and types, a rule, then rows,
/// eliding the middle rows of long tables.
struct TextTable {
    var names: [String]
    var types: [String]
    var rowCount: Int
    var cell: (_ row: Int, _ column: Int) -> String

    func render(maxRows: Int, maxWidth: Int) -> String {
        let shown: [Int?]
        if rowCount <= maxRows {
            shown = Array(0..<rowCount)
        } else {
            let head = (maxRows + 1) / 2, tail = maxRows / 2
            shown = Array(0..<head) + [nil] + Array((rowCount - tail)..<rowCount)
        }
        let clip = { (s: String) -> String in s.count <= maxWidth ? s : String(s.prefix(maxWidth - 1)) + "…" }
        let rows: [[String]] = shown.map { row in
            names.indices.map { column in row.map { clip(cell($0, column)) } ?? "…" }
        }
        let header = names.map(clip), kinds = types.map(clip)
        let widths = names.indices.map { c in ([header[c], kinds[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: " | ")
                .replacing(/\s+$/, with: "")
        }
        var out = [line(header), line(kinds), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")]
        out += rows.map(line)
        out.append("(\(rowCount) row\(rowCount == 1 ? "" : "s"), \(names.count) column\(names.count == 1 ? "" : "s"))")
        return out.joined(separator: "\n")
    }
}

extension RecordBatch: CustomStringConvertible {
    /// The batch as an aligned text table, at most `maxRows` rows (the middle elided) and cells
    /// of at most `maxWidth` characters.
    public func formatted(maxRows: Int = 20, maxWidth: Int = 40) -> String {
        TextTable(names: schema.fields.map(\.name), types: schema.fields.map { "\($0.type)" }, rowCount: length) { row, column in
            columns[column].formatValue(at: row, maxLength: cellByteLimit(maxWidth))
        }.render(maxRows: maxRows, maxWidth: maxWidth)
    }

    /// The batch as a text table with the default limits (see ``formatted(maxRows:maxWidth:)``).
    public var description: String { formatted() }
}

extension Table: CustomStringConvertible {
    /// The table as one aligned text table across its batches (see ``RecordBatch/formatted(maxRows:maxWidth:)``).
    public func formatted(maxRows: Int = 20, maxWidth: Int = 40) -> String {
        var starts: [Int] = []
        var total = 0
        for batch in batches { starts.append(total); total += batch.length }   // cannot overflow: Table checks rowCount
        let table = TextTable(names: schema.fields.map(\.name), types: schema.fields.map { "\($0.type)" }, rowCount: total) { row, column in
            // The last batch starting at or before `row`.
            var low = 0, high = starts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if starts[mid] <= row { low = mid } else { high = mid - 1 }
            }
            return batches[low].columns[column].formatValue(at: row - starts[low], maxLength: cellByteLimit(maxWidth))
        }
        let title = name.isEmpty ? "" : "\(name)\n"
        return title + table.render(maxRows: maxRows, maxWidth: maxWidth)
    }

    /// The table as a text table with the default limits (see ``formatted(maxRows:maxWidth:)``).
    public var description: String { formatted() }
}

/// The UTF-8 bytes a cell of `maxWidth` characters may render before it is clipped (a character
/// is at most 4 bytes).
func cellByteLimit(_ maxWidth: Int) -> Int {
    maxWidth >= Int.max / 8 ? Int.max : 4 * Swift.max(0, maxWidth) + 4
}
