package import KubernetesClient
import Transport

/// Rendezvous (highest random weight) hashing: a key belongs to the shard with the highest
/// `score(shard, key)`.
///
/// Guarantees: only the keys of a removed shard move on leave, and only keys won by the new shard move
/// on join (zero moves between survivors); assignments are identical in every process and every
/// release that keeps ``version`` (the hash is fixed: never Swift's per-process-seeded `Hasher`).
///
/// Version 1: the score is the first 8 bytes, big-endian, of SHA-256 over the UTF-8 of `"<shard>|<key>"`
/// (libcrypto). Changing it moves almost every object; bump ``version`` when it changes.
package enum Rendezvous {
    /// The hash function's version.
    package static let version = 1

    /// The 64-bit score of `key` on `shard`.
    package static func score(shard: String, key: String) -> UInt64 {
        let digest = SHA256.hash("\(shard)|\(key)".utf8).bytes
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return value
    }

    /// The shard with the highest score for `key` (ties broken by the larger name), nil when there is
    /// no shard.
    package static func owner(of key: String, among shards: some Sequence<String>) -> String? {
        var best: (shard: String, score: UInt64)?
        for shard in shards {
            let score = score(shard: shard, key: key)
            if let current = best, (current.score, current.shard) >= (score, shard) { continue }
            best = (shard, score)
        }
        return best?.shard
    }

    /// The hashing key of an object: `group/Kind/namespace/name` (the UID is not used: it is unset at
    /// admission, and a re-created object should land where its predecessor was).
    package static func key(_ type: ResourceType, _ object: ObjectKey) -> String {
        "\(type.group)/\(type.kind)/\(object.namespace ?? "")/\(object.name)"
    }
}
