import TestSupport
import Testing
import Transport
import Updater

/// Docker Hub specifics against a fixture reproducing registry-1's and the Hub API's JSON and headers.
@Suite("Docker Hub client against fixture servers")
struct DockerHubRegistryTests {
    private static let nginxTags: [String] = {
        var tags = (20...27).flatMap { minor in (0...4).map { "1.\(minor).\($0)" } }
        tags += ["latest", "stable", "mainline"]
        return tags
    }()

    @Test("official images get library/ and go to the registry; tags follow the relative Link across pages")
    func tagsThroughRegistry() async throws {
        let fixture = RegistryAPIFixture(repositories: ["library/nginx": Self.nginxTags])
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                var limits = RegistryLimits.default
                limits.tagPageSize = 10
                let http = RegistryTest.http(transport, limits: limits)
                let hub = DockerHubRegistry(
                    oci: OCIRegistryClient(http: http), registryHost: "127.0.0.1:\(server.port)", registryScheme: "http"
                )
                let listing = try await hub.tags(
                    of: RegistryRepository(host: "docker.io", name: "nginx"), credentials: nil)
                #expect(listing.tags.count == 43)
                #expect(Set(listing.tags) == Set(Self.nginxTags))
                #expect(server.requests.count == 5)
                #expect(server.requests.first?.target == "/v2/library/nginx/tags/list?n=10")
                #expect(server.requests.last?.target == "/v2/library/nginx/tags/list?n=10&last=1.27.4")
                #expect(server.requests.allSatisfy { $0.method == "GET" })
            }
        }
    }

    @Test("digests use HEAD only (not counted as pulls) and report ratelimit-limit/remaining")
    func digestsByHead() async throws {
        let fixture = RegistryAPIFixture(repositories: ["bitnami/nginx": ["1.25.3"]])
        fixture.setRateLimit(limit: 100, remaining: 80, window: 21600)
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let hub = DockerHubRegistry(
                    oci: OCIRegistryClient(http: RegistryTest.http(transport)),
                    registryHost: "127.0.0.1:\(server.port)",
                    registryScheme: "http")
                let digest = try await hub.digest(
                    of: RegistryRepository(host: "docker.io", name: "bitnami/nginx"), tag: "1.25.3", credentials: nil)
                #expect(digest.digest == RegistryAPIFixture.digest(repository: "bitnami/nginx", tag: "1.25.3"))
                #expect(digest.rateLimit == RateLimitSignal(limit: 100, remaining: 79, window: .seconds(21600)))
                #expect(server.requests.map(\.method) == ["HEAD"])
                #expect(server.requests.first?.headers["accept"] == ManifestMediaType.acceptList)
            }
        }
    }

    @Test("the Hub API gives dates and digests over every page, following the absolute next")
    func hubAPITagDetails() async throws {
        let many = (0..<250).map { "3.\($0).0" }
        let fixture = RegistryAPIFixture(repositories: ["library/redis": many])
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let hub = DockerHubRegistry(
                    oci: OCIRegistryClient(http: RegistryTest.http(transport)), hubAPIBaseURL: server.baseURL)
                let details = try await hub.tagDetails(
                    of: RegistryRepository(host: "docker.io", name: "redis"), credentials: nil)
                #expect(details.count == 250)
                #expect(details.first?.name == "3.249.0")
                #expect(details.first?.lastUpdated != nil)
                #expect(details.first?.digest == RegistryAPIFixture.digest(repository: "library/redis", tag: "3.249.0"))
                #expect(details.first?.images.first?.platform == .linuxAMD64)
                #expect(server.requests.count == 3)
                #expect(server.requests.first?.target == "/v2/namespaces/library/repositories/redis/tags?page_size=100")
                #expect(server.requests.last?.query["page"] == "3")

                await #expect(throws: RegistryError.self) {
                    try await hub.tagDetails(
                        of: RegistryRepository(host: "docker.io", name: "nope/nope"), credentials: nil)
                }
            }
        }
    }
}
