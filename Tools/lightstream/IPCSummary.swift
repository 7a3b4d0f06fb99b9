import Lightstream

/// What an IPC file or stream holds, from its messages' metadata alone (bodies are neither
/// decompressed nor decoded): record batches, rows, dictionary batches and the body codecs used.
struct IPCSummary {
    /// Slots of the `RecordBatch` table (Message.fbs).
    enum RecordBatchField {
        /// `length: long`, the batch's row count.
        static let length = 0
        /// `compression: BodyCompression`.
        static let compression = 3
    }

    /// Slots of the `BodyCompression` table (Message.fbs).
    enum BodyCompressionField {
        /// `codec: CompressionType` (byte).
        static let codec = 0
    }

    /// Slots of the `DictionaryBatch` table (Message.fbs).
    enum DictionaryBatchField {
        /// `data: RecordBatch`.
        static let data = 1
    }

    /// Whether the bytes are an IPC file (else a stream).
    var isFile: Bool
    var batches = 0
    var rows = 0
    var dictionaryBatches = 0
    /// The codecs named by the batches' `BodyCompression` (empty: uncompressed).
    var compressions: Set<String> = []

    init(_ bytes: Buffer) throws {
        isFile = ArrowIO.isFile(bytes)
        // A file holds a stream after its 8-byte magic, then its footer.
        let start = isFile ? 8 : 0
        var reader = FrameReader(decoder: IPCMessageDecoder(), source: BufferSource([bytes.slice(start..<bytes.count)]))
        scan: while true {
            let frame: IPCFrame?
            do {
                frame = try reader.next()
            } catch {
                // A file whose writer left out the end-of-stream marker runs into its footer.
                if isFile { break scan }
                throw error
            }
            guard case let .message(message)? = frame else { break scan }
            switch message.kind {
            case .recordBatch:
                batches += 1
                rows += Int(try message.header.scalar(RecordBatchField.length, default: Int64(0)))
                let compression = try message.header.table(RecordBatchField.compression)
                note(try compression.map { try $0.scalar(BodyCompressionField.codec, default: Int8(0)) })
            case .dictionaryBatch:
                dictionaryBatches += 1
                let compression = try message.header.table(DictionaryBatchField.data).flatMap { try $0.table(RecordBatchField.compression) }
                note(try compression.map { try $0.scalar(BodyCompressionField.codec, default: Int8(0)) })
            default:
                break
            }
        }
        if isFile {
            // The footer is what file readers go by.
            let file = try IPCFileReader(bytes)
            if file.batchCount != batches {
                batches = file.batchCount
                rows = try (0..<file.batchCount).reduce(0) { $0 + (try file.batch($1)).length }
            }
        }
    }

    /// Notes the codec a batch's `BodyCompression` names, if it has one.
    mutating func note(_ codec: Int8?) {
        guard let codec else { return }
        let name = switch IPCCompression(rawValue: codec) {
        case .lz4Frame: "lz4_frame"
        case .zstd: "zstd"
        case nil: "unknown codec \(codec)"
        }
        compressions.insert(name)
    }
}
