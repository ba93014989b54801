/// The set of served resources: the built-ins plus every established CRD's served versions.
///
/// Lookups are by group/version/plural (the URL), discovery walks groups in registration order.
package struct ResourceRegistry: Sendable {
    private var byPath: [String: ServedResource] = [:]
    /// CRD name → the resource types it registered.
    private var fromCRD: [String: [ServedResource]] = [:]

    package init(builtIns: [ServedResource] = ServedResource.builtIns) {
        for type in builtIns { byPath[Self.path(type.group, type.version, type.plural)] = type }
    }

    private static func path(_ group: String, _ version: String, _ plural: String) -> String {
        "\(group)/\(version)/\(plural)"
    }

    /// The resource served at `/apis/group/version/plural` (`group` empty for `/api/v1`).
    package func lookup(group: String, version: String, plural: String) -> ServedResource? {
        byPath[Self.path(group, version, plural)]
    }

    /// Every served resource, sorted by group, version and plural.
    package var all: [ServedResource] {
        byPath.values.sorted { ($0.group, $0.version, $0.plural) < ($1.group, $1.version, $1.plural) }
    }

    /// Every served resource of one storage key (all versions of `group/plural`).
    package func versions(ofStorageKey key: String) -> [ServedResource] {
        all.filter { $0.storageKey == key }
    }

    /// The served group/versions, core first, then groups sorted by name (`apps`, …).
    package var groupVersions: [(group: String, versions: [String])] {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for type in all {
            if versions[type.group] == nil { order.append(type.group) }
            if !(versions[type.group]?.contains(type.version) ?? false) {
                versions[type.group, default: []].append(type.version)
            }
        }
        return order.map { ($0, versions[$0] ?? []) }
    }

    /// Whether a group is a built-in one (a CRD may not claim its names).
    package func isBuiltInGroup(_ group: String) -> Bool {
        byPath.values.contains { $0.group == group && $0.isBuiltIn }
    }

    /// Registers (or replaces) the resources of one CRD.
    package mutating func register(crdName: String, types: [ServedResource]) {
        unregister(crdName: crdName)
        fromCRD[crdName] = types
        for type in types { byPath[Self.path(type.group, type.version, type.plural)] = type }
    }

    /// Removes the resources a CRD registered.
    package mutating func unregister(crdName: String) {
        for type in fromCRD[crdName] ?? [] { byPath[Self.path(type.group, type.version, type.plural)] = nil }
        fromCRD[crdName] = nil
    }
}
