package import ControllerRuntime
import Foundation
package import GitOps
package import KubernetesClient
import Logging
package import Updater
package import VersioningAPI

/// Reconciles one VersioningHandler: validates its spec, reads what its Deployment's Pods run,
/// decides per container with the version policy, updates, restarts or notifies, and writes status.
///
/// Guarantees:
/// - Only the Deployment in the object's own namespace is read or written; a container is patched by
///   name (a strategic merge guarded by the Deployment's resourceVersion, so it is never added).
/// - `mode: NotifyOnly` never writes the Deployment.
/// - Status is a merge patch of the fields this type owns (never `status.notified`), guarded by the
///   object's resourceVersion: when the object changed since it was read (another replica owns it
///   now), nothing is written and the call ends; the status is written before the Deployment, so a
///   replica that lost the object changes nothing.
/// - Status is written only when it changed, or to refresh `lastChecked` after ``ReconcileSettings/heartbeat``.
/// - Notifications and Events go through the dedup dispatcher: each finding is sent once.
/// - With `spec.writeBack` (and mode `Update`), changes are committed to Git instead and the Deployment
///   is never written (``reconcileWriteBack(_:handler:target:checks:owner:now:context:)``).
/// - Safe rollouts: a change younger than `minReleaseAge` or outside the maintenance windows is held
///   (`Held`) and the object looked at again when the hold ends (``ReconcileAction/checkAgain(after:)``,
///   never polled). With rollback on, an image change is recorded in `status.rollout` (written before
///   the Deployment) and followed until it completes or fails; a failed one is set back to the image it
///   replaced and its tag kept in `status.failedTags`, never tried again. While a rollout is followed
///   nothing else is changed, and status is written only when it ends.
package struct VersioningHandlerReconciler: Reconciler {
    package typealias Resource = VersioningHandler

    /// The finalizer the original (Kopf) put on its objects; removed on sight.
    package static let kopfFinalizer = "kopf.zalando.org/KopfFinalizerMarker"
    /// The pod template annotation `kubectl rollout restart` sets.
    package static let restartAnnotation = "kubectl.kubernetes.io/restartedAt"

    let client: KubernetesClient
    /// Where checks read Deployments, ReplicaSets and Pods (the API, or the workload cache).
    let workload: WorkloadReader
    /// The Secrets checks name (pull secrets, the GitLab token), each read once per interval.
    let secrets: SecretCache
    let registries: RegistryClients
    let settings: ReconcileSettings
    let dispatcher: NotificationDispatcher?
    let metrics: CheckMetrics
    /// Commits findings of objects with `spec.writeBack`; nil refuses such objects with a condition.
    let gitWriteBack: GitWriteBack?

    /// - Parameters:
    ///   - registries: this replica's registry clients (their lookup cache is shared by all objects).
    ///   - dispatcher: the dedup notification dispatcher (its channels include the Kubernetes Events
    ///     channel); nil sends nothing.
    ///   - metrics: checks, Deployment changes, notifications and each object's last successful check.
    ///   - gitWriteBack: commits the findings of objects with `spec.writeBack`.
    ///   - workload: where checks read the workload; nil reads the API through `client` on every check.
    ///   - secrets: the Secrets checks read, remembered for each object's interval.
    package init(
        client: KubernetesClient, workload: WorkloadReader? = nil, secrets: SecretCache = SecretCache(),
        registries: RegistryClients, settings: ReconcileSettings,
        dispatcher: NotificationDispatcher?, metrics: CheckMetrics = CheckMetrics(), gitWriteBack: GitWriteBack? = nil
    ) {
        self.client = client
        self.workload = workload ?? .api(client)
        self.secrets = secrets
        self.registries = registries
        self.settings = settings
        self.dispatcher = dispatcher
        self.metrics = metrics
        self.gitWriteBack = gitWriteBack
    }

    package func reconcile(_ object: VersioningHandler, context: ReconcileContext) async throws(ReconcileError)
        -> ReconcileAction
    {
        guard let name = object.metadata.name, let namespace = object.metadata.namespace else {
            throw .terminal("a VersioningHandler without name or namespace")
        }
        let handler = try await removeKopfFinalizer(object)
        if handler.metadata.deletionTimestamp != nil { return .done }
        try context.checkCancellation()
        let now = settings.now()
        let owner = Finding.ObjectName(namespace: namespace, name: name)
        let target: CheckTarget
        switch await CheckTarget.resolve(
            handler, client: client, workload: workload, secrets: secrets, registries: registries, settings: settings)
        {
        case .failure(.problem(let problem)):
            context.logger.info("spec cannot be checked", metadata: ["reason": "\(problem.reason)"])
            metrics.checked(result: "invalid")
            let report = StatusReport.invalid(problem, handler: handler, shard: settings.shard, now: now)
            _ = try await writeStatus(report, of: handler, now: now, context: context)
            let finding = Finding(
                handler: owner, deployment: Finding.ObjectName(namespace: namespace, name: handler.spec.deployment),
                container: "(spec)", image: "(spec of VersioningHandler \(name))", currentTag: "-",
                outcome: .checkFailed(Finding.CheckFailure(reason: problem.reason, message: problem.message)),
                observedAt: now)
            await notify([finding], owner: owner, context: context)
            return .retry
        case .failure(.api(let error)):
            throw .retryable("reading the Deployment of \(owner) failed", underlying: error)
        case .success(let resolved):
            target = resolved
        }
        try context.checkCancellation()
        if let record = handler.status?.rollout {
            // A rollout this object started (here or on the replica that owned it before) comes first.
            switch try await followRollout(
                record, handler: handler, deployment: target.deployment, owner: owner, now: now, context: context)
            {
            case .wait(let after): return .checkAgain(after: after)
            case .ended: return .done
            }
        }
        var checks = await target.check(registries: registries)
        try context.checkCancellation()
        var wake: Date?
        if target.effective.mode == .update {
            wake = await target.gate(&checks, registries: registries, now: now)
        }
        try context.checkCancellation()
        if let writeBack = handler.spec.writeBack, target.effective.mode == .update {
            return try await reconcileWriteBack(
                writeBack, handler: handler, target: target, checks: checks, owner: owner, now: now, context: context)
        }
        // Status first: a replica that lost the object (stale resourceVersion) stops here, before any write.
        var report = StatusReport.checked(
            checks, handler: handler, shard: settings.shard, mode: target.effective.mode.rawValue, now: now)
        let following = target.rollout.rollback ? rolloutRecord(checks, deployment: target.deployment, now: now) : nil
        if let following {
            report.rollout = following
            report.setRolloutCondition(
                "Unknown", reason: "RolloutProgressing",
                message: "\(following.container): rolling out \(Self.tag(of: following.to)) (from "
                    + "\(Self.tag(of: following.from))); rolled back unless available by \(following.deadline)",
                previous: handler.status, generation: handler.metadata.generation, now: now)
        }
        var written = try await writeStatus(report, of: handler, now: now, context: context)
        var failedChanges: [String: String] = [:]
        if target.effective.mode == .update {
            failedChanges = await applyChanges(checks, to: target.deployment, now: now, context: context)
        }
        if !failedChanges.isEmpty {
            var failedReport = StatusReport.checked(
                checks, handler: written, shard: settings.shard, mode: target.effective.mode.rawValue,
                failedChanges: failedChanges, now: now)
            failedReport.carryRollout(from: handler.status)
            written = try await writeStatus(failedReport, of: written, now: now, context: context)
        }
        let findings = checks.compactMap { check -> Finding? in
            var outcome = check.outcome
            if let problem = failedChanges[check.name] {
                outcome = .checkFailed(Finding.CheckFailure(reason: "DeploymentWriteFailed", message: problem))
            }
            guard let outcome else { return nil }
            return Finding(
                handler: owner, deployment: Finding.ObjectName(namespace: namespace, name: handler.spec.deployment),
                container: check.name, image: check.reference.familiarName, currentTag: check.currentTag,
                newestAllowed: check.decision?.latestAllowed, newestOverall: check.decision?.latestAvailable,
                outcome: outcome, observedAt: now)
        }
        await notify(findings, owner: owner, context: context)
        let failed = checks.contains { $0.failure != nil } || !failedChanges.isEmpty
        metrics.checked(result: failed ? "failed" : "ok")
        if !failed {
            metrics.succeeded(namespace: namespace, name: name, at: now, interval: settings.interval(of: handler.spec))
        }
        if failed { return .retry }
        if following != nil { return .checkAgain(after: settings.rolloutPollInterval) }
        if let wake { return .checkAgain(after: .until(wake, from: now)) }
        return .done
    }

    /// Removes the original's Kopf finalizer (guarded by the resourceVersion read), returning the
    /// object as written; unchanged when it carries none.
    private func removeKopfFinalizer(_ object: VersioningHandler) async throws(ReconcileError) -> VersioningHandler {
        guard let finalizers = object.metadata.finalizers, finalizers.contains(Self.kopfFinalizer),
            let name = object.metadata.name
        else { return object }
        let rest = finalizers.filter { $0 != Self.kopfFinalizer }
        do {
            let version = try ResourceVersion(of: object)
            return try await client.patch(
                VersioningHandler.self, name: name, namespace: object.metadata.namespace, at: version,
                merge: ["metadata": ["finalizers": .array(rest.map(JSON.string))]])
        } catch {
            throw Self.stopOrRetry(error, what: "removing the Kopf finalizer")
        }
    }

    /// Writes `report` when it differs from the stored status or the heartbeat is due; returns the
    /// object as written (or as given when nothing was written).
    func writeStatus(
        _ report: StatusReport, of handler: VersioningHandler, now: Date, context: ReconcileContext
    ) async throws(ReconcileError) -> VersioningHandler {
        let lastChecked = handler.status?.lastChecked?.date
        let heartbeatDue = lastChecked.map { now.timeIntervalSince($0) >= settings.heartbeat.seconds } ?? true
        guard !report.matches(handler.status) || heartbeatDue else { return handler }
        let patch: JSON
        do { patch = try report.mergePatch(lastChecked: now) } catch {
            throw .terminal("encoding the status failed: \(error)")
        }
        do {
            let version = try ResourceVersion(of: handler)
            return try await client.patchStatus(
                VersioningHandler.self, name: handler.metadata.name ?? "", namespace: handler.metadata.namespace,
                at: version, merge: patch)
        } catch {
            throw Self.stopOrRetry(error, what: "writing the status")
        }
    }

    /// Patches images (by container name) and the restart annotation in one write guarded by the
    /// Deployment's resourceVersion; returns container name → problem for the changes that failed.
    private func applyChanges(
        _ checks: [ContainerCheck], to deployment: Deployment, now: Date, context: ReconcileContext
    ) async -> [String: String] {
        var containers: [JSON] = []
        var restart: [String] = []
        for check in checks {
            switch check.change {
            case .setImage(let image): containers.append(["name": .string(check.name), "image": .string(image)])
            case .restart: restart.append(check.name)
            case nil: break
            }
        }
        guard !containers.isEmpty || !restart.isEmpty, let name = deployment.metadata.name else { return [:] }
        var template: [String: JSON] = [:]
        if !containers.isEmpty { template["spec"] = ["containers": .array(containers)] }
        if !restart.isEmpty {
            template["metadata"] = ["annotations": [Self.restartAnnotation: .string(KubeTime(now).description)]]
        }
        var patch: JSON = ["spec": ["template": .object(template)]]
        if let version = deployment.metadata.resourceVersion {
            patch["metadata"] = ["resourceVersion": .string(version)]
        }
        do {
            _ = try await client.strategicMergePatch(
                Deployment.self, name: name, namespace: deployment.metadata.namespace, patch: patch)
            if !containers.isEmpty { metrics.changedDeployment(action: "update", containers: containers.count) }
            if !restart.isEmpty { metrics.changedDeployment(action: "restart", containers: restart.count) }
            context.logger.info(
                "changed the Deployment",
                metadata: ["images": "\(containers.count)", "restarted": "\(restart.joined(separator: ","))"])
            return [:]
        } catch {
            context.logger.warning("changing the Deployment failed", metadata: ["error": "\(error)"])
            let message =
                if case .conflict = error { "the Deployment changed while it was checked; retrying" } else {
                    error.description
                }
            var failed: [String: String] = [:]
            for check in checks where check.change != nil { failed[check.name] = message }
            return failed
        }
    }

    func notify(_ findings: [Finding], owner: Finding.ObjectName, context: ReconcileContext) async {
        guard let dispatcher, !findings.isEmpty else { return }
        do {
            let report = try await dispatcher.dispatch(findings, for: owner)
            for outcomes in report.sent.values {
                for (channel, outcome) in outcomes {
                    metrics.notification(channel: channel, delivered: outcome.isDelivered)
                }
            }
            context.logger.debug(
                "notifications", metadata: ["sent": "\(report.sent.count)", "skipped": "\(report.skipped.count)"])
        } catch {
            context.logger.warning("notifications not sent", metadata: ["error": "\(error)"])
        }
    }

    /// A stale write stops the call (another replica owns the object now, or the change queues a new
    /// reconcile); other failures retry per the API error.
    private static func stopOrRetry(_ error: GuardedWriteError, what: String) -> ReconcileError {
        switch error {
        case .stale:
            return .terminal("\(what) was refused: the object changed since it was read; not writing anything else")
        case .failed(let failure):
            return ReconcileError(isRetryable: failure.isRetryable, message: "\(what) failed", underlying: failure)
        }
    }
}

extension Duration {
    /// Whole and fractional seconds as a `TimeInterval`.
    fileprivate var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
