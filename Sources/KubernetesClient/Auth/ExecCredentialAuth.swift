package import Foundation
import Transport

/// Credentials from an exec plugin (EKS, GKE, AKS): runs the kubeconfig's `exec` command, reads the
/// `ExecCredential` it prints, and caches it until its `expirationTimestamp`.
///
/// Expected flow: the first request runs the plugin; later requests reuse the result until it
/// expires (or forever when it names no expiry); a 401 drops it so the next request runs the plugin
/// again. Concurrent callers share one run.
///
/// Errors: a plugin that cannot start (with the kubeconfig's `installHint`), exits non-zero (with the
/// first line of its stderr), or prints something that is not an ExecCredential of the requested
/// apiVersion → ``KubernetesError/configuration(_:)``. Tokens never appear in messages.
package actor ExecCredentialAuth: AuthProvider {
    private let config: ExecPluginConfig
    private let cluster: ExecClusterInfo?
    private let baseEnvironment: [String: String]
    private let now: @Sendable () -> Date
    private var cached: (credentials: Credentials, expiry: Date?)?
    private var running: Task<(Credentials, Date?), any Error>?

    /// - Parameters:
    ///   - cluster: passed to the plugin in `KUBERNETES_EXEC_INFO` when `provideClusterInfo` is set.
    ///   - environment: the environment the plugin inherits (the kubeconfig's `env` is added to it).
    ///   - now: wall-clock time, compared with `expirationTimestamp`.
    package init(
        config: ExecPluginConfig, cluster: ExecClusterInfo?, environment: [String: String],
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.config = config
        self.cluster = cluster
        self.baseEnvironment = environment
        self.now = now
    }

    package func credentials() async throws(KubernetesError) -> Credentials {
        if let cached, cached.expiry.map({ $0 > now() }) ?? true { return cached.credentials }
        let task =
            running
            ?? Task { [config, cluster, baseEnvironment] in
                try await Self.run(config: config, cluster: cluster, environment: baseEnvironment)
            }
        running = task
        defer { running = nil }
        do {
            let (credentials, expiry) = try await task.value
            cached = (credentials, expiry)
            return credentials
        } catch let error as KubernetesError {
            throw error
        } catch {
            throw .configuration("exec plugin \(config.command): \(error)")
        }
    }

    package func invalidate() async -> Bool {
        cached = nil
        return true
    }

    private static func run(config: ExecPluginConfig, cluster: ExecClusterInfo?, environment: [String: String])
        async throws -> (Credentials, Date?)
    {
        guard ExecPluginConfig.supportedAPIVersions.contains(config.apiVersion) else {
            throw KubernetesError.configuration(
                "exec plugin \(config.command): unsupported apiVersion \(config.apiVersion)")
        }
        if config.interactiveMode == "Always" {
            throw KubernetesError.configuration(
                "exec plugin \(config.command) requires an interactive terminal (interactiveMode: Always)")
        }
        var env = environment
        for variable in config.env ?? [] { env[variable.name] = variable.value }
        env["KUBERNETES_EXEC_INFO"] = try execInfo(apiVersion: config.apiVersion, cluster: cluster, config: config)
        let output: ProcessRunner.Output
        do {
            output = try await ProcessRunner.run(
                command: config.command, arguments: config.args ?? [], environment: env)
        } catch {
            let hint = config.installHint.map { "\n\($0)" } ?? ""
            throw KubernetesError.configuration("exec plugin \(config.command) could not be started: \(error)\(hint)")
        }
        guard output.status == 0 else {
            if output.status == 127, let hint = config.installHint {
                throw KubernetesError.configuration("exec plugin \(config.command) not found\n\(hint)")
            }
            let firstLine = String(decoding: output.stderr, as: UTF8.self).split(separator: "\n").first ?? ""
            throw KubernetesError.configuration(
                "exec plugin \(config.command) exited with status \(output.status): \(firstLine.prefix(300))")
        }
        return try parse(output.stdout, config: config)
    }

    private static func execInfo(apiVersion: String, cluster: ExecClusterInfo?, config: ExecPluginConfig) throws
        -> String
    {
        struct Spec: Encodable {
            var interactive = false
            var cluster: ExecClusterInfo?
        }
        struct Info: Encodable {
            var apiVersion: String
            var kind = "ExecCredential"
            var spec: Spec
        }
        let info = Info(
            apiVersion: apiVersion, spec: Spec(cluster: config.provideClusterInfo == true ? cluster : nil))
        return String(decoding: try JSONEncoder().encode(info), as: UTF8.self)
    }

    private static func parse(_ data: Data, config: ExecPluginConfig) throws -> (Credentials, Date?) {
        struct Output: Decodable {
            struct Status: Decodable {
                var token: String?
                var expirationTimestamp: String?
                var clientCertificateData: String?
                var clientKeyData: String?
            }
            var apiVersion: String?
            var kind: String?
            var status: Status?
        }
        guard let output = try? JSONDecoder().decode(Output.self, from: data), output.kind == "ExecCredential" else {
            throw KubernetesError.configuration("exec plugin \(config.command) did not print an ExecCredential")
        }
        guard output.apiVersion == config.apiVersion else {
            throw KubernetesError.configuration(
                "exec plugin \(config.command) answered apiVersion \(output.apiVersion ?? "none"), "
                    + "expected \(config.apiVersion)")
        }
        guard let status = output.status else {
            throw KubernetesError.configuration("exec plugin \(config.command): ExecCredential has no status")
        }
        var expiry: Date?
        if let text = status.expirationTimestamp {
            guard let date = RFC3339.parse(text) else {
                throw KubernetesError.configuration(
                    "exec plugin \(config.command): status.expirationTimestamp is not RFC 3339")
            }
            expiry = date
        }
        var credentials = Credentials()
        if let token = status.token, !token.isEmpty { credentials.authorization = "Bearer \(token)" }
        if let certificate = status.clientCertificateData, let key = status.clientKeyData {
            credentials.clientCertificate = .bytes(Data(certificate.utf8))
            credentials.clientKey = .bytes(Data(key.utf8))
        } else if (status.clientCertificateData == nil) != (status.clientKeyData == nil) {
            throw KubernetesError.configuration(
                "exec plugin \(config.command): clientCertificateData and clientKeyData must come together")
        }
        guard credentials.authorization != nil || credentials.clientCertificate != nil else {
            throw KubernetesError.configuration(
                "exec plugin \(config.command): ExecCredential has neither a token nor a client certificate")
        }
        return (credentials, expiry)
    }
}
