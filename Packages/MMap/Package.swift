// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "MMap",
    products: [
        .library(name: "LightstreamMMap", targets: ["LightstreamMMap"])
    ],
    dependencies: [
        .package(path: "../Vec64"),
        .package(path: "../Arrow"),
        .package(path: "../IPC"),
        .package(path: "../Framing"),
    ],
    targets: [
        .target(
            name: "LightstreamMMap",
            dependencies: [
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamArrow", package: "Arrow"),
                .product(name: "LightstreamIPC", package: "IPC"),
            ]
        ),
        .testTarget(
            name: "LightstreamMMapTests",
            dependencies: ["LightstreamMMap", .product(name: "LightstreamFraming", package: "Framing")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
