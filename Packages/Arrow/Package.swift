// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Arrow",
    products: [
        .library(name: "LightstreamArrow", targets: ["LightstreamArrow"])
    ],
    dependencies: [
        .package(path: "../Vec64")
    ],
    targets: [
        .target(
            name: "LightstreamArrow",
            dependencies: [.product(name: "Vec64", package: "Vec64")],
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        .testTarget(name: "LightstreamArrowTests", dependencies: ["LightstreamArrow"]),
    ],
    swiftLanguageModes: [.v6]
)
