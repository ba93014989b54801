package import Foundation

/// Finds an executable product of this package (`k8supdater`, `kube-emulator`) built next to the
/// running program: tests run from the build products directory (`swift build --build-tests` builds
/// every executable there), and so do the benchmark and demo executables.
package enum BuiltProduct {
    /// The directories searched, in order: `K8SUPDATER_BUILD_DIR` when set, the directory of the
    /// running executable (`/proc/self/exe`), the directory of `argv[0]` and its parent.
    package static var searchDirectories: [URL] {
        var directories: [URL] = []
        if let override = ProcessInfo.processInfo.environment["K8SUPDATER_BUILD_DIR"], !override.isEmpty {
            directories.append(URL(fileURLWithPath: override))
        }
        if let running = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: running).deletingLastPathComponent())
        }
        let argv0 = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
        directories.append(argv0)
        directories.append(argv0.deletingLastPathComponent())
        return directories
    }

    /// The path of the executable `name`.
    ///
    /// - Throws: ``FixtureError`` naming the directories searched and how to build it.
    package static func path(_ name: String) throws -> String {
        let directories = searchDirectories
        for directory in directories {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw FixtureError(
            "\(name) is not built next to this program (searched \(directories.map(\.path).joined(separator: ", "))): "
                + "`swift build --build-tests` builds it, or set K8SUPDATER_BUILD_DIR")
    }
}
