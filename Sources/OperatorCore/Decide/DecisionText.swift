package import Updater

/// The text form of a version decision, shared by `k8supdater decide` and `k8supdater check`.
package enum DecisionText {
    package static func humanReadable(_ decision: VersionDecision, policy: VersionPolicy) -> String {
        var lines = [
            "current:          \(decision.current)",
            "action:           \(decision.action.rawValue)",
            "update to:        \(decision.update ?? "-")",
            "notify about:     \(decision.notify ?? "-")",
            "latest allowed:   \(decision.latestAllowed ?? "-")  (frontier \(policy.frontier), mode \(policy.mode.rawValue))",
            "latest available: \(decision.latestAvailable ?? "-")",
            "reasons:",
        ]
        lines += decision.reasons.map { "  - \($0)" }
        return lines.joined(separator: "\n")
    }
}
