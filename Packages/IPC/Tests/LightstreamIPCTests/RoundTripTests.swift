import Foundation
import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import Testing
import Vec64

func writeStream(_ table: Table, options: IPCWriteOptions = IPCWriteOptions()) throws -> Buffer {
    var writer = try IPCStreamWriter(sink: MemorySink(), schema: table.schema, options: options)
    try writer.write(table)
    return try writer.finish().buffer
}

func writeFile(_ table: Table, options: IPCWriteOptions = IPCWriteOptions()) throws -> Buffer {
    var writer = try IPCFileWriter(sink: MemorySink(), schema: table.schema, options: options)
    try writer.write(table)
    return try writer.finish().buffer
}

@Suite("IPC round trips")
struct RoundTripTests {
    static let readable = Corpus.cases.filter { !$0.hasPrefix("1.0.0-bigendian") }

    @Test("gold cases survive our writer", arguments: readable)
    func goldRoundTrip(_ name: String) throws {
        let original = try IPCFileReader(try Corpus.load(Corpus.integration + "/" + name + ".arrow_file")).readAll()
        for alignment in [8, 64] {
            let options = IPCWriteOptions(alignment: alignment)
            var stream = try IPCStreamReader(try writeStream(original, options: options))
            #expect(try stream.readAll() == original, "stream, alignment \(alignment)")
            let file = try IPCFileReader(try writeFile(original, options: options))
            #expect(try file.readAll() == original, "file, alignment \(alignment)")
        }
    }

    static var sample: RecordBatch {
        get throws {
            var cities = DictionaryBuilder<Int8, String>()
            for c in ["Oslo", "Lima", nil, "Oslo", "Kyoto", "Lima"] as [String?] { cities.append(c) }
            return try RecordBatch([
                "id": Int64Array([1, 2, nil, 4, 5, 6]),
                "name": StringArray(["a", "bb", nil, "dddd", "", "f"]),
                "score": Float64Array([0.5, nil, 2.5, 3.5, 4.5, 5.5]),
                "flags": BooleanArray([true, false, nil, true, true, false]),
                "tags": ListArray([["x"], [], nil, ["y", "z"], ["w"], nil] as [[String?]?]),
                "city": cities.finish(),
            ])
        }
    }

    @Test("sliced batches are written as exactly their rows", arguments: [0, 1, 2, 3])
    func slicedBatches(_ start: Int) throws {
        let batch = try Self.sample
        let slice = batch.slice(start..<batch.length)
        let table = try Table(batches: [slice])
        var stream = try IPCStreamReader(try writeStream(table))
        let back = try stream.readAll()
        #expect(back == table)
        #expect(back.batches.first?.columns.allSatisfy { $0.offset == 0 } == true)
    }

    @Test func bodiesAre64ByteAlignedAndReadWithoutCopies() throws {
        let table = try Table(batches: [try Self.sample])
        let bytes = try writeStream(table)
        var reader = try IPCStreamReader(bytes)
        let batch = try #require(try reader.next())
        for column in batch.columns {
            for buffer in column.buffers where buffer.count > 0 {
                #expect(buffer.isAligned(to: 64))
                #expect(buffer.sharesOwner(with: bytes))
            }
        }
        #expect(reader.statistics.realignedBodies == 0)
        let file = try writeFile(table)
        let fromFile = try IPCFileReader(file).batch(0)
        #expect(fromFile.columns[0].buffers[0].isAligned(to: 64))
        #expect(fromFile.columns[0].buffers[0].sharesOwner(with: file))
    }

    @Test func maximumBatchRowsSplitsTables() throws {
        let batch = try Self.sample
        let table = try Table(batches: [batch])
        let file = try IPCFileReader(try writeFile(table, options: IPCWriteOptions(maximumBatchRows: 4)))
        #expect(file.batchCount == 2)
        #expect(try file.readAll() == table)
    }

    func cityBatch(_ values: [String]) throws -> RecordBatch {
        var b = DictionaryBuilder<Int32, String>()
        for v in values { b.append(v) }
        return try RecordBatch(["city": b.finish()])
    }

    @Test func dictionaryDeltasAndReplacementsInStreams() throws {
        let first = try cityBatch(["a", "b", "a"])
        let grown = try cityBatch(["a", "b", "c"])       // dictionary [a, b, c]: a delta of [c]
        let replaced = try cityBatch(["z", "y"])          // a different dictionary: a replacement
        let table = try Table(batches: [first, grown, replaced])
        var reader = try IPCStreamReader(try writeStream(table))
        #expect(try reader.readAll() == table)
    }

    @Test func fileFormatRefusesDictionaryReplacement() throws {
        let table = try Table(batches: [try cityBatch(["a"]), try cityBatch(["b"])])
        #expect(throws: IPCError.self) { try writeFile(table) }
        let grown = try Table(batches: [try cityBatch(["a"]), try cityBatch(["a", "b"])])
        #expect(try IPCFileReader(try writeFile(grown)).readAll() == grown)
    }

    @Test func streamsReadFromSmallChunksAndFileDescriptors() throws {
        let table = try Table(batches: [try Self.sample, try Self.sample.slice(1..<3)])
        let bytes = try writeStream(table)
        var chunked = try IPCStreamReader(source: BufferSource(bytes.array, chunkSize: 7))
        #expect(try chunked.readAll() == table)
    }

    @Test func emptyTableWritesSchemaOnly() throws {
        let schema = Schema([Field("x", .int32)])
        let table = try Table(schema: schema, batches: [])
        var stream = try IPCStreamReader(try writeStream(table))
        #expect(try stream.readAll() == table)
        #expect(try IPCFileReader(try writeFile(table)).batchCount == 0)
    }
}

@Suite("IPC message codec on the Framing protocols")
struct MessageCodecTests {
    @Test func encoderAndDecoderRoundTripThroughAFrameWriterAndReader() throws {
        let table = try Table(batches: [try RoundTripTests.sample])
        let stream = try writeStream(table)
        // Decode the messages, re-encode them with the public encoder, decode again.
        var reader = FrameReader(decoder: IPCMessageDecoder(), source: BufferSource([stream]))
        var writer = FrameWriter(encoder: IPCMessageEncoder(alignment: 64), sink: MemorySink())
        var kinds: [String] = []
        while let frame = try reader.next() {
            switch frame {
            case let .message(message):
                kinds.append("\(message.kind)")
                try writer.write(.message(metadata: message.metadata.array, body: [message.body], bodyLength: message.body.count))
            case .endOfStream:
                kinds.append("end")
                try writer.write(.endOfStream)
            }
        }
        #expect(kinds == ["schema", "dictionaryBatch", "recordBatch", "end"])
        var again = try IPCStreamReader(try writer.finish().buffer)
        #expect(try again.readAll() == table)
    }

    @Test func endOfStreamAndLegacyFraming() throws {
        var decoder = IPCMessageDecoder()
        let eos = ByteWindow(Buffer(copying: [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0] as [UInt8]))
        guard case let .frame(.endOfStream, consumed) = try decoder.decode(eos) else { Issue.record("no end of stream"); return }
        #expect(consumed == 8)
        let legacy = ByteWindow(Buffer(copying: [0, 0, 0, 0] as [UInt8]))
        guard case let .frame(.endOfStream, legacyConsumed) = try decoder.decode(legacy) else { Issue.record("no legacy end of stream"); return }
        #expect(legacyConsumed == 4)
        #expect(throws: FramingError.self) { try decoder.decode(ByteWindow(Buffer(copying: [0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0xFF, 0xFF, 0xFF] as [UInt8]))) }
    }
}
