// swift-tools-version: 6.0
// NeuroEmu: an event-driven emulator of a tiled neuromorphic chip.
// Dependency direction is strictly Router ← Chip ← Host ← neuroemu; no package dependencies.
import PackageDescription

let package = Package(
    name: "NeuroEmu",
    // The engine's worker pool uses the standard library's Synchronization module (atomics),
    // available on macOS from 15.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Router", targets: ["Router"]),
        .library(name: "Chip", targets: ["Chip"]),
        .library(name: "Host", targets: ["Host"]),
        .executable(name: "neuroemu", targets: ["neuroemu"]),
    ],
    targets: [
        .target(name: "Router"),
        .target(name: "Chip", dependencies: ["Router"]),
        .target(name: "Host", dependencies: ["Chip", "Router"]),
        .executableTarget(name: "neuroemu", dependencies: ["Host", "Chip", "Router"]),
        .testTarget(name: "RouterTests", dependencies: ["Router"]),
        .testTarget(name: "ChipTests", dependencies: ["Chip", "Router"], exclude: ["Lava"]),
        .testTarget(name: "HostTests", dependencies: ["Host", "Chip", "Router"], exclude: ["Golden", "Lava", "NIR"]),
        .testTarget(name: "NeuroemuTests", dependencies: ["neuroemu", "Host"]),
    ]
)
