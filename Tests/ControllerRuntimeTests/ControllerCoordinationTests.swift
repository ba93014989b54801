import ControllerRuntime
import KubernetesClient
import MetricsTestKit
import ServiceLifecycleTestKit
import Synchronization
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

    /// A re-list (a new incarnation after a lost Lease, or a watch that had to list again) delivers an
    /// object the store has not held yet: the key is queued during the list, and no worker takes it
    /// before the list is complete and the store holds the object. (It used to be taken at once, found
    /// missing from the store, dropped as gone and left for its periodic slot.)
    @Test("an object first seen in a re-list is reconciled once the list completes")
    func objectFirstSeenInRelist() async throws {
        let clock = ManualClock()
        let log = CallLog()
        let (events, continuation) = AsyncStream.makeStream(of: WatcherEvent<Lease>.self)
        let controller = RuntimeFixture.TestController(
            reconciler: ReconcileFunction { lease, context in
                log.record(lease)
                return .done
            },
            events: events, configuration: RuntimeFixture.configuration(), clock: clock,
            now: RuntimeFixture.now(clock), logger: RuntimeFixture.quietLogger, metricsFactory: TestMetrics())
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                for event: WatcherEvent<Lease> in [.initStart, .initApply(RuntimeFixture.lease("a")), .initDone] {
                    continuation.yield(event)
                }
                #expect(await RuntimeFixture.eventually { log.count == 1 && controller.status().inFlight == 0 })
                await controller.cancelAll()

                // The next incarnation's list, held open after the new object's initApply.
                let handled = controller.status().eventsHandled
                for event: WatcherEvent<Lease> in [
                    .initStart, .initApply(RuntimeFixture.lease("a")), .initApply(RuntimeFixture.lease("c")),
                ] {
                    continuation.yield(event)
                }
                #expect(await RuntimeFixture.eventually { controller.status().eventsHandled == handled + 3 })
                #expect(controller.status().inFlight == 0, "no work starts while the list is incomplete")
                continuation.yield(.initDone)
                #expect(
                    await RuntimeFixture.eventually {
                        Set(log.all.dropFirst().map(\.key)) == ["web/a", "web/c"] && controller.status().inFlight == 0
                    })

                continuation.finish()
                try await group.waitForAll()
                trigger.triggerGracefulShutdown()
            }
        }
    }

    /// Events of a lost incarnation that reach the controller after ``Controller/cancelAll()`` (yielded
    /// before the loss, handled after it) start no work while the Lease is not held
    /// (``ControllerConfiguration/mayStart``); the next incarnation's list reconciles what it lists.
    @Test("events of a lost incarnation handled after cancelAll start no work without the Lease")
    func staleIncarnationEvents() async throws {
        let clock = ManualClock()
        let log = CallLog()
        let leaseHeld = Mutex(true)
        let (events, continuation) = AsyncStream.makeStream(of: WatcherEvent<Lease>.self)
        var configuration = RuntimeFixture.configuration()
        configuration.mayStart = { leaseHeld.withLock { $0 } }
        let controller = RuntimeFixture.TestController(
            reconciler: ReconcileFunction { lease, context in
                log.record(lease)
                return .done
            },
            events: events, configuration: configuration, clock: clock, now: RuntimeFixture.now(clock),
            logger: RuntimeFixture.quietLogger, metricsFactory: TestMetrics())
        // The lost incarnation's events are in the stream before the controller handles any of them.
        for event: WatcherEvent<Lease> in [
            .initStart, .initApply(RuntimeFixture.lease("a")), .initDone, .apply(RuntimeFixture.lease("b")),
        ] {
            continuation.yield(event)
        }
        leaseHeld.withLock { $0 = false }
        await controller.cancelAll()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                #expect(await RuntimeFixture.eventually { controller.status().eventsHandled == 4 })
                #expect(log.count == 0 && controller.status().inFlight == 0)
                leaseHeld.withLock { $0 = true }
                for event: WatcherEvent<Lease> in [
                    .initStart, .initApply(RuntimeFixture.lease("a", generation: 2)), .initDone,
                ] {
                    continuation.yield(event)
                }
                #expect(await RuntimeFixture.eventually { log.count == 1 && controller.status().inFlight == 0 })
                #expect(log.all == [CallLog.Call(key: "web/a", generation: 2, holder: nil)])
                continuation.finish()
                try await group.waitForAll()
                trigger.triggerGracefulShutdown()
            }
        }
    }
}
