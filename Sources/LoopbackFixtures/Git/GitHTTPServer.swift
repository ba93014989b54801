import Foundation
import Synchronization
import Transport

/// A loopback smart-HTTP Git server: Debian's `git http-backend` behind a small CGI bridge on
/// ``FixtureHTTPServer``, serving the bare repositories under `root` (`http://127.0.0.1:<port>/<name>.git`).
///
/// With `credentials`, a push (`git-receive-pack`) needs HTTP basic authentication with exactly that
/// username and token (401 otherwise); `protectReads` asks for it on fetches too. Before answering the
/// first push's ref advertisement, `beforeFirstPush` runs once (a test makes "someone else" push there,
/// so the push being prepared is no longer a fast-forward).
package final class GitHTTPServer: Sendable {
    package let baseURL: String
    private let state = Mutex(Counters())

    /// What the server saw.
    package struct Counters: Sendable, Hashable {
        /// `info/refs?service=git-receive-pack` and `POST /git-receive-pack` requests with valid credentials.
        package var authorizedPushRequests = 0
        /// Push requests refused with 401 (no or wrong credentials).
        package var refusedPushRequests = 0
        /// Pushes whose pack was accepted by git (POST git-receive-pack answered 200).
        package var pushPosts = 0
    }

    private init(baseURL: String) { self.baseURL = baseURL }

    /// The URL of a repository (`<name>.git`).
    package func url(_ repository: String) -> String { "\(baseURL)/\(repository)" }

    package var counters: Counters { state.withLock { $0 } }

    /// Serves `root` while `body` runs.
    package static func withServer<Result: Sendable>(
        root: String, credentials: (username: String, token: String)? = nil, protectReads: Bool = false,
        beforeFirstPush: (@Sendable () async -> Void)? = nil, _ body: (GitHTTPServer) async throws -> Result
    ) async throws -> Result {
        let git = try SystemTool.require("git")
        let holder = Mutex<GitHTTPServer?>(nil)
        let hook = Mutex(beforeFirstPush)
        let expected = credentials.map { "Basic " + Data("\($0.username):\($0.token)".utf8).base64EncodedString() }
        let handler: FixtureHTTPServer.Handler = { request in
            guard let server = holder.withLock({ $0 }) else { return .init(status: 503) }
            let query = request.query
            let isPush = request.path.hasSuffix("/git-receive-pack") || query["service"] == "git-receive-pack"
            if let expected, isPush || protectReads {
                guard request.headers["authorization"] == expected else {
                    if isPush { server.state.withLock { $0.refusedPushRequests += 1 } }
                    return .init(status: 401, headers: [("WWW-Authenticate", "Basic realm=\"git\"")])
                }
            }
            if isPush { server.state.withLock { $0.authorizedPushRequests += 1 } }
            if query["service"] == "git-receive-pack",
                let run = hook.withLock({ hook in
                    defer { hook = nil }
                    return hook
                })
            {
                await run()
            }
            let reply = await cgi(
                git: git, root: root, request: request, user: expected == nil ? nil : credentials?.username)
            if request.path.hasSuffix("/git-receive-pack"), reply.status == 200 {
                server.state.withLock { $0.pushPosts += 1 }
            }
            return reply
        }
        return try await FixtureHTTPServer.withServer(handler) { fixture in
            let server = GitHTTPServer(baseURL: fixture.baseURL)
            holder.withLock { $0 = server }
            return try await body(server)
        }
    }

    /// Runs `git http-backend` for one request (RFC 3875 CGI) and turns its output into a reply.
    private static func cgi(
        git: String, root: String, request: FixtureHTTPServer.RecordedRequest, user: String?
    ) async -> FixtureHTTPServer.Reply {
        let id = UUID().uuidString
        let input = "\(root)/.cgi-in-\(id)"
        let output = "\(root)/.cgi-out-\(id)"
        let errors = "\(root)/.cgi-err-\(id)"
        defer { for file in [input, output, errors] { try? FileManager.default.removeItem(atPath: file) } }
        let queryString = request.target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        var environment = [
            "GIT_PROJECT_ROOT": root, "GIT_HTTP_EXPORT_ALL": "1", "PATH_INFO": request.path,
            "QUERY_STRING": queryString, "REQUEST_METHOD": request.method, "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": String(request.body.count), "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            "HOME": root, "PATH": "/usr/bin:/bin",
        ]
        if let type = request.headers["content-type"] { environment["CONTENT_TYPE"] = type }
        if let encoding = request.headers["content-encoding"] { environment["HTTP_CONTENT_ENCODING"] = encoding }
        if let protocolHeader = request.headers["git-protocol"] { environment["HTTP_GIT_PROTOCOL"] = protocolHeader }
        if let user { environment["REMOTE_USER"] = user }
        do {
            _ = FileManager.default.createFile(atPath: input, contents: request.body)
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: git)
            process.arguments = ["http-backend"]
            process.environment = environment
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
            let exited = AsyncSignal()
            process.terminationHandler = { _ in exited.fire() }
            try process.run()
            await exited.wait(upTo: .seconds(120))
        } catch {
            return .init(status: 500, body: Data("http-backend failed: \(error)".utf8))
        }
        let data = FileManager.default.contents(atPath: output) ?? Data()
        let separator = Data("\r\n\r\n".utf8)
        let alternate = Data("\n\n".utf8)
        guard let range = data.range(of: separator) ?? data.range(of: alternate) else {
            let stderr = FileManager.default.contents(atPath: errors) ?? Data()
            return .init(status: 500, body: stderr)
        }
        var status = 200
        var headers: [(String, String)] = []
        for line in String(decoding: data[..<range.lowerBound], as: UTF8.self).split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if parts[0].lowercased() == "status" {
                status = Int(parts[1].prefix { $0.isNumber }) ?? 500
            } else {
                headers.append((parts[0], parts[1]))
            }
        }
        return .init(status: status, headers: headers, body: Data(data[range.upperBound...]))
    }
}
