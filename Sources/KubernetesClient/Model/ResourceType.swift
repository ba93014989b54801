/// Where a kind lives in the API: group, version, plural, kind and scope.
package struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    /// The API group; empty for the core group (`/api/v1`).
    package var group: String
    package var version: String
    /// The plural resource name used in URLs (`versioninghandlers`).
    package var plural: String
    /// The kind written in `kind` (`VersioningHandler`).
    package var kind: String
    package var isNamespaced: Bool

    package init(group: String, version: String, plural: String, kind: String, isNamespaced: Bool) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.isNamespaced = isNamespaced
    }

    /// `group/version`, or `version` for the core group.
    package var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `plural.group`, or `plural` for the core group: how the API server names the resource in messages.
    package var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }

    package var description: String { qualifiedPlural }
}
