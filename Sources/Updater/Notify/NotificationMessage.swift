package import Foundation

/// The human text of a finding: the original's subject and bullet body, with correct content.
///
/// Subject: `[Update!] - Image: <image> - Deployment: <deployment>` when something was changed,
/// `[No update!] - …` for notify-only findings, `[Check failed!] - …` for failures. Body lines:
/// image, container, Deployment and namespace, current (or previous) version, newest within the
/// frontier, newest overall, and the action. Channels format this value (plain, HTML, mrkdwn);
/// none of them invents content.
package struct NotificationMessage: Sendable, Hashable {
    /// One line of the body: a label and its value.
    package struct Line: Sendable, Hashable {
        package var label: String
        package var value: String
    }

    package var subject: String
    package var lines: [Line]

    /// Renders a finding.
    package init(_ finding: Finding) {
        let tag: String
        switch finding.outcome {
        case .updated, .restarted, .committed: tag = "Update!"
        case .updateAvailable, .held: tag = "No update!"
        case .checkFailed: tag = "Check failed!"
        case .rolledBack: tag = "Rolled back!"
        }
        subject = "[\(tag)] - Image: \(finding.image) - Deployment: \(finding.deployment.name)"
        var lines = [
            Line(label: "Image", value: finding.image),
            Line(label: "Container", value: finding.container),
            Line(
                label: "Deployment",
                value: "\(finding.deployment.name) with namespace \(finding.deployment.namespace)"),
        ]
        switch finding.outcome {
        case .updated, .restarted, .committed, .rolledBack:
            lines.append(Line(label: "Previous version", value: finding.currentTag))
        case .updateAvailable, .checkFailed, .held:
            lines.append(Line(label: "Current version", value: finding.currentTag))
        }
        if case .checkFailed = finding.outcome {
        } else {
            lines.append(Line(label: "Latest updatable version", value: finding.newestAllowed ?? "none"))
            lines.append(Line(label: "Latest overall version", value: finding.newestOverall ?? "none"))
        }
        if case .committed(_, let commit) = finding.outcome { lines.append(Line(label: "Commit", value: commit)) }
        lines.append(Line(label: "Action made", value: Self.action(finding)))
        self.lines = lines
    }

    /// The body as plain text, one `- Label: value` line each (no indentation, unlike the original).
    package var plainBody: String {
        lines.map { "- \($0.label): \($0.value)" }.joined(separator: "\n")
    }

    /// Subject, blank line, body.
    package var plainText: String { subject + "\n\n" + plainBody }

    private static func action(_ finding: Finding) -> String {
        switch finding.outcome {
        case .updated(let tag) where tag == finding.newestOverall:
            "Updated image to latest overall version, \(tag)"
        case .updated(let tag):
            "Updated image to latest updatable version, \(tag)"
        case .restarted:
            "Restarted the Deployment to pull the newer \(finding.currentTag), as LATEST_PREFERENCE is true"
        case .updateAvailable(.beyondFrontier):
            "Did not update image: \(finding.newestOverall ?? "the newer version") is beyond the versions frontier "
                + "and needs a review"
        case .updateAvailable(.latestPreference):
            "Did not update to the newer \(finding.currentTag), as LATEST_PREFERENCE is not true"
        case .updateAvailable(.notifyOnlyMode):
            "Did not update image, as the VersioningHandler is in NotifyOnly mode"
        case .checkFailed(let failure):
            "Check failed (\(failure.reason)): \(failure.message)"
        case .committed(let tag, let commit):
            "Committed \(tag) to Git as \(commit); the GitOps engine rolls it out"
        case .held(let tag, .maintenanceWindow, let until):
            "Did not update to \(tag) yet: outside the maintenance windows"
                + (until.map { "; it is applied when the next window opens, \(HeldTime.utc($0))" } ?? "")
        case .held(let tag, .releaseAge, let until):
            "Did not update to \(tag) yet: younger than the minimum release age"
                + (until.map { "; it is applied at \(HeldTime.utc($0))" } ?? "")
        case .rolledBack(let failed, let restored, let reason):
            "The rollout of \(failed) failed (\(reason)); rolled back to \(restored), and \(failed) is not tried again"
        }
    }
}

extension Finding.Outcome {
    /// The Kubernetes Event reason for this outcome (UpperCamelCase, machine-switchable).
    package var eventReason: String {
        switch self {
        case .updated: "Updated"
        case .restarted: "Restarted"
        case .updateAvailable: "UpdateAvailable"
        case .checkFailed: "CheckFailed"
        case .committed: "Committed"
        case .held: "Held"
        case .rolledBack: "RolledBack"
        }
    }

    /// Whether the outcome is a problem (`Warning` Event, `warning` log level) rather than news.
    package var isFailure: Bool {
        switch self {
        case .checkFailed, .rolledBack: true
        default: false
        }
    }
}

/// Times in messages: `2026-11-25 14:02 UTC`.
package enum HeldTime {
    package static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)) UTC"
    }
}
