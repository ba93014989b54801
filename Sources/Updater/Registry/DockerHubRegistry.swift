package import Foundation
import Transport

/// Docker Hub: tags and digests through registry-1 (a manifest HEAD does not count toward the pull
/// limit), `library/` for official images, the Hub API only for tag dates (``tagDetails(of:credentials:)``).
///
/// `ratelimit-limit` / `ratelimit-remaining` of registry-1 are read on every response: they feed the
/// shared budget, the `k8supdater_registry_ratelimit_remaining` gauge and ``ManifestDigest/rateLimit``.
package struct DockerHubRegistry: ImageRegistry {
    package let oci: OCIRegistryClient
    /// Where registry-1 is (`https://registry-1.docker.io`; a loopback fixture in tests).
    package let registryHost: String
    package let registryScheme: String
    /// Where the Hub API is (`https://hub.docker.com`).
    package let hubAPIBaseURL: String

    package init(
        oci: OCIRegistryClient,
        registryHost: String = DockerHub.registryHost,
        registryScheme: String = "https",
        hubAPIBaseURL: String = DockerHub.hubAPIBaseURL
    ) {
        self.oci = oci
        self.registryHost = registryHost
        self.registryScheme = registryScheme
        self.hubAPIBaseURL = hubAPIBaseURL
    }

    package var cacheIdentity: String { "dockerhub" }

    /// The registry-1 repository for any spelling of a Docker Hub repository (`nginx`, `docker.io/nginx`,
    /// `index.docker.io/library/nginx`).
    package func registryRepository(_ repository: RegistryRepository) -> RegistryRepository {
        RegistryRepository(host: registryHost, name: DockerHub.repositoryName(repository.name), scheme: registryScheme)
    }

    package func tags(of repository: RegistryRepository, credentials: RegistryCredentials?)
        async throws(RegistryError) -> TagListing
    {
        try await oci.tags(of: registryRepository(repository), credentials: credentials)
    }

    package func digest(of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> ManifestDigest
    {
        try await oci.digest(of: registryRepository(repository), tag: tag, credentials: credentials)
    }

    /// The tag's push time from the Hub API (`/v2/namespaces/{ns}/repositories/{repo}/tags/{tag}`:
    /// `tag_last_pushed`, else `last_updated`).
    package func created(of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> Date?
    {
        let name = DockerHub.repositoryName(repository.name)
        let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
        let hubHost = URLComponents(string: hubAPIBaseURL)?.host ?? "hub.docker.com"
        let url =
            "\(hubAPIBaseURL)/v2/namespaces/\(QueryString.escapePathSegment(parts[0]))/repositories/\(QueryString.escapePathSegment(parts[1]))/tags/\(QueryString.escapePathSegment(tag))"
        var request = HTTPRequest(url: url, headers: ["Accept": "application/json"])
        request.headers["Authorization"] = try await hubAuthorization(credentials, host: hubHost)
        let response = try await oci.http.send(request, host: hubHost, kind: "hub_tag")
        guard response.status == 200 else {
            if response.status == 404 { throw RegistryError.tagNotFound(repository: "docker.io/\(name)", tag: tag) }
            throw OCIRegistryClient.statusError(response, repository: RegistryRepository(host: hubHost, name: name))
        }
        struct Wire: Decodable {
            var tag_last_pushed: String?
            var last_updated: String?
        }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: response.body) else {
            throw .malformedResponse(registry: hubHost, detail: "Hub API tag \(name):\(tag) is not a tag")
        }
        return (wire.tag_last_pushed ?? wire.last_updated).flatMap(HubTimestamp.parse)
    }

    /// Tags with their dates and digests from the Hub API (`/v2/namespaces/{ns}/repositories/{repo}/tags`,
    /// `page_size=100`, following `next`), newest first as the API orders them. Costs Hub API budget:
    /// call it only when dates are needed (e.g. deciding about `latest`).
    package func tagDetails(of repository: RegistryRepository, credentials: RegistryCredentials?)
        async throws(RegistryError) -> [DockerHubTag]
    {
        let name = DockerHub.repositoryName(repository.name)
        let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
        let hubHost = URLComponents(string: hubAPIBaseURL)?.host ?? "hub.docker.com"
        var url: String? =
            "\(hubAPIBaseURL)/v2/namespaces/\(QueryString.escapePathSegment(parts[0]))/repositories/\(QueryString.escapePathSegment(parts[1]))/tags?page_size=100"
        let authorization = try await hubAuthorization(credentials, host: hubHost)
        let limits = oci.http.limits
        var tags: [DockerHubTag] = []
        var pages = 0
        while let current = url, pages < limits.maxPages, tags.count < limits.maxTagsPerRepository {
            pages += 1
            var request = HTTPRequest(url: current, headers: ["Accept": "application/json"])
            request.headers["Authorization"] = authorization
            let response = try await oci.http.send(request, host: hubHost, kind: "hub_tags")
            guard response.status == 200 else {
                if response.status == 404 {
                    throw RegistryError.repositoryNotFound(
                        repository: "docker.io/\(name)", detail: "unknown to the Hub API")
                }
                throw OCIRegistryClient.statusError(response, repository: RegistryRepository(host: hubHost, name: name))
            }
            let page: DockerHubTagPage
            do { page = try JSONDecoder().decode(DockerHubTagPage.self, from: response.body) } catch {
                throw .malformedResponse(registry: hubHost, detail: "Hub API tag page of \(name) is not a tag page")
            }
            tags.append(contentsOf: page.results.map(\.tag))
            url = try page.next.map { next throws(RegistryError) in
                guard let resolved = RelativeURL.resolve(next, against: current), resolved != current else {
                    throw .malformedResponse(registry: hubHost, detail: "unusable `next` in the Hub API tag page")
                }
                return resolved
            }
        }
        if tags.count > limits.maxTagsPerRepository || url != nil { oci.http.metrics.tagCapHit(host: hubHost) }
        return Array(tags.prefix(limits.maxTagsPerRepository))
    }

    /// `Bearer <JWT>` from `POST /v2/auth/token` for private repositories; nil (anonymous) without credentials.
    private func hubAuthorization(_ credentials: RegistryCredentials?, host: String) async throws(RegistryError)
        -> String?
    {
        guard let credentials else { return nil }
        struct Login: Encodable {
            var identifier: String
            var secret: String
        }
        let body = try? JSONEncoder().encode(Login(identifier: credentials.username, secret: credentials.password))
        let request = HTTPRequest(
            method: .post, url: "\(hubAPIBaseURL)/v2/auth/token", headers: ["Content-Type": "application/json"],
            body: body)
        let response = try await oci.http.send(request, host: host, kind: "hub_login")
        guard response.status == 200 else {
            throw .unauthorized(
                registry: host, detail: "the Hub API rejected the credentials (HTTP \(response.status))")
        }
        guard let token = BearerTokenResponse(json: response.body) else {
            throw .malformedResponse(registry: host, detail: "Hub API login reply holds no token")
        }
        return "Bearer \(token.token)"
    }
}
