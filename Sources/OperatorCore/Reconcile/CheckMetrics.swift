package import CoreMetrics
package import Foundation
import Synchronization

/// The operator's own metrics (the registry, controller and coordination metrics come from their
/// modules):
///
/// - `k8supdater_checks_total{result}`: reconciles of a VersioningHandler — `ok` (every container
///   checked), `failed` (a registry lookup or Deployment write failed), `invalid` (the spec cannot be
///   checked);
/// - `k8supdater_updates_total{action}`: Deployment writes — `update` (an image changed), `restart`
///   (a `latest` digest moved);
/// - `k8supdater_notifications_total{channel,outcome}`: notification deliveries (`delivered`, `failed`),
///   Kubernetes Events included;
/// - `k8supdater_seconds_since_last_successful_check{namespace,name}`: per object this replica checked
///   successfully, refreshed when `/metrics` is scraped (``refreshAges(now:)``); removed when the object
///   leaves the replica (deleted or handed off: ``forget(namespace:name:)``);
/// - `k8supdater_check_interval_seconds{namespace,name}`: beside it, the object's check interval
///   (`spec.refreshSeconds` or `REFRESH_FREQUENCY_IN_SECONDS`), so that an alert can compare an object's
///   staleness with its own interval (`yamls/monitoring`).
package final class CheckMetrics: Sendable {
    private let factory: any MetricsFactory
    private let lastSuccess = Mutex<[String: Date]>([:])

    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    package func checked(result: String) {
        Counter(label: "k8supdater_checks_total", dimensions: [("result", result)], factory: factory).increment()
    }

    package func changedDeployment(action: String, containers: Int = 1) {
        Counter(label: "k8supdater_updates_total", dimensions: [("action", action)], factory: factory)
            .increment(by: containers)
    }

    package func notification(channel: String, delivered: Bool) {
        Counter(
            label: "k8supdater_notifications_total",
            dimensions: [("channel", channel), ("outcome", delivered ? "delivered" : "failed")], factory: factory
        ).increment()
    }

    /// Records a successful check of `namespace/name` at `date`, checked every `interval`.
    package func succeeded(namespace: String, name: String, at date: Date, interval: Duration) {
        lastSuccess.withLock { $0["\(namespace)/\(name)"] = date }
        let (seconds, attoseconds) = interval.components
        Gauge(
            label: "k8supdater_check_interval_seconds", dimensions: [("namespace", namespace), ("name", name)],
            factory: factory
        ).record(Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Removes the series of `namespace/name`: the object was deleted or now belongs to another replica
    /// (whose series then say how fresh it is).
    package func forget(namespace: String, name: String) {
        lastSuccess.withLock { $0["\(namespace)/\(name)"] = nil }
        for label in ["k8supdater_seconds_since_last_successful_check", "k8supdater_check_interval_seconds"] {
            Gauge(label: label, dimensions: [("namespace", namespace), ("name", name)], factory: factory).destroy()
        }
    }

    /// Sets the age gauge of every object checked successfully so far.
    package func refreshAges(now: Date = Date()) {
        let entries = lastSuccess.withLock { $0 }
        for (key, date) in entries {
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            Gauge(
                label: "k8supdater_seconds_since_last_successful_check",
                dimensions: [("namespace", parts[0]), ("name", parts[1])], factory: factory
            ).record(max(0, now.timeIntervalSince(date)))
        }
    }
}
