import ControllerRuntime
import Foundation
import KubernetesClient
import Logging
import MetricsTestKit
import ServiceLifecycleTestKit
import Synchronization
import TestSupport
import Testing
import Transport

/// An informer the test drives by hand: each event is applied to the store, then yielded.
final class ManualInformer<R: KubernetesResource>: Sendable {
    let writer = StoreWriter<R>()
    let events: AsyncStream<WatcherEvent<R>>
    private let continuation: AsyncStream<WatcherEvent<R>>.Continuation

    init() {
        (events, continuation) = AsyncStream.makeStream(of: WatcherEvent<R>.self)
    }

    var store: Store<R> { writer.store }

    func send(_ event: WatcherEvent<R>) {
        writer.apply(event)
        continuation.yield(event)
    }

    /// The first list: initStart, one initApply per object, initDone.
    func list(_ objects: [R]) {
        send(.initStart)
        for object in objects { send(.initApply(object)) }
        send(.initDone)
    }

    func finish() { continuation.finish() }
}

/// Records what the reconciler saw, in order.
final class CallLog: Sendable {
    struct Call: Sendable, Hashable {
        var key: String
        var generation: Int64?
        var holder: String?
    }

    private let calls = Mutex<[Call]>([])
    private let ends = Mutex<[String: StopReason?]>([:])

    func record(_ lease: Lease) {
        calls.withLock {
            $0.append(
                Call(
                    key: lease.key.description, generation: lease.metadata.generation,
                    holder: lease.spec?.holderIdentity))
        }
    }

    func ended(_ key: String, reason: StopReason?) { ends.withLock { $0[key] = .some(reason) } }

    var all: [Call] { calls.withLock { $0 } }
    var count: Int { calls.withLock { $0.count } }
    func endReason(_ key: String) -> StopReason?? { ends.withLock { $0[key] } }
}

enum RuntimeFixture {
    /// A logger that drops everything (drain notices and retries would clutter the test output).
    static let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static let epoch = Duration.seconds(1_796_000_040)

    /// A wall clock that reads `epoch` when `clock` is at its start and moves with it.
    static func now(_ clock: ManualClock) -> @Sendable () -> Date {
        let start = clock.now
        return { WallTime.date(at: epoch + start.duration(to: clock.now)) }
    }

    static func lease(
        _ name: String, generation: Int64 = 1, uid: String? = nil, labels: [String: String]? = nil,
        holder: String? = nil
    ) -> Lease {
        var metadata = ObjectMeta(name: name, namespace: "web", labels: labels)
        metadata.uid = uid ?? "uid-\(name)"
        metadata.generation = generation
        return Lease(metadata: metadata, spec: holder.map { Lease.Spec(holderIdentity: $0) })
    }

    static func configuration(
        maxConcurrent: Int = 2, schedule: SchedulePolicy<Lease> = .none, filter: EventFilter<Lease> = EventFilter()
    ) -> ControllerConfiguration<Lease> {
        ControllerConfiguration(
            name: "test",
            queue: WorkQueueConfiguration(
                maxConcurrent: maxConcurrent,
                backoff: Backoff(initialDelay: .seconds(1), maxDelay: .seconds(60), jitter: 0),
                retryQPS: 100, retryBurst: 100, seed: 1),
            filter: filter, schedule: schedule, drainTimeout: .seconds(10), metricsInterval: .seconds(3600))
    }

    typealias TestController = Controller<ReconcileFunction<Lease>, ManualClock>

    /// Runs a controller over `informer` on `clock` for the duration of `body`, then shuts it down
    /// gracefully and waits for `run()` to return.
    static func withController(
        _ configuration: ControllerConfiguration<Lease>, clock: ManualClock, informer: ManualInformer<Lease>,
        metrics: TestMetrics = TestMetrics(),
        reconciler: ReconcileFunction<Lease>,
        _ body: @Sendable (TestController) async throws -> Void
    ) async throws {
        let controller = TestController(
            reconciler: reconciler, store: informer.store, events: informer.events,
            configuration: configuration, clock: clock, now: now(clock),
            logger: quietLogger, metricsFactory: metrics)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                do {
                    try await body(controller)
                } catch {
                    group.cancelAll()
                    throw error
                }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    /// Polls `condition` (real time, at most `limit`): a guard against hangs, never a timing assertion.
    static func eventually(_ limit: Duration = .seconds(20), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return condition()
    }
}
