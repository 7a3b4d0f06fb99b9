// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Framing",
    products: [
        .library(name: "LightstreamFraming", targets: ["LightstreamFraming"]),
        // The checks our own codecs pass, for users' custom wire formats.
        .library(name: "LightstreamFramingConformance", targets: ["LightstreamFramingConformance"]),
    ],
    dependencies: [
        .package(path: "../Vec64"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        .target(
            name: "LightstreamFraming",
            dependencies: [
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(name: "LightstreamFramingConformance", dependencies: ["LightstreamFraming"]),
        .testTarget(name: "LightstreamFramingTests", dependencies: ["LightstreamFraming", "LightstreamFramingConformance"]),
    ],
    swiftLanguageModes: [.v6]
)
