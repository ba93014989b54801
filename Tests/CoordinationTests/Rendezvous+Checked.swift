import Coordination
import Testing

extension Rendezvous {
    /// ``Rendezvous/owner(of:among:)`` for tests: a libcrypto failure is recorded as a test failure
    /// (and answers nil) instead of making every caller throw.
    static func checkedOwner(of key: String, among shards: some Sequence<String>) -> String? {
        do {
            return try owner(of: key, among: shards)
        } catch {
            Issue.record("hashing \(key) failed: \(error)")
            return nil
        }
    }
}
