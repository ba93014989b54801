import Foundation
import Logging
import Testing
import Updater

/// Findings used across the notification tests.
enum NotificationFixtures {
    static let handler = Finding.ObjectName(namespace: "web", name: "nginx-checker")
    static let deployment = Finding.ObjectName(namespace: "web", name: "nginx-deployment")
    /// 2026-11-25 16:00:00 UTC.
    static let time = Date(timeIntervalSince1970: 1_795_622_400)

    static func finding(
        _ outcome: Finding.Outcome, container: String = "web", image: String = "nginx", current: String = "1.2.0",
        allowed: String? = "1.3.0", overall: String? = "2.0.0", at: Date = time
    ) -> Finding {
        Finding(
            handler: handler, deployment: deployment, container: container, image: image, currentTag: current,
            newestAllowed: allowed, newestOverall: overall, outcome: outcome, observedAt: at)
    }
}

/// A request body decoded as a JSON object, or a test failure.
func jsonObject(_ body: Data?) throws -> [String: Any] {
    let data = try #require(body)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// A logger that discards everything (tests that check logs use `CapturedLogs`).
let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
