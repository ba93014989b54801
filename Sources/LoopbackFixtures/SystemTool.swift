import class Foundation.FileManager
import class Foundation.Pipe
import class Foundation.Process
import class Foundation.ProcessInfo
import struct Foundation.URL

/// Finds the system tools some tests need (openssl, aiosmtpd, docker-registry, kubectl).
///
/// A missing tool skips the test on a developer's machine, with a message saying what to install.
/// Under `CI=true` a missing tool is a failure, never a silent skip: tests use TestSupport's
/// `.requires(…)` trait and ``SystemTool/require(_:)`` inside the test.
package enum SystemTool {
    /// Whether this run is CI (`CI=true`), where missing tools fail instead of skipping.
    package static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return value == "true" || value == "1"
    }

    /// A tool the tests may need.
    package enum Tool: Sendable, CustomStringConvertible {
        /// An executable on PATH (or at an absolute path).
        case executable(String)
        /// A module importable by Debian's /usr/bin/python3 (e.g. aiosmtpd).
        case pythonModule(String)

        package var description: String {
            switch self {
            case .executable(let name): name
            case .pythonModule(let name): "python3 module \(name)"
            }
        }
    }

    /// Debian's Python, which sees the python3-* packages (a pyenv python on PATH does not).
    package static let systemPython = "/usr/bin/python3"

    /// The absolute path of an executable on PATH, or nil.
    package static func path(of name: String) -> String? {
        if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether the tool is present on this machine.
    package static func isAvailable(_ tool: Tool) -> Bool {
        switch tool {
        case .executable(let name):
            return path(of: name) != nil
        case .pythonModule(let module):
            guard FileManager.default.isExecutableFile(atPath: systemPython) else { return false }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: systemPython)
            process.arguments = ["-c", "import \(module)"]
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            do { try process.run() } catch { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
    }

    /// The error a test throws when a tool it needs is missing (only reached under CI or when the
    /// trait was not used).
    package struct Missing: Error, CustomStringConvertible {
        package var tool: Tool
        package var description: String {
            "\(tool) is required by this test but not installed (Scripts/install-deps.sh installs it where it can, else prints what is missing)"
        }
    }

    /// Returns the executable's path, or throws ``Missing`` — which fails the test.
    @discardableResult
    package static func require(_ name: String) throws -> String {
        guard let found = path(of: name) else { throw Missing(tool: .executable(name)) }
        return found
    }

    /// Throws ``Missing`` unless the tool is available.
    package static func require(_ tool: Tool) throws {
        guard isAvailable(tool) else { throw Missing(tool: tool) }
    }
}
