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
    /// digest of a single-platform image. ``Platform`` is normalised, so `arm64` matches `arm64/v8`.
    package func digest(for platform: Platform) -> String? {
        guard isIndex else { return digest }
        return platforms.first { $0.platform == platform }?.digest
    }

    /// The registry side of ``DigestDecision``: the top-level digest and each platform's manifest digest.
    /// Entries whose digest is not well-formed are left out.
    package var registryState: DigestDecision.RegistryState {
        var children: [Platform: ImageDigest] = [:]
        for child in platforms {
            if let parsed = try? ImageDigest(parsing: child.digest) { children[child.platform] = parsed }
        }
        return DigestDecision.RegistryState(index: try? ImageDigest(parsing: digest), platforms: children)
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
