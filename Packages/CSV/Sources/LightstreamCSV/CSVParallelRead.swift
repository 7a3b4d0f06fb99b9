import Dispatch
import LightstreamArrow
import LightstreamFraming
import Vec64

extension CSVDecoder {
    /// Decodes a whole input held in memory. The first block is decoded first (header, types);
    /// with more than one thread the rest is cut into chunks at row boundaries, found by counting
    /// quotes, and the chunks are decoded at once, keeping row order. Where counting quotes could
    /// mislead (a stray quote, an escape character) or a chunk fails, decoding goes on serially
    /// from that chunk, so results and errors are the ones a serial read gives.
    mutating func decodeAll(_ input: Buffer, threads: Int) throws(CSVError) -> [RecordBatch] {
        var batches: [RecordBatch] = []
        var position = 0
        func serial(from start: Int, into batches: inout [RecordBatch]) throws(CSVError) -> Int {
            var at = start
            while at < input.count || !emitted {
                guard case let .frame(batch, consumed)? = try step(ByteWindow(input.slice(at..<input.count), streamOffset: at), isFinal: true) else { break }
                batches.append(batch)
                at += consumed
            }
            return at
        }
        // The first block, serially: it fixes the header and the column types.
        if case let .frame(batch, consumed)? = try step(ByteWindow(input, streamOffset: 0), isFinal: true) {
            batches.append(batch)
            position = consumed
        } else {
            return batches
        }
        let remaining = input.count - position
        let parallel = threads > 1 && options.escape == nil && options.quote != nil && !options.dictionaryEncodeStrings
            && strayQuotes == 0 && remaining >= 4 * blockSize
        guard parallel else {
            _ = try serial(from: position, into: &batches)
            return batches
        }
        let chunks = chunkBoundaries(input, from: position, size: max(4 * blockSize, remaining / (threads * 4)))
        /// What one chunk decoded to, with the rows it saw.
        struct ChunkResult { var batches: [RecordBatch]; var decoder: CSVDecoder }
        struct Shared: @unchecked Sendable {
            let results: UnsafeMutableBufferPointer<Result<ChunkResult, CSVError>?>
            let input: Buffer
            let chunks: [Range<Int>]
            let template: CSVDecoder
        }
        let results = UnsafeMutableBufferPointer<Result<ChunkResult, CSVError>?>.allocate(capacity: chunks.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        var template = self
        template.nextRow = 0
        template.skippedRows = 0
        template.skippedRowSamples = []
        template.rowsDecoded = 0
        template.strayQuotes = 0
        template.columnThreads = 1
        let shared = Shared(results: results, input: input, chunks: chunks, template: template)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
            var decoder = shared.template
            var out: [RecordBatch] = []
            let range = shared.chunks[k]
            var at = range.lowerBound
            do throws(CSVError) {
                while at < range.upperBound {
                    let window = ByteWindow(shared.input.slice(at..<range.upperBound), streamOffset: at)
                    guard case let .frame(batch, consumed)? = try decoder.step(window, isFinal: true) else { break }
                    out.append(batch)
                    at += consumed
                }
                shared.results[k] = .success(ChunkResult(batches: out, decoder: decoder))
            } catch {
                shared.results[k] = .failure(error)
            }
        }
        // Take the chunks in order while they are trustworthy; go on serially from the first
        // that is not.
        for (k, range) in chunks.enumerated() {
            guard case let .success(chunk)? = results[k], chunk.decoder.strayQuotes == 0 else {
                _ = try serial(from: range.lowerBound, into: &batches)
                return batches
            }
            batches.append(contentsOf: chunk.batches)
            let base = nextRow
            nextRow += chunk.decoder.nextRow
            rowsDecoded += chunk.decoder.rowsDecoded
            skippedRows += chunk.decoder.skippedRows
            let samples = chunk.decoder.skippedRowSamples.map { SkippedRow(row: $0.row + base, byteOffset: $0.byteOffset, fieldCount: $0.fieldCount) }
            skippedRowSamples.append(contentsOf: samples.prefix(max(0, 100 - skippedRowSamples.count)))
        }
        return batches
    }

    /// Chunks of about `size` bytes from `start` to the end, each ending after a newline outside
    /// quotes (quotes counted from `start`, a row boundary).
    private func chunkBoundaries(_ input: Buffer, from start: Int, size: Int) -> [Range<Int>] {
        let quote = options.quote ?? 0
        return input.withUnsafeBytes { bytes in
            var chunks: [Range<Int>] = []
            var begin = start
            var inQuotes = false
            var i = start
            while begin < bytes.count {
                let target = begin + size
                if target >= bytes.count {
                    chunks.append(begin..<bytes.count)
                    break
                }
                // Quote parity up to the target, then the first newline outside quotes after it.
                while i < target {
                    if bytes[i] == quote { inQuotes.toggle() }
                    i += 1
                }
                while i < bytes.count {
                    let b = bytes[i]
                    i += 1
                    if b == quote { inQuotes.toggle() } else if b == UInt8(ascii: "\n") && !inQuotes { break }
                }
                chunks.append(begin..<i)
                begin = i
            }
            return chunks
        }
    }
}

extension TextBatchReader where Decoder == CSVDecoder, Source == BufferSource {
    /// Reads CSV text held in memory as one table. With ``CSVReadOptions/threads`` other than 1,
    /// blocks after the first are decoded on several threads (0: one per core); the batches, their
    /// order and any error are those of a serial read.
    public static func readTable(_ input: Buffer, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) -> Table {
        var decoder = try CSVDecoder(options: options)
        let batches = try decoder.decodeAll(input, threads: options.threads == 0 ? Processors.count : options.threads)
        do {
            return try Table(schema: decoder.schema ?? Schema([]), batches: batches)
        } catch {
            throw CSVError(.schemaMismatch(error.description))
        }
    }
}

extension TextBatchReader where Decoder == CSVDecoder, Source == OwnedFileSource {
    /// Reads the CSV file at `path` into memory and decodes it as one table (see
    /// ``CSVReader/readTable(_:options:)``: blocks on several threads with
    /// ``CSVReadOptions/threads``). Memory holds the file and the table; stream big files with
    /// ``CSVReader/init(path:options:)`` instead.
    public static func readTable(path: String, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) -> Table {
        var source = try OwnedFileSource.opening(path)
        var buffer = StreamBuffer(maximumBytes: Int.max >> 1, chunkSize: 1 << 20)
        do {
            while try source.read(into: &buffer, minimumCapacity: 1 << 20) {}
        } catch {
            throw CSVError(.io("cannot read \(path): \(error)"))
        }
        return try CSVReader<BufferSource>.readTable(buffer.window.bytes, options: options)
    }
}
