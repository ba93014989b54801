import TestSupport
import Testing
import Updater

/// The project's registry fixture as the demo uses it where docker-registry cannot be installed: a push
/// adds a tag the OCI client lists, and a rebuild gives the same tag a new digest (a rebuilt `latest`).
@Suite("Registry fixture: pushes")
struct RegistryFixturePushTests {
    @Test("a pushed tag is listed with the digest the push returned; a rebuild changes only that tag's digest")
    func pushAndRebuild() async throws {
        let fixture = RegistryAPIFixture()
        let first = fixture.push("payments/worker", tag: "latest", build: "1")
        let stable = fixture.push("payments/worker", tag: "1.0.0")
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let client = OCIRegistryClient(http: RegistryTest.http(transport))
                let repository = RegistryTest.repository("127.0.0.1:\(server.port)", "payments/worker")
                let tags = try await client.tags(of: repository, credentials: nil).tags
                #expect(tags.sorted() == ["1.0.0", "latest"])
                let before = try await client.digest(of: repository, tag: "latest", credentials: nil).digest
                #expect(before == first)
                let rebuilt = fixture.push("payments/worker", tag: "latest", build: "2")
                #expect(rebuilt != first)
                let after = try await client.digest(of: repository, tag: "latest", credentials: nil).digest
                #expect(after == rebuilt)
                let unchanged = try await client.digest(of: repository, tag: "1.0.0", credentials: nil).digest
                #expect(unchanged == stable)
                #expect(stable == RegistryAPIFixture.digest(repository: "payments/worker", tag: "1.0.0"))
            }
        }
    }
}
