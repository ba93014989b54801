import Foundation
package import Updater

/// What `k8supdater check` prints: the tags considered and the decision, as text or JSON.
/// JSON field names are a stable interface: add fields, never rename; absent values are left out.
package struct CheckReport {
    package let reference: ImageReference
    package let kind: RegistryKind
    package let listing: TagListing
    package let policy: VersionPolicy
    package var version: VersionDecision?
    package var digest: ManifestDigest?
    package var digestDecision: DigestDecision?
    package var rateLimit: RateLimitSignal?

    package init(reference: ImageReference, kind: RegistryKind, listing: TagListing, policy: VersionPolicy) {
        self.reference = reference
        self.kind = kind
        self.listing = listing
        self.policy = policy
    }

    /// `upToDate`, `update`, `notify`, `updateAndNotify` (versioned tags) or `restart` (floating tags).
    package var action: String {
        if let version { return version.action.rawValue }
        switch digestDecision {
        case .restart: return "restart"
        case .notify: return "notify"
        case .upToDate, nil: return "upToDate"
        }
    }

    package func text() -> String {
        let shown = listing.tags.prefix(50).joined(separator: ", ")
        var lines = [
            "image:            \(reference)",
            "registry:         \(kind.rawValue)",
            "tags (\(listing.tags.count)\(listing.isTruncated ? " of \(listing.listedCount), capped" : "")): "
                + shown + (listing.tags.count > 50 ? ", …" : ""),
        ]
        if let version {
            lines.append(DecisionText.humanReadable(version, policy: policy))
        }
        if let digest {
            lines.append("action:           \(action)")
            lines.append("digest:           \(digest.digest) (\(digest.mediaType))")
            for child in digest.platforms { lines.append("  \(child.platform): \(child.digest)") }
            if let digestDecision { lines.append("reason:           \(Self.reason(digestDecision))") }
        }
        if let remaining = rateLimit?.remaining {
            lines.append("rate limit:       \(remaining) of \(rateLimit?.limit.map(String.init) ?? "?") remaining")
        }
        return lines.joined(separator: "\n")
    }

    package func json() throws -> String {
        struct Platform: Encodable {
            var platform: String
            var digest: String
        }
        struct Output: Encodable {
            var image: String
            var registry: String
            var tags: [String]
            var tagsTruncated: Bool
            var action: String
            var update: String?
            var notify: String?
            var latestAllowed: String?
            var latestAvailable: String?
            var digest: String?
            var platforms: [Platform]
            var reasons: [String]
            var rateLimitRemaining: Int?
        }
        let output = Output(
            image: reference.description, registry: kind.rawValue, tags: listing.tags,
            tagsTruncated: listing.isTruncated,
            action: action, update: version?.update, notify: version?.notify, latestAllowed: version?.latestAllowed,
            latestAvailable: version?.latestAvailable, digest: digest?.digest,
            platforms: (digest?.platforms ?? []).map { Platform(platform: $0.platform.description, digest: $0.digest) },
            reasons: version?.reasons.map(\.description) ?? digestDecision.map { [Self.reason($0)] } ?? [],
            rateLimitRemaining: rateLimit?.remaining)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }

    private static func reason(_ decision: DigestDecision) -> String {
        switch decision {
        case .upToDate(let reason), .restart(let reason), .notify(let reason): reason.description
        }
    }
}
