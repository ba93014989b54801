import ControllerRuntime
import KubernetesClient
import MetricsTestKit
import TestSupport
import Testing

@Suite("Controller metrics")
struct ControllerMetricsTests {
    /// Adds, retries and work durations are recorded as they happen; the longest-running reconcile and
    /// the seconds behind schedule are refreshed on the metrics interval.
    @Test("adds, retries, work duration, longest-running, seconds behind, depth")
    func metrics() async throws {
        let clock = ManualClock()
        let informer = ManualInformer<Lease>()
        let log = CallLog()
        let metrics = TestMetrics()
        var configuration = RuntimeFixture.configuration(maxConcurrent: 1)
        configuration.metricsInterval = .seconds(10)
        try await RuntimeFixture.withController(
            configuration, clock: clock, informer: informer, metrics: metrics,
            reconciler: ReconcileFunction { lease, _ throws(ReconcileError) in
                log.record(lease)
                if lease.metadata.name == "fails", log.count == 1 { throw .retryable("flaky") }
                if lease.metadata.name == "slow" { try? await clock.sleep(for: .seconds(3600)) }
                return .done
            }
        ) { controller in
            informer.list([RuntimeFixture.lease("fails")])
            #expect(await RuntimeFixture.eventually { log.count == 1 && controller.status().delayed == 1 })
            let dimensions = [("controller", "test")]
            #expect(try metrics.expectCounter("controller_queue_retries_total", dimensions).totalValue == 1)
            await clock.advance(by: .seconds(1))
            #expect(await RuntimeFixture.eventually { log.count == 2 && controller.status().inFlight == 0 })
            #expect(try metrics.expectTimer("controller_work_duration_seconds", dimensions).values.count == 2)

            informer.send(.apply(RuntimeFixture.lease("slow")))
            informer.send(.apply(RuntimeFixture.lease("queued")))
            #expect(await RuntimeFixture.eventually { log.count == 3 && controller.status().depth == 1 })
            #expect(try metrics.expectCounter("controller_queue_adds_total", dimensions).totalValue == 3)
            await clock.advance(by: .seconds(25))
            let longest = try metrics.expectGauge("controller_longest_running_seconds", dimensions)
            #expect(await RuntimeFixture.eventually { (longest.lastValue ?? 0) >= 10 })
            let behind = try metrics.expectGauge("controller_seconds_behind", dimensions)
            #expect(await RuntimeFixture.eventually { (behind.lastValue ?? 0) >= 10 })
            #expect(try metrics.expectGauge("controller_queue_depth", dimensions).lastValue == 1)
            #expect(controller.longestRunning()?.key == ObjectKey(namespace: "web", name: "slow"))
            await controller.stop(ObjectKey(namespace: "web", name: "slow"), reason: .notOwned)
            #expect(await RuntimeFixture.eventually { log.count == 4 })
        }
    }
}
