// swift-tools-version: 6.1
// libFuzzer harnesses for every decoder of untrusted bytes. Not part of the root package: build
// and run them with Tools/fuzz.sh (docs/fuzzing.md), e.g.
//   swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address
import PackageDescription

/// One harness: an executable whose `main.swift` hands its `LLVMFuzzerTestOneInput` to libFuzzer's
/// driver (`Fuzz.run`), after writing seeds when `LIGHTSTREAM_FUZZ_SEEDS` asks for them.
func harness(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Sources/\(name)")
}

let vec64: Target.Dependency = .product(name: "Vec64", package: "Vec64")
let codecs: Target.Dependency = .product(name: "LightstreamCodecs", package: "Codecs")
let framing: Target.Dependency = .product(name: "LightstreamFraming", package: "Framing")
let arrow: Target.Dependency = .product(name: "LightstreamArrow", package: "Arrow")
let ipc: Target.Dependency = .product(name: "LightstreamIPC", package: "IPC")
let flatBuffers: Target.Dependency = .product(name: "LightstreamFlatBuffers", package: "IPC")

let package = Package(
    name: "LightstreamFuzz",
    dependencies: [
        .package(path: "../Packages/Vec64"),
        .package(path: "../Packages/Arrow"),
        .package(path: "../Packages/Framing"),
        .package(path: "../Packages/Codecs"),
        .package(path: "../Packages/IPC"),
        .package(path: "../Packages/TLV"),
        .package(path: "../Packages/MMap"),
        .package(path: "../Packages/Streams"),
        .package(path: "../Packages/CSV"),
        .package(path: "../Packages/Parquet"),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", vec64]),
        .target(name: "CodecHarness", dependencies: ["FuzzSupport", vec64, codecs]),
        harness("fuzz-lz4-frame", ["CodecHarness", vec64, codecs]),
        harness("fuzz-lz4-raw", ["CodecHarness", vec64, codecs]),
        harness("fuzz-zstd", ["CodecHarness", vec64, codecs]),
        harness("fuzz-snappy", ["CodecHarness", vec64, codecs]),
        harness("fuzz-gzip", ["CodecHarness", vec64, codecs]),
        harness("fuzz-deflate", ["CodecHarness", vec64, codecs]),
        harness("fuzz-length-prefixed", [vec64, framing]),
        harness("fuzz-tlv", [vec64, framing, .product(name: "LightstreamTLV", package: "TLV")]),
        harness("fuzz-connection", [
            vec64, arrow, framing, ipc, .product(name: "LightstreamStreams", package: "Streams"),
        ]),
        harness("fuzz-flatbuffers", [vec64, arrow, framing, ipc, flatBuffers]),
        harness("fuzz-ipc-stream", [vec64, arrow, framing, ipc]),
        harness("fuzz-ipc-file", [vec64, arrow, ipc]),
        harness("fuzz-mmap", [vec64, arrow, ipc, .product(name: "LightstreamMMap", package: "MMap")]),
        harness("fuzz-csv", [vec64, arrow, framing, .product(name: "LightstreamCSV", package: "CSV")]),
        harness("fuzz-jsonl", [vec64, arrow, framing, .product(name: "LightstreamCSV", package: "CSV")]),
        harness("fuzz-parquet", [vec64, arrow, .product(name: "LightstreamParquet", package: "Parquet")]),
    ],
    swiftLanguageModes: [.v6]
)
