package import struct Foundation.Date

/// The dedup rule as a pure state machine over one object's `status.notified` records.
///
/// Expected flow, per finding: ``begin(key:fingerprint:channels:at:)`` → persist ``records`` (the
/// intent) → send to the returned channels → ``confirm(key:fingerprint:delivered:at:)`` → persist.
///
/// Guarantees:
/// - a fingerprint equal to the last one `Sent` under its key is never sent again (restart or handoff:
///   the next owner reads the same records);
/// - a fingerprint whose intent was recorded but not confirmed (crash, failed channel) is re-sent at
///   most `maxRounds - 1` more times, and only to channels that did not confirm;
/// - a new fingerprint under a key replaces the old record (A, B, A sends three messages, as the
///   original did); the number of records is bounded by `capacity` (oldest dropped first).
package struct NotificationLedger: Sendable, Hashable {
    /// What to do with a finding.
    package enum Decision: Sendable, Hashable {
        /// Send to these channels; ``NotificationLedger/records`` now hold the intent — persist them first.
        case send(channels: [String])
        /// Already delivered everywhere (or nothing configured): nothing to do.
        case alreadySent
        /// Rounds exhausted; the record was closed as `Sent` without these channels — persist it.
        case abandoned(undelivered: [String])
    }

    package private(set) var records: [NotifiedRecord]
    /// Send rounds per fingerprint: the first send plus re-sends after a crash or failure. Default 2.
    package let maxRounds: Int
    /// Records kept per object. Default 256.
    package let capacity: Int

    package init(records: [NotifiedRecord], maxRounds: Int = 2, capacity: Int = 256) {
        self.records = records
        self.maxRounds = max(1, maxRounds)
        self.capacity = max(1, capacity)
    }

    /// Decides whether a finding is news for `channels`, recording the intent when it is.
    package mutating func begin(key: String, fingerprint: String, channels: [String], at: Date) -> Decision {
        let wanted = Set(channels)
        guard let index = records.firstIndex(where: { $0.key == key }),
            records[index].fingerprint == fingerprint
        else {
            guard !wanted.isEmpty else { return .alreadySent }
            upsert(NotifiedRecord(key: key, fingerprint: fingerprint, at: at, state: .pending))
            return .send(channels: wanted.sorted())
        }
        var record = records[index]
        let missing = wanted.subtracting(record.delivered).sorted()
        if record.state == .sent || missing.isEmpty { return .alreadySent }
        guard record.attempts < maxRounds else {
            record.state = .sent
            record.at = at
            records[index] = record
            return .abandoned(undelivered: missing)
        }
        record.attempts += 1
        record.at = at
        records[index] = record
        return .send(channels: missing)
    }

    /// Records which channels confirmed; the record is `Sent` once no requested channel is missing.
    ///
    /// - Parameter outstanding: channels that were asked and failed (they stay owed for a later round).
    package mutating func confirm(
        key: String, fingerprint: String, delivered: [String], outstanding: [String], at: Date
    ) {
        guard let index = records.firstIndex(where: { $0.key == key && $0.fingerprint == fingerprint }) else {
            return
        }
        var record = records[index]
        record.delivered = Set(record.delivered).union(delivered).sorted()
        record.at = at
        let owed = Set(outstanding).subtracting(record.delivered)
        record.state = owed.isEmpty ? .sent : .pending
        records[index] = record
    }

    /// Drops the record of a key (e.g. a check failure that cleared), so its next occurrence is news.
    package mutating func forget(key: String) {
        records.removeAll { $0.key == key }
    }

    private mutating func upsert(_ record: NotifiedRecord) {
        records.removeAll { $0.key == record.key }
        records.append(record)
        if records.count > capacity {
            records.sort { $0.at < $1.at }
            records.removeFirst(records.count - capacity)
        }
    }
}
