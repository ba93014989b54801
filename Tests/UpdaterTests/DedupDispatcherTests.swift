import Clocks
import Logging
import Testing
import Updater

@Suite("Dedup across processing, restarts and handoffs")
struct DedupDispatcherTests {
    let owner = NotificationFixtures.handler

    func dispatcher(_ channels: [any NotificationChannel], store: MemoryLedgerStore) -> NotificationDispatcher {
        let fanOut = NotificationFanOut(
            policy: DeliveryPolicy(maxAttempts: 1), clock: ContinuousClock(), logger: quietLogger)
        return NotificationDispatcher(channels: channels, fanOut: fanOut, store: store, logger: quietLogger)
    }

    @Test("the same finding processed twice sends one message per channel")
    func processedTwice() async throws {
        let store = MemoryLedgerStore()
        let email = RecordingChannel("email")
        let telegram = RecordingChannel("telegram")
        let replica = dispatcher([email, telegram], store: store)
        let finding = NotificationFixtures.finding(.updated(to: "1.3.0"))
        _ = try await replica.dispatch([finding], for: owner)
        let second = try await replica.dispatch([finding], for: owner)
        #expect(email.delivered.count == 1)
        #expect(telegram.delivered.count == 1)
        #expect(try second.skipped == [finding.fingerprint])
        #expect(store.records(of: owner).first?.state == .sent)
    }

    @Test("a restarted process and another replica reading the same records send nothing more")
    func restartAndHandoff() async throws {
        let store = MemoryLedgerStore()
        let finding = NotificationFixtures.finding(.updateAvailable(.beyondFrontier))
        let first = [RecordingChannel("email"), RecordingChannel("webhook")]
        _ = try await dispatcher(first, store: store).dispatch([finding], for: owner)
        // Restart: new channels and dispatcher, same persisted records.
        let restarted = [RecordingChannel("email"), RecordingChannel("webhook")]
        _ = try await dispatcher(restarted, store: store).dispatch([finding], for: owner)
        // Handoff: another replica.
        let other = [RecordingChannel("email"), RecordingChannel("webhook")]
        _ = try await dispatcher(other, store: store).dispatch([finding], for: owner)
        #expect(first.map(\.delivered.count) == [1, 1])
        #expect((restarted + other).allSatisfy { $0.delivered.isEmpty })
    }

    @Test("a crash between sending and confirming re-sends once, never twice")
    func crashBeforeConfirm() async throws {
        let store = MemoryLedgerStore()
        let finding = NotificationFixtures.finding(.updated(to: "1.3.0"))
        // The intent was recorded (as the dispatcher does before sending), then the process died.
        var ledger = NotificationLedger(records: [])
        _ = ledger.begin(
            key: finding.dedupKey, fingerprint: try finding.fingerprint, channels: ["email"], at: finding.observedAt)
        try await store.save(ledger.records, for: owner)
        let email = RecordingChannel("email")
        _ = try await dispatcher([email], store: store).dispatch([finding], for: owner)
        _ = try await dispatcher([email], store: store).dispatch([finding], for: owner)
        #expect(email.delivered.count == 1)
    }

    @Test("a channel that failed is retried on the next check, the others are not repeated")
    func failedChannelRetriedLater() async throws {
        let store = MemoryLedgerStore()
        let email = RecordingChannel("email", script: [.fail(.rejected(status: 400))])
        let webhook = RecordingChannel("webhook")
        let replica = dispatcher([email, webhook], store: store)
        let finding = NotificationFixtures.finding(.updated(to: "1.3.0"))
        let report = try await replica.dispatch([finding], for: owner)
        #expect(try report.sent[finding.fingerprint]?["email"]?.isDelivered == false)
        _ = try await replica.dispatch([finding], for: owner)
        _ = try await replica.dispatch([finding], for: owner)
        #expect(email.delivered.count == 1)
        #expect(webhook.delivered.count == 1)
        #expect(store.records(of: owner).first?.delivered == ["email", "webhook"])
    }

    @Test("findings for different containers and a new version under the same key are all sent")
    func distinctFindings() async throws {
        let store = MemoryLedgerStore()
        let log = RecordingChannel("log")
        let replica = dispatcher([log], store: store)
        _ = try await replica.dispatch(
            [
                NotificationFixtures.finding(.updated(to: "1.3.0")),
                NotificationFixtures.finding(.updated(to: "1.3.0"), container: "sidecar"),
            ], for: owner)
        _ = try await replica.dispatch(
            [NotificationFixtures.finding(.updated(to: "1.4.0"), current: "1.3.0")], for: owner)
        #expect(log.delivered.count == 3)
        #expect(store.records(of: owner).count == 2)
    }
}
