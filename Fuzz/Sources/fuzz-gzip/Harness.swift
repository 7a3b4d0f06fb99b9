import CodecHarness
import FuzzSupport
import LightstreamCodecs

// GzipCodec() decompression of any input: bounded by the limit, never a crash (CodecHarness.run).

let codec = GzipCodec()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    CodecHarness.run(codec, Fuzz.bytes(data, size))
    return 0
}
