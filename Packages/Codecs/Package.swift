// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Codecs",
    products: [
        .library(name: "LightstreamCodecs", targets: ["LightstreamCodecs"])
    ],
    dependencies: [
        .package(path: "../Vec64")
    ],
    targets: [
        .target(name: "LightstreamCodecs", dependencies: [.product(name: "Vec64", package: "Vec64")]),
        .testTarget(name: "LightstreamCodecsTests", dependencies: ["LightstreamCodecs"]),
    ],
    swiftLanguageModes: [.v6]
)
