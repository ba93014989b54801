import Foundation
import Testing
import Transport
import Updater

@Suite("Dedup ledger state machine")
struct DedupLedgerTests {
    let channels = ["email", "log", "telegram"]
    let t0 = NotificationFixtures.time

    @Test("a new fingerprint is sent to every channel and recorded as Pending before sending")
    func newFingerprint() {
        var ledger = NotificationLedger(records: [])
        #expect(ledger.begin(key: "k", fingerprint: "f1", channels: channels, at: t0) == .send(channels: channels))
        #expect(ledger.records == [NotifiedRecord(key: "k", fingerprint: "f1", at: t0, state: .pending)])
    }

    @Test("once confirmed, the same fingerprint is never sent again")
    func confirmedIsNotResent() {
        var ledger = NotificationLedger(records: [])
        _ = ledger.begin(key: "k", fingerprint: "f1", channels: channels, at: t0)
        ledger.confirm(key: "k", fingerprint: "f1", delivered: channels, outstanding: [], at: t0)
        #expect(ledger.records.first?.state == .sent)
        for _ in 0..<3 {
            #expect(ledger.begin(key: "k", fingerprint: "f1", channels: channels, at: t0) == .alreadySent)
        }
    }

    @Test("an intent left unconfirmed by a crash is re-sent exactly once, then closed")
    func crashResendsAtMostOnce() {
        var ledger = NotificationLedger(records: [])
        _ = ledger.begin(key: "k", fingerprint: "f1", channels: channels, at: t0)
        // Crash: a new ledger reads the persisted intent.
        var restarted = NotificationLedger(records: ledger.records)
        #expect(restarted.begin(key: "k", fingerprint: "f1", channels: channels, at: t0) == .send(channels: channels))
        // Crash again before confirming.
        var again = NotificationLedger(records: restarted.records)
        #expect(
            again.begin(key: "k", fingerprint: "f1", channels: channels, at: t0) == .abandoned(undelivered: channels))
        #expect(again.records.first?.state == .sent)
        #expect(again.begin(key: "k", fingerprint: "f1", channels: channels, at: t0) == .alreadySent)
    }

    @Test("a re-send goes only to channels that did not confirm")
    func partialDelivery() {
        var ledger = NotificationLedger(records: [])
        _ = ledger.begin(key: "k", fingerprint: "f1", channels: channels, at: t0)
        ledger.confirm(key: "k", fingerprint: "f1", delivered: ["email", "log"], outstanding: ["telegram"], at: t0)
        #expect(ledger.records.first?.state == .pending)
        #expect(ledger.begin(key: "k", fingerprint: "f1", channels: channels, at: t0) == .send(channels: ["telegram"]))
        ledger.confirm(key: "k", fingerprint: "f1", delivered: ["telegram"], outstanding: [], at: t0)
        #expect(ledger.records.first?.state == .sent)
        #expect(ledger.records.first?.delivered == channels)
    }

    @Test("A, B, A under one key sends three times, like the original")
    func lastFingerprintPerKey() {
        var ledger = NotificationLedger(records: [])
        for fingerprint in ["A", "B", "A"] {
            #expect(ledger.begin(key: "k", fingerprint: fingerprint, channels: channels, at: t0) != .alreadySent)
            ledger.confirm(key: "k", fingerprint: fingerprint, delivered: channels, outstanding: [], at: t0)
        }
        #expect(ledger.records.count == 1)
    }

    @Test("keys are independent and the record count stays within capacity, oldest dropped")
    func capacity() {
        var ledger = NotificationLedger(records: [], capacity: 3)
        for index in 0..<5 {
            _ = ledger.begin(
                key: "k\(index)", fingerprint: "f", channels: channels, at: t0.addingTimeInterval(Double(index)))
        }
        #expect(ledger.records.map(\.key) == ["k2", "k3", "k4"])
        ledger.forget(key: "k3")
        #expect(ledger.records.map(\.key) == ["k2", "k4"])
    }

    @Test("with no channel configured nothing is recorded")
    func noChannels() {
        var ledger = NotificationLedger(records: [])
        #expect(ledger.begin(key: "k", fingerprint: "f", channels: [], at: t0) == .alreadySent)
        #expect(ledger.records.isEmpty)
    }

    @Test("fingerprints ignore the observation time and change with any reported fact")
    func fingerprints() throws {
        let base = NotificationFixtures.finding(.updated(to: "1.3.0"))
        var later = base
        later.observedAt = base.observedAt.addingTimeInterval(3600)
        #expect(try base.fingerprint == later.fingerprint)
        #expect(try base.fingerprint.count == 32)
        let variants: [Finding] = [
            NotificationFixtures.finding(.updated(to: "1.3.1")),
            NotificationFixtures.finding(.updateAvailable(.beyondFrontier)),
            NotificationFixtures.finding(.updated(to: "1.3.0"), overall: "2.0.1"),
            NotificationFixtures.finding(.updated(to: "1.3.0"), container: "sidecar"),
            NotificationFixtures.finding(.checkFailed(.init(reason: "A", message: "b"))),
            NotificationFixtures.finding(.checkFailed(.init(reason: "A", message: "c"))),
        ]
        let fingerprints = try variants.map { (finding) throws(DigestError) in try finding.fingerprint }
        #expect(try Set(fingerprints + [base.fingerprint]).count == variants.count + 1)
    }

    @Test("check failures have their own key so they do not reset the update record")
    func failureKey() {
        let update = NotificationFixtures.finding(.updateAvailable(.beyondFrontier))
        let failure = NotificationFixtures.finding(.checkFailed(.init(reason: "A", message: "b")))
        #expect(update.dedupKey == "web/nginx-deployment/web")
        #expect(failure.dedupKey == "web/nginx-deployment/web#check")
    }
}
