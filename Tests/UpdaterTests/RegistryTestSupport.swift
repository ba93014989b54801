import TestSupport
import Transport
import Updater

/// Shared set-up of the registry tests: a real libcurl transport and clients with a generous budget.
enum RegistryTest {
    /// A budget that never delays a test unless the test is about delays.
    static let generousBudget = RegistryBudget.Configuration(
        requestsPerSecond: 10_000, burst: 10_000, lowRemainingFraction: 0.2, maxWait: .seconds(30))

    /// Runs `body` with a fresh `CurlTransport` and shuts it down afterwards.
    static func withTransport<T: Sendable>(_ body: (CurlTransport) async throws -> T) async throws -> T {
        let transport = try CurlTransport()
        do {
            let result = try await body(transport)
            await transport.shutdown()
            return result
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    static func http(
        _ transport: any HTTPTransport,
        clock: RegistryClock = .continuous,
        budget: RegistryBudget.Configuration = generousBudget,
        limits: RegistryLimits = .default,
        metrics: RegistryMetrics = RegistryMetrics()
    ) -> RegistryHTTPClient {
        RegistryHTTPClient(
            transport: transport,
            limiter: RegistryLimiter(configuration: budget, clock: clock, metrics: metrics),
            metrics: metrics,
            limits: limits)
    }

    /// A repository on a loopback registry (plain HTTP).
    static func repository(_ host: String, _ name: String) -> RegistryRepository {
        RegistryRepository(host: host, name: name, scheme: "http")
    }
}
