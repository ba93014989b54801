/// A kubeconfig `user.exec` section: a command that prints an `ExecCredential`.
package struct ExecPluginConfig: Sendable, Hashable, Decodable {
    package var command: String
    package var args: [String]?
    package var env: [EnvVar]?
    /// `client.authentication.k8s.io/v1` (or `v1beta1`); the output must carry the same.
    package var apiVersion: String
    /// Shown when the command cannot be started.
    package var installHint: String?
    /// Pass the cluster (server, CA) in `KUBERNETES_EXEC_INFO`.
    package var provideClusterInfo: Bool?
    /// `Never`, `IfAvailable` or `Always`; this client is never interactive.
    package var interactiveMode: String?

    package struct EnvVar: Sendable, Hashable, Decodable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    package init(
        command: String, args: [String]? = nil, env: [EnvVar]? = nil,
        apiVersion: String = "client.authentication.k8s.io/v1", installHint: String? = nil
    ) {
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
        self.installHint = installHint
    }

    /// The API versions of ExecCredential this client speaks.
    package static let supportedAPIVersions: Set<String> = [
        "client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1",
    ]
}

/// The cluster details an exec plugin gets when `provideClusterInfo` is true.
package struct ExecClusterInfo: Sendable, Hashable, Encodable {
    package var server: String
    package var certificateAuthorityData: String?
    package var insecureSkipTLSVerify: Bool?
    package var tlsServerName: String?

    enum CodingKeys: String, CodingKey {
        case server
        case certificateAuthorityData = "certificate-authority-data"
        case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        case tlsServerName = "tls-server-name"
    }
}
