import Clocks
import MetricsTestKit
import TestSupport
import Testing
import Transport
import Updater

/// 429 + Retry-After, low ratelimit-remaining and metrics, against local fixture servers.
@Suite("Registry rate limits against fixture servers")
struct RegistryRateLimitTests {
    @Test("a 429 with Retry-After waits that long on the injected clock, then retries and succeeds")
    func retryAfterHonoured() async throws {
        let fixture = RegistryAPIFixture(repositories: ["team/app": ["1.0.0", "1.1.0"]])
        fixture.failNext([.init(status: 429, retryAfter: "7")])
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let clock = ImmediateClock()
                let metrics = TestMetrics()
                let http = RegistryTest.http(
                    transport, clock: RegistryClock(clock), metrics: RegistryMetrics(factory: metrics))
                let client = OCIRegistryClient(http: http)
                let start = clock.now
                let listing = try await client.tags(
                    of: RegistryTest.repository("127.0.0.1:\(server.port)", "team/app"), credentials: nil)
                #expect(listing.tags == ["1.0.0", "1.1.0"])
                #expect(start.duration(to: clock.now) >= .seconds(7))
                #expect(server.requests.count == 2)
                let throttled = try metrics.expectCounter(
                    "k8supdater_registry_throttled_total", [("registry", "127.0.0.1:\(server.port)")])
                #expect(throttled.totalValue >= 1)
                let requests = try metrics.expectCounter(
                    "k8supdater_registry_requests_total", [("registry", "127.0.0.1:\(server.port)"), ("kind", "tags")])
                #expect(requests.totalValue == 2)
            }
        }
    }

    @Test("a Retry-After beyond the budget's maxWait gives a retryable throttled error instead of waiting")
    func retryAfterTooLong() async throws {
        let fixture = RegistryAPIFixture(repositories: ["team/app": ["1.0.0"]])
        fixture.failNext([.init(status: 503, retryAfter: "3600")])
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let client = OCIRegistryClient(
                    http: RegistryTest.http(transport, clock: RegistryClock(ImmediateClock())))
                let repository = RegistryTest.repository("127.0.0.1:\(server.port)", "team/app")
                do {
                    _ = try await client.tags(of: repository, credentials: nil)
                    Issue.record("expected throttling")
                } catch let error as RegistryError {
                    #expect(error.reason == "RegistryThrottled")
                    #expect(error.isRetryable)
                    #expect((error.retryAfter ?? .zero) >= .seconds(3500))
                }
                #expect(server.requests.count == 1)
            }
        }
    }

    @Test("low ratelimit-remaining spreads lookups: the next one is deferred, not sent, and the gauge reads it")
    func lowRemainingSpreads() async throws {
        let fixture = RegistryAPIFixture(repositories: ["library/nginx": ["1.27.0", "latest"]])
        fixture.setRateLimit(limit: 100, remaining: 11, window: 600)
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let metrics = TestMetrics()
                let host = "127.0.0.1:\(server.port)"
                let http = RegistryTest.http(
                    transport, clock: RegistryClock(TestClock()), metrics: RegistryMetrics(factory: metrics))
                let hub = DockerHubRegistry(
                    oci: OCIRegistryClient(http: http), registryHost: host, registryScheme: "http")
                let first = try await hub.digest(
                    of: RegistryRepository(host: "docker.io", name: "nginx"), tag: "latest", credentials: nil)
                #expect(first.rateLimit?.remaining == 10)
                #expect(first.rateLimit?.limit == 100)
                #expect(
                    try metrics.expectGauge("k8supdater_registry_ratelimit_remaining", [("registry", host)]).lastValue
                        == 10)
                #expect(await http.limiter.spreadInterval(host: host) == .seconds(60))
                do {
                    _ = try await hub.digest(
                        of: RegistryRepository(host: "docker.io", name: "nginx"), tag: "1.27.0", credentials: nil)
                    Issue.record("expected the lookup to be deferred")
                } catch let error as RegistryError {
                    #expect(error.reason == "RegistryThrottled")
                    #expect(error.retryAfter == .seconds(60))
                }
                #expect(server.requests.map(\.path) == ["/v2/library/nginx/manifests/latest"])
            }
        }
    }

    @Test("with a long enough maxWait, low remaining paces lookups over the window instead of failing")
    func lowRemainingPaces() async throws {
        let fixture = RegistryAPIFixture(repositories: ["library/nginx": ["1", "2", "3"]])
        fixture.setRateLimit(limit: 100, remaining: 11, window: 600)
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let clock = ImmediateClock()
                var budget = RegistryTest.generousBudget
                budget.maxWait = .seconds(3600)
                let http = RegistryTest.http(transport, clock: RegistryClock(clock), budget: budget)
                let hub = DockerHubRegistry(
                    oci: OCIRegistryClient(http: http), registryHost: "127.0.0.1:\(server.port)", registryScheme: "http"
                )
                let start = clock.now
                for tag in ["1", "2", "3"] {
                    _ = try await hub.digest(
                        of: RegistryRepository(host: "docker.io", name: "nginx"), tag: tag, credentials: nil)
                }
                #expect(server.requests.count == 3)
                #expect(start.duration(to: clock.now) >= .seconds(120))
            }
        }
    }
}
