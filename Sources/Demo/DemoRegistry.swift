import LoopbackFixtures
import Transport

/// Where the demo's images live: Debian's `docker-registry` (the images pushed over the distribution
/// API), or — where that package cannot be installed, or with `--registry-fixture` — the project's own
/// registry fixture (``RegistryAPIFixture``: tags and a digest per push, no layers).
struct DemoRegistry: Sendable {
    /// `127.0.0.1:<port>`, as in image references.
    let host: String
    /// What serves it, for the bring-up line.
    let description: String
    /// Pushes `repository:tag`; a different `build` gives the same tag new content. Returns the digest.
    let push: @Sendable (_ repository: String, _ tag: String, _ build: String) async throws -> String

    /// Runs `body` with a registry: docker-registry when installed and `fixture` is false, else the fixture.
    static func with<T: Sendable>(
        fixture: Bool, transport: CurlTransport, _ body: @Sendable (DemoRegistry) async throws -> T
    ) async throws -> T {
        if !fixture, SystemTool.isAvailable(.executable("docker-registry")) {
            return try await DockerRegistryServer.withRegistry { server in
                let seeder = RegistryImageSeeder(transport: transport, baseURL: server.baseURL)
                return try await body(
                    DemoRegistry(
                        host: server.host, description: "docker-registry (Debian's CNCF distribution)",
                        push: { repository, tag, build in
                            try await seeder.pushImage(repository, tag: tag, build: build).digest
                        }))
            }
        }
        let registry = RegistryAPIFixture()
        let why = fixture ? "--registry-fixture" : "docker-registry is not installed"
        return try await FixtureHTTPServer.withServer(
            { await registry.handle($0) },
            body: { server in
                try await body(
                    DemoRegistry(
                        host: "127.0.0.1:\(server.port)", description: "the project's registry fixture (\(why))",
                        push: { repository, tag, build in registry.push(repository, tag: tag, build: build) }))
            })
    }
}
