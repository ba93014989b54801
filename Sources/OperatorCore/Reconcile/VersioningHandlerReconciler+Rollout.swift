import ControllerRuntime
import Foundation
import KubernetesClient
import Logging
import Updater
import VersioningAPI

/// Following a rollout the operator started (`status.rollout`) and rolling it back when it fails.
///
/// The record lives in the status, so whichever replica owns the object follows it: a new shard owner
/// resumes where its predecessor stopped. Status is written only when the rollout ends (or is
/// superseded); while it progresses the object is looked at again after
/// ``ReconcileSettings/rolloutPollInterval`` or at the record's deadline, whichever is first.
extension VersioningHandlerReconciler {
    /// What following did.
    enum Follow {
        /// Still rolling out: look again after this long.
        case wait(Duration)
        /// The rollout ended (completed, rolled back or superseded); the next periodic check looks again.
        case ended
    }

    /// Reads the rollout of `record` from the Deployment and acts on its outcome.
    func followRollout(
        _ record: VersioningHandler.RolloutRecord, handler: VersioningHandler, deployment: Deployment,
        owner: Finding.ObjectName, now: Date, context: ReconcileContext
    ) async throws(ReconcileError) -> Follow {
        let grace = settings.rolloutGrace.timeInterval
        let generation = handler.metadata.generation
        let fromTag = Self.tag(of: record.from)
        let toTag = Self.tag(of: record.to)
        var report = StatusReport.stored(handler, shard: settings.shard)
        report.rollout = nil
        switch RolloutProgress.read(deployment, record: record, now: now, grace: grace) {
        case .progressing:
            let deadline = record.deadline.date.addingTimeInterval(grace)
            return .wait(min(settings.rolloutPollInterval, .until(deadline, from: now)))
        case .complete:
            let seconds = Int(now.timeIntervalSince(record.started.date).rounded())
            let took = DurationText.format(.seconds(max(seconds, 0)))
            context.logger.info(
                "rollout complete", metadata: ["container": "\(record.container)", "to": "\(toTag)", "took": "\(took)"])
            report.setRolloutCondition(
                "True", reason: "RolloutComplete", message: "\(record.container): \(toTag) rolled out in \(took)",
                previous: handler.status, generation: generation, now: now)
            _ = try await writeStatus(report, of: handler, now: now, context: context)
            metrics.checked(result: "ok")
            return .ended
        case .superseded(let image):
            report.setRolloutCondition(
                "Unknown", reason: "RolloutSuperseded",
                message: "\(record.container) was changed to \(image ?? "nothing") while \(toTag) rolled out; "
                    + "no longer following",
                previous: handler.status, generation: generation, now: now)
            _ = try await writeStatus(report, of: handler, now: now, context: context)
            return .ended
        case .failed(let reason, let message):
            context.logger.warning(
                "rollout failed; rolling back",
                metadata: ["container": "\(record.container)", "to": "\(toTag)", "reason": "\(reason)"])
            if !report.failedTags.contains(where: { $0.container == record.container && $0.tag == toTag }) {
                report.failedTags.append(
                    VersioningHandler.FailedTag(
                        container: record.container, tag: toTag, image: record.to, at: KubeTime(now), reason: reason))
            }
            report.setRolloutCondition(
                "False", reason: "RolloutFailed",
                message: "\(record.container): \(toTag) did not roll out (\(reason): \(message)); rolled back to "
                    + "\(fromTag), and \(toTag) is not tried again",
                previous: handler.status, generation: generation, now: now)
            if let index = report.containers.firstIndex(where: { $0.name == record.container }) {
                report.containers[index].action = .rolledBack
                report.containers[index].message = "\(toTag) failed its rollout (\(reason)); rolled back to \(fromTag)"
                report.containers[index].lastTransitionTime = KubeTime(now)
            }
            report.summary = "RolledBack \(toTag)"
            let written = try await writeStatus(report, of: handler, now: now, context: context)
            if let problem = await restore(record, in: deployment, context: context) {
                // Keep following: the next look finds the rollout still failed and tries again.
                var retry = StatusReport.stored(written, shard: settings.shard)
                retry.rollout = record
                _ = try await writeStatus(retry, of: written, now: now, context: context)
                throw .retryable("rolling back \(record.container) to \(record.from) failed: \(problem)")
            }
            metrics.changedDeployment(action: "rollback", containers: 1)
            let finding = Finding(
                handler: owner,
                deployment: Finding.ObjectName(namespace: owner.namespace, name: handler.spec.deployment),
                container: record.container,
                image: (try? ImageReference(parsing: record.to))?.familiarName ?? record.to,
                currentTag: toTag, outcome: .rolledBack(failed: toTag, restored: fromTag, reason: reason),
                observedAt: now)
            await notify([finding], owner: owner, context: context)
            return .ended
        }
    }

    /// Sets the container back to `record.from` (guarded by the Deployment's resourceVersion); the
    /// problem when that failed.
    private func restore(
        _ record: VersioningHandler.RolloutRecord, in deployment: Deployment, context: ReconcileContext
    )
        async -> String?
    {
        var patch: JSON = [
            "spec": [
                "template": [
                    "spec": ["containers": [["name": .string(record.container), "image": .string(record.from)]]]
                ]
            ]
        ]
        if let version = deployment.metadata.resourceVersion {
            patch["metadata"] = ["resourceVersion": .string(version)]
        }
        do {
            _ = try await client.strategicMergePatch(
                Deployment.self, name: deployment.metadata.name ?? "", namespace: deployment.metadata.namespace,
                patch: patch)
            context.logger.info("rolled back", metadata: ["container": "\(record.container)", "to": "\(record.from)"])
            return nil
        } catch {
            context.logger.warning("rolling back failed", metadata: ["error": "\(error)"])
            return error.description
        }
    }

    /// The record of the image change among `checks` that will be followed (rollback on), or nil.
    func rolloutRecord(_ checks: [ContainerCheck], deployment: Deployment, now: Date)
        -> VersioningHandler.RolloutRecord?
    {
        for check in checks {
            guard case .setImage(let image) = check.change else { continue }
            let started = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            let seconds = deployment.spec?.progressDeadlineSeconds ?? 600
            return VersioningHandler.RolloutRecord(
                container: check.name, from: check.image, to: image, started: KubeTime(started),
                deadline: KubeTime(started.addingTimeInterval(TimeInterval(seconds))))
        }
        return nil
    }

    /// The tag of an image reference (`latest` when none), or the reference itself when unreadable.
    static func tag(of image: String) -> String {
        guard let reference = try? ImageReference(parsing: image) else { return image }
        return reference.effectiveTag ?? reference.digest?.description ?? "latest"
    }
}
