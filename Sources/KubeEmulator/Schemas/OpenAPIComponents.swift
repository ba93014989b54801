/// The `components.schemas` of a group/version's OpenAPI v3 document: the built-in kinds' schemas
/// from the derived schema table (types, fields, required fields and the `x-kubernetes-*` list,
/// map and patch extensions; no descriptions), and each custom resource's structural schema from
/// its CRD. Names follow upstream (`io.k8s.api.apps.v1.Deployment`, `io.k8supdater.v1.VersioningHandler`).
enum OpenAPIComponents {
    private typealias Schemas = KubernetesSchemas
    private static let objectMeta = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    private static let listMeta = "k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta"

    /// The schemas of the given resource types (one group/version) and everything they reference.
    static func schemas(for types: [ServedResource], table: KubernetesSchemas = .shared) -> [String: JSON] {
        var roots: [String] = []
        var out: [String: JSON] = [:]
        for type in types {
            if let schema = type.schema, !type.isBuiltIn {
                let (name, object, list) = custom(type, schema: schema)
                out[name] = object
                out[name + "List"] = list
                roots += [objectMeta, listMeta]
            } else if let message = table.kind(group: type.group, version: type.version, kind: type.kind) {
                roots.append(message.fullName)
                if let list = table.kind(group: type.group, version: type.version, kind: type.listKind) {
                    roots.append(list.fullName)
                }
            }
        }
        var pending = roots
        var seen = Set<String>()
        while let name = pending.popLast() {
            guard seen.insert(name).inserted else { continue }
            if let special = Schemas.Special(rawValue: name) {
                out[Schemas.openAPIName(name)] = specialSchema(special)
                continue
            }
            guard let message = table.message(name) else { continue }
            let (schema, references) = messageSchema(message, table: table)
            out[Schemas.openAPIName(name)] = schema
            pending += references
        }
        return out
    }

    private static func reference(_ fullName: String) -> JSON {
        ["allOf": [["$ref": .string("#/components/schemas/\(Schemas.openAPIName(fullName))")]]]
    }

    private static func groupVersionKind(group: String, version: String, kind: String) -> JSON {
        [["group": .string(group), "version": .string(version), "kind": .string(kind)]]
    }

    // MARK: Built-in kinds

    /// A message's object schema and the messages it references.
    private static func messageSchema(_ message: KubernetesSchemas.Message, table: KubernetesSchemas) -> (
        JSON, [String]
    ) {
        var properties: [String: JSON] = [:]
        var required: [JSON] = []
        var references: [String] = []
        if message.embedsTypeMeta {
            properties["apiVersion"] = ["type": "string"]
            properties["kind"] = ["type": "string"]
        }
        for field in message.fields {
            if field.inline, case .message(let name) = field.type, let inner = table.message(name) {
                let (embedded, innerReferences) = messageSchema(inner, table: table)
                for (key, value) in embedded["properties"]?.objectValue ?? [:] { properties[key] = value }
                required += embedded["required"]?.arrayValue ?? []
                references += innerReferences
                continue
            }
            var schema: JSON
            let element = elementSchema(field.type, table: table, references: &references)
            if field.mapKey != nil {
                schema = ["type": "object", "additionalProperties": element]
            } else if field.repeated {
                schema = ["type": "array", "items": element]
            } else {
                schema = element
            }
            if let value = field.patchStrategy { schema["x-kubernetes-patch-strategy"] = .string(value) }
            if let value = field.patchMergeKey { schema["x-kubernetes-patch-merge-key"] = .string(value) }
            if let value = field.listType { schema["x-kubernetes-list-type"] = .string(value) }
            if !field.listMapKeys.isEmpty {
                schema["x-kubernetes-list-map-keys"] = .array(field.listMapKeys.map(JSON.string))
            }
            if let value = field.mapType { schema["x-kubernetes-map-type"] = .string(value) }
            properties[field.name] = schema
            if field.required { required.append(.string(field.name)) }
        }
        var schema: JSON = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required) }
        if message.embedsTypeMeta, let package = table.package(named: message.package), let group = package.group {
            schema["x-kubernetes-group-version-kind"] = groupVersionKind(
                group: group, version: package.version, kind: message.name)
        }
        return (schema, references)
    }

    private static func elementSchema(
        _ type: KubernetesSchemas.FieldType, table: KubernetesSchemas, references: inout [String]
    ) -> JSON {
        switch type {
        case .string: return ["type": "string"]
        case .bytes: return ["type": "string", "format": "byte"]
        case .bool: return ["type": "boolean"]
        case .int32, .uint32: return ["type": "integer", "format": "int32"]
        case .int64, .uint64: return ["type": "integer", "format": "int64"]
        case .double, .float: return ["type": "number", "format": "double"]
        case .message(let name):
            if let message = table.message(name), message.isNamedList, let item = message.fields.first {
                return ["type": "array", "items": elementSchema(item.type, table: table, references: &references)]
            }
            references.append(name)
            return reference(name)
        }
    }

    private static func specialSchema(_ special: KubernetesSchemas.Special) -> JSON {
        switch special {
        case .time, .microTime: ["type": "string", "format": "date-time"]
        case .duration, .quantity: ["type": "string"]
        case .intOrString: ["type": "string", "format": "int-or-string", "x-kubernetes-int-or-string": true]
        case .rawExtension, .fieldsV1: ["type": "object"]
        // Any JSON value, or a schema or a list or a boolean: no single type (as upstream).
        case .anyJSON, .schemaOrArray, .schemaOrBool, .schemaOrStringArray: .emptyObject
        }
    }

    // MARK: Custom resources

    /// The component name upstream gives a custom resource: its group reversed, version, kind.
    static func customName(_ type: ServedResource) -> String {
        let reversed = type.group.split(separator: ".").reversed().joined(separator: ".")
        return "\(reversed).\(type.version).\(type.kind)"
    }

    private static func custom(_ type: ServedResource, schema: JSON) -> (String, JSON, JSON) {
        let name = customName(type)
        var object = schema
        object["type"] = "object"
        object[path: ["properties", "apiVersion"]] = ["type": "string"]
        object[path: ["properties", "kind"]] = ["type": "string"]
        object[path: ["properties", "metadata"]] = reference(objectMeta)
        object["x-kubernetes-group-version-kind"] = groupVersionKind(
            group: type.group, version: type.version, kind: type.kind)
        let list: JSON = [
            "type": "object", "required": ["items"],
            "properties": [
                "apiVersion": ["type": "string"], "kind": ["type": "string"],
                "items": ["type": "array", "items": ["$ref": .string("#/components/schemas/\(name)")]],
                "metadata": reference(listMeta),
            ],
            "x-kubernetes-group-version-kind": groupVersionKind(
                group: type.group, version: type.version, kind: type.listKind),
        ]
        return (name, object, list)
    }
}
