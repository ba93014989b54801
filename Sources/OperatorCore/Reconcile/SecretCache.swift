package import Foundation
package import KubernetesClient
import Synchronization
package import Updater

/// The Secrets checks read by name — a Deployment's image pull secrets, `spec.credentialsSecretRef`,
/// the GitLab token — remembered for a while, so that checks do not read the API for them every
/// time: the objects of a namespace usually name the same pull secret, and 10,000 checks per interval
/// would otherwise be 10,000 Secret reads through the replica's API budget.
///
/// A read serves every check of the same Secret while it is younger than the `maxAge` the check asks
/// for (its object's refresh interval), and never longer than ``foundLimit`` (5 minutes: a rotated
/// secret is used within that even at long intervals). A Secret that does not exist is remembered for
/// at most ``missingLimit`` (30 seconds: creating it is picked up by the next retry after that; the
/// check goes on without it meanwhile, as the kubelet does for a missing pull secret). Any other API
/// error is not remembered: the next check reads again. Values stay in memory only — never logged,
/// never in a status. Memory is one entry per Secret named, dropped once older than ``forgetAfter``.
package final class SecretCache: Sendable {
    private struct Entry: Sendable {
        /// Nil: the Secret does not exist.
        var data: [String: Data]?
        var read: Duration
    }

    private let entries = Mutex<[ObjectKey: Entry]>([:])
    private let clock: RegistryClock
    /// The longest a Secret read is served.
    package let foundLimit: Duration
    /// The longest "does not exist" is served.
    package let missingLimit: Duration
    /// Entries older than this are dropped when the cache is next written.
    package let forgetAfter: Duration

    package init(
        clock: RegistryClock = .continuous, foundLimit: Duration = .seconds(300), missingLimit: Duration = .seconds(30),
        forgetAfter: Duration = .seconds(3600)
    ) {
        self.clock = clock
        self.foundLimit = foundLimit
        self.missingLimit = missingLimit
        self.forgetAfter = forgetAfter
    }

    /// What one read found.
    package enum Lookup: Sendable {
        /// The Secret's `data` (empty when it has none).
        case found([String: Data])
        /// The API says the Secret does not exist.
        case notFound
        /// The API could not be read; nothing remembered.
        case failed(KubernetesError)
    }

    /// The data of Secret `name` in `namespace`: remembered if read within `maxAge` (capped by
    /// ``foundLimit`` or ``missingLimit``), else read now.
    package func secret(
        named name: String, in namespace: String, maxAge: Duration, client: KubernetesClient
    ) async -> Lookup {
        let key = ObjectKey(namespace: namespace, name: name)
        let now = clock.now()
        if let entry = entries.withLock({ $0[key] }),
            now - entry.read < min(maxAge, entry.data == nil ? missingLimit : foundLimit)
        {
            return entry.data.map { .found($0) } ?? .notFound
        }
        // Nil: the Secret does not exist (remembered too).
        let data: [String: Data]?
        do {
            data = try await client.get(Secret.self, name: name, namespace: namespace).data ?? [:]
        } catch .notFound {
            data = nil
        } catch {
            return .failed(error)
        }
        let read = clock.now()
        entries.withLock { entries in
            entries = entries.filter { read - $0.value.read < forgetAfter }
            entries[key] = Entry(data: data, read: read)
        }
        return data.map { .found($0) } ?? .notFound
    }

    /// Secrets remembered now.
    package var count: Int { entries.withLock { $0.count } }
}
