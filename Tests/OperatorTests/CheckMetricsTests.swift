import Foundation
import OperatorCore
import Prometheus
import Testing

/// The operator's own metric families, as `/metrics` exports them.
@Suite("Check metrics")
struct CheckMetricsTests {
    @Test("checks, updates, notifications, and each object's seconds since its last successful check and its interval")
    func families() {
        let registry = PrometheusCollectorRegistry()
        let metrics = CheckMetrics(factory: OperatorMetrics.factory(registry: registry))
        metrics.checked(result: "ok")
        metrics.checked(result: "invalid")
        metrics.changedDeployment(action: "update", containers: 2)
        metrics.notification(channel: "email", delivered: true)
        let now = Date()
        metrics.succeeded(
            namespace: "shop", name: "cart-updater", at: now.addingTimeInterval(-42), interval: .seconds(60))
        metrics.refreshAges(now: now)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains(#"k8supdater_checks_total{result="ok"} 1"#), "\(text)")
        #expect(text.contains(#"k8supdater_checks_total{result="invalid"} 1"#), "\(text)")
        #expect(text.contains(#"k8supdater_updates_total{action="update"} 2"#), "\(text)")
        #expect(text.contains(#"k8supdater_notifications_total{channel="email",outcome="delivered"} 1"#), "\(text)")
        #expect(
            text.contains(
                #"k8supdater_seconds_since_last_successful_check{namespace="shop",name="cart-updater"} 42"#),
            "\(text)")
        #expect(
            text.contains(#"k8supdater_check_interval_seconds{namespace="shop",name="cart-updater"} 60"#), "\(text)")

        // The object left this replica: both of its series go.
        metrics.forget(namespace: "shop", name: "cart-updater")
        metrics.refreshAges(now: now)
        buffer = []
        registry.emit(into: &buffer)
        let after = String(decoding: buffer, as: UTF8.self)
        #expect(!after.contains("cart-updater"), "\(after)")
        #expect(after.contains(#"k8supdater_checks_total{result="ok"} 1"#), "\(after)")
    }
}
