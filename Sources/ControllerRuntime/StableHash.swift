package import Transport

/// A hash that is the same in every process and on every machine: the first 8 bytes of SHA-256,
/// big-endian (never Swift's `Hasher`, which is seeded per process).
///
/// Used for each object's schedule phase, so a restart or another replica computes the same slots.
package enum StableHash {
    /// The 64-bit stable hash of `text`'s UTF-8 bytes.
    ///
    /// - Throws: `DigestError` when libcrypto fails.
    package static func hash64(_ text: String) throws(DigestError) -> UInt64 {
        let bytes = try SHA256.hash(text.utf8).bytes
        var value: UInt64 = 0
        for byte in bytes.prefix(8) { value = value << 8 | UInt64(byte) }
        return value
    }
}
