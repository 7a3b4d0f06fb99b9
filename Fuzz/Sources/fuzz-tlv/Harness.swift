import FuzzSupport
import LightstreamFraming
import LightstreamTLV
import Vec64

// TLV framing: a FrameReader with a TLVDecoder of the tag width, length width, byte order,
// maximum and alignment the first input byte chooses, over the rest of the input in chunks of
// the size the second byte chooses; each frame then goes through a TLVRegistry of every built-in
// value type. Frames respect the maximum and alignment, and a stream that decodes completely
// re-encodes to the same bytes.

enum Message: Sendable {
    case u8(UInt8), u16(UInt16), u32(UInt32), u64(UInt64), i32(Int32), f64(Double), text(String), bytes([UInt8]), buffer(Buffer)
}

let registry: TLVRegistry<Message> = {
    var r = TLVRegistry<Message>()
    r.register(tag: 1, UInt8.self, embed: Message.u8) { if case let .u8(v) = $0 { v } else { nil } }
    r.register(tag: 2, UInt16.self, embed: Message.u16) { if case let .u16(v) = $0 { v } else { nil } }
    r.register(tag: 3, UInt32.self, embed: Message.u32) { if case let .u32(v) = $0 { v } else { nil } }
    r.register(tag: 4, UInt64.self, embed: Message.u64) { if case let .u64(v) = $0 { v } else { nil } }
    r.register(tag: 5, Int32.self, embed: Message.i32) { if case let .i32(v) = $0 { v } else { nil } }
    r.register(tag: 6, Double.self, embed: Message.f64) { if case let .f64(v) = $0 { v } else { nil } }
    r.register(tag: 7, String.self, embed: Message.text) { if case let .text(v) = $0 { v } else { nil } }
    r.register(tag: 8, [UInt8].self, embed: Message.bytes) { if case let .bytes(v) = $0 { v } else { nil } }
    r.register(tag: 9, Buffer.self, embed: Message.buffer) { if case let .buffer(v) = $0 { v } else { nil } }
    return r
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var parameters = FuzzParameters(Fuzz.bytes(data, size))
    let a = parameters.byte()
    let chunk = Int(parameters.byte() % 19)
    let format = TLVFormat(
        tagWidth: [1, 2, 4, 1][Int(a & 3)], lengthWidth: [2, 4, 8, 4][Int(a >> 2) & 3], bigEndian: a & 0x10 != 0,
        maximumValueLength: [64 << 20, 200, 1 << 40, Int.max][Int(a >> 5) & 3],
        valueAlignment: a & 0x80 != 0 ? 64 : 1)
    let input = parameters.rest
    let chunks = chunk == 0 ? [Buffer(copying: input)] : fuzzChunks(input, size: chunk)
    var reader = FrameReader(decoder: TLVDecoder(format), source: BufferSource(chunks))
    var frames: [TLVFrame] = []
    do {
        while let frame = try reader.next() {
            Fuzz.check(frame.value.count <= format.maximumValueLength, "value of \(frame.value.count) bytes above the maximum")
            Fuzz.check(frame.value.isEmpty || frame.value.isAligned(to: format.valueAlignment), "value not aligned")
            frames.append(frame)
            if let message = try? registry.decode(frame), let again = try? registry.encode(message) {
                Fuzz.check(again.tag == frame.tag, "tag \(frame.tag) re-encodes as \(again.tag)")
                if case .f64 = message {} else {
                    Fuzz.check(again.value == frame.value || frame.tag == 7, "tag \(frame.tag): value re-encodes differently")
                }
            }
        }
    } catch {
        return 0
    }
    var encoder = TLVEncoder(format)
    var output = FrameOutput()
    do throws(FramingError) {
        for frame in frames { try encoder.encode(frame, into: &output) }
    } catch {
        Fuzz.check(false, "a decoded frame does not encode again: \(error)")
    }
    Fuzz.check(output.takeContiguous().array == Array(input), "\(frames.count) frames re-encode to other bytes")
    return 0
}
