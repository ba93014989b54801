import Foundation
import Transport

/// Answers `WWW-Authenticate` challenges for registry requests and caches what it learns.
///
/// Expected flow: before a request, ``authorization(for:scope:credentials:)`` returns the header to
/// send if this host's scheme is already known (so later repositories skip the 401 round trip). On a
/// 401, ``answer(_:for:scope:credentials:sent:)`` parses the challenges and returns the header to retry
/// with: a Bearer token from the challenge's realm (with Basic credentials when we have some), or
/// Basic credentials directly. A 401 carrying `invalid_token` or `insufficient_scope` after we sent a
/// token drops that token and asks for a new one with the challenge's scope.
///
/// Guarantees: concurrent requests needing the same token share one token request. Tokens and
/// credentials never appear in errors.
package actor RegistryAuthenticator {
    private let http: RegistryHTTPClient
    private let clock: RegistryClock
    private var cache = RegistryTokenCache()
    private var challenges: [String: AuthChallenge] = [:]
    private var inFlight: [RegistryTokenCache.Key: Task<BearerTokenResponse, any Error>] = [:]
    /// Token requests sent (for tests and the benchmark).
    package private(set) var tokenRequests = 0

    package init(http: RegistryHTTPClient, clock: RegistryClock = .continuous) {
        self.http = http
        self.clock = clock
    }

    /// The `Authorization` value to send to `repository`'s host without waiting for a challenge, if known.
    package func authorization(for repository: RegistryRepository, scope: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> String?
    {
        guard let challenge = challenges[repository.host] else { return nil }
        return try await header(for: challenge, host: repository.host, scope: scope, credentials: credentials)
    }

    /// The `Authorization` value to retry with after a 401 that carried `challengeHeaders`.
    ///
    /// - Parameter sent: the Authorization value the failed request carried, if any.
    /// - Throws: ``RegistryError/unauthorized(registry:detail:)`` when there is nothing (more) to try.
    package func answer(
        _ challengeHeaders: [String],
        for repository: RegistryRepository,
        scope: String,
        credentials: RegistryCredentials?,
        sent: String?
    ) async throws(RegistryError) -> String {
        let host = repository.host
        let parsed = AuthChallenge.parse(challengeHeaders)
        let bearer = parsed.first { $0.scheme == "bearer" }
        guard let challenge = bearer ?? parsed.first(where: { $0.scheme == "basic" }) else {
            throw .unauthorized(
                registry: host, detail: "authentication required, but no usable WWW-Authenticate challenge")
        }
        let generic = challenge.parameters.filter { $0.key != "scope" && $0.key != "error" }
        challenges[host] = AuthChallenge(scheme: challenge.scheme, parameters: generic)
        if challenge.scheme == "basic" {
            guard let credentials else {
                throw .unauthorized(registry: host, detail: "credentials required (Basic auth)")
            }
            if sent == credentials.basicAuthorization {
                throw .unauthorized(registry: host, detail: "credentials rejected")
            }
            return credentials.basicAuthorization
        }
        let wanted = challenge.scopes.isEmpty ? scope : challenge.scopes.joined(separator: " ")
        let key = try tokenKey(challenge, host: host, scope: wanted, credentials: credentials)
        if let sent, sent.hasPrefix("Bearer ") { cache.invalidate(key) }
        return "Bearer " + (try await token(for: key, host: host))
    }

    private func header(for challenge: AuthChallenge, host: String, scope: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> String?
    {
        if challenge.scheme == "basic" { return credentials?.basicAuthorization }
        let key = try tokenKey(challenge, host: host, scope: scope, credentials: credentials)
        return "Bearer " + (try await token(for: key, host: host))
    }

    private func tokenKey(_ challenge: AuthChallenge, host: String, scope: String, credentials: RegistryCredentials?)
        throws(RegistryError) -> RegistryTokenCache.Key
    {
        guard let realm = challenge.realm, realm.hasPrefix("http://") || realm.hasPrefix("https://") else {
            throw .unauthorized(registry: host, detail: "Bearer challenge without a usable realm")
        }
        return RegistryTokenCache.Key(realm: realm, service: challenge.service, scope: scope, credentials: credentials)
    }

    /// A valid token for the key: cached, joined to an in-flight request, or fetched.
    private func token(for key: RegistryTokenCache.Key, host: String) async throws(RegistryError) -> String {
        if let cached = cache.token(for: key, now: clock.now()) { return cached }
        let task: Task<BearerTokenResponse, any Error>
        if let running = inFlight[key] {
            task = running
        } else {
            tokenRequests += 1
            let http = self.http
            task = Task { try await Self.fetch(key, host: host, http: http) }
            inFlight[key] = task
        }
        let result = await task.result
        inFlight[key] = nil
        switch result {
        case .success(let response):
            cache.store(response.token, for: key, validFor: response.reuseFor, now: clock.now())
            return response.token
        case .failure(let error as RegistryError): throw error
        case .failure(let error): throw .transport(registry: host, detail: "\(error)", retryable: true)
        }
    }

    private static func fetch(_ key: RegistryTokenCache.Key, host: String, http: RegistryHTTPClient)
        async throws(RegistryError) -> BearerTokenResponse
    {
        var query = QueryString()
        query.add("service", key.service)
        for scope in key.scope.split(separator: " ") { query.add("scope", String(scope)) }
        var encoded = query.encoded
        if key.realm.contains("?"), !encoded.isEmpty { encoded = "&" + encoded.dropFirst() }
        var request = HTTPRequest(url: key.realm + encoded)
        if let credentials = key.credentials { request.headers["Authorization"] = credentials.basicAuthorization }
        let realmHost = URLComponents(string: key.realm)?.host ?? host
        let response = try await http.send(request, host: realmHost, kind: "token")
        switch response.status {
        case 200..<300:
            guard let token = BearerTokenResponse(json: response.body) else {
                throw .malformedResponse(registry: realmHost, detail: "token reply holds no token")
            }
            return token
        case 401, 403:
            throw .unauthorized(registry: host, detail: "the token server rejected the credentials")
        default:
            throw .httpStatus(registry: realmHost, status: response.status, detail: "token request failed")
        }
    }
}
