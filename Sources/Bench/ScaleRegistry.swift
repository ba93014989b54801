import Foundation
import LoopbackFixtures
import Transport

/// The registry a scale run checks against, with the requests it counted itself.
struct ScaleRegistry: Sendable {
    /// Which registry serves the images.
    enum Kind: String, Sendable, CaseIterable {
        /// The project's `RegistryAPIFixture` behind `FixtureHTTPServer` (counts every request it serves).
        case fixture
        /// Debian's `docker-registry` with its access log on (counts the `/v2/` lines it logged).
        case dockerRegistry = "docker-registry"
    }

    /// `127.0.0.1:<port>`.
    var host: String
    /// The `/v2/` requests the registry itself has seen so far.
    var count: @Sendable () -> Int

    /// The repositories of a run, `bench/app<i>` for i < `count`, each with `tags`.
    static func repositories(_ count: Int) -> [String] { (0..<count).map { "bench/app\($0)" } }
    static let tags = ["0.9.0", "1.0.0"]
    /// The tag every Deployment runs: the newest, so a check finds nothing to change.
    static let runningTag = "1.0.0"

    /// Runs `body` with a registry of `kind` holding `repositories` × ``tags``.
    static func with<T: Sendable>(
        _ kind: Kind, repositories: [String], body: @Sendable (ScaleRegistry) async throws -> T
    ) async throws -> T {
        switch kind {
        case .fixture:
            let fixture = RegistryAPIFixture(
                repositories: Dictionary(uniqueKeysWithValues: repositories.map { ($0, tags) }))
            let handler: FixtureHTTPServer.Handler = { fixture.handle($0) }
            return try await FixtureHTTPServer.withServer(handler) { server in
                let host = "127.0.0.1:\(server.port)"
                let count: @Sendable () -> Int = { server.requests.count { $0.path.hasPrefix("/v2/") } }
                return try await body(ScaleRegistry(host: host, count: count))
            }
        case .dockerRegistry:
            return try await DockerRegistryServer.withRegistry(accessLog: true) { registry in
                let transport = try CurlTransport()
                do {
                    let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL)
                    for repository in repositories {
                        for tag in tags { try await seeder.pushImage(repository, tag: tag) }
                    }
                } catch {
                    await transport.shutdown()
                    throw error
                }
                await transport.shutdown()
                let count: @Sendable () -> Int = { registry.loggedRequestCount() }
                return try await body(ScaleRegistry(host: registry.host, count: count))
            }
        }
    }

    /// The count once it stops changing (docker-registry logs a request after answering it).
    func settledCount() async throws -> Int {
        var last = count()
        for _ in 0..<20 {
            try await Task.sleep(for: .milliseconds(100))
            let now = count()
            if now == last { return now }
            last = now
        }
        return last
    }
}
