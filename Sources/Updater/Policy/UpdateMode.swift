/// What the operator may do with a newer version (`spec.mode`).
package enum UpdateMode: String, CaseIterable, Sendable, Codable {
    /// Apply updates within the frontier; notify about newer ones beyond it.
    case update = "Update"
    /// Never change the workload; notify about the newest version.
    case notifyOnly = "NotifyOnly"

    /// Accepts `Update`/`NotifyOnly` in any case, and `notify-only`.
    package init?(parsing text: String) {
        switch text.lowercased() {
        case "update": self = .update
        case "notifyonly", "notify-only": self = .notifyOnly
        default: return nil
        }
    }
}
