import Testing
import Updater

@Suite("GitLab repository matching and configuration")
struct GitLabMatchingTests {
    private let repositories = [
        GitLabRepository(id: 1, name: "", path: "group/project", location: "gitlab.example.com:5000/group/project"),
        GitLabRepository(
            id: 2, name: "api", path: "group/project/api", location: "gitlab.example.com:5000/group/project/api"),
        GitLabRepository(
            id: 3, name: "myimg", path: "grp/containers/myimg", location: "registry.cern.example/grp/containers/myimg"),
    ]

    @Test("an image is matched by its location, host case-insensitively")
    func byLocation() {
        let image = RegistryRepository(host: "GitLab.Example.com:5000", name: "group/project/api")
        #expect(GitLabRepositoryMatcher.match(image, in: repositories)?.id == 2)
        #expect(
            GitLabRepositoryMatcher.match(
                RegistryRepository(host: "gitlab.example.com:5000", name: "group/project"), in: repositories)?.id == 1)
    }

    @Test("the original's containers/ rule is the fallback when no location matches")
    func containersFallback() {
        let image = RegistryRepository(host: "gitlab-registry.other.example", name: "grp/containers/myimg")
        #expect(GitLabRepositoryMatcher.match(image, in: repositories)?.id == 3)
    }

    @Test("no match without location or containers/ segment")
    func noMatch() {
        #expect(
            GitLabRepositoryMatcher.match(
                RegistryRepository(host: "elsewhere.example", name: "group/api"), in: repositories) == nil)
    }

    @Test("the global variables are all or nothing, and the error names the missing one")
    func environment() throws {
        #expect(try GitLabConfiguration.fromEnvironment([:]) == nil)
        let full = try GitLabConfiguration.fromEnvironment([
            "GITLAB_BASE_URL": "https://gitlab.example.com/", "GITLAB_TOKEN": "glpat-x", "GITLAB_PROJECT_ID": "9",
        ])
        #expect(full?.apiRoot == "https://gitlab.example.com/api/v4")
        #expect(full?.host == "gitlab.example.com")
        #expect(!"\(String(describing: full))".contains("glpat-x"))
        #expect {
            try GitLabConfiguration.fromEnvironment([
                "GITLAB_BASE_URL": "https://gitlab.example.com", "GITLAB_TOKEN": "t",
            ])
        } throws: { error in
            "\(error)".contains("GITLAB_PROJECT_ID") && !"\(error)".contains(": t")
        }
        #expect(throws: RegistryError.self) {
            try GitLabConfiguration.fromEnvironment([
                "GITLAB_BASE_URL": "gitlab.example.com", "GITLAB_TOKEN": "t", "GITLAB_PROJECT_ID": "9",
            ])
        }
    }
}
