// swift-tools-version: 6.1
import PackageDescription

// The root package: the umbrella `Lightstream` module, the `lightstream` command-line tool,
// the benchmarks, and one test run over every layer package's tests plus the integration suite.
// Each layer under Packages/ is also a complete package on its own.

let package = Package(
    name: "Lightstream",
    products: [
        .library(name: "Lightstream", targets: ["Lightstream"]),
        .executable(name: "lightstream", targets: ["lightstream"]),
    ],
    dependencies: [
        .package(path: "Packages/Vec64"),
        .package(path: "Packages/Arrow"),
        .package(path: "Packages/Framing"),
        .package(path: "Packages/TLV"),
        .package(path: "Packages/IPC"),
        .package(path: "Packages/MMap"),
        .package(path: "Packages/Codecs"),
        .package(path: "Packages/Streams"),
        .package(path: "Packages/CSV"),
        .package(path: "Packages/Parquet"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.70.0"),
    ],
    targets: [
        .target(
            name: "Lightstream",
            dependencies: [
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamArrow", package: "Arrow"),
                .product(name: "LightstreamFraming", package: "Framing"),
                .product(name: "LightstreamTLV", package: "TLV"),
                .product(name: "LightstreamIPC", package: "IPC"),
                .product(name: "LightstreamMMap", package: "MMap"),
                .product(name: "LightstreamCodecs", package: "Codecs"),
                .product(name: "LightstreamStreams", package: "Streams"),
                .product(name: "LightstreamNIO", package: "Streams"),
                .product(name: "LightstreamCSV", package: "CSV"),
                .product(name: "LightstreamParquet", package: "Parquet"),
            ]
        ),
        // The custom framing shown in the README, checked by the conformance kit.
        .target(
            name: "LineFramingExample",
            dependencies: [.product(name: "LightstreamFraming", package: "Framing")],
            path: "Examples/LineFraming"
        ),
        // Reader of the Arrow integration JSON format (gold files), for the CLI and the tests.
        .target(
            name: "ArrowIntegrationJSON",
            dependencies: [
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamArrow", package: "Arrow"),
            ],
            path: "Tools/ArrowIntegrationJSON"
        ),
        .executableTarget(
            name: "lightstream",
            dependencies: [
                "Lightstream",
                "ArrowIntegrationJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/lightstream"
        ),
        .executableTarget(
            name: "lightstream-bench",
            dependencies: ["Lightstream", .product(name: "SystemPackage", package: "swift-system")],
            path: "Tools/Benchmarks"
        ),
        // The layer packages' own test suites, run from the root by `swift test`.
        .testTarget(name: "Vec64Tests", dependencies: [.product(name: "Vec64", package: "Vec64")],
                    path: "Packages/Vec64/Tests/Vec64Tests"),
        .testTarget(name: "LightstreamArrowTests", dependencies: [.product(name: "LightstreamArrow", package: "Arrow")],
                    path: "Packages/Arrow/Tests/LightstreamArrowTests"),
        .testTarget(name: "LightstreamFramingTests",
                    dependencies: [.product(name: "LightstreamFraming", package: "Framing"),
                                   .product(name: "LightstreamFramingConformance", package: "Framing")],
                    path: "Packages/Framing/Tests/LightstreamFramingTests"),
        .testTarget(name: "LightstreamTLVTests",
                    dependencies: [.product(name: "LightstreamTLV", package: "TLV"),
                                   .product(name: "LightstreamFramingConformance", package: "Framing")],
                    path: "Packages/TLV/Tests/LightstreamTLVTests"),
        .testTarget(name: "LightstreamIPCTests",
                    dependencies: [.product(name: "LightstreamIPC", package: "IPC"),
                                   .product(name: "LightstreamFlatBuffers", package: "IPC"),
                                   .product(name: "LightstreamFramingConformance", package: "Framing")],
                    path: "Packages/IPC/Tests/LightstreamIPCTests"),
        .testTarget(name: "LightstreamMMapTests",
                    dependencies: [.product(name: "LightstreamMMap", package: "MMap"),
                                   .product(name: "LightstreamFraming", package: "Framing")],
                    path: "Packages/MMap/Tests/LightstreamMMapTests"),
        .testTarget(name: "LightstreamCodecsTests",
                    dependencies: [.product(name: "LightstreamCodecs", package: "Codecs")],
                    path: "Packages/Codecs/Tests/LightstreamCodecsTests"),
        .testTarget(name: "LightstreamStreamsTests",
                    dependencies: [.product(name: "LightstreamStreams", package: "Streams"),
                                   .product(name: "Vec64", package: "Vec64"),
                                   .product(name: "LightstreamArrow", package: "Arrow"),
                                   .product(name: "LightstreamFraming", package: "Framing"),
                                   .product(name: "LightstreamTLV", package: "TLV"),
                                   .product(name: "LightstreamIPC", package: "IPC"),
                                   .product(name: "LightstreamFramingConformance", package: "Framing"),
                                   .product(name: "SystemPackage", package: "swift-system")],
                    path: "Packages/Streams/Tests/LightstreamStreamsTests"),
        .testTarget(name: "LightstreamNIOTests",
                    dependencies: [.product(name: "LightstreamNIO", package: "Streams"),
                                   .product(name: "LightstreamStreams", package: "Streams"),
                                   .product(name: "Vec64", package: "Vec64"),
                                   .product(name: "LightstreamArrow", package: "Arrow"),
                                   .product(name: "LightstreamFraming", package: "Framing"),
                                   .product(name: "LightstreamTLV", package: "TLV"),
                                   .product(name: "LightstreamIPC", package: "IPC"),
                                   .product(name: "LightstreamFramingConformance", package: "Framing"),
                                   .product(name: "NIOCore", package: "swift-nio"),
                                   .product(name: "NIOPosix", package: "swift-nio"),
                                   .product(name: "NIOEmbedded", package: "swift-nio")],
                    path: "Packages/Streams/Tests/LightstreamNIOTests"),
        .testTarget(name: "LightstreamCSVTests",
                    dependencies: [.product(name: "LightstreamCSV", package: "CSV"),
                                   .product(name: "LightstreamFramingConformance", package: "Framing")],
                    path: "Packages/CSV/Tests/LightstreamCSVTests"),
        .testTarget(name: "LightstreamParquetTests",
                    dependencies: [.product(name: "LightstreamParquet", package: "Parquet")],
                    path: "Packages/Parquet/Tests/LightstreamParquetTests"),
        .testTarget(name: "IntegrationTests",
                    dependencies: ["Lightstream", "lightstream", "LineFramingExample", "ArrowIntegrationJSON",
                                   .product(name: "LightstreamFramingConformance", package: "Framing")],
                    path: "Integration/IntegrationTests"),
    ],
    swiftLanguageModes: [.v6]
)
