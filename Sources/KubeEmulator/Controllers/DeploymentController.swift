import Foundation

/// The Deployment controller, after kube-controller-manager's: a Deployment owns ReplicaSets named
/// `<deployment>-<pod-template-hash>` (FNV-32a of the template, rendered like `rand.SafeEncodeString`),
/// annotated with `deployment.kubernetes.io/revision`, `desired-replicas` and `max-replicas`; a
/// template change creates (or, for a template seen before, re-revisions) the new ReplicaSet and moves
/// replicas per the strategy — RollingUpdate within `maxSurge`/`maxUnavailable`, Recreate after the old
/// Pods are gone — one step per sync, each step a separate write and a `ScalingReplicaSet` Event, so
/// watchers see the rollout as on a cluster. Pods are ready at once (unless they crash-loop), so a
/// rollout completes within one drain of the controller queue. Status (`observedGeneration`, counts, `Available`/`Progressing`) is
/// computed from the ReplicaSets as upstream's `calculateStatus`/`syncRolloutStatus` do; old
/// ReplicaSets beyond `revisionHistoryLimit` are deleted once the rollout is complete.
///
/// A rollout that makes no progress for `progressDeadlineSeconds` (Pods that never become ready:
/// ``Emulator/Configuration/crashLoopImages``) gets `Progressing=False` with reason
/// `ProgressDeadlineExceeded`; the Deployment is synced again when its deadline passes, as upstream's
/// `requeueStuckDeployment` does. Not modelled: `minReadySeconds` waiting.
extension Emulator {
    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    static let revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
    static let desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
    static let maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
    private static let annotationsNotCopied: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revisionAnnotation, revisionHistoryAnnotation,
        desiredReplicasAnnotation, maxReplicasAnnotation, "deprecated.deployment.rollback.to",
    ]
    private static let controllerName = "deployment-controller"

    func reconcileDeployment(namespace: String, name: String) throws(APIError) {
        guard let deploymentType = type(ofStorageKey: Self.deploymentKey),
            var deployment = stored(deploymentType, namespace: namespace, name: name), !deployment.isDeleting
        else { return }
        deployment = try checkPausedConditions(deployment)
        let replicaSets = ownedReplicaSets(of: deployment)
        if deployment[path: ["spec", "paused"]]?.boolValue == true {
            return try syncScale(deployment, replicaSets, cleanup: true)
        }
        let (newRS, oldRSs, synced) = try allReplicaSetsAndSyncRevision(deployment, replicaSets, create: false)
        deployment = synced
        let replicas = Self.specReplicas(deployment)
        let scaling = (oldRSs + [newRS].compactMap { $0 }).filter { Self.specReplicas($0) > 0 }.contains {
            $0.annotations[Self.desiredReplicasAnnotation].flatMap(Int.init).map { $0 != replicas } ?? false
        }
        if scaling { return try syncScale(deployment, replicaSets, cleanup: false) }
        if deployment[path: ["spec", "strategy", "type"]]?.stringValue == "Recreate" {
            try rolloutRecreate(deployment, replicaSets)
        } else {
            try rolloutRolling(deployment, replicaSets)
        }
    }

    // MARK: Strategies

    private func rolloutRolling(_ deployment: JSON, _ replicaSets: [JSON]) throws(APIError) {
        let (created, oldRSs, deployment) = try allReplicaSetsAndSyncRevision(deployment, replicaSets, create: true)
        guard var newRS = created else { return }
        let replicas = Self.specReplicas(deployment)
        // reconcileNewReplicaSet
        let newSize = Self.specReplicas(newRS)
        if newSize != replicas {
            let target =
                newSize > replicas ? replicas : newReplicaSetReplicas(deployment, all: oldRSs + [newRS], new: newRS)
            let (scaled, _) = try scaleReplicaSet(newRS, to: target, deployment)
            if scaled { return try syncRolloutStatus(deployment, all: ownedReplicaSets(of: deployment)) }
        }
        newRS = current(newRS) ?? newRS
        // reconcileOldReplicaSets
        var oldActive = oldRSs.compactMap(current).filter { Self.specReplicas($0) > 0 }
        if !oldActive.isEmpty {
            let all = oldActive + [newRS]
            let minAvailable = replicas - Self.maxUnavailable(deployment)
            let newUnavailable = Self.specReplicas(newRS) - Self.status(newRS, "availableReplicas")
            let maxScaledDown = all.map(Self.specReplicas).reduce(0, +) - minAvailable - newUnavailable
            if maxScaledDown > 0 {
                var cleaned = 0
                oldActive.sort { Self.creationOrder($0) < Self.creationOrder($1) }
                for index in oldActive.indices where cleaned < maxScaledDown {
                    let old = oldActive[index]
                    let unhealthy = Self.specReplicas(old) - Self.status(old, "availableReplicas")
                    guard unhealthy > 0 else { continue }
                    let count = min(maxScaledDown - cleaned, unhealthy)
                    oldActive[index] = try scaleReplicaSet(old, to: Self.specReplicas(old) - count, deployment).object
                    cleaned += count
                }
                var scaledDown = 0
                let available = (oldActive + [newRS]).map { Self.status($0, "availableReplicas") }.reduce(0, +)
                if available > minAvailable {
                    let total = available - minAvailable
                    for old in oldActive where scaledDown < total && Self.specReplicas(old) > 0 {
                        let count = min(Self.specReplicas(old), total - scaledDown)
                        _ = try scaleReplicaSet(old, to: Self.specReplicas(old) - count, deployment)
                        scaledDown += count
                    }
                }
                if cleaned + scaledDown > 0 {
                    return try syncRolloutStatus(deployment, all: ownedReplicaSets(of: deployment))
                }
            }
        }
        if Self.isComplete(deployment, calculateStatus(deployment, all: ownedReplicaSets(of: deployment))) {
            try cleanupOldReplicaSets(deployment)
        }
        try syncRolloutStatus(deployment, all: ownedReplicaSets(of: deployment))
    }

    private func rolloutRecreate(_ deployment: JSON, _ replicaSets: [JSON]) throws(APIError) {
        var (newRS, oldRSs, deployment) = try allReplicaSetsAndSyncRevision(deployment, replicaSets, create: false)
        var scaledDown = false
        for old in oldRSs where Self.specReplicas(old) > 0 {
            if try scaleReplicaSet(old, to: 0, deployment).scaled { scaledDown = true }
        }
        if scaledDown { return try syncRolloutStatus(deployment, all: ownedReplicaSets(of: deployment)) }
        let oldPodsRunning = oldRSs.contains { !ownedPods(of: $0).isEmpty }
        if oldPodsRunning { return try syncRolloutStatus(deployment, all: ownedReplicaSets(of: deployment)) }
        if newRS == nil {
            (newRS, oldRSs, deployment) = try allReplicaSetsAndSyncRevision(deployment, replicaSets, create: true)
        }
        if let newRS, try scaleReplicaSet(newRS, to: Self.specReplicas(deployment), deployment).scaled {
            return try syncRolloutStatus(deployment, all: ownedReplicaSets(of: deployment))
        }
        if Self.isComplete(deployment, calculateStatus(deployment, all: ownedReplicaSets(of: deployment))) {
            try cleanupOldReplicaSets(deployment)
        }
        try syncRolloutStatus(deployment, all: ownedReplicaSets(of: deployment))
    }

    /// Upstream's `sync`: a scaling event (or a paused Deployment) resizes the ReplicaSets —
    /// proportionally while a rollout is under way — without rolling anything.
    private func syncScale(_ deployment: JSON, _ replicaSets: [JSON], cleanup: Bool) throws(APIError) {
        let (newRS, oldRSs, deployment) = try allReplicaSetsAndSyncRevision(deployment, replicaSets, create: false)
        let replicas = Self.specReplicas(deployment)
        let active = (oldRSs + [newRS].compactMap { $0 }).filter { Self.specReplicas($0) > 0 }
        if active.count <= 1 {
            let latest = active.first ?? newRS ?? oldRSs.max { Self.creationOrder($0) < Self.creationOrder($1) }
            if let latest, Self.specReplicas(latest) != replicas {
                _ = try scaleReplicaSet(latest, to: replicas, deployment)
            }
        } else if let newRS, Self.isSaturated(deployment, newRS) {
            for old in oldRSs where Self.specReplicas(old) > 0 { _ = try scaleReplicaSet(old, to: 0, deployment) }
        } else if deployment[path: ["spec", "strategy", "type"]]?.stringValue != "Recreate" {
            let allowed = replicas > 0 ? replicas + Self.maxSurge(deployment) : 0
            let toAdd = allowed - active.map(Self.specReplicas).reduce(0, +)
            let ordered = active.sorted { left, right in
                let (l, r) = (Self.specReplicas(left), Self.specReplicas(right))
                if l != r { return l > r }
                return toAdd > 0
                    ? Self.creationOrder(left) > Self.creationOrder(right)
                    : Self.creationOrder(left) < Self.creationOrder(right)
            }
            var added = 0
            var sizes: [Int] = []
            for replicaSet in ordered {
                let proportion = toAdd == 0 ? 0 : proportion(of: replicaSet, deployment, toAdd: toAdd, added: added)
                sizes.append(Self.specReplicas(replicaSet) + proportion)
                added += proportion
            }
            for (index, replicaSet) in ordered.enumerated() {
                var size = sizes[index]
                if index == 0 && toAdd != 0 { size = max(size + toAdd - added, 0) }
                _ = try scaleReplicaSet(replicaSet, to: size, deployment)
            }
        }
        if cleanup { try cleanupOldReplicaSets(deployment) }
        guard let deploymentType = type(ofStorageKey: Self.deploymentKey),
            let latest = stored(deploymentType, namespace: deployment.namespace, name: deployment.name)
        else { return }
        let status = calculateStatus(latest, all: ownedReplicaSets(of: latest))
        if latest["status"] != status { try writeStatus(deploymentType, latest, status) }
    }

    private func proportion(of replicaSet: JSON, _ deployment: JSON, toAdd: Int, added: Int) -> Int {
        let size = Self.specReplicas(replicaSet)
        guard size > 0, toAdd != added else { return 0 }
        let fraction: Int
        if Self.specReplicas(deployment) == 0 {
            fraction = -size
        } else {
            let deploymentReplicas = Self.specReplicas(deployment) + Self.maxSurge(deployment)
            let annotated =
                replicaSet.annotations[Self.maxReplicasAnnotation].flatMap(Int.init)
                ?? Self.status(deployment, "replicas")
            guard annotated > 0 else { return 0 }
            fraction = Int((Double(size * deploymentReplicas) / Double(annotated)).rounded()) - size
        }
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    // MARK: ReplicaSets

    private func ownedReplicaSets(of deployment: JSON) -> [JSON] {
        guard let uid = deployment.uid else { return [] }
        return owners.dependents(of: uid, in: Self.replicaSetKey).compactMap {
            objects[Self.replicaSetKey]?[$0.objectKey]
        }
        .filter { replicaSet in
            replicaSet.namespace == deployment.namespace && !replicaSet.isDeleting
                && (replicaSet[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains {
                    $0["uid"]?.stringValue == uid && $0["controller"]?.boolValue == true
                }
        }
        .sorted { Self.creationOrder($0) < Self.creationOrder($1) }
    }

    private func current(_ replicaSet: JSON) -> JSON? {
        objects[Self.replicaSetKey]?[Self.objectKey(namespace: replicaSet.namespace, name: replicaSet.name)]
    }

    /// Upstream's `getAllReplicaSetsAndSyncRevision`: finds the ReplicaSet whose template equals the
    /// Deployment's (ignoring `pod-template-hash`), gives it the next revision, and creates it when
    /// asked; the Deployment's revision annotation and `Progressing` condition follow.
    private func allReplicaSetsAndSyncRevision(_ deployment: JSON, _ replicaSets: [JSON], create: Bool)
        throws(APIError) -> (new: JSON?, old: [JSON], deployment: JSON)
    {
        guard let deploymentType = type(ofStorageKey: Self.deploymentKey),
            let replicaSetType = type(ofStorageKey: Self.replicaSetKey)
        else { throw APIError.unknownPath }
        // Earlier steps of this sync may have written them: work on what is stored now.
        let replicaSets = replicaSets.compactMap(current)
        var deployment = stored(deploymentType, namespace: deployment.namespace, name: deployment.name) ?? deployment
        let template = Self.withoutHash(deployment[path: ["spec", "template"]] ?? .emptyObject)
        let existing = replicaSets.first {
            Self.withoutHash($0[path: ["spec", "template"]] ?? .emptyObject) == template
        }
        let oldRSs = replicaSets.filter { $0.name != existing?.name }
        let newRevision = (oldRSs.map(Self.revision).max() ?? 0) + 1
        var newRS: JSON
        var progressing: (reason: String, message: String)? = nil
        if var found = existing {
            let oldRevision = Self.revision(found)
            var changed = copyAnnotations(from: deployment, to: &found)
            if oldRevision < newRevision {
                found[path: ["metadata", "annotations", Self.revisionAnnotation]] = .string(String(newRevision))
                if oldRevision > 0 {
                    let history = found.annotations[Self.revisionHistoryAnnotation].map { $0 + "," } ?? ""
                    found[path: ["metadata", "annotations", Self.revisionHistoryAnnotation]] =
                        .string(history + String(oldRevision))
                }
                changed = true
            }
            let minReady = deployment[path: ["spec", "minReadySeconds"]] ?? 0
            if (found[path: ["spec", "minReadySeconds"]] ?? 0) != minReady {
                found[path: ["spec", "minReadySeconds"]] = minReady
                changed = true
            }
            if changed {
                found = try updateSync(
                    replicaSetType, namespace: found.namespace, name: found.name, body: found, subresource: .main,
                    requireResourceVersion: false, dryRun: false)
            }
            newRS = found
            if Self.hasProgressDeadline(deployment) && Self.condition(deployment["status"], "Progressing") == nil {
                progressing = ("FoundNewReplicaSet", "Found new replica set \"\(found.name)\"")
            }
        } else {
            guard create else { return (nil, oldRSs, deployment) }
            var collisions = deployment[path: ["status", "collisionCount"]]?.intValue
            var created: JSON? = nil
            while created == nil {
                let hash = Self.podTemplateHash(template, collisionCount: collisions)
                let name = "\(deployment.name)-\(hash)"
                if let clash = stored(replicaSetType, namespace: deployment.namespace, name: name) {
                    if Self.isControlled(clash, by: deployment) { return (clash, oldRSs, deployment) }
                    collisions = (collisions ?? 0) + 1
                    deployment[path: ["status", "collisionCount"]] = .int(collisions ?? 1)
                    if collisions ?? 0 > 1000 { throw APIError.conflict(replicaSetType, name: name) }
                    continue
                }
                created = try createReplicaSet(
                    deployment, template: template, hash: hash, name: name, revision: newRevision, oldRSs: oldRSs)
            }
            guard let created else { throw APIError.unknownPath }
            newRS = created
            if Self.hasProgressDeadline(deployment) {
                progressing = ("NewReplicaSetCreated", "Created new replica set \"\(created.name)\"")
            }
        }
        let revision = newRS.annotations[Self.revisionAnnotation] ?? String(newRevision)
        if deployment.annotations[Self.revisionAnnotation] != revision {
            deployment[path: ["metadata", "annotations", Self.revisionAnnotation]] = .string(revision)
            deployment = try updateSync(
                deploymentType, namespace: deployment.namespace, name: deployment.name, body: deployment,
                subresource: .main, requireResourceVersion: false, dryRun: false)
        }
        if let progressing {
            var status = deployment["status"] ?? .emptyObject
            Self.setCondition(&status, "Progressing", "True", progressing.reason, progressing.message)
            try writeStatus(deploymentType, deployment, status)
            deployment = stored(deploymentType, namespace: deployment.namespace, name: deployment.name) ?? deployment
        }
        return (newRS, oldRSs, deployment)
    }

    private func createReplicaSet(
        _ deployment: JSON, template: JSON, hash: String, name: String, revision: Int, oldRSs: [JSON]
    ) throws(APIError) -> JSON {
        guard let replicaSetType = type(ofStorageKey: Self.replicaSetKey) else { throw APIError.unknownPath }
        var podTemplate = template
        podTemplate[path: ["metadata", "labels", "pod-template-hash"]] = .string(hash)
        var selector = deployment[path: ["spec", "selector"]] ?? .emptyObject
        selector[path: ["matchLabels", "pod-template-hash"]] = .string(hash)
        var replicaSet: JSON = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string(name), "namespace": .string(deployment.namespace ?? "default"),
                "labels": podTemplate[path: ["metadata", "labels"]] ?? .emptyObject,
                "ownerReferences": [
                    [
                        "apiVersion": "apps/v1", "kind": "Deployment", "name": .string(deployment.name),
                        "uid": .string(deployment.uid ?? ""), "controller": true, "blockOwnerDeletion": true,
                    ]
                ],
            ],
            "spec": [
                "replicas": 0, "minReadySeconds": deployment[path: ["spec", "minReadySeconds"]] ?? 0,
                "selector": selector, "template": podTemplate,
            ],
        ]
        _ = copyAnnotations(from: deployment, to: &replicaSet)
        replicaSet[path: ["metadata", "annotations", Self.revisionAnnotation]] = .string(String(revision))
        let replicas = newReplicaSetReplicas(deployment, all: oldRSs, new: nil)
        replicaSet[path: ["spec", "replicas"]] = .int(replicas)
        Self.setReplicasAnnotations(&replicaSet, deployment)
        let created = try createSync(replicaSetType, namespace: deployment.namespace, body: replicaSet, dryRun: false)
        if replicas > 0 {
            recordEvent(
                regarding: deployment, reason: "ScalingReplicaSet",
                note: "Scaled up replica set \(name) to \(replicas)", action: "Scale", controller: Self.controllerName)
        }
        return created
    }

    /// Sets a ReplicaSet's size and replica annotations; an Event when the size changed.
    private func scaleReplicaSet(_ replicaSet: JSON, to size: Int, _ deployment: JSON) throws(APIError) -> (
        scaled: Bool, object: JSON
    ) {
        guard let replicaSetType = type(ofStorageKey: Self.replicaSetKey), var next = current(replicaSet) else {
            return (false, replicaSet)
        }
        let oldSize = Self.specReplicas(next)
        next[path: ["spec", "replicas"]] = .int(size)
        Self.setReplicasAnnotations(&next, deployment)
        guard next != current(replicaSet) else { return (false, next) }
        let updated = try updateSync(
            replicaSetType, namespace: next.namespace, name: next.name, body: next, subresource: .main,
            requireResourceVersion: false, dryRun: false)
        guard oldSize != size else { return (false, updated) }
        let operation = size > oldSize ? "up" : "down"
        recordEvent(
            regarding: deployment, reason: "ScalingReplicaSet",
            note: "Scaled \(operation) replica set \(next.name) to \(size) from \(oldSize)", action: "Scale",
            controller: Self.controllerName)
        return (true, updated)
    }

    private static func setReplicasAnnotations(_ replicaSet: inout JSON, _ deployment: JSON) {
        let replicas = specReplicas(deployment)
        replicaSet[path: ["metadata", "annotations", desiredReplicasAnnotation]] = .string(String(replicas))
        replicaSet[path: ["metadata", "annotations", maxReplicasAnnotation]] =
            .string(String(replicas + maxSurge(deployment)))
    }

    private func copyAnnotations(from deployment: JSON, to replicaSet: inout JSON) -> Bool {
        var changed = false
        for (key, value) in deployment.annotations where !Self.annotationsNotCopied.contains(key) {
            if replicaSet.annotations[key] != value {
                replicaSet[path: ["metadata", "annotations", key]] = .string(value)
                changed = true
            }
        }
        return changed
    }

    /// Upstream's `NewRSNewReplicas`: how big the new ReplicaSet may be now.
    private func newReplicaSetReplicas(_ deployment: JSON, all: [JSON], new: JSON?) -> Int {
        let replicas = Self.specReplicas(deployment)
        guard deployment[path: ["spec", "strategy", "type"]]?.stringValue != "Recreate" else { return replicas }
        let newSize = new.map(Self.specReplicas) ?? 0
        let currentPods = all.compactMap { current($0) ?? $0 }.map(Self.specReplicas).reduce(0, +)
        let maxTotal = replicas + Self.maxSurge(deployment)
        if currentPods >= maxTotal { return newSize }
        return newSize + min(maxTotal - currentPods, replicas - newSize)
    }

    /// Deletes the oldest fully scaled-down ReplicaSets beyond `revisionHistoryLimit`.
    private func cleanupOldReplicaSets(_ deployment: JSON) throws(APIError) {
        guard let limit = deployment[path: ["spec", "revisionHistoryLimit"]]?.intValue,
            let replicaSetType = type(ofStorageKey: Self.replicaSetKey)
        else { return }
        let template = Self.withoutHash(deployment[path: ["spec", "template"]] ?? .emptyObject)
        let old = ownedReplicaSets(of: deployment).filter {
            Self.withoutHash($0[path: ["spec", "template"]] ?? .emptyObject) != template
        }
        let excess = old.count - limit
        guard excess > 0 else { return }
        let byRevision = old.sorted {
            (Self.revision($0), Self.creationOrder($0)) < (Self.revision($1), Self.creationOrder($1))
        }
        for replicaSet in byRevision.prefix(excess) {
            let observed = replicaSet[path: ["status", "observedGeneration"]]?.intValue ?? 0
            let generation = replicaSet[path: ["metadata", "generation"]]?.intValue ?? 0
            guard Self.status(replicaSet, "replicas") == 0, Self.specReplicas(replicaSet) == 0, generation <= observed
            else { continue }
            _ = try deleteSync(
                replicaSetType, namespace: replicaSet.namespace, name: replicaSet.name, options: DeleteOptions())
        }
    }

    // MARK: Status

    private func calculateStatus(_ deployment: JSON, all: [JSON]) -> JSON {
        let template = Self.withoutHash(deployment[path: ["spec", "template"]] ?? .emptyObject)
        let newRS = all.first { Self.withoutHash($0[path: ["spec", "template"]] ?? .emptyObject) == template }
        let available = all.map { Self.status($0, "availableReplicas") }.reduce(0, +)
        let total = all.map(Self.specReplicas).reduce(0, +)
        var status = deployment["status"] ?? .emptyObject
        status["observedGeneration"] = deployment[path: ["metadata", "generation"]] ?? 1
        let counts: [(String, Int)] = [
            ("replicas", all.map { Self.status($0, "replicas") }.reduce(0, +)),
            ("updatedReplicas", newRS.map { Self.status($0, "replicas") } ?? 0),
            ("readyReplicas", all.map { Self.status($0, "readyReplicas") }.reduce(0, +)),
            ("availableReplicas", available), ("unavailableReplicas", max(total - available, 0)),
        ]
        for (field, count) in counts { status[field] = count > 0 ? .int(count) : nil }
        if available >= Self.specReplicas(deployment) - Self.maxUnavailable(deployment) {
            Self.setCondition(
                &status, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
        } else {
            Self.setCondition(
                &status, "Available", "False", "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.")
        }
        return status
    }

    /// Upstream's `syncRolloutStatus`: the counts, `Available`, and `Progressing` moving through
    /// `ReplicaSetUpdated` to `NewReplicaSetAvailable`.
    private func syncRolloutStatus(_ deployment: JSON, all: [JSON]) throws(APIError) {
        guard let deploymentType = type(ofStorageKey: Self.deploymentKey),
            let deployment = stored(deploymentType, namespace: deployment.namespace, name: deployment.name)
        else { return }
        let template = Self.withoutHash(deployment[path: ["spec", "template"]] ?? .emptyObject)
        let newRS = all.first { Self.withoutHash($0[path: ["spec", "template"]] ?? .emptyObject) == template }
        var status = calculateStatus(deployment, all: all)
        let old = deployment["status"] ?? .emptyObject
        let progressing = Self.condition(old, "Progressing")
        let complete =
            Self.status(status, "replicas") == Self.status(status, "updatedReplicas")
            && progressing?["reason"]?.stringValue == "NewReplicaSetAvailable"
        if Self.hasProgressDeadline(deployment) && !complete {
            let name = newRS?.name ?? deployment.name
            if Self.isComplete(deployment, status) {
                Self.setCondition(
                    &status, "Progressing", "True", "NewReplicaSetAvailable",
                    "ReplicaSet \"\(name)\" has successfully progressed.")
            } else if Self.isProgressing(old: old, new: status) {
                let message =
                    newRS.map { "ReplicaSet \"\($0.name)\" is progressing." }
                    ?? "Deployment \"\(name)\" is progressing."
                let keep = progressing?["status"]?.stringValue == "True" ? progressing?["lastTransitionTime"] : nil
                status["conditions"] = (status["conditions"]?.arrayValue).map {
                    .array($0.filter { $0["type"]?.stringValue != "Progressing" })
                }
                Self.setCondition(&status, "Progressing", "True", "ReplicaSetUpdated", message)
                if let keep {
                    status["conditions"] = (status["conditions"]?.arrayValue).map { conditions in
                        .array(
                            conditions.map { condition in
                                var condition = condition
                                if condition["type"]?.stringValue == "Progressing" {
                                    condition["lastTransitionTime"] = keep
                                }
                                return condition
                            })
                    }
                }
            } else if Self.timedOut(deployment, status) {
                let message =
                    newRS.map { "ReplicaSet \"\($0.name)\" has timed out progressing." }
                    ?? "Deployment \"\(name)\" has timed out progressing."
                Self.setCondition(&status, "Progressing", "False", "ProgressDeadlineExceeded", message)
            }
        }
        if status != old { try writeStatus(deploymentType, deployment, status) }
        requeueStuckDeployment(deployment, status)
    }

    /// Upstream's `DeploymentTimedOut`: the `Progressing` condition was last updated longer ago than
    /// `progressDeadlineSeconds` (or already says so), and the rollout is not complete.
    private static func timedOut(_ deployment: JSON, _ status: JSON) -> Bool {
        guard hasProgressDeadline(deployment), let progressing = condition(status, "Progressing") else {
            return false
        }
        switch progressing["reason"]?.stringValue {
        case "NewReplicaSetAvailable": return false
        case "ProgressDeadlineExceeded": return true
        default:
            guard let from = progressDeadlineStart(progressing) else { return false }
            let seconds = Double(deployment[path: ["spec", "progressDeadlineSeconds"]]?.intValue ?? 600)
            return from.addingTimeInterval(seconds) < Date()
        }
    }

    private static func progressDeadlineStart(_ progressing: JSON) -> Date? {
        guard let text = (progressing["lastUpdateTime"] ?? progressing["lastTransitionTime"])?.stringValue else {
            return nil
        }
        return try? Date(text, strategy: .iso8601)
    }

    /// Upstream's `requeueStuckDeployment`: a rollout that is neither complete nor timed out is synced
    /// again when its progress deadline passes (one timer per Deployment), so `ProgressDeadlineExceeded`
    /// is reported without any other change.
    private func requeueStuckDeployment(_ deployment: JSON, _ status: JSON) {
        guard Self.hasProgressDeadline(deployment), let progressing = Self.condition(status, "Progressing"),
            progressing["reason"]?.stringValue != "ProgressDeadlineExceeded",
            progressing["reason"]?.stringValue != "NewReplicaSetAvailable", !Self.isComplete(deployment, status),
            let from = Self.progressDeadlineStart(progressing)
        else { return }
        let seconds = Double(deployment[path: ["spec", "progressDeadlineSeconds"]]?.intValue ?? 600)
        let due = from.addingTimeInterval(seconds + 1)
        let key = Self.objectKey(namespace: deployment.namespace, name: deployment.name)
        if let scheduled = deadlineResyncs[key], scheduled <= due, scheduled > Date() { return }
        deadlineResyncs[key] = due
        let namespace = deployment.namespace ?? ""
        let name = deployment.name
        let wait = max(due.timeIntervalSinceNow, 0)
        Task {
            try? await self.clock.sleep(for: .milliseconds(Int64(wait * 1000)))
            self.resyncDeployment(namespace: namespace, name: name, key: key, due: due)
        }
    }

    private func resyncDeployment(namespace: String, name: String, key: String, due: Date) {
        if deadlineResyncs[key] == due { deadlineResyncs[key] = nil }
        pendingControllerWork.append(.workload(storageKey: Self.deploymentKey, namespace: namespace, name: name))
        runControllers()
    }

    private func checkPausedConditions(_ deployment: JSON) throws(APIError) -> JSON {
        guard Self.hasProgressDeadline(deployment), let deploymentType = type(ofStorageKey: Self.deploymentKey) else {
            return deployment
        }
        let progressing = Self.condition(deployment["status"], "Progressing")
        if progressing?["reason"]?.stringValue == "ProgressDeadlineExceeded" { return deployment }
        let paused = deployment[path: ["spec", "paused"]]?.boolValue == true
        let pausedCondition = progressing?["reason"]?.stringValue == "DeploymentPaused"
        var status = deployment["status"] ?? .emptyObject
        if paused && !pausedCondition {
            Self.setCondition(&status, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused")
        } else if !paused && pausedCondition {
            Self.setCondition(&status, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed")
        } else {
            return deployment
        }
        try writeStatus(deploymentType, deployment, status)
        return stored(deploymentType, namespace: deployment.namespace, name: deployment.name) ?? deployment
    }

    // MARK: Helpers

    private static func isComplete(_ deployment: JSON, _ status: JSON) -> Bool {
        let replicas = specReplicas(deployment)
        return self.status(status, "updatedReplicas") == replicas && self.status(status, "replicas") == replicas
            && self.status(status, "availableReplicas") == replicas
            && self.status(status, "observedGeneration")
                >= (deployment[path: ["metadata", "generation"]]?.intValue ?? 1)
    }

    private static func isProgressing(old: JSON, new: JSON) -> Bool {
        status(new, "updatedReplicas") > status(old, "updatedReplicas")
            || status(new, "replicas") < status(old, "replicas")
            || status(new, "readyReplicas") > status(old, "readyReplicas")
            || status(new, "availableReplicas") > status(old, "availableReplicas")
    }

    private static func isSaturated(_ deployment: JSON, _ replicaSet: JSON) -> Bool {
        let replicas = specReplicas(deployment)
        return replicaSet.annotations[desiredReplicasAnnotation].flatMap(Int.init) == replicas
            && specReplicas(replicaSet) == replicas && status(replicaSet, "availableReplicas") == replicas
    }

    private static func isControlled(_ replicaSet: JSON, by deployment: JSON) -> Bool {
        (replicaSet[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains {
            $0["uid"]?.stringValue == deployment.uid && $0["controller"]?.boolValue == true
        }
    }

    private static func hasProgressDeadline(_ deployment: JSON) -> Bool {
        guard let seconds = deployment[path: ["spec", "progressDeadlineSeconds"]]?.intValue else { return false }
        return seconds != Int(Int32.max)
    }

    static func specReplicas(_ object: JSON) -> Int { object[path: ["spec", "replicas"]]?.intValue ?? 1 }

    /// A status count of an object, or a field of a status object; absent (omitempty) is 0.
    private static func status(_ object: JSON, _ field: String) -> Int {
        (object[path: ["status", field]] ?? object[field])?.intValue ?? 0
    }

    private static func revision(_ replicaSet: JSON) -> Int {
        replicaSet.annotations[revisionAnnotation].flatMap(Int.init) ?? 0
    }

    private static func condition(_ status: JSON?, _ type: String) -> JSON? {
        status?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    /// Upstream's `SetDeploymentCondition`: same status and reason keeps the condition; same status
    /// keeps `lastTransitionTime`; the condition moves to the end of the list.
    private static func setCondition(
        _ status: inout JSON, _ type: String, _ value: String, _ reason: String, _ message: String
    ) {
        let existing = condition(status, type)
        if existing?["status"]?.stringValue == value && existing?["reason"]?.stringValue == reason { return }
        let now = JSON.string(timestamp())
        let transition = existing?["status"]?.stringValue == value ? (existing?["lastTransitionTime"] ?? now) : now
        let others = (status["conditions"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != type }
        status["conditions"] = .array(
            others + [
                [
                    "type": .string(type), "status": .string(value), "reason": .string(reason),
                    "message": .string(message), "lastUpdateTime": now, "lastTransitionTime": transition,
                ]
            ])
    }

    /// `maxSurge`, resolved against `spec.replicas` (percentages round up); 0 for Recreate.
    static func maxSurge(_ deployment: JSON) -> Int {
        guard deployment[path: ["spec", "strategy", "type"]]?.stringValue != "Recreate" else { return 0 }
        return fenceposts(deployment).surge
    }

    /// `maxUnavailable`, resolved (percentages round down), at most `spec.replicas`; 0 for Recreate.
    static func maxUnavailable(_ deployment: JSON) -> Int {
        let replicas = specReplicas(deployment)
        guard deployment[path: ["spec", "strategy", "type"]]?.stringValue != "Recreate", replicas > 0 else {
            return 0
        }
        return min(fenceposts(deployment).unavailable, replicas)
    }

    private static func fenceposts(_ deployment: JSON) -> (surge: Int, unavailable: Int) {
        let replicas = specReplicas(deployment)
        let rolling = deployment[path: ["spec", "strategy", "rollingUpdate"]]
        func scaled(_ value: JSON?, roundUp: Bool) -> Int {
            switch value ?? "25%" {
            case .int(let number): return number
            case .string(let text) where text.hasSuffix("%"):
                let percent = Int(text.dropLast()) ?? 0
                let product = percent * replicas
                return roundUp ? (product + 99) / 100 : product / 100
            default: return 0
            }
        }
        let surge = scaled(rolling?["maxSurge"], roundUp: true)
        let unavailable = scaled(rolling?["maxUnavailable"], roundUp: false)
        return (surge, surge == 0 && unavailable == 0 ? 1 : unavailable)
    }

    /// A template without the `pod-template-hash` label (upstream's `EqualIgnoreHash` view).
    static func withoutHash(_ template: JSON) -> JSON {
        var template = template
        template[path: ["metadata", "labels", "pod-template-hash"]] = nil
        if template[path: ["metadata", "labels"]]?.objectValue?.isEmpty == true {
            template[path: ["metadata", "labels"]] = nil
        }
        if template[path: ["metadata", "creationTimestamp"]]?.isNull == true {
            template[path: ["metadata", "creationTimestamp"]] = nil
        }
        return template
    }

    /// The `pod-template-hash`: FNV-32a of the template (and the collision count, little-endian), its
    /// decimal digits mapped through `rand.SafeEncodeString`'s alphabet.
    package static func podTemplateHash(_ template: JSON, collisionCount: Int?) -> String {
        var hash: UInt32 = 0x811c_9dc5
        func add(_ byte: UInt8) {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        for byte in template.encoded() { add(byte) }
        if let collisionCount {
            let value = UInt32(truncatingIfNeeded: collisionCount)
            for shift in stride(from: 0, to: 32, by: 8) { add(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }
}

extension JSON {
    /// `metadata.annotations` with string values.
    package var annotations: [String: String] {
        (self[path: ["metadata", "annotations"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }
}
