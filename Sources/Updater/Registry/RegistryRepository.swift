/// A repository in a registry: where to send requests and the name to ask for.
///
/// `host` is the registry's address as it appears in image references and in dockerconfigjson
/// keys (`ghcr.io`, `127.0.0.1:5000`, `registry-1.docker.io`); `name` is the repository path
/// (`library/nginx`, `team/app`). This is a location, not an image reference parser: callers turn
/// references into repositories (Docker Hub's `library/` rule lives in ``DockerHub``).
package struct RegistryRepository: Sendable, Hashable, CustomStringConvertible {
    package var host: String
    package var name: String
    /// `https` normally; `http` only for registries the user explicitly marked insecure.
    package var scheme: String

    package init(host: String, name: String, scheme: String = "https") {
        self.host = host
        self.name = name
        self.scheme = scheme
    }

    /// `scheme://host`, the prefix of every API URL of this registry.
    package var baseURL: String { "\(scheme)://\(host)" }

    /// `host/name`, as users write it.
    package var description: String { "\(host)/\(name)" }
}
