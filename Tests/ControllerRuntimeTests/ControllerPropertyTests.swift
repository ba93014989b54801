import ControllerRuntime
import KubernetesClient
import PropertyBased
import Synchronization
import TestSupport
import Testing
import Transport

@Suite("Controller properties under random event interleavings")
struct ControllerPropertyTests {
    enum Step: Sendable, Hashable {
        case change(Int)
        case delete(Int)
        case resync
        case advance
        case yield
    }

    static let step = zip(Gen.int(in: 0...9), Gen.int(in: 0...3)).map { kind, key -> Step in
        switch kind {
        case 0...4: .change(key)
        case 5: .delete(key)
        case 6: .resync
        case 7: .advance
        default: .yield
        }
    }

    /// Observations of the reconciles of one run.
    final class Observed: Sendable {
        private let running = Mutex<[String: Int]>([:])
        private let overlaps = Mutex<[String]>([])
        private let lastSeen = Mutex<[String: Int64]>([:])

        func start(_ key: String, generation: Int64, limit: Int) {
            let (overlap, total) = running.withLock { running in
                running[key, default: 0] += 1
                return (running[key, default: 0] > 1, running.values.reduce(0, +))
            }
            if overlap { overlaps.withLock { $0.append(key) } }
            if total > limit { overlaps.withLock { $0.append("more than \(limit) at once") } }
            lastSeen.withLock { $0[key] = generation }
        }

        func end(_ key: String) { running.withLock { $0[key, default: 0] -= 1 } }

        var violations: [String] { overlaps.withLock { $0 } }
        var seen: [String: Int64] { lastSeen.withLock { $0 } }
    }

    /// Random changes, deletions, re-creations, resyncs, retries and clock steps over four keys: never
    /// two reconciles of one key at once, never more than the worker bound, and once things settle the
    /// last reconcile of every present key saw its latest generation.
    @Test("no two concurrent reconciles of one key; the last reconcile sees the latest object")
    func exclusivity() async {
        await propertyCheck(count: 40, input: Self.step.array(of: 1...80), Gen.int(in: 1...3)) { steps, workers in
            let clock = ManualClock()
            let informer = ManualInformer<Lease>()
            let observed = Observed()
            var configuration = RuntimeFixture.configuration(maxConcurrent: workers)
            configuration.queue.backoff = Backoff(initialDelay: .seconds(1), maxDelay: .seconds(4), jitter: 0.5)
            try await RuntimeFixture.withController(
                configuration, clock: clock, informer: informer,
                reconciler: ReconcileFunction { lease, _ in
                    let key = lease.key.description
                    let generation = lease.metadata.generation ?? 0
                    observed.start(key, generation: generation, limit: workers)
                    for _ in 0..<(generation % 4) { await Task.yield() }
                    observed.end(key)
                    return generation % 3 == 0 ? .retry : .done
                }
            ) { controller in
                var generation: Int64 = 0
                var present: [Int: Lease] = [:]
                var events = 0
                informer.list([])
                events += 2
                for step in steps {
                    switch step {
                    case .change(let index):
                        generation += 1
                        let lease = RuntimeFixture.lease(
                            "k\(index)", generation: generation, uid: "uid-\(index)-\(generation)")
                        var next = lease
                        if let existing = present[index] { next.metadata.uid = existing.metadata.uid }
                        present[index] = next
                        informer.send(.apply(next))
                        events += 1
                    case .delete(let index):
                        guard let lease = present.removeValue(forKey: index) else { continue }
                        informer.send(.delete(lease))
                        events += 1
                    case .resync:
                        controller.resync()
                    case .advance:
                        await clock.advance(by: .seconds(2))
                    case .yield:
                        await Task.yield()
                    }
                }
                let sent = events
                let settled = await RuntimeFixture.eventually {
                    let status = controller.status()
                    return status.eventsHandled == sent && status.inFlight == 0 && status.depth == 0
                }
                #expect(settled)
                await clock.advance(by: .seconds(60))
                let seen = present.mapValues { $0.metadata.generation ?? 0 }
                let caughtUp = await RuntimeFixture.eventually {
                    let status = controller.status()
                    let lastSeen = observed.seen
                    return status.inFlight == 0 && status.depth == 0
                        && seen.allSatisfy { lastSeen["web/k\($0.key)"] == $0.value }
                }
                #expect(caughtUp, "expected \(seen), last seen \(observed.seen)")
                #expect(observed.violations.isEmpty, "\(observed.violations)")
            }
        }
    }
}
