import Foundation
import Transport

/// Configuration for a pod: the API server from `KUBERNETES_SERVICE_HOST`/`_PORT`, the service
/// account's token (re-read periodically, since projected tokens rotate), CA certificate and namespace.
package enum InClusterConfig {
    /// Where the service account's files are mounted; injectable for tests.
    package struct Paths: Sendable, Hashable {
        package var token: String
        package var certificateAuthority: String
        package var namespace: String

        package init(directory: String) {
            token = directory + "/token"
            certificateAuthority = directory + "/ca.crt"
            namespace = directory + "/namespace"
        }

        package static let `default` = Paths(directory: "/var/run/secrets/kubernetes.io/serviceaccount")
    }

    /// Whether the environment looks like a pod (both service variables set).
    package static func isAvailable(environment: [String: String]) -> Bool {
        environment["KUBERNETES_SERVICE_HOST"].map { !$0.isEmpty } ?? false
            && environment["KUBERNETES_SERVICE_PORT"].map { !$0.isEmpty } ?? false
    }

    /// Builds the configuration.
    ///
    /// - Throws: ``ConfigurationError`` naming the variable or file that is missing or malformed.
    package static func load<C: Clock>(
        environment: [String: String], paths: Paths = .default, tokenRefresh: Duration = .seconds(60), clock: C
    ) throws(ConfigurationError) -> ClientConfiguration where C.Duration == Duration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw ConfigurationError(source: "KUBERNETES_SERVICE_HOST", message: "not set (not running in a pod?)")
        }
        guard let port = environment["KUBERNETES_SERVICE_PORT"], let number = Int(port), (1...65535).contains(number)
        else {
            throw ConfigurationError(source: "KUBERNETES_SERVICE_PORT", message: "must be a port number 1-65535")
        }
        guard FileManager.default.isReadableFile(atPath: paths.token) else {
            throw ConfigurationError(source: paths.token, message: "service account token is not readable")
        }
        guard FileManager.default.isReadableFile(atPath: paths.certificateAuthority) else {
            throw ConfigurationError(source: paths.certificateAuthority, message: "CA certificate is not readable")
        }
        var namespace = "default"
        if let data = FileManager.default.contents(atPath: paths.namespace) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { namespace = text }
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return ClientConfiguration(
            server: "https://\(hostPart):\(number)",
            tls: TLSConfiguration(certificateAuthority: .file(paths.certificateAuthority)),
            auth: TokenFileAuth(path: paths.token, refreshInterval: tokenRefresh, clock: clock),
            namespace: namespace)
    }
}
