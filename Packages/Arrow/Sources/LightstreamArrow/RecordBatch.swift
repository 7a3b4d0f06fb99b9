/// Why a record batch or table could not be assembled.
public enum ArrowSchemaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The schema has `fields` fields but `columns` columns were given.
    case columnCountMismatch(fields: Int, columns: Int)
    /// Column `column` has `actual` rows where the first column has `expected`.
    case columnLengthMismatch(column: String, expected: Int, actual: Int)
    /// Column `column` has type `actual` where its field declares `expected`.
    case columnTypeMismatch(column: String, expected: DataType, actual: DataType)
    /// Batch number `batch` does not have the table's schema.
    case schemaMismatch(batch: Int)
    /// No field has the given name.
    case noSuchColumn(String)
    /// The batches' row counts add up to more than `Int` holds.
    case rowCountOverflow

    /// A one-line explanation of the error.
    public var description: String {
        switch self {
        case let .columnCountMismatch(f, c): "schema has \(f) fields but \(c) columns were given"
        case let .columnLengthMismatch(name, e, a): "column '\(name)' has \(a) rows, expected \(e)"
        case let .columnTypeMismatch(name, e, a): "column '\(name)' is \(a), schema says \(e)"
        case let .schemaMismatch(i): "batch \(i) has a different schema from the table"
        case let .noSuchColumn(name): "no column named '\(name)'"
        case .rowCountOverflow: "the batches hold more rows than a table can count"
        }
    }
}

/// Columns of equal length under a schema: the unit Arrow IPC streams and files carry.
public struct RecordBatch: Sendable, Equatable {
    /// The schema, one field per column.
    public let schema: Schema
    /// The columns, in schema order, each of ``length`` rows.
    public let columns: [ArrayData]
    /// The number of rows.
    public let length: Int

    /// A batch of `columns` under `schema`; the columns must match the fields in number, type
    /// and length.
    public init(schema: Schema, columns: [any ArrayDataConvertible]) throws(ArrowSchemaError) {
        try self.init(schema: schema, columns: columns, length: columns.first?.data.length ?? 0)
    }

    /// A batch of `length` rows of `columns` under `schema`; the columns must match the fields in
    /// number and type and have `length` rows. A batch without columns keeps its row count this way
    /// (as Arrow IPC carries it).
    public init(schema: Schema, columns: [any ArrayDataConvertible], length: Int) throws(ArrowSchemaError) {
        let data = columns.map(\.data)
        guard data.count == schema.fields.count else {
            throw .columnCountMismatch(fields: schema.fields.count, columns: data.count)
        }
        for (field, column) in zip(schema.fields, data) {
            guard column.type == field.type else {
                throw .columnTypeMismatch(column: field.name, expected: field.type, actual: column.type)
            }
            guard column.length == length else {
                throw .columnLengthMismatch(column: field.name, expected: length, actual: column.length)
            }
        }
        self.schema = schema
        self.columns = data
        self.length = length
    }

    /// A batch of named columns; each field takes its column's type and is nullable.
    public init(_ columns: KeyValuePairs<String, any ArrayDataConvertible>) throws(ArrowSchemaError) {
        try self.init(schema: Schema(columns.map { Field($0.key, $0.value.data.type) }), columns: columns.map(\.value))
    }

    /// The number of columns.
    public var columnCount: Int { columns.count }

    /// The column of the first field named `name`.
    public func column(named name: String) throws(ArrowSchemaError) -> ArrayData {
        guard let index = schema.index(of: name) else { throw .noSuchColumn(name) }
        return columns[index]
    }

    /// The rows `range` as a batch sharing every buffer. O(columns), no copy.
    public func slice(_ range: Range<Int>) -> RecordBatch {
        precondition(range.lowerBound >= 0 && range.upperBound <= length, "RecordBatch: slice \(range) out of bounds 0..<\(length)")
        return try! RecordBatch(schema: schema, columns: columns.map { $0.slice(range) }, length: range.count)
    }

    /// Validates every column (see ``ArrayData/validate(path:)``), naming the column in errors.
    public func validate() throws(ArrowValidationError) {
        for (field, column) in zip(schema.fields, columns) {
            try column.validate(path: [field.name])
        }
    }

    /// Equal schemas and logically equal columns.
    public static func == (lhs: RecordBatch, rhs: RecordBatch) -> Bool {
        lhs.schema == rhs.schema && lhs.length == rhs.length
            && zip(lhs.columns, rhs.columns).allSatisfy { $0.logicallyEquals($1) }
    }
}

/// A named sequence of record batches sharing one schema.
public struct Table: Sendable, Equatable {
    /// The table's name (empty when it has none); printed as a title by ``formatted(maxRows:maxWidth:)``.
    public var name: String
    /// The schema every batch has.
    public let schema: Schema
    /// The batches, in row order.
    public let batches: [RecordBatch]
    /// The total number of rows.
    public let rowCount: Int

    /// A table of `batches`, which must all have `schema`.
    public init(name: String = "", schema: Schema, batches: [RecordBatch]) throws(ArrowSchemaError) {
        var rows = 0
        for (i, batch) in batches.enumerated() {
            guard batch.schema == schema else { throw .schemaMismatch(batch: i) }
            let (sum, overflow) = rows.addingReportingOverflow(batch.length)
            guard !overflow else { throw .rowCountOverflow }
            rows = sum
        }
        rowCount = rows
        self.name = name
        self.schema = schema
        self.batches = batches
    }

    /// A table of batches with the first batch's schema.
    public init(name: String = "", batches: [RecordBatch]) throws(ArrowSchemaError) {
        try self.init(name: name, schema: batches.first?.schema ?? Schema([]), batches: batches)
    }

    /// The chunks of column `index`, one per batch.
    public func column(_ index: Int) -> [ArrayData] { batches.map { $0.columns[index] } }

    /// Validates every batch.
    public func validate() throws(ArrowValidationError) {
        for batch in batches { try batch.validate() }
    }

    /// Equal schemas and the same rows, however the rows are split into batches.
    public static func == (lhs: Table, rhs: Table) -> Bool {
        guard lhs.schema == rhs.schema, lhs.rowCount == rhs.rowCount else { return false }
        return lhs.schema.fields.indices.allSatisfy { chunkedEquals(lhs.column($0), rhs.column($0)) }
    }
}

/// Compares two chunked columns holding the same number of rows, whatever their chunking.
func chunkedEquals(_ a: [ArrayData], _ b: [ArrayData]) -> Bool {
    var ai = 0, aPos = 0, bi = 0, bPos = 0
    while true {
        while ai < a.count && aPos == a[ai].length { ai += 1; aPos = 0 }
        while bi < b.count && bPos == b[bi].length { bi += 1; bPos = 0 }
        if ai == a.count || bi == b.count { return ai == a.count && bi == b.count }
        let n = min(a[ai].length - aPos, b[bi].length - bPos)
        guard a[ai].type == b[bi].type, a[ai].rangeEquals(aPos..<(aPos + n), b[bi], otherStart: bPos) else { return false }
        aPos += n
        bPos += n
    }
}
