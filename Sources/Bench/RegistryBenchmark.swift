import ArgumentParser
import Foundation
import LoopbackFixtures
import Transport
import Updater

/// `k8supdater-bench registry`: registry lookups against Debian's docker-registry on loopback.
///
/// 1. Lookups per second: `tags` + `digest` of a tag, uncached (every lookup hits the registry), with
///    `--concurrency` in flight.
/// 2. Requests per cycle: `--objects` objects watching `--repositories` repositories, one refresh cycle
///    through ``RegistryLookupCache``, counted by the registry itself (its access log).
struct RegistryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Registry lookups/s against a local docker-registry; requests the registry saw in one cached cycle."
    )

    @Option(help: "Repositories pushed to the registry.") var repositories = 50
    @Option(help: "Uncached lookups (tags + digest) for the throughput run.") var lookups = 2_000
    @Option(help: "Lookups in flight at once.") var concurrency = 16
    @Option(help: "Objects (VersioningHandlers) watching the repositories in one cycle.") var objects = 1_000

    func validate() throws {
        guard repositories >= 1, lookups >= 1, concurrency >= 1, objects >= 1 else {
            throw ValidationError("--repositories, --lookups, --concurrency and --objects must be at least 1")
        }
    }

    func run() async throws {
        let repositories = self.repositories
        let lookups = self.lookups
        let concurrency = self.concurrency
        let objects = self.objects
        BenchEnvironment.printHeader(tools: ["docker-registry"])
        try await DockerRegistryServer.withRegistry(accessLog: true) { registry in
            let transport = try CurlTransport()
            let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL)
            for index in 0..<repositories {
                for tag in ["1.0.0", "1.1.0", "2.0.0"] { try await seeder.pushImage("bench/app\(index)", tag: tag) }
            }
            let names = (0..<repositories).map { "bench/app\($0)" }
            let budget = RegistryBudget.Configuration(requestsPerSecond: 1_000_000, burst: 1_000_000)
            let http = RegistryHTTPClient(transport: transport, limiter: RegistryLimiter(configuration: budget))
            let client = OCIRegistryClient(http: http)
            let host = registry.host
            let repository: @Sendable (Int) -> RegistryRepository = { index in
                RegistryRepository(host: host, name: names[index % names.count], scheme: "http")
            }
            _ = try await Self.lookups(
                client, count: min(100, lookups), concurrency: concurrency, repository: repository)
            let seconds = try await Self.lookups(
                client, count: lookups, concurrency: concurrency, repository: repository)

            let beforeCycle = try await Self.settledCount(registry)
            let cachedHTTP = RegistryHTTPClient(transport: transport, limiter: RegistryLimiter(configuration: budget))
            let cached = RegistryClients(http: cachedHTTP, window: .seconds(300))
            let registryClient = try cached.registry(.oci)
            let cycleStart = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for object in 0..<objects {
                    group.addTask { _ = try await registryClient.tags(of: repository(object), credentials: nil) }
                }
                try await group.waitForAll()
            }
            let cycleSeconds = Self.seconds(ContinuousClock.now - cycleStart)
            await transport.shutdown()
            let cachedRequests = try await Self.settledCount(registry) - beforeCycle

            print("registry benchmark: docker-registry on \(registry.host), \(repositories) repositories × 3 tags")
            print(
                String(
                    format:
                        "uncached lookups (tags/list GET + manifest HEAD): %d timed (after %d warm-up) in %.2f s = %.0f lookups/s (%d in flight)",
                    lookups, min(100, lookups), seconds, Double(lookups) / seconds, concurrency))
            print(
                String(
                    format:
                        "one cycle, %d objects over %d repositories, with the cache: the registry logged %d requests (%.2f s)",
                    objects, repositories, cachedRequests, cycleSeconds))
        }
        BenchEnvironment.printFooter()
    }

    /// Runs `count` uncached lookups (tags, then the digest of the first tag); returns the seconds taken.
    private static func lookups(
        _ client: OCIRegistryClient,
        count: Int,
        concurrency: Int,
        repository: @escaping @Sendable (Int) -> RegistryRepository
    ) async throws -> Double {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func launch() {
                let index = next
                group.addTask {
                    let listing = try await client.tags(of: repository(index), credentials: nil)
                    _ = try await client.digest(of: repository(index), tag: listing.tags[0], credentials: nil)
                }
                next += 1
            }
            while next < min(concurrency, count) { launch() }
            while try await group.next() != nil { if next < count { launch() } }
        }
        return seconds(ContinuousClock.now - start)
    }

    /// The registry's logged request count once it stops changing (it logs a request after answering).
    private static func settledCount(_ registry: DockerRegistryServer) async throws -> Int {
        var count = registry.loggedRequestCount()
        for _ in 0..<40 {
            try await Task.sleep(for: .milliseconds(100))
            let now = registry.loggedRequestCount()
            if now == count { return count }
            count = now
        }
        return count
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
