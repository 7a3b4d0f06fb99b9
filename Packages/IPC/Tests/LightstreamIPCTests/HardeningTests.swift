import Foundation
import LightstreamArrow
import LightstreamFlatBuffers
import LightstreamFraming
import LightstreamIPC
import Testing
import Vec64

/// Regression tests for inputs that once crashed, hung or exhausted a reader (issue 12): each
/// gives a typed error naming what was wrong, quickly and in bounded memory.
@Suite("Hostile input and limits")
struct HardeningTests {
    // MARK: - Hand-made metadata

    /// An encapsulated IPC message (continuation marker, padded length, metadata) with no body.
    static func frame(_ metadata: [UInt8]) -> [UInt8] {
        var padded = metadata
        while (padded.count + 8) % 8 != 0 { padded.append(0) }
        var out: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        withUnsafeBytes(of: UInt32(padded.count).littleEndian) { out.append(contentsOf: $0) }
        return out + padded
    }

    /// A `Message` FlatBuffer whose header is a Schema built by `fields`.
    static func schemaMessage(version: Int16 = 4, _ build: (inout FlatBufferBuilder) -> (fields: FlatOffset, metadata: FlatOffset?)) -> [UInt8] {
        var b = FlatBufferBuilder()
        let (fields, metadata) = build(&b)
        b.startTable()
        b.add(1, fields)
        b.add(2, metadata)
        let schema = b.endTable()
        b.startTable()
        b.add(0, version, default: Int16(-1))
        b.add(1, UInt8(1), default: 0)     // header type: Schema
        b.add(2, schema)
        return b.finish(root: b.endTable())
    }

    /// A Field table: `name`, type id `typeID` with an empty type table, `children`.
    static func field(_ b: inout FlatBufferBuilder, name: String, typeID: UInt8, children: [FlatOffset]) -> FlatOffset {
        let nameOffset = b.createString(name)
        b.startTable()
        let typeTable = b.endTable()
        let childVector = b.createVector(offsets: children)
        b.startTable()
        b.add(0, nameOffset)
        b.add(1, true)
        b.add(2, typeID, default: 0)
        b.add(3, typeTable)
        b.add(5, childVector)
        return b.endTable()
    }

    func readStream(_ bytes: [UInt8], options: IPCReadOptions = IPCReadOptions()) throws -> Table {
        var reader = try IPCStreamReader(Buffer(copying: bytes), options: options)
        return try reader.readAll()
    }

    @Test func schemaWhoseChildrenShareOneTableIsRefusedNotExpanded() throws {
        // Every struct points both its children at the same table: 40 levels describe 2^40
        // fields in a few kilobytes. Decoding must stop at the field limit.
        // Unnamed fields: names reached again and again are caught by the string budget first.
        let message = Self.schemaMessage { b in
            var child = Self.field(&b, name: "", typeID: 1, children: [])
            for _ in 0..<40 { child = Self.field(&b, name: "", typeID: 13, children: [child, child]) }
            return (b.createVector(offsets: [child]), nil)
        }
        #expect(message.count < 4096)
        let named = Self.schemaMessage { b in
            var child = Self.field(&b, name: "leaf", typeID: 1, children: [])
            for _ in 0..<40 { child = Self.field(&b, name: "s", typeID: 13, children: [child, child]) }
            return (b.createVector(offsets: [child]), nil)
        }
        #expect(throws: IPCError.self) { _ = try readStream(Self.frame(named)) }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try readStream(Self.frame(message))
            Issue.record("an exponential schema was accepted")
        } catch let error as IPCError {
            #expect(error.kind == .limitExceeded(.schemaFields), "\(error)")
        }
        #expect(clock.now - start < .seconds(30))
    }

    @Test func metadataStringsReachedRepeatedlyAreRefused() throws {
        // 20,000 key-value entries all pointing at one pair of 64 KiB strings: 2.6 GB of text from
        // 150 KB of metadata.
        let message = Self.schemaMessage { b in
            let big = b.createString(String(repeating: "k", count: 65_536))
            b.startTable()
            b.add(0, big)
            b.add(1, big)
            let pair = b.endTable()
            let field = Self.field(&b, name: "x", typeID: 1, children: [])
            return (b.createVector(offsets: [field]), b.createVector(offsets: Array(repeating: pair, count: 20_000)))
        }
        #expect(throws: IPCError.self) { _ = try readStream(Self.frame(message)) }
    }

    @Test func nestingDeeperThanTheLimitIsRefused() throws {
        let message = Self.schemaMessage { b in
            var child = Self.field(&b, name: "leaf", typeID: 1, children: [])
            for _ in 0..<40 { child = Self.field(&b, name: "s", typeID: 13, children: [child]) }
            return (b.createVector(offsets: [child]), nil)
        }
        var options = IPCReadOptions()
        options.limits.maximumNestingDepth = 16
        do {
            _ = try readStream(Self.frame(message), options: options)
            Issue.record("nesting past the limit was accepted")
        } catch let error as IPCError {
            #expect(error.kind == .limitExceeded(.nestingDepth), "\(error)")
        }
        #expect(try readStream(Self.frame(message)).schema.fields.count == 1)
    }

    @Test("metadata versions outside V4...V5 are unsupported", arguments: [Int16(5), 9, 2])
    func unknownMetadataVersion(_ version: Int16) throws {
        let message = Self.schemaMessage(version: version) { b in
            (b.createVector(offsets: [Self.field(&b, name: "x", typeID: 1, children: [])]), nil)
        }
        do {
            _ = try readStream(Self.frame(message))
            Issue.record("metadata version \(version) was accepted")
        } catch let error as IPCError {
            #expect(error.kind == .unsupported, "\(error)")
        }
    }

    // MARK: - Compressed bodies

    /// A stream of one batch holding `columns` int64 columns of 1,000 sevens, LZ4-compressed, and
    /// the byte positions of the compressed buffers' 8-byte length prefixes (8,000 each).
    func compressedStream(columns: Int = 1) throws -> (bytes: [UInt8], prefixes: [Int]) {
        let column = Int64Array(Array(repeating: 7, count: 1000))
        let fields = (0..<columns).map { Field("c\($0)", .int64, nullable: false) }
        let batch = try RecordBatch(schema: Schema(fields), columns: Array(repeating: column, count: columns))
        let bytes = try writeStream(try Table(batches: [batch]), options: IPCWriteOptions(codec: CodecBodyCompression.lz4Frame)).array
        let needle: [UInt8] = [0x40, 0x1F, 0, 0, 0, 0, 0, 0]   // Int64(8000), little-endian
        let lz4Magic: [UInt8] = [0x04, 0x22, 0x4D, 0x18]
        // The prefix is followed by the LZ4 frame (whose header may repeat the content size).
        let prefixes = (0...(bytes.count - 12)).filter { Array(bytes[$0..<($0 + 8)]) == needle && Array(bytes[($0 + 8)..<($0 + 12)]) == lz4Magic }
        #expect(prefixes.count == columns)
        return (bytes, prefixes)
    }

    func setInt64(_ bytes: inout [UInt8], at position: Int, _ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { for (i, byte) in $0.enumerated() { bytes[position + i] = byte } }
    }

    @Test("a compressed buffer's declared length is checked before anything is allocated",
          arguments: [Int64(1) << 50, Int64.max, Int64(1) << 36])
    func declaredUncompressedLengthOverTheLimit(_ declared: Int64) throws {
        var (bytes, prefixes) = try compressedStream()
        setInt64(&bytes, at: prefixes[0], declared)
        do {
            _ = try readStream(bytes)
            Issue.record("a declared length of \(declared) was accepted")
        } catch let error as IPCError {
            #expect(error.kind == .limitExceeded(.decompressedBufferBytes), "\(error)")
        }
    }

    @Test func declaredLengthUnderTheLimitButFalseIsAnErrorWithoutReservingIt() throws {
        // 8 GiB declared (under the 16 GiB default): the codec stops when the 20 compressed bytes
        // run out, having allocated what they could produce, not 8 GiB.
        var (bytes, prefixes) = try compressedStream()
        setInt64(&bytes, at: prefixes[0], 1 << 33)
        #expect(throws: IPCError.self) { _ = try readStream(bytes) }
        // Smaller than the data: the codec's output limit stops it.
        setInt64(&bytes, at: prefixes[0], 100)
        #expect(throws: IPCError.self) { _ = try readStream(bytes) }
    }

    @Test func decompressedBytesPerBufferAndPerBatchAreLimits() throws {
        let (bytes, _) = try compressedStream(columns: 2)
        #expect(try readStream(bytes).rowCount == 1000)
        var options = IPCReadOptions()
        options.limits.maximumDecompressedBufferBytes = 4096
        do {
            _ = try readStream(bytes, options: options)
            Issue.record("a buffer over the per-buffer limit was accepted")
        } catch let error as IPCError {
            #expect(error.kind == .limitExceeded(.decompressedBufferBytes), "\(error)")
            #expect(error.description.contains("maximumDecompressedBufferBytes"))
        }
        options = IPCReadOptions()
        options.limits.maximumDecompressedBatchBytes = 12_000
        do {
            _ = try readStream(bytes, options: options)
            Issue.record("a batch over the per-batch limit was accepted")
        } catch let error as IPCError {
            #expect(error.kind == .limitExceeded(.decompressedBatchBytes), "\(error)")
        }
    }

    // MARK: - Lengths

    @Test func nullArraysCannotClaimUnboundedLengths() throws {
        let batch = try RecordBatch(schema: Schema([Field("n", .null)]), columns: [ArrayData(type: .null, length: 1 << 40)])
        let bytes = try writeStream(try Table(batches: [batch]))
        do {
            var reader = try IPCStreamReader(bytes)
            _ = try reader.next()
            Issue.record("a null array of 2^40 slots was accepted")
        } catch let error as IPCError {
            #expect(error.kind == .limitExceeded(.arrayLength), "\(error)")
        }
        var options = IPCReadOptions()
        options.limits.maximumArrayLength = 1 << 41
        var reader = try IPCStreamReader(bytes, options: options)
        #expect(try reader.next()?.length == 1 << 40)
    }

    @Test func aBatchWithoutColumnsKeepsItsRowCount() throws {
        let batch = try RecordBatch(schema: Schema([]), columns: [], length: 17)
        let table = try Table(batches: [batch])
        var reader = try IPCStreamReader(try writeStream(table))
        #expect(try reader.next()?.length == 17)
        #expect(try IPCFileReader(try writeFile(table)).batch(0).length == 17)
    }

    func dictionaryBatch(_ dictionary: [String], index: Int32) throws -> RecordBatch {
        let type = DataType.dictionary(index: .int32, value: .utf8, ordered: false)
        let column = ArrayData(type: type, length: 1, buffers: [Buffer(values: [index])], dictionary: StringArray(dictionary).data)
        return try RecordBatch(schema: Schema([Field("d", type)]), columns: [column])
    }

    @Test func dictionaryDeltasAreJoinedOnceAndBoundedByTheLengthLimit() throws {
        // Each batch's dictionary extends the last one: the writer sends deltas.
        var letters: [String] = []
        var batches: [RecordBatch] = []
        for i in 0..<200 {
            letters.append("v\(i)")
            batches.append(try dictionaryBatch(letters, index: Int32(i)))
        }
        let table = try Table(batches: batches)
        let file = try writeFile(table)
        let stream = try writeStream(table)
        #expect(try IPCFileReader(file).readAll() == table)
        var reader = try IPCStreamReader(stream)
        #expect(try reader.readAll() == table)
        // A dictionary that its deltas grow past the array length limit is refused.
        var options = IPCReadOptions()
        options.limits.maximumArrayLength = 100
        do {
            _ = try IPCFileReader(file, options: options)
            Issue.record("deltas past the limit were accepted")
        } catch let error as IPCError {
            #expect(error.kind == .limitExceeded(.arrayLength), "\(error)")
        }
    }

    // MARK: - File footers

    @Test("footer blocks too short to hold a length prefix are refused", arguments: [Int32(1), 2, 3, 7])
    func footerBlockWithTinyMetadata(_ metadataLength: Int32) throws {
        var bytes = try writeFile(try Table(batches: [try RoundTripTests.sample])).array
        let n = bytes.count
        let footerLength = Int(bytes[(n - 10)..<(n - 6)].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
        let footerStart = n - 10 - footerLength
        let footer = try FlatBuffer(Buffer(copying: Array(bytes[footerStart..<(n - 10)]))).root()
        let blocks = try #require(try footer.vector(3, elementSize: 24))
        // Point the first record batch block at the last bytes of the file with a tiny metadata length.
        let block = footerStart + blocks.start
        setInt64(&bytes, at: block, Int64(n - Int(metadataLength)))
        withUnsafeBytes(of: metadataLength.littleEndian) { for (i, byte) in $0.enumerated() { bytes[block + 8 + i] = byte } }
        setInt64(&bytes, at: block + 16, 0)
        #expect(throws: IPCError.self) { _ = try IPCFileReader(Buffer(copying: bytes)).readAll() }
    }

    // MARK: - Errors

    @Test func errorsCarryAKindAProgramCanSwitchOn() throws {
        let truncated = try writeStream(try Table(batches: [try RoundTripTests.sample])).array.dropLast(20)
        do {
            _ = try readStream(Array(truncated))
            Issue.record("a truncated stream was accepted")
        } catch let error as IPCError {
            #expect(error.kind == .truncated, "\(error)")
        }
        var options = IPCReadOptions()
        options.limits.maximumBodyBytes = 16
        do {
            _ = try readStream(try writeStream(try Table(batches: [try RoundTripTests.sample])).array, options: options)
            Issue.record("a body over the limit was accepted")
        } catch let error as IPCError {
            #expect(error.kind == .limitExceeded(.bodyBytes), "\(error)")
        }
        #expect(IPCLimits.network.maximumBodyBytes < IPCLimits.default.maximumBodyBytes)
        #expect(IPCLimits.Limit.allCases.allSatisfy { IPCLimits.network[$0] <= IPCLimits.default[$0] })
    }

    @Test func aStreamCutAtAMessageBoundarySaysItHadNoEndMarker() throws {
        let bytes = try writeStream(try Table(batches: [try RoundTripTests.sample]))
        var complete = try IPCStreamReader(bytes)
        _ = try complete.readAll()
        #expect(complete.sawEndOfStream)
        var cut = try IPCStreamReader(bytes.slice(0..<(bytes.count - 8)))   // without the 8-byte marker
        #expect(try cut.readAll().rowCount == 6)
        #expect(!cut.sawEndOfStream)
    }
}
