import Foundation
import Transport

extension RegistryAPIFixture {
    /// `GET /v2/namespaces/{ns}/repositories/{repo}/tags?page=&page_size=` (default 10, capped at 100),
    /// newest first, absolute `next`, `X-RateLimit-*` headers.
    func hubTags(_ request: FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply {
        let parts = request.path.split(separator: "/").map(String.init)
        if parts.count == 7, parts[3] == "repositories", parts[5] == "tags" { return hubTag(parts) }
        guard parts.count == 6, parts[3] == "repositories", parts[5] == "tags" else { return .init(status: 404) }
        let name = "\(parts[2])/\(parts[4])"
        let limitHeaders = [
            ("X-RateLimit-Limit", "180"), ("X-RateLimit-Remaining", "179"), ("X-RateLimit-Reset", "1700000000"),
        ]
        guard let all = repositoryTags(name) else {
            return .json(
                #"{"message":"httperror 404: object not found","errinfo":{"namespace":"\#(parts[2])","repository":"\#(parts[4])"}}"#,
                status: 404, headers: limitHeaders)
        }
        let newestFirst = Array(all.enumerated().reversed())
        let pageNumber = max(1, request.query["page"].flatMap(Int.init) ?? 1)
        let size = min(100, max(1, request.query["page_size"].flatMap(Int.init) ?? 10))
        let slice = newestFirst.dropFirst((pageNumber - 1) * size).prefix(size)
        let base = "http://\(request.headers["host"] ?? "127.0.0.1")\(request.path)"
        let next = (pageNumber * size < all.count) ? "\"\(base)?page=\(pageNumber + 1)&page_size=\(size)\"" : "null"
        let results = slice.map { index, tag in
            let stamp = String(format: "2024-01-%02dT10:00:00.123456789Z", 1 + index % 28)
            let digest = Self.digest(repository: name, tag: tag)
            return
                #"{"name":"\#(tag)","last_updated":"\#(stamp)","digest":"\#(digest)","v2":true,"tag_status":"active","images":[{"architecture":"amd64","os":"linux","variant":null,"digest":"\#(digest)","size":1}]}"#
        }
        return .json(
            #"{"count":\#(all.count),"next":\#(next),"previous":null,"results":[\#(results.joined(separator: ","))]}"#,
            headers: limitHeaders)
    }

    /// `GET /v2/namespaces/{ns}/repositories/{repo}/tags/{tag}`: `tag_last_pushed` is the date set with
    /// ``setCreated(_:repository:tag:)`` (`last_updated` a later one, as when a tag's metadata changes).
    private func hubTag(_ parts: [String]) -> FixtureHTTPServer.Reply {
        let name = "\(parts[2])/\(parts[4])"
        guard repositoryTags(name)?.contains(parts[6]) == true else {
            return .json(#"{"message":"httperror 404: tag not found"}"#, status: 404)
        }
        let pushed = createdDate("\(name):\(parts[6])")
        let fields = pushed.map {
            #","tag_last_pushed":"\#($0.formatted(.iso8601))","last_updated":"\#($0.addingTimeInterval(86_400).formatted(.iso8601))""#
        }
        return .json(#"{"name":"\#(parts[6])","v2":true\#(fields ?? "")}"#)
    }

    /// GitLab's `/api/v4/projects/9/registry/repositories[/:id/tags[/:name]]` with offset pagination;
    /// a single tag's `created_at` is the date set for `<location>:<tag>` with ``setCreated(_:repository:tag:)``.
    func gitLab(_ request: FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply {
        let token = request.headers["private-token"] ?? request.headers["authorization"].map { String($0.dropFirst(7)) }
        guard token == Self.gitLabToken else { return .json(#"{"message":"401 Unauthorized"}"#, status: 401) }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 6, parts[2] == "projects", parts[3] == "9" || parts[3] == "group%2Fproject",
            parts[4] == "registry", parts[5] == "repositories"
        else { return .json(#"{"message":"404 Project Not Found"}"#, status: 404) }
        let repositories = gitLabRepositories()
        if parts.count == 6 {
            let items = repositories.map { repository in
                let path = "group/project" + (repository.name.isEmpty ? "" : "/\(repository.name)")
                return
                    #"{"id":\#(repository.id),"name":"\#(repository.name)","path":"\#(path)","project_id":9,"location":"\#(repository.location)","created_at":"2019-01-10T13:38:57.391Z","status":null}"#
            }
            return page(items, request: request, withLink: false)
        }
        if parts.count == 9, parts[7] == "tags", let id = Int(parts[6]),
            let repository = repositories.first(where: { $0.id == id }), repository.tags.contains(parts[8])
        {
            let created = createdDate("\(repository.location):\(parts[8])").map { $0.formatted(.iso8601) }
            return .json(#"{"name":"\#(parts[8])","created_at":\#(created.map { "\"\($0)\"" } ?? "null")}"#)
        }
        guard parts.count == 8, parts[7] == "tags", let id = Int(parts[6]),
            let repository = repositories.first(where: { $0.id == id })
        else { return .json(#"{"message":"404 Repository Not Found"}"#, status: 404) }
        let items = repository.tags.sorted().map { tag in
            #"{"name":"\#(tag)","path":"group/project:\#(tag)","location":"\#(repository.location):\#(tag)"}"#
        }
        return page(items, request: request, withLink: true)
    }

    private func page(_ items: [String], request: FixtureHTTPServer.RecordedRequest, withLink: Bool)
        -> FixtureHTTPServer.Reply
    {
        let pageNumber = max(1, request.query["page"].flatMap(Int.init) ?? 1)
        let size = min(100, max(1, request.query["per_page"].flatMap(Int.init) ?? 20))
        let slice = items.dropFirst((pageNumber - 1) * size).prefix(size)
        let totalPages = max(1, (items.count + size - 1) / size)
        let hasNext = pageNumber < totalPages
        var headers = [
            ("x-page", "\(pageNumber)"), ("x-per-page", "\(size)"), ("x-total", "\(items.count)"),
            ("x-total-pages", "\(totalPages)"), ("x-next-page", hasNext ? "\(pageNumber + 1)" : ""),
            ("x-prev-page", pageNumber > 1 ? "\(pageNumber - 1)" : ""),
        ]
        if withLink, hasNext {
            let base = "http://\(request.headers["host"] ?? "127.0.0.1")\(request.path)"
            headers.append(("Link", "<\(base)?page=\(pageNumber + 1)&per_page=\(size)>; rel=\"next\""))
        }
        return .json("[\(slice.joined(separator: ","))]", headers: headers)
    }
}
