package import struct Foundation.Date

/// GitLab: tags from the REST API of the configured project (all pages), the image matched to a
/// registry repository by `location` (``GitLabRepositoryMatcher``); digests from GitLab's registry
/// through the OCI client (its JWT realm comes from the challenge; `credentials` are the registry
/// credentials — deploy token or user + PAT — from a dockerconfigjson).
package struct GitLabRegistry: ImageRegistry {
    package let api: GitLabAPIClient
    package let oci: OCIRegistryClient

    package init(api: GitLabAPIClient, oci: OCIRegistryClient) {
        self.api = api
        self.oci = oci
    }

    /// One identity per GitLab account and project, so several configurations never share results.
    package var cacheIdentity: String {
        let configuration = api.configuration
        return "gitlab \(configuration.baseURL) \(configuration.projectID) \(configuration.token.hashValue)"
    }

    package func tags(of repository: RegistryRepository, credentials: RegistryCredentials?)
        async throws(RegistryError) -> TagListing
    {
        let repositories = try await api.repositories()
        guard let match = GitLabRepositoryMatcher.match(repository, in: repositories) else {
            throw .repositoryNotFound(
                repository: repository.description,
                detail: "no container repository of GitLab project \(api.configuration.projectID) has this location")
        }
        let (tags, truncated) = try await api.tags(repositoryID: match.id)
        if truncated { api.http.metrics.tagCapHit(host: api.configuration.host) }
        return TagListing(tags: tags, isTruncated: truncated)
    }

    /// The tag's `created_at` from GitLab's API.
    package func created(of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> Date?
    {
        let repositories = try await api.repositories()
        guard let match = GitLabRepositoryMatcher.match(repository, in: repositories) else {
            throw .repositoryNotFound(
                repository: repository.description,
                detail: "no container repository of GitLab project \(api.configuration.projectID) has this location")
        }
        return try await api.tagCreated(repositoryID: match.id, tag: tag)
    }

    package func digest(of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> ManifestDigest
    {
        try await oci.digest(of: repository, tag: tag, credentials: credentials)
    }
}
