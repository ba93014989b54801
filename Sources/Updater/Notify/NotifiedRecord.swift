package import struct Foundation.Date

/// One dedup record, as kept in `status.notified[]` of the VersioningHandler.
///
/// The design's `{key, fingerprint, at}` plus what makes "at most one re-send" decidable: `state`
/// (`Pending` from the moment the intent is recorded, `Sent` once every channel confirmed),
/// `attempts` (how many send rounds started for this fingerprint) and `delivered` (the channels that
/// confirmed, so a re-send skips them).
package struct NotifiedRecord: Sendable, Hashable {
    package enum State: String, Sendable, Hashable, Codable {
        case pending = "Pending"
        case sent = "Sent"
    }

    /// ``Finding/dedupKey``: `<namespace>/<deployment>/<container>`, plus `#check` for failures.
    package var key: String
    /// ``Finding/fingerprint`` of the last finding recorded under the key.
    package var fingerprint: String
    /// When the record last changed (the finding's observation time).
    package var at: Date
    package var state: State
    package var attempts: Int
    /// Channel names that confirmed delivery of this fingerprint, sorted.
    package var delivered: [String]

    package init(
        key: String, fingerprint: String, at: Date, state: State, attempts: Int = 1, delivered: [String] = []
    ) {
        self.key = key
        self.fingerprint = fingerprint
        self.at = at
        self.state = state
        self.attempts = attempts
        self.delivered = delivered
    }
}
