package import Foundation
package import KubernetesClient
package import VersioningAPI

/// Where a rollout the operator started stands, read from its Deployment as `kubectl rollout status`
/// reads it: the controller has seen the change (`observedGeneration`), every replica is updated and
/// available and no old one is left — or the `Progressing` condition says `ProgressDeadlineExceeded`.
package enum RolloutProgress: Sendable, Hashable {
    /// Still rolling out.
    case progressing
    /// Every replica runs the new template and is available.
    case complete
    /// The rollout failed: `reason` (`ProgressDeadlineExceeded`, or `RolloutTimedOut` when the
    /// Deployment never reported and the record's deadline plus the grace has passed) and what the
    /// Deployment said.
    case failed(reason: String, message: String)
    /// The container no longer has the image the operator set (someone else changed it).
    case superseded(image: String?)

    /// Reads `deployment` against `record` at `now`.
    package static func read(
        _ deployment: Deployment, record: VersioningHandler.RolloutRecord, now: Date, grace: TimeInterval
    ) -> RolloutProgress {
        let image = deployment.spec?.template.spec.containers.first { $0.name == record.container }?.image
        guard image == record.to else { return .superseded(image: image) }
        let status = deployment.status
        if (status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0) {
            let progressing = status?.conditions?.first { $0.type == "Progressing" }
            if progressing?.reason == "ProgressDeadlineExceeded" {
                return .failed(
                    reason: "ProgressDeadlineExceeded",
                    message: progressing?.message ?? "the Deployment exceeded its progress deadline")
            }
            let replicas = deployment.spec?.replicas ?? 1
            let updated = status?.updatedReplicas ?? 0
            if updated >= replicas && (status?.replicas ?? 0) <= updated && (status?.availableReplicas ?? 0) >= updated
            {
                return .complete
            }
        }
        if now >= record.deadline.date.addingTimeInterval(grace) {
            return .failed(
                reason: "RolloutTimedOut",
                message: "the Deployment did not finish rolling out by its deadline \(record.deadline)")
        }
        return .progressing
    }
}
