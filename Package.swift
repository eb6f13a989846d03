// swift-tools-version:6.1
import PackageDescription

/// Settings every target shares: the upcoming features our model codebases enable.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "scanstation",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "scanstation", targets: ["scanstation"]),
        .library(name: "ScanCodes", targets: ["ScanCodes"]),
        .library(name: "HIDDecoding", targets: ["HIDDecoding"]),
        .library(name: "Workflows", targets: ["Workflows"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: C libraries from Debian, found with pkg-config.
        .systemLibrary(
            name: "CLibUSB",
            pkgConfig: "libusb-1.0",
            providers: [.apt(["libusb-1.0-0-dev"])]
        ),
        .systemLibrary(
            name: "CZBar",
            pkgConfig: "zbar",
            providers: [.apt(["libzbar-dev"])]
        ),
        // libdmtx behind a narrow C interface (see Sources/CDmtx/include/CDmtx.h).
        .target(name: "CDmtx", linkerSettings: [.linkedLibrary("dmtx")]),
        // libjpeg behind a narrow C interface (see Sources/CJPEG/include/CJPEG.h).
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),

        // MARK: Pure decoding and logic.
        .target(name: "ScanCodes", swiftSettings: strictSettings),
        .target(name: "HIDDecoding", dependencies: ["ScanCodes"], swiftSettings: strictSettings),
        .target(name: "Workflows", dependencies: ["ScanCodes"], swiftSettings: strictSettings),

        // MARK: IO.
        .target(
            name: "Ledger",
            dependencies: [
                "ScanCodes",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Devices",
            dependencies: [
                "CLibUSB",
                "CZBar",
                "CDmtx",
                "CJPEG",
                "CPNG",
                "ScanCodes",
                "HIDDecoding",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: Composition and executables.
        .target(
            name: "Station",
            dependencies: [
                "ScanCodes",
                "Ledger",
                "Workflows",
                "Devices",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "scanstation",
            dependencies: [
                "ScanCodes",
                "HIDDecoding",
                "Ledger",
                "Devices",
                "Station",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: Benchmarks.
        .executableTarget(
            name: "DevicesBenchmark",
            dependencies: ["Devices", "DeviceEmulation", .product(name: "Logging", package: "swift-log"), "BenchmarkSupport"],
            path: "Benchmarks/DevicesBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "MetricsBenchmark",
            dependencies: ["Station", "Devices", "Ledger"],
            path: "Benchmarks/MetricsBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ScanCodesBenchmark",
            dependencies: ["ScanCodes", "BenchmarkSupport"],
            path: "Benchmarks/ScanCodesBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "HIDDecodingBenchmark",
            dependencies: ["HIDDecoding", "BenchmarkSupport"],
            path: "Benchmarks/HIDDecodingBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "LedgerBenchmark",
            dependencies: [
                "Ledger",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Benchmarks/LedgerBenchmark",
            swiftSettings: strictSettings
        ),

        // MARK: Tests.
        .testTarget(
            name: "ScanCodesTests",
            dependencies: [
                "ScanCodes",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Corpus")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HIDDecodingTests",
            dependencies: [
                "HIDDecoding",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Corpus")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WorkflowsTests",
            dependencies: [
                "Workflows",
                "ScanCodes",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "WorkflowsBenchmark",
            dependencies: ["Workflows", "ScanCodes", "BenchmarkSupport"],
            path: "Benchmarks/WorkflowsBenchmark",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LedgerTests",
            dependencies: ["Ledger", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DeviceEmulation",
            path: "Tests/DeviceEmulation",
            resources: [.copy("testbed.py")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DevicesTests",
            dependencies: ["Devices", "DeviceEmulation", "ScanCodes", .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Corpus")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CameraTests",
            dependencies: ["Devices", "ScanCodes", .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Corpus")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StationTests",
            dependencies: ["Station", "Ledger", "Devices", "DeviceEmulation", .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),

        // MARK: Benchmarks.
        .target(name: "BenchmarkSupport", path: "Benchmarks/BenchmarkSupport"),
        .target(name: "CZBarBaseline", dependencies: ["CZBar"], path: "Benchmarks/CZBarBaseline", linkerSettings: [.linkedLibrary("dmtx")]),
        .executableTarget(
            name: "DaemonBenchmark",
            dependencies: ["Ledger", .product(name: "GRDBSQLite", package: "GRDB.swift"), "BenchmarkSupport"],
            path: "Benchmarks/DaemonBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "CameraBenchmark",
            dependencies: ["Devices", "ScanCodes", "CZBarBaseline", .product(name: "Logging", package: "swift-log"), "BenchmarkSupport"],
            path: "Benchmarks/CameraBenchmark",
            swiftSettings: strictSettings
        ),
    ]
)

// MARK: Fuzzing (libFuzzer), only when SCANSTATION_FUZZ=1: a fuzz target has no `main`
// (libFuzzer supplies it), so it cannot link in an ordinary build. Fuzz/run-fuzzer.sh sets
// the variable and builds with --sanitize=fuzzer in its own scratch directory.
if Context.environment["SCANSTATION_FUZZ"] == "1" {
    package.targets.append(.executableTarget(
        name: "FuzzScanCodes",
        dependencies: ["ScanCodes"],
        path: "Fuzz/FuzzScanCodes",
        swiftSettings: strictSettings
    ))
}
