package import Foundation

/// The patch algorithm, selected by the request's Content-Type.
package enum PatchType: Sendable, Hashable {
    case merge
    case json
    case strategic
    case apply(fieldManager: String, force: Bool)

    /// The patch type of a Content-Type header value, or nil for an unsupported one.
    package init?(contentType: String, fieldManager: String?, force: Bool) {
        let base = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch base.lowercased() {
        case "application/merge-patch+json": self = .merge
        case "application/json-patch+json": self = .json
        case "application/strategic-merge-patch+json": self = .strategic
        case "application/apply-patch+yaml", "application/apply-patch+cbor":
            self = .apply(fieldManager: fieldManager ?? "", force: force)
        default: return nil
        }
    }
}

extension Emulator {
    /// PATCH of an object or its `/status` or `/scale`, with the same rules as PUT (status isolation,
    /// resourceVersion precondition when the patch carries one, generation, no-op detection).
    ///
    /// Server-side apply is approximated: it creates a missing object, and otherwise merges like a
    /// strategic merge patch (built-ins) or merge patch (custom resources) with `force` semantics
    /// (no managedFields, no ownership conflicts).
    ///
    /// - Returns: the resulting object and whether it was created (apply on a missing object → 201).
    /// - Throws: ``APIError`` 404, 409, 415 (strategic merge on a custom resource), 422, 400.
    package func patch(
        _ type: ServedResource, namespace: String?, name: String, patchType: PatchType, body: Data,
        subresource: Subresource = .main, dryRun: Bool = false, strictFields: Bool = false
    ) throws(APIError) -> (object: JSON, created: Bool) {
        if case .strategic = patchType, !type.isBuiltIn {
            throw APIError.unsupportedMediaType(
                "the body of the request was in an unknown format - accepted media types include: "
                    + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        }
        let patch: JSON
        do {
            patch = try JSON(parsing: body)
        } catch {
            if case .apply = patchType {
                throw APIError.badRequest(
                    "only JSON-encoded apply configurations are supported by this server: \(error)")
            }
            throw APIError.badRequest("error decoding patch: \(error)")
        }
        if case .apply(let manager, _) = patchType, manager.isEmpty {
            throw APIError.badRequest(
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
        }
        if subresource == .scale {
            let result = try patchScale(type, namespace: namespace, name: name, patchType: patchType, patch: patch)
            runControllers()
            return (result, false)
        }
        guard let current = stored(type, namespace: namespace, name: name) else {
            if case .apply = patchType, subresource == .main {
                var object = patch
                object[path: ["metadata", "name"]] = .string(name)
                let created = try createSync(
                    type, namespace: namespace, body: object, dryRun: dryRun, strictFields: strictFields)
                runControllers()
                return (present(created, as: type), true)
            }
            throw APIError.notFound(type, name: name)
        }
        let patched = try applyPatch(patchType, patch, to: present(current, as: type), type: type, name: name)
        let result = try updateSync(
            type, namespace: namespace, name: name, body: patched, subresource: subresource,
            requireResourceVersion: false, dryRun: dryRun, strictFields: strictFields)
        runControllers()
        return (present(result, as: type), false)
    }

    func applyPatch(_ patchType: PatchType, _ patch: JSON, to current: JSON, type: ServedResource, name: String)
        throws(APIError) -> JSON
    {
        switch patchType {
        case .merge:
            guard case .object = patch else { throw APIError.badRequest("a merge patch must be a JSON object") }
            return MergePatch.apply(patch, to: current)
        case .json:
            do throws(JSONPatch.Failure) {
                return try JSONPatch.apply(patch, to: current)
            } catch {
                switch error {
                case .malformed(let message): throw APIError.badRequest(message)
                case .failed(let message): throw APIError(code: 422, reason: "Invalid", message: message)
                }
            }
        case .strategic:
            do throws(StrategicMergePatch.Failure) {
                return try StrategicMergePatch.apply(patch, to: current, schema: PatchSchema(type))
            } catch {
                throw APIError.badRequest(error.message)
            }
        case .apply:
            guard case .object = patch else { throw APIError.badRequest("an apply configuration must be an object") }
            if type.isBuiltIn {
                do throws(StrategicMergePatch.Failure) {
                    return try StrategicMergePatch.apply(patch, to: current, schema: PatchSchema(type))
                } catch {
                    throw APIError.badRequest(error.message)
                }
            }
            return MergePatch.apply(patch, to: current)
        }
    }
}
