import CoreMetrics
package import Prometheus

/// The process-wide swift-metrics bootstrap of `k8supdater run` (call once, at start): every metric made
/// through swift-metrics lands in `registry`, which ``OperatorHTTPServer`` serves at `/metrics`.
package enum OperatorMetrics {
    /// A factory exporting into `registry` (tests use one directly instead of bootstrapping the process).
    package static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        PrometheusMetricsFactory(registry: registry)
    }

    package static func bootstrap(registry: PrometheusCollectorRegistry) {
        MetricsSystem.bootstrap(factory(registry: registry))
    }
}
