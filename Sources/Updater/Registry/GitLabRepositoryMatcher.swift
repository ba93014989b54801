import Foundation

/// A container repository of a GitLab project, as `GET /projects/:id/registry/repositories` lists it.
package struct GitLabRepository: Sendable, Hashable, Decodable {
    package var id: Int
    /// Relative to the project path; empty for the project's root image.
    package var name: String
    /// `group/project[/name]`.
    package var path: String?
    /// `registry.example.com[:port]/group/project[/name]` — what image references use.
    package var location: String?

    package init(id: Int, name: String, path: String? = nil, location: String? = nil) {
        self.id = id
        self.name = name
        self.path = path
        self.location = location
    }
}

/// Finds the GitLab repository an image lives in.
///
/// First by `location` (`registry host/path`, host compared case-insensitively) — exact and
/// independent of naming. Then the original's rule, kept for compatibility: the image contains a
/// literal `containers/` and the text after it equals the repository's `name`.
package enum GitLabRepositoryMatcher {
    package static func match(_ image: RegistryRepository, in repositories: [GitLabRepository]) -> GitLabRepository? {
        let wanted = "\(image.host.lowercased())/\(image.name)"
        if let exact = repositories.first(where: { location($0.location) == wanted }) { return exact }
        let full = "\(image.host)/\(image.name)"
        guard let marker = full.range(of: "containers/") else { return nil }
        let shortName = String(full[marker.upperBound...])
        return repositories.first { $0.name == shortName }
    }

    /// `Host:5000/Group/img` → `host:5000/Group/img` (only the host is case-insensitive).
    private static func location(_ location: String?) -> String? {
        guard let location, let slash = location.firstIndex(of: "/") else { return location?.lowercased() }
        return location[..<slash].lowercased() + location[slash...]
    }
}
