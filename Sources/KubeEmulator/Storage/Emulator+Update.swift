/// Which part of an object a write addresses.
package enum Subresource: String, Sendable {
    case main = ""
    case status
    case scale
}

extension Emulator {
    /// PUT of a whole object (main resource or `/status`).
    ///
    /// Rules: a non-empty `metadata.resourceVersion` must equal the stored one (409 Conflict); an empty
    /// one is an unconditional update for built-ins and 422 for custom resources; uid,
    /// creationTimestamp and deletionTimestamp are preserved; with the status subresource the main
    /// endpoint keeps the stored `.status` and `/status` changes only `.status`; generation bumps when
    /// anything outside metadata (and status, when isolated) changed; a no-op write returns the stored
    /// object with its resourceVersion and emits no event; a write that leaves a deleting object without
    /// finalizers deletes it.
    package func update(
        _ type: ServedResource, namespace: String?, name: String, body: JSON, subresource: Subresource = .main,
        dryRun: Bool = false, strictFields: Bool = false
    ) throws(APIError) -> JSON {
        let result = try updateSync(
            type, namespace: namespace, name: name, body: body, subresource: subresource,
            requireResourceVersion: !type.isBuiltIn, dryRun: dryRun, strictFields: strictFields)
        runControllers()
        return present(result, as: type)
    }

    func updateSync(
        _ type: ServedResource, namespace: String?, name: String, body: JSON, subresource: Subresource,
        requireResourceVersion: Bool, dryRun: Bool, strictFields: Bool = false
    ) throws(APIError) -> JSON {
        guard let old = stored(type, namespace: namespace, name: name) else {
            throw APIError.notFound(type, name: name)
        }
        guard case .object = body else { throw APIError.badRequest("the body of the request is not a JSON object") }
        try checkKind(body, type)
        if !body.name.isEmpty && body.name != name {
            throw APIError.badRequest(
                "the name of the object (\(body.name)) does not match the name on the URL (\(name))")
        }
        if type.namespaced, let bodyNamespace = body.namespace, !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw APIError.badRequest(
                "the namespace of the provided object does not match the namespace sent on the request")
        }
        let requested = body.resourceVersionString
        if requested.isEmpty {
            if requireResourceVersion {
                throw APIError.invalid(
                    type, name: name,
                    causes: [.invalid("metadata.resourceVersion", .string("0x0"), "must be specified for an update")])
            }
        } else if requested != old.resourceVersionString {
            throw APIError.conflict(type, name: name)
        }

        var candidate: JSON
        switch subresource {
        case .status:
            candidate = old
            candidate["status"] = body["status"]
        case .main, .scale:
            candidate = present(body, as: type)
            if type.statusSubresource { candidate["status"] = old["status"] }
            var metadata = candidate["metadata"] ?? .emptyObject
            for key in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
                metadata[key] = old[path: ["metadata", key]]
            }
            metadata["name"] = .string(name)
            metadata["namespace"] = type.namespaced ? old["metadata"]?["namespace"] : nil
            metadata["managedFields"] = old[path: ["metadata", "managedFields"]]
            candidate["metadata"] = metadata
        }
        candidate[path: ["metadata", "resourceVersion"]] = .string(old.resourceVersionString)
        if old.isDeleting {
            let added = Set(candidate.finalizers).subtracting(old.finalizers)
            if !added.isEmpty {
                throw APIError.invalid(
                    type, name: name,
                    causes: [
                        .forbidden(
                            "metadata.finalizers", "no new finalizers can be added if the object is being deleted")
                    ])
            }
        }
        if subresource != .status {
            candidate = try admit(type, candidate, old: old, strictFields: strictFields)
        } else if type.isBuiltIn && type.schema == nil {
            candidate = try APITimestamp.decode(type, candidate)
        }
        if type.tracksGeneration && subresource == .main {
            let generation = old[path: ["metadata", "generation"]]?.intValue ?? 1
            let changed =
                Self.specPart(old, isolatesStatus: type.statusSubresource)
                != Self.specPart(candidate, isolatesStatus: type.statusSubresource)
            candidate[path: ["metadata", "generation"]] = .int(changed ? generation + 1 : generation)
        }
        if present(candidate, as: type) == present(old, as: type) { return old }
        if dryRun { return candidate }
        if candidate.isDeleting && candidate.finalizers.isEmpty {
            return finalizeDeletion(type, candidate, old: old, propagation: "Background")
        }
        return commit(type, .modified, object: candidate, old: old)
    }

    /// Everything generation tracks: the object without metadata (and without status when isolated).
    static func specPart(_ object: JSON, isolatesStatus: Bool) -> JSON {
        var part = object
        part["metadata"] = nil
        part["apiVersion"] = nil
        part["kind"] = nil
        if isolatesStatus { part["status"] = nil }
        return part
    }
}
