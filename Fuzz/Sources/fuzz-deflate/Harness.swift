import CodecHarness
import FuzzSupport
import LightstreamCodecs

// DeflateCodec() decompression of any input: bounded by the limit, never a crash (CodecHarness.run).

let codec = DeflateCodec()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    CodecHarness.run(codec, Fuzz.bytes(data, size))
    return 0
}
