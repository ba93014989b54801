/// The registry clients of one replica, built once: they share one ``RegistryHTTPClient`` (so one
/// budget per registry host and one set of metrics), one token cache per client kind, and one
/// ``RegistryLookupCache`` (one lookup per repository per window, whatever the number of objects).
package struct RegistryClients: Sendable {
    package let http: RegistryHTTPClient
    package let oci: OCIRegistryClient
    package let dockerHub: DockerHubRegistry
    package let cache: RegistryLookupCache
    private let clock: RegistryClock

    /// - Parameters:
    ///   - window: the refresh window of the lookup cache (`REFRESH_FREQUENCY_IN_SECONDS`).
    ///   - dockerHubRegistry: where registry-1 and the Hub API are (`host`, `scheme`, Hub API base URL);
    ///     production uses the defaults, tests point them at loopback fixtures.
    package init(
        http: RegistryHTTPClient,
        window: Duration,
        clock: RegistryClock = .continuous,
        dockerHubRegistry: (host: String, scheme: String, hubAPIBaseURL: String) = (
            DockerHub.registryHost, "https", DockerHub.hubAPIBaseURL
        )
    ) {
        self.http = http
        self.clock = clock
        oci = OCIRegistryClient(http: http, clock: clock)
        dockerHub = DockerHubRegistry(
            oci: OCIRegistryClient(http: http, clock: clock, indexMemory: oci.indexMemory),
            registryHost: dockerHubRegistry.host, registryScheme: dockerHubRegistry.scheme,
            hubAPIBaseURL: dockerHubRegistry.hubAPIBaseURL)
        cache = RegistryLookupCache(
            window: window, clock: clock, metrics: http.metrics,
            isBusy: { [limiter = http.limiter] host in await limiter.isBusy(host: host) })
    }

    /// The cached registry for a kind. GitLab needs its configuration (global env or `spec.gitlab`);
    /// `maxAge` bounds the age of the cached lookups it answers with (an object's own interval).
    ///
    /// - Throws: ``RegistryError/misconfigured(_:)`` for `gitlab` without a configuration, or for a kind
    ///   this build does not know.
    package func registry(_ kind: RegistryKind, gitLab: GitLabConfiguration? = nil, maxAge: Duration? = nil)
        throws(RegistryError) -> CachedImageRegistry
    {
        switch kind {
        case .dockerhub: return CachedImageRegistry(dockerHub, cache: cache, maxAge: maxAge)
        case .oci: return CachedImageRegistry(oci, cache: cache, maxAge: maxAge)
        case .gitlab:
            guard let gitLab else {
                throw .misconfigured(
                    "containerregistry gitlab needs GITLAB_BASE_URL, GITLAB_TOKEN and GITLAB_PROJECT_ID or spec.gitlab")
            }
            try gitLab.validate()
            let api = GitLabAPIClient(http: http, configuration: gitLab)
            return CachedImageRegistry(GitLabRegistry(api: api, oci: oci), cache: cache, maxAge: maxAge)
        default:
            throw .misconfigured("containerregistry must be dockerhub, gitlab or oci, not \"\(kind)\"")
        }
    }

    /// Where an image's repository is: its host (Docker Hub names go to registry-1 via ``DockerHubRegistry``)
    /// and path; `insecureHTTP` uses plain HTTP (loopback test registries only).
    package static func repository(host: String, path: String, insecureHTTP: Bool = false) -> RegistryRepository {
        RegistryRepository(host: host, name: path, scheme: insecureHTTP ? "http" : "https")
    }
}
