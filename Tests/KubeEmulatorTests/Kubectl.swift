import Foundation
import KubeEmulator
import TestSupport

/// Runs the real kubectl against an emulator's HTTP front with its own HOME (fresh discovery cache)
/// and kubeconfig.
struct Kubectl: Sendable {
    let executable: String
    /// HOME of the kubectl processes; removed when the last copy of this value goes.
    let home: TemporaryDirectory
    let kubeconfig: URL

    init(emulator: Emulator, baseURL: String) throws {
        executable = try SystemTool.require("kubectl")
        home = try TemporaryDirectory(prefix: "kubectl")
        kubeconfig = home.url.appendingPathComponent("kubeconfig")
        try emulator.kubeconfig(baseURL: baseURL).write(to: kubeconfig, atomically: true, encoding: .utf8)
    }

    struct Result: Sendable {
        var status: Int32
        var output: String
        var error: String
    }

    private func process(_ arguments: [String], stdin: String?) -> (Process, Pipe, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--kubeconfig", kubeconfig.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment["KUBECONFIG"] = kubeconfig.path
        process.environment = environment
        let (input, output, error) = (Pipe(), Pipe(), Pipe())
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        return (process, input, output, error)
    }

    /// Runs kubectl to completion.
    func run(_ arguments: String..., stdin: String? = nil) async throws -> Result {
        try await run(arguments, stdin: stdin)
    }

    /// Runs kubectl to completion (arguments built at run time).
    func run(_ arguments: [String], stdin: String? = nil) async throws -> Result {
        let background = try start(arguments, stdin: stdin)
        var output = ""
        for await line in background.lines { output += line + "\n" }
        let status = await background.wait()
        return Result(
            status: status, output: output.hasSuffix("\n") ? String(output.dropLast()) : output,
            error: background.errorText())
    }

    /// A kubectl process whose output lines arrive as they are printed (`get -w`, `delete` waiting on a
    /// finalizer). Pipes are read on dedicated threads with plain `read(2)`, never on the cooperative
    /// pool, which the emulator under test needs.
    final class Background: @unchecked Sendable {
        let process: Process
        let lines: AsyncStream<String>
        private let exited: AsyncStream<Int32>
        private let errorBuffer = ErrorBuffer()

        final class ErrorBuffer: @unchecked Sendable {
            let lock = NSLock()
            var data = Data()
        }

        init(process: Process, output: Pipe, error: Pipe) throws {
            self.process = process
            let (stream, continuation) = AsyncStream<String>.makeStream()
            lines = stream
            let (exits, exitContinuation) = AsyncStream<Int32>.makeStream()
            exited = exits
            process.terminationHandler = { finished in
                exitContinuation.yield(finished.terminationStatus)
                exitContinuation.finish()
            }
            try process.run()
            let outputFD = output.fileHandleForReading.fileDescriptor
            Thread.detachNewThread {
                var buffer = Data()
                Self.readAll(outputFD) { chunk in
                    buffer.append(chunk)
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        continuation.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                        buffer = Data(buffer[buffer.index(after: newline)...])
                    }
                }
                if !buffer.isEmpty { continuation.yield(String(decoding: buffer, as: UTF8.self)) }
                continuation.finish()
            }
            let errorFD = error.fileHandleForReading.fileDescriptor
            let errors = errorBuffer
            Thread.detachNewThread {
                Self.readAll(errorFD) { chunk in errors.lock.withLock { errors.data.append(chunk) } }
            }
        }

        private static func readAll(_ fd: Int32, _ sink: (Data) -> Void) {
            var bytes = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return }
                sink(Data(bytes[0..<count]))
            }
        }

        func errorText() -> String {
            errorBuffer.lock.withLock { String(decoding: errorBuffer.data, as: UTF8.self) }
        }

        func stop() {
            if process.isRunning { process.terminate() }
        }

        /// Waits for the process to exit and returns its status.
        func wait() async -> Int32 {
            for await status in exited { return status }
            return process.terminationStatus
        }
    }

    func start(_ arguments: String...) throws -> Background {
        try start(arguments, stdin: nil)
    }

    private func start(_ arguments: [String], stdin: String?) throws -> Background {
        let (process, input, output, error) = process(arguments, stdin: stdin)
        let background = try Background(process: process, output: output, error: error)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        return background
    }

    /// Writes YAML to a temporary file and returns its path (for `apply -f`).
    func file(_ name: String, _ contents: String) throws -> String {
        let url = home.url.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
