import Foundation
import TestSupport
import Testing
import Transport
import Updater

/// When a tag was created, as each registry kind reports it (for `minReleaseAge`): the OCI image
/// config's `created`, Docker Hub's tag push time, GitLab's `created_at`.
@Suite("Registry creation times")
struct RegistryCreatedTests {
    static let date = Date(timeIntervalSince1970: 1_795_600_000)

    @Test("OCI: the config blob's created, through the manifest; a config without it gives nil")
    func oci() async throws {
        let fixture = RegistryAPIFixture(repositories: ["team/web": ["1.0.0", "1.0.1"]])
        fixture.setCreated(Self.date, repository: "team/web", tag: "1.0.1")
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let client = OCIRegistryClient(http: RegistryTest.http(transport))
                let repository = RegistryTest.repository("127.0.0.1:\(server.port)", "team/web")
                let dated = try await client.created(of: repository, tag: "1.0.1", credentials: nil)
                let undated = try await client.created(of: repository, tag: "1.0.0", credentials: nil)
                #expect(dated == Self.date)
                #expect(undated == nil)
                let config = RegistryAPIFixture.configDigest(repository: "team/web", tag: "1.0.1")
                #expect(server.requests.map(\.target).contains("/v2/team/web/blobs/\(config)"))
                await #expect(throws: RegistryError.self) {
                    try await client.created(of: repository, tag: "9.9.9", credentials: nil)
                }
            }
        }
    }

    @Test("Docker Hub: the Hub API's tag_last_pushed")
    func dockerHub() async throws {
        let fixture = RegistryAPIFixture(repositories: ["library/nginx": ["1.25.3"]])
        fixture.setCreated(Self.date, repository: "library/nginx", tag: "1.25.3")
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let hub = DockerHubRegistry(
                    oci: OCIRegistryClient(http: RegistryTest.http(transport)),
                    registryHost: "127.0.0.1:\(server.port)",
                    registryScheme: "http", hubAPIBaseURL: server.baseURL)
                let created = try await hub.created(
                    of: RegistryRepository(host: "docker.io", name: "nginx"), tag: "1.25.3", credentials: nil)
                #expect(created == Self.date)
                #expect(
                    server.requests.last?.target == "/v2/namespaces/library/repositories/nginx/tags/1.25.3")
            }
        }
    }

    @Test("GitLab: the tag's created_at from the project's registry API")
    func gitLab() async throws {
        let location = "gitlab.example.com:5000/group/project/api"
        let fixture = RegistryAPIFixture(gitlab: [.init(id: 2, name: "api", location: location, tags: ["1.0.0"])])
        fixture.setCreated(Self.date, repository: location, tag: "1.0.0")
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let configuration = GitLabConfiguration(
                    baseURL: server.baseURL + "/", projectID: "9", token: RegistryAPIFixture.gitLabToken)
                let gitLab = GitLabRegistry(
                    api: GitLabAPIClient(http: RegistryTest.http(transport), configuration: configuration),
                    oci: OCIRegistryClient(http: RegistryTest.http(transport)))
                let image = RegistryRepository(host: "gitlab.example.com:5000", name: "group/project/api")
                let created = try await gitLab.created(of: image, tag: "1.0.0", credentials: nil)
                #expect(created == Self.date)
                #expect(server.requests.last?.target.hasSuffix("/registry/repositories/2/tags/1.0.0") == true)
            }
        }
    }
}
