import Foundation

extension Emulator {
    /// POST to a collection: assigns uid, creationTimestamp, generation 1 (kinds that track it) and the
    /// next resourceVersion; drops `.status` when the status subresource isolates it.
    ///
    /// - Throws: ``APIError`` 409 AlreadyExists, 404 for a missing namespace, 400 for a namespace
    ///   mismatch or a bad body, 422 Invalid for validation failures.
    package func create(
        _ type: ServedResource, namespace: String?, body: JSON, dryRun: Bool = false, strictFields: Bool = false
    ) throws(APIError) -> JSON {
        let created = try createSync(type, namespace: namespace, body: body, dryRun: dryRun, strictFields: strictFields)
        runControllers()
        return present(created, as: type)
    }

    func createSync(_ type: ServedResource, namespace: String?, body: JSON, dryRun: Bool, strictFields: Bool = false)
        throws(APIError) -> JSON
    {
        guard case .object = body else { throw APIError.badRequest("the body of the request is not a JSON object") }
        try checkKind(body, type)
        var object = present(body, as: type)
        var namespaceName: String? = nil
        if type.namespaced {
            guard let namespace, !namespace.isEmpty else {
                throw APIError.badRequest("the namespace of the object must be set for a namespaced resource")
            }
            if let bodyNamespace = object.namespace, !bodyNamespace.isEmpty, bodyNamespace != namespace {
                throw APIError.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request")
            }
            guard let namespaceObject = objects["/namespaces"]?[namespace] else {
                throw APIError.namespaceNotFound(namespace)
            }
            if namespaceObject.isDeleting {
                throw APIError(
                    code: 403, reason: "Forbidden",
                    message: "\(type.plural) \"\(object.name)\" is forbidden: unable to create new content in "
                        + "namespace \(namespace) because it is being terminated")
            }
            object[path: ["metadata", "namespace"]] = .string(namespace)
            namespaceName = namespace
        } else {
            object[path: ["metadata", "namespace"]] = nil
        }
        if object.name.isEmpty {
            guard let prefix = object[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty else {
                throw APIError.invalid(type, name: "", causes: [.required("metadata.name")])
            }
            let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
            var name = prefix
            repeat {
                name = prefix + String((0..<5).map { _ in alphabet.randomElement() ?? "x" })
            } while stored(type, namespace: namespaceName, name: name) != nil
            object[path: ["metadata", "name"]] = .string(name)
        }
        try validateName(object.name, type)
        if stored(type, namespace: namespaceName, name: object.name) != nil {
            throw APIError.alreadyExists(type, name: object.name)
        }
        var metadata = object["metadata"] ?? .emptyObject
        metadata["uid"] = .string(UUID().uuidString.lowercased())
        metadata["creationTimestamp"] = .string(Self.timestamp())
        metadata["resourceVersion"] = nil
        metadata["deletionTimestamp"] = nil
        metadata["deletionGracePeriodSeconds"] = nil
        metadata["managedFields"] = nil
        metadata["generation"] = type.tracksGeneration ? 1 : nil
        object["metadata"] = metadata
        if type.statusSubresource && !type.isBuiltIn { object["status"] = nil }
        if type.storageKey == "/namespaces" {
            object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(object.name)
            object["spec"] = ["finalizers": ["kubernetes"]]
            object["status"] = ["phase": "Active"]
        }
        object = try admit(type, object, old: nil, strictFields: strictFields)
        if dryRun { return object }
        return commit(type, .added, object: object, old: nil)
    }

    /// 400 when the body names another kind or group/version than the URL.
    func checkKind(_ body: JSON, _ type: ServedResource) throws(APIError) {
        if let kind = body["kind"]?.stringValue, !kind.isEmpty, kind != type.kind {
            throw APIError.badRequest("the kind of the object (\(kind)) does not match the URL (\(type.kind))")
        }
        if let apiVersion = body["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != type.apiVersion {
            throw APIError.badRequest(
                "the API version of the object (\(apiVersion)) does not match the URL (\(type.apiVersion))")
        }
    }

    /// 422 unless the name is a lowercase RFC 1123 subdomain (≤ 253 characters).
    func validateName(_ name: String, _ type: ServedResource) throws(APIError) {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid =
            !name.isEmpty && name.count <= 253
            && labels.allSatisfy { label in
                guard let first = label.first, let last = label.last else { return false }
                return label.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" }
                    && first != "-" && last != "-"
            }
        if !valid {
            throw APIError.invalid(
                type, name: name,
                causes: [
                    .invalid(
                        "metadata.name", .string(name),
                        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
                            + "'.', and must start and end with an alphanumeric character")
                ])
        }
    }
}
