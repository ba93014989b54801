import Foundation
import Testing
import Updater

@Suite("Notification messages")
struct NotificationMessageTests {
    @Test("an update within the frontier renders the original's subject and a complete body")
    func updatedWithinFrontier() {
        let message = NotificationMessage(NotificationFixtures.finding(.updated(to: "1.3.0")))
        #expect(message.subject == "[Update!] - Image: nginx - Deployment: nginx-deployment")
        #expect(
            message.plainBody == """
                - Image: nginx
                - Container: web
                - Deployment: nginx-deployment with namespace web
                - Previous version: 1.2.0
                - Latest updatable version: 1.3.0
                - Latest overall version: 2.0.0
                - Action made: Updated image to latest updatable version, 1.3.0
                """)
    }

    @Test("an update to the newest overall version says so")
    func updatedToOverall() {
        let message = NotificationMessage(
            NotificationFixtures.finding(.updated(to: "1.3.0"), allowed: "1.3.0", overall: "1.3.0"))
        #expect(message.lines.last?.value == "Updated image to latest overall version, 1.3.0")
    }

    @Test(
        "notify-only findings are reported with a No update! subject and the reason",
        arguments: [
            (Finding.NotifyOnlyReason.beyondFrontier, "2.0.0 is beyond the versions frontier"),
            (.latestPreference, "LATEST_PREFERENCE is not true"),
            (.notifyOnlyMode, "NotifyOnly mode"),
        ])
    func notifyOnly(reason: Finding.NotifyOnlyReason, fragment: String) {
        let message = NotificationMessage(NotificationFixtures.finding(.updateAvailable(reason)))
        #expect(message.subject == "[No update!] - Image: nginx - Deployment: nginx-deployment")
        #expect(message.lines.contains { $0.label == "Current version" && $0.value == "1.2.0" })
        #expect(message.lines.last?.value.contains(fragment) == true)
    }

    @Test("a failed check names the failure and omits versions it could not learn")
    func checkFailed() {
        let failure = Finding.CheckFailure(reason: "RegistryUnreachable", message: "cannot connect to registry-1")
        let message = NotificationMessage(
            NotificationFixtures.finding(.checkFailed(failure), allowed: nil, overall: nil))
        #expect(message.subject == "[Check failed!] - Image: nginx - Deployment: nginx-deployment")
        #expect(!message.lines.contains { $0.label.hasPrefix("Latest") })
        #expect(message.lines.last?.value == "Check failed (RegistryUnreachable): cannot connect to registry-1")
    }

    @Test("a restart for a moved latest tag is an update")
    func restarted() {
        let message = NotificationMessage(
            NotificationFixtures.finding(.restarted, current: "latest", allowed: nil, overall: nil))
        #expect(message.subject.hasPrefix("[Update!]"))
        #expect(message.lines.contains { $0.label == "Latest updatable version" && $0.value == "none" })
        #expect(message.lines.last?.value.contains("LATEST_PREFERENCE is true") == true)
    }

    @Test("HTML escaping replaces &, < and > and nothing else, without double escaping")
    func htmlEscaping() {
        #expect(HTMLText.escape("a<b>&c \"q\" é") == "a&lt;b&gt;&amp;c \"q\" é")
        #expect(HTMLText.escape("&lt;") == "&amp;lt;")
    }

    @Test("event reasons follow the issue's vocabulary")
    func eventReasons() {
        #expect(Finding.Outcome.updated(to: "1").eventReason == "Updated")
        #expect(Finding.Outcome.restarted.eventReason == "Restarted")
        #expect(Finding.Outcome.updateAvailable(.beyondFrontier).eventReason == "UpdateAvailable")
        #expect(Finding.Outcome.checkFailed(.init(reason: "X", message: "y")).eventReason == "CheckFailed")
    }
}

@Suite("Notification messages for GitOps write-back")
struct CommittedNotificationMessageTests {
    @Test("a committed tag is an update that carries the commit; its fingerprint differs from a patch's")
    func committed() throws {
        let sha = String(repeating: "ab", count: 20)
        let finding = NotificationFixtures.finding(.committed(to: "1.3.0", commit: sha))
        let message = NotificationMessage(finding)
        #expect(message.subject == "[Update!] - Image: nginx - Deployment: nginx-deployment")
        #expect(message.lines.contains { $0.label == "Commit" && $0.value == sha })
        #expect(message.lines.last?.value == "Committed 1.3.0 to Git as \(sha); the GitOps engine rolls it out")
        #expect(finding.outcome.eventReason == "Committed")
        let patched = NotificationFixtures.finding(.updated(to: "1.3.0"))
        #expect(try finding.fingerprint != patched.fingerprint)
    }
}
