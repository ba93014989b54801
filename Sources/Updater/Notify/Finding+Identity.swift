import Transport

extension Finding {
    /// The dedup key: one per (Deployment, container, kind of news). Check failures have their own
    /// key, so a transient failure does not make the next identical "update available" look new.
    package var dedupKey: String {
        let base = "\(deployment.namespace)/\(deployment.name)/\(container)"
        if case .checkFailed = outcome { return base + "#check" }
        return base
    }

    /// A stable digest of what the finding says (never of when it was observed): two findings with
    /// equal fingerprints would produce the same message, so the second is not sent.
    ///
    /// Versioned (`v1`) and built from SHA-256, so it is the same in every replica and every release
    /// that keeps the scheme; 32 hex characters (128 bits).
    ///
    /// - Throws: ``DigestError`` when libcrypto fails.
    package var fingerprint: String {
        get throws(DigestError) {
            var fields = [
                "v1", deployment.namespace, deployment.name, container, image, currentTag,
                newestAllowed ?? "", newestOverall ?? "",
            ]
            switch outcome {
            case .updated(let tag): fields += ["updated", tag]
            case .restarted: fields += ["restarted"]
            case .updateAvailable(let reason): fields += ["available", reason.rawValue]
            case .checkFailed(let failure): fields += ["failed", failure.reason, failure.message]
            case .committed(let tag, let commit): fields += ["committed", tag, commit]
            case .held(let tag, let reason, _): fields += ["held", tag, reason.rawValue]
            case .rolledBack(let failed, let restored, _): fields += ["rolledBack", failed, restored]
            }
            // Length-prefixed so no field boundary is ambiguous.
            let canonical = fields.map { "\($0.utf8.count):\($0)" }.joined()
            return String(try SHA256.hash(canonical.utf8).hex.prefix(32))
        }
    }
}
