import TestSupport
import Testing
import Transport
import Updater

/// GitLab's registry API against a fixture reproducing its JSON, pagination headers and token check.
@Suite("GitLab client against a fixture server")
struct GitLabRegistryTests {
    private static func fixture() -> RegistryAPIFixture {
        var repositories = [
            RegistryAPIFixture.GitLabRepository(
                id: 1, name: "", location: "gitlab.example.com:5000/group/project", tags: ["0.0.1"]),
            RegistryAPIFixture.GitLabRepository(
                id: 2, name: "api", location: "gitlab.example.com:5000/group/project/api",
                tags: (0..<150).map { "1.0.\($0)" }),
        ]
        repositories += (3..<110).map {
            RegistryAPIFixture.GitLabRepository(
                id: $0, name: "extra\($0)", location: "gitlab.example.com:5000/group/project/extra\($0)", tags: [])
        }
        repositories.append(
            .init(
                id: 200, name: "myimg", location: "gitlab.example.com:5000/group/project/myimg", tags: ["2.0", "2.1"]))
        return RegistryAPIFixture(gitlab: repositories)
    }

    @Test("every page of repositories and tags is read (the original read only the first 20 tags)")
    func allPages() async throws {
        let fixture = Self.fixture()
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let configuration = GitLabConfiguration(
                    baseURL: server.baseURL + "/", projectID: "9", token: RegistryAPIFixture.gitLabToken)
                let gitLab = GitLabRegistry(
                    api: GitLabAPIClient(http: RegistryTest.http(transport), configuration: configuration),
                    oci: OCIRegistryClient(http: RegistryTest.http(transport)))
                let image = RegistryRepository(host: "gitlab.example.com:5000", name: "group/project/api")
                let listing = try await gitLab.tags(of: image, credentials: nil)
                #expect(listing.tags.count == 150)
                #expect(Set(listing.tags) == Set((0..<150).map { "1.0.\($0)" }))
                let targets = server.requests.map(\.target)
                #expect(targets.filter { $0.contains("/registry/repositories?") }.count == 2)
                #expect(targets.filter { $0.contains("/repositories/2/tags") }.count == 2)
                #expect(server.requests.allSatisfy { $0.headers["private-token"] == RegistryAPIFixture.gitLabToken })

                let fallback = RegistryRepository(host: "gitlab-registry.example.org", name: "grp/containers/myimg")
                #expect(try await gitLab.tags(of: fallback, credentials: nil).tags == ["2.0", "2.1"])
                do {
                    _ = try await gitLab.tags(of: RegistryRepository(host: "elsewhere", name: "x/y"), credentials: nil)
                    Issue.record("expected no match")
                } catch let error as RegistryError {
                    #expect(error.reason == "RepositoryNotFound")
                }
            }
        }
    }

    @Test("a wrong token or project gives a typed error that does not contain the token")
    func errors() async throws {
        try await FixtureHTTPServer.withServer(Self.fixture().handle) { server in
            try await RegistryTest.withTransport { transport in
                let image = RegistryRepository(host: "gitlab.example.com:5000", name: "group/project/api")
                for (project, token, reason) in [
                    ("9", "glpat-wrong-token", "RegistryUnauthorized"),
                    ("404", RegistryAPIFixture.gitLabToken, "RepositoryNotFound"),
                ] {
                    let configuration = GitLabConfiguration(baseURL: server.baseURL, projectID: project, token: token)
                    let gitLab = GitLabRegistry(
                        api: GitLabAPIClient(http: RegistryTest.http(transport), configuration: configuration),
                        oci: OCIRegistryClient(http: RegistryTest.http(transport)))
                    do {
                        _ = try await gitLab.tags(of: image, credentials: nil)
                        Issue.record("expected \(reason)")
                    } catch let error as RegistryError {
                        #expect(error.reason == reason)
                        #expect(!error.description.contains(token))
                    }
                }
            }
        }
    }
}
