/// Unknown fields of built-in kinds, found with the derived schema table: a real API server decodes
/// a body into the kind's Go struct, so a field the struct does not have is dropped, or, with
/// `fieldValidation=Strict`, rejected as `strict decoding error: unknown field "spec.x"`.
enum BuiltInFields {
    /// The message of a served built-in kind, or nil for kinds the table does not describe (CRDs).
    static func message(for type: ServedResource, table: KubernetesSchemas = .shared) -> KubernetesSchemas.Message? {
        guard type.isBuiltIn else { return nil }
        return table.kind(group: type.group, version: type.version, kind: type.kind)
    }

    /// The object without the fields the kind does not declare, and the paths of those fields
    /// (`spec.template.spec.containers[0].imagePullPolicyy`), in sorted order.
    static func prune(_ object: JSON, _ message: KubernetesSchemas.Message, table: KubernetesSchemas = .shared) -> (
        JSON, [String]
    ) {
        var unknown: [String] = []
        let pruned = prune(object, message: message, table: table, path: "", unknown: &unknown)
        return (pruned, unknown)
    }

    /// The fields of a message by JSON name, embedded structs' fields inlined.
    private static func fields(_ message: KubernetesSchemas.Message, table: KubernetesSchemas) -> [String:
        KubernetesSchemas.Field]
    {
        var out: [String: KubernetesSchemas.Field] = [:]
        for field in message.fields {
            if field.inline, case .message(let name) = field.type, let inner = table.message(name) {
                out.merge(fields(inner, table: table)) { current, _ in current }
            } else {
                out[field.name] = field
            }
        }
        return out
    }

    private static func prune(
        _ value: JSON, message: KubernetesSchemas.Message, table: KubernetesSchemas, path: String,
        unknown: inout [String]
    ) -> JSON {
        guard case .object(let members) = value else { return value }
        let known = fields(message, table: table)
        var out: [String: JSON] = [:]
        for key in members.keys.sorted() {
            let member = members[key] ?? .null
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if message.embedsTypeMeta && (key == "apiVersion" || key == "kind") {
                out[key] = member
            } else if let field = known[key] {
                out[key] = prune(member, field: field, table: table, path: childPath, unknown: &unknown)
            } else {
                unknown.append(childPath)
            }
        }
        return .object(out)
    }

    private static func prune(
        _ value: JSON, field: KubernetesSchemas.Field, table: KubernetesSchemas, path: String, unknown: inout [String]
    ) -> JSON {
        if field.mapKey != nil {
            guard case .object(let members) = value else { return value }
            var out: [String: JSON] = [:]
            for key in members.keys.sorted() {
                out[key] = element(members[key] ?? .null, field.type, table, "\(path).\(key)", &unknown)
            }
            return .object(out)
        }
        if field.repeated {
            guard case .array(let items) = value else { return value }
            return .array(items.enumerated().map { element($1, field.type, table, "\(path)[\($0)]", &unknown) })
        }
        return element(value, field.type, table, path, &unknown)
    }

    private static func element(
        _ value: JSON, _ type: KubernetesSchemas.FieldType, _ table: KubernetesSchemas, _ path: String,
        _ unknown: inout [String]
    ) -> JSON {
        guard case .message(let name) = type, KubernetesSchemas.Special(rawValue: name) == nil,
            let message = table.message(name)
        else { return value }
        if message.isNamedList, let item = message.fields.first {
            guard case .array(let items) = value else { return value }
            return .array(items.enumerated().map { element($1, item.type, table, "\(path)[\($0)]", &unknown) })
        }
        return prune(value, message: message, table: table, path: path, unknown: &unknown)
    }
}
