package import struct Foundation.Data

/// `v1` Secret: registry credentials and tokens.
///
/// ``description`` names the keys only, never the values, so a Secret in a log line leaks nothing.
package struct Secret: ReplaceableResource, BuiltInResource, Hashable, CustomStringConvertible {
    package static let resourceType = ResourceType(
        group: "", version: "v1", plural: "secrets", kind: "Secret", isNamespaced: true)

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta
    /// `kubernetes.io/dockerconfigjson`, `Opaque`, …
    package var type: String?
    /// Values, base64 on the wire, decoded here.
    package var data: [String: Data]?
    /// Write-only plain-text values (merged into `data` by the server).
    package var stringData: [String: String]?
    package var immutable: Bool?

    package init(metadata: ObjectMeta, type: String? = nil, data: [String: Data]? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.type = type
        self.data = data
    }

    package var description: String {
        let keys = (data.map { Array($0.keys) } ?? []).sorted().joined(separator: ",")
        return "Secret(\(ObjectKey(metadata)), type: \(type ?? "-"), keys: [\(keys)])"
    }
}
