package import CoreMetrics
package import KubernetesClient
package import Logging
import ServiceLifecycle
import Synchronization

package import struct Foundation.Date

/// Runs a ``Reconciler`` over the objects of an informer: events and periodic slots feed a
/// de-duplicating ``WorkQueue``; a bounded set of workers reconciles each key with the latest cached
/// object (kube-rs `Controller`, controller-runtime's controller).
///
/// Expected flow: build it from an informer — an event stream whose events are applied to `store`
/// before they are yielded (``Watcher``'s `reflect(into:)` does that) — and run it as a `Service`.
/// Coordination tells it when a key is drained or no longer owned with ``stop(_:reason:)``, when the shard
/// Lease is lost with ``cancelAll()``, and quiesces it before releasing the Lease with ``quiesce(within:)``.
///
/// Guarantees:
/// - No reconcile starts before the informer's first list is complete.
/// - At most one reconcile per key at a time; at most `maxConcurrent` at all.
/// - The reconciler sees the store's copy when its call starts; a key whose object has left the store
///   is dropped, not reconciled.
/// - A deleted, drained or no longer owned key's in-flight reconcile is cancelled (cooperatively), and
///   ``stop(_:reason:)`` returns only once it has ended.
/// - On graceful shutdown: no new keys start; in-flight ones get ``ControllerConfiguration/drainTimeout``
///   to finish, then are cancelled; ``drainReport`` tells what was left.
///
/// - Important: The workers and the timer are child tasks of ``run()``. The only unstructured task is one
///   per in-flight reconcile (at most `maxConcurrent`), so that one key's reconcile can be cancelled
///   alone; its worker awaits it and forwards its own cancellation.
package final class Controller<R: Reconciler, C: Clock>: Service, Sendable where C.Duration == Duration {
    package typealias Resource = R.Resource

    /// The cache the reconciler's objects come from.
    package let store: Store<Resource>
    let reconciler: R
    let configuration: ControllerConfiguration<Resource>
    let clock: C
    /// Reads the wall clock (the periodic slots are wall-clock instants).
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: ControllerMetrics
    let state: Mutex<ControllerState<C.Instant>>
    let timerWakeup = Wakeup()
    let drainWakeup = Wakeup()
    let stopWakeup = Wakeup()
    private let consumeEvents: @Sendable (@escaping @Sendable (WatcherEvent<Resource>) -> Void) async -> Void

    /// Wall time now, since the epoch.
    func wallNow() -> Duration { WallTime.epoch(of: now()) }

    /// The instant on `clock` at wall time `wall`, given that `wallNow` was read at `instant`.
    func instant(at wall: Duration, wallNow: Duration, instant: C.Instant) -> C.Instant {
        instant.advanced(by: wall - wallNow)
    }

    /// A controller over an informer: `events` must be applied to `store` before they are yielded.
    ///
    /// - Parameters:
    ///   - now: reads the wall clock for the periodic slots (tests derive it from `clock`).
    ///   - metricsFactory: where metrics go (defaults to the bootstrapped `MetricsSystem`).
    package init<Events: AsyncSequence & Sendable>(
        reconciler: R, store: Store<Resource>, events: Events, configuration: ControllerConfiguration<Resource>,
        clock: C, now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger = Logger(label: "k8supdater.controller"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) where Events.Element == WatcherEvent<Resource>, Events.Failure == Never {
        self.reconciler = reconciler
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.now = now
        var logger = logger
        logger[metadataKey: "controller"] = "\(configuration.name)"
        self.logger = logger
        self.metrics = ControllerMetrics(name: configuration.name, factory: metricsFactory)
        self.state = Mutex(
            ControllerState(
                queue: WorkQueue(configuration: configuration.queue, now: clock.now),
                schedule: PeriodicSchedule(tolerance: configuration.schedule.tolerance)))
        self.consumeEvents = { handle in
            for await event in events { handle(event) }
        }
    }

    /// A controller over an event stream alone: it applies each event to a store of its own before
    /// handling it (a new list starts again with `initStart`…`initDone`). Where the stream's producer
    /// keeps a store that it applies each event to before yielding it, pass that store to
    /// ``init(reconciler:store:events:configuration:clock:now:logger:metricsFactory:)`` instead.
    package convenience init<Events: AsyncSequence & Sendable>(
        reconciler: R, events: Events, configuration: ControllerConfiguration<Resource>, clock: C,
        now: @escaping @Sendable () -> Date = Date.init, logger: Logger = Logger(label: "k8supdater.controller"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) where Events.Element == WatcherEvent<Resource>, Events.Failure == Never {
        let writer = StoreWriter<Resource>()
        self.init(
            reconciler: reconciler, store: writer.store,
            events: events.map { event in
                writer.apply(event)
                return event
            },
            configuration: configuration, clock: clock, now: now, logger: logger, metricsFactory: metricsFactory)
    }

    /// A controller over a watcher: it keeps its own store from the watcher's events.
    package convenience init<WC: Clock>(
        reconciler: R, watcher: Watcher<Resource, WC>, configuration: ControllerConfiguration<Resource>, clock: C,
        now: @escaping @Sendable () -> Date = Date.init, logger: Logger = Logger(label: "k8supdater.controller"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        let writer = StoreWriter<Resource>()
        self.init(
            reconciler: reconciler, store: writer.store, events: watcher.reflect(into: writer),
            configuration: configuration, clock: clock, now: now, logger: logger,
            metricsFactory: metricsFactory)
    }

    /// What the last graceful drain left behind (nil before one ran).
    package var drainReport: DrainReport? { state.withLock { $0.drainReport } }

    /// The longest-running in-flight reconcile: its key and how long it has run.
    package func longestRunning() -> (key: ObjectKey, duration: Duration)? {
        state.withLock { $0.longestRunning(now: clock.now) }
    }

    private enum Child: Sendable {
        case events, timers, worker
    }

    /// Runs until graceful shutdown, cancellation, or the end of the event stream; then drains.
    package func run() async throws {
        await withTaskGroup(of: Child.self) { group in
            group.addTask {
                await self.consumeEvents { self.handle($0) }
                self.stopWakeup.signal()
                return .events
            }
            group.addTask {
                await self.runTimers()
                return .timers
            }
            for id in 0..<configuration.queue.maxConcurrent {
                group.addTask {
                    await self.runWorker(id: id)
                    return .worker
                }
            }
            await withGracefulShutdownHandler {
                await stopWakeup.wait()
            } onGracefulShutdown: {
                self.stopWakeup.signal()
            }
            _ = await quiesce(within: configuration.drainTimeout)
            group.cancelAll()
            while await group.next() != nil {}
        }
    }
}
