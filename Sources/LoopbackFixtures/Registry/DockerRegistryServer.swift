import Foundation
import Synchronization

/// Debian's `docker-registry` (CNCF distribution 2.8) started on a free loopback port with a
/// generated config, in a scratch directory removed afterwards — anonymous, htpasswd or token auth.
package final class DockerRegistryServer: Sendable {
    package enum Auth: Sendable {
        case anonymous
        /// bcrypt htpasswd file with one user (`htpasswd -Bbn`), realm `fixture-realm`.
        case htpasswd(username: String, password: String)
        /// Bearer tokens from a ``RegistryTokenServer``.
        case token(RegistryTokenServer)
    }

    /// `127.0.0.1:<port>`.
    package let host: String
    package var baseURL: String { "http://\(host)" }
    /// The registry's own log (its access log too, when started with `accessLog: true`).
    private let logPath: String

    private init(host: String, logPath: String) {
        self.host = host
        self.logPath = logPath
    }

    /// How many `/v2/` requests the registry itself has logged so far (needs `accessLog: true`): what the
    /// server saw, independent of any client-side count.
    package func loggedRequestCount() -> Int {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.contains("\"GET /v2/") || $0.contains("\"HEAD /v2/") }.count
    }

    /// Runs a registry for the duration of `body`.
    /// - Parameter accessLog: log every request (for ``loggedRequestCount()``).
    package static func withRegistry<T: Sendable>(
        auth: Auth = .anonymous, accessLog: Bool = false,
        body: @Sendable (DockerRegistryServer) async throws -> T
    ) async throws -> T {
        let binary = try SystemTool.require("docker-registry")
        let temporary = try TemporaryDirectory(prefix: "registry")
        defer { temporary.remove() }
        let directory = temporary.url
        let authSection = try Self.authSection(auth, directory: directory)
        var lastError: any Error = FixtureError("docker-registry did not start")
        for _ in 0..<3 {
            let port = try FreeLoopbackPort.next()
            let config = """
                version: 0.1
                log: {level: error, accesslog: {disabled: \(!accessLog)}}
                storage:
                  filesystem: {rootdirectory: \(directory.path)/data}
                  delete: {enabled: true}
                http: {addr: 127.0.0.1:\(port), secret: fixture-secret}
                \(authSection)
                """
            let configURL = directory.appendingPathComponent("config.yml")
            try Data(config.utf8).write(to: configURL)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", configURL.path]
            let logURL = directory.appendingPathComponent("registry.log")
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
            let log = try FileHandle(forWritingTo: logURL)
            process.standardOutput = log
            process.standardError = log
            try process.run()
            let running = ProcessBox(process)
            defer { running.stop() }
            if await waitUntilAccepting(port, process: process) {
                return try await body(DockerRegistryServer(host: "127.0.0.1:\(port)", logPath: logURL.path))
            }
            let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            lastError = FixtureError("docker-registry did not start: \(text.suffix(400))")
        }
        throw lastError
    }

    private static func authSection(_ auth: Auth, directory: URL) throws -> String {
        switch auth {
        case .anonymous:
            return ""
        case .htpasswd(let username, let password):
            let line = try ToolRunner.run("htpasswd", ["-Bbn", username, password])
            let file = directory.appendingPathComponent("htpasswd")
            try line.write(to: file)
            return "auth: {htpasswd: {realm: fixture-realm, path: \(file.path)}}"
        case .token(let server):
            return """
                auth: {token: {realm: "\(server.realm)", service: \(server.service), issuer: \(server.issuer), \
                rootcertbundle: \(server.certificatePath)}}
                """
        }
    }

    private static func waitUntilAccepting(_ port: Int, process: Process) async -> Bool {
        for _ in 0..<200 {
            if !process.isRunning { return false }
            if FreeLoopbackPort.isAccepting(port) { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return false
    }
}

/// Owns a child process and stops exactly it.
final class ProcessBox: Sendable {
    private let process: Mutex<Process?>

    init(_ process: Process) {
        self.process = Mutex(process)
    }

    func stop() {
        guard
            let process = process.withLock({ value in
                defer { value = nil }
                return value
            })
        else { return }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
