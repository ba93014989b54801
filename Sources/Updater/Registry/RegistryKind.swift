/// How a VersioningHandler's images are looked up (`spec.containerregistry`): `dockerhub`, `gitlab` or
/// `oci`.
///
/// Kept open (a raw string) so an object written under a newer schema still decodes; ``known`` lists
/// what this build can look up, and ``RegistryClients/registry(_:gitLab:)`` rejects any other value
/// with a typed error.
package struct RegistryKind: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }

    /// Docker Hub through registry-1 (and the Hub API for dates).
    package static let dockerhub: RegistryKind = "dockerhub"
    /// GitLab's REST API for tags, its registry for digests.
    package static let gitlab: RegistryKind = "gitlab"
    /// Any OCI distribution registry, addressed by the image's own host.
    package static let oci: RegistryKind = "oci"

    /// The kinds this build can look up.
    package static let known: [RegistryKind] = [.dockerhub, .gitlab, .oci]

    /// A known kind, named in any case; nil for anything else.
    package init?(parsing text: String) {
        let kind = RegistryKind(rawValue: text.lowercased())
        guard Self.known.contains(kind) else { return nil }
        self = kind
    }

    package var description: String { rawValue }
}
