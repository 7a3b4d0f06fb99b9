// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Parquet",
    products: [
        .library(name: "LightstreamParquet", targets: ["LightstreamParquet"]),
    ],
    dependencies: [
        .package(path: "../Vec64"),
        .package(path: "../Arrow"),
        .package(path: "../Codecs"),
        .package(path: "../IPC"),
    ],
    targets: [
        .target(
            name: "LightstreamParquet",
            dependencies: [
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamArrow", package: "Arrow"),
                .product(name: "LightstreamCodecs", package: "Codecs"),
                .product(name: "LightstreamIPC", package: "IPC"),
            ]
        ),
        .testTarget(name: "LightstreamParquetTests", dependencies: ["LightstreamParquet"]),
    ],
    swiftLanguageModes: [.v6]
)
