import ControllerRuntime
import KubernetesClient
import MetricsTestKit
import ServiceLifecycleTestKit
import Synchronization
import TestSupport
import Testing

@Suite("Controller on a manual clock")
struct ControllerTests {
    /// 1,000 updates while the key's first reconcile runs cost one more reconcile, and that one sees
    /// the latest object, not the one of any queued event.
    @Test("a burst of 1,000 events: one reconcile per dirty period, with the latest object")
    func burst() async throws {
        let clock = ManualClock()
        let informer = ManualInformer<Lease>()
        let log = CallLog()
        let gate = AsyncSignal()
        try await RuntimeFixture.withController(
            RuntimeFixture.configuration(), clock: clock, informer: informer,
            reconciler: ReconcileFunction { lease, _ in
                log.record(lease)
                if log.count == 1 { await gate.wait() }
                return .done
            }
        ) { controller in
            informer.list([RuntimeFixture.lease("a")])
            #expect(await RuntimeFixture.eventually { log.count == 1 })
            for generation in 2...1001 {
                informer.send(.apply(RuntimeFixture.lease("a", generation: Int64(generation))))
            }
            #expect(await RuntimeFixture.eventually { controller.status().eventsHandled == 1003 })
            #expect(controller.status().depth == 0, "dirty while in flight, not queued twice")
            gate.fire()
            #expect(await RuntimeFixture.eventually { log.count == 2 && controller.status().inFlight == 0 })
            #expect(log.all.map(\.generation) == [1, 1001])
            #expect(controller.status().depth == 0)
        }
    }

    /// Nothing starts before the informer's first list is complete.
    @Test("no reconcile before the first list is complete")
    func waitsForSync() async throws {
        let clock = ManualClock()
        let informer = ManualInformer<Lease>()
        let log = CallLog()
        try await RuntimeFixture.withController(
            RuntimeFixture.configuration(), clock: clock, informer: informer,
            reconciler: ReconcileFunction { lease, _ in
                log.record(lease)
                return .done
            }
        ) { controller in
            informer.send(.initStart)
            informer.send(.initApply(RuntimeFixture.lease("a")))
            #expect(await RuntimeFixture.eventually { controller.status().eventsHandled == 2 })
            #expect(controller.status().depth == 1)
            #expect(log.count == 0)
            informer.send(.initDone)
            #expect(await RuntimeFixture.eventually { log.count == 1 })
        }
    }

    /// Updates that change neither generation nor a relevant label are ignored; a relevant label change
    /// and a generation change queue the key; an object already current is not queued on add.
    @Test("event filter: generation and relevant labels")
    func filter() async throws {
        let clock = ManualClock()
        let informer = ManualInformer<Lease>()
        let log = CallLog()
        let metrics = TestMetrics()
        let filter = EventFilter<Lease>(
            isRelevantLabel: { $0.hasPrefix("k8supdater.io/") }, isCurrent: { $0.metadata.name == "current" })
        try await RuntimeFixture.withController(
            RuntimeFixture.configuration(filter: filter), clock: clock, informer: informer, metrics: metrics,
            reconciler: ReconcileFunction { lease, _ in
                log.record(lease)
                return .done
            }
        ) { controller in
            informer.list([RuntimeFixture.lease("a"), RuntimeFixture.lease("current")])
            #expect(await RuntimeFixture.eventually { log.count == 1 && controller.status().inFlight == 0 })
            informer.send(.apply(RuntimeFixture.lease("a", labels: ["team": "web"], holder: "x")))
            informer.send(.apply(RuntimeFixture.lease("a", labels: ["team": "web", "k8supdater.io/drain": "true"])))
            #expect(await RuntimeFixture.eventually { log.count == 2 && controller.status().inFlight == 0 })
            informer.send(
                .apply(
                    RuntimeFixture.lease("a", generation: 2, labels: ["team": "web", "k8supdater.io/drain": "true"])))
            #expect(await RuntimeFixture.eventually { log.count == 3 && controller.status().inFlight == 0 })
            #expect(log.all.map(\.key) == ["web/a", "web/a", "web/a"])
            let adds = try metrics.expectCounter("controller_queue_adds_total", [("controller", "test")])
            #expect(adds.totalValue == 3)
        }
    }

    /// A retryable failure comes back after 1 s, then 2 s; a success resets the backoff.
    @Test("retries with backoff on the clock; success resets")
    func retries() async throws {
        let clock = ManualClock()
        let informer = ManualInformer<Lease>()
        let log = CallLog()
        let retriesSeen = Mutex<[Int]>([])
        try await RuntimeFixture.withController(
            RuntimeFixture.configuration(), clock: clock, informer: informer,
            reconciler: ReconcileFunction { lease, context throws(ReconcileError) in
                log.record(lease)
                retriesSeen.withLock { $0.append(context.retries) }
                if log.count <= 2 { throw .retryable("registry unavailable") }
                return .done
            }
        ) { controller in
            informer.list([RuntimeFixture.lease("a")])
            #expect(await RuntimeFixture.eventually { log.count == 1 && controller.status().delayed == 1 })
            await clock.advance(by: .milliseconds(999))
            #expect(log.count == 1)
            await clock.advance(by: .milliseconds(1))
            #expect(await RuntimeFixture.eventually { log.count == 2 && controller.status().delayed == 1 })
            await clock.advance(by: .seconds(2))
            #expect(await RuntimeFixture.eventually { log.count == 3 && controller.status().inFlight == 0 })
            informer.send(.apply(RuntimeFixture.lease("a", generation: 2)))
            #expect(await RuntimeFixture.eventually { log.count == 4 })
            #expect(retriesSeen.withLock { $0 } == [0, 1, 2, 0])
        }
    }

    /// `checkAgain(after:)` brings the key back after that long.
    @Test("check again after a duration")
    func checkAgain() async throws {
        let clock = ManualClock()
        let informer = ManualInformer<Lease>()
        let log = CallLog()
        try await RuntimeFixture.withController(
            RuntimeFixture.configuration(), clock: clock, informer: informer,
            reconciler: ReconcileFunction { lease, _ in
                log.record(lease)
                return .checkAgain(after: .seconds(30))
            }
        ) { controller in
            informer.list([RuntimeFixture.lease("a")])
            #expect(await RuntimeFixture.eventually { log.count == 1 && controller.status().delayed == 1 })
            await clock.advance(by: .seconds(30))
            #expect(await RuntimeFixture.eventually { log.count == 2 })
        }
    }

    /// Deleting the object cancels its in-flight reconcile, which learns why.
    @Test("delete cancels the in-flight reconcile")
    func cancelOnDelete() async throws {
        let clock = ManualClock()
        let informer = ManualInformer<Lease>()
        let log = CallLog()
        try await RuntimeFixture.withController(
            RuntimeFixture.configuration(), clock: clock, informer: informer,
            reconciler: ReconcileFunction { lease, context in
                log.record(lease)
                try? await clock.sleep(for: .seconds(3600))
                log.ended(lease.key.description, reason: context.cancellationReason)
                return .done
            }
        ) { controller in
            informer.list([RuntimeFixture.lease("a")])
            #expect(await RuntimeFixture.eventually { log.count == 1 })
            informer.send(.delete(RuntimeFixture.lease("a")))
            #expect(await RuntimeFixture.eventually { log.endReason("web/a") != nil })
            #expect(log.endReason("web/a") == .some(.deleted))
            #expect(await RuntimeFixture.eventually { controller.status().inFlight == 0 })
            #expect(controller.status().depth == 0 && controller.status().delayed == 0)
            #expect(log.count == 1)
        }
    }

    /// `stop(_:reason: .drained)` returns only after the reconcile has ended; later events for the key
    /// are ignored until the informer reports it gone; a new object under that name is handled again.
    @Test("drain: stop waits for the in-flight reconcile, then the key is ignored until it leaves")
    func drain() async throws {
        let clock = ManualClock()
        let informer = ManualInformer<Lease>()
        let log = CallLog()
        try await RuntimeFixture.withController(
            RuntimeFixture.configuration(), clock: clock, informer: informer,
            reconciler: ReconcileFunction { lease, context in
                log.record(lease)
                if lease.metadata.uid == "uid-a" { try? await clock.sleep(for: .seconds(3600)) }
                log.ended(lease.key.description, reason: context.cancellationReason)
                return .done
            }
        ) { controller in
            informer.list([RuntimeFixture.lease("a")])
            #expect(await RuntimeFixture.eventually { log.count == 1 })
            await controller.stop(ObjectKey(namespace: "web", name: "a"), reason: .drained)
            #expect(log.endReason("web/a") == .some(.drained), "ended before stop returned")
            #expect(controller.status().inFlight == 0)

            informer.send(.apply(RuntimeFixture.lease("a", generation: 2)))
            controller.resync()
            #expect(await RuntimeFixture.eventually { controller.status().eventsHandled == 4 })
            #expect(controller.status().depth == 0 && log.count == 1, "a drained key is not reconciled")

            informer.send(.delete(RuntimeFixture.lease("a", generation: 2)))
            informer.send(.apply(RuntimeFixture.lease("a", generation: 1, uid: "uid-a2")))
            #expect(await RuntimeFixture.eventually { log.count == 2 })
        }
    }

    /// Graceful shutdown: nothing new starts; a reconcile that finishes within the bound is reported
    /// finished, one still running at the bound is cancelled, queued keys are reported not started.
    @Test("shutdown drain within a bound reports the rest")
    func shutdownDrain() async throws {
        let clock = ManualClock()
        let informer = ManualInformer<Lease>()
        let log = CallLog()
        let gate = AsyncSignal()
        let controller = RuntimeFixture.TestController(
            reconciler: ReconcileFunction { lease, context in
                log.record(lease)
                switch lease.metadata.name {
                case "a": await gate.wait()
                default: try? await clock.sleep(for: .seconds(3600))
                }
                log.ended(lease.key.description, reason: context.cancellationReason)
                return .done
            },
            store: informer.store, events: informer.events,
            configuration: RuntimeFixture.configuration(maxConcurrent: 2),
            clock: clock, now: RuntimeFixture.now(clock), logger: RuntimeFixture.quietLogger,
            metricsFactory: TestMetrics())
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                informer.list([RuntimeFixture.lease("a"), RuntimeFixture.lease("b"), RuntimeFixture.lease("c")])
                #expect(await RuntimeFixture.eventually { log.count == 2 && controller.status().depth == 1 })
                trigger.triggerGracefulShutdown()
                #expect(await RuntimeFixture.eventually { controller.status().stopping })
                gate.fire()
                #expect(await RuntimeFixture.eventually { controller.status().inFlight == 1 })
                for _ in 0..<2000 where controller.drainReport == nil {
                    await clock.advance(by: .seconds(1))
                    try await Task.sleep(for: .milliseconds(2))
                }
                try await group.waitForAll()
            }
        }
        let report = try #require(controller.drainReport)
        #expect(report.finished.map(\.description) == ["web/a"])
        #expect(report.cancelled.map(\.description) == ["web/b"])
        #expect(report.notStarted.map(\.description) == ["web/c"])
        #expect(log.endReason("web/b") == .some(.shutdown))
        #expect(log.all.map(\.key).sorted() == ["web/a", "web/b"], "c never started")
    }

    /// An object with an interval is checked at its slot (phase from its uid), again one interval
    /// later, and not queued on add when it is already current.
    @Test("periodic checks at the object's slots")
    func periodic() async throws {
        let clock = ManualClock()
        let informer = ManualInformer<Lease>()
        let log = CallLog()
        let interval = Duration.seconds(60)
        let phase = try PeriodicSchedule<String>.phase(of: "uid-a", interval: interval)
        // Wall time now = epoch (a multiple of 60 s), so the first slot is `phase` from now.
        let schedule = SchedulePolicy<Lease>(interval: { _ in interval })
        try await RuntimeFixture.withController(
            RuntimeFixture.configuration(schedule: schedule, filter: EventFilter(isCurrent: { _ in true })),
            clock: clock,
            informer: informer,
            reconciler: ReconcileFunction { lease, _ in
                log.record(lease)
                return .done
            }
        ) { controller in
            informer.list([RuntimeFixture.lease("a")])
            #expect(await RuntimeFixture.eventually { controller.status().scheduled == 1 })
            #expect(controller.status().depth == 0 && log.count == 0)
            await clock.advance(by: phase)
            #expect(await RuntimeFixture.eventually { log.count == 1 })
            await clock.advance(by: interval)
            #expect(await RuntimeFixture.eventually { log.count == 2 })
        }
        #expect(RuntimeFixture.epoch.components.seconds % 60 == 0)
    }
}
