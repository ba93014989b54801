/// Bearer tokens per (realm, service, scope, credentials), kept until they expire (pure; times are
/// ``RegistryClock`` durations).
package struct RegistryTokenCache: Sendable {
    package struct Key: Sendable, Hashable {
        package var realm: String
        package var service: String?
        package var scope: String
        package var credentials: RegistryCredentials?

        package init(realm: String, service: String?, scope: String, credentials: RegistryCredentials?) {
            self.realm = realm
            self.service = service
            self.scope = scope
            self.credentials = credentials
        }
    }

    private var entries: [Key: (token: String, validUntil: Duration)] = [:]
    /// Entries kept at most; expired ones are dropped first when full.
    package let capacity: Int

    package init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The cached token, if still valid at `now`.
    package func token(for key: Key, now: Duration) -> String? {
        guard let entry = entries[key], entry.validUntil > now else { return nil }
        return entry.token
    }

    package mutating func store(_ token: String, for key: Key, validFor: Duration, now: Duration) {
        if entries.count >= capacity {
            entries = entries.filter { $0.value.validUntil > now }
            if entries.count >= capacity, let oldest = entries.min(by: { $0.value.validUntil < $1.value.validUntil }) {
                entries[oldest.key] = nil
            }
        }
        entries[key] = (token, now + validFor)
    }

    package mutating func invalidate(_ key: Key) { entries[key] = nil }

    package var count: Int { entries.count }
}
