import Foundation

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
            // Exits are awaited, never waited for on a thread (TestProcess).
            let process = try TestProcess.start(
                binary, arguments: ["serve", configURL.path], directory: directory.path)
            if await waitUntilAccepting(port, process: process) {
                let result: Result<T, any Error>
                do {
                    result = .success(
                        try await body(DockerRegistryServer(host: "127.0.0.1:\(port)", logPath: process.outputPath)))
                } catch {
                    result = .failure(error)
                }
                await process.stop()
                return try result.get()
            }
            let text = process.output
            await process.stop()
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

    private static func waitUntilAccepting(_ port: Int, process: TestProcess) async -> Bool {
        for _ in 0..<200 {
            if process.hasExited { return false }
            if FreeLoopbackPort.isAccepting(port) { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return false
    }
}
