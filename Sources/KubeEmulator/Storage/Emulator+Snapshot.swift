extension Emulator {
    /// A copy of the served-resource registry (discovery, OpenAPI).
    package var registrySnapshot: ResourceRegistry { registry }

    /// The resource served at group/version/plural, if any.
    package func lookup(group: String, version: String, plural: String) -> ServedResource? {
        registry.lookup(group: group, version: version, plural: plural)
    }

    /// The served type of a kind in a group/version (`apps`, `v1`, `Deployment`), if any.
    package func lookup(apiVersion: String, kind: String) -> ServedResource? {
        registry.all.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }
}
