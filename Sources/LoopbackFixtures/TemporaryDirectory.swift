import class Foundation.FileManager

/// Fresh temporary directories for tests.
package enum TemporaryDirectory {
    /// Creates a new empty directory under the system's temporary directory and returns its path.
    package static func make(prefix: String) throws -> String {
        let base = FileManager.default.temporaryDirectory.path
        let path = "\(base)/\(prefix)-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Removes a directory made by ``make(prefix:)``; errors are ignored (it is only clean-up).
    package static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
