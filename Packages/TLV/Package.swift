// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "TLV",
    products: [
        .library(name: "LightstreamTLV", targets: ["LightstreamTLV"])
    ],
    dependencies: [
        .package(path: "../Vec64"),
        .package(path: "../Framing"),
    ],
    targets: [
        .target(
            name: "LightstreamTLV",
            dependencies: [
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamFraming", package: "Framing"),
            ]
        ),
        .testTarget(
            name: "LightstreamTLVTests",
            dependencies: ["LightstreamTLV", .product(name: "LightstreamFramingConformance", package: "Framing")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
