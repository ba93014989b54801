/// How a VersioningHandler's images are looked up (`spec.containerregistry`).
package enum RegistryKind: String, CaseIterable, Sendable, Codable {
    /// Docker Hub through registry-1 (and the Hub API for dates).
    case dockerhub
    /// GitLab's REST API for tags, its registry for digests.
    case gitlab
    /// Any OCI distribution registry, addressed by the image's own host.
    case oci

    /// Accepts the names in any case.
    package init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }
}
