import Foundation

/// A bearer token read from a file and re-read periodically, because projected service-account
/// tokens rotate (kubeconfig `tokenFile`, and the in-cluster token).
///
/// Guarantees: the file is read at most once per ``refreshInterval`` (measured on the injected clock)
/// unless the server refuses the token, which forces a re-read. A failed re-read keeps serving the last
/// token that was read, as client-go does; only a first read that fails throws.
package actor TokenFileAuth<C: Clock>: AuthProvider where C.Duration == Duration {
    package let path: String
    package let refreshInterval: Duration
    private let clock: C
    private var cached: (token: String, readAt: C.Instant)?

    package init(path: String, refreshInterval: Duration = .seconds(60), clock: C) {
        self.path = path
        self.refreshInterval = refreshInterval
        self.clock = clock
    }

    package func credentials() async throws(KubernetesError) -> Credentials {
        let now = clock.now
        if let cached, cached.readAt.advanced(by: refreshInterval) > now {
            return Credentials(authorization: "Bearer \(cached.token)")
        }
        do {
            let token = try Self.read(path)
            cached = (token, now)
            return Credentials(authorization: "Bearer \(token)")
        } catch {
            guard let cached else { throw error }
            return Credentials(authorization: "Bearer \(cached.token)")
        }
    }

    package func invalidate() async -> Bool {
        let previous = cached?.token
        guard let token = try? Self.read(path) else { return false }
        cached = (token, clock.now)
        return token != previous
    }

    private static func read(_ path: String) throws(KubernetesError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("cannot read token file \(path)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .configuration("token file \(path) is empty") }
        return token
    }
}
