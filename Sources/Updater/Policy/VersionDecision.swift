/// What to do about one container whose tag carries a version.
///
/// Both an update and a notification may hold at once: update within the frontier and report the
/// bigger version beyond it. Every tag here is a string from the registry's own list, and
/// ``update`` is always newer than ``current`` (never a downgrade).
package struct VersionDecision: Equatable, Sendable {
    /// The overall outcome.
    package enum Action: String, Sendable, Codable {
        case upToDate
        case update
        case notify
        case updateAndNotify
    }

    /// The current tag as written in the pod spec.
    package let current: String
    /// The tag to move the workload to, or nil.
    package let update: String?
    /// A newer tag to tell the user about (beyond the frontier, or any newer one in NotifyOnly
    /// mode), or nil.
    package let notify: String?
    /// The newest candidate within the frontier (`status.containers[].latestAllowed`), whatever the mode.
    package let latestAllowed: String?
    /// The newest candidate overall (`status.containers[].latestAvailable`).
    package let latestAvailable: String?
    /// Why, in order.
    package let reasons: [DecisionReason]

    package init(
        current: String, update: String?, notify: String?, latestAllowed: String?, latestAvailable: String?,
        reasons: [DecisionReason]
    ) {
        self.current = current
        self.update = update
        self.notify = notify
        self.latestAllowed = latestAllowed
        self.latestAvailable = latestAvailable
        self.reasons = reasons
    }

    package var action: Action {
        switch (update, notify) {
        case (nil, nil): .upToDate
        case (.some, nil): .update
        case (nil, .some): .notify
        case (.some, .some): .updateAndNotify
        }
    }

    /// Nothing to apply and nothing to report.
    package var isUpToDate: Bool { action == .upToDate }
}
