package import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the `git` executable (Foundation `Process`) with a given environment, working directory,
/// standard input and time limit, and returns what it printed, redacted.
///
/// Guarantees:
/// - The environment is exactly the one given (nothing is inherited), so no user or system
///   configuration, credential helper or terminal prompt can take part.
/// - A run longer than `timeout` is stopped (SIGTERM, then SIGKILL after 2 s, to git's whole process
///   group) and reported as ``GitCommandError/Kind/timedOut``.
/// - Output is captured to files in `scratch` (no pipe can fill up and block git) and every string of
///   `secrets`, and any `user:password@` in a URL, is replaced by `***` before it is returned.
package struct GitCommandRunner: Sendable {
    /// What one run printed.
    package struct Output: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
    }

    /// The git executable.
    package var executable: String
    /// The time limit of one git command.
    package var timeout: Duration

    package init(executable: String = "/usr/bin/git", timeout: Duration = .seconds(120)) {
        self.executable = executable
        self.timeout = timeout
    }

    /// Runs `git arguments…` in `directory`.
    ///
    /// - Throws: ``GitCommandError`` (`.failed` when git cannot be started, `.timedOut`); a non-zero
    ///   exit status is returned, not thrown, so callers classify it.
    package func run(
        _ arguments: [String], in directory: String, environment: [String: String], scratch: String,
        input: Data? = nil, secrets: [String] = []
    ) async throws(GitCommandError) -> Output {
        let id = UUID().uuidString
        let outPath = "\(scratch)/out-\(id)"
        let errPath = "\(scratch)/err-\(id)"
        let inPath = "\(scratch)/in-\(id)"
        defer {
            for path in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: path) }
        }
        let process = Process()
        let exit = GitProcessExit()
        do {
            _ = FileManager.default.createFile(atPath: outPath, contents: nil, attributes: [.posixPermissions: 0o600])
            _ = FileManager.default.createFile(atPath: errPath, contents: nil, attributes: [.posixPermissions: 0o600])
            let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            defer {
                try? out.close()
                try? err.close()
            }
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = environment
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = out
            process.standardError = err
            if let input {
                _ = FileManager.default.createFile(
                    atPath: inPath, contents: input, attributes: [.posixPermissions: 0o600])
                process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            process.terminationHandler = { _ in exit.fire() }
            try process.run()
        } catch {
            throw GitCommandError(.failed, "git could not be started (\(executable)): \(error)")
        }
        let finished = await exit.wait(upTo: timeout)
        if !finished {
            // Foundation starts the child as the leader of its own process group: stop the group, so
            // the helpers git started (git-remote-https, ssh) stop with it.
            let group = -process.processIdentifier
            kill(group, SIGTERM)
            if !(await exit.wait(upTo: .seconds(2))) {
                kill(group, SIGKILL)
                await exit.wait(upTo: .seconds(10))
            }
            throw GitCommandError(
                .timedOut, "git \(arguments.first ?? "") ran longer than \(timeout) and was stopped")
        }
        let read = { (path: String) in
            Self.redact(
                FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "",
                secrets: secrets)
        }
        return Output(status: process.terminationStatus, stdout: read(outPath), stderr: read(errPath))
    }

    /// `text` with each secret and any URL user information replaced by `***`.
    package static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        // scheme://user:password@host → scheme://***@host
        return result.replacing(#/(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@/#) { match in
            "\(match.output.scheme)***@"
        }
    }
}
