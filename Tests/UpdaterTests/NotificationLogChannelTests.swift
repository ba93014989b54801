import Logging
import TestSupport
import Testing
import Updater

@Suite("Log channel")
struct NotificationLogChannelTests {
    @Test("a notice becomes one structured record: subject as message, facts as metadata")
    func structured() async throws {
        let logs = CapturedLogs()
        let notice = try Notice(NotificationFixtures.finding(.updated(to: "1.3.0")))
        try await LogChannel(logger: logs.logger()).deliver(notice)
        let record = try #require(logs.records.only)
        #expect(record.level == .info)
        #expect(record.message == "[Update!] - Image: nginx - Deployment: nginx-deployment")
        #expect(
            record.metadata == [
                "handler": "web/nginx-checker", "namespace": "web", "deployment": "nginx-deployment",
                "container": "web", "image": "nginx", "current": "1.2.0", "newestAllowed": "1.3.0",
                "newestOverall": "2.0.0", "reason": "Updated",
                "action": "Updated image to latest updatable version, 1.3.0", "fingerprint": notice.fingerprint,
            ])
    }

    @Test("a failed check is logged as a warning")
    func failureIsWarning() async throws {
        let logs = CapturedLogs()
        let failure = Finding.CheckFailure(reason: "RegistryUnreachable", message: "connection refused")
        try await LogChannel(logger: logs.logger())
            .deliver(try Notice(NotificationFixtures.finding(.checkFailed(failure), allowed: nil, overall: nil)))
        #expect(logs.records.map(\.level) == [.warning])
        #expect(logs.records.first?.metadata["newestAllowed"] == nil)
    }
}

extension Collection {
    /// The single element, or nil when there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
