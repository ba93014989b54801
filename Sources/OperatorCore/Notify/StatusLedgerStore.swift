package import KubernetesClient
package import Updater
package import VersioningAPI

import struct Foundation.Date
import class Foundation.JSONEncoder

/// Keeps the dedup records in `status.notified` of each VersioningHandler.
///
/// ``load(_:)`` reads the object and remembers it; ``save(_:for:)`` replaces only `status.notified`
/// with a merge patch of `…/status` guarded by the resourceVersion that was read (the operator's
/// ClusterRole grants `patch` on the status, not `update`). So a save after anyone else's write (the reconciler, another replica after a
/// handoff) fails with ``LedgerStoreError/Kind/conflict`` instead of overwriting it: the
/// resourceVersion fencing of the sharding protocol.
package actor StatusLedgerStore: NotificationLedgerStore {
    private let client: KubernetesClient
    private var loaded: [String: VersioningHandler] = [:]

    package init(client: KubernetesClient) {
        self.client = client
    }

    package func load(_ owner: Finding.ObjectName) async throws(LedgerStoreError) -> [NotifiedRecord] {
        do {
            let object = try await client.get(VersioningHandler.self, name: owner.name, namespace: owner.namespace)
            loaded[owner.description] = object
            return (object.status?.notified ?? []).map(NotifiedRecord.init)
        } catch {
            if case .notFound = error { loaded[owner.description] = nil }
            throw LedgerStoreError(error)
        }
    }

    package func save(_ records: [NotifiedRecord], for owner: Finding.ObjectName) async throws(LedgerStoreError) {
        guard let object = loaded[owner.description] else {
            throw LedgerStoreError(.conflict, "\(owner) was not read before writing its notification records")
        }
        do {
            let notified = try JSON(
                parsing: try JSONEncoder().encode(records.map(VersioningHandler.NotificationRecord.init)))
            loaded[owner.description] = try await client.patchStatus(
                VersioningHandler.self, name: owner.name, namespace: owner.namespace,
                at: try ResourceVersion(of: object),
                merge: ["status": ["notified": notified]])
        } catch let error as GuardedWriteError {
            loaded[owner.description] = nil
            switch error {
            case .stale(let status): throw LedgerStoreError(.conflict, status.message ?? "conflict")
            case .failed(let failure): throw LedgerStoreError(failure)
            }
        } catch {
            loaded[owner.description] = nil
            throw LedgerStoreError(.failed, "cannot encode the notification records: \(error)")
        }
    }
}

extension LedgerStoreError {
    /// Classifies an API error for the dispatcher.
    package init(_ error: KubernetesError) {
        switch error {
        case .notFound: self.init(.notFound, error.description)
        case .conflict: self.init(.conflict, error.description)
        default: self.init(error.isRetryable ? .unavailable : .failed, error.description)
        }
    }
}

extension NotifiedRecord {
    /// The domain record of a status record; fields absent in older records mean `Sent`, one round,
    /// and an unknown time (the epoch).
    package init(_ record: VersioningHandler.NotificationRecord) {
        self.init(
            key: record.key, fingerprint: record.fingerprint, at: record.at?.date ?? Date(timeIntervalSince1970: 0),
            state: record.state.flatMap(State.init(rawValue:)) ?? .sent, attempts: record.attempts ?? 1,
            delivered: record.delivered ?? [])
    }
}

extension VersioningHandler.NotificationRecord {
    /// The status form of a domain record.
    package init(_ record: NotifiedRecord) {
        self.init(
            key: record.key, fingerprint: record.fingerprint, at: KubeTime(record.at), state: record.state.rawValue,
            attempts: record.attempts, delivered: record.delivered)
    }
}
