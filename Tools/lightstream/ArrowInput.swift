import Foundation
import Lightstream
#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing Arrow data for the CLI: IPC files and streams by path or `-`.
enum ArrowIO {
    /// The bytes of `path`, or of standard input for `-`.
    /// Files are memory-mapped (no copy: arrays point into the page cache); stdin, pipes and
    /// other descriptors that cannot be mapped are read.
    static func readBytes(_ path: String) throws -> Buffer {
        if path == "-" {
            return FileHandle.standardInput.readDataToEndOfFile().withUnsafeBytes { Buffer(copying: $0) }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw CLIError("cannot read \(path): \(systemMessage(errno))") }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            throw CLIError("cannot read \(path): it is a directory")
        case S_IFREG where info.st_size > 0:
            do {
                return try MemoryMap.map(path: path, hint: .sequential)
            } catch {
                throw CLIError("cannot read \(path): \(error.reason)")
            }
        default:
            // Empty files, FIFOs, /dev/stdin: read them.
            guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("cannot read \(path): \(systemMessage(errno))") }
            defer { try? handle.close() }
            return handle.readDataToEndOfFile().withUnsafeBytes { Buffer(copying: $0) }
        }
    }

    /// Checks that `path` can be opened for reading and is not a directory, with errors that say
    /// why ("cannot read x.csv: no such file or directory").
    static func checkReadable(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CLIError("cannot read \(path): \(systemMessage(errno))") }
        if info.st_mode & S_IFMT == S_IFDIR { throw CLIError("cannot read \(path): it is a directory") }
        guard access(path, R_OK) == 0 else { throw CLIError("cannot read \(path): \(systemMessage(errno))") }
    }

    /// The size of `path` when it is a regular file (not `-`, a pipe or a device).
    static func regularFileSize(_ path: String) -> Int? {
        var info = stat()
        guard path != "-", stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Whether `a` and `b` name the same existing file (so writing one would destroy the other).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        guard a != "-", b != "-" else { return false }
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Opens `path` for writing (created or replaced), or standard output for `-`.
    static func openForWriting(_ path: String) throws -> Int32 {
        if path == "-" { return 1 }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            let why = switch code {
            case ENOENT: "no such directory"
            case ENOTDIR: "a parent is not a directory"
            case EISDIR: "it is a directory"
            default: systemMessage(code)
            }
            throw CLIError("cannot write \(path): \(why)")
        }
        return fd
    }

    /// Whether bytes hold an IPC file (the ARROW1 magic) rather than a stream.
    static func isFile(_ bytes: Buffer) -> Bool {
        bytes.count >= 6 && bytes.slice(0..<6).array == Array("ARROW1".utf8)
    }

    /// What `bytes` look like when they are plainly not Arrow IPC (Parquet, CSV, JSON, text, an
    /// archive, nothing), for an error that names it; `nil` when they could be Arrow IPC.
    static func sniff(_ bytes: Buffer) -> String? {
        if bytes.isEmpty { return "is empty (0 bytes), not Arrow IPC" }
        let head = bytes.slice(0..<min(bytes.count, 4096)).array
        if isFile(bytes) || head.starts(with: [0xFF, 0xFF, 0xFF, 0xFF]) { return nil }
        if head.starts(with: Array("PAR1".utf8)) { return "looks like Parquet, not Arrow IPC" }
        if head.starts(with: [0x1F, 0x8B]) { return "looks like gzip-compressed data, not Arrow IPC" }
        if head.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return "looks like Zstandard-compressed data, not Arrow IPC" }
        if head.starts(with: Array("PK".utf8) + [3, 4]) { return "looks like a ZIP archive, not Arrow IPC" }
        guard looksLikeText(head) else { return nil }
        let text = String(decoding: head, as: UTF8.self)
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") { return "looks like JSON, not Arrow IPC" }
        if ["GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "HTTP/"].contains(where: { text.hasPrefix($0) }) {
            return "looks like HTTP, not Arrow IPC"
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        if let first = lines.first, first.contains(",") || first.contains("\t") || first.contains(";"), lines.count > 1 || !text.hasSuffix("\n") {
            return "looks like CSV, not Arrow IPC"
        }
        return "looks like text, not Arrow IPC"
    }

    /// Whether `head` is UTF-8 text: no NUL or other control bytes than tab, newline and return.
    static func looksLikeText(_ head: [UInt8]) -> Bool {
        guard head.allSatisfy({ $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return false }
        // A multi-byte character cut at the end of the sample is still text.
        var sample = head
        while let last = sample.last, last >= 0x80, String(validating: sample, as: UTF8.self) == nil, head.count - sample.count < 4 {
            sample.removeLast()
        }
        return String(validating: sample, as: UTF8.self) != nil
    }

    /// Reads an IPC file or stream, told apart by content; input that is plainly something else
    /// is named ("looks like CSV, not Arrow IPC").
    static func readTable(_ path: String) throws -> Table {
        try readTable(try readBytes(path), from: path)
    }

    /// Reads the IPC file or stream in `bytes`, read from `path`.
    static func readTable(_ bytes: Buffer, from path: String) throws -> Table {
        if let what = sniff(bytes) { throw notIPC(path, what) }
        if isFile(bytes) { return try IPCFileReader(bytes).readAll() }
        var reader = try IPCStreamReader(bytes)
        return try reader.readAll()
    }

    /// The error for input that is plainly not Arrow IPC; CSV- and JSON-looking input gets a hint.
    static func notIPC(_ path: String, _ what: String) -> CLIError {
        let hint = what.contains("Parquet") ? ": name it .parquet, or pass --from parquet"
            : what.contains("CSV") ? ": name it .csv or .tsv, or pass --from csv"
            : what.contains("JSON") ? ": if it is JSON Lines (one object per line), name it .jsonl or .ndjson, or pass --from jsonl" : ""
        return CLIError("\(displayName(path)) \(what)\(hint)")
    }

    /// `path`, or "standard input" for `-`.
    static func displayName(_ path: String) -> String { path == "-" ? "standard input" : path }

    enum Format { case file, stream }

    /// The output format a path's extension names.
    static func format(of path: String) throws -> Format {
        if path == "-" { return .stream }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "arrow", "feather", "ipc": return .file
        case "arrows", "stream": return .stream
        default: throw CLIError("cannot tell the format of '\(path)': use .arrow, .feather or .ipc for an IPC file, .arrows or .stream for an IPC stream, - for a stream on stdout")
        }
    }

    /// The bytes of `table` in the format `path`'s extension names.
    static func encode(_ table: Table, for path: String, options: IPCWriteOptions) throws -> Buffer {
        switch try format(of: path) {
        case .stream:
            var writer = try IPCStreamWriter(sink: MemorySink(), schema: table.schema, options: options)
            try writer.write(table)
            return try writer.finish().buffer
        case .file:
            let unified = try DictionaryUnifier.unify(table)
            var writer = try IPCFileWriter(sink: MemorySink(), schema: unified.schema, options: options)
            try writer.write(unified)
            return try writer.finish().buffer
        }
    }

    /// Writes `table` to `path` in the format its extension names; returns the bytes written.
    @discardableResult
    static func write(_ table: Table, to path: String, options: IPCWriteOptions) throws -> Int {
        let bytes = try encode(table, for: path, options: options)
        try writeFile(bytes, to: path)
        return bytes.count
    }

    /// Checks, before any work, that `path` can be created or replaced: its folder exists and
    /// is writable.
    static func checkWritable(_ path: String) throws {
        if path == "-" { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw CLIError("cannot write \(path): \(errno == ENOENT ? "no such directory" : systemMessage(errno))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw CLIError("cannot write \(path): \(folder) is not a directory") }
        guard access(folder, W_OK) == 0 else { throw CLIError("cannot write \(path): \(systemMessage(errno)) (\(folder))") }
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { throw CLIError("cannot write \(path): it is a directory") }
    }

    /// Writes `bytes` to `path` (created or replaced), or to standard output for `-`, with
    /// errors that say what went wrong ("cannot write OUT: no such directory").
    static func writeFile(_ bytes: Buffer, to path: String) throws {
        let fd = try openForWriting(path)
        defer { if fd != 1 { close(fd) } }
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CLIError("cannot write \(path == "-" ? "standard output" : path): \(systemMessage(errno))")
                }
                done += n
            }
        }
    }

    /// "No such file or directory" as "no such file or directory".
    static func systemMessage(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}

/// A CLI failure: printed as `error: ...` with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Gives every top-level dictionary-encoded column one dictionary across all batches (the IPC
/// file format forbids replacing a dictionary): the distinct dictionaries are concatenated and
/// each batch's indices shifted to its dictionary's place.
enum DictionaryUnifier {
    static func unify(_ table: Table) throws -> Table {
        var columns = table.batches.map(\.columns)
        for (c, field) in table.schema.fields.enumerated() {
            guard case let .dictionary(indexType, valueType, _) = field.type else { continue }
            var distinct: [ArrayData] = []
            var base: [Int] = []
            for batch in table.batches {
                guard let dictionary = batch.columns[c].dictionary else { continue }
                if let i = distinct.firstIndex(where: { $0.logicallyEquals(dictionary) }) {
                    base.append(distinct[..<i].reduce(0) { $0 + $1.length })
                } else if let last = distinct.last, dictionary.length > last.length, dictionary.slice(0..<last.length).logicallyEquals(last), distinct.count == 1 {
                    // A grown dictionary: the writer sends it as a delta.
                    distinct[0] = dictionary
                    base.append(0)
                } else {
                    base.append(distinct.reduce(0) { $0 + $1.length })
                    distinct.append(dictionary)
                }
            }
            guard distinct.count > 1 else { continue }
            let merged = try concatenateAll(distinct, type: valueType)
            for b in table.batches.indices {
                let column = columns[b][c]
                var indices = PrimitiveBuilder<Int64>()
                for i in 0..<column.length {
                    if column.isNull(i) { indices.appendNull() } else { indices.append(Int64(column.integerValue(at: i) + base[b])) }
                }
                let wide = indices.finish()
                columns[b][c] = try narrow(wide, to: indexType, dictionary: merged, type: field.type, length: merged.length)
            }
        }
        return try Table(name: table.name, schema: table.schema,
                         batches: columns.map { try RecordBatch(schema: table.schema, columns: $0) })
    }

    static func concatenateAll(_ parts: [ArrayData], type: DataType) throws -> ArrayData {
        switch type {
        case .utf8, .largeUtf8, .utf8View:
            let strings = try parts.flatMap { Array(try StringArray($0)) }
            return StringArray(strings, type: type).data
        case .binary, .largeBinary:
            let values = try parts.flatMap { Array(try BinaryArray($0)) }
            return BinaryArray(values, type: type).data
        default:
            guard let width = type.byteWidth else { throw CLIError("cannot unify dictionaries of type \(type) for an IPC file; write a stream instead") }
            var bytes = Vec64<UInt8>()
            var validity = Bitmap()
            for part in parts {
                bytes.append(contentsOf: part.buffers[0].slice(part.offset * width..<(part.offset + part.length) * width).array)
                for i in 0..<part.length { validity.append(!part.isNull(i)) }
            }
            let length = parts.reduce(0) { $0 + $1.length }
            return ArrayData(type: type, length: length, validity: validity.unsetBitCount > 0 ? validity.alignedBuffer() : nil, buffers: [bytes.freeze()])
        }
    }

    static func narrow(_ indices: ArrayData, to indexType: DataType, dictionary: ArrayData, type: DataType, length: Int) throws -> ArrayData {
        let wide = try PrimitiveArray<Int64>(indices)
        func build<T: ArrowNativeType & FixedWidthInteger>(_: T.Type) throws -> Buffer {
            var out = Vec64<T>(minimumCapacity: wide.length)
            for i in 0..<wide.length {
                let v = wide.value(at: i)
                guard let narrowed = T(exactly: v) else { throw CLIError("unified dictionary of \(length) values does not fit \(indexType) indices") }
                out.append(wide.isNull(i) ? 0 : narrowed)
            }
            return out.freeze()
        }
        let buffer: Buffer = switch indexType {
        case .int8: try build(Int8.self)
        case .int16: try build(Int16.self)
        case .int32: try build(Int32.self)
        case .uint8: try build(UInt8.self)
        case .uint16: try build(UInt16.self)
        case .uint32: try build(UInt32.self)
        case .uint64: try build(UInt64.self)
        default: try build(Int64.self)
        }
        return ArrayData(type: type, length: indices.length, validity: indices.validity, buffers: [buffer], dictionary: dictionary, nullCount: indices.nullCount)
    }
}
