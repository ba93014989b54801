package import Foundation
import Transport

/// A client of any OCI distribution registry (distribution, GHCR, Quay, Harbor, GitLab's registry,
/// Docker Hub's registry-1): tags by `tags/list`, digests by manifest `HEAD`.
///
/// - Tags: `?n=<tagPageSize>`, following `Link: <…>; rel="next"` (resolved against the request URL;
///   only to the same host) up to `maxPages`; `"tags": null` is an empty list; duplicates dropped;
///   more than `maxTagsPerRepository` keeps the last ones and says so.
/// - Digests: `HEAD` with the four-type `Accept` list, `Docker-Content-Digest` as the answer; for an
///   index, its children by one `GET` — only when that index digest was not seen before. A registry
///   whose HEAD omits the digest gets one `GET` instead, and the digest is the SHA-256 of the exact bytes.
/// - Auth: driven by `WWW-Authenticate` (``RegistryAuthenticator``); at most two challenges per request.
package struct OCIRegistryClient: ImageRegistry {
    package let http: RegistryHTTPClient
    package let authenticator: RegistryAuthenticator
    package let indexMemory: ManifestIndexMemory

    package init(http: RegistryHTTPClient, clock: RegistryClock = .continuous, indexMemory: ManifestIndexMemory? = nil)
    {
        self.http = http
        self.authenticator = RegistryAuthenticator(http: http, clock: clock)
        self.indexMemory = indexMemory ?? ManifestIndexMemory()
    }

    package var cacheIdentity: String { "oci" }

    /// Checks that `scheme://host/v2/` is a distribution v2 endpoint (200, or 401 asking for auth).
    package func ping(_ repository: RegistryRepository) async throws(RegistryError) {
        let response = try await http.send(
            HTTPRequest(url: "\(repository.baseURL)/v2/"), host: repository.host, kind: "ping")
        switch response.status {
        case 200..<300, 401: return
        case 404: throw .misconfigured("\(repository.host) is not a registry (GET /v2/ answered 404)")
        default: throw Self.statusError(response, repository: repository)
        }
    }

    package func tags(of repository: RegistryRepository, credentials: RegistryCredentials?)
        async throws(RegistryError) -> TagListing
    {
        let limits = http.limits
        var url: String? = "\(repository.baseURL)/v2/\(repository.name)/tags/list?n=\(limits.tagPageSize)"
        var seen = Set<String>()
        var tags: [String] = []
        var pages = 0
        var truncated = false
        var lastResponse: HTTPResponse?
        while let current = url {
            if pages == limits.maxPages {
                truncated = true
                break
            }
            pages += 1
            let response = try await send(
                HTTPRequest(url: current), to: repository, credentials: credentials, kind: "tags")
            lastResponse = response
            guard response.status == 200 else { throw Self.statusError(response, repository: repository) }
            let page: TagsListPage
            do { page = try JSONDecoder().decode(TagsListPage.self, from: response.body) } catch {
                throw .malformedResponse(
                    registry: repository.host, detail: "tags/list of \(repository.name) is not a tag list")
            }
            for tag in page.tags ?? [] where seen.insert(tag).inserted { tags.append(tag) }
            url = try Self.nextPage(response, after: current, repository: repository)
        }
        let listed = tags.count
        if tags.count > limits.maxTagsPerRepository {
            tags.removeFirst(tags.count - limits.maxTagsPerRepository)
            truncated = true
        }
        if truncated { http.metrics.tagCapHit(host: repository.host) }
        let signal = lastResponse.flatMap { RateLimitSignal(headers: $0.headers) }
        return TagListing(tags: tags, isTruncated: truncated, listedCount: listed, rateLimit: signal)
    }

    package func digest(of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> ManifestDigest
    {
        let url = "\(repository.baseURL)/v2/\(repository.name)/manifests/\(tag)"
        let head = HTTPRequest(method: .head, url: url, headers: ["Accept": ManifestMediaType.acceptList])
        let response = try await send(head, to: repository, credentials: credentials, kind: "manifest")
        guard response.status == 200 else {
            if response.status == 404 { throw RegistryError.tagNotFound(repository: repository.description, tag: tag) }
            throw Self.statusError(response, repository: repository)
        }
        guard let digest = response.headers["Docker-Content-Digest"]?.trimmingCharacters(in: .whitespaces),
            DigestFormat.isValid(digest)
        else {
            return try await digestByGET(repository, tag: tag, credentials: credentials)
        }
        let mediaType = ManifestMediaType.bare(response.headers["Content-Type"]) ?? ""
        let signal = RateLimitSignal(headers: response.headers)
        guard ManifestMediaType.isIndex(mediaType) else {
            return ManifestDigest(digest: digest, mediaType: mediaType, rateLimit: signal)
        }
        let platforms = try await indexPlatforms(repository, digest: digest, credentials: credentials)
        return ManifestDigest(digest: digest, mediaType: mediaType, platforms: platforms, rateLimit: signal)
    }

    /// The image config's `created` of `tag`: the manifest (for an index, its linux/amd64 child, else
    /// its first child), then the config blob. Nil when the config has no readable `created`.
    package func created(of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> Date?
    {
        var document = try await manifestDocument(repository, reference: tag, credentials: credentials)
        if let children = document.manifests, !children.isEmpty {
            let child =
                children.first { $0.platform?.os == "linux" && $0.platform?.architecture == "amd64" } ?? children[0]
            document = try await manifestDocument(repository, reference: child.digest, credentials: credentials)
        }
        guard let config = document.config?.digest, DigestFormat.isValid(config) else { return nil }
        let url = "\(repository.baseURL)/v2/\(repository.name)/blobs/\(config)"
        let response = try await send(HTTPRequest(url: url), to: repository, credentials: credentials, kind: "config")
        guard response.status == 200 else { throw Self.statusError(response, repository: repository) }
        struct Config: Decodable { var created: String? }
        let parsed = try? JSONDecoder().decode(Config.self, from: response.body)
        return parsed?.created.flatMap(HubTimestamp.parse)
    }

    /// A manifest or index by tag or digest, decoded loosely (config digest, children).
    private func manifestDocument(
        _ repository: RegistryRepository, reference: String, credentials: RegistryCredentials?
    )
        async throws(RegistryError) -> ManifestDocument
    {
        let url = "\(repository.baseURL)/v2/\(repository.name)/manifests/\(reference)"
        let get = HTTPRequest(url: url, headers: ["Accept": ManifestMediaType.acceptList])
        let response = try await send(get, to: repository, credentials: credentials, kind: "manifest")
        guard response.status == 200 else {
            if response.status == 404 {
                throw RegistryError.tagNotFound(repository: repository.description, tag: reference)
            }
            throw Self.statusError(response, repository: repository)
        }
        do { return try JSONDecoder().decode(ManifestDocument.self, from: response.body) } catch {
            throw .malformedResponse(
                registry: repository.host, detail: "manifest \(reference) of \(repository.name) is not a manifest")
        }
    }

    /// For registries whose HEAD omits `Docker-Content-Digest`: GET the manifest and hash its exact bytes.
    private func digestByGET(_ repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> ManifestDigest
    {
        let url = "\(repository.baseURL)/v2/\(repository.name)/manifests/\(tag)"
        let get = HTTPRequest(url: url, headers: ["Accept": ManifestMediaType.acceptList])
        let response = try await send(get, to: repository, credentials: credentials, kind: "manifest")
        guard response.status == 200 else { throw Self.statusError(response, repository: repository) }
        let digest: String
        do { digest = "sha256:" + (try SHA256.hash(response.body)).hex } catch {
            throw .transport(registry: repository.host, detail: error.description, retryable: false)
        }
        if let stated = response.headers["Docker-Content-Digest"], DigestFormat.isValid(stated), stated != digest,
            stated.hasPrefix("sha256:")
        {
            throw .malformedResponse(
                registry: repository.host, detail: "manifest of \(repository.name):\(tag) does not match its digest")
        }
        let mediaType = ManifestMediaType.bare(response.headers["Content-Type"]) ?? ""
        let signal = RateLimitSignal(headers: response.headers)
        guard ManifestMediaType.isIndex(mediaType) else {
            return ManifestDigest(digest: digest, mediaType: mediaType, rateLimit: signal)
        }
        let index: ImageIndexDocument
        do { index = try JSONDecoder().decode(ImageIndexDocument.self, from: response.body) } catch {
            throw .malformedResponse(
                registry: repository.host, detail: "index of \(repository.name):\(tag) is not an image index")
        }
        await indexMemory.remember(index.platformManifests, of: repository, digest: digest)
        return ManifestDigest(
            digest: digest, mediaType: mediaType, platforms: index.platformManifests, rateLimit: signal)
    }

    /// The children of the index `digest`: remembered, or fetched by digest once.
    private func indexPlatforms(_ repository: RegistryRepository, digest: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> [PlatformManifest]
    {
        if let known = await indexMemory.platforms(of: repository, digest: digest) { return known }
        let url = "\(repository.baseURL)/v2/\(repository.name)/manifests/\(digest)"
        let get = HTTPRequest(url: url, headers: ["Accept": ManifestMediaType.acceptList])
        let response = try await send(get, to: repository, credentials: credentials, kind: "index")
        guard response.status == 200 else { throw Self.statusError(response, repository: repository) }
        let index: ImageIndexDocument
        do { index = try JSONDecoder().decode(ImageIndexDocument.self, from: response.body) } catch {
            throw .malformedResponse(
                registry: repository.host, detail: "index \(digest) of \(repository.name) is not an image index")
        }
        let platforms = index.platformManifests
        await indexMemory.remember(platforms, of: repository, digest: digest)
        return platforms
    }

    /// Sends with whatever Authorization the host is known to need, answering up to two challenges.
    private func send(
        _ request: HTTPRequest,
        to repository: RegistryRepository,
        credentials: RegistryCredentials?,
        kind: String
    ) async throws(RegistryError) -> HTTPResponse {
        let scope = "repository:\(repository.name):pull"
        var request = request
        var authorization = try await authenticator.authorization(
            for: repository, scope: scope, credentials: credentials)
        var challenges = 0
        while true {
            request.headers["Authorization"] = authorization
            let response = try await http.send(request, host: repository.host, kind: kind)
            guard response.status == 401 else { return response }
            let challengeHeaders = response.headers.values("WWW-Authenticate")
            challenges += 1
            guard challenges <= 2 else {
                let error = AuthChallenge.parse(challengeHeaders).first?.error
                let detail =
                    error == "insufficient_scope"
                    ? "no pull access to \(repository.name) \(credentials == nil ? "anonymously" : "with these credentials")"
                    : "credentials or token refused for \(repository.name)"
                http.metrics.error(host: repository.host, reason: "RegistryUnauthorized")
                throw .unauthorized(registry: repository.host, detail: detail)
            }
            authorization = try await authenticator.answer(
                challengeHeaders, for: repository, scope: scope, credentials: credentials, sent: authorization)
        }
    }

    /// The next page's absolute URL from the Link header, nil on the last page.
    private static func nextPage(_ response: HTTPResponse, after current: String, repository: RegistryRepository)
        throws(RegistryError) -> String?
    {
        guard let link = LinkHeader.next(response.headers.values("Link")) else { return nil }
        guard let next = RelativeURL.resolve(link, against: current), next != current else {
            throw .malformedResponse(registry: repository.host, detail: "unusable Link header for the next tag page")
        }
        return next
    }

    /// A non-success status as a typed error with the registry's own (sanitized) message.
    static func statusError(_ response: HTTPResponse, repository: RegistryRepository) -> RegistryError {
        let detail = RegistryErrorBody.summary(response.body)
        switch response.status {
        case 404 where RegistryErrorBody.code(response.body) != "MANIFEST_UNKNOWN":
            return .repositoryNotFound(repository: repository.description, detail: detail)
        case 401: return .unauthorized(registry: repository.host, detail: detail)
        case 403: return .forbidden(registry: repository.host, detail: detail)
        default: return .httpStatus(registry: repository.host, status: response.status, detail: detail)
        }
    }
}
