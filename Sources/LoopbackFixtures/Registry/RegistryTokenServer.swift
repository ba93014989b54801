import Foundation
import Synchronization
import Transport

/// Our token server for the registry's token auth (distribution token spec): `GET /auth?service=…&scope=…`
/// with optional Basic credentials → `{"token","access_token","expires_in","issued_at"}`, the token an
/// RS256 JWT signed with a fresh key pair (openssl CLI) whose certificate the registry trusts.
///
/// Grants: a known user gets every requested action; anonymous gets `pull` on `public/*` only and an
/// empty access list otherwise (200, as the spec requires); wrong credentials → 401.
/// ``issueExpiredTokens(_:)`` makes the next tokens already expired (`exp` 120 s in the past) while
/// the reply still says `expires_in: 300`, to exercise re-authentication.
package final class RegistryTokenServer: Sendable {
    package let realm: String
    package let service = "fixture-registry"
    package let issuer = "fixture-issuer"
    package let certificatePath: String
    private let keyPath: String
    private let certificateDER: String
    private let users: [String: String]
    private let state = Mutex<(expiredLeft: Int, issued: Int, denied: Int)>((0, 0, 0))
    let http: FixtureHTTPServer

    private init(http: FixtureHTTPServer, directory: URL, users: [String: String]) throws {
        self.http = http
        self.realm = "\(http.baseURL)/auth"
        self.users = users
        keyPath = directory.appendingPathComponent("token.key").path
        certificatePath = directory.appendingPathComponent("token.crt").path
        certificateDER = try ToolRunner.run("openssl", ["x509", "-in", certificatePath, "-outform", "DER"])
            .base64EncodedString()
    }

    /// Tokens issued so far (including expired ones).
    package var issuedCount: Int { state.withLock { $0.issued } }
    /// Requests refused for wrong credentials.
    package var deniedCount: Int { state.withLock { $0.denied } }

    /// The next `count` tokens are issued already expired.
    package func issueExpiredTokens(_ count: Int) { state.withLock { $0.expiredLeft = count } }

    /// Runs a token server for the duration of `body`.
    package static func withServer<T: Sendable>(
        users: [String: String] = ["testuser": "testpass"],
        body: @Sendable (RegistryTokenServer) async throws -> T
    ) async throws -> T {
        let temporary = try TemporaryDirectory(prefix: "token")
        defer { temporary.remove() }
        let directory = temporary.url
        _ = try ToolRunner.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                directory.appendingPathComponent("token.key").path,
                "-out", directory.appendingPathComponent("token.crt").path, "-days", "2", "-subj",
                "/CN=fixture-token-issuer",
            ])
        let box = Mutex<RegistryTokenServer?>(nil)
        let handler: FixtureHTTPServer.Handler = { request in
            guard let server = box.withLock({ $0 }) else { return .init(status: 503) }
            return server.answer(request)
        }
        return try await FixtureHTTPServer.withServer(handler) { http in
            let server = try RegistryTokenServer(http: http, directory: directory, users: users)
            box.withLock { $0 = server }
            return try await body(server)
        }
    }

    /// A token for `testuser`-style credentials, for pushing images: the value of an Authorization header.
    package func bearerAuthorization(username: String, repository: String, actions: [String]) throws -> String {
        let token = try makeToken(subject: username, access: [(repository, actions)])
        return "Bearer \(token)"
    }

    private func answer(_ request: FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply {
        guard request.method == "GET", request.path == "/auth" else { return .init(status: 404) }
        var subject = ""
        if let authorization = request.headers["authorization"] {
            guard authorization.hasPrefix("Basic "),
                let decoded = Data(base64Encoded: String(authorization.dropFirst(6))),
                let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":"),
                users[String(pair[..<colon])] == String(pair[pair.index(after: colon)...])
            else {
                state.withLock { $0.denied += 1 }
                return .json(#"{"details":"incorrect username or password"}"#, status: 401)
            }
            subject = String(pair[..<colon])
        }
        var access: [(String, [String])] = []
        for scope in Self.scopes(in: request.target) {
            let parts = scope.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, parts[0] == "repository" else { continue }
            let requested = parts[2].split(separator: ",").map(String.init)
            let granted =
                subject.isEmpty ? (parts[1].hasPrefix("public/") ? requested.filter { $0 == "pull" } : []) : requested
            access.append((parts[1], granted))
        }
        guard let token = try? makeToken(subject: subject, access: access) else { return .init(status: 500) }
        let issuedAt = ISO8601DateFormatter().string(from: Date())
        return .json(#"{"token":"\#(token)","access_token":"\#(token)","expires_in":300,"issued_at":"\#(issuedAt)"}"#)
    }

    /// Every `scope=` value of the query (there may be several).
    private static func scopes(in target: String) -> [String] {
        guard let query = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == "scope" else { return nil }
            return String(parts[1]).removingPercentEncoding
        }
    }

    private func makeToken(subject: String, access: [(String, [String])]) throws -> String {
        let expired = state.withLock { state -> Bool in
            state.issued += 1
            guard state.expiredLeft > 0 else { return false }
            state.expiredLeft -= 1
            return true
        }
        let now = Int(Date().timeIntervalSince1970)
        let expiry = expired ? now - 120 : now + 300
        let header = #"{"typ":"JWT","alg":"RS256","x5c":["\#(certificateDER)"]}"#
        let accessJSON = access.map { name, actions in
            let list = actions.map { "\"\($0)\"" }.joined(separator: ",")
            return #"{"type":"repository","name":"\#(name)","actions":[\#(list)]}"#
        }.joined(separator: ",")
        let claims = """
            {"iss":"\(issuer)","sub":"\(subject)","aud":"\(service)","exp":\(expiry),"nbf":\(expired ? now - 400 : now - 10),\
            "iat":\(expired ? now - 400 : now),"jti":"\(UUID().uuidString)","access":[\(accessJSON)]}
            """
        let signingInput = Self.base64URL(Data(header.utf8)) + "." + Self.base64URL(Data(claims.utf8))
        let signature = try ToolRunner.run(
            "openssl", ["dgst", "-sha256", "-sign", keyPath], input: Data(signingInput.utf8))
        return signingInput + "." + Self.base64URL(signature)
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
