/// Strategic merge patch for the built-in kinds (the subset kubectl apply and kubectl patch need).
///
/// Maps merge as in merge patch. Lists merge as the kind's upstream `patchStrategy`/`patchMergeKey`
/// say (``PatchSchema``, from the derived schema table): element-wise by the merge key, as a set of
/// primitives, or replaced. Where no schema knows the list, by its name: `containers`,
/// `initContainers`, `env`, `volumes`, `imagePullSecrets` by `name`; `ports` by `containerPort`;
/// `volumeMounts` by `mountPath`; `ownerReferences` by `uid`; `conditions` by `type`; `finalizers`
/// is a set of strings; other lists are replaced. Directives: `$patch:
/// replace|merge|delete` in maps and list elements, `$setElementOrder/<list>`,
/// `$deleteFromPrimitiveList/<list>`, `$retainKeys`. No `$` key is ever stored.
package enum StrategicMergePatch {
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
        "volumes": "name", "imagePullSecrets": "name", "ports": "containerPort", "volumeMounts": "mountPath",
        "volumeDevices": "devicePath", "ownerReferences": "uid", "conditions": "type", "hostAliases": "ip",
        "topologySpreadConstraints": "topologyKey", "resourceClaims": "name",
    ]
    static let setLists: Set<String> = ["finalizers"]

    /// Why a patch cannot be applied (answered as 400 BadRequest... or 422 by the caller).
    package struct Failure: Error, Sendable {
        package var message: String
    }

    /// Applies `patch` to `original`. With the kind's ``PatchSchema`` each list merges as its
    /// upstream `patchStrategy`/`patchMergeKey` say; without one (or for members the schema does not
    /// know) the name-based tables above decide.
    static func apply(_ patch: JSON, to original: JSON, schema: PatchSchema? = nil) throws(Failure) -> JSON {
        guard case .object(let patchMembers) = patch else { throw Failure(message: "patch must be a JSON object") }
        return try mergeMap(original.objectValue ?? [:], patchMembers, schema: schema) ?? .emptyObject
    }

    /// Removes every `$…` directive key, recursively.
    package static func strip(_ value: JSON) -> JSON {
        switch value {
        case .object(let members):
            var out: [String: JSON] = [:]
            for (key, member) in members where !key.hasPrefix("$") { out[key] = strip(member) }
            return .object(out)
        case .array(let items):
            return .array(items.filter { $0["$patch"]?.stringValue != "delete" }.map(strip))
        default:
            return value
        }
    }

    /// Merges a map; nil means "delete this map" (`$patch: delete`).
    static func mergeMap(_ original: [String: JSON], _ patch: [String: JSON], schema: PatchSchema? = nil)
        throws(Failure) -> JSON?
    {
        switch patch["$patch"]?.stringValue {
        case "replace": return strip(.object(patch))
        case "delete": return nil
        case nil, "merge": break
        case let other?: throw Failure(message: "unknown patch type: \(other)")
        }
        var result = original
        for (key, value) in patch {
            if key == "$patch" || key == "$retainKeys" || key.hasPrefix("$setElementOrder/") { continue }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let list = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let doomed = Set(value.arrayValue ?? [])
                if let items = result[list]?.arrayValue { result[list] = .array(items.filter { !doomed.contains($0) }) }
                continue
            }
            switch value {
            case .null:
                result[key] = nil
            case .object(let child):
                let merged = try mergeMap(result[key]?.objectValue ?? [:], child, schema: schema?.child(key))
                result[key] = merged
            case .array(let items):
                result[key] = try mergeList(key, result[key]?.arrayValue ?? [], items, schema: schema)
            default:
                result[key] = value
            }
        }
        for (key, value) in patch where key.hasPrefix("$setElementOrder/") {
            let list = String(key.dropFirst("$setElementOrder/".count))
            if let items = result[list]?.arrayValue, let order = value.arrayValue {
                result[list] = .array(reorder(items, by: order, mergeKey: strategy(list, schema).mergeKey))
            }
        }
        if let retain = patch["$retainKeys"]?.arrayValue?.compactMap(\.stringValue) {
            let keep = Set(retain)
            result = result.filter { keep.contains($0.key) }
        }
        return .object(result)
    }

    /// How the list at `key` merges: from the schema when it knows the member, else by name.
    private static func strategy(_ key: String, _ schema: PatchSchema?) -> PatchSchema.ListStrategy {
        if let known = schema?.listStrategy(key) { return known }
        if setLists.contains(key) { return .set }
        return mergeKeys[key].map { .merge(key: $0) } ?? .replace
    }

    /// Merges the list at `key` of the object `schema` describes (its parent).
    static func mergeList(_ key: String, _ original: [JSON], _ patch: [JSON], schema: PatchSchema? = nil)
        throws(Failure) -> JSON
    {
        if patch.contains(where: { $0.objectValue?.count == 1 && $0["$patch"]?.stringValue == "replace" }) {
            return strip(.array(patch.filter { $0["$patch"]?.stringValue != "replace" }))
        }
        let strategy = strategy(key, schema)
        if strategy == .set {
            var result = original
            for item in patch where !result.contains(item) { result.append(item) }
            return .array(result)
        }
        guard let mergeKey = strategy.mergeKey, patch.allSatisfy({ $0.objectValue != nil }) else {
            return strip(.array(patch))
        }
        let elementSchema = schema?.child(key)
        var result = original
        for element in patch {
            guard let members = element.objectValue else { continue }
            let identity = members[mergeKey]
            let index = identity.flatMap { id in result.firstIndex { $0[mergeKey] == id } }
            if members["$patch"]?.stringValue == "delete" {
                if let identity { result.removeAll { $0[mergeKey] == identity } }
                continue
            }
            if let index {
                if let merged = try mergeMap(result[index].objectValue ?? [:], members, schema: elementSchema) {
                    result[index] = merged
                } else {
                    result.remove(at: index)
                }
            } else {
                result.append(strip(element))
            }
        }
        return .array(result)
    }

    static func reorder(_ items: [JSON], by order: [JSON], mergeKey: String?) -> [JSON] {
        func identity(_ item: JSON) -> JSON { mergeKey.flatMap { item[$0] } ?? item }
        let positions = Dictionary(
            order.enumerated().map { (identity($0.element), $0.offset) }, uniquingKeysWith: { first, _ in first })
        return items.enumerated().sorted { lhs, rhs in
            let left = positions[identity(lhs.element)] ?? (order.count + lhs.offset)
            let right = positions[identity(rhs.element)] ?? (order.count + rhs.offset)
            return left < right
        }.map(\.element)
    }
}

extension PatchSchema.ListStrategy {
    var mergeKey: String? {
        if case .merge(let key) = self { return key }
        return nil
    }
}
