/// What a tag resolves to: the top-level digest and, for multi-arch images, one digest per platform.
package struct ManifestDigest: Sendable, Hashable {
    /// `sha256:…` of the manifest or index the tag points to — what `docker pull` and `crane digest` report.
    package var digest: String
    /// The media type the registry answered with (bare, lowercased).
    package var mediaType: String
    /// The platform manifests of an index or manifest list; empty for a single-platform image.
    package var platforms: [PlatformManifest]
    /// The registry's rate-limit reading from the manifest request, when it sent one.
    package var rateLimit: RateLimitSignal?

    package init(
        digest: String, mediaType: String, platforms: [PlatformManifest] = [], rateLimit: RateLimitSignal? = nil
    ) {
        self.digest = digest
        self.mediaType = mediaType
        self.platforms = platforms
        self.rateLimit = rateLimit
    }

    /// Whether the tag is a multi-platform index.
    package var isIndex: Bool { ManifestMediaType.isIndex(mediaType) }

    /// The digest a node of that platform pulls: the matching child of an index, or the top-level
    /// digest of a single-platform image. `arm64` matches `arm64/v8` (the two spellings of one platform).
    package func digest(for platform: Platform) -> String? {
        guard isIndex else { return digest }
        return platforms.first { $0.platform.matches(platform) }?.digest
    }
}

/// One child of an index: its platform and manifest digest.
package struct PlatformManifest: Sendable, Hashable {
    package var platform: Platform
    package var digest: String
    package var mediaType: String?

    package init(platform: Platform, digest: String, mediaType: String? = nil) {
        self.platform = platform
        self.digest = digest
        self.mediaType = mediaType
    }
}

/// An OS/architecture/variant triple (`linux/arm64/v8`).
package struct Platform: Sendable, Hashable, CustomStringConvertible {
    package var os: String
    package var architecture: String
    package var variant: String?

    package init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = (variant?.isEmpty ?? true) ? nil : variant
    }

    /// Parses `os/arch[/variant]`; nil for anything else.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
    }

    package var description: String { [os, architecture, variant].compactMap(\.self).joined(separator: "/") }

    /// Same OS and architecture, and the same variant — where `arm64` without variant equals `arm64/v8`.
    package func matches(_ other: Platform) -> Bool {
        os == other.os && architecture == other.architecture && normalizedVariant == other.normalizedVariant
    }

    private var normalizedVariant: String? {
        if architecture == "arm64", variant == nil || variant == "v8" { return "v8" }
        return variant
    }
}
