package import KubernetesClient
package import Transport

extension KubernetesClient {
    /// A separate client for Lease traffic only: its own rate limiter (so throttled workload requests,
    /// long watches or a registry storm never delay a renewal), a request timeout of at most half the
    /// renew deadline, and few, quick retries.
    ///
    /// - Parameters:
    ///   - configuration: the workload client's configuration (server, TLS, credentials).
    package static func leaseClient<C: Clock>(
        configuration: ClientConfiguration, transport: any HTTPTransport, election: ElectionConfiguration, clock: C
    ) -> KubernetesClient where C.Duration == Duration {
        var leaseConfiguration = configuration
        let limit = election.leaseRequestTimeout
        leaseConfiguration.timeouts.total = min(configuration.timeouts.total ?? limit, limit)
        leaseConfiguration.timeouts.connect = min(configuration.timeouts.connect, limit)
        leaseConfiguration.flowControl = ClientConfiguration.FlowControl(
            qps: 10, burst: 20, maxRetries: 1, retryBaseDelay: .milliseconds(100),
            retryMaxDelay: election.retryPeriod)
        return KubernetesClient(configuration: leaseConfiguration, transport: transport, clock: clock)
    }
}
