package import struct Foundation.Data
import class Foundation.FileHandle
import class Foundation.FileManager
import class Foundation.Process
import struct Foundation.URL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A helper process for tests (an `openssl s_server`, an SMTP server, an `openssl` command…) whose
/// output goes to a file, with a way to wait for a line it prints and a guaranteed stop.
///
/// Waiting never blocks a thread: exits are observed through `Process.terminationHandler`, so many
/// tests can run helpers in parallel on a small cooperative pool.
package final class TestProcess: @unchecked Sendable {  // Process is safe for the calls made here
    /// The file receiving the process's standard output and error.
    package let outputPath: String
    private let process: Process
    private let exited = AsyncSignal()

    private init(process: Process, outputPath: String) {
        self.process = process
        self.outputPath = outputPath
    }

    /// Starts `executable` with `arguments` in `directory`, runs `body`, then stops the process
    /// (SIGTERM, then SIGKILL), whatever happens.
    package static func withProcess<Result>(
        _ executable: String, arguments: [String], directory: String, environment: [String: String]? = nil,
        _ body: (TestProcess) async throws -> Result
    ) async throws -> Result {
        let handle = try start(executable, arguments: arguments, directory: directory, environment: environment)
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(handle))
        } catch {
            result = .failure(error)
        }
        await handle.stop()
        return try result.get()
    }

    /// Runs a command to completion.
    ///
    /// - Returns: the exit status and everything it printed.
    package static func run(_ executable: String, arguments: [String], directory: String) async throws -> (
        status: Int32, output: String
    ) {
        let handle = try start(executable, arguments: arguments, directory: directory)
        await handle.exited.wait(upTo: .seconds(600))
        return (handle.process.terminationStatus, handle.output)
    }

    /// What ``capture(_:arguments:directory:environment:input:)`` collected.
    package struct Captured: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
    }

    /// Runs a command to completion with `input` on its standard input, its standard output and error
    /// kept apart (in files of a fresh temporary directory, removed afterwards). Like ``run(_:arguments:directory:)``
    /// it never blocks a thread while the command runs. `environment` replaces the inherited one when given.
    package static func capture(
        _ executable: String, arguments: [String], directory: String? = nil, environment: [String: String]? = nil,
        input: Data? = nil, limit: Duration = .seconds(600)
    ) async throws -> Captured {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("test-process-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let paths = ["stdin", "stdout", "stderr"].map { scratch.appendingPathComponent($0).path }
        guard FileManager.default.createFile(atPath: paths[0], contents: input ?? Data()),
            FileManager.default.createFile(atPath: paths[1], contents: nil),
            FileManager.default.createFile(atPath: paths[2], contents: nil)
        else { throw Failure(message: "could not create its files in \(scratch.path)", output: "") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let stdin = try FileHandle(forReadingFrom: URL(fileURLWithPath: paths[0]))
        let stdout = try FileHandle(forWritingTo: URL(fileURLWithPath: paths[1]))
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: paths[2]))
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let handle = TestProcess(process: process, outputPath: paths[1])
        process.terminationHandler = { [exited = handle.exited] _ in exited.fire() }
        do {
            defer { for file in [stdin, stdout, stderr] { try? file.close() } }  // the child has its copies
            try process.run()
        }
        guard await handle.exited.wait(upTo: limit) else {
            await handle.stop()
            throw Failure(message: "\(executable) did not exit within \(limit)", output: handle.output)
        }
        let read = { (path: String) in
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return Captured(status: process.terminationStatus, stdout: read(paths[1]), stderr: read(paths[2]))
    }

    /// Starts `executable` with `arguments` in `directory`; the caller stops it (``stop()``,
    /// ``signal(_:)``). `environment` replaces the inherited one when given (nil inherits).
    package static func start(
        _ executable: String, arguments: [String], directory: String, environment: [String: String]? = nil
    ) throws -> TestProcess {
        let name = URL(fileURLWithPath: executable).lastPathComponent
        let outputPath = "\(directory)/\(name)-\(UInt64.random(in: 0...UInt64.max)).log"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)  // FileHandle below reports failure
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }  // the child keeps its own copy of the descriptor
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        if let environment { process.environment = environment }
        let handle = TestProcess(process: process, outputPath: outputPath)
        process.terminationHandler = { [exited = handle.exited] _ in exited.fire() }
        try process.run()
        return handle
    }

    /// The process id (valid while it runs).
    package var processIdentifier: Int32 { process.processIdentifier }

    /// Whether the process has exited.
    package var hasExited: Bool { exited.isFired }

    /// How it ended, once ``hasExited``: the exit status, or the signal that killed it.
    package var termination: (status: Int32, signalled: Bool)? {
        guard exited.isFired else { return nil }
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }

    /// Sends `signal` (`SIGTERM`, `SIGKILL`, …) unless the process has exited.
    package func signal(_ signal: Int32) {
        guard !exited.isFired else { return }
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit, at most `limit`; true when it did.
    @discardableResult
    package func waitForExit(upTo limit: Duration) async -> Bool {
        await exited.wait(upTo: limit)
    }

    /// Everything the process has printed so far.
    package var output: String {
        FileManager.default.contents(atPath: outputPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
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
            guard !exited.isFired else { throw Failure(message: "exited before printing \(prefix)", output: output) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(message: "printed no line starting with \(prefix)", output: output)
    }

    /// Terminates the process (SIGTERM, then SIGKILL after 5 s) and waits for it to exit.
    package func stop() async {
        guard !exited.isFired else { return }
        process.terminate()
        if await exited.wait(upTo: .seconds(5)) { return }
        kill(process.processIdentifier, SIGKILL)
        await exited.wait(upTo: .seconds(30))
    }

    /// A helper process did not get ready.
    package struct Failure: Error, CustomStringConvertible {
        package var message: String
        package var output: String
        package var description: String { "test process \(message); output:\n\(output.suffix(2000))" }
    }
}
