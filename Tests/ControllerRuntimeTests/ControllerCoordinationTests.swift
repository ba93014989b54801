import ControllerRuntime
import KubernetesClient
import MetricsTestKit
import ServiceLifecycleTestKit
import TestSupport
import Testing

/// The hooks Coordination's shard replica needs: per-key cancel, cancel-all on a lost Lease, quiesce.
@Suite("Controller as Coordination's work runtime")
struct ControllerCoordinationTests {
    /// A lost Lease stops every reconcile (and `cancelAll` returns only after they ended); the next
    /// incarnation re-lists and its objects are reconciled again from the controller's own store; a
    /// quiesce before shutdown drains once and ends `run()`.
    @Test("lease loss, re-list, quiesce")
    func leaseLossAndQuiesce() async throws {
        let clock = ManualClock()
        let log = CallLog()
        let (events, continuation) = AsyncStream.makeStream(of: WatcherEvent<Lease>.self)
        let controller = RuntimeFixture.TestController(
            reconciler: ReconcileFunction { lease, context in
                log.record(lease)
                if lease.metadata.generation == 1 { try? await clock.sleep(for: .seconds(3600)) }
                log.ended(lease.key.description, reason: context.cancellationReason)
                return .done
            },
            events: events, configuration: RuntimeFixture.configuration(), clock: clock,
            now: RuntimeFixture.now(clock), logger: RuntimeFixture.quietLogger, metricsFactory: TestMetrics())
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                for event: WatcherEvent<Lease> in [
                    .initStart, .initApply(RuntimeFixture.lease("a")), .initApply(RuntimeFixture.lease("b")), .initDone,
                ] {
                    continuation.yield(event)
                }
                #expect(await RuntimeFixture.eventually { log.count == 2 })
                await controller.cancelAll()
                #expect(log.endReason("web/a") == .some(.leaseLost))
                #expect(log.endReason("web/b") == .some(.leaseLost))
                #expect(controller.status().inFlight == 0 && controller.status().depth == 0)

                for event: WatcherEvent<Lease> in [
                    .initStart, .initApply(RuntimeFixture.lease("a", generation: 2)), .initDone,
                ] {
                    continuation.yield(event)
                }
                #expect(await RuntimeFixture.eventually { log.count == 3 && controller.status().inFlight == 0 })
                #expect(log.all.last == CallLog.Call(key: "web/a", generation: 2, holder: nil))
                #expect(controller.store.get(ObjectKey(namespace: "web", name: "b")) == nil)

                let report = await controller.quiesce(within: .seconds(5))
                #expect(report == DrainReport())
                try await group.waitForAll()
                trigger.triggerGracefulShutdown()
            }
        }
        #expect(controller.drainReport == DrainReport())
        #expect(await controller.quiesce(within: .seconds(5)) == DrainReport())
    }
}
