package import Transport

/// Supplies the credentials the client applies to each request, refreshing them as needed.
///
/// Expected flow: the client calls ``credentials()`` before every request; after a 401 it calls
/// ``invalidate()`` and, when that returns true, retries the request once with fresh credentials.
package protocol AuthProvider: Sendable {
    /// The credentials for the next request.
    ///
    /// - Throws: ``KubernetesError/configuration(_:)`` when none can be obtained (unreadable token
    ///   file, failing exec plugin); the message never contains a secret.
    func credentials() async throws(KubernetesError) -> Credentials

    /// Drops cached credentials after the server refused them (401). Returns true when fresh ones may
    /// differ, i.e. a retry is worth it.
    func invalidate() async -> Bool
}

/// What one request carries to authenticate: an `Authorization` header and/or a client certificate.
///
/// ``description`` never shows the secret parts.
package struct Credentials: Sendable, Hashable, CustomStringConvertible {
    /// The full header value: `Bearer <token>` or `Basic <base64>`.
    package var authorization: String?
    /// A client certificate and key that replace the configured ones (exec plugins may return them).
    package var clientCertificate: TLSConfiguration.PEMSource?
    package var clientKey: TLSConfiguration.PEMSource?

    package init(
        authorization: String? = nil, clientCertificate: TLSConfiguration.PEMSource? = nil,
        clientKey: TLSConfiguration.PEMSource? = nil
    ) {
        self.authorization = authorization
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }

    package static let none = Credentials()

    package var description: String {
        let scheme = authorization?.split(separator: " ").first.map(String.init) ?? "none"
        return "Credentials(authorization: \(scheme), clientCertificate: \(clientCertificate != nil))"
    }
}

/// No credentials (an API server on loopback that trusts everyone, such as the emulator).
package struct AnonymousAuth: AuthProvider {
    package init() {}
    package func credentials() async throws(KubernetesError) -> Credentials { .none }
    package func invalidate() async -> Bool { false }
}

/// A fixed bearer token (kubeconfig `token`).
package struct BearerTokenAuth: AuthProvider {
    private let token: String

    package init(token: String) { self.token = token }

    package func credentials() async throws(KubernetesError) -> Credentials {
        Credentials(authorization: "Bearer \(token)")
    }

    package func invalidate() async -> Bool { false }
}
