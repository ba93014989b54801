/// A container image reference (`[registry/]path[:tag][@digest]`) parsed by Docker's reference
/// grammar (distribution/reference) and normalised the way Docker and the kubelet do.
///
/// - `nginx` → registry `docker.io`, path `library/nginx`, no tag (``effectiveTag`` is `latest`)
/// - `bitnami/nginx:1.25` → `docker.io`, `bitnami/nginx`, tag `1.25`
/// - `localhost:5000/team/app:v2@sha256:…` → `localhost:5000`, `team/app`, tag `v2`, a digest
///
/// The reference also remembers the name as the user wrote it (``writtenName``) so that a new tag is
/// written back in the user's own form (``replacingTag(_:)``): `nginx:1.25` becomes `nginx:1.26`,
/// never `docker.io/library/nginx:1.26`.
package struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// The registry as shown to users: `docker.io` for Docker Hub, otherwise `host[:port]` as written.
    package let registry: String
    /// The repository path inside the registry, e.g. `library/nginx`, `bitnami/nginx`, `group/sub/app`.
    package let path: String
    /// The tag, if the reference has one. Kubernetes pulls `latest` when there is neither tag nor digest.
    package let tag: String?
    /// The digest, if the reference pins one (`name@sha256:…` or `name:tag@sha256:…`).
    package let digest: ImageDigest?
    /// The name part exactly as written (before normalisation), e.g. `nginx` or `docker.io/nginx`.
    /// Presentation only: equality and hashing use the normalised parts, so `nginx:1` and
    /// `docker.io/library/nginx:1` are the same reference.
    package let writtenName: String

    /// Creates a reference from already-validated parts. Use ``init(parsing:)`` for user input.
    package init(registry: String, path: String, tag: String?, digest: ImageDigest?, writtenName: String? = nil) {
        self.registry = registry
        self.path = path
        self.tag = tag
        self.digest = digest
        self.writtenName = writtenName ?? "\(registry)/\(path)"
    }

    /// The Docker Hub display name of the registry.
    package static let dockerHub = "docker.io"
    /// The host that serves Docker Hub's registry API (`/v2/…`).
    package static let dockerHubAPIHost = "registry-1.docker.io"

    package static func == (lhs: ImageReference, rhs: ImageReference) -> Bool {
        lhs.registry == rhs.registry && lhs.path == rhs.path && lhs.tag == rhs.tag && lhs.digest == rhs.digest
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(registry)
        hasher.combine(path)
        hasher.combine(tag)
        hasher.combine(digest)
    }

    /// Whether the image lives on Docker Hub.
    package var isDockerHub: Bool { registry == Self.dockerHub }

    /// The host (with port) to send registry API requests to: `registry-1.docker.io` for Docker Hub,
    /// otherwise ``registry`` unchanged.
    package var registryHost: String { isDockerHub ? Self.dockerHubAPIHost : registry }

    /// The canonical repository name, `registry/path` (e.g. `docker.io/library/nginx`).
    package var name: String { "\(registry)/\(path)" }

    /// The short name Docker prints: `nginx` for official images, `bitnami/nginx` for other Docker Hub
    /// images, and the full name elsewhere.
    package var familiarName: String {
        guard isDockerHub else { return name }
        if path.hasPrefix("library/"), path.utf8.dropFirst(8).allSatisfy({ $0 != UInt8(ascii: "/") }) {
            return String(path.dropFirst(8))
        }
        return path
    }

    /// The tag the runtime pulls: the tag, or `latest` when the reference has neither tag nor digest,
    /// or nil for a digest-only reference.
    package var effectiveTag: String? {
        if let tag { return tag }
        return digest == nil ? "latest" : nil
    }

    /// The fully qualified form: `docker.io/library/nginx:1.25@sha256:…`.
    package var description: String {
        var text = name
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// The image string to write into a pod spec to move to `newTag`: the name as the user wrote it,
    /// the new tag, and no digest (a digest would pin the old image).
    ///
    /// `newTag` must be a tag string as the registry lists it; it is not validated here beyond the
    /// caller's contract (candidate tags come from the registry and are checked by ``Tag``).
    package func replacingTag(_ newTag: String) -> String {
        "\(writtenName):\(newTag)"
    }
}
