import Foundation
import KubernetesClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A Pod's API credentials as the kubelet provides them: a token of the Pod's ServiceAccount from the
/// TokenRequest API (bound to the Pod), kept in a token file that is rewritten before it expires, and
/// a kubeconfig naming that file (`KUBECONFIG` of the process), since a local process has no projected
/// `/var/run/secrets/kubernetes.io/serviceaccount`.
struct PodCredentials: Sendable {
    let client: KubernetesClient
    /// The API server as the Pod's process reaches it.
    let server: String
    let pod: RunnablePod
    /// The Pod's directory: `token` and `kubeconfig` are written there.
    let directory: String
    /// The requested token lifetime (the API's minimum is 600 s).
    let expirationSeconds: Int

    var tokenPath: String { "\(directory)/token" }
    var kubeconfigPath: String { "\(directory)/kubeconfig" }

    /// Requests a token and writes the token file and the kubeconfig.
    ///
    /// - Returns: when the token should be renewed (at 80 % of its lifetime, as the kubelet does).
    /// - Throws: ``LocalClusterError/token(_:)``.
    func refresh() async throws(LocalClusterError) -> Duration {
        let namespace = pod.metadata.namespace ?? "default"
        let account = pod.spec?.serviceAccountName ?? "default"
        let request = TokenRequestBody(
            spec: .init(
                audiences: nil, expirationSeconds: expirationSeconds,
                boundObjectRef: .init(kind: "Pod", apiVersion: "v1", name: pod.metadata.name, uid: pod.metadata.uid)))
        let reply: TokenRequestBody
        do {
            reply = try await client.create(
                request, subresource: "token", of: RunnerServiceAccount.self, name: account, namespace: namespace,
                replyAs: TokenRequestBody.self)
        } catch {
            throw .token("\(namespace)/\(account): \(error)")
        }
        guard let token = reply.status?.token, !token.isEmpty else {
            throw .token("\(namespace)/\(account): the TokenRequest answer has no token")
        }
        do {
            try Self.write(token, to: tokenPath)
            try Self.write(kubeconfig(namespace: namespace, account: account), to: kubeconfigPath)
        } catch {
            throw .token("cannot write \(directory): \(error)")
        }
        return .seconds(expirationSeconds * 4 / 5)
    }

    func kubeconfig(namespace: String, account: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: \(server)
        users:
        - name: \(account)
          user:
            tokenFile: \(tokenPath)
        contexts:
        - name: local
          context:
            cluster: local
            user: \(account)
            namespace: \(namespace)
        current-context: local

        """
    }

    /// Writes through a temporary file and a rename, so a reader never sees a half-written token.
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
        guard rename(temporary, path) == 0 else {
            throw LocalClusterError.start("cannot rename \(temporary) to \(path)")
        }
    }
}

/// `authentication.k8s.io/v1` TokenRequest (the body sent and the answer).
struct TokenRequestBody: Codable, Sendable {
    var apiVersion = "authentication.k8s.io/v1"
    var kind = "TokenRequest"
    var spec: Spec
    var status: Status?

    init(spec: Spec) { self.spec = spec }

    struct Spec: Codable, Sendable {
        var audiences: [String]?
        var expirationSeconds: Int?
        var boundObjectRef: BoundObject?
    }

    struct BoundObject: Codable, Sendable {
        var kind: String
        var apiVersion: String
        var name: String?
        var uid: String?
    }

    struct Status: Codable, Sendable {
        var token: String?
        var expirationTimestamp: String?
    }
}
