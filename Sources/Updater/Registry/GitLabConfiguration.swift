/// Where a GitLab instance is and how to read one project's container registry: from the global
/// environment (`GITLAB_BASE_URL`, `GITLAB_TOKEN`, `GITLAB_PROJECT_ID`) or from an object's
/// `spec.gitlab` (the operator resolves its Secret reference and passes the plain values in).
///
/// The token is sent as `PRIVATE-TOKEN` to the API only; the description never shows it.
package struct GitLabConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// `https://gitlab.example.com` (a trailing slash is removed; `/api/v4` is appended by the client).
    package var baseURL: String
    /// Numeric id or `group/project` path.
    package var projectID: String
    package var token: String

    package init(baseURL: String, projectID: String, token: String) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.projectID = projectID
        self.token = token
    }

    /// The three global variables, all or none.
    ///
    /// - Returns: nil when none is set.
    /// - Throws: ``RegistryError/misconfigured(_:)`` naming the missing variable when only some are set,
    ///   or when the base URL is not http(s).
    package static func fromEnvironment(_ environment: [String: String]) throws(RegistryError) -> GitLabConfiguration? {
        let names = ["GITLAB_BASE_URL", "GITLAB_TOKEN", "GITLAB_PROJECT_ID"]
        let values = names.map { environment[$0].flatMap { $0.isEmpty ? nil : $0 } }
        if values.allSatisfy({ $0 == nil }) { return nil }
        guard let baseURL = values[0], let token = values[1], let projectID = values[2] else {
            let missing = zip(names, values).first(where: { $0.1 == nil })?.0 ?? names[0]
            throw .misconfigured(
                "\(missing) is not set; GitLab needs GITLAB_BASE_URL, GITLAB_TOKEN and GITLAB_PROJECT_ID")
        }
        let configuration = GitLabConfiguration(baseURL: baseURL, projectID: projectID, token: token)
        try configuration.validate(source: "GITLAB_BASE_URL")
        return configuration
    }

    /// Throws unless the base URL is an http(s) URL.
    package func validate(source: String = "gitlab.baseURL") throws(RegistryError) {
        guard baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://"), baseURL.count > 8 else {
            throw .misconfigured("\(source) must be an http(s) URL such as https://gitlab.example.com")
        }
        guard !projectID.isEmpty else { throw .misconfigured("GitLab project id is empty") }
    }

    /// The API root, `…/api/v4`.
    package var apiRoot: String { "\(baseURL)/api/v4" }

    /// The host of the base URL (the budget and metrics key).
    package var host: String {
        let afterScheme = baseURL.split(separator: "://", maxSplits: 1).last ?? Substring(baseURL)
        return String(afterScheme.split(separator: "/").first ?? afterScheme)
    }

    package var description: String { "GitLab \(baseURL) project \(projectID) (token redacted)" }
}
