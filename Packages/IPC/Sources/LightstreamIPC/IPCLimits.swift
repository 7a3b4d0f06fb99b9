/// The bounds an IPC reader enforces on what its input may make it do: how large a message may
/// be, how much memory decompression may produce, how many fields a schema may declare. Every
/// size read from input is checked against these before it is used to allocate or to loop, and a
/// breach is an ``IPCError`` of kind ``IPCError/Kind/limitExceeded(_:)`` naming the limit.
///
/// ``default`` suits files and memory a program chose to read; ``network`` suits bytes from a
/// peer that may be hostile (smaller messages and decompression budgets).
///
/// ```swift
/// var options = IPCReadOptions(limits: .network)
/// options.limits.maximumDecompressedBatchBytes = 256 << 20
/// ```
public struct IPCLimits: Sendable, Equatable {
    /// The limits, by name, as ``IPCError/Kind/limitExceeded(_:)`` reports them.
    public enum Limit: String, Sendable, Equatable, CaseIterable {
        /// ``IPCLimits/maximumMetadataBytes``.
        case metadataBytes = "maximumMetadataBytes"
        /// ``IPCLimits/maximumBodyBytes``.
        case bodyBytes = "maximumBodyBytes"
        /// ``IPCLimits/maximumDecompressedBufferBytes``.
        case decompressedBufferBytes = "maximumDecompressedBufferBytes"
        /// ``IPCLimits/maximumDecompressedBatchBytes``.
        case decompressedBatchBytes = "maximumDecompressedBatchBytes"
        /// ``IPCLimits/maximumSchemaFields``.
        case schemaFields = "maximumSchemaFields"
        /// ``IPCLimits/maximumNestingDepth``.
        case nestingDepth = "maximumNestingDepth"
        /// ``IPCLimits/maximumArrayLength``.
        case arrayLength = "maximumArrayLength"
    }

    /// The largest `Message` FlatBuffer of one message (stream framing and file blocks).
    public var maximumMetadataBytes: Int
    /// The largest body one message may announce (streams; a file's bodies are bounded by the file).
    public var maximumBodyBytes: Int
    /// The largest uncompressed length one compressed buffer may declare.
    public var maximumDecompressedBufferBytes: Int
    /// The most bytes the compressed buffers of one record or dictionary batch may decompress to.
    public var maximumDecompressedBatchBytes: Int
    /// The most fields (counting nested children, each time they are reached) a schema may hold.
    /// FlatBuffers can point many children at one table, so a few kilobytes of metadata could
    /// otherwise describe an exponential number of fields.
    public var maximumSchemaFields: Int
    /// The deepest nesting of fields (and of metadata tables).
    public var maximumNestingDepth: Int
    /// The most slots one array (field node), or one dictionary after its deltas, may declare.
    /// Arrays of the null type have no buffers that would bound their length otherwise.
    public var maximumArrayLength: Int

    /// Limits with the given values (by default those of ``default``).
    public init(maximumMetadataBytes: Int = 64 << 20, maximumBodyBytes: Int = 1 << 40,
                maximumDecompressedBufferBytes: Int = 1 << 34, maximumDecompressedBatchBytes: Int = 1 << 36,
                maximumSchemaFields: Int = 1 << 17, maximumNestingDepth: Int = 64,
                maximumArrayLength: Int = Int(UInt32.max)) {
        self.maximumMetadataBytes = maximumMetadataBytes
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumDecompressedBufferBytes = maximumDecompressedBufferBytes
        self.maximumDecompressedBatchBytes = maximumDecompressedBatchBytes
        self.maximumSchemaFields = maximumSchemaFields
        self.maximumNestingDepth = maximumNestingDepth
        self.maximumArrayLength = maximumArrayLength
    }

    /// For files and memory the program chose to read: metadata 64 MiB, bodies 1 TiB,
    /// 16 GiB per decompressed buffer and 64 GiB per batch, 131,072 schema fields, nesting 64,
    /// 2^32 - 1 slots per array.
    public static let `default` = IPCLimits()

    /// For bytes from a network peer: metadata 16 MiB, bodies 1 GiB, 1 GiB per decompressed
    /// buffer and 2 GiB per batch, 16,384 schema fields, nesting 32, 2^31 - 1 slots per array.
    public static let network = IPCLimits(maximumMetadataBytes: 16 << 20, maximumBodyBytes: 1 << 30,
                                          maximumDecompressedBufferBytes: 1 << 30, maximumDecompressedBatchBytes: 1 << 31,
                                          maximumSchemaFields: 1 << 14, maximumNestingDepth: 32,
                                          maximumArrayLength: Int(Int32.max))

    /// The value of `limit`.
    public subscript(limit: Limit) -> Int {
        switch limit {
        case .metadataBytes: maximumMetadataBytes
        case .bodyBytes: maximumBodyBytes
        case .decompressedBufferBytes: maximumDecompressedBufferBytes
        case .decompressedBatchBytes: maximumDecompressedBatchBytes
        case .schemaFields: maximumSchemaFields
        case .nestingDepth: maximumNestingDepth
        case .arrayLength: maximumArrayLength
        }
    }

    /// Throws a ``IPCError/Kind/limitExceeded(_:)`` error unless `value` is within `limit`.
    func check(_ limit: Limit, _ value: Int, _ what: @autoclosure () -> String, field: [String] = []) throws(IPCError) {
        let maximum = self[limit]
        guard value <= maximum else { throw IPCError.limitExceeded(limit, value: value, maximum: maximum, what(), field: field) }
    }
}
