import ArgumentParser
import ControllerRuntime
import Foundation
import KubernetesClient
import Logging
import Synchronization

/// `k8supdater-bench runtime`: ControllerRuntime's queue throughput through a no-op reconciler, and the
/// memory of the periodic schedule for many objects.
struct RuntimeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime",
        abstract: "ControllerRuntime: keys/s through a no-op reconciler; scheduler memory for N objects.")

    @Option(help: "Keys pushed through the controller (throughput).") var keys = 100_000
    @Option(help: "Workers (maxConcurrent).") var workers = 4
    @Option(help: "Objects in the periodic schedule (memory).") var objects = 100_000

    func validate() throws {
        guard keys >= 1, workers >= 1, objects >= 1 else {
            throw ValidationError("--keys, --workers and --objects must be at least 1")
        }
    }

    func run() async throws {
        BenchEnvironment.printHeader()
        // Memory first, in a heap nothing has freed into yet: measured after the throughput runs, the
        // schedule reused their freed pages and the RSS delta under-counted it (21 vs 406 bytes/object).
        let (rssBefore, rssAfter) = try Self.scheduleMemory(objects: objects)
        let perObject = Double(rssAfter - rssBefore) * 1024 / Double(max(objects, 1))
        print(
            "periodic schedule: \(objects) objects: RSS \(rssBefore / 1024) → \(rssAfter / 1024) MiB "
                + "(≈ \(Int(perObject)) bytes/object)")
        let queueRate = Self.sansIOQueueRate(keys: keys, workers: workers)
        print("work queue (sans-IO add/next/done): \(Int(queueRate)) keys/s")
        let controllerRate = try await controllerRate()
        print("controller (\(workers) workers, no-op reconciler): \(keys) keys in, \(Int(controllerRate)) keys/s")
        BenchEnvironment.printFooter()
    }

    /// Keys per second through the bare queue state machine.
    static func sansIOQueueRate(keys: Int, workers: Int) -> Double {
        let clock = ContinuousClock()
        var queue = WorkQueue<Int, ContinuousClock.Instant>(
            configuration: WorkQueueConfiguration(maxConcurrent: workers), now: clock.now)
        let start = clock.now
        for key in 0..<keys { queue.add(key, now: start) }
        var done = 0
        while let key = queue.next(now: start) {
            queue.done(key, .success(checkAgainAfter: nil), now: start)
            done += 1
        }
        return Double(done) / start.duration(to: clock.now).seconds
    }

    /// Keys per second from informer events to finished no-op reconciles.
    private func controllerRate() async throws -> Double {
        let writer = StoreWriter<Lease>()
        let (events, continuation) = AsyncStream.makeStream(of: WatcherEvent<Lease>.self)
        let finished = Atomic<Int>(0)
        let total = keys
        let controller = Controller(
            reconciler: ReconcileFunction<Lease> { _, _ in
                finished.add(1, ordering: .relaxed)
                return .done
            },
            store: writer.store, events: events,
            configuration: ControllerConfiguration(
                name: "bench", queue: WorkQueueConfiguration(maxConcurrent: workers), drainTimeout: .seconds(1)),
            clock: ContinuousClock(), logger: Logger(label: "bench"))
        let clock = ContinuousClock()
        let start = clock.now
        let elapsed = try await withThrowingTaskGroup(of: Duration?.self) { group in
            group.addTask {
                try await controller.run()
                return nil
            }
            let apply = { (event: WatcherEvent<Lease>) in
                writer.apply(event)
                continuation.yield(event)
            }
            apply(.initStart)
            for index in 0..<total {
                var metadata = ObjectMeta(name: "lease-\(index)", namespace: "ns-\(index % 50)")
                metadata.uid = "00000000-0000-4000-8000-\(String(index, radix: 16))"
                metadata.generation = 1
                apply(.initApply(Lease(metadata: metadata)))
            }
            apply(.initDone)
            while finished.load(ordering: .relaxed) < total {
                try await Task.sleep(for: .milliseconds(1))
            }
            let elapsed = start.duration(to: clock.now)
            continuation.finish()
            try await group.waitForAll()
            return elapsed
        }
        return Double(total) / elapsed.seconds
    }

    /// Resident memory before and after scheduling `objects` keys (ObjectKey, a uid each, one interval).
    static func scheduleMemory(objects: Int) throws -> (Int, Int) {
        let before = EmulatorBench.residentKiB()
        var schedule = PeriodicSchedule<ObjectKey>()
        let now = Duration.seconds(1_796_000_000)
        for index in 0..<objects {
            try schedule.schedule(
                ObjectKey(namespace: "ns-\(index % 50)", name: "handler-\(index)"),
                uid: "00000000-0000-4000-8000-\(String(index, radix: 16))", interval: .seconds(300), lastChecked: nil,
                now: now)
        }
        let after = EmulatorBench.residentKiB()
        withExtendedLifetime(schedule) {}
        return (before, after)
    }
}
