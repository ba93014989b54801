package import CoreMetrics

/// The registry clients' metrics (swift-metrics; the operator's /metrics exports them):
///
/// - `k8supdater_registry_requests_total{registry,kind}` — requests sent (`kind`: tags, manifest,
///   index, token, ping, hub_tags, gitlab_repositories, gitlab_tags);
/// - `k8supdater_registry_errors_total{registry,reason}` — failed requests by ``RegistryError/reason``;
/// - `k8supdater_registry_throttled_total{registry}` and `k8supdater_registry_throttle_seconds{registry}`
///   — requests delayed or refused by the budget or a 429;
/// - `k8supdater_registry_ratelimit_remaining{registry}` — the last `ratelimit-remaining` reading;
/// - `k8supdater_registry_tag_cap_hits_total{registry}` — tag lists cut at the per-repository cap;
/// - `k8supdater_registry_cache_total{result}` — lookups answered from the cache (`hit`), joined to an
///   in-flight lookup (`shared`) or sent (`miss`).
package struct RegistryMetrics: Sendable {
    private let factory: any MetricsFactory

    /// Uses `factory`, by default the process-wide one bootstrapped by the operator.
    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    package func request(host: String, kind: String) {
        Counter(
            label: "k8supdater_registry_requests_total", dimensions: [("registry", host), ("kind", kind)],
            factory: factory
        )
        .increment()
        // Registered at 0 with the host's first request, so a dashboard or alert on throttling sees 0, not
        // "no data", until the first 429.
        _ = Counter(label: "k8supdater_registry_throttled_total", dimensions: [("registry", host)], factory: factory)
    }

    package func error(host: String, reason: String) {
        Counter(
            label: "k8supdater_registry_errors_total", dimensions: [("registry", host), ("reason", reason)],
            factory: factory
        )
        .increment()
    }

    package func throttled(host: String, delay: Duration) {
        Counter(label: "k8supdater_registry_throttled_total", dimensions: [("registry", host)], factory: factory)
            .increment()
        let (seconds, attoseconds) = delay.components
        Recorder(label: "k8supdater_registry_throttle_seconds", dimensions: [("registry", host)], factory: factory)
            .record(Double(seconds) + Double(attoseconds) / 1e18)
    }

    package func remaining(host: String, value: Int) {
        Gauge(label: "k8supdater_registry_ratelimit_remaining", dimensions: [("registry", host)], factory: factory)
            .record(value)
    }

    package func tagCapHit(host: String) {
        Counter(label: "k8supdater_registry_tag_cap_hits_total", dimensions: [("registry", host)], factory: factory)
            .increment()
    }

    package func cache(result: String) {
        Counter(label: "k8supdater_registry_cache_total", dimensions: [("result", result)], factory: factory)
            .increment()
    }
}
