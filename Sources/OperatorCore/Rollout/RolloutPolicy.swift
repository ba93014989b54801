package import Updater
package import VersioningAPI

/// One object's safe-rollout settings: its spec's over the global ones, validated.
package struct RolloutPolicy: Sendable, Hashable {
    /// A candidate tag younger than this (by the registry's creation time) waits; nil: off.
    package var minReleaseAge: Duration?
    /// Changes happen only inside these windows; nil: at any time.
    package var schedule: MaintenanceSchedule?
    /// Whether a rollout the operator starts is followed and, when it fails, rolled back.
    package var rollback: Bool

    package init(minReleaseAge: Duration? = nil, schedule: MaintenanceSchedule? = nil, rollback: Bool = false) {
        self.minReleaseAge = minReleaseAge
        self.schedule = schedule
        self.rollback = rollback
    }

    /// `spec.minReleaseAge`, `spec.maintenanceWindows` and `spec.rollback` over the global settings.
    /// Rollback is on by default in mode `Update` without `spec.writeBack` (which never patches the
    /// Deployment, so there is no rollout of the operator's to follow).
    /// - Throws: a ``SpecProblem`` for an unreadable age or window.
    package static func resolve(
        _ spec: VersioningHandler.Spec, settings: ReconcileSettings, mode: UpdateMode
    ) throws(SpecProblem) -> RolloutPolicy {
        var age = settings.minReleaseAge
        if let text = spec.minReleaseAge {
            guard let parsed = DurationText.parse(text) else {
                throw SpecProblem(
                    reason: "InvalidMinReleaseAge",
                    message: "spec.minReleaseAge is \"\(text)\"; use a duration such as 72h, 90m or 1h30m")
            }
            age = parsed > .zero ? parsed : nil
        }
        var schedule = settings.maintenanceWindows
        if let windows = spec.maintenanceWindows { schedule = try MaintenanceSchedule(windows) }
        let rollback = mode == .update && spec.writeBack == nil && (spec.rollback?.enabled ?? true)
        return RolloutPolicy(minReleaseAge: age, schedule: schedule, rollback: rollback)
    }
}
