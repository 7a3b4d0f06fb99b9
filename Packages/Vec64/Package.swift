// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Vec64",
    products: [
        .library(name: "Vec64", targets: ["Vec64"])
    ],
    targets: [
        .target(
            name: "Vec64",
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        .testTarget(name: "Vec64Tests", dependencies: ["Vec64"]),
    ],
    swiftLanguageModes: [.v6]
)
