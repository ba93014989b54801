import Foundation
import MetricsTestKit
import OperatorCore
import TestSupport
import Testing
import Updater
import VersioningAPI

/// The operator's own metrics, counted by real reconciles against the emulator and a loopback registry.
@Suite("Reconcile metrics")
struct ReconcileMetricsTests {
    typealias Fixture = ReconcileFixture

    @Test("a patch update counts a check, an update, an Event notification and the last successful check")
    func updateCounted() async throws {
        let metrics = TestMetrics()
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler()
            let reconciler = fixture.reconciler(metrics: ReconcileMetrics(factory: metrics))
            _ = try await fixture.reconcile(with: reconciler)
            #expect(try metrics.expectCounter("k8supdater_checks_total", [("result", "ok")]).totalValue == 1)
            #expect(try metrics.expectCounter("k8supdater_updates_total", [("action", "update")]).totalValue == 1)
            let notified = try metrics.expectCounter(
                "k8supdater_notifications_total", [("channel", "events"), ("result", "delivered")])
            #expect(notified.totalValue == 1)
            let last = try metrics.expectGauge(
                "k8supdater_last_successful_check_timestamp_seconds",
                [("namespace", Fixture.namespace), ("name", "web-updater")])
            #expect(last.lastValue == Fixture.time.timeIntervalSince1970)

            // The next cycle finds nothing new: a second check, no second update or notification.
            _ = try await fixture.reconcile(with: reconciler)
            #expect(try metrics.expectCounter("k8supdater_checks_total", [("result", "ok")]).totalValue == 2)
            #expect(try metrics.expectCounter("k8supdater_updates_total", [("action", "update")]).totalValue == 1)
            #expect(notified.totalValue == 1)
        }
    }

    @Test("a spec that cannot be checked counts as invalid and records no successful check")
    func invalidCounted() async throws {
        let metrics = TestMetrics()
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createHandler()  // its Deployment does not exist
            _ = try await fixture.reconcile(with: fixture.reconciler(metrics: ReconcileMetrics(factory: metrics)))
            #expect(try metrics.expectCounter("k8supdater_checks_total", [("result", "invalid")]).totalValue == 1)
            #expect(throws: (any Error).self) {
                try metrics.expectGauge(
                    "k8supdater_last_successful_check_timestamp_seconds",
                    [("namespace", Fixture.namespace), ("name", "web-updater")])
            }
        }
    }
}
