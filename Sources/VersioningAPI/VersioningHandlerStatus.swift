package import KubernetesClient

extension VersioningHandler {
    /// The status subresource: the only place the operator keeps state.
    package struct Status: Sendable, Hashable, Codable {
        /// The replica that owns the object now.
        package var shard: String?
        package var observedGeneration: Int64?
        package var lastChecked: KubeTime?
        package var nextCheck: KubeTime?
        /// One line for the `Status` printer column (`Updated 1.25.4`).
        package var summary: String?
        package var containers: [ContainerVersion]?
        /// Dedup records: a notification whose fingerprint equals the last one for its key is not sent again.
        package var notified: [NotificationRecord]?
        /// At least `Ready` and `Degraded`; `Rollout` once the operator followed a rollout.
        package var conditions: [Condition]?
        /// The rollout the operator started and follows now (nil when none): a replica that takes the
        /// object over resumes following it from here.
        package var rollout: RolloutRecord?
        /// Tags whose rollout failed and was rolled back: never tried again (a newer tag still is).
        package var failedTags: [FailedTag]?

        package init() {}
    }

    /// What the operator found for one container.
    package struct ContainerVersion: Sendable, Hashable, Codable {
        package var name: String
        package var image: String?
        package var current: String?
        /// The newest version within the frontier.
        package var latestAllowed: String?
        /// The newest version overall.
        package var latestAvailable: String?
        package var digest: String?
        package var action: Action?
        package var message: String?
        package var lastTransitionTime: KubeTime?
        /// With `spec.writeBack`: the pushed commit that carries `committedTag`.
        package var commit: String?
        /// With `spec.writeBack`: the tag (or digest, for a floating tag) committed.
        package var committedTag: String?

        package init(name: String) { self.name = name }
    }

    /// `status.containers[].action`.
    package struct Action: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
        package var rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package init(stringLiteral value: String) { self.rawValue = value }
        package static let upToDate: Action = "UpToDate"
        package static let updated: Action = "Updated"
        package static let restarted: Action = "Restarted"
        package static let updateAvailable: Action = "UpdateAvailable"
        package static let error: Action = "Error"
        /// With `spec.writeBack`: the new tag was committed; the GitOps engine rolls it out.
        package static let committed: Action = "Committed"
        /// An update waits: for the tag to reach `minReleaseAge`, for a maintenance window, or for
        /// another container's rollout.
        package static let held: Action = "Held"
        /// The new tag's rollout failed; the container was set back to the image it replaced.
        package static let rolledBack: Action = "RolledBack"
    }

    /// One sent notification: `key` says what it was about, `fingerprint` its content.
    ///
    /// `state` (`Pending` from the recorded intent, `Sent` once confirmed), `attempts` (send rounds
    /// started) and `delivered` (channels that confirmed) make "a crash re-sends at most once"
    /// decidable; absent means `Sent` (a record written before they existed).
    package struct NotificationRecord: Sendable, Hashable, Codable {
        package var key: String
        package var fingerprint: String
        package var at: KubeTime?
        package var state: String?
        package var attempts: Int?
        package var delivered: [String]?

        package init(
            key: String, fingerprint: String, at: KubeTime?, state: String? = nil, attempts: Int? = nil,
            delivered: [String]? = nil
        ) {
            self.key = key
            self.fingerprint = fingerprint
            self.at = at
            self.state = state
            self.attempts = attempts
            self.delivered = delivered
        }
    }
}
