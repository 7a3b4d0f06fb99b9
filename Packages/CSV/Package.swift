// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "CSV",
    products: [
        .library(name: "LightstreamCSV", targets: ["LightstreamCSV"]),
    ],
    dependencies: [
        .package(path: "../Vec64"),
        .package(path: "../Arrow"),
        .package(path: "../Framing"),
    ],
    targets: [
        .target(
            name: "LightstreamCSV",
            dependencies: [
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamArrow", package: "Arrow"),
                .product(name: "LightstreamFraming", package: "Framing"),
            ]
        ),
        .testTarget(name: "LightstreamCSVTests", dependencies: [
            "LightstreamCSV",
            .product(name: "LightstreamFramingConformance", package: "Framing"),   // its seeded SplitMix64
        ]),
    ],
    swiftLanguageModes: [.v6]
)
