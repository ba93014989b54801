package import Foundation

/// Registry credentials per host, parsed from dockerconfigjson bytes (a `kubernetes.io/dockerconfigjson`
/// Secret's `.dockerconfigjson`, a legacy `.dockercfg`, or `~/.docker/config.json`).
///
/// The operator reads the Secrets; the updater receives only their bytes. Keys may be written as
/// `https://index.docker.io/v1/`, `docker.io`, `host:port` or `https://host/path`; lookups compare
/// hosts only, and every Docker Hub alias is one host. Entries carry `auth` (base64 `user:password`)
/// or `username` + `password`. Nothing here ever prints a secret.
package struct DockerConfigCredentials: Sendable, Hashable {
    /// Normalized host → credentials.
    package private(set) var entries: [String: RegistryCredentials]

    package init(entries: [String: RegistryCredentials] = [:]) {
        self.entries = [:]
        for (key, value) in entries { self.entries[Self.normalizedHost(key)] = value }
    }

    /// Parses the bytes; entries without usable credentials (identity tokens only) are skipped.
    ///
    /// - Throws: ``DockerConfigError`` naming the problem (never the content).
    package init(json: Data) throws(DockerConfigError) {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: json) } catch { throw .notJSON }
        guard let root = object as? [String: Any] else { throw .notAnObject }
        let auths = (root["auths"] as? [String: Any]) ?? (root["auths"] == nil ? root : [:])
        var parsed: [String: RegistryCredentials] = [:]
        for (key, value) in auths {
            guard let entry = value as? [String: Any] else { throw .badEntry(host: Self.normalizedHost(key)) }
            if let credentials = try Self.credentials(from: entry, host: Self.normalizedHost(key)) {
                parsed[Self.normalizedHost(key)] = credentials
            }
        }
        entries = parsed
    }

    /// The credentials for a registry host (`ghcr.io`, `127.0.0.1:5000`, any Docker Hub alias), or nil.
    package func credentials(forHost host: String) -> RegistryCredentials? {
        entries[Self.normalizedHost(host)]
    }

    /// Entries of `other` win over ours (a VersioningHandler's own Secret over the Deployment's pull secrets).
    package func merging(_ other: DockerConfigCredentials) -> DockerConfigCredentials {
        var merged = self
        for (host, credentials) in other.entries { merged.entries[host] = credentials }
        return merged
    }

    /// `https://index.docker.io/v1/` → `docker.io`; `https://host:5000/path` → `host:5000`; lowercased.
    package static func normalizedHost(_ key: String) -> String {
        var host = Substring(key.lowercased())
        if let range = host.range(of: "://") { host = host[range.upperBound...] }
        if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
        let text = String(host)
        return DockerHub.isHubHost(text) ? DockerHub.canonicalHost : text
    }

    private static func credentials(from entry: [String: Any], host: String) throws(DockerConfigError)
        -> RegistryCredentials?
    {
        if let auth = entry["auth"] as? String, !auth.isEmpty {
            guard let bytes = Base64.decode(auth), let text = String(bytes: bytes, encoding: .utf8),
                let colon = text.firstIndex(of: ":")
            else { throw .badAuthField(host: host) }
            return RegistryCredentials(
                username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        }
        if let username = entry["username"] as? String, let password = entry["password"] as? String {
            return RegistryCredentials(username: username, password: password)
        }
        return nil
    }
}

/// Why dockerconfigjson bytes could not be used. Never contains any of the bytes.
package enum DockerConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    case notJSON
    case notAnObject
    case badEntry(host: String)
    case badAuthField(host: String)

    package var description: String {
        switch self {
        case .notJSON: "docker config is not valid JSON"
        case .notAnObject: "docker config is not a JSON object"
        case .badEntry(let host): "docker config entry for \(host) is not an object"
        case .badAuthField(let host):
            "docker config entry for \(host) has an auth field that is not base64 of user:password"
        }
    }
}
