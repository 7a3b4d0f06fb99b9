import LightstreamArrow
import LightstreamIPC
import Synchronization
@_exported import Vec64   // MemoryMap lives in Vec64 (shared with the Parquet reader)

/// When a mapped file's record batches get the full structural `validate()`.
public enum MappedValidation: Sendable {
    /// Every batch at open: opening costs a pass over each batch's offsets, UTF-8 and
    /// dictionary indices (fixed-width columns without nulls cost nothing per row), and later
    /// access costs no checks.
    case atOpen
    /// Each batch the first time it is touched: opening costs only the footer, the schema and the
    /// dictionaries; the first `batch(i)` pays that batch's checks once.
    case lazily
}

/// Options for ``MappedArrowFile``.
public struct MappedFileOptions: Sendable {
    /// When batches get the full structural validation.
    public var validation: MappedValidation
    /// How the file will be read (passed to `madvise`).
    public var hint: AccessHint
    /// Body codecs for compressed files (by default the built-in LZ4 frame and Zstd); compressed
    /// buffers are decompressed into aligned memory, the rest stays mapped.
    public var codecs: [IPCCompression: any IPCBodyCodec]
    /// The bounds on what the file may make the reader do (metadata sizes, decompressed sizes,
    /// schema fields; see ``IPCLimits``).
    public var limits: IPCLimits

    /// Options for mapping a file: when to validate batches (dictionaries are always validated at
    /// open), the access hint, the codecs and the limits.
    public init(validation: MappedValidation = .lazily, hint: AccessHint = .normal, codecs: [IPCCompression: any IPCBodyCodec] = CodecBodyCompression.all,
                limits: IPCLimits = .default) {
        self.validation = validation
        self.hint = hint
        self.codecs = codecs
        self.limits = limits
    }
}

/// An Arrow IPC file read through a read-only memory map: opening reads the footer, schema and
/// dictionaries only, and every array of every batch points into the mapping, no value buffer
/// copied (a buffer misaligned in the file is copied once into aligned memory). The mapping
/// lives as long as anything points into it.
///
/// ```swift
/// let file = try MappedArrowFile(path: "data.arrow")
/// let table = try file.table()                       // microseconds, whatever the row count
/// let prices = try Float64Array(table.batches[0].columns[1])
/// prices.withUnsafeValues { print($0.reduce(0, +)) } // reads straight from the page cache
/// ```
public struct MappedArrowFile: Sendable {
    /// The whole mapping.
    public let bytes: Buffer
    let reader: IPCFileReader
    let validation: MappedValidation
    let validated: ValidatedBatches

    /// Maps `path` and reads its footer, schema and dictionaries.
    public init(path: String, options: MappedFileOptions = MappedFileOptions()) throws {
        bytes = try MemoryMap.map(path: path, hint: options.hint)
        // Batches are validated here (at open or on first touch); dictionaries always at open.
        reader = try IPCFileReader(bytes, options: IPCReadOptions(codecs: options.codecs, validate: false, validateDictionaries: true,
                                                                  limits: options.limits))
        validation = options.validation
        validated = ValidatedBatches(count: reader.batchCount)
        if options.validation == .atOpen {
            for i in 0..<reader.batchCount { _ = try batch(i) }
        }
    }

    /// The schema.
    public var schema: Schema { reader.schema }
    /// The number of record batches.
    public var batchCount: Int { reader.batchCount }

    /// Record batch `index`, its arrays pointing into the mapping; validated on first touch.
    public func batch(_ index: Int) throws -> RecordBatch {
        let batch = try reader.batch(index)
        if !validated.contains(index) {
            do {
                try batch.validate()
            } catch {
                throw IPCError("invalid data: \(error.kind)" + (error.index.map { " at index \($0)" } ?? ""), message: index, field: error.path)
            }
            validated.insert(index)
        }
        return batch
    }

    /// Every batch as a table (cost per batch, not per row).
    public func table() throws -> Table {
        try Table(schema: schema, batches: (0..<batchCount).map(batch))
    }
}

/// Which batches have passed validation (shared by copies of a ``MappedArrowFile``).
final class ValidatedBatches: Sendable {
    private let flags: Mutex<[Bool]>

    init(count: Int) { flags = Mutex([Bool](repeating: false, count: count)) }

    func contains(_ index: Int) -> Bool { flags.withLock { $0[index] } }
    func insert(_ index: Int) { flags.withLock { $0[index] = true } }
}
