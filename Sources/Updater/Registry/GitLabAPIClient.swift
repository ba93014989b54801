package import Foundation
import Transport

/// GitLab's container registry REST API for one project: its repositories and their tags, every page.
///
/// Requests carry `PRIVATE-TOKEN`; pages are `per_page=100`, followed by `Link: rel="next"` when
/// present, else by `x-next-page` (empty on the last page), up to the client's `maxPages`.
package struct GitLabAPIClient: Sendable {
    package let http: RegistryHTTPClient
    package let configuration: GitLabConfiguration

    package init(http: RegistryHTTPClient, configuration: GitLabConfiguration) {
        self.http = http
        self.configuration = configuration
    }

    private var projectPath: String {
        "\(configuration.apiRoot)/projects/\(QueryString.escapePathSegment(configuration.projectID))"
    }

    /// `GET /projects/:id/registry/repositories`, all pages.
    package func repositories() async throws(RegistryError) -> [GitLabRepository] {
        try await allPages(
            "\(projectPath)/registry/repositories", kind: "gitlab_repositories", what: "repositories")
    }

    /// `GET /projects/:id/registry/repositories/:repository_id/tags`, all pages; tag names in API order.
    package func tags(repositoryID: Int) async throws(RegistryError) -> (tags: [String], truncated: Bool) {
        struct Tag: Decodable { var name: String }
        let limits = http.limits
        let all: [Tag] = try await allPages(
            "\(projectPath)/registry/repositories/\(repositoryID)/tags", kind: "gitlab_tags", what: "tags")
        var seen = Set<String>()
        var names = all.map(\.name).filter { seen.insert($0).inserted }
        let truncated = names.count > limits.maxTagsPerRepository
        if truncated { names.removeFirst(names.count - limits.maxTagsPerRepository) }
        return (names, truncated)
    }

    /// `GET /projects/:id/registry/repositories/:repository_id/tags/:tag_name` → `created_at`.
    package func tagCreated(repositoryID: Int, tag: String) async throws(RegistryError) -> Date? {
        let host = configuration.host
        let url = "\(projectPath)/registry/repositories/\(repositoryID)/tags/\(QueryString.escapePathSegment(tag))"
        let request = HTTPRequest(
            url: url, headers: ["PRIVATE-TOKEN": configuration.token, "Accept": "application/json"])
        let response = try await http.send(request, host: host, kind: "gitlab_tag")
        switch response.status {
        case 200: break
        case 401: throw RegistryError.unauthorized(registry: host, detail: "GitLab rejected the token")
        case 404: throw RegistryError.tagNotFound(repository: "GitLab repository \(repositoryID)", tag: tag)
        default:
            throw RegistryError.httpStatus(
                registry: host, status: response.status, detail: RegistryErrorBody.summary(response.body))
        }
        struct Wire: Decodable { var created_at: String? }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: response.body) else {
            throw .malformedResponse(registry: host, detail: "GitLab tag \(tag) is not a tag")
        }
        return wire.created_at.flatMap(HubTimestamp.parse)
    }

    /// Every page of the list at `path` (100 items per page), following `Link` or `x-next-page`.
    private func allPages<Item: Decodable>(_ path: String, kind: String, what: String) async throws(RegistryError)
        -> [Item]
    {
        let host = configuration.host
        var url: String? = path + Self.pageQuery(nil)
        var items: [Item] = []
        var pages = 0
        while let current = url {
            guard pages < http.limits.maxPages else { break }
            pages += 1
            let request = HTTPRequest(
                url: current, headers: ["PRIVATE-TOKEN": configuration.token, "Accept": "application/json"])
            let response = try await http.send(request, host: host, kind: kind)
            switch response.status {
            case 200: break
            case 401: throw RegistryError.unauthorized(registry: host, detail: "GitLab rejected the token")
            case 403:
                throw RegistryError.forbidden(
                    registry: host, detail: "the token cannot read the registry of project \(configuration.projectID)")
            case 404:
                throw RegistryError.repositoryNotFound(
                    repository: "GitLab project \(configuration.projectID)",
                    detail: "project or registry repository not found")
            default:
                throw RegistryError.httpStatus(
                    registry: host, status: response.status, detail: RegistryErrorBody.summary(response.body))
            }
            do { items.append(contentsOf: try JSONDecoder().decode([Item].self, from: response.body)) } catch {
                throw .malformedResponse(registry: host, detail: "GitLab \(what) page is not a JSON list")
            }
            url = try nextPage(response, current: current, path: path, host: host)
        }
        return items
    }

    /// `?per_page=100`, and `&page=N` for a page after the first.
    private static func pageQuery(_ page: Int?) -> String {
        var query = QueryString()
        query.add("per_page", "100")
        query.add("page", page.map(String.init))
        return query.encoded
    }

    private func nextPage(_ response: HTTPResponse, current: String, path: String, host: String) throws(RegistryError)
        -> String?
    {
        if let link = LinkHeader.next(response.headers.values("Link")) {
            guard let next = RelativeURL.resolve(link, against: current), next != current else {
                throw .malformedResponse(registry: host, detail: "unusable Link header in a GitLab page")
            }
            return next
        }
        guard let page = response.headers["x-next-page"]?.trimmingCharacters(in: .whitespaces), !page.isEmpty else {
            return nil
        }
        guard let number = Int(page) else {
            throw .malformedResponse(registry: host, detail: "x-next-page is not a page number")
        }
        let next = path + Self.pageQuery(number)
        guard next != current else { return nil }
        return next
    }
}
