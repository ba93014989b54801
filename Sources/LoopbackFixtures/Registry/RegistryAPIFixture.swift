package import Foundation
import Synchronization

/// Scriptable registry APIs reproducing the documented JSON and headers where a real registry cannot
/// show the behaviour: an OCI registry that paginates tags/list with a relative `Link`, the Docker Hub
/// API (`count`/`next`/`results`, `X-RateLimit-*`), GitLab's registry API (`x-next-page`, `Link`,
/// `PRIVATE-TOKEN`), Docker Hub's `ratelimit-*` headers, and injected 429/503 with `Retry-After`.
///
/// Serve it with ``FixtureHTTPServer/withServer(_:body:)`` passing ``handle(_:)``.
package final class RegistryAPIFixture: Sendable {
    /// A GitLab container repository of project 9 (`group/project`).
    package struct GitLabRepository: Sendable {
        package var id: Int
        package var name: String
        package var location: String
        package var tags: [String]

        package init(id: Int, name: String, location: String, tags: [String]) {
            self.id = id
            self.name = name
            self.location = location
            self.tags = tags
        }
    }

    package struct Failure: Sendable {
        package var status: Int
        package var retryAfter: String?

        package init(status: Int, retryAfter: String?) {
            self.status = status
            self.retryAfter = retryAfter
        }
    }

    private struct State {
        var repositories: [String: [String]]
        var gitlab: [GitLabRepository]
        var failures: [Failure] = []
        var rateLimit: (limit: Int, remaining: Int, window: Int)?
        /// `repository:tag` → the build pushed last (changes the tag's digest: a rebuilt `latest`).
        var builds: [String: String] = [:]
        /// `repository:tag` → the image config's `created`.
        var created: [String: Date] = [:]
    }

    package static let gitLabToken = "glpat-test"
    private let state: Mutex<State>

    package init(repositories: [String: [String]] = [:], gitlab: [GitLabRepository] = []) {
        state = Mutex(State(repositories: repositories, gitlab: gitlab))
    }

    /// Adds `tag` to `repository` (a push) or, with a new `build`, gives it new content (a rebuilt
    /// `latest`); returns the digest its manifest now has.
    @discardableResult
    package func push(_ repository: String, tag: String, build: String = "") -> String {
        state.withLock { state in
            if !(state.repositories[repository] ?? []).contains(tag) {
                state.repositories[repository, default: []].append(tag)
            }
            state.builds["\(repository):\(tag)"] = build.isEmpty ? nil : build
        }
        return currentDigest(repository: repository, tag: tag)
    }

    /// The digest `repository:tag` is served with: ``digest(repository:tag:)``, salted by its build.
    private func currentDigest(repository: String, tag: String) -> String {
        let build = state.withLock { $0.builds["\(repository):\(tag)"] }
        return Self.digest(repository: repository, tag: build.map { "\(tag)#\($0)" } ?? tag)
    }

    /// Replaces the tags of `repository` (a push of new tags).
    package func setTags(_ tags: [String], repository: String) {
        state.withLock { $0.repositories[repository] = tags }
    }

    /// The next requests (any route) fail with these statuses, in order.
    package func failNext(_ failures: [Failure]) { state.withLock { $0.failures.append(contentsOf: failures) } }

    /// Manifest responses carry Docker Hub's `ratelimit-limit`/`ratelimit-remaining` (`N;w=window`);
    /// each manifest request uses one.
    package func setRateLimit(limit: Int, remaining: Int, window: Int) {
        state.withLock { $0.rateLimit = (limit, remaining, window) }
    }

    /// The image config of `repository:tag` says it was created at `date` (served through the manifest's
    /// config blob; tags without a date have a config without `created`).
    package func setCreated(_ date: Date, repository: String, tag: String) {
        state.withLock { $0.created["\(repository):\(tag)"] = date }
    }

    /// The fake digest of a tag's config blob.
    package static func configDigest(repository: String, tag: String) -> String {
        digest(repository: repository, tag: "config/" + tag)
    }

    /// The fake digest of a tag: `sha256:` + 64 hex digits derived from repository and tag.
    package static func digest(repository: String, tag: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var hex = ""
        for round in 0..<4 {
            for byte in "\(round)\(repository):\(tag)".utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            hex += String(repeating: "0", count: 16 - String(hash, radix: 16).count) + String(hash, radix: 16)
        }
        return "sha256:\(hex)"
    }

    package func handle(_ request: FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply {
        if let failure = state.withLock({ $0.failures.isEmpty ? nil : $0.failures.removeFirst() }) {
            let headers = failure.retryAfter.map { [("Retry-After", $0)] } ?? []
            return .json(
                #"{"errors":[{"code":"TOOMANYREQUESTS","message":"injected"}]}"#, status: failure.status,
                headers: headers)
        }
        let path = request.path
        if path == "/v2/" { return .json("{}", headers: [("Docker-Distribution-Api-Version", "registry/2.0")]) }
        if path.hasPrefix("/v2/namespaces/") { return hubTags(request) }
        if path.hasPrefix("/api/v4/") { return gitLab(request) }
        if path.hasPrefix("/v2/"), path.hasSuffix("/tags/list") { return tagsList(request) }
        if path.hasPrefix("/v2/"), path.contains("/manifests/") { return manifest(request) }
        if path.hasPrefix("/v2/"), path.contains("/blobs/") { return configBlob(request) }
        return .json(#"{"errors":[{"code":"UNSUPPORTED","message":"no such route"}]}"#, status: 404)
    }

    private func tags(of name: String) -> [String]? { state.withLock { $0.repositories[name] } }

    func repositoryTags(_ name: String) -> [String]? { tags(of: name) }

    func createdDate(_ key: String) -> Date? { state.withLock { $0.created[key] } }

    func gitLabRepositories() -> [GitLabRepository] { state.withLock { $0.gitlab } }

    private func tagsList(_ request: FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply {
        let name = String(request.path.dropFirst(4).dropLast(10))
        guard let all = tags(of: name)?.sorted() else {
            return .json(
                #"{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}"#, status: 404)
        }
        let query = request.query
        let after = query["last"].map { last in all.filter { $0 > last } } ?? all
        let size = query["n"].flatMap(Int.init) ?? after.count
        let page = Array(after.prefix(size))
        var headers: [(String, String)] = []
        if page.count < after.count, let last = page.last {
            headers.append(("Link", "</v2/\(name)/tags/list?n=\(size)&last=\(last)>; rel=\"next\""))
        }
        let list = page.map { "\"\($0)\"" }.joined(separator: ",")
        return .json(#"{"name":"\#(name)","tags":[\#(list)]}"#, headers: headers)
    }

    private func manifest(_ request: FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply {
        let parts = request.path.dropFirst(4).components(separatedBy: "/manifests/")
        guard parts.count == 2, let all = tags(of: parts[0]), all.contains(parts[1]) else {
            return .json(#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#, status: 404)
        }
        var headers = [
            ("Docker-Content-Digest", currentDigest(repository: parts[0], tag: parts[1])),
            ("Content-Type", "application/vnd.docker.distribution.manifest.v2+json"),
        ]
        if let limit = state.withLock({ state -> (Int, Int, Int)? in
            guard let current = state.rateLimit else { return nil }
            state.rateLimit?.remaining = max(0, current.remaining - 1)
            return (current.limit, max(0, current.remaining - 1), current.window)
        }) {
            headers.append(("ratelimit-limit", "\(limit.0);w=\(limit.2)"))
            headers.append(("ratelimit-remaining", "\(limit.1);w=\(limit.2)"))
        }
        let config = Self.configDigest(repository: parts[0], tag: parts[1])
        let body =
            #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,"digest":"\#(config)"},"layers":[]}"#
        return .json(request.method == "HEAD" ? "" : body, headers: headers)
    }

    /// `GET /v2/<name>/blobs/<digest>` of a config blob: `created` when one was set.
    private func configBlob(_ request: FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply {
        let parts = request.path.dropFirst(4).components(separatedBy: "/blobs/")
        guard parts.count == 2, let tags = tags(of: parts[0]),
            let tag = tags.first(where: { Self.configDigest(repository: parts[0], tag: $0) == parts[1] })
        else {
            return .json(#"{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}"#, status: 404)
        }
        let created = state.withLock { $0.created["\(parts[0]):\(tag)"] }
        let field = created.map { #","created":"\#($0.formatted(.iso8601))""# } ?? ""
        return .json(#"{"architecture":"amd64","os":"linux"\#(field)}"#)
    }
}
