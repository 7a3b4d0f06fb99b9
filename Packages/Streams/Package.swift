// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Streams",
    products: [
        // Async byte sources and sinks, framed streams, async Arrow readers/writers, the
        // message connection protocol. No SwiftNIO.
        .library(name: "LightstreamStreams", targets: ["LightstreamStreams"]),
        // SwiftNIO channel handlers and TCP / Unix socket / stdio transports.
        .library(name: "LightstreamNIO", targets: ["LightstreamNIO"]),
    ],
    dependencies: [
        .package(path: "../Vec64"),
        .package(path: "../Arrow"),
        .package(path: "../Framing"),
        .package(path: "../TLV"),
        .package(path: "../IPC"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.70.0"),
    ],
    targets: [
        .target(
            name: "LightstreamStreams",
            dependencies: [
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamArrow", package: "Arrow"),
                .product(name: "LightstreamFraming", package: "Framing"),
                .product(name: "LightstreamTLV", package: "TLV"),
                .product(name: "LightstreamIPC", package: "IPC"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "LightstreamNIO",
            dependencies: [
                "LightstreamStreams",
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamFraming", package: "Framing"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LightstreamStreamsTests",
            dependencies: [
                "LightstreamStreams",
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamArrow", package: "Arrow"),
                .product(name: "LightstreamFraming", package: "Framing"),
                .product(name: "LightstreamFramingConformance", package: "Framing"),
                .product(name: "LightstreamTLV", package: "TLV"),
                .product(name: "LightstreamIPC", package: "IPC"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .testTarget(
            name: "LightstreamNIOTests",
            dependencies: [
                "LightstreamNIO",
                "LightstreamStreams",
                .product(name: "Vec64", package: "Vec64"),
                .product(name: "LightstreamArrow", package: "Arrow"),
                .product(name: "LightstreamFraming", package: "Framing"),
                .product(name: "LightstreamFramingConformance", package: "Framing"),
                .product(name: "LightstreamIPC", package: "IPC"),
                .product(name: "LightstreamTLV", package: "TLV"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
