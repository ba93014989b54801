/// Docker Hub's naming rules: its host aliases, the registry and auth endpoints, and `library/`.
package enum DockerHub {
    /// The name image references and docker config keys use for Docker Hub.
    package static let canonicalHost = "docker.io"
    /// Where the registry API lives.
    package static let registryHost = "registry-1.docker.io"
    /// The Hub API (tag dates), separate from the registry and with its own rate limit.
    package static let hubAPIBaseURL = "https://hub.docker.com"

    private static let aliases: Set<String> = [
        "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "hub.docker.com",
    ]

    /// Whether a host (lowercased, without scheme) is one of Docker Hub's names.
    package static func isHubHost(_ host: String) -> Bool { aliases.contains(host.lowercased()) }

    /// The repository path on Docker Hub: official images get `library/` (`nginx` → `library/nginx`).
    package static func repositoryName(_ path: String) -> String {
        path.contains("/") ? path : "library/\(path)"
    }

    /// The registry-1 repository for a Docker Hub path (`nginx`, `bitnami/nginx`, `library/nginx`).
    package static func repository(_ path: String) -> RegistryRepository {
        RegistryRepository(host: registryHost, name: repositoryName(path))
    }
}
