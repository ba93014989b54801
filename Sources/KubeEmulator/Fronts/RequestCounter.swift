import Synchronization

/// Counts the requests the router served, per identity, Kubernetes verb and resource, as an API
/// server's `apiserver_request_total` does: benchmarks read it to report API load at the server, not
/// as the client believes it sent it.
///
/// Every request that passed authentication is counted once, when it is classified (both fronts), so
/// a watch counts once when it is opened, whatever it streams afterwards.
package final class RequestCounter: Sendable {
    /// One counted kind of request.
    package struct Key: Sendable, Hashable, CustomStringConvertible {
        /// The authenticated caller (after impersonation).
        package var identity: String
        /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`.
        package var verb: String
        /// `plural` or `plural/subresource`; nil for discovery, OpenAPI, `/version` and `/healthz`.
        package var resource: String?

        package init(identity: String, verb: String, resource: String?) {
            self.identity = identity
            self.verb = verb
            self.resource = resource
        }

        /// Whether the verb only reads (`get`, `list`, `watch`).
        package var isRead: Bool { Self.readVerbs.contains(verb) }

        package var description: String { "\(identity) \(verb) \(resource ?? "-")" }

        static let readVerbs: Set<String> = ["get", "list", "watch"]
    }

    private let counts = Mutex<[Key: Int]>([:])

    package init() {}

    /// Counts one request.
    package func record(identity: String, verb: String, resource: String?) {
        counts.withLock { $0[Key(identity: identity, verb: verb, resource: resource), default: 0] += 1 }
    }

    /// Every count so far.
    package func snapshot() -> [Key: Int] { counts.withLock { $0 } }

    /// Forgets every count.
    package func reset() { counts.withLock { $0.removeAll() } }
}

extension [RequestCounter.Key: Int] {
    /// The counts of this snapshot minus those of an earlier one (keys absent from `earlier` count from 0).
    package func subtracting(_ earlier: [RequestCounter.Key: Int]) -> [RequestCounter.Key: Int] {
        var result: [RequestCounter.Key: Int] = [:]
        for (key, count) in self {
            let delta = count - (earlier[key] ?? 0)
            if delta != 0 { result[key] = delta }
        }
        return result
    }

    /// The total of the counts whose key satisfies `include`.
    package func total(where include: (RequestCounter.Key) -> Bool) -> Int {
        reduce(0) { include($1.key) ? $0 + $1.value : $0 }
    }
}
