package import KubernetesClient

extension VersioningHandler {
    /// One `spec.maintenanceWindows` entry: on `days` (in `timeZone`), from `start` to `end` (`HH:MM`;
    /// an `end` at or before `start` ends on the next day).
    package struct MaintenanceWindow: Sendable, Hashable, Codable {
        /// `Mon` … `Sun`: the days a window starts on; nil or empty: every day.
        package var days: [String]?
        package var start: String
        package var end: String
        /// An IANA time zone (`Europe/Berlin`); nil: UTC.
        package var timeZone: String?

        package init(days: [String]? = nil, start: String, end: String, timeZone: String? = nil) {
            self.days = days
            self.start = start
            self.end = end
            self.timeZone = timeZone
        }
    }

    /// `spec.rollback`.
    package struct Rollback: Sendable, Hashable, Codable {
        /// Nil: on (in mode `Update`, without `spec.writeBack`).
        package var enabled: Bool?

        package init(enabled: Bool? = nil) { self.enabled = enabled }
    }

    /// `status.rollout`: the image change the operator made and follows until the Deployment has
    /// rolled it out or its progress deadline has passed.
    package struct RolloutRecord: Sendable, Hashable, Codable {
        package var container: String
        /// The image the container had before (what a rollback restores).
        package var from: String
        /// The image the operator set.
        package var to: String
        package var started: KubeTime
        /// When the rollout counts as failed even if the Deployment does not say so.
        package var deadline: KubeTime

        package init(container: String, from: String, to: String, started: KubeTime, deadline: KubeTime) {
            self.container = container
            self.from = from
            self.to = to
            self.started = started
            self.deadline = deadline
        }
    }

    /// `status.failedTags[]`: a tag whose rollout failed in one container.
    package struct FailedTag: Sendable, Hashable, Codable {
        package var container: String
        package var tag: String
        /// The full image that failed.
        package var image: String?
        package var at: KubeTime?
        package var reason: String?

        package init(container: String, tag: String, image: String? = nil, at: KubeTime? = nil, reason: String? = nil) {
            self.container = container
            self.tag = tag
            self.image = image
            self.at = at
            self.reason = reason
        }
    }
}
