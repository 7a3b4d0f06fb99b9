import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import LightstreamStreams
import LightstreamTLV
import Testing
import Vec64

@Suite("Message connections", .timeLimit(.minutes(3)))
struct MessageConnectionTests {
    struct Greeting: Codable, Equatable {
        var text: String
        var count: Int
    }

    func types(_ schema: Schema) -> ConnectionTypes {
        var types = ConnectionTypes()
        types.registerMessage("greeting")
        types.registerTable("data", schema: schema)
        types.registerMessage("raw")
        return types
    }

    /// Everything a sender wrote, received.
    func receiveAll(_ bytes: Buffer, types: ConnectionTypes, chunkSize: Int = 1000) async throws -> [ReceivedMessage] {
        var received: [ReceivedMessage] = []
        for try await message in MessageReceiver(types: types, source: MemoryByteStream(bytes, chunkSize: chunkSize)) {
            received.append(message)
        }
        return received
    }

    @Test("messages and tables arrive in order with their names", arguments: [7, 1000, 1 << 20])
    func roundTrip(chunkSize: Int) async throws {
        let table = try sampleTable(rows: 200, batches: 3)
        let types = types(table.schema)
        let collecting = CollectingSink()
        var sender = MessageSender(types: types, sink: collecting)
        try await sender.send(name: "greeting", Greeting(text: "hello", count: 1))
        try await sender.sendTable(name: "data", table)
        try await sender.send(name: "raw", Buffer(copying: [1, 2, 3]))
        try await sender.sendTable(name: "data", table)
        try await sender.send(name: "raw", Buffer())
        try await sender.close()
        let received = try await receiveAll(collecting.bytes, types: types, chunkSize: chunkSize)
        #expect(received.map(\.name) == ["greeting", "data", "raw", "data", "raw"])
        guard case let .message(_, payload) = received[0] else { Issue.record("not a message"); return }
        let receiver = MessageReceiver(types: types, source: MemoryByteStream(Buffer()))
        #expect(try receiver.decode(Greeting.self, from: payload) == Greeting(text: "hello", count: 1))
        for index in [1, 3] {
            guard case let .table(_, back) = received[index] else { Issue.record("not a table"); continue }
            #expect(back == table)
        }
        guard case let .message(_, raw) = received[2], case let .message(_, empty) = received[4] else { return }
        #expect(Array(raw.withUnsafeBytes { Array($0) }) == [1, 2, 3])
        #expect(empty.isEmpty)
    }

    @Test("the schema is sent once per table type")
    func schemaOnce() async throws {
        let table = try sampleTable(rows: 10, batches: 1)
        let types = types(table.schema)
        let collecting = CollectingSink()
        var sender = MessageSender(types: types, sink: collecting)
        for _ in 0..<3 { try await sender.sendTable(name: "data", table) }
        try await sender.close()
        // Reassemble the IPC bytes of tag 1 and count schema messages.
        var frames = FrameReader(decoder: TLVDecoder(), source: BufferSource([collecting.bytes]))
        var ipc: [UInt8] = []
        while let frame = try frames.next() { frame.value.withUnsafeBytes { ipc.append(contentsOf: $0) } }
        var messages = FrameReader(decoder: IPCMessageDecoder(), source: BufferSource([Buffer(copying: ipc)]))
        var kinds: [IPCMessageKind] = []
        while case let .message(message)? = try messages.next() { kinds.append(message.kind) }
        #expect(kinds.filter { $0 == .schema }.count == 1)
        #expect(kinds.filter { $0 == .recordBatch }.count == 3)
    }

    @Test("an unknown tag is a typed error with the frame's offset")
    func unknownTag() async throws {
        var bytes: [UInt8] = [0, 2, 0, 0, 0, 65, 66]           // greeting, 2 bytes
        bytes += [9, 1, 0, 0, 0, 0]                            // tag 9: not registered
        let types = types(try sampleTable(rows: 1, batches: 1).schema)
        await #expect(throws: ConnectionError(.unknownTag(9), at: 7)) {
            _ = try await receiveAll(Buffer(copying: bytes), types: types)
        }
    }

    @Test("an oversized frame is refused before it is buffered")
    func oversized() async throws {
        let bytes: [UInt8] = [0, 0xFF, 0xFF, 0xFF, 0x7F]
        let types = types(try sampleTable(rows: 1, batches: 1).schema)
        var receiver = MessageReceiver(types: types, source: MemoryByteStream(Buffer(copying: bytes)), maximumPayloadLength: 1 << 20)
        await #expect {
            _ = try await receiver.next()
        } throws: { error in
            guard let error = error as? FramingError, case .frameTooLarge = error.kind else { return false }
            return true
        }
        #expect(try await receiver.next() == nil)
    }

    @Test("a table whose schema differs from the registration is refused on both sides")
    func schemaMismatch() async throws {
        let table = try sampleTable(rows: 10, batches: 1)
        let other = try Table(batches: [try RecordBatch(["x": Int64Array([1, 2, 3])])])
        // Sending side.
        var sender = MessageSender(types: types(table.schema), sink: CollectingSink())
        await #expect(throws: ConnectionError.self) { try await sender.sendTable(name: "data", other) }
        // Receiving side: the peer registered another schema under the same tag.
        let collecting = CollectingSink()
        var peer = MessageSender(types: types(other.schema), sink: collecting)
        try await peer.sendTable(name: "data", other)
        try await peer.close()
        await #expect {
            _ = try await receiveAll(collecting.bytes, types: types(table.schema))
        } throws: { error in
            guard let error = error as? ConnectionError, case .schemaMismatch(name: "data", _, _) = error.kind else { return false }
            return true
        }
    }

    @Test("sending under an unregistered name or the wrong kind is an error")
    func wrongNames() async throws {
        let table = try sampleTable(rows: 1, batches: 1)
        var sender = MessageSender(types: types(table.schema), sink: CollectingSink())
        await #expect(throws: ConnectionError(.unregisteredName("nope"))) { try await sender.send(name: "nope", Buffer()) }
        await #expect(throws: ConnectionError(.wrongKind(name: "data"))) { try await sender.send(name: "data", Buffer()) }
        await #expect(throws: ConnectionError(.wrongKind(name: "raw"))) { try await sender.sendTable(name: "raw", table) }
    }

    @Test("input ending inside a table is an error")
    func incompleteTable() async throws {
        let table = try sampleTable(rows: 10, batches: 1)
        let collecting = CollectingSink()
        var sender = MessageSender(types: types(table.schema), sink: collecting)
        try await sender.sendTable(name: "data", table)
        try await sender.close()
        let bytes = collecting.bytes
        await #expect(throws: ConnectionError(.incompleteTable(name: "data"), at: bytes.count - 5)) {
            _ = try await receiveAll(bytes.slice(0..<bytes.count - 5), types: types(table.schema))
        }
    }
}
