import Clocks
import ControllerRuntime
import KubernetesClient
import Testing
import Transport

@Suite("WorkQueue (sans-IO, on TestClock instants)")
struct WorkQueueTests {
    typealias Queue = WorkQueue<String, TestClock<Duration>.Instant>

    /// Every `TestClock` starts at the same instant.
    static let t0 = TestClock<Duration>().now

    static func queue(
        maxConcurrent: Int = 4, initial: Duration = .seconds(1), cap: Duration = .seconds(300), jitter: Double = 0,
        retryQPS: Double = 1000, retryBurst: Int = 1000
    ) -> Queue {
        let configuration = WorkQueueConfiguration(
            maxConcurrent: maxConcurrent, backoff: Backoff(initialDelay: initial, maxDelay: cap, jitter: jitter),
            retryQPS: retryQPS, retryBurst: retryBurst, seed: 42)
        return Queue(configuration: configuration, now: t0)
    }

    /// A burst of 1,000 adds while a key waits or is processed costs exactly one run per dirty period.
    @Test("a burst of 1,000 events for one key: one run per dirty period")
    func burstDeduplicates() {
        var queue = Self.queue()
        let now = Self.t0
        var queued = 0
        for _ in 0..<1000 where queue.add("web/a", now: now) { queued += 1 }
        #expect(queued == 1)
        #expect(queue.depth == 1)
        #expect(queue.next(now: now) == "web/a")
        #expect(queue.next(now: now) == nil)

        for _ in 0..<1000 { queue.add("web/a", now: now) }
        #expect(queue.next(now: now) == nil, "never handed out while processing")
        #expect(queue.isDirty("web/a"))
        queue.done("web/a", .success(checkAgainAfter: nil), now: now)
        #expect(queue.next(now: now) == "web/a", "one more run for the whole burst")
        queue.done("web/a", .success(checkAgainAfter: nil), now: now)
        #expect(queue.next(now: now) == nil)
        #expect(queue.depth == 0)
    }

    /// Only `maxConcurrent` keys are handed out at once; freeing one lets the next in.
    @Test("bounded workers")
    func boundedWorkers() {
        var queue = Self.queue(maxConcurrent: 2)
        let now = Self.t0
        for key in ["a", "b", "c", "d"] { queue.add(key, now: now) }
        #expect(queue.next(now: now) == "a")
        #expect(queue.next(now: now) == "b")
        #expect(queue.next(now: now) == nil)
        queue.done("a", .success(checkAgainAfter: nil), now: now)
        #expect(queue.next(now: now) == "c")
        #expect(queue.processingCount == 2)
    }

    /// Consecutive failures wait 1, 2, 4 … s up to the cap; a success starts again at 1 s.
    @Test("backoff: exponential sequence up to the cap, reset by success")
    func backoffSequenceAndReset() {
        var queue = Self.queue(initial: .seconds(1), cap: .seconds(30))
        var now = Self.t0
        var delays: [Duration] = []
        queue.add("k", now: now)
        for _ in 0..<7 {
            let key = queue.next(now: now)
            #expect(key == "k")
            delays.append(queue.done("k", .retry, now: now) ?? .zero)
            #expect(queue.next(now: now) == nil, "a retry waits for its backoff")
            #expect(queue.nextWakeup() == now.advanced(by: delays.last ?? .zero))
            now = now.advanced(by: delays.last ?? .zero)
        }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        #expect(queue.retries(of: "k") == 7)
        #expect(queue.next(now: now) == "k")
        queue.done("k", .success(checkAgainAfter: nil), now: now)
        #expect(queue.retries(of: "k") == 0)
        queue.add("k", now: now)
        #expect(queue.next(now: now) == "k")
        #expect(queue.done("k", .retry, now: now) == .seconds(1), "reset after success")
    }

    /// With jitter each delay lies between (1 − jitter) and 1 times the nominal delay, and keys differ.
    @Test("backoff jitter stays within its band and differs between keys")
    func backoffJitter() {
        var queue = Self.queue(initial: .seconds(10), cap: .seconds(1000), jitter: 0.5)
        let now = Self.t0
        var firstDelays: Set<Duration> = []
        for index in 0..<20 {
            let key = "k\(index)"
            queue.add(key, now: now)
            #expect(queue.next(now: now) == key)
            let delay = queue.done(key, .retry, now: now) ?? .zero
            #expect(delay >= .seconds(5) && delay <= .seconds(10))
            firstDelays.insert(delay)
        }
        #expect(firstDelays.count > 10, "each key has its own jitter")
    }

    /// The global token bucket spaces retries of many keys: burst 2, then one per second.
    @Test("global rate limit on retries")
    func retryRateLimit() {
        var queue = Self.queue(
            maxConcurrent: 10, initial: .milliseconds(10), cap: .seconds(10), retryQPS: 1, retryBurst: 2)
        var now = Self.t0
        let keys = ["a", "b", "c", "d", "e"]
        for key in keys { queue.add(key, now: now) }
        for key in keys { #expect(queue.next(now: now) == key) }
        let delays = keys.map { queue.done($0, .retry, now: now) ?? .zero }
        #expect(delays == [.milliseconds(10), .milliseconds(10), .seconds(1), .seconds(2), .seconds(3)])
        now = now.advanced(by: .milliseconds(10))
        #expect(queue.next(now: now) == "a")
        #expect(queue.next(now: now) == "b")
        #expect(queue.next(now: now) == nil)
        now = now.advanced(by: .seconds(3))
        #expect([queue.next(now: now), queue.next(now: now), queue.next(now: now)] == ["c", "d", "e"])
    }

    /// A check-again delay is kept; an earlier delayed add of the same key wins, a later one does not.
    @Test("delayed adds: the earliest wins and becomes ready at its time")
    func delayedAdds() {
        var queue = Self.queue()
        var now = Self.t0
        queue.add("k", after: .seconds(60), now: now)
        queue.add("k", after: .seconds(90), now: now)
        queue.add("k", after: .seconds(30), now: now)
        #expect(queue.delayedCount == 1)
        #expect(queue.nextWakeup() == now.advanced(by: .seconds(30)))
        #expect(queue.next(now: now.advanced(by: .seconds(29))) == nil)
        now = now.advanced(by: .seconds(30))
        #expect(queue.next(now: now) == "k")
        #expect(queue.nextWakeup() == nil)
    }

    /// A forgotten key is not re-queued by its completion even when it was dirty.
    @Test("forget while processing drops the key's completion")
    func forgetWhileProcessing() {
        var queue = Self.queue()
        var now = Self.t0
        queue.add("k", now: now)
        #expect(queue.next(now: now) == "k")
        queue.add("k", now: now)
        let wasProcessing = queue.forget("k")
        #expect(wasProcessing)
        #expect(queue.done("k", .retry, now: now) == nil)
        #expect(queue.next(now: now) == nil)
        #expect(queue.nextWakeup() == nil)
        now = now.advanced(by: .seconds(1000))
        #expect(queue.next(now: now) == nil)
    }

    /// After shutdown nothing is handed out; waiting keys are reported; in-flight keys still complete.
    @Test("shutdown reports the keys that never started")
    func shutDown() {
        var queue = Self.queue(maxConcurrent: 1)
        var now = Self.t0
        queue.add("a", now: now)
        queue.add("b", now: now)
        queue.add("c", after: .seconds(5), now: now)
        #expect(queue.next(now: now) == "a")
        queue.add("a", now: now)
        #expect(Set(queue.shutDown()) == ["a", "b", "c"])
        queue.done("a", .success(checkAgainAfter: nil), now: now)
        now = now.advanced(by: .seconds(10))
        #expect(queue.next(now: now) == nil)
        #expect(queue.add("d", now: now) == false)
    }
}
