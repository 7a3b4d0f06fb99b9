// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "IPC",
    products: [
        .library(name: "LightstreamIPC", targets: ["LightstreamIPC"]),
        .library(name: "LightstreamFlatBuffers", targets: ["LightstreamFlatBuffers"]),
    ],
    dependencies: [
        .package(path: "../Vec64"),
        .package(path: "../Arrow"),
        .package(path: "../Framing"),
        .package(path: "../Codecs"),
    ],
    targets: [
        // A minimal FlatBuffers runtime: a bounds-checked reader and a builder.
        .target(name: "LightstreamFlatBuffers", dependencies: [.product(name: "Vec64", package: "Vec64")]),
        .target(
            name: "LightstreamIPC",
            dependencies: [
                "LightstreamFlatBuffers",
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamArrow", package: "Arrow"),
                .product(name: "LightstreamFraming", package: "Framing"),
                .product(name: "LightstreamCodecs", package: "Codecs"),
            ]
        ),
        .testTarget(name: "LightstreamIPCTests", dependencies: [
            "LightstreamIPC", "LightstreamFlatBuffers",
            .product(name: "LightstreamFramingConformance", package: "Framing"),   // its seeded SplitMix64
        ]),
    ],
    swiftLanguageModes: [.v6]
)
