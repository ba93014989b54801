package import Foundation
package import KubernetesClient
import Updater
package import VersioningAPI

/// The status fields the reconciler owns (everything but `notified`, which the notification ledger
/// writes), built from one check and compared with what is stored.
package struct StatusReport: Sendable, Hashable {
    package var shard: String?
    package var observedGeneration: Int64?
    package var summary: String?
    package var containers: [VersioningHandler.ContainerVersion]
    package var conditions: [Condition]
    /// `status.rollout`: the rollout being followed (kept from the stored status unless changed).
    package var rollout: VersioningHandler.RolloutRecord?
    /// `status.failedTags` (kept from the stored status unless changed).
    package var failedTags: [VersioningHandler.FailedTag] = []

    package static let ready = "Ready"
    package static let degraded = "Degraded"
    package static let frontierDeeperThanTag = "FrontierDeeperThanTag"
    /// The state of the last rollout the operator started: `True` (rolled out), `False` (failed and
    /// rolled back), `Unknown` (progressing).
    package static let rolloutCondition = "Rollout"

    /// The report for an object whose spec cannot be checked.
    package static func invalid(
        _ problem: SpecProblem, handler: VersioningHandler, shard: String, now: Date
    ) -> StatusReport {
        let previous = handler.status
        let generation = handler.metadata.generation
        var report = StatusReport(
            shard: shard, observedGeneration: generation, summary: "Invalid: \(problem.reason)",
            containers: previous?.containers ?? [],
            conditions: [
                condition(Self.ready, false, problem.reason, problem.message, previous, generation, now),
                condition(Self.degraded, true, problem.reason, problem.message, previous, generation, now),
            ])
        report.carryRollout(from: previous)
        return report
    }

    /// The stored status as a report (to change a few fields of it).
    package static func stored(_ handler: VersioningHandler, shard: String) -> StatusReport {
        let previous = handler.status
        var report = StatusReport(
            shard: shard, observedGeneration: previous?.observedGeneration, summary: previous?.summary,
            containers: previous?.containers ?? [], conditions: previous?.conditions ?? [])
        report.rollout = previous?.rollout
        report.failedTags = previous?.failedTags ?? []
        return report
    }

    /// Keeps the stored `rollout`, `failedTags` and `Rollout` condition.
    mutating func carryRollout(from previous: VersioningHandler.Status?) {
        rollout = previous?.rollout
        failedTags = previous?.failedTags ?? []
        if let old = previous?.conditions?.first(where: { $0.type == Self.rolloutCondition }) {
            conditions.removeAll { $0.type == Self.rolloutCondition }
            conditions.append(old)
        }
    }

    /// Sets the `Rollout` condition (keeping its transition time while its status stays).
    package mutating func setRolloutCondition(
        _ status: String, reason: String, message: String, previous: VersioningHandler.Status?, generation: Int64?,
        now: Date
    ) {
        let old = previous?.conditions?.first { $0.type == Self.rolloutCondition }
        let time = old?.status == status ? (old?.lastTransitionTime ?? KubeTime(now)) : KubeTime(now)
        conditions.removeAll { $0.type == Self.rolloutCondition }
        conditions.append(
            Condition(
                type: Self.rolloutCondition, status: status, reason: reason, message: message, lastTransitionTime: time,
                observedGeneration: generation))
    }

    /// The report for a completed check; `failedChanges` names containers whose Deployment write failed;
    /// with `spec.writeBack`, `commits` and `writeBackFailures` say what was (being) committed or failed
    /// per container.
    package static func checked(
        _ checks: [ContainerCheck], handler: VersioningHandler, shard: String, mode: String,
        failedChanges: [String: String] = [:], commits: [String: CommitRecord] = [:],
        writeBackFailures: [String: SpecProblem] = [:], now: Date
    ) -> StatusReport {
        let previous = handler.status
        let generation = handler.metadata.generation
        var containers: [VersioningHandler.ContainerVersion] = []
        var summaries: [String] = []
        for check in checks {
            var entry = VersioningHandler.ContainerVersion(name: check.name)
            entry.image = check.image
            entry.current = check.currentTag
            entry.latestAllowed = check.decision?.latestAllowed
            entry.latestAvailable = check.decision?.latestAvailable
            entry.digest = check.runningDigest
            (entry.action, entry.message) = action(check, failedChange: failedChanges[check.name], mode: mode)
            let old = previous?.containers?.first { $0.name == check.name }
            CommitRecord.apply(
                commits[check.name], failure: writeBackFailures[check.name], to: &entry, check: check, previous: old)
            entry.lastTransitionTime =
                old?.action == entry.action && old?.message == entry.message ? old?.lastTransitionTime : KubeTime(now)
            containers.append(entry)
            summaries.append(
                commits[check.name].map { $0.summary } ?? writeBackFailures[check.name].map { "Error: \($0.reason)" }
                    ?? summary(check, entry))
        }
        let failures = containers.filter { $0.action == .error }
        var conditions: [Condition] = []
        if failures.isEmpty {
            conditions.append(
                condition(
                    Self.ready, true, "Checked", "\(checks.count) container(s) checked", previous, generation, now))
            conditions.append(condition(Self.degraded, false, "Checked", "no check failed", previous, generation, now))
        } else {
            let message = failures.map { "\($0.name): \($0.message ?? "check failed")" }.joined(separator: "; ")
            let reason =
                Set(writeBackFailures.values.map(\.reason)).count == 1 && failures.count == writeBackFailures.count
                ? writeBackFailures.values.first?.reason ?? "CheckFailed" : "CheckFailed"
            conditions.append(condition(Self.ready, false, reason, message, previous, generation, now))
            conditions.append(condition(Self.degraded, true, reason, message, previous, generation, now))
        }
        let deeper = checks.compactMap { check in
            check.frontierDeeperThanTag.map { (check.name, check.currentTag, $0.frontier, $0.components) }
        }
        if !deeper.isEmpty {
            let message = deeper.map { name, tag, frontier, components in
                "frontier \(frontier) is deeper than the \(components) version component(s) of tag \"\(tag)\" "
                    + "(container \(name)), so it protects nothing: every newer version is applied automatically; "
                    + "set spec.frontier to \(components) or less to keep some components for notification only"
            }.joined(separator: "; ")
            conditions.append(
                condition(Self.frontierDeeperThanTag, true, "FrontierDeeperThanTag", message, previous, generation, now)
            )
        }
        let unique = summaries.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var report = StatusReport(
            shard: shard, observedGeneration: generation, summary: unique.joined(separator: "; "),
            containers: containers, conditions: conditions)
        report.carryRollout(from: previous)
        return report
    }

    private static func action(_ check: ContainerCheck, failedChange: String?, mode: String)
        -> (VersioningHandler.Action, String)
    {
        if let failedChange { return (.error, "could not change the Deployment: \(failedChange)") }
        if let failure = check.failure { return (.error, "\(failure.reason): \(failure.message)") }
        if let hold = check.hold { return (.held, hold.message) }
        switch check.outcome {
        case .updated(let to): return (.updated, "updated from \(check.currentTag) to \(to)")
        case .restarted: return (.restarted, "a newer image was pushed for \(check.currentTag): restarted")
        case .committed(let to, let commit): return (.committed, "committed \(to) as \(commit)")
        case .held(let to, _, _): return (.held, "\(to) waits")
        case .rolledBack(let failed, let restored, _):
            return (.rolledBack, "\(failed) failed its rollout; rolled back to \(restored)")
        case .updateAvailable(let reason):
            let newer = check.decision?.notify ?? check.currentTag
            switch reason {
            case .beyondFrontier: return (.updateAvailable, "\(newer) is available beyond the frontier: notified")
            case .notifyOnlyMode: return (.updateAvailable, "\(newer) is available; mode \(mode): notified")
            case .latestPreference:
                return (.updateAvailable, "a newer image was pushed for \(newer); latestPreference is false: notified")
            }
        case .checkFailed(let failure): return (.error, "\(failure.reason): \(failure.message)")
        case nil: return (.upToDate, "\(check.currentTag) is the newest allowed version")
        }
    }

    private static func summary(_ check: ContainerCheck, _ entry: VersioningHandler.ContainerVersion) -> String {
        switch entry.action {
        case .updated:
            if case .updated(let to) = check.outcome { return "Updated \(to)" }
            return "Updated"
        case .restarted: return "Restarted \(check.currentTag)"
        case .held: return "Held \(check.hold?.tag ?? check.currentTag)"
        case .updateAvailable: return "Update available \(check.decision?.notify ?? check.currentTag)"
        case .error: return "Error: \(check.failure?.reason ?? "CheckFailed")"
        default: return "Up to date \(check.currentTag)"
        }
    }

    /// A condition that keeps its `lastTransitionTime` while its status stays the same.
    private static func condition(
        _ type: String, _ status: Bool, _ reason: String, _ message: String, _ previous: VersioningHandler.Status?,
        _ generation: Int64?, _ now: Date
    ) -> Condition {
        let value = status ? "True" : "False"
        let old = previous?.conditions?.first { $0.type == type }
        let time = old?.status == value ? (old?.lastTransitionTime ?? KubeTime(now)) : KubeTime(now)
        return Condition(
            type: type, status: value, reason: reason, message: message, lastTransitionTime: time,
            observedGeneration: generation)
    }

    /// Whether the stored status already says this (ignoring `lastChecked` and the ledger).
    package func matches(_ status: VersioningHandler.Status?) -> Bool {
        guard let status else { return false }
        return status.shard == shard && status.observedGeneration == observedGeneration && status.summary == summary
            && (status.containers ?? []) == containers && (status.conditions ?? []) == conditions
            && status.rollout == rollout && (status.failedTags ?? []) == failedTags
    }

    /// The merge patch of the owned fields; `notified` is never named, so the ledger survives.
    package func mergePatch(lastChecked: Date) throws -> JSON {
        let encoder = JSONEncoder()
        func json(_ value: some Encodable) throws -> JSON { try JSON(parsing: try encoder.encode(value)) }
        let status: JSON = [
            "shard": shard.map(JSON.string) ?? .null,
            "observedGeneration": observedGeneration.map { .int(Int($0)) } ?? .null,
            "summary": summary.map(JSON.string) ?? .null,
            "lastChecked": try json(KubeTime(lastChecked)),
            "containers": try json(containers),
            "conditions": try json(conditions),
            "rollout": try rollout.map { try json($0) } ?? .null,
            "failedTags": failedTags.isEmpty ? .null : try json(failedTags),
        ]
        return ["status": status]
    }
}
