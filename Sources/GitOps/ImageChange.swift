/// One finding to write back: a container's image moves from one tag to another (or, for a floating
/// tag, is pinned to the registry's new digest).
package struct ImageChange: Sendable, Hashable {
    /// The image as the manifests name it, without tag or digest (e.g. `registry.example:5000/team/web`).
    package var name: String
    /// Other spellings of the same image (e.g. `nginx` for `docker.io/library/nginx`).
    package var aliases: [String]
    package var oldTag: String
    package var newTag: String
    /// For a floating tag (`latest`): the digest to pin; nil for a version update.
    package var digest: String?
    /// The VersioningHandler, `namespace/name`.
    package var handler: String
    /// The container's name in the pod template.
    package var container: String

    package init(
        name: String, aliases: [String] = [], oldTag: String, newTag: String, digest: String? = nil, handler: String,
        container: String
    ) {
        self.name = name
        self.aliases = aliases
        self.oldTag = oldTag
        self.newTag = newTag
        self.digest = digest
        self.handler = handler
        self.container = container
    }

    /// What is written: the new tag, or the digest for a floating tag.
    package var written: String { digest ?? newTag }

    /// The trailer line every write-back commit carries; a replica that takes over looks for it in
    /// the branch before committing again.
    package var trailer: String { "K8supdater-Change: \(handler):\(container) \(written)" }
}

/// How the new tag is written into the repository.
package enum WriterKind: String, Sendable, Hashable, CaseIterable {
    /// The `images:` entry of the `kustomization.yaml` in the directory at the path.
    case kustomize
    /// Fields marked `# k8supdater: <namespace>/<name>:<container>` in the YAML files under the path.
    case marker
}
