/// The platform children of indexes seen before, by (registry, repository, index digest).
///
/// Digests are content addresses: while a tag's HEAD digest stays the same its children cannot
/// change, so the index is fetched (a GET, which Docker Hub counts as a pull) only when the digest
/// is new. Bounded: beyond `capacity` entries the oldest is forgotten.
package actor ManifestIndexMemory {
    private struct Key: Hashable {
        var host: String
        var name: String
        var digest: String
    }

    private var entries: [Key: [PlatformManifest]] = [:]
    private var order: [Key] = []
    package let capacity: Int

    package init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
    }

    package func platforms(of repository: RegistryRepository, digest: String) -> [PlatformManifest]? {
        entries[Key(host: repository.host, name: repository.name, digest: digest)]
    }

    package func remember(_ platforms: [PlatformManifest], of repository: RegistryRepository, digest: String) {
        let key = Key(host: repository.host, name: repository.name, digest: digest)
        if entries[key] == nil {
            order.append(key)
            if order.count > capacity { entries[order.removeFirst()] = nil }
        }
        entries[key] = platforms
    }
}
