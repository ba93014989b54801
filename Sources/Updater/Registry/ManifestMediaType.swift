import Foundation

/// The manifest media types a registry may answer with, and the `Accept` list we always send.
package enum ManifestMediaType {
    package static let ociIndex = "application/vnd.oci.image.index.v1+json"
    package static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    package static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    package static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"

    /// All four types. Without it registries down-convert to schema 1 (another digest), answer the
    /// amd64 child of a list, or 404 an OCI index — so every manifest request sends exactly this.
    package static let acceptList = [ociIndex, dockerManifestList, ociManifest, dockerManifest].joined(separator: ", ")

    /// The media type without parameters (`; charset=…`), or nil.
    package static func bare(_ contentType: String?) -> String? {
        guard let first = contentType?.split(separator: ";").first else { return nil }
        return first.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Whether the type is a multi-platform index (OCI index or Docker manifest list).
    package static func isIndex(_ contentType: String?) -> Bool {
        let type = bare(contentType)
        return type == ociIndex || type == dockerManifestList
    }
}
