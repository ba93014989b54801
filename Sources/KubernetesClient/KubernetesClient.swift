import Foundation
package import Logging
package import Transport

/// A typed client for the Kubernetes API over any ``HTTPTransport``.
///
/// Every request carries the configured credentials and User-Agent, passes a client-side rate limiter
/// (QPS/burst), and is retried a bounded number of times when the server throttles (429, honouring
/// Retry-After) or, for idempotent verbs, fails (5xx, connection errors). A 401 makes the auth provider
/// refresh once (rotated token file, expired exec credential) before the error is returned.
///
/// Errors are ``KubernetesError``s classified from the server's `Status` body.
package struct KubernetesClient: Sendable {
    package let configuration: ClientConfiguration
    let transport: any HTTPTransport
    let logger: Logger
    let limiter: @Sendable () async throws -> Void
    let sleep: @Sendable (Duration) async throws -> Void
    let retryPolicy: RetryPolicy

    /// - Parameters:
    ///   - clock: drives the rate limiter and the retry delays (a `TestClock` in tests).
    package init<C: Clock>(
        configuration: ClientConfiguration, transport: any HTTPTransport, clock: C,
        logger: Logger = Logger(label: "k8supdater.kubernetes")
    ) where C.Duration == Duration {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
        let flow = configuration.flowControl
        let rateLimiter = RateLimiter(qps: flow.qps, burst: flow.burst, clock: clock)
        self.limiter = { try await rateLimiter.acquire() }
        self.sleep = { try await clock.sleep(for: $0) }
        self.retryPolicy = RetryPolicy(
            maxRetries: flow.maxRetries, baseDelay: flow.retryBaseDelay, maxDelay: flow.retryMaxDelay)
    }

    /// A client on the continuous clock.
    package init(configuration: ClientConfiguration, transport: any HTTPTransport) {
        self.init(configuration: configuration, transport: transport, clock: ContinuousClock())
    }

    /// The namespace used when a call names none: the object's own, else the configuration's.
    func namespace<R: KubernetesResource>(_: R.Type, _ explicit: String?) -> String? {
        R.resourceType.isNamespaced ? (explicit ?? configuration.namespace) : nil
    }
}
