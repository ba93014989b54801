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
        /// At least `Ready` and `Degraded`.
        package var conditions: [Condition]?

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
    }

    /// One sent notification: `key` says what it was about, `fingerprint` its content.
    package struct NotificationRecord: Sendable, Hashable, Codable {
        package var key: String
        package var fingerprint: String
        package var at: KubeTime?

        package init(key: String, fingerprint: String, at: KubeTime?) {
            self.key = key
            self.fingerprint = fingerprint
            self.at = at
        }
    }
}
