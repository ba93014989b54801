extension VersioningHandler {
    /// `spec.writeBack`: commit new tags to the Git repository that holds the manifests (for clusters
    /// reconciled by Argo CD or Flux) instead of patching the Deployment.
    package struct WriteBack: Sendable, Hashable, Codable {
        /// `https://…`, `ssh://…` or `git@host:path`.
        package var repository: String
        package var branch: String
        /// A directory (kustomize; marker) or a file (marker), relative to the repository's root.
        package var path: String
        /// How the tag is written: `kustomize` or `marker`.
        package var writer: Writer
        /// A Secret in the object's namespace with `username` + `token` (or `password`) for HTTPS, or
        /// `identity` (or `ssh-privatekey`) + `known_hosts` for SSH; none for a public repository
        /// that accepts anonymous pushes (tests, a local server).
        package var secretRef: SecretReference?

        package init(
            repository: String, branch: String, path: String, writer: Writer, secretRef: SecretReference? = nil
        ) {
            self.repository = repository
            self.branch = branch
            self.path = path
            self.writer = writer
            self.secretRef = secretRef
        }

        /// `spec.writeBack.writer`.
        package struct Writer: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
            package var rawValue: String
            package init(rawValue: String) { self.rawValue = rawValue }
            package init(stringLiteral value: String) { self.rawValue = value }
            /// The `images:` entry of the kustomization.yaml at the path.
            package static let kustomize: Writer = "kustomize"
            /// Fields marked `# k8supdater: <namespace>/<name>:<container>` under the path.
            package static let marker: Writer = "marker"
        }
    }
}
