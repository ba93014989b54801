extension Emulator {
    /// What kube-apiserver does to an object between decoding and storage: defaulting and validation
    /// for built-ins, prune → default → validate for custom resources, name checks for CRDs.
    ///
    /// With `strictFields` (`fieldValidation=Strict`), a field the CRD schema (or, for a built-in kind,
    /// the derived schema table) does not declare is a 400 instead of being pruned silently.
    ///
    /// - Throws: ``APIError`` 422 Invalid with one cause per violated field.
    func admit(_ type: ServedResource, _ object: JSON, old: JSON?, strictFields: Bool = false) throws(APIError) -> JSON
    {
        var object = object
        var causes: [APIError.Cause] = []
        if let schema = type.schema {
            if strictFields, let unknown = StructuralSchema.unknownFields(object, schema: schema, isRoot: true).first {
                throw APIError.badRequest(
                    "\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): strict decoding "
                        + "error: unknown field \"\(unknown)\"")
            }
            object = StructuralSchema.prune(object, schema: schema, isRoot: true)
            object = StructuralSchema.applyDefaults(object, schema: schema)
            var body = object
            body["metadata"] = nil
            body["apiVersion"] = nil
            body["kind"] = nil
            var rootSchema = schema
            rootSchema["required"] = rootSchema["required"].map { required in
                .array(
                    (required.arrayValue ?? []).filter { !["metadata", "apiVersion", "kind"].contains($0.stringValue) })
            }
            rootSchema["properties"]?["metadata"] = nil
            StructuralSchema.validate(body, schema: rootSchema, path: "", causes: &causes)
        } else if type.isBuiltIn {
            object = try APITimestamp.decode(type, object)
            if let message = BuiltInFields.message(for: type) {
                let (pruned, unknown) = BuiltInFields.prune(object, message)
                if strictFields, !unknown.isEmpty {
                    throw APIError.badRequest(
                        "\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): strict "
                            + "decoding error: " + unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
                }
                object = pruned
            }
            object = BuiltInDefaults.apply(type, object)
            if type.storageKey == Self.serviceKey { object = try admitService(object, old: old) }
            causes = BuiltInValidation.validate(type, object)
        }
        if type.storageKey == "apiextensions.k8s.io/customresourcedefinitions" {
            let group = object[path: ["spec", "group"]]?.stringValue ?? ""
            if registry.isBuiltInGroup(group) {
                causes.append(.invalid("spec.group", .string(group), "a built-in group cannot be extended"))
            }
            if causes.isEmpty { _ = try ServedResource.fromCRD(object) }
            if let old, old[path: ["spec", "scope"]] != object[path: ["spec", "scope"]] {
                causes.append(.invalid("spec.scope", object[path: ["spec", "scope"]] ?? .null, "field is immutable"))
            }
        }
        if !causes.isEmpty { throw APIError.invalid(type, name: object.name, causes: causes) }
        return object
    }
}
