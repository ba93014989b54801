package import Foundation

/// A fresh, empty directory under the system's temporary directory: the one temporary-directory helper
/// of the package (tests, fixtures, benchmarks).
///
/// It is removed by ``remove()`` or, at the latest, when the value is released. Keep the value alive
/// while the directory is in use (`defer { directory.remove() }` does both); a path copied out of a
/// released value may point at nothing.
package final class TemporaryDirectory: Sendable {
    /// The absolute path of the directory.
    package let path: String

    /// Creates the directory, named `prefix-<random>`.
    package init(prefix: String = "k8supdater") throws {
        path = "\(FileManager.default.temporaryDirectory.path)/\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { remove() }

    /// The directory as a file URL.
    package var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// The absolute path of `name` inside the directory.
    package func path(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `text` to `name` (creating intermediate directories) and returns its absolute path.
    @discardableResult
    package func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let file = path(name)
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file) }
        return file
    }

    /// The contents of `name` as UTF-8 text, or nil when it cannot be read.
    package func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Removes the directory and everything in it; errors are ignored (it is only clean-up).
    package func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
