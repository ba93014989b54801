package import struct Foundation.Date

/// The one interface every registry kind offers the updater: tags of a repository and digests of tags.
///
/// Implementations: ``OCIRegistryClient`` (any OCI distribution registry), ``DockerHubRegistry``
/// (registry-1 plus the Hub API), ``GitLabRegistry`` (GitLab's REST API for tags, its registry for
/// digests). Wrap any of them in ``RegistryLookupCache`` to get one lookup per repository per window.
///
/// - Important: `credentials` are used only for the request they were given for; implementations
///   never log them nor put them into errors.
package protocol ImageRegistry: Sendable {
    /// Identifies the configuration behind this registry (kind, base URL, account) in cache keys.
    /// Two instances with the same identity must answer the same repository the same way.
    var cacheIdentity: String { get }

    /// Every tag of the repository (deduplicated, in registry order), capped at the client's limit.
    ///
    /// - Throws: ``RegistryError`` — `repositoryNotFound`, `unauthorized`, `throttled`, …
    func tags(of repository: RegistryRepository, credentials: RegistryCredentials?)
        async throws(RegistryError) -> TagListing

    /// The digest a pull of `tag` resolves to: the top-level digest (index or manifest) and, for a
    /// multi-arch image, the digest of each platform's manifest.
    func digest(of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> ManifestDigest

    /// When `tag` was created, as the registry reports it (for `minReleaseAge`): the image config's
    /// `created` (OCI), the tag's push time (Docker Hub), the tag's `created_at` (GitLab); nil when the
    /// registry reports no date.
    func created(of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> Date?
}
