import class Foundation.FileHandle
import class Foundation.FileManager
import class Foundation.Process
import struct Foundation.URL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A helper process for tests (an `openssl s_server`, an SMTP server…) whose output goes to a file,
/// with a way to wait for a line it prints and a guaranteed stop.
///
/// Use ``withProcess(_:arguments:directory:_:)``: the process is terminated (SIGTERM, then SIGKILL)
/// when the closure ends, whatever happens.
package final class TestProcess: @unchecked Sendable {  // Process is thread-safe for these calls
    /// The file receiving the process's standard output and error.
    package let outputPath: String
    private let process: Process

    private init(process: Process, outputPath: String) {
        self.process = process
        self.outputPath = outputPath
    }

    /// Starts `executable` with `arguments` in `directory`, runs `body`, then stops the process.
    package static func withProcess<Result>(
        _ executable: String, arguments: [String], directory: String,
        _ body: (TestProcess) async throws -> Result
    ) async throws -> Result {
        let outputPath =
            "\(directory)/\(URL(fileURLWithPath: executable).lastPathComponent)-\(UInt32.random(in: 0...UInt32.max)).log"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = TestProcess(process: process, outputPath: outputPath)
        defer {
            handle.stop()
            try? output.close()
        }
        return try await body(handle)
    }

    /// Everything the process has printed so far.
    package var output: String {
        (FileManager.default.contents(atPath: outputPath)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Waits until the process prints a line starting with `prefix` and returns that line.
    ///
    /// - Throws: ``Failure`` when the process exits first or nothing comes within `limit`.
    package func waitForLine(startingWith prefix: String, limit: Duration = .seconds(60)) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if let line = output.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix(prefix) }) {
                return String(line)
            }
            guard process.isRunning else { throw Failure(message: "exited before printing \(prefix)", output: output) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(message: "printed no line starting with \(prefix)", output: output)
    }

    /// Terminates the process and reaps it.
    package func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A helper process did not get ready.
    package struct Failure: Error, CustomStringConvertible {
        package var message: String
        package var output: String
        package var description: String { "test process \(message); output:\n\(output.suffix(2000))" }
    }
}
