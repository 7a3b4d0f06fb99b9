import FuzzSupport
import LightstreamFraming
import Vec64

// Length-prefixed framing: a FrameReader with a LengthPrefixedFrameDecoder of the width, byte
// order, adjustment, maximum and alignment the first two input bytes choose, over the rest of
// the input delivered in chunks of the size the third byte chooses. Every frame respects the
// maximum and alignment, and a stream that decodes completely re-encodes to the same bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var parameters = FuzzParameters(Fuzz.bytes(data, size))
    let a = parameters.byte()
    let b = parameters.byte()
    let chunk = Int(parameters.byte() % 19)
    let format = LengthFieldFormat(
        width: [1, 2, 4, 8][Int(a & 3)], bigEndian: a & 4 != 0,
        lengthAdjustment: Int(Int8(bitPattern: b)) * (a & 8 != 0 ? 1 : 0),
        maximumFrameLength: [0, 1, 200, 4096, 1 << 20, 16 << 20, 1 << 40, Int.max][Int(a >> 4) & 7],
        bodyAlignment: a & 0x80 != 0 ? 64 : 1)
    let input = parameters.rest
    let chunks = chunk == 0 ? [Buffer(copying: input)] : fuzzChunks(input, size: chunk)
    var reader = FrameReader(decoder: LengthPrefixedFrameDecoder(format), source: BufferSource(chunks))
    var frames: [Buffer] = []
    do {
        while let frame = try reader.next() {
            Fuzz.check(frame.count <= format.maximumFrameLength, "frame of \(frame.count) bytes above the maximum")
            Fuzz.check(frame.isEmpty || frame.isAligned(to: format.bodyAlignment), "frame body not \(format.bodyAlignment)-aligned")
            frames.append(frame)
        }
    } catch {
        return 0
    }
    var encoder = LengthPrefixedFrameEncoder(format)
    var output = FrameOutput()
    do throws(FramingError) {
        for frame in frames { try encoder.encode(frame, into: &output) }
    } catch {
        Fuzz.check(false, "a decoded frame does not encode again: \(error)")
    }
    Fuzz.check(output.takeContiguous().array == Array(input), "\(frames.count) frames re-encode to other bytes")
    return 0
}
