extension Emulator {
    /// Options of a DELETE (query parameters or a `DeleteOptions` body).
    package struct DeleteOptions: Sendable {
        /// `Background` (default), `Foreground` or `Orphan`.
        package var propagationPolicy: String = "Background"
        package var preconditionUID: String?
        package var preconditionResourceVersion: String?
        package var dryRun = false

        package init() {}

        /// Reads a `DeleteOptions` JSON body.
        package init(body: JSON) {
            propagationPolicy = body["propagationPolicy"]?.stringValue ?? "Background"
            if body["orphanDependents"]?.boolValue == true { propagationPolicy = "Orphan" }
            preconditionUID = body[path: ["preconditions", "uid"]]?.stringValue
            preconditionResourceVersion = body[path: ["preconditions", "resourceVersion"]]?.stringValue
            dryRun = (body["dryRun"]?.arrayValue ?? []).contains("All")
        }
    }
}

extension Emulator {
    /// DELETE of one object.
    ///
    /// Without finalizers the object is removed at once (DELETED carries the delete's resourceVersion)
    /// and its dependents are garbage-collected (Orphan strips their ownerReference instead). With
    /// finalizers it gets `deletionTimestamp`, generation+1 and a MODIFIED event; it goes when the last
    /// finalizer is removed. A second DELETE of a deleting object changes nothing.
    ///
    /// - Throws: ``APIError`` 404, or 409 Conflict when a precondition does not hold.
    package func delete(
        _ type: ServedResource, namespace: String?, name: String, options: DeleteOptions = DeleteOptions()
    )
        throws(APIError) -> JSON
    {
        let result = try deleteSync(type, namespace: namespace, name: name, options: options)
        runControllers()
        return present(result, as: type)
    }

    func deleteSync(_ type: ServedResource, namespace: String?, name: String, options: DeleteOptions) throws(APIError)
        -> JSON
    {
        guard let old = stored(type, namespace: namespace, name: name) else {
            throw APIError.notFound(type, name: name)
        }
        if let uid = options.preconditionUID, uid != old.uid {
            throw APIError(
                code: 409, reason: "Conflict",
                message: "Operation cannot be fulfilled on \(type.qualifiedName) \"\(name)\": Precondition failed: "
                    + "UID in precondition: \(uid), UID in object meta: \(old.uid ?? "")")
        }
        if let version = options.preconditionResourceVersion, version != old.resourceVersionString {
            throw APIError.conflict(type, name: name)
        }
        if options.dryRun { return old }
        var finalizers = old.finalizers
        if type.storageKey == "/namespaces" || options.propagationPolicy == "Foreground" {
            if options.propagationPolicy == "Foreground" && !finalizers.contains("foregroundDeletion")
                && hasDependents(old)
            {
                finalizers.append("foregroundDeletion")
            }
        }
        if finalizers.isEmpty && type.storageKey != "/namespaces" {
            return finalizeDeletion(type, old, old: old, propagation: options.propagationPolicy)
        }
        if old.isDeleting { return old }
        var deleting = old
        deleting[path: ["metadata", "deletionTimestamp"]] = .string(Self.timestamp())
        deleting[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
        deleting[path: ["metadata", "finalizers"]] = finalizers.isEmpty ? nil : .array(finalizers.map { .string($0) })
        if let generation = old[path: ["metadata", "generation"]]?.intValue, generation > 0 {
            deleting[path: ["metadata", "generation"]] = .int(generation + 1)
        }
        if type.storageKey == "/namespaces" { deleting[path: ["status", "phase"]] = "Terminating" }
        let committed = commit(type, .modified, object: deleting, old: old)
        if type.storageKey == "/namespaces" { pendingControllerWork.append(.namespaceTermination(name)) }
        if finalizers.contains("foregroundDeletion") { pendingControllerWork.append(.foreground(committed)) }
        return committed
    }

    /// Removes an object for good: DELETED with a fresh resourceVersion, then its dependents.
    func finalizeDeletion(_ type: ServedResource, _ object: JSON, old: JSON, propagation: String) -> JSON {
        let removed = commit(type, .deleted, object: object, old: old)
        if let uid = object.uid {
            pendingControllerWork.append(.collectDependents(ownerUID: uid, orphan: propagation == "Orphan"))
        }
        if type.storageKey == "apiextensions.k8s.io/customresourcedefinitions" {
            pendingControllerWork.append(.crdRemoved(object))
        }
        return removed
    }

    func hasDependents(_ owner: JSON) -> Bool {
        guard let uid = owner.uid else { return false }
        return !owners.dependents(of: uid).isEmpty
    }
}
