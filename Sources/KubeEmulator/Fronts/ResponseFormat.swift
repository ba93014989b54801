/// How the client asked to see objects: as themselves, as server-side Tables
/// (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), or as PartialObjectMetadata.
struct ResponseFormat: Sendable {
    enum Kind: Sendable {
        case object
        case table
        case metadata
    }

    var kind: Kind
    /// `None`, `Metadata` (default) or `Object`: what a Table row's `object` carries.
    var includeObject: String

    init(accept: String?, includeObject: String?) {
        let accept = accept ?? ""
        if accept.contains("as=Table") {
            kind = .table
        } else if accept.contains("as=PartialObjectMetadata") {
            kind = .metadata
        } else {
            kind = .object
        }
        self.includeObject = includeObject ?? "Metadata"
    }

    func list(_ result: ListResult, type: ServedResource) -> JSON {
        var metadata: JSON = ["resourceVersion": .string(String(result.resourceVersion))]
        if let token = result.continueToken { metadata["continue"] = .string(token) }
        if let remaining = result.remainingItemCount { metadata["remainingItemCount"] = .int(remaining) }
        switch kind {
        case .table:
            return TableRenderer.table(type, result.items, metadata: metadata, includeObject: includeObject)
        case .metadata:
            return [
                "kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
                "items": .array(result.items.map(Self.partial)),
            ]
        case .object:
            return [
                "kind": .string(type.listKind), "apiVersion": .string(type.apiVersion), "metadata": metadata,
                "items": .array(result.items),
            ]
        }
    }

    func single(_ object: JSON, type: ServedResource) -> JSON {
        switch kind {
        case .table:
            return TableRenderer.table(
                type, [object], metadata: ["resourceVersion": .string(object.resourceVersionString)],
                includeObject: includeObject)
        case .metadata: return Self.partial(object)
        case .object: return object
        }
    }

    func watchEvent(_ line: WatchLine, type: ServedResource) -> JSON {
        var object = line.object
        if line.type != .error && line.type != .bookmark {
            switch kind {
            case .table:
                object = TableRenderer.table(
                    type, [object], metadata: ["resourceVersion": .string(object.resourceVersionString)],
                    includeObject: includeObject)
            case .metadata: object = Self.partial(object)
            case .object: break
            }
        }
        return ["type": .string(line.type.rawValue), "object": object]
    }

    static func partial(_ object: JSON) -> JSON {
        var metadata = object["metadata"] ?? .emptyObject
        metadata["managedFields"] = nil
        return ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": metadata]
    }
}
