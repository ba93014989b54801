/// A list response (`<Kind>List`): items plus the resourceVersion and continue token.
package struct ObjectList<Item: KubernetesResource>: Sendable, Codable {
    package var apiVersion: String?
    package var kind: String?
    package var metadata: ListMeta
    package var items: [Item]

    package init(metadata: ListMeta, items: [Item]) {
        self.metadata = metadata
        self.items = items
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
    }
}
