import Clocks
import MetricsTestKit
import TestSupport
import Testing
import Transport
import Updater

/// One lookup per (registry, repository, credentials) per window, counted at the server.
@Suite("Registry lookup cache")
struct RegistryLookupCacheTests {
    private static let repositories = Dictionary(
        uniqueKeysWithValues: (0..<50).map { ("team/app\($0)", ["1.0.0", "1.1.0", "2.0.0"]) })

    @Test("1,000 concurrent lookups over 50 repositories in one window make 50 tag-list requests")
    func oneRequestPerRepository() async throws {
        let fixture = RegistryAPIFixture(repositories: Self.repositories)
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let clock = TestClock()
                let metrics = TestMetrics()
                let http = RegistryTest.http(
                    transport, clock: RegistryClock(clock), metrics: RegistryMetrics(factory: metrics))
                let clients = RegistryClients(http: http, window: .seconds(300), clock: RegistryClock(clock))
                let registry = try clients.registry(.oci)
                let host = "127.0.0.1:\(server.port)"
                let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                    for lookup in 0..<1000 {
                        group.addTask {
                            let repository = RegistryTest.repository(host, "team/app\(lookup % 50)")
                            return try await registry.tags(of: repository, credentials: nil).tags.count
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(counts.count == 1000)
                #expect(counts.allSatisfy { $0 == 3 })
                #expect(server.requests.filter { $0.path.hasSuffix("/tags/list") }.count == 50)
                #expect(server.requests.count == 50)
                let answered = metrics.counters(label: "k8supdater_registry_cache_total")
                    .filter { counter in
                        counter.dimensions.contains { $0 == ("result", "hit") || $0 == ("result", "shared") }
                    }
                    .reduce(0) { $0 + $1.totalValue }
                #expect(answered == 950)

                // The next window asks again, once per repository.
                await clock.advance(by: .seconds(301))
                for lookup in 0..<100 {
                    _ = try await registry.tags(
                        of: RegistryTest.repository(host, "team/app\(lookup % 50)"), credentials: nil)
                }
                #expect(server.requests.count == 100)
            }
        }
    }

    @Test(
        "while the registry's budget is used up, a result up to three windows old answers; with a free slot, or older, it is looked up"
    )
    func staleWhileBusy() async throws {
        let fixture = RegistryAPIFixture(repositories: ["team/app": ["1.0.0"], "team/other": ["1.0.0"]])
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let clock = TestClock()
                // One request per 10 s; a request that would wait is refused at once (no sleeping here).
                let http = RegistryTest.http(
                    transport, clock: RegistryClock(clock),
                    budget: RegistryBudget.Configuration(requestsPerSecond: 0.1, burst: 1, maxWait: .zero))
                let clients = RegistryClients(http: http, window: .seconds(60), clock: RegistryClock(clock))
                let registry = try clients.registry(.oci, maxAge: .seconds(60))
                let app = RegistryTest.repository("127.0.0.1:\(server.port)", "team/app")
                let other = RegistryTest.repository("127.0.0.1:\(server.port)", "team/other")
                _ = try await registry.tags(of: app, credentials: nil)
                // Nothing cached to serve: a busy registry refuses the lookup.
                await #expect(throws: RegistryError.self) { try await registry.tags(of: other, credentials: nil) }
                #expect(server.requests.count == 1)
                await clock.advance(by: .seconds(10))
                _ = try await registry.tags(of: other, credentials: nil)  // t = 10
                #expect(server.requests.count == 2)
                await clock.advance(by: .seconds(51))
                _ = try await registry.tags(of: app, credentials: nil)  // t = 61: past the window, a free slot
                #expect(server.requests.count == 3)
                await clock.advance(by: .seconds(9))
                // t = 70: other's result is past the window, the next slot is at 71: served stale.
                _ = try await registry.tags(of: other, credentials: nil)
                #expect(server.requests.count == 3)
                await clock.advance(by: .seconds(1))
                _ = try await registry.tags(of: other, credentials: nil)  // t = 71: a free slot
                #expect(server.requests.count == 4)
                await clock.advance(by: .seconds(170))
                _ = try await registry.tags(of: other, credentials: nil)  // t = 241, uses the slot
                #expect(server.requests.count == 5)
                // app's result (t = 61) is three windows old: never served stale, even to a busy registry.
                await #expect(throws: RegistryError.self) { try await registry.tags(of: app, credentials: nil) }
                #expect(server.requests.count == 5)
            }
        }
    }

    @Test("a registry with a maxAge shorter than the window looks up again once its result is that old")
    func maxAgeBoundsTheWindow() async throws {
        let fixture = RegistryAPIFixture(repositories: ["team/app": ["1.0.0"]])
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let clock = TestClock()
                let http = RegistryTest.http(transport, clock: RegistryClock(clock))
                let clients = RegistryClients(http: http, window: .seconds(300), clock: RegistryClock(clock))
                let often = try clients.registry(.oci, maxAge: .seconds(5))
                let seldom = try clients.registry(.oci)
                let repository = RegistryTest.repository("127.0.0.1:\(server.port)", "team/app")
                _ = try await often.tags(of: repository, credentials: nil)
                _ = try await often.tags(of: repository, credentials: nil)
                #expect(server.requests.count == 1)
                await clock.advance(by: .seconds(6))
                // Older than 5 s: looked up again for the object checked often; within the window for the other.
                _ = try await seldom.tags(of: repository, credentials: nil)
                #expect(server.requests.count == 1)
                _ = try await often.tags(of: repository, credentials: nil)
                #expect(server.requests.count == 2)
            }
        }
    }

    @Test("different credentials are different lookups; failures are cached for the window too")
    func credentialsAndFailures() async throws {
        let fixture = RegistryAPIFixture(repositories: ["team/app": ["1"]])
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let clock = TestClock()
                let clients = RegistryClients(
                    http: RegistryTest.http(transport, clock: RegistryClock(clock)), window: .seconds(60),
                    clock: RegistryClock(clock))
                let registry = try clients.registry(.oci)
                let repository = RegistryTest.repository("127.0.0.1:\(server.port)", "team/app")
                let alice = RegistryCredentials(username: "alice", password: "a")
                let bob = RegistryCredentials(username: "bob", password: "b")
                for credentials in [alice, bob, alice, nil, bob, nil] {
                    _ = try await registry.tags(of: repository, credentials: credentials)
                }
                #expect(server.requests.count == 3)
                let missing = RegistryTest.repository("127.0.0.1:\(server.port)", "team/missing")
                for _ in 0..<10 {
                    await #expect(throws: RegistryError.self) { try await registry.tags(of: missing, credentials: nil) }
                }
                #expect(server.requests.count == 4)
            }
        }
    }

    @Test("the cache holds at most its capacity of entries")
    func boundedEntries() async throws {
        let fixture = RegistryAPIFixture(repositories: Self.repositories)
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let clock = RegistryClock(TestClock())
                let cache = RegistryLookupCache(window: .seconds(60), capacity: 10, clock: clock)
                let client = OCIRegistryClient(http: RegistryTest.http(transport, clock: clock))
                for index in 0..<50 {
                    let repository = RegistryTest.repository("127.0.0.1:\(server.port)", "team/app\(index)")
                    _ = try await cache.tags(of: repository, credentials: nil, from: client)
                }
                #expect(await cache.count == 10)
            }
        }
    }
}
