/// Why the local runner could not start or keep a Pod's process.
package enum LocalClusterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The container cannot be configured (a missing Secret, ConfigMap or key, a bad field path): the
    /// kubelet's `CreateContainerConfigError`, retried after a back-off.
    case containerConfig(String)
    /// The Pod's ServiceAccount token could not be obtained.
    case token(String)
    /// The Pod's process could not be started.
    case start(String)

    package var description: String {
        switch self {
        case .containerConfig(let message): "CreateContainerConfigError: \(message)"
        case .token(let message): "cannot get the ServiceAccount token: \(message)"
        case .start(let message): "cannot start the process: \(message)"
        }
    }

    /// The container status's waiting reason for this failure.
    package var reason: String {
        switch self {
        case .containerConfig: "CreateContainerConfigError"
        case .token, .start: "CreateContainerError"
        }
    }
}
