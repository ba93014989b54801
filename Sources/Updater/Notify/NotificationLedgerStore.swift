/// Where an object's dedup records live: `status.notified` of its VersioningHandler in production.
///
/// - Important: ``save(_:for:)`` must be fenced: if the object changed owner or was rewritten since
///   ``load(_:)``, it fails with a conflict instead of overwriting someone else's records.
package protocol NotificationLedgerStore: Sendable {
    /// The records of one object (empty when it has none).
    func load(_ owner: Finding.ObjectName) async throws(LedgerStoreError) -> [NotifiedRecord]

    /// Replaces the records of one object.
    func save(_ records: [NotifiedRecord], for owner: Finding.ObjectName) async throws(LedgerStoreError)
}

/// Why the dedup records could not be read or written.
package struct LedgerStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable {
        /// The object is gone: nothing to notify about any more.
        case notFound
        /// The object changed since it was read (another writer, a handoff). Reload and decide again.
        case conflict
        /// The API server is unreachable or failed. Retryable.
        case unavailable
        /// Anything else (forbidden, invalid). Not retryable.
        case failed
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var isRetryable: Bool { kind == .conflict || kind == .unavailable }
    package var description: String { message }
}
