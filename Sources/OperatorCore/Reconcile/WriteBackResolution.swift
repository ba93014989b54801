import Foundation
package import GitOps
package import KubernetesClient
package import VersioningAPI

/// `spec.writeBack` resolved against the cluster: the GitOps target with the credentials of its
/// Secret (read only in the object's own namespace).
///
/// Secret keys: `username` and `token` (or `password`, as in a `kubernetes.io/basic-auth` Secret) for
/// HTTPS; `identity` (or `ssh-privatekey`, as in a `kubernetes.io/ssh-auth` Secret) and `known_hosts`
/// for SSH — host keys are always checked, so `known_hosts` is required.
package enum WriteBackResolution {
    /// - Parameters:
    ///   - secrets: where the credentials Secret is read (remembered up to `maxAge`); nil reads the API.
    package static func resolve(
        _ spec: VersioningHandler.WriteBack, namespace: String, client: KubernetesClient,
        secrets: SecretCache? = nil, maxAge: Duration = .zero
    ) async -> Result<WriteBackTarget, CheckTarget.Failure> {
        guard let writer = WriterKind(rawValue: spec.writer.rawValue) else {
            return .failure(
                .problem(
                    SpecProblem(
                        reason: "InvalidWriteBackTarget",
                        message: "spec.writeBack.writer is \"\(spec.writer.rawValue)\"; use kustomize or marker")))
        }
        var credentials = GitCredentials.anonymous
        if let reference = spec.secretRef {
            let data: [String: Data]
            switch await (secrets ?? SecretCache()).secret(
                named: reference.name, in: namespace, maxAge: maxAge, client: client)
            {
            case .found(let found):
                data = found
            case .notFound:
                return .failure(
                    .problem(
                        SpecProblem(
                            reason: "WriteBackSecretNotFound",
                            message: "spec.writeBack.secretRef names Secret \"\(reference.name)\", which does not "
                                + "exist in namespace \"\(namespace)\"; create it or correct the reference")))
            case .failed(let error):
                return .failure(.api(error))
            }
            func text(_ keys: String...) -> String? {
                for key in keys {
                    if let bytes = data[key] {
                        return String(decoding: bytes, as: UTF8.self).trimmingTrailingNewlines
                    }
                }
                return nil
            }
            if let key = data["identity"] ?? data["ssh-privatekey"] {
                guard let knownHosts = data["known_hosts"] else {
                    return .failure(
                        .problem(
                            SpecProblem(
                                reason: "InvalidWriteBackTarget",
                                message: "Secret \"\(reference.name)\" has an SSH key but no known_hosts key; add the "
                                    + "server's host keys (ssh-keyscan output) so they can be checked")))
                }
                credentials = .ssh(privateKey: key, knownHosts: knownHosts)
            } else if let token = text("token", "password") {
                credentials = .https(username: text("username") ?? "git", token: token)
            } else {
                return .failure(
                    .problem(
                        SpecProblem(
                            reason: "InvalidWriteBackTarget",
                            message: "Secret \"\(reference.name)\" has neither username/token (HTTPS) nor "
                                + "identity/known_hosts (SSH) keys")))
            }
        }
        let target = WriteBackTarget(
            repository: spec.repository, branch: spec.branch, path: spec.path, writer: writer,
            credentials: credentials)
        do { try target.validate() } catch {
            return .failure(.problem(SpecProblem(reason: error.reason, message: error.message)))
        }
        return .success(target)
    }
}

extension String {
    /// Without trailing `\n` and `\r` (a token pasted with `echo` into a Secret).
    fileprivate var trimmingTrailingNewlines: String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
