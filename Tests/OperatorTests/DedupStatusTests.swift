import Foundation
import KubeEmulator
import KubernetesClient
import Logging
import OperatorCore
import TestSupport
import Testing
import Transport
import Updater
import VersioningAPI

/// Dedup through `status.notified` on KubeEmulator, with real channels: a webhook fixture server and
/// Kubernetes Events.
@Suite("Dedup in VersioningHandler status across restarts and handoffs")
struct DedupStatusTests {
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// One replica's notification stack: its own client, store, channels and dispatcher.
    static func replica(
        _ fixture: NotifyEmulatorFixture, webhook: String, transport: CurlTransport, name: String
    ) -> NotificationDispatcher {
        let client = fixture.client()
        let channels: [any NotificationChannel] = [
            WebhookChannel(settings: WebhookSettings(url: SecretValue(webhook)), transport: transport),
            KubernetesEventChannel(client: client, reportingInstance: name),
        ]
        let fanOut = NotificationFanOut(policy: DeliveryPolicy(maxAttempts: 1), clock: ContinuousClock(), logger: quiet)
        return NotificationDispatcher(
            channels: channels, fanOut: fanOut, store: StatusLedgerStore(client: client), logger: quiet)
    }

    @Test("processed twice, after a restart and after a handoff: one message per channel")
    func exactlyOnce() async throws {
        let fixture = try await NotifyEmulatorFixture.make()
        let transport = try CurlTransport()
        try await FixtureHTTPServer.withServer(replies: [HTTPResponse(status: 200)]) { hook in
            let url = hook.url("/hook")
            let finding = NotifyEmulatorFixture.finding(.updated(to: "1.3.0"))
            let first = Self.replica(fixture, webhook: url, transport: transport, name: "k8supdater-0")
            _ = try await first.dispatch([finding], for: NotifyEmulatorFixture.handler)
            _ = try await first.dispatch([finding], for: NotifyEmulatorFixture.handler)
            // Restart: a new process (new store instance) reads the persisted status.
            let restarted = Self.replica(fixture, webhook: url, transport: transport, name: "k8supdater-0")
            let report = try await restarted.dispatch([finding], for: NotifyEmulatorFixture.handler)
            #expect(try report.skipped == [finding.fingerprint])
            // Handoff: another replica takes the object over.
            let other = Self.replica(fixture, webhook: url, transport: transport, name: "k8supdater-1")
            _ = try await other.dispatch([finding], for: NotifyEmulatorFixture.handler)

            #expect(hook.requests.count == 1)
            let events = try await fixture.events()
            #expect(events.count == 1 && events.first?.series == nil)
            let records = try await fixture.notified()
            #expect(records.count == 1)
            #expect(records.first?.key == "default/nginx-deployment/web")
            #expect(try records.first?.fingerprint == finding.fingerprint)
            #expect(records.first?.state == "Sent")
            #expect(records.first?.delivered == ["events", "webhook"])
        }
        await transport.shutdown()
    }

    @Test("an intent left by a crashed replica is sent once by the next owner, then never again")
    func crashResendsOnce() async throws {
        let fixture = try await NotifyEmulatorFixture.make()
        let transport = try CurlTransport()
        try await FixtureHTTPServer.withServer(replies: [HTTPResponse(status: 200)]) { hook in
            let finding = NotifyEmulatorFixture.finding(.updateAvailable(.beyondFrontier))
            // The crashed replica recorded its intent in status, then died before sending.
            let store = StatusLedgerStore(client: fixture.client())
            var ledger = NotificationLedger(records: try await store.load(NotifyEmulatorFixture.handler))
            _ = ledger.begin(
                key: finding.dedupKey, fingerprint: try finding.fingerprint, channels: ["events", "webhook"],
                at: finding.observedAt)
            try await store.save(ledger.records, for: NotifyEmulatorFixture.handler)
            #expect(try await fixture.notified().first?.state == "Pending")

            for name in ["k8supdater-1", "k8supdater-1", "k8supdater-2"] {
                let replica = Self.replica(fixture, webhook: hook.url("/hook"), transport: transport, name: name)
                _ = try await replica.dispatch([finding], for: NotifyEmulatorFixture.handler)
            }
            #expect(hook.requests.count == 1)
            #expect(try await fixture.events().count == 1)
            let record = try #require(try await fixture.notified().first)
            #expect(record.state == "Sent" && record.attempts == 2)
        }
        await transport.shutdown()
    }

    @Test("a save after someone else's write is refused as a conflict (resourceVersion fencing)")
    func fencing() async throws {
        let fixture = try await NotifyEmulatorFixture.make()
        let owner = NotifyEmulatorFixture.handler
        let stale = StatusLedgerStore(client: fixture.client())
        let fresh = StatusLedgerStore(client: fixture.client())
        _ = try await stale.load(owner)
        _ = try await fresh.load(owner)
        let record = NotifiedRecord(
            key: "k", fingerprint: "f", at: NotifyEmulatorFixture.time, state: .sent, delivered: ["events"])
        try await fresh.save([record], for: owner)
        let error = try await #require(throws: LedgerStoreError.self) {
            try await stale.save([], for: owner)
        }
        #expect(error.kind == .conflict && error.isRetryable)
        let stored = try await fixture.notified()
        #expect(stored.map(\.fingerprint) == ["f"])
        #expect(stored.first?.at == KubeTime(NotifyEmulatorFixture.time))
    }
}
