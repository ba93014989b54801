import Logging

/// Work for the built-in controllers, queued by commits and drained after each top-level operation.
enum ControllerWork: Sendable {
    case crd(String)
    case crdRemoved(JSON)
    case workload(storageKey: String, namespace: String, name: String)
    case collectDependents(ownerUID: String, orphan: Bool)
    case namespaceTermination(String)
    case foreground(JSON)
    case cluster(ClusterWork)
}

extension Emulator {
    static let crdKey = "apiextensions.k8s.io/customresourcedefinitions"
    static let deploymentKey = "apps/deployments"
    static let statefulSetKey = "apps/statefulsets"
    static let podKey = "/pods"

    /// The served type (any version) of a storage key.
    func type(ofStorageKey key: String) -> ServedResource? {
        registry.all.first { $0.storageKey == key }
    }

    func enqueueControllerWork(_ type: ServedResource, _ change: Change) {
        let object = change.object
        switch type.storageKey {
        case Self.crdKey where change.type != .deleted:
            registerCRD(object)
            pendingControllerWork.append(.crd(object.name))
        case Self.deploymentKey where change.type != .deleted && configuration.controllers.contains(.deployments),
            Self.replicaSetKey where change.type != .deleted && configuration.controllers.contains(.deployments),
            Self.statefulSetKey where change.type != .deleted && configuration.controllers.contains(.statefulSets):
            enqueueWorkload(type.storageKey, namespace: object.namespace ?? "", name: object.name)
        default:
            enqueueClusterWork(type, change)
        }
        for owner in object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? [] {
            let key: String? =
                switch owner["kind"]?.stringValue {
                case "Deployment": Self.deploymentKey
                case "StatefulSet" where change.type != .added: Self.statefulSetKey
                case "ReplicaSet" where change.type != .added: Self.replicaSetKey
                default: nil
                }
            if let key, let name = owner["name"]?.stringValue, let namespace = object.namespace {
                enqueueWorkload(key, namespace: namespace, name: name)
            }
        }
        if change.type == .deleted, type.namespaced, let namespace = object.namespace,
            objects["/namespaces"]?[namespace]?.isDeleting == true
        {
            pendingControllerWork.append(.namespaceTermination(namespace))
        }
    }

    /// Queues a workload sync unless the same one is already waiting.
    private func enqueueWorkload(_ storageKey: String, namespace: String, name: String) {
        let waiting = pendingControllerWork.contains {
            if case .workload(storageKey, namespace, name) = $0 { return true }
            return false
        }
        if !waiting {
            pendingControllerWork.append(.workload(storageKey: storageKey, namespace: namespace, name: name))
        }
    }

    /// Drains the controller queue (re-entrant calls return at once).
    func runControllers() {
        guard !runningControllers else { return }
        runningControllers = true
        defer { runningControllers = false }
        var budget = 100_000
        while !pendingControllerWork.isEmpty && budget > 0 {
            budget -= 1
            let work = pendingControllerWork.removeFirst()
            do {
                try perform(work)
            } catch {
                logger.warning("controller work failed", metadata: ["work": "\(work)", "error": "\(error)"])
            }
        }
    }

    private func perform(_ work: ControllerWork) throws(APIError) {
        switch work {
        case .crd(let name):
            try establishCRD(name)
        case .crdRemoved(let crd):
            registry.unregister(crdName: crd.name)
            let key =
                "\(crd[path: ["spec", "group"]]?.stringValue ?? "")/\(crd[path: ["spec", "names", "plural"]]?.stringValue ?? "")"
            if let type = type(ofStorageKey: key) ?? (try? ServedResource.fromCRD(crd))?.first {
                for object in (objects[key] ?? [:]).values { commit(type, .deleted, object: object, old: object) }
            }
            objects[key] = nil
            for (id, watcher) in watchers where watcher.storageKey == key {
                watcher.continuation.finish()
                watchers[id] = nil
            }
        case .workload(let storageKey, let namespace, let name):
            if storageKey == Self.deploymentKey && configuration.controllers.contains(.deployments) {
                try reconcileDeployment(namespace: namespace, name: name)
            } else if storageKey == Self.replicaSetKey && configuration.controllers.contains(.deployments) {
                try reconcileReplicaSet(namespace: namespace, name: name)
            } else if storageKey == Self.statefulSetKey && configuration.controllers.contains(.statefulSets) {
                try reconcileStatefulSet(namespace: namespace, name: name)
            }
        case .collectDependents(let ownerUID, let orphan):
            guard configuration.controllers.contains(.garbageCollector) else { return }
            try collectDependents(ownerUID: ownerUID, orphan: orphan)
        case .namespaceTermination(let namespace):
            guard configuration.controllers.contains(.namespaces) else { return }
            try terminateNamespace(namespace)
        case .foreground(let owner):
            try finishForeground(owner)
        case .cluster(let work):
            try performClusterWork(work)
        }
    }

    private func registerCRD(_ crd: JSON) {
        guard let types = try? ServedResource.fromCRD(crd) else { return }
        registry.register(crdName: crd.name, types: types)
    }

    private func establishCRD(_ name: String) throws(APIError) {
        guard let crdType = type(ofStorageKey: Self.crdKey), let crd = stored(crdType, namespace: nil, name: name),
            !crd.isDeleting
        else { return }
        let old = crd["status"] ?? .emptyObject
        func condition(_ type: String, _ reason: String, _ message: String) -> JSON {
            let previous = old["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
            return [
                "type": .string(type), "status": "True", "reason": .string(reason), "message": .string(message),
                "lastTransitionTime": previous?["lastTransitionTime"] ?? .string(Self.timestamp()),
            ]
        }
        var names = crd[path: ["spec", "names"]] ?? .emptyObject
        if names["listKind"] == nil, let kind = names["kind"]?.stringValue {
            names["listKind"] = .string("\(kind)List")
        }
        if names["singular"] == nil, let kind = names["kind"]?.stringValue {
            names["singular"] = .string(kind.lowercased())
        }
        let stored = (crd[path: ["spec", "versions"]]?.arrayValue ?? []).filter { $0["storage"]?.boolValue == true }
            .compactMap { $0["name"] }
        var storedVersions = old["storedVersions"]?.arrayValue ?? []
        for version in stored where !storedVersions.contains(version) { storedVersions.append(version) }
        var next = crd
        next["status"] = [
            "acceptedNames": names, "storedVersions": .array(storedVersions),
            "conditions": [
                condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
            ],
        ]
        _ = try updateSync(
            crdType, namespace: nil, name: name, body: next, subresource: .status, requireResourceVersion: false,
            dryRun: false)
    }

    private func collectDependents(ownerUID: String, orphan: Bool) throws(APIError) {
        let dependents = self.owners.dependents(of: ownerUID).sorted {
            ($0.storageKey, $0.objectKey) < ($1.storageKey, $1.objectKey)
        }
        for entry in dependents {
            // An earlier dependent's own collection may have removed this one already.
            guard let type = type(ofStorageKey: entry.storageKey),
                let object = objects[entry.storageKey]?[entry.objectKey]
            else { continue }
            let owners = object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
            guard owners.contains(where: { $0["uid"]?.stringValue == ownerUID }) else { continue }
            if orphan {
                var updated = object
                let rest = owners.filter { $0["uid"]?.stringValue != ownerUID }
                updated[path: ["metadata", "ownerReferences"]] = rest.isEmpty ? nil : .array(rest)
                _ = try updateSync(
                    type, namespace: object.namespace, name: object.name, body: updated, subresource: .main,
                    requireResourceVersion: false, dryRun: false)
            } else {
                _ = try deleteSync(type, namespace: object.namespace, name: object.name, options: DeleteOptions())
            }
        }
    }

    private func terminateNamespace(_ namespace: String) throws(APIError) {
        var remaining = 0
        for (storageKey, group) in objects where storageKey != "/namespaces" {
            guard let type = type(ofStorageKey: storageKey), type.namespaced else { continue }
            for object in group.values where object.namespace == namespace {
                remaining += 1
                if !object.isDeleting {
                    _ = try deleteSync(type, namespace: namespace, name: object.name, options: DeleteOptions())
                }
            }
        }
        let stillThere = objects.contains { key, group in
            key != "/namespaces" && group.values.contains { $0.namespace == namespace }
        }
        guard remaining == 0 || !stillThere, let nsType = type(ofStorageKey: "/namespaces"),
            let object = stored(nsType, namespace: nil, name: namespace), object.isDeleting
        else { return }
        _ = finalizeDeletion(nsType, object, old: object, propagation: "Background")
    }

    private func finishForeground(_ owner: JSON) throws(APIError) {
        guard let uid = owner.uid else { return }
        try collectDependents(ownerUID: uid, orphan: false)
        guard !hasDependents(owner), let type = type(ofStorageKey: storageKey(of: owner)),
            var current = stored(type, namespace: owner.namespace, name: owner.name)
        else { return }
        let finalizers = current.finalizers.filter { $0 != "foregroundDeletion" }
        current[path: ["metadata", "finalizers"]] = finalizers.isEmpty ? nil : .array(finalizers.map { .string($0) })
        _ = try updateSync(
            type, namespace: owner.namespace, name: owner.name, body: current, subresource: .main,
            requireResourceVersion: false, dryRun: false)
    }

    func storageKey(of object: JSON) -> String {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        let kind = object["kind"]?.stringValue ?? ""
        return registry.all.first { $0.group == group && $0.kind == kind }?.storageKey ?? ""
    }
}
