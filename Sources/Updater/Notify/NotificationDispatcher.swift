package import Logging
import Transport

/// Delivers an object's findings exactly as the ledger allows: load records, record the intent,
/// fan out, confirm.
///
/// Guarantees: the intent is persisted before any channel is contacted, and nothing is sent when it
/// cannot be; confirmation is persisted after the fan-out. A conflict on either write means another
/// writer got there first: the dispatcher reloads and decides again (bounded), so a handoff in the
/// middle never sends twice.
package struct NotificationDispatcher: Sendable {
    /// What one dispatch did.
    package struct Report: Sendable, Hashable {
        /// Fingerprint → channel → outcome, for findings that were sent.
        package var sent: [String: [String: NotificationFanOut.Outcome]] = [:]
        /// Fingerprints skipped because they were already delivered.
        package var skipped: [String] = []
        /// Fingerprints given up on (rounds exhausted) with the channels that never confirmed.
        package var abandoned: [String: [String]] = [:]
    }

    private let channels: [any NotificationChannel]
    private let fanOut: NotificationFanOut
    private let store: any NotificationLedgerStore
    private let logger: Logger
    private let maxRounds: Int
    private let conflictRetries = 3

    package init(
        channels: [any NotificationChannel], fanOut: NotificationFanOut, store: any NotificationLedgerStore,
        logger: Logger, maxRounds: Int = 2
    ) {
        self.channels = channels
        self.fanOut = fanOut
        self.store = store
        self.logger = logger
        self.maxRounds = maxRounds
    }

    /// Processes the findings of one VersioningHandler.
    ///
    /// - Throws: ``LedgerStoreError`` when the records cannot be read or the intent cannot be written
    ///   (nothing was sent then; the next check tries again).
    package func dispatch(_ findings: [Finding], for owner: Finding.ObjectName) async throws(LedgerStoreError)
        -> Report
    {
        var report = Report()
        let notices: [Notice]
        do { notices = try findings.map { (finding) throws(DigestError) in try Notice(finding) } } catch {
            throw LedgerStoreError(.failed, "cannot fingerprint findings: \(error)")
        }
        // Phase 1: record the intent (retried on conflict with fresh records).
        var planned: [(Notice, [String])] = []
        var ledger = NotificationLedger(records: [], maxRounds: maxRounds)
        var attempt = 0
        while true {
            attempt += 1
            ledger = NotificationLedger(records: try await store.load(owner), maxRounds: maxRounds)
            let before = ledger
            planned = []
            report = Report()
            for notice in notices {
                let decision = ledger.begin(
                    key: notice.finding.dedupKey, fingerprint: notice.fingerprint, channels: channels.map(\.name),
                    at: notice.finding.observedAt)
                switch decision {
                case .send(let names): planned.append((notice, names))
                case .alreadySent: report.skipped.append(notice.fingerprint)
                case .abandoned(let names): report.abandoned[notice.fingerprint] = names
                }
            }
            if ledger == before { break }
            do throws(LedgerStoreError) {
                try await store.save(ledger.records, for: owner)
                break
            } catch  where error.kind == .conflict && attempt < conflictRetries {
                continue
            }
        }
        // Phase 2: send.
        for (notice, names) in planned {
            let targets = channels.filter { names.contains($0.name) }
            let outcomes = await fanOut.deliver(notice, to: targets)
            report.sent[notice.fingerprint] = outcomes
            let delivered = outcomes.filter { $0.value.isDelivered }.map(\.key)
            let failed = outcomes.filter { !$0.value.isDelivered }.map(\.key)
            ledger.confirm(
                key: notice.finding.dedupKey, fingerprint: notice.fingerprint, delivered: delivered,
                outstanding: failed, at: notice.finding.observedAt)
        }
        // Phase 3: confirm. A failure here is logged, not thrown: the messages are out, and the worst
        // case is one re-send, which the ledger bounds.
        if !planned.isEmpty {
            await saveConfirmation(ledger, planned: planned.map { $0.0 }, owner: owner)
        }
        return report
    }

    /// Writes the confirmations; on conflict reloads and re-applies them to the fresh records.
    private func saveConfirmation(_ ledger: NotificationLedger, planned: [Notice], owner: Finding.ObjectName) async {
        var records = ledger.records
        for attempt in 1...conflictRetries {
            do throws(LedgerStoreError) {
                try await store.save(records, for: owner)
                return
            } catch {
                guard error.kind == .conflict, attempt < conflictRetries else {
                    logger.warning(
                        "could not confirm notifications; they may be re-sent once",
                        metadata: ["object": "\(owner)", "error": "\(error.message)"])
                    return
                }
                guard let fresh = try? await store.load(owner) else { continue }
                records = Self.merge(confirmed: ledger.records, into: fresh, keys: Set(planned.map(\.finding.dedupKey)))
            }
        }
    }

    /// The fresh records with our confirmed records for `keys` where the fingerprints still match.
    private static func merge(confirmed: [NotifiedRecord], into fresh: [NotifiedRecord], keys: Set<String>)
        -> [NotifiedRecord]
    {
        fresh.map { record in
            guard keys.contains(record.key),
                let ours = confirmed.first(where: { $0.key == record.key && $0.fingerprint == record.fingerprint })
            else { return record }
            var merged = ours
            merged.delivered = Set(record.delivered).union(ours.delivered).sorted()
            return merged
        }
    }
}
